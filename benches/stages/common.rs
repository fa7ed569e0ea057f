//! What every stage bench shares: the kernels, and each stage's input made by the stages before
//! (built as the tests build them, by `jit_core::testing`).

#![allow(dead_code)]

use inkwell::context::Context;
use inkwell::module::Module;
use jit_core::testing::{self, TestProgram};
use jit_core::{codegen, hir, infer, optimize, Type};

/// (name, source, argument types): small, medium (20 lines) and recursive.
pub const KERNELS: &[(&str, &str, &[Type])] = &[
    ("add1", "def add1(x):\n    return x + 1\n", &[Type::Int64]),
    (
        "twenty_lines",
        "def kernel(n, x0):\n    s = 0.0\n    t = 0\n    x = x0\n    for i in range(n):\n        if i % 3 == 0:\n            s += math.sqrt(x * x + 1.0)\n        elif i % 3 == 1:\n            s -= x / (i + 1)\n        else:\n            t = (t * 7 + i) % 1009\n        j = 0\n        while j < 3:\n            x = x * 0.5 + 0.25 * j\n            j += 1\n        if s > 1e6:\n            break\n    else:\n        s += 1\n    return s + t\n",
        &[Type::Int64, Type::Float64],
    ),
    ("fib", "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n", &[Type::Int64]),
];

/// A kernel parsed, with the globals jit-py would bind ([`TestProgram`]).
pub fn program(src: &str) -> TestProgram {
    TestProgram::one(src).unwrap()
}

pub fn lowered(src: &str) -> hir::Function {
    program(src).lower().unwrap().remove(0)
}

pub fn typed(src: &str, args: &[Type]) -> infer::TypedProgram {
    testing::typed(src, args).unwrap()
}

pub fn shape(p: &infer::TypedProgram) -> optimize::Shape {
    if p.is_leaf() {
        optimize::Shape::Leaf
    } else {
        optimize::Shape::Calls
    }
}

/// The unoptimized module of a kernel under `symbol`.
pub fn module<'ctx>(ctx: &'ctx Context, p: &infer::TypedProgram, symbol: &str) -> Module<'ctx> {
    codegen::codegen(ctx, p, symbol, &jit_core::Options::default())
}

/// The object file of a kernel under `symbol`.
pub fn object(p: &infer::TypedProgram, symbol: &str) -> Vec<u8> {
    let ctx = Context::create();
    let m = module(&ctx, p, symbol);
    optimize::optimize(&m, optimize::OptLevel::O3, shape(p)).unwrap();
    optimize::emit_object(&m).unwrap()
}
