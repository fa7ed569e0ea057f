//! Lowering of `np.random` calls (NumPy's legacy API, [`registry::random`]): arguments bound to
//! the function's parameters as NumPy binds them, defaults filled in; a call without `size=` is
//! one draw ([`Intrinsic::Random`]), one with `size=` (or `rand(d0, d1)`) a new array of draws
//! ([`hir::NewArray::Random`]). `choice`, `shuffle` and `permutation` take arrays: bound by
//! [`Lowerer::random_own_call`].

use super::{GlobalValue, Lowerer};
use crate::ast::ExprKind as A;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::registry::pyrandom::{self as pytable, PyRandomFn};
use crate::registry::random::{self as table, RandomDefault, RandomFn, RandomShape};

pub(super) fn wrong(message: String, span: Span) -> CompileError {
    CompileError::typing("call with wrong arguments", message, span)
}

/// The arguments of a call of `name` bound to its parameters `names` (positional, then by
/// keyword); a literal None is an argument left out.
pub(super) fn bind<'e>(
    name: &str,
    names: &[&str],
    args: &'e [ast::Expr],
    keywords: &'e [ast::Keyword],
    span: Span,
) -> Result<Vec<Option<&'e ast::Expr>>> {
    if args.len() > names.len() {
        return Err(wrong(
            format!("{name}() takes at most {} arguments ({}), {} given", names.len(), names.join(", "), args.len()),
            span,
        ));
    }
    let mut bound: Vec<Option<&ast::Expr>> = args.iter().map(Some).collect();
    bound.resize(names.len(), None);
    for k in keywords {
        let Some(i) = names.iter().position(|n| *n == k.name) else {
            return Err(wrong(format!("{name}() got an unexpected keyword argument '{}'", k.name), k.span));
        };
        if bound[i].is_some() {
            return Err(wrong(format!("{name}() got multiple values for argument '{}'", k.name), k.span));
        }
        bound[i] = Some(&k.value);
    }
    Ok(bound)
}

/// A literal None is an argument left out.
pub(super) fn given(e: Option<&ast::Expr>) -> Option<&ast::Expr> {
    e.filter(|e| !matches!(e.kind, A::None))
}

impl Lowerer<'_> {
    /// `np.random.f(...)` (or `f(...)` of a global bound to it: `from numpy.random import
    /// normal`): its lowering, or None when `func` is not a function of `np.random`.
    pub(super) fn random_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        if let Some(h) = self.generator_call(func, args, keywords, span)? {
            return Ok(Some(h));
        }
        if let A::Attribute { value, attr } = &func.kind {
            if matches!(&value.kind, A::Name(m) if !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(x) if x == "random"))
            {
                return self.pyrandom_call(attr, func.span, args, keywords, span).map(Some);
            }
        }
        // `from random import gauss`: a global bound to a function of `random`.
        let imported = match &func.kind {
            A::Name(n) if !self.by_name.contains_key(n) => match self.global(n) {
                GlobalValue::NumpyFunction(f) => f.strip_prefix("pyrandom.").map(str::to_string),
                _ => None,
            },
            _ => None,
        };
        if let Some(name) = imported {
            return self.pyrandom_call(&name, func.span, args, keywords, span).map(Some);
        }
        let attr = match &func.kind {
            A::Attribute { value, attr } if self.is_numpy_submodule(value, "random") => attr.as_str(),
            A::Name(n) if !self.by_name.contains_key(n) => match self.global(n) {
                GlobalValue::NumpyFunction(f) if f.starts_with("random.") => &f["random.".len()..],
                _ => return Ok(None),
            },
            _ => return Ok(None),
        };
        let Some(row) = table::random_function(attr) else {
            return Err(CompileError::unsupported_because(
                "NumPy random function",
                format!("'np.random.{attr}' is not compiled; compiled: {}", table::random_functions_text()),
                func.span,
            ));
        };
        let name = format!("np.random.{}", row.name);
        let f = row.function;
        if row.shape == RandomShape::Own {
            return self.random_own_call(row, args, keywords, span).map(Some);
        }
        if row.shape == RandomShape::Dims {
            // `rand(d0, d1, ...)`: the dimensions are the arguments.
            if let Some(k) = keywords.first() {
                return Err(wrong(format!("{name}() takes no keyword arguments ('{}=' given)", k.name), k.span));
            }
            if args.is_empty() {
                return Ok(Some(H::Intrinsic { f: Intrinsic::Random(f), args: Vec::new() }));
            }
            let dims = self.exprs(args)?;
            let shape = self.mk(H::Tuple(dims), span);
            self.allocates = true;
            return Ok(Some(H::New(hir::NewArray::Random { f, args: Vec::new(), shape: Box::new(shape) })));
        }
        // Parameters, then `size` (not for seed).
        let mut names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        if row.shape == RandomShape::Size {
            names.push("size");
        }
        if args.len() > names.len() {
            return Err(wrong(
                format!("{name}() takes at most {} arguments ({}), {} given", names.len(), names.join(", "), args.len()),
                span,
            ));
        }
        let mut bound: Vec<Option<&ast::Expr>> = args.iter().map(Some).collect();
        bound.resize(names.len(), None);
        for k in keywords {
            let Some(i) = names.iter().position(|n| *n == k.name) else {
                return Err(wrong(format!("{name}() got an unexpected keyword argument '{}'", k.name), k.span));
            };
            if bound[i].is_some() {
                return Err(wrong(format!("{name}() got multiple values for argument '{}'", k.name), k.span));
            }
            bound[i] = Some(&k.value);
        }
        let mut params = Vec::new();
        for (p, e) in row.params.iter().zip(&bound) {
            let e = match (given(*e), p.default) {
                (Some(e), _) => Some(self.expr(e)?),
                (None, RandomDefault::Float(d)) => Some(self.mk(H::Float(d), span)),
                (None, RandomDefault::NoneValue) => None,
                (None, RandomDefault::Bool(b)) => Some(self.mk(H::Bool(b), span)),
                (None, RandomDefault::Required) => {
                    return Err(wrong(format!("{name}() missing required argument '{}'", p.name), span));
                }
            };
            params.push(e);
        }
        let args: Vec<hir::Expr> = match f {
            // `seed()`: from the OS.
            RandomFn::Seed => params.into_iter().flatten().collect(),
            // `randint(high)` is `randint(0, high)`.
            RandomFn::Randint => match params.as_mut_slice() {
                [Some(low), None] => {
                    let zero = self.mk(H::Int(0), span);
                    let high = std::mem::replace(low, zero);
                    vec![low.clone(), high]
                }
                _ => params.into_iter().flatten().collect(),
            },
            _ => params.into_iter().map(|e| e.expect("every other parameter has a default or is required")).collect(),
        };
        let size = if row.shape == RandomShape::Size { given(bound[row.params.len()]) } else { None };
        match size {
            None => Ok(Some(H::Intrinsic { f: Intrinsic::Random(f), args })),
            Some(size) => {
                let shape = self.expr(size)?;
                self.allocates = true;
                Ok(Some(H::New(hir::NewArray::Random { f, args, shape: Box::new(shape) })))
            }
        }
    }
}

impl Lowerer<'_> {
    /// `choice(a, size=None, replace=True, p=None)` (one element without `size`, else an array
    /// of `size`), `shuffle(x)`, `permutation(x)`: the arguments bound to NumPy's parameters, as
    /// `[a, replace, p]` (`p` None when left out) or `[x]`.
    fn random_own_call(
        &mut self,
        row: &'static table::RandomRow,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let name = format!("np.random.{}", row.name);
        let names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        let bound = bind(&name, &names, args, keywords, span)?;
        let Some(first) = bound[0] else {
            return Err(wrong(format!("{name}() missing required argument '{}'", names[0]), span));
        };
        let first = self.expr(first)?;
        let f = row.function;
        if f != RandomFn::Choice {
            self.allocates |= f == RandomFn::Permutation;
            return Ok(H::Intrinsic { f: Intrinsic::Random(f), args: vec![first] });
        }
        let replace = match given(bound[2]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::Bool(true), span),
        };
        let p = match given(bound[3]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::None, span),
        };
        let args = vec![first, replace, p];
        self.allocates = true;
        Ok(match given(bound[1]) {
            None => H::Intrinsic { f: Intrinsic::Random(f), args },
            Some(size) => {
                let shape = self.expr(size)?;
                H::New(hir::NewArray::Random { f, args, shape: Box::new(shape) })
            }
        })
    }
}

impl Lowerer<'_> {
    /// `random.f(...)` of Python's `random` module (`import random`): [`Intrinsic::PyRandom`]
    /// with the arguments its row binds, defaults filled in. `seed()` without a seed has no
    /// argument, `randrange(stop)` one, `choice(range(...))` the range's start, stop and step.
    fn pyrandom_call(
        &mut self,
        attr: &str,
        attr_span: Span,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let Some(row) = pytable::py_random_function(attr) else {
            return Err(CompileError::unsupported_because(
                "random module function",
                format!("'random.{attr}' is not compiled; compiled: {}", pytable::py_random_functions_text()),
                attr_span,
            ));
        };
        let name = format!("random.{}", row.name);
        let names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        let bound = bind(&name, &names, args, keywords, span)?;
        let f = row.function;
        // `choice(range(...))`: the range's arguments.
        if f == PyRandomFn::Choice {
            if let Some(ast::Expr { kind: A::Call { func: callee, args: rargs, keywords: rkw }, span: rspan }) = given(bound[0]) {
                let is_range = matches!(&callee.kind, A::Name(n) if !self.by_name.contains_key(n) && matches!(self.global(n), GlobalValue::Builtin(b) if b == "range"));
                if is_range && rkw.is_empty() && (1..=3).contains(&rargs.len()) {
                    let mut parts = self.exprs(rargs)?;
                    if parts.len() == 1 {
                        parts.insert(0, self.mk(H::Int(0), *rspan));
                    }
                    if parts.len() == 2 {
                        parts.push(self.mk(H::Int(1), *rspan));
                    }
                    return Ok(H::Intrinsic { f: Intrinsic::PyRandom(f), args: parts });
                }
            }
        }
        if f == PyRandomFn::Randrange && given(bound[1]).is_none() && given(bound[2]).is_some() {
            return Err(wrong("random.randrange(): missing a non-None stop argument".to_string(), span));
        }
        let mut out = Vec::new();
        for (k, (p, e)) in row.params.iter().zip(&bound).enumerate() {
            match (given(*e), p.default) {
                (Some(e), _) => out.push(self.expr(e)?),
                // randrange(stop): no step either.
                (None, _) if f == PyRandomFn::Randrange && k == 2 && out.len() == 1 => {}
                (None, RandomDefault::Float(d)) if p.int => out.push(self.mk(H::Int(d as i64), span)),
                (None, RandomDefault::Float(d)) => out.push(self.mk(H::Float(d), span)),
                (None, RandomDefault::Bool(b)) => out.push(self.mk(H::Bool(b), span)),
                (None, RandomDefault::NoneValue) => {}
                (None, RandomDefault::Required) => {
                    return Err(wrong(format!("{name}() missing required argument '{}'", p.name), span));
                }
            }
        }
        Ok(H::Intrinsic { f: Intrinsic::PyRandom(f), args: out })
    }
}
