//! `...` in an array's index, written as the indexing NumPy does with it before lowering:
//! `a[i, ...]` is `a[i]`, `a[...]` is `a[()]`, and `a[pre, ..., post]` indexes the last axes
//! with `post`, which is `b.T[reversed post].T` for `b = a[pre]` (the transposed view's first
//! axes are the last ones, in reverse order; transposing back restores the order of the axes
//! kept). A store through such an index (`a[..., lo:hi] = v`, stumpy's exclusion zone) stores
//! the value transposed (`$ellipsis_value(v)`, `hir::Intrinsic::EllipsisValue`): a number as it
//! is, an array of the target's number of axes reversed as the target is (one of fewer axes
//! would broadcast from the other end: a `CompileError`).

use crate::ast::{self, Expr, ExprKind as A, Stmt, StmtKind as S};
use crate::error::{CompileError, Result};

/// The items of an index (one unless it is a tuple).
fn items(index: &Expr) -> Vec<&Expr> {
    match &index.kind {
        A::Tuple(v) => v.iter().collect(),
        _ => vec![index],
    }
}

/// Whether `index` holds a `...` among its items.
fn has_ellipsis(index: &Expr) -> bool {
    items(index).iter().any(|e| matches!(e.kind, A::Ellipsis))
}

/// `value[index]` without its `...`: `(array, index, reversed)`, the array and index to take
/// it from; `reversed`: the result is that subscript's transpose (items after the `...`).
fn split(value: &Expr, index: &Expr) -> Result<(Expr, Expr, bool)> {
    let all = items(index);
    let at: Vec<usize> = all.iter().enumerate().filter(|(_, e)| matches!(e.kind, A::Ellipsis)).map(|(k, _)| k).collect();
    if at.len() > 1 {
        // NumPy's IndexError, at compile time.
        return Err(CompileError::typing("array index", "an index can only have a single ellipsis ('...')", index.span));
    }
    let k = at[0];
    let group = |xs: Vec<Expr>| match xs.len() {
        1 => xs.into_iter().next().expect("one item"),
        _ => Expr { kind: A::Tuple(xs), span: index.span },
    };
    let pre: Vec<Expr> = all[..k].iter().map(|e| (*e).clone()).collect();
    let post: Vec<Expr> = all[k + 1..].iter().rev().map(|e| (*e).clone()).collect();
    if post.is_empty() {
        return Ok((value.clone(), group(pre), false));
    }
    let base = if pre.is_empty() {
        value.clone()
    } else {
        Expr { kind: A::Subscript { value: Box::new(value.clone()), index: Box::new(group(pre)) }, span: value.span }
    };
    let transposed = Expr { kind: A::Attribute { value: Box::new(base), attr: "T".into() }, span: value.span };
    Ok((transposed, group(post), true))
}

/// The read `value[index]` written without its `...`, or `None` when the index has none.
pub(super) fn read(value: &Expr, index: &Expr, span: ast::Span) -> Result<Option<Expr>> {
    if !has_ellipsis(index) {
        return Ok(None);
    }
    let (array, index, reversed) = split(value, index)?;
    let sub = Expr { kind: A::Subscript { value: Box::new(array), index: Box::new(index) }, span };
    Ok(Some(if reversed { Expr { kind: A::Attribute { value: Box::new(sub), attr: "T".into() }, span } } else { sub }))
}

/// The name of the call that marks the value of a store through an index with items after its
/// `...` ([`crate::hir::Intrinsic::EllipsisValue`]); no Python name can be it.
pub(super) const ELLIPSIS_VALUE: &str = "$ellipsis_value";

/// `$ellipsis_value(v)`: the value of a store through an index with items after its `...`,
/// which the target, transposed, takes transposed too (a number or 0-d array as it is; an array
/// only of the target's number of axes, checked by inference).
fn number_only(v: &Expr) -> Expr {
    let func = Expr { kind: A::Name(ELLIPSIS_VALUE.into()), span: v.span };
    Expr { kind: A::Call { func: Box::new(func), args: vec![v.clone()], keywords: Vec::new() }, span: v.span }
}

/// The statement `s` written without the `...` of its subscript targets, or `None` when they
/// have none.
pub(super) fn statement(s: &Stmt) -> Result<Option<Stmt>> {
    let target = |t: &ast::Target| -> Result<Option<(ast::Target, bool)>> {
        let ast::Target::Subscript { value, index, span } = t else { return Ok(None) };
        if !has_ellipsis(index) {
            return Ok(None);
        }
        let (array, index, reversed) = split(value, index)?;
        Ok(Some((ast::Target::Subscript { value: Box::new(array), index: Box::new(index), span: *span }, reversed)))
    };
    match &s.kind {
        S::Assign { targets, value } => {
            let mut any = false;
            let mut reversed = false;
            let mut out = Vec::with_capacity(targets.len());
            for t in targets {
                match target(t)? {
                    Some((t, r)) => {
                        any = true;
                        reversed |= r;
                        out.push(t);
                    }
                    None => out.push(t.clone()),
                }
            }
            if !any {
                return Ok(None);
            }
            let value = if reversed { number_only(value) } else { value.clone() };
            Ok(Some(Stmt { kind: S::Assign { targets: out, value }, span: s.span }))
        }
        S::AugAssign { target: t, op, value } => match target(t)? {
            Some((t, reversed)) => {
                let value = if reversed { number_only(value) } else { value.clone() };
                Ok(Some(Stmt { kind: S::AugAssign { target: t, op: *op, value }, span: s.span }))
            }
            None => Ok(None),
        },
        _ => Ok(None),
    }
}
