//! Name analysis for lowering: which names a function reads from its globals (the names that
//! are not its locals by Python's rule, [`crate::scope`]).

use std::collections::HashSet;

use crate::ast::{self, ExprKind as A, StmtKind as S};
use crate::registry;
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
    fn walk_expr(e: &ast::Expr, locals: &HashSet<String>, visit: &mut dyn FnMut(&str)) {
        match &e.kind {
            A::Name(n) if locals.contains(n) => {}
            A::Name(n) => visit(n),
            A::Attribute { value, attr } => {
                walk_expr(value, locals, visit);
                // `m.f`, `m.G`: the caller resolves the attribute when `m` is a module; and
                // `m.sub.G` (`numba.config.NUMBA_NUM_THREADS`) when `m.sub` is one too.
                if let A::Name(m) = &value.kind {
                    visit(&format!("{m}.{attr}"))
                } else if let Some(chain) = dotted_chain(value).filter(|c| !locals.contains(c.split('.').next().unwrap_or(""))) {
                    visit(&format!("{chain}.{attr}"))
                }
            }
            A::Binary { left, right, .. } | A::In { item: left, container: right, .. } | A::Is { left, right, .. } => {
                walk_expr(left, locals, visit);
                walk_expr(right, locals, visit)
            }
            A::Unary { operand, .. } | A::IsNone { operand, .. } | A::Starred(operand) => walk_expr(operand, locals, visit),
            A::BoolOp { values, .. } | A::Tuple(values) | A::List(values) | A::Set(values) | A::FString { values, .. } => {
                values.iter().for_each(|v| walk_expr(v, locals, visit))
            }
            A::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
                walk_expr(k, locals, visit);
                walk_expr(v, locals, visit)
            }),
            A::Subscript { value, index } => {
                walk_expr(value, locals, visit);
                walk_expr(index, locals, visit)
            }
            A::Slice { lower, upper, step } => {
                [lower, upper, step].into_iter().flatten().for_each(|e| walk_expr(e, locals, visit))
            }
            A::Compare { left, comparators, .. } => {
                walk_expr(left, locals, visit);
                comparators.iter().for_each(|v| walk_expr(v, locals, visit))
            }
            A::IfExp { test, body, orelse } => {
                walk_expr(test, locals, visit);
                walk_expr(body, locals, visit);
                walk_expr(orelse, locals, visit)
            }
            A::Call { func, args, keywords } => {
                // `a.cumsum()`: a method the library implements is resolved as the global
                // `<ndarray>.cumsum` (a name no Python global can have); `np.where(c)` is
                // `c.nonzero()`. Whether `a` is an array is known only at inference.
                if let A::Attribute { value, attr } = &func.kind {
                    let on_local = match &value.kind {
                        A::Name(m) => locals.contains(m),
                        _ => true,
                    };
                    if on_local && registry::is_library_method(attr) {
                        visit(&registry::library_method_global(attr));
                    }
                    if !on_local && attr == "where" && args.len() == 1 {
                        visit(&registry::library_method_global("nonzero"));
                    }
                }
                walk_expr(func, locals, visit);
                args.iter().for_each(|v| walk_expr(v, locals, visit));
                keywords.iter().for_each(|k| walk_expr(&k.value, locals, visit))
            }
            A::ListComp { elt, value, generators, .. } => {
                // The first iterable is read in the enclosing scope; the targets are the
                // comprehension's own (CPython's scope rule), seen by what follows them.
                let mut inner = locals.clone();
                for (k, g) in generators.iter().enumerate() {
                    walk_expr(&g.iter, if k == 0 { locals } else { &inner }, visit);
                    crate::scope::target_names(&g.target, &mut inner);
                    g.ifs.iter().for_each(|c| walk_expr(c, &inner, visit));
                }
                if let Some(v) = value {
                    walk_expr(v, &inner, visit);
                }
                walk_expr(elt, &inner, visit)
            }
            // An inner function reads the globals of its parent: the names neither binds.
            A::Lambda(def) => walk_nested(def, locals, visit),
            A::Int(_) | A::UInt(_) | A::Float(_) | A::Imag(_) | A::Bool(_) | A::None | A::Ellipsis | A::Str(_) => {}
        }
    }
    fn walk_nested(def: &ast::FunctionDef, locals: &HashSet<String>, visit: &mut dyn FnMut(&str)) {
        let mut inner = locals.clone();
        inner.extend(local_names(def));
        walk(&def.body, &inner, visit)
    }
    fn walk_target(t: &ast::Target, locals: &HashSet<String>, visit: &mut dyn FnMut(&str)) {
        match t {
            ast::Target::Name(..) => {}
            ast::Target::Tuple(ts, _) => ts.iter().for_each(|t| walk_target(t, locals, visit)),
            ast::Target::Subscript { value, index, .. } => {
                walk_expr(value, locals, visit);
                walk_expr(index, locals, visit)
            }
        }
    }
    fn walk(stmts: &[ast::Stmt], locals: &HashSet<String>, visit: &mut dyn FnMut(&str)) {
        for s in stmts {
            match &s.kind {
                S::Assign { targets, value } => {
                    walk_expr(value, locals, visit);
                    targets.iter().for_each(|t| walk_target(t, locals, visit))
                }
                S::AugAssign { target, value, .. } => {
                    walk_target(target, locals, visit);
                    walk_expr(value, locals, visit)
                }
                S::Expr(value) | S::Return(Some(value)) => walk_expr(value, locals, visit),
                S::If { test, body, orelse } | S::While { test, body, orelse } => {
                    walk_expr(test, locals, visit);
                    walk(body, locals, visit);
                    walk(orelse, locals, visit)
                }
                S::For { iter, body, orelse, .. } => {
                    walk_expr(iter, locals, visit);
                    walk(body, locals, visit);
                    walk(orelse, locals, visit)
                }
                S::Assert { test, dynamic, .. } => {
                    walk_expr(test, locals, visit);
                    if let Some(d) = dynamic {
                        walk_expr(d, locals, visit)
                    }
                }
                S::Raise { class, dynamic, .. } => {
                    // The class: a builtin, or a user's exception class (a global).
                    if !locals.contains(class) {
                        visit(class)
                    }
                    if let Some(d) = dynamic {
                        walk_expr(d, locals, visit)
                    }
                }
                S::Try { body, handlers, orelse, finalbody } => {
                    walk(body, locals, visit);
                    for h in handlers {
                        walk(&h.body, locals, visit);
                    }
                    walk(orelse, locals, visit);
                    walk(finalbody, locals, visit)
                }
                S::FunctionDef(def) => walk_nested(def, locals, visit),
                S::Return(None) | S::Break | S::Continue | S::Pass | S::Reraise => {}
            }
        }
    }
    walk(&f.body, &locals, &mut visit);
    out
}

/// `a.b.c` of an attribute chain rooted at a name (`None` for anything else).
pub(super) fn dotted_chain(e: &ast::Expr) -> Option<String> {
    match &e.kind {
        A::Name(n) => Some(n.clone()),
        A::Attribute { value, attr } => dotted_chain(value).map(|c| format!("{c}.{attr}")),
        _ => None,
    }
}
