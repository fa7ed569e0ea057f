//! Slow paths of real code that the compiler closes (issue 16), each pinned by a snapshot of its
//! optimized IR and by an assertion on the one shape that matters, so that a later change that
//! loses it fails here and not only in a benchmark.

use jit_core::testing::{self, array};
use jit_core::types::Dtype;
use jit_core::{Capture, Type};

/// `dx ** 2` with `dx` loop-invariant (a stencil's grid spacing): `pow` is a pure function to
/// LLVM, so it is computed once, before the loop, not once per element.
const POW_INVARIANT: &str = "def f(a, b, dx):\n    for i in range(a.shape[0]):\n        b[i] = a[i] / dx ** 2\n";

/// `sin(t)` and `cos(t)` of one value: one `sincos` call.
const SIN_COS: &str = "def f(n, x):\n    s = 0.0\n    for i in range(n):\n        t = x * i\n        s += math.sin(t) * math.cos(t)\n    return s\n";

fn pow_args() -> Vec<Type> {
    vec![array(Dtype::Float64, 1), array(Dtype::Float64, 1), Type::Float64]
}

#[test]
fn a_loop_invariant_pow_is_computed_once_before_the_loop() {
    jit_core::snapshot!("pattern_pow_hoisted", POW_INVARIANT, pow_args());
    let ir = testing::llvm_ir(&testing::typed(POW_INVARIANT, &pow_args()).unwrap(), true);
    let call = ir.find("call double @pow(").expect("pow is called");
    let first_phi = ir.find(" = phi ").expect("the loop has an induction variable");
    assert!(call < first_phi, "pow is called inside the loop:\n{ir}");
    // One call, still to the C library's pow (CPython's answer), not rewritten.
    assert_eq!(ir.matches("call double @pow(").count(), 1, "{ir}");
}

#[test]
fn sin_and_cos_of_one_value_are_one_sincos_call() {
    let compiled = jit_core::compile_source(SIN_COS, &[Type::Int64, Type::Float64], Capture { asm: true, ..Capture::default() })
        .expect("compiles");
    let asm = compiled.asm.expect("asm captured");
    assert!(asm.contains("sincos"), "sin and cos are separate calls:\n{asm}");
    assert!(!asm.contains("\tsin@PLT") && !asm.contains("\tcos@PLT"), "{asm}");
}

#[test]
fn a_power_of_constants_is_folded_with_the_c_librarys_pow() {
    // CPython folds `1.1 ** 2` itself; LLVM does not fold the `nobuiltin` call, so codegen does.
    let src = "def f():\n    return 1.1 ** 2\n";
    jit_core::snapshot!("pattern_pow_constant", src, []);
    let ir = testing::llvm_ir(&testing::typed(src, &[]).unwrap(), true);
    assert!(!ir.contains("call double @pow("), "{ir}");
}
