//! What every stage bench shares: the kernels, and each stage's input made by the stages before.

#![allow(dead_code)]

use inkwell::context::Context;
use inkwell::module::Module;
use jit_core::{ast, codegen, hir, infer, lower, normalize, optimize, parse, Type};

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

pub fn lines(src: &str) -> Vec<String> {
    src.lines().map(|l| format!("{l}\n")).collect()
}

pub fn parsed(src: &str) -> ast::FunctionDef {
    let lines = lines(src);
    parse::parse_function(&parse::SourceFunction { lines: &lines, first_line: 1, filename: "bench.py" }).unwrap()
}

pub fn env(func: &ast::FunctionDef) -> lower::Env {
    jit_core::standalone_env(func, "bench.py")
}

pub fn lowered(src: &str) -> hir::Function {
    let f = parsed(src);
    jit_core::lower_and_flow(&[(&f, &env(&f))]).unwrap().remove(0)
}

pub fn typed(src: &str, args: &[Type]) -> infer::TypedProgram {
    infer::infer(vec![lowered(src)], args.to_vec()).unwrap()
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
    codegen::codegen(ctx, p, symbol, true)
}

/// The object file of a kernel under `symbol`.
pub fn object(p: &infer::TypedProgram, symbol: &str) -> Vec<u8> {
    let ctx = Context::create();
    let m = module(&ctx, p, symbol);
    optimize::optimize(&m, optimize::OptLevel::O3, shape(p)).unwrap();
    optimize::emit_object(&m).unwrap()
}

pub fn fingerprint(src: &str) -> normalize::Fingerprint {
    normalize::fingerprint(&parsed(src))
}
