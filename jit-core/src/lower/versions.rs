//! Gives a local each straight-line redefinition of it its own local, as Numba's SSA does:
//! `x = conv(x)` may bind `x` to a value of another type than before (a float32 array after a
//! float64 one, `a = a.reshape(n, -1)` another number of axes), which inference would otherwise
//! have to unify.
//!
//! Only assignments that are statements of the function's body itself (not inside a loop or an
//! `if`) start a new version: one such assignment of `x` runs before everything after it and
//! kills every earlier value of `x`, so the statements from it to the next one see only the
//! values assigned in between, whatever their nesting. The versions keep the local's name (messages
//! and dumps read the same); a local assigned once at the top level keeps its one id.

use crate::hir::{self, LocalId, StmtKind as S, Target};

/// Splits the locals of `f` at its top-level assignments (see the module comment).
pub(super) fn split(f: &mut hir::Function) {
    let n = f.locals.len();
    let mut defs = vec![0usize; n];
    for s in &f.body {
        if let S::Assign { targets, .. } = &s.kind {
            let mut ids = Vec::new();
            targets.iter().for_each(|t| target_locals(t, &mut ids));
            ids.sort_unstable();
            ids.dedup();
            for id in ids {
                defs[id as usize] += 1;
            }
        }
    }
    // A parameter's value is its first version; any other local's first assignment keeps its id.
    let mut seen: Vec<bool> = (0..n as LocalId).map(|i| f.params.contains(&i)).collect();
    if !(0..n).any(|i| defs[i] >= 2 || (defs[i] >= 1 && seen[i])) {
        return;
    }
    let mut current: Vec<LocalId> = (0..n as LocalId).collect();
    let locals = &mut f.locals;
    for s in f.body.iter_mut() {
        let S::Assign { targets, value } = &mut s.kind else {
            rename_stmt(s, &current);
            continue;
        };
        rename_expr(value, &current);
        for t in targets.iter_mut() {
            new_versions(t, &mut current, &mut seen, locals);
        }
    }
}

/// The locals a target assigns (directly or by unpacking).
fn target_locals(t: &Target, out: &mut Vec<LocalId>) {
    match t {
        Target::Local(id, _) => out.push(*id),
        Target::Tuple(ts, _) => ts.iter().for_each(|t| target_locals(t, out)),
        Target::Index { .. } => {}
    }
}

/// A top-level assignment's target: each local it assigns starts a new version (after its
/// first assignment); an element target reads the versions current when it is stored.
fn new_versions(t: &mut Target, current: &mut [LocalId], seen: &mut [bool], locals: &mut Vec<hir::Local>) {
    match t {
        Target::Local(id, _) => {
            let original = *id as usize;
            if std::mem::replace(&mut seen[original], true) {
                let fresh = locals.len() as LocalId;
                let mut version = locals[original].clone();
                version.checked = false;
                locals.push(version);
                current[original] = fresh;
            }
            *id = current[original];
        }
        Target::Tuple(ts, _) => ts.iter_mut().for_each(|t| new_versions(t, current, seen, locals)),
        Target::Index { array, index, .. } => {
            rename_expr(array, current);
            rename_expr(index, current);
        }
    }
}

fn rename_target(t: &mut Target, current: &[LocalId]) {
    match t {
        Target::Local(id, _) => *id = current[*id as usize],
        Target::Tuple(ts, _) => ts.iter_mut().for_each(|t| rename_target(t, current)),
        Target::Index { array, index, .. } => {
            rename_expr(array, current);
            rename_expr(index, current);
        }
    }
}

fn rename_block(stmts: &mut [hir::Stmt], current: &[LocalId]) {
    stmts.iter_mut().for_each(|s| rename_stmt(s, current));
}

/// Every read and assignment of a local in `s` (nested statements included) to its current
/// version.
fn rename_stmt(s: &mut hir::Stmt, current: &[LocalId]) {
    match &mut s.kind {
        S::Assign { targets, value } => {
            rename_expr(value, current);
            targets.iter_mut().for_each(|t| rename_target(t, current));
        }
        S::AugAssign { target, value, read, .. } => {
            *target = current[*target as usize];
            rename_expr(value, current);
            rename_expr(read, current);
        }
        S::AugAssignIndex { array, index, value, .. } => {
            rename_expr(array, current);
            rename_expr(index, current);
            rename_expr(value, current);
        }
        S::Expr(e) | S::Return(Some(e)) => rename_expr(e, current),
        S::Print { items, .. } => items.iter_mut().filter_map(hir::PrintItem::value_mut).for_each(|e| rename_expr(e, current)),
        S::If { test, body, orelse } | S::While { test, body, orelse } => {
            rename_expr(test, current);
            rename_block(body, current);
            rename_block(orelse, current);
        }
        S::ForRange { target, start, stop, step, body, orelse } => {
            rename_target(target, current);
            for e in [start, stop, step] {
                rename_expr(e, current);
            }
            rename_block(body, current);
            rename_block(orelse, current);
        }
        S::Try { body, handlers, orelse, finalbody } => {
            rename_block(body, current);
            handlers.iter_mut().for_each(|h| rename_block(&mut h.body, current));
            rename_block(orelse, current);
            rename_block(finalbody, current);
        }
        S::Return(None) | S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => {}
    }
}

fn rename_expr(e: &mut hir::Expr, current: &[LocalId]) {
    match &mut e.kind {
        hir::ExprKind::Local { id, .. } => *id = current[*id as usize],
        // `np.zeros(n, dtype=a.dtype)` reads the version of `a` current there.
        hir::ExprKind::New(n) => {
            if let Some(hir::DtypeArg::Local(id) | hir::DtypeArg::OfLocal(id)) = n.dtype_mut() {
                *id = current[*id as usize];
            }
        }
        _ => {}
    }
    for c in e.kind.children_mut() {
        rename_expr(c, current);
    }
}
