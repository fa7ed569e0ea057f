//! Python's scoping rule over the syntax tree: which names a function binds locally, in the
//! order they are first assigned (read by normalize and by lower).

use std::collections::HashSet;

use crate::ast::{self, Span, StmtKind as S};

/// Parameters and every name assigned anywhere in the body: Python's rule for what is local.
pub fn local_names(f: &ast::FunctionDef) -> HashSet<String> {
    let mut assigned = Vec::new();
    collect_assigned(&f.body, &mut assigned);
    f.params.iter().map(|p| p.name.clone()).chain(assigned.into_iter().map(|(n, _)| n)).collect()
}

/// The names a target binds, added to `out`.
pub fn target_names(t: &ast::Target, out: &mut HashSet<String>) {
    match t {
        ast::Target::Name(n, _) => {
            out.insert(n.clone());
        }
        ast::Target::Tuple(ts, _) => ts.iter().for_each(|t| target_names(t, out)),
        ast::Target::Subscript { .. } => {}
    }
}

/// The names assigned in `stmts` (targets of assignments and `for` loops), in first-assignment
/// order, with where each is first assigned.
pub fn collect_assigned(stmts: &[ast::Stmt], out: &mut Vec<(String, Span)>) {
    fn target(t: &ast::Target, out: &mut Vec<(String, Span)>) {
        match t {
            ast::Target::Name(n, s) => {
                if !out.iter().any(|(m, _)| m == n) {
                    out.push((n.clone(), *s))
                }
            }
            ast::Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, out)),
            ast::Target::Subscript { .. } => {}
        }
    }
    for s in stmts {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| target(t, out)),
            S::AugAssign { target: t, .. } => target(t, out),
            // `def inner(...)` binds `inner`.
            S::FunctionDef(f) => target(&ast::Target::Name(f.name.clone(), s.span), out),
            S::For { target: t, body, orelse, .. } => {
                target(t, out);
                collect_assigned(body, out);
                collect_assigned(orelse, out)
            }
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                collect_assigned(body, out);
                collect_assigned(orelse, out)
            }
            S::Try { body, handlers, orelse, finalbody } => {
                collect_assigned(body, out);
                handlers.iter().for_each(|h| collect_assigned(&h.body, out));
                collect_assigned(orelse, out);
                collect_assigned(finalbody, out)
            }
            _ => {}
        }
    }
}
