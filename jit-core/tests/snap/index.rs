//! The array index shapes of issue 16: an index proven non-negative (`a[i + 1]`, `a[i]` of a
//! `range(0, n - 1)` loop) has no negative-index wrap, so its bounds check is a plain range
//! check the optimizer removes and the loop vectorizes.

use jit_core::snapshot;
use jit_core::testing::{self, array};
use jit_core::types::Dtype;

const DIFF: &str = "def f(a, b):\n    for i in range(0, a.shape[0] - 1):\n        b[i] = a[i + 1] - a[i]\n    return 0";
const PREV: &str = "def f(a, b):\n    for i in range(0, a.shape[0]):\n        b[i] = a[i - 1]\n    return 0";

#[test]
fn index() {
    snapshot!("index_range_plus_one", DIFF, [array(Dtype::Float64, 1), array(Dtype::Float64, 1)]);
    snapshot!("index_range_minus_one_wraps", PREV, [array(Dtype::Float64, 1), array(Dtype::Float64, 1)]);
}

fn optimized(src: &str) -> String {
    let f64s = array(Dtype::Float64, 1);
    testing::llvm_ir(&testing::typed(src, &[f64s.clone(), f64s]).unwrap(), true)
}

/// The negative-index wraps left in `ir`: a select on a compare `i < c` with a constant
/// `c <= 0` (the select form's `i < 0 ? i + size : i`, folded to `k < -1` for `k + 1`), or
/// `i + size` compared with `size` (the cold wrap block's check). (The vectorizer's run-time
/// checks compare with 0 too, but feed no select.)
fn wraps(ir: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut signs: Vec<(String, String)> = Vec::new(); // (value, line) of each `x < c`, c <= 0
    let mut sums: Vec<(String, String)> = Vec::new(); // (value, size) of each `add i64 %a, %size`
    for l in ir.lines().map(str::trim) {
        let c = l.rsplit(", ").next().and_then(|c| c.parse::<i64>().ok());
        let sign =
            (l.contains("icmp slt i64") && c.is_some_and(|c| c <= 0)) || (l.contains("icmp sgt i64") && c.is_some_and(|c| c < 0));
        if let (true, Some((v, _))) = (sign, l.split_once(" = ")) {
            signs.push((v.to_string(), l.to_string()));
        }
        if let Some(rest) = l.split_once(" = select i1 ").map(|(_, r)| r) {
            out.extend(signs.iter().filter(|(v, _)| rest.starts_with(&format!("{v},"))).map(|(_, line)| line.clone()));
        }
        if let Some((v, rest)) = l.split_once(" = add i64 ") {
            if let Some((_, size)) = rest.split_once(", %") {
                sums.push((v.to_string(), format!("%{size}")));
            }
        }
        if let Some(rest) = l.split_once("icmp ult i64 ").map(|(_, r)| r) {
            if sums.iter().any(|(v, size)| rest == format!("{v}, {size}")) {
                out.push(l.to_string());
            }
        }
    }
    out
}

/// `a[i + 1]` in `range(0, n - 1)`: no negative-index wrap, and the loop vectorizes (its bounds
/// checks are gone from the loop).
#[test]
fn range_index_has_no_wrap_and_vectorizes() {
    let ir = optimized(DIFF);
    assert_eq!(wraps(&ir), Vec::<String>::new(), "a negative-index wrap is left:\n{ir}");
    assert!(ir.contains("x double>"), "the loop does not vectorize:\n{ir}");
}

/// `a[i - 1]` at i = 0 is the last element: that index keeps its wrap (and `wraps` sees it).
#[test]
fn index_that_may_be_negative_keeps_its_wrap() {
    let ir = optimized(PREV);
    assert!(!wraps(&ir).is_empty(), "the wrap of a[i - 1] is gone:\n{ir}");
}

/// `j` runs from 0 in a first loop and from 1 in the second, whose own start counts in its body
/// (LLVM cannot prove `j - 1 >= 0` there itself: the loop runs in Ctrl-C chunks); and
/// `a[i, j] += ..` indexes with a tuple local: no wrap is left in either.
#[test]
fn own_start_and_tuple_index_have_no_wrap() {
    let src = "def f(a, b):\n    for j in range(a.shape[0]):\n        a[j] = 0.0\n    for j in range(1, a.shape[0]):\n        a[j] += b[j - 1]\n    return 0";
    let f64s = array(Dtype::Float64, 1);
    let ir = testing::llvm_ir(&testing::typed(src, &[f64s.clone(), f64s]).unwrap(), true);
    assert_eq!(wraps(&ir), Vec::<String>::new(), "a negative-index wrap is left:\n{ir}");
    let src = "def f(a, b):\n    for i in range(1, a.shape[0] - 1):\n        for j in range(1, a.shape[1] - 1):\n            a[i, j] += b[i - 1, j] + b[i + 1, j - 1]\n    return 0";
    let f64s = array(Dtype::Float64, 2);
    let ir = testing::llvm_ir(&testing::typed(src, &[f64s.clone(), f64s]).unwrap(), true);
    assert_eq!(wraps(&ir), Vec::<String>::new(), "a negative-index wrap is left:\n{ir}");
}
