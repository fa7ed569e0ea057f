//! Lowering of inner functions (`def` inside a jitted function) and `lambda`: each becomes a
//! function of the program of its own (numbered after the units), compiled with its parent.
//! The parent's variables it reads are captured by value where it is defined (read-only
//! captures: a captured variable assigned again after the definition, or in a loop around it,
//! is a CompileError naming it, since Python would read its later value); they are its first
//! parameters, carried by the closure value (`Type::Closure`); one that captures nothing is a
//! plain function value (`Type::Function`).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use super::{Env, Lowerer};
use crate::ast::{self, Span, StmtKind as S};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::scope::collect_assigned;

/// The inner functions of a program being lowered: function `base + i` is `funcs[i]` (a slot
/// is reserved before its body is lowered, so inner functions nested in it come after it), and
/// the unit each one's source is in.
#[derive(Default)]
pub(super) struct Nested {
    base: u32,
    funcs: Vec<Option<(hir::Function, usize)>>,
}

pub(super) type NestedTable = Rc<RefCell<Nested>>;

/// Lowers every unit of a program and the inner functions they define (after the units, in
/// the order their definitions were reached). Also says, for every function, which unit's
/// source it is in (errors are reported there). On error, says which unit it is in.
pub fn lower_with_nested(
    units: &[(&ast::FunctionDef, &Env)],
    mut each: impl FnMut(&mut hir::Function) -> Result<()>,
) -> std::result::Result<(Vec<hir::Function>, Vec<usize>), (usize, CompileError)> {
    let table: NestedTable = Rc::new(RefCell::new(Nested { base: units.len() as u32, funcs: Vec::new() }));
    let mut funcs = Vec::with_capacity(units.len());
    for i in 0..units.len() {
        let mut f = super::lower_unit_in(units, i, table.clone()).map_err(|e| (i, e))?;
        each(&mut f).map_err(|e| (i, e))?;
        funcs.push(f);
    }
    let mut owners: Vec<usize> = (0..units.len()).collect();
    let nested = std::mem::take(&mut table.borrow_mut().funcs);
    for slot in nested {
        let (mut f, unit) = slot.expect("every reserved inner function is lowered");
        each(&mut f).map_err(|e| (unit, e))?;
        funcs.push(f);
        owners.push(unit);
    }
    Ok((funcs, owners))
}

/// Lowers `units[unit]`, the others being the functions it may call (an inner function it
/// defines is a CompileError here: [`lower_with_nested`] lowers those).
pub fn lower_unit(units: &[(&ast::FunctionDef, &Env)], unit: usize) -> Result<hir::Function> {
    let (funcs, _) = lower_with_nested(units, |_| Ok(())).map_err(|(_, e)| e)?;
    match funcs.len() == units.len() {
        true => Ok(funcs.into_iter().nth(unit).expect("one function per unit")),
        false => Err(CompileError::unsupported("nested function definition", units[unit].0.span)),
    }
}

impl Lowerer<'_> {
    /// `def name(...)` inside the function: `name = <the inner function>`.
    pub(super) fn nested_def(&mut self, def: &ast::FunctionDef, span: Span) -> Result<hir::StmtKind> {
        let value = self.inner_function(def, span)?;
        let id = self.by_name[&def.name];
        Ok(hir::StmtKind::Assign { targets: vec![hir::Target::Local(id, span)], value })
    }

    /// An inner function (a `def` or a `lambda`) as a value.
    pub(super) fn inner_function(&mut self, def: &ast::FunctionDef, span: Span) -> Result<hir::Expr> {
        // The parent's variables it reads, in first-use order.
        let captured: Vec<String> = super::global_names(def).into_iter().filter(|n| self.by_name.contains_key(n)).collect();
        for n in &captured {
            self.check_capture(n, def, span)?;
        }
        let id = {
            let mut t = self.nested.borrow_mut();
            t.funcs.push(None);
            t.base + t.funcs.len() as u32 - 1
        };
        let f = self.lower_inner(def, &captured)?;
        {
            let mut t = self.nested.borrow_mut();
            let k = (id - t.base) as usize;
            t.funcs[k] = Some((f, self.unit as usize));
        }
        if captured.is_empty() {
            return Ok(self.mk(H::FunctionValue(id), span));
        }
        let mut captures = Vec::new();
        for n in &captured {
            let read = ast::Expr { kind: ast::ExprKind::Name(n.clone()), span };
            captures.push(self.expr(&read)?);
        }
        Ok(self.mk(H::Closure { func: id, captures }, span))
    }

    /// Refuses to capture `n` when Python would read a value other than the one it has where
    /// `def` is defined: `n` assigned after it, or in a loop around it, or `def` itself.
    fn check_capture(&self, n: &str, def: &ast::FunctionDef, span: Span) -> Result<()> {
        let what = if def.name == "<lambda>" { "the lambda".to_string() } else { format!("the inner function '{}'", def.name) };
        if *n == def.name {
            return Err(CompileError::unsupported_because(
                "closure",
                format!("{what} calls itself: a recursive inner function is not compiled; make it a @jit function of the module"),
                span,
            ));
        }
        let body = &self.units[self.unit as usize].0.body;
        let mut assigned = Vec::new();
        assignments(body, n, &mut assigned);
        let after = |s: &Span| (s.line, s.col) > (span.line, span.col);
        let in_loop = enclosing_loops(body, span).iter().any(|l| assigned.iter().any(|s| within(s, l)));
        if let Some(s) = assigned.iter().find(|s| after(s)).or(if in_loop { assigned.first() } else { None }) {
            return Err(CompileError::unsupported_because(
                "closure",
                format!(
                    "{what} reads '{n}', which is assigned again at line {}{}; compiled inner functions capture the values their parent's variables have where they are defined, so a variable they read must not change afterwards (use another name, or pass it as an argument)",
                    s.line,
                    if after(s) { "" } else { " in a loop around the definition" }
                ),
                span,
            ));
        }
        Ok(())
    }

    /// The body of an inner function, lowered as a function of its own whose first parameters
    /// are the `captured` variables.
    fn lower_inner(&mut self, def: &ast::FunctionDef, captured: &[String]) -> Result<hir::Function> {
        let mut l = Lowerer {
            env: self.env,
            units: self.units,
            unit: self.unit,
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
            nested: self.nested.clone(),
        };
        for n in captured {
            l.local(n, def.span);
        }
        // (A captured name is never a parameter: parameters are the inner function's own.)
        for p in &def.params {
            l.local(&p.name, p.span);
        }
        let mut names: Vec<(String, Span)> = Vec::new();
        collect_assigned(&def.body, &mut names);
        for (n, s) in names {
            l.local(&n, s);
        }
        let body = l.block(&def.body)?;
        let n_params = (captured.len() + def.params.len()) as u32;
        let mut f = hir::Function {
            name: def.name.clone(),
            filename: self.env.filename.clone(),
            params: (0..n_params).collect(),
            vararg: false,
            defaults: Vec::new(),
            locals: l.locals,
            body,
            n_exprs: l.next_expr,
            allocates: l.allocates,
            strict_math: self.env.strict_math,
            error_model: self.env.error_model,
            ufuncs: l.ufuncs,
            named: l.named,
            arrays: l.arrays,
            c_functions: l.c_functions,
            prange: l.prange,
            parallel: self.env.parallel,
            // An inner function's variables are its own: `locals=` declares the outer's.
            declared: Vec::new(),
            ret_dtype: None,
            known: Vec::new(),
            span: def.span,
        };
        super::versions::split(&mut f);
        f.known = super::known::constant_definitions(&f);
        Ok(f)
    }
}

/// Where `n` is assigned in `stmts` (nested inner functions' own bodies excluded).
fn assignments(stmts: &[ast::Stmt], n: &str, out: &mut Vec<Span>) {
    fn target(t: &ast::Target, n: &str, out: &mut Vec<Span>) {
        match t {
            ast::Target::Name(m, s) if m == n => out.push(*s),
            ast::Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, n, out)),
            _ => {}
        }
    }
    for s in stmts {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| target(t, n, out)),
            S::AugAssign { target: t, .. } => target(t, n, out),
            S::For { target: t, body, orelse, .. } => {
                target(t, n, out);
                assignments(body, n, out);
                assignments(orelse, n, out)
            }
            S::FunctionDef(f) if f.name == n => out.push(s.span),
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                assignments(body, n, out);
                assignments(orelse, n, out)
            }
            S::Try { body, handlers, orelse, finalbody } => {
                assignments(body, n, out);
                handlers.iter().for_each(|h| assignments(&h.body, n, out));
                assignments(orelse, n, out);
                assignments(finalbody, n, out)
            }
            _ => {}
        }
    }
}

/// The source ranges (first and last line) of the loops of `stmts` around `at`.
fn enclosing_loops(stmts: &[ast::Stmt], at: Span) -> Vec<(u32, u32)> {
    fn last_line(s: &ast::Stmt) -> u32 {
        blocks(s).iter().flat_map(|b| b.iter()).map(last_line).max().unwrap_or(s.span.line).max(s.span.line)
    }
    let mut out = Vec::new();
    for s in stmts {
        let range = (s.span.line, last_line(s));
        if !(range.0..=range.1).contains(&at.line) {
            continue;
        }
        if matches!(s.kind, S::For { .. } | S::While { .. }) {
            out.push(range);
        }
        for b in blocks(s) {
            out.extend(enclosing_loops(b, at));
        }
    }
    out
}

/// The statement blocks directly inside `s`.
fn blocks(s: &ast::Stmt) -> Vec<&[ast::Stmt]> {
    match &s.kind {
        S::If { body, orelse, .. } | S::While { body, orelse, .. } | S::For { body, orelse, .. } => vec![body, orelse],
        S::Try { body, handlers, orelse, finalbody } => {
            let mut out: Vec<&[ast::Stmt]> = vec![body];
            out.extend(handlers.iter().map(|h| h.body.as_slice()));
            out.push(orelse);
            out.push(finalbody);
            out
        }
        _ => Vec::new(),
    }
}

fn within(s: &Span, (first, last): &(u32, u32)) -> bool {
    (*first..=*last).contains(&s.line)
}
