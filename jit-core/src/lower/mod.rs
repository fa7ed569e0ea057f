//! Lower stage: [`ast::FunctionDef`] + the values of its globals → [`hir::Function`].
//!
//! Resolves every name (local, frozen global constant, `math` member, builtin, jitted function),
//! binds call arguments to parameters, and checks that no local is read before any assignment
//! can reach it (reads that only *some* paths leave unassigned get a runtime check).

use std::collections::HashMap;

use crate::ast::{self, ExprKind as A, Span, StmtKind as S};
use crate::error::{CompileError, Result};

mod callees;
mod calls;
mod closures;
mod comprehensions;
mod ellipsis;
mod env;
mod exceptions;
mod function_values;
mod generator;
mod globals;
mod iterate;
mod iterators;
mod known;
mod named_tuples;
mod names;
mod numpy;
mod numpy_info;
mod omitted;
mod pointers;
mod random;
mod ranges;
mod strings;
mod ufunc_methods;
mod versions;
use crate::hir::{self, ExprKind as H, Intrinsic, LocalId};
use crate::registry;
use crate::scope::collect_assigned;
use callees::Callee;
pub use closures::{lower_unit, lower_with_nested};
pub use env::{ConstValue, Env, GlobalValue};
pub use names::global_names;

pub fn lower(f: &ast::FunctionDef, env: &Env) -> Result<hir::Function> {
    lower_unit(&[(f, env)], 0)
}

/// Lowers every function of a program: `units[0]` is the function called from Python, the
/// others the jitted functions it reaches ([`GlobalValue::Jitted`] indexes this list). On error,
/// also says which unit it is in (its span is in that unit's file).
pub fn lower_program(units: &[(&ast::FunctionDef, &Env)]) -> std::result::Result<Vec<hir::Function>, (usize, CompileError)> {
    (0..units.len()).map(|i| lower_unit(units, i).map_err(|e| (i, e))).collect()
}

/// Lowers `units[unit]`; the inner functions it defines go into `nested`.
fn lower_unit_in(units: &[(&ast::FunctionDef, &Env)], unit: usize, nested: closures::NestedTable) -> Result<hir::Function> {
    let (f, env) = units[unit];
    let mut l = Lowerer {
        env,
        units,
        unit: unit as u32,
        locals: Vec::new(),
        by_name: HashMap::new(),
        next_expr: 0,
        allocates: false,
        comps: HashMap::new(),
        array_form: false,
        record_form: false,
        ufuncs: Vec::new(),
        named: Vec::new(),
        arrays: Vec::new(),
        c_functions: Vec::new(),
        prange: Vec::new(),
        handlers: 0,
        caught: Vec::new(),
        nested,
    };
    for p in &f.params {
        l.local(&p.name, p.span);
    }
    // Locals in first-assignment order, so that ids are stable under renaming.
    let mut names: Vec<(String, Span)> = Vec::new();
    collect_assigned(&f.body, &mut names);
    for (n, s) in names {
        l.local(&n, s);
    }
    // An omitted argument: the parameter is its default from the start, as a constant.
    let mut body = Vec::new();
    for (i, p) in f.params.iter().enumerate() {
        if let (Some(true), Some(Some(c))) = (env.omitted.get(i), env.defaults.get(i)) {
            let value = l.const_value(c, p.span);
            let kind = hir::StmtKind::Assign { targets: vec![hir::Target::Local(i as LocalId, p.span)], value };
            body.push(hir::Stmt { kind, span: p.span });
        }
    }
    body.extend(l.block(&f.body)?);
    // `if p is None: p = ...` of a parameter whose default is None (`omitted.rs`).
    let none: Vec<LocalId> = (0..f.params.len())
        .filter(|&i| matches!(env.defaults.get(i), Some(Some(ConstValue::None))))
        .map(|i| i as LocalId)
        .collect();
    if !none.is_empty() {
        body = l.fill_in_none_parameters(body, &none);
    }
    let mut f = hir::Function {
        name: f.name.clone(),
        filename: env.filename.clone(),
        params: (0..f.params.len() as u32).collect(),
        vararg: f.vararg,
        defaults: env.defaults.clone(),
        locals: l.locals,
        body,
        n_exprs: l.next_expr,
        allocates: l.allocates,
        strict_math: env.strict_math,
        error_model: env.error_model,
        ufuncs: l.ufuncs,
        named: l.named,
        arrays: l.arrays,
        c_functions: l.c_functions,
        prange: l.prange,
        parallel: env.parallel,
        declared: Vec::new(),
        ret_dtype: env.ret_dtype,
        known: Vec::new(),
        span: f.span,
    };
    versions::split(&mut f);
    f.known = known::constant_definitions(&f);
    // A declared name holds its type in every version of the variable.
    f.declared = (0..f.locals.len() as LocalId)
        .filter_map(|id| env.declared.iter().find(|(n, _)| *n == f.locals[id as usize].name).map(|&(_, d)| (id, d)))
        .collect();
    Ok(f)
}

struct Lowerer<'a> {
    env: &'a Env,
    /// The whole program (for binding the arguments of calls to the other functions).
    units: &'a [(&'a ast::FunctionDef, &'a Env)],
    /// The index in `units` of the function being lowered.
    unit: u32,
    /// Some expression makes a new array.
    allocates: bool,
    locals: Vec<hir::Local>,
    by_name: HashMap<String, LocalId>,
    next_expr: u32,
    /// The local holding each list comprehension's list, by the comprehension's address in
    /// the syntax tree (hoisted before its statement: `comprehensions.rs`).
    comps: HashMap<usize, LocalId>,
    /// A method call is being lowered as an array's (the `alt` of a list method).
    array_form: bool,
    /// Lowering the call a `MethodOr` holds first (no second wrapping).
    record_form: bool,
    /// The `@vectorize` objects called ([`hir::Function::ufuncs`]).
    ufuncs: Vec<hir::Ufunc>,
    /// The namedtuple classes called ([`hir::Function::named`]).
    named: Vec<std::sync::Arc<crate::types::TupleNames>>,
    /// The frozen array globals read ([`hir::Function::arrays`]).
    arrays: Vec<std::sync::Arc<hir::FrozenArray>>,
    /// The C functions by address it calls (`hir::Function::c_functions`).
    c_functions: Vec<hir::CFunction>,
    /// The spans of the `for` loops over `prange` ([`hir::Function::prange`]).
    prange: Vec<Span>,
    /// How many `except` clauses enclose the statement being lowered (a bare `raise` needs one).
    handlers: usize,
    /// The names `except ... as name` clauses enclosing the statement bind (`raise name`
    /// raises the caught exception again).
    caught: Vec<String>,
    /// The inner functions of the program (`closures.rs`).
    nested: closures::NestedTable,
}

impl<'a> Lowerer<'a> {
    fn local(&mut self, name: &str, span: Span) -> LocalId {
        if let Some(&id) = self.by_name.get(name) {
            return id;
        }
        let id = self.locals.len() as LocalId;
        self.locals.push(hir::Local { name: name.to_string(), span, checked: false, index_temp: false });
        self.by_name.insert(name.to_string(), id);
        id
    }

    fn mk(&mut self, kind: H, span: Span) -> hir::Expr {
        let id = self.next_expr;
        self.next_expr += 1;
        hir::Expr { id, kind, span }
    }

    fn global(&self, name: &str) -> &GlobalValue {
        self.env.globals.get(name).unwrap_or(&GlobalValue::Undefined)
    }

    /// Whether the name `m` is the global module `cmath`.
    fn is_cmath(&self, m: &str) -> bool {
        !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(x) if x == "cmath")
    }

    /// `m.attr` where `m` is a global module other than `math` or `cmath`: the value the caller resolved
    /// for the attribute (as the global named `"m.attr"`).
    fn dotted(&self, m: &str, attr: &str) -> Option<&GlobalValue> {
        if self.by_name.contains_key(m) {
            return None;
        }
        match self.global(m) {
            GlobalValue::Module(x) if x != "math" && x != "cmath" => self.env.globals.get(&format!("{m}.{attr}")),
            // `Color.RED`: a member of an Enum class.
            GlobalValue::EnumClass(_) => self.env.globals.get(&format!("{m}.{attr}")),
            _ => None,
        }
    }

    /// `m.sub.G` (`value` the chain `m.sub`, `attr` `G`) when the caller resolved it: a global
    /// reached through modules, `m` not a local.
    fn deep_dotted(&self, value: &ast::Expr, attr: &str) -> Option<String> {
        let chain = names::dotted_chain(value)?;
        if self.by_name.contains_key(chain.split('.').next().unwrap_or("")) {
            return None;
        }
        let full = format!("{chain}.{attr}");
        self.env.globals.contains_key(&full).then_some(full)
    }

    fn block(&mut self, stmts: &[ast::Stmt]) -> Result<Vec<hir::Stmt>> {
        let mut out = Vec::with_capacity(stmts.len());
        for s in stmts {
            // A `...` in a subscript target: the statement written without it.
            let rewritten = ellipsis::statement(s)?;
            let s = rewritten.as_ref().unwrap_or(s);
            self.hoist_comprehensions(s, &mut out)?;
            match &s.kind {
                S::For { target, iter, body, orelse } if !self.is_range_call(iter) => {
                    out.extend(self.for_each(target, iter, body, orelse, s.span)?)
                }
                S::AugAssign { target: ast::Target::Subscript { value, index, .. }, op, value: rhs } => {
                    out.extend(self.aug_assign_index(value, index, *op, rhs, s.span)?)
                }
                S::Raise { class, dynamic: Some(message), .. } => out.extend(self.raise_dynamic(class, message, s.span)?),
                _ => out.push(self.stmt(s)?),
            }
        }
        Ok(out)
    }

    /// Whether `func` names `stickyjit.prange` (a global, or an attribute of a module global).
    fn is_prange(&self, func: &ast::Expr) -> bool {
        let v = match &func.kind {
            A::Name(n) if !self.by_name.contains_key(n) => Some(self.global(n)),
            A::Attribute { value, attr } => match &value.kind {
                A::Name(m) => self.dotted(m, attr),
                _ => None,
            },
            _ => None,
        };
        matches!(v, Some(GlobalValue::Builtin(b)) if b == "prange")
    }

    fn is_range_call(&self, e: &ast::Expr) -> bool {
        matches!(&e.kind, A::Call { func, .. } if matches!(self.callee(func), Ok(Callee::Range)))
    }

    fn target(&mut self, t: &ast::Target) -> Result<hir::Target> {
        Ok(match t {
            ast::Target::Name(n, s) => hir::Target::Local(self.by_name[n], *s),
            ast::Target::Tuple(ts, s) => hir::Target::Tuple(ts.iter().map(|t| self.target(t)).collect::<Result<_>>()?, *s),
            ast::Target::Subscript { value, index, span } => {
                hir::Target::Index { array: Box::new(self.expr(value)?), index: Box::new(self.expr(index)?), span: *span }
            }
        })
    }

    /// `a[i] op= v` as `$aN = a; $iN = i; $aN[$iN] op= v` (`a` and `i` evaluated once, before
    /// the element is read and `v` evaluated, as CPython does; a plain name `a` needs no copy).
    fn aug_assign_index(
        &mut self,
        value: &ast::Expr,
        index: &ast::Expr,
        op: ast::BinOp,
        rhs: &ast::Expr,
        span: Span,
    ) -> Result<Vec<hir::Stmt>> {
        // A slice in the index (`a[1:] *= 2`, `C[i, :i + 1] *= beta`) makes a view, which is not a
        // value a local can hold: the index stays in the statement, and codegen evaluates it
        // once, before `v`.
        // An index written out of names and integers alone (`Sigma[k, E, a] += x`) stays in the
        // statement too, so that fewer indices than axes make a view (it needs no temporary:
        // nothing in `v` can rebind a name).
        let is_slice = |e: &ast::Expr| matches!(e.kind, ast::ExprKind::Slice { .. });
        let simple = |e: &ast::Expr| matches!(e.kind, ast::ExprKind::Name(_) | ast::ExprKind::Int(_));
        let view = match &index.kind {
            ast::ExprKind::Tuple(items) => items.iter().any(is_slice) || items.iter().all(simple),
            _ => is_slice(index),
        };
        let n = self.locals.len();
        if view {
            let (array, index, value) = (self.expr(value)?, self.expr(index)?, self.expr(rhs)?);
            return Ok(vec![hir::Stmt { kind: hir::StmtKind::AugAssignIndex { array, index, op, value }, span }]);
        }
        let idx = self.local(&format!("$i{n}"), index.span);
        self.locals[idx as usize].index_temp = true;
        let (av, iv) = (self.expr(value)?, self.expr(index)?);
        let assign = |l: LocalId, v: hir::Expr, sp: Span| hir::Stmt {
            kind: hir::StmtKind::Assign { targets: vec![hir::Target::Local(l, sp)], value: v },
            span,
        };
        // A plain name is read in place: nothing in `i` or `v` can rebind it, and a parameter
        // used as an array then keeps its name for the argument's TypeError.
        let (mut out, array) = if matches!(value.kind, ast::ExprKind::Name(_)) {
            (vec![], av)
        } else {
            let arr = self.local(&format!("$a{n}"), value.span);
            (vec![assign(arr, av, value.span)], self.mk(H::Local { id: arr, check_bound: false }, value.span))
        };
        out.push(assign(idx, iv, index.span));
        let index = self.mk(H::Local { id: idx, check_bound: false }, index.span);
        let value = self.expr(rhs)?;
        out.push(hir::Stmt { kind: hir::StmtKind::AugAssignIndex { array, index, op, value }, span });
        Ok(out)
    }

    fn stmt(&mut self, s: &ast::Stmt) -> Result<hir::Stmt> {
        let kind = match &s.kind {
            S::FunctionDef(def) => self.nested_def(def, s.span)?,
            S::Assign { targets, value: v } => {
                let value = if numpy::sequence_into_slice(targets, v) {
                    // `v[:-1] = (a, b)`: the numbers stored as the array NumPy makes of them.
                    self.array_of_display(v)?
                } else {
                    self.expr(v)?
                };
                hir::StmtKind::Assign { targets: targets.iter().map(|t| self.target(t)).collect::<Result<_>>()?, value }
            }
            S::AugAssign { target, op, value } => {
                let ast::Target::Name(n, tspan) = target else {
                    return Err(CompileError::unsupported("augmented assignment to a tuple", s.span));
                };
                let id = self.by_name[n];
                let read = Box::new(self.mk(H::Local { id, check_bound: false }, *tspan));
                hir::StmtKind::AugAssign { target: id, op: *op, value: self.expr(value)?, read }
            }
            S::Expr(e) => self.expr_stmt(e)?,
            S::Raise { class, called: false, .. } if self.caught.last() == Some(class) => hir::StmtKind::Reraise,
            S::Raise { class, message, .. } => self.raise(class, message, s.span)?,
            S::Reraise if self.handlers == 0 => {
                return Err(CompileError::unsupported_because(
                    "bare raise",
                    "a bare 'raise' re-raises the exception an 'except' clause is handling; outside one there is none",
                    s.span,
                ))
            }
            S::Reraise => hir::StmtKind::Reraise,
            S::Try { body, handlers, orelse, finalbody } => self.try_stmt(body, handlers, orelse, finalbody)?,
            S::Assert { test, message, dynamic } => self.assert(test, message, dynamic, s.span)?,
            S::If { test, body, orelse } => {
                hir::StmtKind::If { test: self.expr(test)?, body: self.block(body)?, orelse: self.block(orelse)? }
            }
            S::While { test, body, orelse } => {
                hir::StmtKind::While { test: self.expr(test)?, body: self.block(body)?, orelse: self.block(orelse)? }
            }
            S::For { target, iter, body, orelse } => {
                let A::Call { func, args, keywords } = &iter.kind else {
                    return Err(CompileError::unsupported_because(
                        "for loop over a non-range iterable",
                        "only `for x in range(...)` is compiled",
                        iter.span,
                    ));
                };
                if !matches!(self.callee(func)?, Callee::Range) {
                    return Err(CompileError::unsupported_because(
                        "for loop over a non-range iterable",
                        "only `for x in range(...)` is compiled",
                        iter.span,
                    ));
                }
                if let Some(k) = keywords.first() {
                    return Err(CompileError::unsupported("keyword argument to range()", k.span));
                }
                if self.is_prange(func) {
                    self.prange.push(s.span);
                }
                let mut a: Vec<hir::Expr> = args.iter().map(|e| self.expr(e)).collect::<Result<_>>()?;
                let (start, stop, step) = match a.len() {
                    1 => (self.mk(H::Int(0), iter.span), a.pop().unwrap(), self.mk(H::Int(1), iter.span)),
                    2 => {
                        let stop = a.pop().unwrap();
                        (a.pop().unwrap(), stop, self.mk(H::Int(1), iter.span))
                    }
                    3 => {
                        let step = a.pop().unwrap();
                        let stop = a.pop().unwrap();
                        (a.pop().unwrap(), stop, step)
                    }
                    n => {
                        return Err(CompileError::typing(
                            "range() call",
                            format!("range expected 1 to 3 arguments, got {n}"),
                            iter.span,
                        ))
                    }
                };
                hir::StmtKind::ForRange {
                    target: self.target(target)?,
                    start,
                    stop,
                    step,
                    body: self.block(body)?,
                    orelse: self.block(orelse)?,
                }
            }
            S::Return(v) => hir::StmtKind::Return(v.as_ref().map(|v| self.expr(v)).transpose()?),
            S::Break => hir::StmtKind::Break,
            S::Continue => hir::StmtKind::Continue,
            S::Pass => hir::StmtKind::Pass,
        };
        Ok(hir::Stmt { kind, span: s.span })
    }

    fn exprs(&mut self, es: &[ast::Expr]) -> Result<Vec<hir::Expr>> {
        es.iter().map(|e| self.expr(e)).collect()
    }

    fn expr(&mut self, e: &ast::Expr) -> Result<hir::Expr> {
        let span = e.span;
        if let A::Subscript { value, index } = &e.kind {
            if let Some(written) = ellipsis::read(value, index, span)? {
                return self.expr(&written);
            }
        }
        let kind = match &e.kind {
            A::Int(i) => H::Int(*i),
            A::UInt(u) => H::UInt(*u),
            A::Float(f) => H::Float(*f),
            A::Imag(f) => H::Complex(0.0, *f),
            A::Bool(b) => H::Bool(*b),
            A::None => H::None,
            A::Ellipsis => return Err(CompileError::unsupported_because("Ellipsis", "'...' is compiled as an item of an array's index (a[..., 0])", span)),
            A::Str(s) => {
                self.allocates = true;
                H::Str(s.clone())
            }
            A::FString { texts, values, formats } => {
                self.allocates = true;
                H::FString { texts: texts.clone(), values: self.exprs(values)?, formats: formats.clone() }
            }
            A::Lambda(def) => return self.inner_function(def, span),
            A::Name(n) => match self.by_name.get(n) {
                Some(&id) => H::Local { id, check_bound: false },
                None => return self.global_value(n, span),
            },
            A::Attribute { value, attr } => return self.attribute(value, attr, span),
            A::Binary { op: ast::BinOp::Mod, left, right } if matches!(left.kind, A::Str(_)) => {
                let A::Str(text) = &left.kind else { unreachable!("matched above") };
                self.percent_format(text, right, span)?
            }
            A::Binary { op, left, right } => {
                H::Binary { op: *op, left: Box::new(self.expr(left)?), right: Box::new(self.expr(right)?) }
            }
            A::Unary { op, operand } => H::Unary { op: *op, operand: Box::new(self.expr(operand)?) },
            // Only a call of a jitted function takes `*t` (`call_value`, `starred_call`).
            A::Starred(_) => {
                return Err(CompileError::unsupported_because(
                    "*args",
                    "`*t` is compiled among the arguments of a call of a jitted function (or of a function passed as a value), not of a builtin or a NumPy function",
                    span,
                ))
            }
            A::BoolOp { op, values } => H::BoolOp { op: *op, values: self.exprs(values)? },
            A::Is { left, right, negated } => {
                H::Intrinsic { f: hir::Intrinsic::Is { negated: *negated }, args: vec![self.expr(left)?, self.expr(right)?] }
            }
            A::IsNone { operand, negated } => {
                H::Intrinsic { f: hir::Intrinsic::IsNone { negated: *negated }, args: vec![self.expr(operand)?] }
            }
            A::Compare { left, ops, comparators } => {
                H::Compare { left: Box::new(self.expr(left)?), ops: ops.clone(), comparators: self.exprs(comparators)? }
            }
            A::IfExp { test, body, orelse } => H::IfExp {
                test: Box::new(self.expr(test)?),
                body: Box::new(self.expr(body)?),
                orelse: Box::new(self.expr(orelse)?),
            },
            A::Tuple(items) => H::Tuple(self.exprs(items)?),
            A::List(items) => {
                self.allocates = true;
                H::List(self.exprs(items)?)
            }
            A::Dict(pairs) => {
                self.allocates = true;
                let mut out = Vec::with_capacity(pairs.len());
                for (k, v) in pairs {
                    out.push((self.expr(k)?, self.expr(v)?));
                }
                H::Dict(out)
            }
            A::Set(items) => {
                self.allocates = true;
                H::Set(self.exprs(items)?)
            }
            A::ListComp { .. } => self.comprehension_value(e)?,
            A::In { item, container, negated } => {
                let contains = H::ListMethod {
                    method: hir::ListMethod::Contains,
                    list: Box::new(self.expr(container)?),
                    args: vec![self.expr(item)?],
                    alt: None,
                };
                if !*negated {
                    contains
                } else {
                    let inner = self.mk(contains, span);
                    H::Unary { op: ast::UnaryOp::Not, operand: Box::new(inner) }
                }
            }
            A::Subscript { value, index } => {
                H::Subscript { value: Box::new(self.expr(value)?), index: Box::new(self.expr(index)?) }
            }
            A::Slice { lower, upper, step } => {
                let mut part = |e: &Option<Box<ast::Expr>>| e.as_ref().map(|e| self.expr(e).map(Box::new)).transpose();
                H::Slice { lower: part(lower)?, upper: part(upper)?, step: part(step)? }
            }
            A::Call { func, .. } if matches!(self.callee(func), Ok(Callee::ListOf)) => self.comprehension_value(e)?,
            // `any(...)`, `all(...)` of a generator expression, answered by a hoisted loop.
            A::Call { func, .. }
                if self.short_circuit_builtin(func).is_some() && self.comps.contains_key(&(e as *const ast::Expr as usize)) =>
            {
                self.comprehension_value(e)?
            }
            A::Call { func, args, keywords }
                if args.len() == 1 && keywords.is_empty() && matches!(self.callee(func), Ok(Callee::SetNew)) =>
            {
                self.comprehension_value(e)?
            }
            A::Call { func, .. } if matches!(self.callee(func), Ok(Callee::Iterate(_))) => {
                let Ok(Callee::Iterate(f)) = self.callee(func) else { unreachable!("matched above") };
                self.iterate_value(e, f.name(), span)?
            }
            A::Call { func, args, keywords } => return self.call(func, args, keywords, span),
        };
        Ok(self.mk(kind, span))
    }

    /// A call: an array method (`a.copy()`, `a.sum()`), a new array, a reduction, a builtin,
    /// `math` or NumPy function, or another function of the program.
    fn call(&mut self, func: &ast::Expr, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<hir::Expr> {
        if let (A::Name(n), [v]) = (&func.kind, args) {
            if n == ellipsis::ELLIPSIS_VALUE {
                let kind = H::Intrinsic { f: Intrinsic::EllipsisValue, args: vec![self.expr(v)?] };
                return Ok(self.mk(kind, span));
            }
        }
        if let Some(kind) = self.record_method_call(func, args, keywords, span)? {
            return Ok(self.mk(kind, span));
        }
        if args.iter().any(|a| matches!(a.kind, A::Starred(_))) {
            if let Ok(Callee::Function(unit)) = self.callee(func) {
                let kind = self.starred_call(unit, args, keywords)?;
                return Ok(self.mk(kind, span));
            }
        }
        let kind = if let Some(kind) = self.ufunc_method_call(func, args, keywords, span)? {
            kind
        } else if let Some(text) = strings::format_receiver(func) {
            self.format_method(text, args, keywords, span)?
        } else if matches!(&func.kind, A::Name(n) if n == "format" && !self.by_name.contains_key(n) && matches!(self.global(n), GlobalValue::Builtin(_)))
        {
            self.format_builtin(args, span)?
        } else if let Some(kind) = self.random_call(func, args, keywords, span)? {
            kind
        } else if let Some(kind) = self.list_method_call(func, args, keywords, span)? {
            kind
        } else if let Some((value, m)) = self.array_method(func) {
            match m {
                registry::ArrayMethod::Reduce(r) => {
                    let axis = self.reduce_axis(r, args, 0, keywords, span)?;
                    if axis.is_some() {
                        self.allocates = true;
                    }
                    H::Reduce { f: r, value: Box::new(self.expr(value)?), axis }
                }
                registry::ArrayMethod::Dot => self.dot_method(value, args, keywords, span)?,
                registry::ArrayMethod::Conj => {
                    if !args.is_empty() || !keywords.is_empty() {
                        return Err(CompileError::typing("call with wrong arguments", ".conjugate() takes no arguments", span));
                    }
                    H::Intrinsic { f: Intrinsic::Np(hir::NpFn::Conj), args: vec![self.expr(value)?] }
                }
                m => self.array_function(m, Some(value), args, keywords, span)?,
            }
        } else if let Some(kind) = self.library_method(func, args, keywords, span)? {
            kind
        } else if let Some(kind) = self.linalg_call(func, args, keywords, span)? {
            kind
        } else if let Some(kind) = self.eye_with_dtype(func, args, keywords, span)? {
            kind
        } else {
            match self.callee(func)? {
                // `np.where(c)`: `c.nonzero()`.
                Callee::Intrinsic(Intrinsic::Np(hir::NpFn::Where)) if args.len() == 1 && keywords.is_empty() => {
                    self.library_call("nonzero", "np.where", args, keywords, span)?
                }
                Callee::Array(f) => self.array_function(registry::ArrayMethod::Array(f), None, args, keywords, span)?,
                Callee::Operator(_, name) if keywords.iter().any(|k| k.name == "out") => {
                    return self.with_out(func, args, keywords, span, &name);
                }
                // The output array given positionally: `np.multiply(z, z, z)`, `np.negative(a, o)`.
                Callee::Operator(op, _)
                    if keywords.is_empty()
                        && match op {
                            registry::OperatorFn::Binary(b) => {
                                args.len() == 3 && !matches!(b, crate::ast::BinOp::MatMul | crate::ast::BinOp::Dot)
                            }
                            registry::OperatorFn::Compare(_) => args.len() == 3,
                            registry::OperatorFn::Unary(_) => args.len() == 2,
                        } =>
                {
                    return self.with_positional_out(func, args, span);
                }
                Callee::Operator(op, name) => self.operator_call(op, &name, args, keywords, span)?,
                Callee::New(f) => {
                    self.allocates = true;
                    H::New(self.new_array(f, args, keywords, span)?)
                }
                Callee::Reduce(r) => {
                    if args.is_empty() {
                        return Err(CompileError::typing(
                            "call with wrong arguments",
                            format!("{}() takes {} here, 0 given", r.name(), r.arity().text),
                            span,
                        ));
                    }
                    let axis = self.reduce_axis(r, args, 1, keywords, span)?;
                    H::Reduce { f: r, value: Box::new(self.expr(&args[0])?), axis }
                }
                Callee::Range => self.range_value(args, keywords, span)?,
                Callee::Sum => {
                    if let Some(k) = keywords.first() {
                        return Err(CompileError::unsupported_because(
                            "keyword argument to a builtin",
                            format!("'{}=' is not compiled for sum()", k.name),
                            k.span,
                        ));
                    }
                    let [a] = args else {
                        return Err(CompileError::unsupported_because(
                            "call to sum()",
                            format!("sum() takes one array here (a start value is not compiled), {} arguments given", args.len()),
                            span,
                        ));
                    };
                    self.allocates = true;
                    H::Reduce { f: hir::Reduction::Sum, value: Box::new(self.expr(a)?), axis: Some(hir::Axis::Const(0)) }
                }
                Callee::Iter(_) => {
                    return Err(CompileError::unsupported_because(
                        "iterator outside a for loop",
                        "np.ndindex() and np.ndenumerate() are compiled only as the iterable of a for loop",
                        span,
                    ))
                }
                Callee::Sorted => self.sorted_call(args, keywords, span)?,
                Callee::Pow => {
                    let [a, b] = args else {
                        return Err(CompileError::typing(
                            "call with wrong arguments",
                            format!(
                                "pow() takes 2 arguments here (the 3-argument modular form is not compiled), {} given",
                                args.len()
                            ),
                            span,
                        ));
                    };
                    if let Some(k) = keywords.first() {
                        return Err(CompileError::unsupported_because(
                            "keyword argument to a builtin",
                            format!("'{}=' is not compiled for pow() (pass base and exp by position)", k.name),
                            k.span,
                        ));
                    }
                    H::Binary { op: ast::BinOp::Pow, left: Box::new(self.expr(a)?), right: Box::new(self.expr(b)?) }
                }
                Callee::ListOf => unreachable!("list(...) is lowered as a comprehension"),
                Callee::DictNew => {
                    if let Some(k) = keywords.first() {
                        return Err(CompileError::unsupported_because(
                            "keyword argument to a builtin",
                            format!("'{}=' is not compiled for dict() (a dict literal is)", k.name),
                            k.span,
                        ));
                    }
                    self.allocates = true;
                    H::Dict(Vec::new())
                }
                Callee::SetNew => {
                    if !args.is_empty() || !keywords.is_empty() {
                        return Err(CompileError::unsupported_because(
                            "call to set()",
                            "set() is compiled with no argument or one iterable (a set literal {a, b} or add() fills it)",
                            span,
                        ));
                    }
                    self.allocates = true;
                    H::Set(Vec::new())
                }
                Callee::Iterate(f) => {
                    return Err(CompileError::unsupported_because(
                        "iterator outside a for loop",
                        format!("{}() is compiled only as the iterable of a for loop", f.name()),
                        span,
                    ))
                }
                Callee::Intrinsic(Intrinsic::Np(np)) if np != hir::NpFn::Where && keywords.iter().any(|k| k.name == "out") => {
                    return self.with_out(func, args, keywords, span, &format!("np.{}", np.name()));
                }
                Callee::Intrinsic(Intrinsic::Np(np))
                    if !matches!(np, hir::NpFn::Where | hir::NpFn::Round | hir::NpFn::Real | hir::NpFn::Imag)
                        && keywords.is_empty()
                        && args.len() == np.arity().max + 1 =>
                {
                    return self.with_positional_out(func, args, span);
                }
                Callee::Intrinsic(Intrinsic::Cmath(c)) if !keywords.is_empty() => {
                    let k = &keywords[0];
                    return Err(CompileError::unsupported_because(
                        "keyword argument to a cmath function",
                        format!(
                            "'{}=' is not compiled for 'cmath.{}()' (isclose takes its default tolerances here)",
                            k.name,
                            c.name()
                        ),
                        k.span,
                    ));
                }
                Callee::Intrinsic(Intrinsic::PointerView { layout, .. }) => self.pointer_view(layout, args, keywords, span)?,
                Callee::Intrinsic(f) => {
                    // `np.round(x, decimals=2)`, `round(x, ndigits=2)`: the second parameter by name.
                    let second = match f {
                        Intrinsic::Np(hir::NpFn::Round) => Some("decimals"),
                        Intrinsic::Round => Some("ndigits"),
                        _ => None,
                    };
                    let named;
                    let (args, keywords) = match (second, args, keywords) {
                        (Some(name), [x], [k]) if k.name == name => {
                            named = [x.clone(), k.value.clone()];
                            (&named[..], &[][..])
                        }
                        _ => (args, keywords),
                    };
                    if let Some(k) = keywords.first() {
                        return Err(CompileError::unsupported_because(
                            "keyword argument to a builtin",
                            format!("'{}=' is not supported here; pass it positionally", k.name),
                            k.span,
                        ));
                    }
                    callees::check_arity(f, args.len(), span)?;
                    match f {
                        Intrinsic::Np(hir::NpFn::Real) => {
                            H::Attr { value: Box::new(self.expr(&args[0])?), attr: hir::Attr::Real }
                        }
                        Intrinsic::Np(hir::NpFn::Imag) => {
                            H::Attr { value: Box::new(self.expr(&args[0])?), attr: hir::Attr::Imag }
                        }
                        Intrinsic::Iter => self.iter_call(&args[0])?,
                        _ => H::Intrinsic { f, args: self.exprs(args)? },
                    }
                }
                Callee::Function(unit) => H::Call { func: unit, args: self.bind_call(unit, args, keywords, span)? },
                Callee::Value => self.call_value(func, args, keywords)?,
                Callee::Ufunc(u) => return self.ufunc_call(func, u, args, keywords, span),
                Callee::CFunction(c) => self.c_function_call(c, args, keywords, span)?,
                Callee::NamedTuple(names, defaults) => self.named_tuple_call(names, &defaults, args, keywords, span)?,
                Callee::EmptyOf(dict) => {
                    self.allocates = true;
                    if dict {
                        H::Dict(Vec::new())
                    } else {
                        H::List(Vec::new())
                    }
                }
            }
        };
        Ok(self.mk(kind, span))
    }
}

/// The index of `item` in one of a function's tables (its ufuncs, namedtuple classes, frozen
/// arrays), added at the end when it is not there yet.
fn index_in<T: PartialEq>(table: &mut Vec<T>, item: T) -> u32 {
    let k = table.iter().position(|x| *x == item).unwrap_or_else(|| {
        table.push(item);
        table.len() - 1
    });
    k as u32
}

#[cfg(test)]
mod tests;
