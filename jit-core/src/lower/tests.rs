//! Unit tests of the lower stage.

use super::*;
use crate::testing::{self, lower_one as lower_src, TestProgram};

#[test]
fn globals_are_the_names_not_assigned() {
    let f = testing::parse("def f(a):\n    b = a + G\n    return math.sqrt(b)\n").unwrap();
    assert_eq!(global_names(&f), vec!["G".to_string(), "math".to_string(), "math.sqrt".to_string()]);
}

#[test]
fn frozen_global_becomes_a_constant() {
    let h = lower_src("def f(a):\n    return a + G\n", &[("G", GlobalValue::Int(7))]).unwrap();
    let hir::StmtKind::Return(Some(e)) = &h.body[0].kind else { panic!() };
    let H::Binary { right, .. } = &e.kind else { panic!() };
    assert_eq!(right.kind, H::Int(7));
}

#[test]
fn calling_a_plain_python_function_names_it() {
    let e = lower_src(
        "def f(a):\n    return helper(a)\n",
        &[("helper", GlobalValue::Unsupported { description: "the Python function 'helper'".into(), is_function: true })],
    )
    .unwrap_err();
    assert_eq!(e.construct(), "call to a function that is not jitted");
    assert!(e.to_string().contains("@jit"));
}

#[test]
fn call_to_another_unit_binds_keywords_and_its_defaults() {
    let caller = "def f(a):\n    return g(c=a, b=a)\n";
    let program =
        |callee: &str| TestProgram::new(&[caller, callee]).unwrap().defaults(1, &[None, None, Some(ConstValue::Int(5))]);
    let funcs = program("def g(b, c, d=5):\n    return b + c + d\n").lower().unwrap();
    let hir::StmtKind::Return(Some(e)) = &funcs[0].body[0].kind else { panic!() };
    let H::Call { func: 1, args } = &e.kind else { panic!("{e:?}") };
    assert!(matches!(args[0].kind, H::Local { id: 0, .. }));
    assert!(matches!(args[1].kind, H::Local { id: 0, .. }));
    assert_eq!(args[2].kind, H::Int(5));
    // An error in the callee says which unit it is in.
    let (unit, e) = program("def g(b, c, d=5):\n    return b + nope\n").lower().unwrap_err();
    assert_eq!((unit, e.construct()), (1, "undefined name"));
}

#[test]
fn a_tuple_default_becomes_a_tuple_of_constants() {
    let caller = "def f(a):\n    return g(a)\n";
    let tuple =
        ConstValue::Tuple(vec![ConstValue::Float(0.5), ConstValue::Tuple(vec![ConstValue::Int(2), ConstValue::Bool(true)])]);
    let funcs = TestProgram::new(&[caller, "def g(b, r=(0.5, (2, True))):\n    return r\n"])
        .unwrap()
        .defaults(1, &[None, Some(tuple)])
        .lower()
        .unwrap();
    let hir::StmtKind::Return(Some(e)) = &funcs[0].body[0].kind else { panic!() };
    let H::Call { func: 1, args } = &e.kind else { panic!("{e:?}") };
    let H::Tuple(items) = &args[1].kind else { panic!("{:?}", args[1]) };
    assert_eq!(items[0].kind, H::Float(0.5));
    let H::Tuple(inner) = &items[1].kind else { panic!("{:?}", items[1]) };
    assert_eq!((&inner[0].kind, &inner[1].kind), (&H::Int(2), &H::Bool(true)));
}
