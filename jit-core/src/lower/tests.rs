//! Unit tests of the lower stage.

use super::*;
use crate::parse::{parse_function, SourceFunction};

fn lower_src(src: &str, globals: &[(&str, GlobalValue)]) -> Result<hir::Function> {
    let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
    let f = parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "t.py" })?;
    let mut env = Env { defaults: vec![None; f.params.len()], ..Default::default() };
    for (n, v) in globals {
        env.globals.insert(n.to_string(), v.clone());
    }
    lower(&f, &env)
}

#[test]
fn globals_are_the_names_not_assigned() {
    let lines: Vec<String> = "def f(a):\n    b = a + G\n    return math.sqrt(b)\n".lines().map(|l| format!("{l}\n")).collect();
    let f = parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "t.py" }).unwrap();
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
    let parse = |src: &str| {
        let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
        parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "t.py" }).unwrap()
    };
    let caller = parse("def f(a):\n    return g(c=a, b=a)\n");
    let callee = parse("def g(b, c, d=5):\n    return b + c + d\n");
    let mut caller_env = Env { defaults: vec![None], ..Default::default() };
    caller_env.globals.insert("g".into(), GlobalValue::Jitted { name: "g".into(), unit: 1 });
    let callee_env = Env { defaults: vec![None, None, Some(ConstValue::Int(5))], ..Default::default() };
    let funcs = lower_program(&[(&caller, &caller_env), (&callee, &callee_env)]).unwrap();
    let hir::StmtKind::Return(Some(e)) = &funcs[0].body[0].kind else { panic!() };
    let H::Call { func: 1, args } = &e.kind else { panic!("{e:?}") };
    assert!(matches!(args[0].kind, H::Local { id: 0, .. }));
    assert!(matches!(args[1].kind, H::Local { id: 0, .. }));
    assert_eq!(args[2].kind, H::Int(5));
    // An error in the callee says which unit it is in.
    let bad = parse("def g(b, c, d=5):\n    return b + nope\n");
    let (unit, e) = lower_program(&[(&caller, &caller_env), (&bad, &callee_env)]).unwrap_err();
    assert_eq!((unit, e.construct()), (1, "undefined name"));
}
