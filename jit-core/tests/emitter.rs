//! The optimize stage's reusable codegen pipeline (cpp/emitter.cpp) must make the very bytes
//! LLVM's C API makes with a fresh pipeline, for any sequence of modules run through it.

use jit_core::optimize::{self, OptLevel, Shape};
use jit_core::{codegen, testing, Type};

const FUNCTIONS: &[(&str, &[Type])] = &[
    ("def collatz_steps(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n", &[Type::Int64]),
    ("def harmonic(n):\n    s = 0\n    for i in range(1, n + 1):\n        s += 1.0 / i\n    return s\n", &[Type::Int64]),
    ("def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n", &[Type::Int64]),
    ("def f(a, b):\n    x = math.sin(a) * math.exp(b)\n    return math.sqrt(abs(x)) + a ** b\n", &[Type::Float64, Type::Float64]),
    ("def g(x):\n    return x\n", &[Type::Bool]),
];

/// Both object files of one function: (reused pipeline, fresh pipeline).
fn objects(src: &str, args: &[Type]) -> (Vec<u8>, Vec<u8>) {
    let typed = testing::typed(src, args).unwrap();
    // Codegen's IR passes change the module they run on, and a cloned module can differ in
    // use-list order: each path gets a module made from scratch.
    let emit = |fresh: bool| {
        let ctx = inkwell::context::Context::create();
        let module = codegen::codegen(&ctx, &typed, "sj_emitter_test", &jit_core::Options::default());
        let shape = if typed.is_leaf() { Shape::Leaf } else { Shape::Calls };
        optimize::optimize(&module, OptLevel::O3, shape).unwrap();
        if fresh { optimize::emit_object_fresh(&module) } else { optimize::emit_object(&module) }.unwrap()
    };
    (emit(false), emit(true))
}

#[test]
fn reused_pipeline_makes_the_bytes_of_a_fresh_one() {
    // Twice round, so that every module also follows every other one through the pipeline.
    for round in 0..2 {
        for (src, args) in FUNCTIONS {
            let (reused, fresh) = objects(src, args);
            assert!(!reused.is_empty() && reused.starts_with(b"\x7fELF"), "round {round}: not an ELF object");
            assert_eq!(reused, fresh, "round {round}: objects differ for\n{src}");
        }
    }
}

/// A huge module (`optimize::is_huge`) goes through the reusable pipeline built without machine
/// LICM, and the fresh one is built the same way; a small module after it still gets the
/// ordinary pipeline (the option is set only while the huge one is built).
#[test]
fn the_huge_pipeline_makes_the_bytes_of_a_fresh_one_and_leaves_the_other_alone() {
    let body: String = (0..1500).map(|k| format!("        if i % {} == 0:\n            s += {k}\n", k + 2)).collect();
    let huge = format!("def h(x):\n    s = 0\n    for i in range(x):\n{body}    return s\n");
    let (reused, fresh) = objects(&huge, &[Type::Int64]);
    assert_eq!(reused, fresh, "objects differ for the huge function");
    for (src, args) in FUNCTIONS {
        let (reused, fresh) = objects(src, args);
        assert_eq!(reused, fresh, "objects differ after a huge module for\n{src}");
    }
}
