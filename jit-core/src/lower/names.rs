//! Name analysis for lowering: which names a function reads from its globals (the names that
//! are not its locals by Python's rule, [`crate::scope`]).

use std::collections::HashSet;

use crate::ast::{self, ExprKind as A, StmtKind as S};
use crate::scope::local_names;

/// The names the function reads that are not its own locals, in first-use order: the caller
/// looks these up in the function's globals and builtins to build [`Env::globals`].
pub fn global_names(f: &ast::FunctionDef) -> Vec<String> {
    let locals = local_names(f);
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let mut visit = |name: &str| {
        let base = name.split('.').next().unwrap_or(name);
        if !locals.contains(base) && seen.insert(name.to_string()) {
            out.push(name.to_string());
        }
    };
    fn walk_expr(e: &ast::Expr, visit: &mut dyn FnMut(&str)) {
        match &e.kind {
            A::Name(n) => visit(n),
            A::Attribute { value, attr } => {
                walk_expr(value, visit);
                // `m.f`, `m.G`: the caller resolves the attribute when `m` is a module.
                if let A::Name(m) = &value.kind {
                    visit(&format!("{m}.{attr}"))
                }
            }
            A::Binary { left, right, .. } => {
                walk_expr(left, visit);
                walk_expr(right, visit)
            }
            A::Unary { operand, .. } => walk_expr(operand, visit),
            A::BoolOp { values, .. } | A::Tuple(values) => values.iter().for_each(|v| walk_expr(v, visit)),
            A::Subscript { value, index } => {
                walk_expr(value, visit);
                walk_expr(index, visit)
            }
            A::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().for_each(|e| walk_expr(e, visit)),
            A::Compare { left, comparators, .. } => {
                walk_expr(left, visit);
                comparators.iter().for_each(|v| walk_expr(v, visit))
            }
            A::IfExp { test, body, orelse } => {
                walk_expr(test, visit);
                walk_expr(body, visit);
                walk_expr(orelse, visit)
            }
            A::Call { func, args, keywords } => {
                walk_expr(func, visit);
                args.iter().for_each(|v| walk_expr(v, visit));
                keywords.iter().for_each(|k| walk_expr(&k.value, visit))
            }
            A::Int(_) | A::UInt(_) | A::Float(_) | A::Bool(_) | A::None | A::Str(_) => {}
        }
    }
    fn walk_target(t: &ast::Target, visit: &mut dyn FnMut(&str)) {
        match t {
            ast::Target::Name(..) => {}
            ast::Target::Tuple(ts, _) => ts.iter().for_each(|t| walk_target(t, visit)),
            ast::Target::Subscript { value, index, .. } => {
                walk_expr(value, visit);
                walk_expr(index, visit)
            }
        }
    }
    fn walk(stmts: &[ast::Stmt], visit: &mut dyn FnMut(&str)) {
        for s in stmts {
            match &s.kind {
                S::Assign { targets, value } => {
                    walk_expr(value, visit);
                    targets.iter().for_each(|t| walk_target(t, visit))
                }
                S::AugAssign { target, value, .. } => {
                    walk_target(target, visit);
                    walk_expr(value, visit)
                }
                S::Expr(value) | S::Return(Some(value)) => walk_expr(value, visit),
                S::If { test, body, orelse } | S::While { test, body, orelse } => {
                    walk_expr(test, visit);
                    walk(body, visit);
                    walk(orelse, visit)
                }
                S::For { iter, body, orelse, .. } => {
                    walk_expr(iter, visit);
                    walk(body, visit);
                    walk(orelse, visit)
                }
                S::Return(None) | S::Break | S::Continue | S::Pass => {}
            }
        }
    }
    walk(&f.body, &mut visit);
    out
}
