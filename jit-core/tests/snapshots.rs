//! Snapshot tests at stage boundaries: the typed IR `infer` produces and the unoptimized LLVM IR
//! `codegen` produces for a handful of functions; and the tables of `jit_core::snapshot!` lines
//! (typed IR, optimized LLVM IR or the error text of one small function each) in `snap/`.
//! After a deliberate change, `INSTA_UPDATE=always cargo test -p jit-core --test snapshots` (or
//! `cargo insta review`) rewrites them; review every changed `.snap` before committing it.

// The snapshot tables, one module per kind (their .snap files in tests/snap/snapshots/).
#[path = "snap/builtins.rs"]
mod builtins;
#[path = "snap/errors.rs"]
mod errors;
#[path = "snap/index.rs"]
mod index;
#[path = "snap/ops.rs"]
mod ops;
#[path = "snap/patterns.rs"]
mod patterns;

use jit_core::lower::ConstValue;
use jit_core::testing::{self, TestProgram};
use jit_core::{infer, pretty, Type};

fn typed(src: &str, args: &[Type]) -> infer::TypedProgram {
    testing::typed(src, args).unwrap()
}

fn llvm(src: &str, args: &[Type]) -> String {
    testing::llvm_ir(&typed(src, args), false)
}

const COLLATZ: &str = "def collatz_steps(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n";
const HARMONIC: &str = "def harmonic(n):\n    s = 0\n    for i in range(1, n + 1):\n        s += 1.0 / i\n    return s\n";
const FIB: &str = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
const MIXED: &str = "def f(a, b):\n    if a > b:\n        x = a\n    else:\n        x = 0.5\n    lo, hi = min(a, b), max(a, b)\n    return x + math.sqrt(hi - lo) if a and b else -x\n";
const MAYBE_UNBOUND: &str = "def g(n):\n    for i in range(n):\n        last = i\n    return last\n";
const OPTIONAL: &str = "def find(a, x, out=None):\n    r = None\n    for i in range(a.shape[0]):\n        if a[i] == x:\n            r = i\n    if out is None:\n        return r\n    return r + out\n";

#[test]
fn typed_ir() {
    insta::assert_snapshot!("collatz_typed", pretty::typed_program(&typed(COLLATZ, &[Type::Int64])));
    insta::assert_snapshot!("harmonic_typed", pretty::typed_program(&typed(HARMONIC, &[Type::Int64])));
    insta::assert_snapshot!("fib_typed", pretty::typed_program(&typed(FIB, &[Type::Int64])));
    insta::assert_snapshot!("mixed_typed", pretty::typed_program(&typed(MIXED, &[Type::Int64, Type::Float64])));
    insta::assert_snapshot!("maybe_unbound_typed", pretty::typed_program(&typed(MAYBE_UNBOUND, &[Type::Int64])));
    // `out` None: `r` returned optional, the `r + out` path never typed.
    let a = testing::array(jit_core::types::Dtype::Float64, 1);
    insta::assert_snapshot!("optional_typed", pretty::typed_program(&typed(OPTIONAL, &[a, Type::Float64, Type::None])));
    // A branch the types rule out is shown as not compiled.
    let pruned = "def f(a, b):\n    if b is not None:\n        a = a + b\n    else:\n        a = a * 2\n    return a\n";
    insta::assert_snapshot!("pruned_typed", pretty::typed_program(&typed(pruned, &[Type::Int64, Type::None])));
}

#[test]
fn unoptimized_llvm_ir() {
    insta::assert_snapshot!("collatz_llvm", llvm(COLLATZ, &[Type::Int64]));
    insta::assert_snapshot!("fib_llvm", llvm(FIB, &[Type::Int64]));
    insta::assert_snapshot!("harmonic_llvm", llvm(HARMONIC, &[Type::Int64]));
}

/// A program of three functions: `total` calls `clamp` with two signatures and `ping`, which
/// recurses through `pong` (units 0..3 as `jit-py` would number them).
#[test]
fn typed_ir_of_a_program_with_calls() {
    let sources = [
        "def total(n):\n    s = 0.0\n    for i in range(n):\n        s += clamp(i, 0, 5) + clamp(i * 0.5, lo=0.0, hi=2.0)\n    t = (s, ping(n))\n    return t\n",
        "def clamp(x, lo, hi=1):\n    return min(max(x, lo), hi)\n",
        "def ping(n):\n    if n == 0:\n        return 0\n    return pong(n - 1) + 1\n",
        "def pong(n):\n    if n == 0:\n        return 0\n    return ping(n - 1)\n",
    ];
    let program = TestProgram::new(&sources).unwrap().defaults(1, &[None, None, Some(ConstValue::Int(1))]);
    let p = program.infer(&[Type::Int64]).unwrap();
    assert_eq!(p.recursive_specs(), vec![false, false, false, true, true]);
    insta::assert_snapshot!("program_typed", pretty::typed_program(&p));
}
