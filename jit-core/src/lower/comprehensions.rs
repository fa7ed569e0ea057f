//! Lowering of list comprehensions: `[elt for t in it if c]` becomes, just before the statement
//! that holds it, `$lcN = []; for t' in it: if c: $lcN.append(elt)` (written as syntax and
//! lowered as any loop), with the comprehension's targets renamed to locals of their own
//! (CPython gives a comprehension its own scope: `i` outside is not the `i` inside).

use std::collections::HashMap;

use super::Lowerer;
use crate::ast::{self, ExprKind as A, StmtKind as S};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};

impl Lowerer<'_> {
    /// Lowers every comprehension the statement `s` evaluates unconditionally into `out`
    /// (before `s`), and records which local holds each one's list.
    pub(super) fn hoist_comprehensions<'s>(&mut self, s: &'s ast::Stmt, out: &mut Vec<hir::Stmt>) -> Result<()> {
        let mut found = Vec::new();
        let target = |t: &'s ast::Target, found: &mut Vec<&'s ast::Expr>| {
            if let ast::Target::Subscript { value, index, .. } = t {
                find(value, found);
                find(index, found);
            }
        };
        match &s.kind {
            S::Assign { targets, value } => {
                find(value, &mut found);
                targets.iter().for_each(|t| target(t, &mut found));
            }
            S::AugAssign { target: t, value, .. } => {
                target(t, &mut found);
                find(value, &mut found);
            }
            S::Expr(e) | S::Return(Some(e)) | S::If { test: e, .. } | S::Assert { test: e, .. } => find(e, &mut found),
            S::For { iter: e, .. } => find_in_iterable(e, &mut found),
            _ => {}
        }
        // The iterators a `next(it)` earlier in the statement advances: a comprehension over one
        // of them, hoisted before the statement, would run before that `next`.
        let mut advanced: Vec<(&str, ast::Span)> = Vec::new();
        for e in found {
            if let A::Call { func, args, .. } = &e.kind {
                if matches!(self.callee(func), Ok(super::Callee::Intrinsic(hir::Intrinsic::Next))) {
                    if let Some(A::Name(n)) = args.first().map(|a| &a.kind) {
                        advanced.push((n, e.span));
                    }
                    continue;
                }
            }
            let hoisted = match &e.kind {
                A::ListComp { .. } => true,
                A::Call { func, args, .. } => {
                    matches!(self.callee(func), Ok(super::Callee::ListOf | super::Callee::Iterate(_)))
                        || (args.len() == 1 && matches!(self.callee(func), Ok(super::Callee::SetNew)))
                }
                _ => false,
            };
            if let Some((n, at)) = advanced.iter().find(|(n, _)| hoisted && mentions(e, n)) {
                return Err(CompileError::unsupported_because(
                    "next() before a comprehension over the same iterator",
                    format!(
                        "the comprehension (or list(), enumerate(), zip(), reversed()) is evaluated before the rest of its statement, so before the next({n}) at column {}: assign the next() on a line of its own first",
                        at.col
                    ),
                    e.span,
                ));
            }
            let id = match &e.kind {
                A::ListComp { kind, elt, value, generators } => {
                    self.comprehension(*kind, elt, value.as_deref(), generators, e.span, out)?
                }
                // `any(x > 0 for x in a)`, `all(...)` of the builtins: a loop that stops at the
                // answer.
                A::Call { func, args, .. } if self.short_circuit_builtin(func).is_some() => {
                    let any = self.short_circuit_builtin(func) == Some(true);
                    match &args[0].kind {
                        A::ListComp { kind: ast::CompKind::Generator, elt, generators, .. } => {
                            self.short_circuit(any, elt, generators, e.span, out)?
                        }
                        // `any(it)` of a list, tuple, array, range: `any(x for x in it)`.
                        _ => {
                            let item = ast::Expr { kind: A::Name("$item".into()), span: e.span };
                            let g = ast::Comprehension {
                                target: ast::Target::Name("$item".into(), e.span),
                                iter: args[0].clone(),
                                ifs: Vec::new(),
                            };
                            self.short_circuit(any, &item, &[g], e.span, out)?
                        }
                    }
                }
                // A call of another `any` or `all` (a jitted function of that name): its
                // argument's comprehensions, as any call's.
                A::Call { func, args, .. } if matches!(&func.kind, A::Name(n) if n == "any" || n == "all") => {
                    let mut inner = Vec::new();
                    args.iter().for_each(|a| find(a, &mut inner));
                    if !inner.is_empty() {
                        return Err(CompileError::unsupported_because(
                            "list comprehension",
                            "a comprehension in the argument of a function named any or all that is not the builtin: assign it to a variable first",
                            e.span,
                        ));
                    }
                    continue;
                }
                // `list(it)` is `[x for x in it]`; `list()` is `[]`.
                A::Call { func, args, keywords } if matches!(self.callee(func), Ok(super::Callee::ListOf)) => {
                    if let Some(k) = keywords.first() {
                        return Err(CompileError::unsupported_because(
                            "keyword argument to a builtin",
                            format!("'{}=' is not compiled for list()", k.name),
                            k.span,
                        ));
                    }
                    match args.as_slice() {
                        [] => self.comprehension_of(ast::CompKind::List, None, e.span, out)?,
                        [it] => self.comprehension_of(ast::CompKind::List, Some(it), e.span, out)?,
                        _ => {
                            return Err(CompileError::typing(
                                "call with wrong arguments",
                                format!("list expected at most 1 argument, got {}", args.len()),
                                e.span,
                            ))
                        }
                    }
                }
                // `enumerate(...)`, `zip(...)`, `reversed(...)` as a value: the list of its items,
                // which the value is an iterator over (`lower/iterators.rs`).
                A::Call { func, .. } if matches!(self.callee(func), Ok(super::Callee::Iterate(_))) => {
                    self.comprehension_of(ast::CompKind::List, Some(e), e.span, out)?
                }
                // `set(it)` is `{x for x in it}` (`set()` is an empty set literal).
                A::Call { func, args, keywords }
                    if args.len() == 1 && keywords.is_empty() && matches!(self.callee(func), Ok(super::Callee::SetNew)) =>
                {
                    self.comprehension_of(ast::CompKind::Set, Some(&args[0]), e.span, out)?
                }
                _ => continue,
            };
            self.comps.insert(e as *const ast::Expr as usize, id);
        }
        Ok(())
    }

    /// Each generator's `(target, iterable, conditions)` with its targets given fresh locals
    /// (`$c{n}.{k}.{name}`), used in everything after them (CPython gives a comprehension its
    /// own scope; the first iterable is read in the enclosing one); and the renaming.
    #[allow(clippy::type_complexity)]
    fn renamed_generators(
        &mut self,
        n: usize,
        generators: &[ast::Comprehension],
        span: ast::Span,
    ) -> (Vec<(ast::Target, ast::Expr, Vec<ast::Expr>)>, HashMap<String, String>) {
        let mut renames: HashMap<String, String> = HashMap::new();
        let mut loops = Vec::new();
        for (k, g) in generators.iter().enumerate() {
            let iter = if k == 0 { g.iter.clone() } else { rename_expr(&g.iter, &renames) };
            let mut bound = std::collections::HashSet::new();
            crate::scope::target_names(&g.target, &mut bound);
            for b in bound {
                let fresh = format!("$c{n}.{k}.{b}");
                self.local(&fresh, span);
                renames.insert(b, fresh);
            }
            let target = rename_target(&g.target, &renames);
            let ifs: Vec<ast::Expr> = g.ifs.iter().map(|c| rename_expr(c, &renames)).collect();
            loops.push((target, iter, ifs));
        }
        (loops, renames)
    }

    /// `Some(true)` when `func` is the builtin `any`, `Some(false)` for `all`.
    pub(super) fn short_circuit_builtin(&self, func: &ast::Expr) -> Option<bool> {
        let A::Name(n) = &func.kind else { return None };
        let builtin = !self.by_name.contains_key(n) && matches!(self.global(n), super::GlobalValue::Builtin(b) if b == n);
        match n.as_str() {
            "any" if builtin => Some(true),
            "all" if builtin => Some(false),
            _ => None,
        }
    }

    /// `any(elt for ... )` (`all` when `!any`): `$acN = False; for ...: if ...: if elt:
    /// $acN = True; break` (each enclosing loop left too once the answer is known), with the
    /// generators' targets renamed as a comprehension's. CPython's short circuit: no item
    /// after the answer is computed.
    fn short_circuit(
        &mut self,
        any: bool,
        elt: &ast::Expr,
        generators: &[ast::Comprehension],
        span: ast::Span,
        out: &mut Vec<hir::Stmt>,
    ) -> Result<hir::LocalId> {
        let n = self.locals.len();
        let acc_name = format!("$ac{n}");
        let acc = self.local(&acc_name, span);
        let name = || ast::Expr { kind: A::Name(acc_name.clone()), span };
        let (loops, renames) = self.renamed_generators(n, generators, span);
        let assign = |v: bool| ast::Stmt {
            kind: S::Assign {
                targets: vec![ast::Target::Name(acc_name.clone(), span)],
                value: ast::Expr { kind: A::Bool(v), span },
            },
            span,
        };
        let item = rename_expr(elt, &renames);
        let test =
            if any { item } else { ast::Expr { kind: A::Unary { op: crate::ast::UnaryOp::Not, operand: Box::new(item) }, span } };
        let found = ast::Stmt {
            kind: S::If { test, body: vec![assign(any), ast::Stmt { kind: S::Break, span }], orelse: Vec::new() },
            span,
        };
        // Leaves a loop once the answer is known (after an inner loop's `break`).
        let known = || {
            let test = if any {
                name()
            } else {
                ast::Expr { kind: A::Unary { op: crate::ast::UnaryOp::Not, operand: Box::new(name()) }, span }
            };
            ast::Stmt { kind: S::If { test, body: vec![ast::Stmt { kind: S::Break, span }], orelse: Vec::new() }, span }
        };
        let mut body = vec![found];
        let depth = loops.len();
        for (k, (target, iter, ifs)) in loops.into_iter().rev().enumerate() {
            for c in ifs.into_iter().rev() {
                body = vec![ast::Stmt { kind: S::If { test: c, body, orelse: Vec::new() }, span }];
            }
            let inner = ast::Stmt { kind: S::For { target, iter, body, orelse: Vec::new() }, span };
            body = if k + 1 < depth { vec![inner, known()] } else { vec![inner] };
        }
        body.insert(0, assign(!any));
        out.extend(self.block(&body)?);
        Ok(acc)
    }

    /// The local holding the list comprehension `e` made (hoisted before its statement).
    pub(super) fn comprehension_value(&mut self, e: &ast::Expr) -> Result<hir::ExprKind> {
        let what = match &e.kind {
            A::ListComp { kind: ast::CompKind::Set, .. } => "set comprehension",
            A::ListComp { kind: ast::CompKind::Dict, .. } => "dict comprehension",
            A::ListComp { kind: ast::CompKind::Generator, .. } => "generator expression",
            _ => "list comprehension",
        };
        match self.comps.remove(&(e as *const ast::Expr as usize)) {
            Some(id) => Ok(hir::ExprKind::Local { id, check_bound: false }),
            None => Err(CompileError::unsupported_because(
                what,
                format!(
                    "a {what} is compiled where it is always evaluated: not in a `while` condition, \
                     the branches of `x if c else y`, or after the first operand of `and`/`or`"
                ),
                e.span,
            )),
        }
    }

    /// `list(it)` as `[x for x in it]` (`list()`: `[]`).
    fn comprehension_of(
        &mut self,
        kind: ast::CompKind,
        it: Option<&ast::Expr>,
        span: ast::Span,
        out: &mut Vec<hir::Stmt>,
    ) -> Result<hir::LocalId> {
        let item = ast::Expr { kind: A::Name("$item".into()), span };
        let generators: Vec<ast::Comprehension> = it
            .map(|it| ast::Comprehension { target: ast::Target::Name("$item".into(), span), iter: it.clone(), ifs: Vec::new() })
            .into_iter()
            .collect();
        self.comprehension(kind, &item, None, &generators, span, out)
    }

    fn comprehension(
        &mut self,
        kind: ast::CompKind,
        elt: &ast::Expr,
        value: Option<&ast::Expr>,
        generators: &[ast::Comprehension],
        span: ast::Span,
        out: &mut Vec<hir::Stmt>,
    ) -> Result<hir::LocalId> {
        let n = self.locals.len();
        let acc_name = format!("$lc{n}");
        let acc = self.local(&acc_name, span);
        let name = |s: &str| ast::Expr { kind: A::Name(s.to_string()), span };
        let (loops, renames) = self.renamed_generators(n, generators, span);
        // `$lc.append(elt)`, `$lc.add(elt)` or `$lc[elt] = value`.
        let call = |method: &str| ast::Expr {
            kind: A::Call {
                func: Box::new(ast::Expr { kind: A::Attribute { value: Box::new(name(&acc_name)), attr: method.into() }, span }),
                args: vec![rename_expr(elt, &renames)],
                keywords: Vec::new(),
            },
            span: elt.span,
        };
        let put = match (kind, value) {
            (ast::CompKind::Dict, Some(v)) => S::Assign {
                targets: vec![ast::Target::Subscript {
                    value: Box::new(name(&acc_name)),
                    index: Box::new(rename_expr(elt, &renames)),
                    span: elt.span,
                }],
                value: rename_expr(v, &renames),
            },
            (ast::CompKind::Set, _) => S::Expr(call("add")),
            _ => S::Expr(call("append")),
        };
        let mut body = if generators.is_empty() { Vec::new() } else { vec![ast::Stmt { kind: put, span: elt.span }] };
        for (target, iter, ifs) in loops.into_iter().rev() {
            for c in ifs.into_iter().rev() {
                body = vec![ast::Stmt { kind: S::If { test: c, body, orelse: Vec::new() }, span }];
            }
            body = vec![ast::Stmt { kind: S::For { target, iter, body, orelse: Vec::new() }, span }];
        }
        let init = ast::Stmt {
            kind: S::Assign {
                targets: vec![ast::Target::Name(acc_name.clone(), span)],
                value: ast::Expr {
                    kind: match kind {
                        ast::CompKind::List | ast::CompKind::Generator => A::List(Vec::new()),
                        ast::CompKind::Set => A::Set(Vec::new()),
                        ast::CompKind::Dict => A::Dict(Vec::new()),
                    },
                    span,
                },
            },
            span,
        };
        body.insert(0, init);
        let mut stmts = self.block(&body)?;
        if matches!(kind, ast::CompKind::List | ast::CompKind::Generator) && generators.len() == 1 {
            self.reserve_before_loop(acc, &mut stmts);
        }
        out.extend(stmts);
        Ok(acc)
    }

    /// A list comprehension of one loop over a `range` (or over a list, which is lowered to
    /// one) whose bounds read nothing but locals, constants and `len` of a local: room for the
    /// range's items is made before the loop, and its append tests no capacity (so the loop
    /// calls nothing and keeps the list's length in a register).
    fn reserve_before_loop(&mut self, acc: hir::LocalId, stmts: &mut Vec<hir::Stmt>) {
        let Some(hir::Stmt { kind: hir::StmtKind::ForRange { start, stop, step, body, .. }, span }) = stmts.last_mut() else {
            return;
        };
        fn pure(e: &hir::Expr) -> bool {
            let local = |e: &hir::Expr| matches!(e.kind, H::Local { check_bound: false, .. });
            match &e.kind {
                H::Int(_) => true,
                H::Intrinsic { f: hir::Intrinsic::Len, args } => matches!(&args[..], [a] if local(a)),
                _ => local(e),
            }
        }
        /// The appends to `acc` in `stmts` (inside `if`s), made `AppendReserved` when `mark`.
        fn appends(stmts: &mut [hir::Stmt], acc: hir::LocalId, mark: bool) -> usize {
            let mut n = 0;
            for s in stmts {
                match &mut s.kind {
                    hir::StmtKind::Expr(hir::Expr { kind: H::ListMethod { method, list, .. }, .. }) if matches!(list.kind, H::Local { id, .. } if id == acc) =>
                    {
                        n += 1;
                        if mark && *method == hir::ListMethod::Append {
                            *method = hir::ListMethod::AppendReserved;
                        }
                    }
                    hir::StmtKind::If { body, orelse, .. } => n += appends(body, acc, mark) + appends(orelse, acc, mark),
                    _ => {}
                }
            }
            n
        }
        if ![&*start, &*stop, &*step].into_iter().all(pure) || appends(body, acc, false) != 1 {
            return;
        }
        appends(body, acc, true);
        let span = *span;
        let bounds = [start.clone(), stop.clone(), step.clone()];
        let args = bounds.iter().map(|e| self.copy_pure(e)).collect();
        let list = Box::new(self.mk(H::Local { id: acc, check_bound: false }, span));
        let reserve = self.mk(H::ListMethod { method: hir::ListMethod::Reserve, list, args, alt: None }, span);
        stmts.insert(stmts.len() - 1, hir::Stmt { kind: hir::StmtKind::Expr(reserve), span });
    }

    /// A copy of a constant, a local or `len` of a local, with expression ids of its own.
    fn copy_pure(&mut self, e: &hir::Expr) -> hir::Expr {
        let kind = match &e.kind {
            H::Intrinsic { f, args } => H::Intrinsic { f: *f, args: args.iter().map(|a| self.copy_pure(a)).collect() },
            k => k.clone(),
        };
        self.mk(kind, e.span)
    }
}

/// The comprehensions `e` evaluates whenever it is evaluated, outermost first (not those in
/// the lazy branches of `x if c else y` and `a and b`, nor those inside another comprehension,
/// which that one's loop evaluates).
pub(super) fn find<'e>(e: &'e ast::Expr, out: &mut Vec<&'e ast::Expr>) {
    match &e.kind {
        A::ListComp { .. } => out.push(e),
        A::IfExp { test, .. } => find(test, out),
        A::BoolOp { values, .. } => {
            if let Some(v) = values.first() {
                find(v, out)
            }
        }
        A::Attribute { value, .. } | A::Unary { operand: value, .. } | A::IsNone { operand: value, .. } | A::Starred(value) => {
            find(value, out)
        }
        A::Binary { left, right, .. }
        | A::Subscript { value: left, index: right }
        | A::In { item: left, container: right, .. }
        | A::Is { left, right, .. } => {
            find(left, out);
            find(right, out)
        }
        A::Compare { left, comparators, .. } => {
            find(left, out);
            comparators.iter().for_each(|c| find(c, out))
        }
        // `next(it, ...)` (the hoister checks it is the builtin's): after its arguments, for the
        // order of what it advances against the comprehensions after it.
        A::Call { func, args, keywords } if matches!(&func.kind, A::Name(n) if n == "next") => {
            args.iter().for_each(|a| find(a, out));
            keywords.iter().for_each(|k| find(&k.value, out));
            out.push(e)
        }
        // `any(<generator>)`, `all(...)`: the loop that answers them (its first iterable is
        // evaluated by that loop, as a comprehension's).
        A::Call { func, args, keywords }
            if matches!(&func.kind, A::Name(n) if n == "any" || n == "all") && args.len() == 1 && keywords.is_empty() =>
        {
            out.push(e)
        }
        // A call of `list` (or `List`, `stickyjit.typed`'s, imported by that name; the hoister
        // checks it is one of them): its argument is evaluated by the loop it becomes.
        A::Call { func, .. } if matches!(&func.kind, A::Name(n) if n == "list" || n == "List") => out.push(e),
        // `set(it)`, likewise (`set()` is a literal, not hoisted).
        A::Call { func, args, .. } if args.len() == 1 && matches!(&func.kind, A::Name(n) if n == "set") => out.push(e),
        // `enumerate`, `zip` or `reversed` as a value (the hoister checks it is the builtin):
        // its arguments are evaluated by the loop that lists its items.
        A::Call { func, .. } if matches!(&func.kind, A::Name(n) if ITERATE.contains(&n.as_str())) => out.push(e),
        A::Call { func, args, keywords } => {
            find(func, out);
            args.iter().for_each(|a| find(a, out));
            keywords.iter().for_each(|k| find(&k.value, out))
        }
        A::Tuple(items) | A::List(items) | A::Set(items) | A::FString { values: items, .. } => {
            items.iter().for_each(|i| find(i, out))
        }
        A::Dict(pairs) => pairs.iter().for_each(|(k, v)| {
            find(k, out);
            find(v, out)
        }),
        A::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().for_each(|p| find(p, out)),
        // A lambda's body is evaluated when it is called, not here.
        A::Int(_)
        | A::UInt(_)
        | A::Float(_)
        | A::Imag(_)
        | A::Bool(_)
        | A::None
        | A::Ellipsis
        | A::Str(_)
        | A::Name(_)
        | A::Lambda(_) => {}
    }
}

/// Whether `e` reads the name `n` anywhere.
fn mentions(e: &ast::Expr, n: &str) -> bool {
    let probe: HashMap<String, String> = [(n.to_string(), "$probe".to_string())].into_iter().collect();
    rename_expr(e, &probe) != *e
}

/// The names of the builtins that wrap iterables (`registry::IterBuiltin`).
const ITERATE: [&str; 3] = ["enumerate", "zip", "reversed"];

/// [`find`] in a `for` loop's iterable: `enumerate`, `zip` and `reversed` there (and nested in
/// one another) are the loop's own, walked by position (`lower/iterate.rs`), not values.
fn find_in_iterable<'e>(e: &'e ast::Expr, out: &mut Vec<&'e ast::Expr>) {
    match &e.kind {
        A::Call { func, args, keywords } if matches!(&func.kind, A::Name(n) if ITERATE.contains(&n.as_str())) => {
            args.iter().for_each(|a| find_in_iterable(a, out));
            keywords.iter().for_each(|k| find(&k.value, out))
        }
        _ => find(e, out),
    }
}

fn rename_target(t: &ast::Target, r: &HashMap<String, String>) -> ast::Target {
    match t {
        ast::Target::Name(n, s) => ast::Target::Name(r.get(n).cloned().unwrap_or_else(|| n.clone()), *s),
        ast::Target::Tuple(ts, s) => ast::Target::Tuple(ts.iter().map(|t| rename_target(t, r)).collect(), *s),
        ast::Target::Subscript { value, index, span } => {
            ast::Target::Subscript { value: Box::new(rename_expr(value, r)), index: Box::new(rename_expr(index, r)), span: *span }
        }
    }
}

/// `e` with the names in `r` renamed (a nested comprehension's own targets are renamed with
/// everything else, consistently, and renamed again to fresh locals when it is lowered).
fn rename_expr(e: &ast::Expr, r: &HashMap<String, String>) -> ast::Expr {
    let mut e = e.clone();
    rename_in(&mut e, r);
    e
}

fn rename_in(e: &mut ast::Expr, r: &HashMap<String, String>) {
    let boxed = |b: &mut Box<ast::Expr>| rename_in(b, r);
    match &mut e.kind {
        A::Name(n) => {
            if let Some(m) = r.get(n) {
                *n = m.clone();
            }
        }
        A::Attribute { value, .. } | A::Unary { operand: value, .. } | A::IsNone { operand: value, .. } | A::Starred(value) => {
            boxed(value)
        }
        A::Binary { left, right, .. }
        | A::Subscript { value: left, index: right }
        | A::In { item: left, container: right, .. }
        | A::Is { left, right, .. } => {
            rename_in(left, r);
            rename_in(right, r)
        }
        A::BoolOp { values, .. } | A::Tuple(values) | A::List(values) | A::Set(values) | A::FString { values, .. } => {
            values.iter_mut().for_each(|v| rename_in(v, r))
        }
        A::Dict(pairs) => pairs.iter_mut().for_each(|(k, v)| {
            rename_in(k, r);
            rename_in(v, r)
        }),
        A::Compare { left, comparators, .. } => {
            rename_in(left, r);
            comparators.iter_mut().for_each(|c| rename_in(c, r))
        }
        A::IfExp { test, body, orelse } => {
            rename_in(test, r);
            rename_in(body, r);
            rename_in(orelse, r)
        }
        A::Call { func, args, keywords } => {
            rename_in(func, r);
            args.iter_mut().for_each(|a| rename_in(a, r));
            keywords.iter_mut().for_each(|k| rename_in(&mut k.value, r))
        }
        A::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().for_each(|p| rename_in(p, r)),
        A::ListComp { elt, value, generators, .. } => {
            rename_in(elt, r);
            if let Some(v) = value {
                rename_in(v, r);
            }
            for g in generators {
                g.target = rename_target(&g.target, r);
                rename_in(&mut g.iter, r);
                g.ifs.iter_mut().for_each(|c| rename_in(c, r));
            }
        }
        // A lambda's body: the names it does not bind itself (its parameters shadow).
        A::Lambda(def) => {
            let mut inner = r.clone();
            def.params.iter().for_each(|p| {
                inner.remove(&p.name);
            });
            for s in &mut def.body {
                if let ast::StmtKind::Return(Some(v)) = &mut s.kind {
                    rename_in(v, &inner)
                }
            }
        }
        A::Int(_) | A::UInt(_) | A::Float(_) | A::Imag(_) | A::Bool(_) | A::None | A::Ellipsis | A::Str(_) => {}
    }
}
