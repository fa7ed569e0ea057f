//! Unit tests of the type inference stage.

use super::*;
use crate::testing::typed as program;
use crate::types::{ArrayType, Dtype, Layout};

#[test]
fn int_and_float_paths_give_float() {
    let p = program("def f(a):\n    x = 1\n    if a:\n        x = 2.5\n    return x\n", &[Type::Bool]).unwrap();
    assert_eq!(p.entry().ret, Type::Float64);
}

#[test]
fn recursion_return_type_is_found() {
    let p = program("def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\n", &[Type::Int64]).unwrap();
    assert_eq!(p.entry().ret, Type::Int64);
}

#[test]
fn recursion_with_other_argument_types_adds_a_specialization() {
    let p = program("def f(n):\n    if n < 1:\n        return n\n    return f(n / 2)\n", &[Type::Int64]).unwrap();
    assert_eq!(p.specs.len(), 2);
    assert_eq!(p.specs[1].arg_types, vec![Type::Float64]);
}

#[test]
fn unresolvable_recursion_is_an_error() {
    let e = program("def f(n):\n    return f(n)\n", &[Type::Int64]).unwrap_err();
    assert_eq!(e.construct(), "recursive function whose return type cannot be inferred");
}

#[test]
fn loop_else_that_returns_does_not_fall_through() {
    let src = "def f(n):\n    for i in range(n):\n        if i > 5:\n            return i\n    else:\n        return -1\n";
    assert_eq!(program(src, &[Type::Int64]).unwrap().entry().ret, Type::Int64);
    let src = "def f(n):\n    while n > 0:\n        n -= 1\n    else:\n        return 7\n";
    assert_eq!(program(src, &[Type::Int64]).unwrap().entry().ret, Type::Int64);
}

#[test]
fn break_in_inner_loop_else_leaves_the_outer_loop() {
    let src = "def f(n):\n    while True:\n        if n > 100:\n            return 1\n        for i in range(n):\n            pass\n        else:\n            break\n";
    // The `break` falls off the end: None there, an int on the other path.
    assert_eq!(program(src, &[Type::Int64]).unwrap().entry().ret, Type::Optional(Box::new(Type::Int64)));
}

#[test]
fn none_and_number_returns_are_optional() {
    let p = program("def f(n):\n    if n:\n        return 1\n", &[Type::Int64]).unwrap();
    assert_eq!(p.entry().ret, Type::Optional(Box::new(Type::Int64)));
    // Read as a value, an optional is its inner type (checked when the code runs).
    let p = program("def f(n):\n    x = None\n    if n:\n        x = 2.5\n    return x + 1\n", &[Type::Int64]).unwrap();
    assert_eq!(p.entry().ret, Type::Float64);
    assert_eq!(p.entry().unwraps.len(), 1);
    // None itself is not a value.
    let e = program("def f(n):\n    x = None\n    return x + 1\n", &[Type::Int64]).unwrap_err();
    assert_eq!(e.construct(), "binary operator");
}

#[test]
fn a_test_of_none_the_types_answer_prunes_its_branch() {
    // With `b` None, `a + b` is never typed (it would be an error).
    let src = "def f(a, b):\n    if b is None:\n        return a\n    return a + b\n";
    assert_eq!(program(src, &[Type::Float64, Type::None]).unwrap().entry().ret, Type::Float64);
    let src = "def f(a, b):\n    if b is not None:\n        a = a + b\n    return a\n";
    assert_eq!(program(src, &[Type::Int64, Type::None]).unwrap().entry().ret, Type::Int64);
    assert_eq!(program(src, &[Type::Int64, Type::Float64]).unwrap().entry().ret, Type::Float64);
}

/// The right-hand side of the first augmented assignment in `f`'s body.
fn aug_value(p: &TypedProgram) -> ExprId {
    p.funcs[0]
        .body
        .iter()
        .find_map(|s| match &s.kind {
            S::AugAssign { value, .. } | S::AugAssignIndex { value, .. } => Some(value.id),
            _ => None,
        })
        .expect("an augmented assignment")
}

#[test]
fn augmented_assignment_records_the_type_of_its_operation() {
    // Typed as `x = x op v`: what codegen computes the operation in.
    let p = program("def f(n):\n    x = n\n    x **= -1\n    return x\n", &[Type::Int64]).unwrap();
    assert_eq!(p.entry().aug_types[&aug_value(&p)], Type::Float64);
    let p = program("def f(n):\n    x = n\n    x //= 2\n    return x\n", &[Type::UInt64]).unwrap();
    assert_eq!(p.entry().aug_types[&aug_value(&p)], Type::UInt64);
    let p = program("def f(n):\n    x = n\n    x += n\n    return x\n", &[Type::Float32]).unwrap();
    assert_eq!(p.entry().aug_types[&aug_value(&p)], Type::Float32);
    let a = Type::Array(ArrayType { dtype: Dtype::Int8, ndim: 1, layout: Layout::C, readonly: false });
    let p = program("def f(a, v):\n    a[0] += v\n    return 0\n", &[a, Type::Float32]).unwrap();
    assert_eq!(p.entry().aug_types[&aug_value(&p)], Type::Float64);
}

#[test]
fn fewer_indices_than_axes_make_a_view() {
    let a = Type::Array(ArrayType { dtype: Dtype::Float64, ndim: 2, layout: Layout::C, readonly: false });
    let msg = |src: &str| program(src, std::slice::from_ref(&a)).unwrap_err().to_string();
    // Assigning to a row (and `op=` into one) writes the view, whether the index is written out
    // or held in a tuple value.
    assert!(program("def f(a):\n    a[1] = 1.0\n    return 0\n", std::slice::from_ref(&a)).is_ok());
    assert!(program("def f(a):\n    a[1] += 1.0\n    return 0\n", std::slice::from_ref(&a)).is_ok());
    assert!(program("def f(a):\n    t = (1,)\n    a[t] += 1.0\n    return 0\n", std::slice::from_ref(&a)).is_ok());
    let p = program("def f(a):\n    t = (1,)\n    return a[t]\n", std::slice::from_ref(&a)).unwrap();
    assert_eq!(p.entry().ret, Type::Array(ArrayType { dtype: Dtype::Float64, ndim: 1, layout: Layout::C, readonly: false }));
    assert_eq!(msg("def f(a):\n    t = (1.5,)\n    return a[t]\n"), "array index: array indices must be integers, not float64");
    assert_eq!(
        msg("def f(a):\n    t = (1, 2, 3)\n    return a[t]\n"),
        "array index: 3 indexes into a 2-dimensional array: more indices than axes"
    );
    // Reading a row is a view, not an error.
    assert!(program("def f(a):\n    return a[1]\n", &[a]).is_ok());
}

fn array(dtype: Dtype, ndim: u8) -> Type {
    Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false })
}

#[test]
fn an_if_the_types_decide_types_only_the_branch_taken() {
    // `r` is a number for a 1-D array and a 1-D array for a 2-D one: each specialization types
    // (and compiles) one branch only.
    let src = "def f(a):\n    if a.ndim == 1 and not len(a.shape) != 1:\n        r = a[0]\n    else:\n        r = a[0] + 1.5\n    return r\n";
    let p = program(src, &[array(Dtype::Int64, 1)]).unwrap();
    assert_eq!(p.entry().ret, Type::Int64);
    let p = program(src, &[array(Dtype::Int64, 2)]).unwrap();
    assert_eq!(p.entry().ret, array(Dtype::Float64, 1));
    // The answer is recorded for codegen, which compiles the branch taken only.
    assert!(p.entry().known_tests.values().any(|k| !k));
}

#[test]
fn an_elif_chain_that_the_types_decide_does_not_fall_through() {
    let src = "def f(a):\n    if a.ndim == 1:\n        return a[0]\n    elif a.ndim == 2:\n        return a[0, 0]\n";
    assert_eq!(program(src, &[array(Dtype::Float64, 2)]).unwrap().entry().ret, Type::Float64);
    // A 3-D array takes neither branch: None, as in Python.
    assert_eq!(program(src, &[array(Dtype::Float64, 3)]).unwrap().entry().ret, Type::None);
}

#[test]
fn a_condition_with_a_run_time_part_types_both_branches() {
    let src = "def f(a, n):\n    if a.ndim == 1 and n > 0:\n        r = a[0]\n    else:\n        r = a[0] + 1.5\n    return r\n";
    let p = program(src, &[array(Dtype::Int64, 1), Type::Int64]).unwrap();
    assert_eq!(p.entry().ret, Type::Float64);
    assert!(!p.entry().known_tests.values().any(|k| !k));
    // `False and ...` is decided without its second operand, as Python's short circuit.
    let src = "def f(a, n):\n    if a.ndim == 2 and n > 0:\n        r = a[0, 0]\n    else:\n        r = a[0]\n    return r\n";
    assert_eq!(program(src, &[array(Dtype::Int64, 1), Type::Int64]).unwrap().entry().ret, Type::Int64);
}

#[test]
fn a_local_assigned_only_in_the_branch_left_out_is_not_an_error() {
    let src = "def f(a):\n    if a.ndim == 2:\n        m = a.shape[1]\n        return m\n    return 0\n";
    let p = program(src, &[array(Dtype::Int64, 1)]).unwrap();
    assert_eq!(p.entry().ret, Type::Int64);
}
