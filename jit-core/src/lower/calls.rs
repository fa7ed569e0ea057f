//! Lowering of the calls whose arguments need binding: a jitted function's parameters (with
//! CPython's rules for keywords and defaults), a ufunc's `out=`, and the array methods compiled
//! from the library of NumPy functions.

use super::callees::check_arity;
use super::Lowerer;
use crate::ast::ExprKind as A;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::lower::GlobalValue;
use crate::registry;
use crate::registry::linalg::LinalgFn;

impl Lowerer<'_> {
    /// `np.f(args..., out=o)`: the call without `out=`, written into `o` ([`H::Out`]).
    pub(super) fn with_out(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
        name: &str,
    ) -> Result<hir::Expr> {
        if let Some(k) = keywords.iter().find(|k| k.name != "out") {
            return Err(CompileError::unsupported_because(
                "keyword argument to a NumPy function",
                format!("'{}=' is not compiled for {name}() (only out=)", k.name),
                k.span,
            ));
        }
        let [out_kw] = keywords else {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{name}() got multiple values for argument 'out'"),
                span,
            ));
        };
        self.written_into(func, args, &out_kw.value, span)
    }

    /// `np.f(args..., o)`: a ufunc's output array given positionally (`np.multiply(z, z, z)`),
    /// as `np.f(args..., out=o)`.
    pub(super) fn with_positional_out(&mut self, func: &ast::Expr, args: &[ast::Expr], span: Span) -> Result<hir::Expr> {
        let (out, args) = args.split_last().expect("the caller counted the arguments");
        self.written_into(func, args, out, span)
    }

    fn written_into(&mut self, func: &ast::Expr, args: &[ast::Expr], out: &ast::Expr, span: Span) -> Result<hir::Expr> {
        let value = self.call(func, args, &[], span)?;
        let out = self.expr(out)?;
        Ok(self.mk(H::Out { value: Box::new(value), out: Box::new(out) }, span))
    }

    /// `f(args...)` of a `@vectorize` object `f` ([`Intrinsic::Ufunc`]): as many arguments as
    /// its kernel has parameters, and the output array as one more (positional, or `out=`, as
    /// NumPy takes it: [`H::Out`]).
    pub(super) fn ufunc_call(
        &mut self,
        func: &ast::Expr,
        u: hir::Ufunc,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<hir::Expr> {
        if let Some(g) = &u.gufunc {
            // Every operand given, the outputs too (Numba's rule): positionally, or one output
            // as `out=`.
            let n = g.core.len();
            let mut all: Vec<ast::Expr> = args.to_vec();
            if let Some(k) = keywords.iter().find(|k| k.name != "out") {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a gufunc",
                    format!("'{}=' is not compiled for {}() (only out=)", k.name, u.name),
                    k.span,
                ));
            }
            all.extend(keywords.iter().map(|k| k.value.clone()));
            if all.len() != n {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!(
                        "the gufunc '{}' ({}) takes {n} operands, its outputs included, {} given: the pattern \
                         `out = gufunc(Arg1, Arg2, ..., ArgN)` is not compiled; use `gufunc(Arg1, Arg2, ..., ArgN, out)`",
                        u.name,
                        g.layout,
                        all.len()
                    ),
                    span,
                ));
            }
            let k = self.ufunc_index(u);
            let args = self.exprs(&all)?;
            return Ok(self.mk(H::Intrinsic { f: Intrinsic::Ufunc(k), args }, span));
        }
        let nin = self.units[u.func as usize].0.params.len();
        if !keywords.is_empty() {
            return self.with_out(func, args, keywords, span, &u.name);
        }
        if args.len() == nin + 1 {
            return self.with_positional_out(func, args, span);
        }
        if args.len() != nin {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!(
                    "the ufunc '{}' takes {nin} argument{} (and its output array), {} given",
                    u.name,
                    if nin == 1 { "" } else { "s" },
                    args.len()
                ),
                span,
            ));
        }
        let k = self.ufunc_index(u);
        let args = self.exprs(args)?;
        Ok(self.mk(H::Intrinsic { f: Intrinsic::Ufunc(k), args }, span))
    }

    /// The index of `u` in the function's ufuncs ([`hir::Function::ufuncs`]), added if new.
    pub(super) fn ufunc_index(&mut self, u: hir::Ufunc) -> u32 {
        super::index_in(&mut self.ufuncs, u)
    }

    /// `f(x, ...)` of a C function by its address (`hir::Intrinsic::CCall`): positional
    /// arguments, as many as its signature has.
    pub(super) fn c_function_call(
        &mut self,
        c: hir::CFunction,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        if let Some(k) = keywords.first() {
            return Err(CompileError::typing(
                "keyword argument to a C function",
                format!("{}() is a C function: its arguments are positional", c.name),
                k.span,
            ));
        }
        if args.len() != c.args.len() {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{}() takes {} arguments (its signature), {} given", c.name, c.args.len(), args.len()),
                span,
            ));
        }
        let k = super::index_in(&mut self.c_functions, c);
        Ok(H::Intrinsic { f: hir::Intrinsic::CCall(k), args: self.exprs(args)? })
    }

    /// Binds positional and keyword arguments to the parameters of function `unit` of the
    /// program as CPython would, filling in its defaults.
    pub(super) fn bind_call(
        &mut self,
        unit: u32,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Vec<hir::Expr>> {
        let (callee, callee_env) = self.units[unit as usize];
        // With `*args`, the extra positional arguments go into its tuple.
        let (params, vararg) = match callee.vararg {
            true => (&callee.params[..callee.params.len() - 1], callee.params.last()),
            false => (&callee.params[..], None),
        };
        let name = &callee.name;
        // Keyword-only parameters take no positional argument.
        let positional = params.iter().filter(|p| !p.keyword_only).count();
        if args.len() > positional && vararg.is_none() {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("{name}() takes {positional} positional arguments but {} were given", args.len()),
                span,
            ));
        }
        let mut bound: Vec<Option<hir::Expr>> = Vec::new();
        let mut extra = Vec::new();
        for (k, a) in args.iter().enumerate() {
            let e = self.expr(a)?;
            if k < positional {
                bound.push(Some(e));
            } else {
                extra.push(e);
            }
        }
        bound.resize_with(params.len(), || None);
        for k in keywords {
            let Some(i) = params.iter().position(|p| p.name == k.name) else {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("{name}() got an unexpected keyword argument '{}'", k.name),
                    k.span,
                ));
            };
            if bound[i].is_some() {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("{name}() got multiple values for argument '{}'", k.name),
                    k.span,
                ));
            }
            bound[i] = Some(self.expr(&k.value)?);
        }
        let mut out = Vec::new();
        for (i, b) in bound.into_iter().enumerate() {
            let e = match b {
                Some(e) => e,
                None => match callee_env.defaults.get(i).cloned().flatten() {
                    Some(c) => self.const_value(&c, span),
                    None => {
                        let kind = if params[i].keyword_only { "keyword-only argument" } else { "argument" };
                        return Err(CompileError::typing(
                            "call with wrong arguments",
                            format!("{name}() missing required {kind}: '{}'", params[i].name),
                            span,
                        ));
                    }
                },
            };
            out.push(e);
        }
        if vararg.is_some() {
            out.push(self.mk(H::Tuple(extra), span));
        }
        Ok(out)
    }

    /// `a.cumsum()`, `a.sort()`: an array method compiled from the library (its implementation
    /// called with `a` first), and `a.round(decimals)` (`np.round`). None: not such a method.
    pub(super) fn library_method(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        if matches!(&value.kind, A::Name(m) if !self.by_name.contains_key(m)) {
            return Ok(None); // a global: a module's function, resolved as a callee
        }
        let mut all: Vec<ast::Expr> = Vec::with_capacity(args.len() + 1);
        all.push((**value).clone());
        all.extend(args.iter().cloned());
        if attr == "round" {
            let f = Intrinsic::Np(hir::NpFn::Round);
            if let Some(k) = keywords.iter().find(|k| k.name != "decimals") {
                return Err(CompileError::unsupported_because(
                    "keyword argument to an array method",
                    format!("'{}=' is not compiled for '.round()'", k.name),
                    k.span,
                ));
            }
            all.extend(keywords.iter().map(|k| k.value.clone()));
            check_arity(f, all.len(), span)?;
            return Ok(Some(H::Intrinsic { f, args: self.exprs(&all)? }));
        }
        if !registry::is_library_method(attr) {
            return Ok(None);
        }
        self.library_call(attr, &format!("'.{attr}()'"), &all, keywords, span).map(Some)
    }

    /// A call of the library's implementation of the array method `method` (the array first in
    /// `args`), which the code names as `shown`.
    pub(super) fn library_call(
        &mut self,
        method: &str,
        shown: &str,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        match self.global(&registry::library_method_global(method)) {
            &GlobalValue::Jitted { unit, .. } => Ok(H::Call { func: unit, args: self.bind_call(unit, args, keywords, span)? }),
            _ => Err(CompileError::unsupported_because(
                "array method",
                format!(
                    "{shown} is compiled from stickyjit's library of NumPy functions, which is not available to this compile"
                ),
                span,
            )),
        }
    }

    /// `a.dot(b)`: `np.dot(a, b)`.
    pub(super) fn dot_method(
        &mut self,
        value: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        if args.len() != 1 {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("'.dot()' takes one array here, {} given", args.len()),
                span,
            ));
        }
        let all = [value.clone(), args[0].clone()];
        self.operator_call(registry::OperatorFn::Binary(ast::BinOp::Dot), "np.dot", &all, keywords, span)
    }

    /// Whether `e` names the submodule `numpy.<sub>` (`linalg`, `random`): `np.<sub>` of the global
    /// module `numpy`, or a global bound to the submodule itself (`from numpy import linalg`,
    /// `import numpy.random as npr`).
    pub(super) fn is_numpy_submodule(&self, e: &ast::Expr, sub: &str) -> bool {
        let global_module =
            |m: &str, want: &str| !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(x) if x == want);
        match &e.kind {
            A::Attribute { value, attr } if attr == sub => matches!(&value.kind, A::Name(m) if global_module(m, "numpy")),
            A::Name(m) => global_module(m, &format!("numpy.{sub}")),
            _ => false,
        }
    }

    /// `np.linalg.f(...)`: its lowering (the optional parameters by position or keyword; svd's
    /// full_matrices and compute_uv literals, choosing the function), or None when `func` is
    /// not a function of `np.linalg`.
    pub(super) fn linalg_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        if !self.is_numpy_submodule(value, "linalg") {
            return Ok(None);
        }
        let Some(row) = registry::linalg::linalg_function(attr) else {
            return Err(CompileError::unsupported_because(
                "NumPy linear algebra function",
                format!("'np.linalg.{attr}' is not compiled; compiled: {}", registry::linalg::linalg_functions_text()),
                func.span,
            ));
        };
        // The arguments by position: keywords of the row's optional parameters moved to theirs.
        let mut bound: Vec<Option<ast::Expr>> = args.iter().cloned().map(Some).collect();
        for k in keywords {
            let at = row.params.iter().position(|p| *p == k.name).filter(|&i| i >= row.args);
            let Some(at) = at else {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a NumPy function",
                    format!("'{}=' is not compiled for np.linalg.{}()", k.name, row.name),
                    k.span,
                ));
            };
            if bound.len() <= at {
                bound.resize(at + 1, None);
            }
            if bound[at].is_some() {
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("np.linalg.{}() got multiple values for argument '{}'", row.name, k.name),
                    k.span,
                ));
            }
            bound[at] = Some(k.value.clone());
        }
        if args.len() < row.args || bound.len() > row.params.len() {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("np.linalg.{}() takes {} here, {} arguments given", row.name, row.text, args.len()),
                span,
            ));
        }
        let mut function = row.function;
        if function == LinalgFn::Svd {
            // full_matrices and compute_uv change the result's type: literals only.
            let literal = |e: &Option<ast::Expr>, what: &str| -> Result<bool> {
                match e.as_ref().map(|e| (&e.kind, e.span)) {
                    None => Ok(true),
                    Some((A::Bool(b), _)) => Ok(*b),
                    Some((A::Int(i @ (0 | 1)), _)) => Ok(*i == 1),
                    Some((_, span)) => Err(CompileError::unsupported_because(
                        "linear algebra argument",
                        format!(
                            "np.linalg.svd()'s {what} must be a literal True or False here (the result's shape depends on it)"
                        ),
                        span,
                    )),
                }
            };
            let full = literal(bound.get(1).unwrap_or(&None), "full_matrices")?;
            let uv = literal(bound.get(2).unwrap_or(&None), "compute_uv")?;
            function = match (uv, full) {
                (false, _) => LinalgFn::SvdVals,
                (true, true) => LinalgFn::Svd,
                (true, false) => LinalgFn::SvdReduced,
            };
            bound.truncate(1);
        }
        if function == LinalgFn::Norm && bound.len() > 1 {
            // ord and axis, each None when left out (typed and compiled as NumPy's defaults);
            // both None: the default norm.
            if let Some(Some(ast::Expr { kind: A::Str(s), span })) = bound.get(1) {
                // 'fro' and 'nuc': matrix norms of the whole matrix (axis left out or None).
                let no_axis = bound.get(2).is_none_or(|e| e.as_ref().is_none_or(|e| matches!(e.kind, A::None)));
                let function = match s.as_str() {
                    "fro" | "f" if no_axis => LinalgFn::NormFro,
                    "nuc" if no_axis => LinalgFn::NormNuc,
                    _ => {
                        return Err(CompileError::unsupported_because(
                            "linear algebra argument",
                            format!("np.linalg.norm()'s ord '{s}' is not compiled here (ord takes a number or None, or 'fro' or 'nuc' without axis)"),
                            *span,
                        ))
                    }
                };
                let x = self.exprs(&bound[..1].iter().flatten().cloned().collect::<Vec<_>>())?;
                self.allocates = true;
                return Ok(Some(H::Intrinsic { f: Intrinsic::Linalg(function), args: x }));
            }
            let none = |e: &Option<ast::Expr>| e.as_ref().is_none_or(|e| matches!(e.kind, A::None));
            if bound.iter().skip(1).all(none) {
                bound.truncate(1);
            } else {
                bound.resize(3, None);
                for b in bound.iter_mut() {
                    if b.is_none() {
                        *b = Some(ast::Expr { kind: A::None, span });
                    }
                }
                let args: Vec<ast::Expr> = bound.into_iter().flatten().collect();
                self.allocates = true;
                return Ok(Some(H::Intrinsic { f: Intrinsic::Linalg(function), args: self.exprs(&args)? }));
            }
        }
        // An optional number written None: its default (NumPy's default of rcond and tol).
        for b in bound.iter_mut().skip(row.args) {
            if matches!(b, Some(e) if matches!(e.kind, A::None)) {
                *b = None;
            }
        }
        while bound.len() > row.args && bound.last().is_some_and(Option::is_none) {
            bound.pop();
        }
        if bound.iter().skip(row.args).any(Option::is_none) {
            // A later optional argument given by keyword and an earlier one left out: the
            // earlier one's default is not written (each takes a number or nothing).
            let missing = bound.iter().position(Option::is_none).map_or("", |i| row.params[i]);
            return Err(CompileError::unsupported_because(
                "call with wrong arguments",
                format!(
                    "np.linalg.{}(): give '{missing}' too (its default is not compiled when a later argument is given)",
                    row.name
                ),
                span,
            ));
        }
        let args: Vec<ast::Expr> = bound.into_iter().flatten().collect();
        self.allocates = true;
        Ok(Some(H::Intrinsic { f: Intrinsic::Linalg(function), args: self.exprs(&args)? }))
    }

    /// `np.eye(..., dtype=d)` and `np.identity(n, dtype=d)` (keyword or positional): the
    /// library's float64 implementation converted to `d` (its 0s and 1s are exact in every
    /// dtype), or None for another call.
    pub(super) fn eye_with_dtype(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        let dtype_at = match attr.as_str() {
            "eye" => 3,
            "identity" => 1,
            _ => return Ok(None),
        };
        let A::Name(m) = &value.kind else { return Ok(None) };
        let Some(&GlobalValue::Jitted { unit, .. }) = self.dotted(m, attr) else { return Ok(None) };
        let (mut args, mut keywords) = (args.to_vec(), keywords.to_vec());
        let d = match keywords.iter().position(|k| k.name == "dtype") {
            Some(i) => keywords.remove(i).value,
            None if args.len() > dtype_at => args.remove(dtype_at),
            None => return Ok(None),
        };
        let dtype = self.dtype_of(&d)?;
        let call = H::Call { func: unit, args: self.bind_call(unit, &args, &keywords, span)? };
        let call = self.mk(call, span);
        self.allocates = true;
        Ok(Some(H::New(hir::NewArray::Copy { array: Box::new(call), dtype: Some(dtype) })))
    }

    /// `raise Class(message)`: a builtin exception class, not shadowed by a local.
    pub(super) fn raise(&mut self, class: &str, message: &Option<String>, span: Span) -> Result<hir::StmtKind> {
        if let Some((qualname, base)) = self.user_exception(class) {
            // Raised as its builtin base, its name marking the message (`runtime::USER_CLASS_MARK`).
            use crate::runtime::{USER_CLASS_MARK, USER_CLASS_NO_ARGS};
            let message = match message {
                Some(m) => format!("{USER_CLASS_MARK}{qualname}{USER_CLASS_MARK}{m}"),
                None => format!("{USER_CLASS_MARK}{qualname}{USER_CLASS_NO_ARGS}"),
            };
            return Ok(hir::StmtKind::Raise { class: base, message: Some(message), recorded: false });
        }
        let builtin = !self.by_name.contains_key(class)
            && matches!(self.global(class), GlobalValue::Undefined | GlobalValue::Unsupported { .. } | GlobalValue::Builtin(_));
        match registry::exceptions::raisable(class).filter(|_| builtin) {
            Some(class) => Ok(hir::StmtKind::Raise { class, message: message.clone(), recorded: false }),
            None => Err(CompileError::unsupported_because(
                "raise statement",
                format!(
                    "'{class}' is not a builtin exception class compiled code raises; it raises {}",
                    registry::exceptions::raisable_text()
                ),
                span,
            )),
        }
    }

    /// `(module.qualname, builtin base)` of the global `class` when it is a user's exception
    /// class (a subclass of a builtin exception compiled code raises).
    pub(super) fn user_exception(&self, class: &str) -> Option<(String, u32)> {
        if self.by_name.contains_key(class) {
            return None;
        }
        match self.global(class) {
            GlobalValue::ExceptionClass { class, base } => Some((class.clone(), *base)),
            _ => None,
        }
    }

    /// `l.append(v)`, `l.sort()`, ... on a value (not a module's function). `copy` and `sort`
    /// are array methods too: the call is also lowered as the array's, for inference to choose.
    pub(super) fn list_method_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        if self.array_form {
            return Ok(None);
        }
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        if let A::Name(m) = &value.kind {
            if !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(_)) {
                return Ok(None);
            }
        }
        if let Some(method) = hir::StrMethod::of(attr) {
            if let Some(k) = keywords.first() {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a string method",
                    format!("'{}=' is not compiled for str.{attr}()", k.name),
                    k.span,
                ));
            }
            let (lo, hi) = method.arity();
            if args.len() < lo || args.len() > hi {
                let want = if lo == hi { format!("{lo}") } else { format!("{lo} to {hi}") };
                return Err(CompileError::typing(
                    "call with wrong arguments",
                    format!("str.{attr}() takes {want} arguments, {} given", args.len()),
                    span,
                ));
            }
            let mut all = vec![self.expr(value)?];
            all.extend(self.exprs(args)?);
            self.allocates = true;
            return Ok(Some(H::Intrinsic { f: hir::Intrinsic::StrMethod(method), args: all }));
        }
        // A set's operator methods with one set: `s.intersection(t)` is `s & t` (stumpy), and so
        // on; CPython takes any iterable there, compiled code a set (inference checks).
        let set_op = match attr.as_str() {
            "intersection" => Some(ast::BinOp::BitAnd),
            "union" => Some(ast::BinOp::BitOr),
            "difference" => Some(ast::BinOp::Sub),
            "symmetric_difference" => Some(ast::BinOp::BitXor),
            _ => None,
        };
        if let (Some(op), [other], true) = (set_op, args, keywords.is_empty()) {
            return Ok(Some(H::Binary { op, left: Box::new(self.expr(value)?), right: Box::new(self.expr(other)?) }));
        }
        let subset = match attr.as_str() {
            "issubset" => Some(ast::CmpOp::Le),
            "issuperset" => Some(ast::CmpOp::Ge),
            _ => None,
        };
        if let (Some(op), [other], true) = (subset, args, keywords.is_empty()) {
            return Ok(Some(H::Compare {
                left: Box::new(self.expr(value)?),
                ops: vec![op],
                comparators: vec![self.expr(other)?],
            }));
        }
        if let Some(method) = hir::DictMethod::of(attr) {
            if let Some(k) = keywords.first() {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a dict method",
                    format!("'{}=' is not compiled for dict.{attr}()", k.name),
                    k.span,
                ));
            }
            let dict = Box::new(self.expr(value)?);
            return Ok(Some(H::DictMethod { method, dict, args: self.exprs(args)? }));
        }
        let Some(method) = hir::ListMethod::of(attr) else { return Ok(None) };
        let alt = if matches!(method, hir::ListMethod::Copy | hir::ListMethod::Sort) {
            self.array_form = true;
            let alt = self.call(func, args, keywords, span);
            self.array_form = false;
            // A call no list takes (`a.copy(order='C')`, `a.sort(axis=0)`) is the array's: its
            // error is the array method's.
            let list_form = args.is_empty()
                && match method {
                    hir::ListMethod::Sort => keywords.iter().all(|k| k.name == "reverse"),
                    _ => keywords.is_empty(),
                };
            match alt {
                Ok(a) => Some(Box::new(a)),
                Err(e) if !list_form => return Err(e),
                Err(_) => None,
            }
        } else {
            None
        };
        let mut hargs = self.exprs(args)?;
        for k in keywords {
            match (method, k.name.as_str()) {
                (hir::ListMethod::Sort, "reverse") if hargs.is_empty() => hargs.push(self.expr(&k.value)?),
                _ => {
                    return Err(CompileError::unsupported_because(
                        "keyword argument to a list method",
                        format!("'{}=' is not compiled for list.{attr}()", k.name),
                        k.span,
                    ))
                }
            }
        }
        Ok(Some(H::ListMethod { method, list: Box::new(self.expr(value)?), args: hargs, alt }))
    }

    /// `sorted(x)`, `sorted(x, reverse=r)`.
    pub(super) fn sorted_call(&mut self, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<H> {
        let [x] = args else {
            return Err(CompileError::typing(
                "call with wrong arguments",
                format!("sorted expected 1 argument, got {}", args.len()),
                span,
            ));
        };
        let mut hargs = Vec::new();
        for k in keywords {
            if k.name != "reverse" {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a builtin",
                    format!("'{}=' is not compiled for sorted() (reverse= is)", k.name),
                    k.span,
                ));
            }
            hargs.push(self.expr(&k.value)?);
        }
        self.allocates = true;
        Ok(H::ListMethod { method: hir::ListMethod::Sorted, list: Box::new(self.expr(x)?), args: hargs, alt: None })
    }

    /// `assert test, message`: `if not test: raise AssertionError(message)`.
    pub(super) fn assert(
        &mut self,
        test: &ast::Expr,
        message: &Option<String>,
        dynamic: &Option<Box<ast::Expr>>,
        span: Span,
    ) -> Result<hir::StmtKind> {
        let test = self.expr(test)?;
        let not = self.mk(H::Unary { op: ast::UnaryOp::Not, operand: Box::new(test) }, span);
        let class = registry::exceptions::raisable("AssertionError").expect("in the table");
        let body = match dynamic {
            Some(d) => self.raise_computed(class, d, span)?,
            None => vec![hir::Stmt { kind: hir::StmtKind::Raise { class, message: message.clone(), recorded: false }, span }],
        };
        Ok(hir::StmtKind::If { test: not, body, orelse: Vec::new() })
    }

    /// `raise Class(message)` with a computed message: the statement that records the class
    /// and the message, then the raise.
    pub(super) fn raise_computed(&mut self, class: u32, message: &ast::Expr, span: Span) -> Result<Vec<hir::Stmt>> {
        let m = self.expr(message)?;
        let record = self.mk(H::Intrinsic { f: hir::Intrinsic::RaiseMessage(class), args: vec![m] }, span);
        Ok(vec![
            hir::Stmt { kind: hir::StmtKind::Expr(record), span },
            hir::Stmt { kind: hir::StmtKind::Raise { class, message: None, recorded: true }, span },
        ])
    }

    /// An expression statement: `print(...)` ([`hir::StmtKind::Print`]), or any other expression.
    pub(super) fn expr_stmt(&mut self, e: &ast::Expr) -> Result<hir::StmtKind> {
        let A::Call { func, args, keywords } = &e.kind else { return Ok(hir::StmtKind::Expr(self.expr(e)?)) };
        let is_print = matches!(&func.kind, A::Name(n) if !self.by_name.contains_key(n) && matches!(self.global(n), GlobalValue::Builtin(b) if b == "print"));
        if !is_print {
            return Ok(hir::StmtKind::Expr(self.expr(e)?));
        }
        let (mut sep, mut end, mut flush) = (" ".to_string(), "\n".to_string(), false);
        for k in keywords {
            if let (A::Bool(b), "flush") = (&k.value.kind, k.name.as_str()) {
                flush = *b;
                continue;
            }
            let (A::Str(s), "sep" | "end") = (&k.value.kind, k.name.as_str()) else {
                return Err(CompileError::unsupported_because(
                    "keyword argument to a builtin",
                    format!(
                        "'{}=' is not compiled for print() (sep= and end= are, as string literals, and flush= as True or False)",
                        k.name
                    ),
                    k.span,
                ));
            };
            if k.name == "sep" {
                sep = s.clone();
            } else {
                end = s.clone();
            }
        }
        let items = args
            .iter()
            .map(|a| match &a.kind {
                A::Str(s) => Ok(hir::PrintItem::Text(s.clone())),
                _ => self.expr(a).map(hir::PrintItem::Value),
            })
            .collect::<Result<_>>()?;
        Ok(hir::StmtKind::Print { items, sep, end, flush })
    }
}

/// `print(...)` used as a value.
pub(super) fn print_outside_a_statement(span: Span) -> CompileError {
    CompileError::unsupported_because("print() outside a statement", "print() is compiled only as a statement of its own", span)
}
