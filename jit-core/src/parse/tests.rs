//! Unit tests of the parse stage: what it accepts, and the constructs it names with their place.
use super::*;

fn parse_src(src: &str) -> Result<FunctionDef> {
    let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
    parse_function(&SourceFunction { lines: &lines, first_line: 10, filename: "t.py" })
}

#[test]
fn finds_the_end_of_an_indented_def() {
    let f = parse_src("    @jit\n    def f(a, b=2):\n        '''doc'''\n        return a + b\n    x = [1]\n").unwrap();
    assert_eq!(f.name, "f");
    assert_eq!(f.params.len(), 2);
    assert!(f.params[1].has_default);
    assert_eq!(f.body.len(), 1);
    assert_eq!(f.body[0].span, Span { line: 13, col: 8 });
}

#[test]
fn names_unsupported_constructs_with_position() {
    let e = parse_src("def f(a):\n    x = {1, *a}\n    return a\n").unwrap_err();
    assert_eq!(e.construct(), "starred expression");
    assert_eq!(e.span(), Span { line: 11, col: 12 });
    let e = parse_src("def f(a):\n    try:\n        pass\n    except* ValueError:\n        pass\n").unwrap_err();
    assert_eq!(e.construct(), "try statement");
    let e = parse_src("def f(**a):\n    return 1\n").unwrap_err();
    assert_eq!(e.construct(), "**kwargs");
    let f = parse_src("def f(a, *rest):\n    return 1\n").unwrap();
    assert!(f.vararg);
    assert_eq!(f.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["a", "rest"]);
}

#[test]
fn dedented_string_continuation_still_parses() {
    let f = parse_src("def f(a):\n    '''doc\nstill doc\n'''\n    return a\nnext = 1\n").unwrap();
    assert_eq!(f.body.len(), 1);
}

#[test]
fn big_literal_is_an_error() {
    let e = parse_src("def f():\n    return 10**3 + 99999999999999999999999\n").unwrap_err();
    assert_eq!(e.construct(), "integer literal");
}
