//! Lowering of NumPy's Generator API: `np.random.default_rng(seed)` ([`Intrinsic::DefaultRng`])
//! and the Generator methods of [`registry::generator`] called on a value that is not a module
//! (`rng.normal(0, 2, size=5)`, [`Intrinsic::Generator`]), their arguments bound as NumPy binds
//! them, defaults filled in. The Generator is the first argument; `size` (None when left out) is
//! the last for the drawing methods, so inference and codegen tell one draw from an array.
//!
//! The HIR arguments of each method: `[gen, params.., size]` (`integers`: `[gen, low, high,
//! size, endpoint]`), `choice`: `[gen, a, replace, p, size, shuffle]`, `shuffle` and
//! `permutation`: `[gen, x]`.

use super::random::{bind, given, wrong};
use super::{GlobalValue, Lowerer};
use crate::ast::ExprKind as A;
use crate::ast::{self, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::registry::generator::{self as table, GenFn};
use crate::registry::random::{RandomDefault, RandomShape};

impl Lowerer<'_> {
    /// `np.random.default_rng(...)` or a Generator method call: its lowering, or None when
    /// `func` is neither.
    pub(super) fn generator_call(
        &mut self,
        func: &ast::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<Option<H>> {
        let default_rng = match &func.kind {
            A::Attribute { value, attr } => attr == "default_rng" && self.is_numpy_submodule(value, "random"),
            A::Name(n) if !self.by_name.contains_key(n) => {
                matches!(self.global(n), GlobalValue::NumpyFunction(f) if f == "random.default_rng")
            }
            _ => false,
        };
        if default_rng {
            let bound = bind("np.random.default_rng", &["seed"], args, keywords, span)?;
            let seed = given(bound[0]).map(|e| self.expr(e)).transpose()?;
            self.allocates = true;
            return Ok(Some(H::Intrinsic { f: Intrinsic::DefaultRng, args: seed.into_iter().collect() }));
        }
        let A::Attribute { value, attr } = &func.kind else { return Ok(None) };
        // A method of a value: a local, a call's result, an element; never a module's function.
        let of_value = match &value.kind {
            A::Name(n) => self.by_name.contains_key(n),
            A::Call { .. } | A::Subscript { .. } => true,
            _ => false,
        };
        if of_value && table::GENERATOR_METHODS_NOT_COMPILED.contains(&attr.as_str()) {
            // Not a Generator method compiled: a call through the attribute's value (a jitclass
            // method `m.f(k)`); on a Generator, inference names the method not compiled.
            return Ok(None);
        }
        let Some(row) = table::generator_method(attr).filter(|_| of_value) else { return Ok(None) };
        let gen = self.expr(value)?;
        let name = format!("Generator.{}", row.name);
        let f = row.function;
        if row.shape == RandomShape::Own {
            return self.generator_own_call(row, gen, args, keywords, span).map(Some);
        }
        let mut names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        names.push("size");
        if f == GenFn::Integers {
            names.extend(["dtype", "endpoint"]);
        }
        let bound = bind(&name, &names, args, keywords, span)?;
        let mut out = vec![gen];
        for (p, e) in row.params.iter().zip(&bound) {
            match (given(*e), p.default) {
                (Some(e), _) => out.push(self.expr(e)?),
                (None, RandomDefault::Float(d)) => out.push(self.mk(H::Float(d), span)),
                (None, RandomDefault::NoneValue) => out.push(self.mk(H::None, span)),
                (None, RandomDefault::Bool(b)) => out.push(self.mk(H::Bool(b), span)),
                (None, RandomDefault::Required) => {
                    return Err(wrong(format!("{name}() missing required argument '{}'", p.name), span));
                }
            }
        }
        if f == GenFn::Integers && matches!(out[2].kind, H::None) {
            // `integers(high)` is `integers(0, high)`.
            let zero = self.mk(H::Int(0), span);
            out.swap(1, 2);
            out[1] = zero;
        }
        let k = row.params.len();
        let size = match given(bound[k]) {
            Some(e) => {
                self.allocates = true;
                self.expr(e)?
            }
            None => self.mk(H::None, span),
        };
        out.push(size);
        if f == GenFn::Integers {
            if let Some(d) = given(bound[k + 1]) {
                if self.dtype_of(d)? != hir::DtypeArg::Named(crate::types::Dtype::Int64) {
                    return Err(CompileError::unsupported_because(
                        "Generator.integers dtype",
                        "Generator.integers() is compiled for its default dtype, np.int64, only",
                        d.span,
                    ));
                }
            }
            let endpoint = match given(bound[k + 2]) {
                Some(e) => self.expr(e)?,
                None => self.mk(H::Bool(false), span),
            };
            out.push(endpoint);
        }
        Ok(Some(H::Intrinsic { f: Intrinsic::Generator(f), args: out }))
    }

    /// `choice(a, size=None, replace=True, p=None, axis=0, shuffle=True)`, `shuffle(x, axis=0)`,
    /// `permutation(x, axis=0)` of the Generator `gen`: `axis` 0 only.
    fn generator_own_call(
        &mut self,
        row: &'static table::GenRow,
        gen: hir::Expr,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
    ) -> Result<H> {
        let name = format!("Generator.{}", row.name);
        let names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        let bound = bind(&name, &names, args, keywords, span)?;
        let Some(first) = bound[0] else {
            return Err(wrong(format!("{name}() missing required argument '{}'", names[0]), span));
        };
        let axis = names.iter().position(|n| *n == "axis").expect("every own row has an axis");
        if let Some(e) = given(bound[axis]) {
            if !matches!(e.kind, A::Int(0)) {
                return Err(CompileError::unsupported_because(
                    "Generator axis",
                    format!("{name}() is compiled for axis=0 only"),
                    e.span,
                ));
            }
        }
        let first = self.expr(first)?;
        let f = row.function;
        if f != GenFn::Choice {
            self.allocates |= f == GenFn::Permutation;
            return Ok(H::Intrinsic { f: Intrinsic::Generator(f), args: vec![gen, first] });
        }
        let replace = match given(bound[2]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::Bool(true), span),
        };
        let p = match given(bound[3]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::None, span),
        };
        let size = match given(bound[1]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::None, span),
        };
        let shuffle = match given(bound[5]) {
            Some(e) => self.expr(e)?,
            None => self.mk(H::Bool(true), span),
        };
        self.allocates = true;
        Ok(H::Intrinsic { f: Intrinsic::Generator(f), args: vec![gen, first, replace, p, size, shuffle] })
    }
}
