//! Lowering of global names read as values: frozen numbers and tuples of them, parameter
//! defaults, dtypes passed on as values, and the errors for every other kind of global.

use super::{ConstValue, GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, MathFn};
use crate::registry;
use crate::registry::cmath::{self, CmathFn};

impl Lowerer<'_> {
    /// A parameter's default value as an expression.
    pub(super) fn const_value(&mut self, c: &ConstValue, span: Span) -> hir::Expr {
        let kind = match c {
            ConstValue::Int(v) => H::Int(*v),
            ConstValue::Float(v) => H::Float(*v),
            ConstValue::Complex(re, im) => H::Complex(*re, *im),
            ConstValue::Bool(v) => H::Bool(*v),
            ConstValue::None => H::None,
            ConstValue::Tuple(items) => H::Tuple(items.iter().map(|c| self.const_value(c, span)).collect()),
            ConstValue::Str(s) => {
                self.allocates = true;
                H::Str(s.clone())
            }
        };
        self.mk(kind, span)
    }

    /// A frozen NumPy scalar global (`numpy.float32(0.5)`) as `np.float32(0.5)`.
    fn frozen_scalar(&mut self, d: crate::types::Dtype, value: &GlobalValue, span: Span) -> hir::Expr {
        let kind = match value {
            GlobalValue::Float(f) => H::Float(*f),
            GlobalValue::Complex(re, im) => H::Complex(*re, *im),
            GlobalValue::Bool(b) => H::Bool(*b),
            _ => H::Int(if let GlobalValue::Int(i) = value { *i } else { 0 }),
        };
        let arg = self.mk(kind, span);
        self.mk(H::Intrinsic { f: hir::Intrinsic::DtypeCast(d), args: vec![arg] }, span)
    }

    /// A frozen tuple global as a tuple expression of constants.
    pub(super) fn frozen_tuple(&mut self, name: &str, items: &[GlobalValue], span: Span) -> Result<hir::Expr> {
        let mut out = Vec::new();
        for item in items {
            let kind = match item {
                GlobalValue::Int(i) => H::Int(*i),
                GlobalValue::Float(f) => H::Float(*f),
                GlobalValue::Complex(re, im) => H::Complex(*re, *im),
                GlobalValue::Bool(b) => H::Bool(*b),
                GlobalValue::Str(s) => H::Str(s.clone()),
                GlobalValue::Scalar(d, v) => {
                    let e = self.frozen_scalar(*d, v, span);
                    out.push(e);
                    continue;
                }
                GlobalValue::Tuple(inner) => {
                    out.push(self.frozen_tuple(name, inner, span)?);
                    continue;
                }
                _ => {
                    return Err(CompileError::unsupported_because(
                        "global of an unsupported type",
                        format!("'{name}' is a tuple holding {}; only numbers and tuples of them are compiled", describe(item)),
                        span,
                    ))
                }
            };
            out.push(self.mk(kind, span));
        }
        Ok(self.mk(H::Tuple(out), span))
    }

    /// A global (or a module attribute `m.attr`) read as a value: a frozen constant.
    pub(super) fn global_value(&mut self, n: &str, span: Span) -> Result<hir::Expr> {
        let kind = match self.global(n) {
            GlobalValue::Int(i) => H::Int(*i),
            GlobalValue::Float(f) => H::Float(*f),
            GlobalValue::Complex(re, im) => H::Complex(*re, *im),
            GlobalValue::Bool(b) => H::Bool(*b),
            GlobalValue::Str(s) => H::Str(s.clone()),
            GlobalValue::Scalar(d, v) => {
                let (d, v) = (*d, v.clone());
                return Ok(self.frozen_scalar(d, &v, span));
            }
            GlobalValue::Tuple(items) => {
                let items = items.clone();
                return self.frozen_tuple(n, &items, span);
            }
            GlobalValue::Array(a) => {
                let a = a.clone();
                let k = super::index_in(&mut self.arrays, a);
                H::Intrinsic { f: hir::Intrinsic::FrozenArray(k), args: Vec::new() }
            }
            GlobalValue::NamedTupleValue(names, items) => {
                let (names, items) = (names.clone(), items.clone());
                let H::Tuple(values) = self.frozen_tuple(n, &items, span)?.kind else { unreachable!("a tuple") };
                let k = self.named_class(names);
                H::Intrinsic { f: hir::Intrinsic::NamedTuple(k), args: values }
            }
            GlobalValue::Undefined => return Err(undefined(n, span)),
            // A dtype as a value: passed on to a jitted function's `dtype=` parameter.
            GlobalValue::NumpyDtype(t) if crate::types::Dtype::from_numpy_attr(t).is_some() => {
                H::Dtype(crate::types::Dtype::from_numpy_attr(t).expect("checked"))
            }
            // `float`, `int`, `bool`, `complex` passed as a dtype.
            GlobalValue::Builtin(b) if registry::builtin(b).and_then(|r| r.dtype).is_some() => {
                H::Dtype(registry::builtin(b).and_then(|r| r.dtype).expect("checked"))
            }
            // A jitted function as a value: passed on, stored, called through (`Type::Function`).
            GlobalValue::SelfFunction => H::FunctionValue(self.unit),
            GlobalValue::Jitted { unit, .. } => H::FunctionValue(*unit),
            GlobalValue::Unsupported { description, .. } => {
                return Err(CompileError::unsupported_because(
                    "global of an unsupported type",
                    format!(
                        "'{n}' is {description}; only int, float, complex, bool, NumPy scalar and str globals, tuples and namedtuples of them, and NumPy arrays are compiled"
                    ),
                    span,
                ))
            }
            other => {
                return Err(CompileError::unsupported_because(
                    "function or module used as a value",
                    format!("'{n}' is {}", describe(other)),
                    span,
                ))
            }
        };
        Ok(self.mk(kind, span))
    }
}

pub(super) fn undefined(name: &str, span: Span) -> CompileError {
    if let Some((m, attr)) = name.split_once('.') {
        return CompileError::name("undefined name", format!("module '{m}' has no attribute '{attr}'"), span);
    }
    CompileError::name("undefined name", format!("name '{name}' is not defined"), span)
}

pub(super) fn describe(g: &GlobalValue) -> String {
    match g {
        GlobalValue::Module(m) => format!("the module '{m}'"),
        GlobalValue::CFunction(c) => format!("the C function '{}'", c.name),
        GlobalValue::MathFunction(m) if m.starts_with("cmath.") => format!("the function {m}"),
        GlobalValue::MathFunction(m) => format!("the function math.{m}"),
        GlobalValue::NumpyFunction(f) => format!("the function numpy.{f}"),
        GlobalValue::NumpyDtype(t) => format!("the type numpy.{t}"),
        GlobalValue::Builtin(b) => format!("the builtin '{b}'"),
        GlobalValue::SelfFunction => "the function being compiled".to_string(),
        GlobalValue::Jitted { name, .. } => format!("the jitted function '{name}'"),
        GlobalValue::Vectorized { name, gufunc: None, .. } => format!("the @vectorize ufunc '{name}'"),
        GlobalValue::Vectorized { name, .. } => format!("the @guvectorize gufunc '{name}'"),
        GlobalValue::Unsupported { description, .. } => description.clone(),
        GlobalValue::Int(_)
        | GlobalValue::Float(_)
        | GlobalValue::Complex(..)
        | GlobalValue::Bool(_)
        | GlobalValue::Scalar(..) => "a number".to_string(),
        GlobalValue::Str(_) => "a string".to_string(),
        GlobalValue::Tuple(_) => "a tuple".to_string(),
        GlobalValue::Array(_) => "an array".to_string(),
        GlobalValue::NamedTupleValue(n, _) => format!("a namedtuple '{}'", n.class),
        GlobalValue::NamedTupleClass(n, _) => format!("the namedtuple class '{}'", n.class),
        GlobalValue::ExceptionClass { class, .. } => format!("the exception class '{class}' (raised with `raise`)"),
        GlobalValue::EnumClass(c) => {
            format!("the Enum class '{c}' (its members, `{}.NAME`, are compiled)", c.rsplit('.').next().unwrap_or(c))
        }
        GlobalValue::Undefined => "undefined".to_string(),
    }
}

impl Lowerer<'_> {
    /// `value.attr`: a `math` constant, a global reached through a module (`np.pi`), or an
    /// array attribute.
    pub(super) fn attribute(&mut self, value: &ast::Expr, attr: &str, span: Span) -> Result<hir::Expr> {
        let kind = match &value.kind {
            A::Name(m) if !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(x) if x == "math") => {
                match hir::math_constant(attr) {
                    Some(v) => H::Float(v),
                    None if MathFn::from_name(attr).is_some() => {
                        return Err(CompileError::unsupported_because(
                            "function used as a value",
                            format!("'math.{attr}' can only be called"),
                            span,
                        ))
                    }
                    None => return Err(self.bad_attribute(value, attr, span)),
                }
            }
            A::Name(m) if self.is_cmath(m) => match cmath::constant(attr) {
                Some((re, _, false)) => H::Float(re),
                Some((re, im, true)) => H::Complex(re, im),
                None if CmathFn::from_name(attr).is_some() => {
                    return Err(CompileError::unsupported_because(
                        "function used as a value",
                        format!("'cmath.{attr}' can only be called"),
                        span,
                    ))
                }
                None => return Err(self.bad_attribute(value, attr, span)),
            },
            // `np.newaxis` is None (a new axis of size 1 in an index).
            A::Name(m)
                if attr == "newaxis"
                    && !self.by_name.contains_key(m)
                    && matches!(self.global(m), GlobalValue::Module(x) if x == "numpy") =>
            {
                H::None
            }
            A::Name(m) if self.dotted(m, attr).is_some() => return self.global_value(&format!("{m}.{attr}"), span),
            // `m.sub.G` of modules (`numba.config.NUMBA_NUM_THREADS`), as the caller resolved it.
            A::Attribute { .. } if self.deep_dotted(value, attr).is_some() => {
                let name = self.deep_dotted(value, attr).expect("just checked");
                return self.global_value(&name, span);
            }
            // A field of a frozen namedtuple global (`DEFAULTS.beta`).
            A::Name(m) if !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::NamedTupleValue(..)) => {
                H::Field { value: Box::new(self.global_value(m, value.span)?), name: attr.to_string() }
            }
            A::Name(m) if !self.by_name.contains_key(m) && !matches!(self.global(m), GlobalValue::Array(_)) => {
                return Err(self.bad_attribute(value, attr, span))
            }
            A::Call { func, args, .. } if self.numpy_info(func).is_some() => {
                let which = self.numpy_info(func).expect("just checked");
                return self.numpy_info_field(which, args, attr, span);
            }
            _ if attr == "T" => H::Transpose { value: Box::new(self.expr(value)?), axes: None },
            // `a.flat` as a value (`for x in a.flat` is a loop of its own: `lower/iterate.rs`).
            _ if attr == "flat" => {
                let all = self.mk(H::Int(-1), span);
                let array = self.expr(value)?;
                let raveled = self.mk(H::Reshape { value: Box::new(array), shape: Box::new(all) }, span);
                H::Intrinsic { f: hir::Intrinsic::Flat, args: vec![raveled] }
            }
            _ => match hir::Attr::from_name(attr) {
                Some(a) => H::Attr { value: Box::new(self.expr(value)?), attr: a },
                None => {
                    if let Some(field) = self.range_field(value, attr)? {
                        return Ok(self.mk(field, span));
                    }
                    // A namedtuple's field, if `value` is one (inference says).
                    H::Field { value: Box::new(self.expr(value)?), name: attr.to_string() }
                }
            },
        };
        Ok(self.mk(kind, span))
    }
}
