//! Unit tests of the type inference stage.

use super::*;
use crate::testing::typed as program;

#[test]
fn int_and_float_paths_give_float() {
    let p = program("def f(a):\n    x = 1\n    if a:\n        x = 2.5\n    return x\n", &[Type::Bool]).unwrap();
    assert_eq!(p.entry().ret, Type::Float);
}

#[test]
fn recursion_return_type_is_found() {
    let p = program("def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)\n", &[Type::Int]).unwrap();
    assert_eq!(p.entry().ret, Type::Int);
}

#[test]
fn recursion_with_other_argument_types_adds_a_specialization() {
    let p = program("def f(n):\n    if n < 1:\n        return n\n    return f(n / 2)\n", &[Type::Int]).unwrap();
    assert_eq!(p.specs.len(), 2);
    assert_eq!(p.specs[1].arg_types, vec![Type::Float]);
}

#[test]
fn unresolvable_recursion_is_an_error() {
    let e = program("def f(n):\n    return f(n)\n", &[Type::Int]).unwrap_err();
    assert_eq!(e.construct(), "recursive function whose return type cannot be inferred");
}

#[test]
fn loop_else_that_returns_does_not_fall_through() {
    let src = "def f(n):\n    for i in range(n):\n        if i > 5:\n            return i\n    else:\n        return -1\n";
    assert_eq!(program(src, &[Type::Int]).unwrap().entry().ret, Type::Int);
    let src = "def f(n):\n    while n > 0:\n        n -= 1\n    else:\n        return 7\n";
    assert_eq!(program(src, &[Type::Int]).unwrap().entry().ret, Type::Int);
}

#[test]
fn break_in_inner_loop_else_leaves_the_outer_loop() {
    let src = "def f(n):\n    while True:\n        if n > 100:\n            return 1\n        for i in range(n):\n            pass\n        else:\n            break\n";
    let e = program(src, &[Type::Int]).unwrap_err();
    assert_eq!(e.construct(), "return of None on one path and a value on another");
}

#[test]
fn none_and_number_returns_are_an_error() {
    let e = program("def f(n):\n    if n:\n        return 1\n", &[Type::Int]).unwrap_err();
    assert_eq!(e.construct(), "return of None on one path and a value on another");
}
