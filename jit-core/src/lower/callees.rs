//! Name resolution of calls: what the function a call names is ([`Callee`]): a builtin, a
//! `math`/`cmath` or NumPy function, a jitted function of the program, a `@vectorize` object, or an error naming why
//! it is none of these.

use super::calls::print_outside_a_statement;
use super::globals::{describe, undefined};
use super::{GlobalValue, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, Intrinsic, MathFn};
use crate::registry::cmath::{self, CmathFn};
use crate::registry::{self, Builtin, NewFn, NumpyFn};

/// What a call calls.
pub(super) enum Callee {
    Intrinsic(Intrinsic),
    Reduce(hir::Reduction),
    /// `np.zeros`, `np.arange`, ...
    New(NewFn),
    /// `np.reshape`, `np.transpose`, ...
    Array(registry::ArrayFn),
    /// `np.add`, `np.greater`, ...: the operator (and the name called, for messages).
    Operator(registry::OperatorFn, String),
    Range,
    /// The builtin `sum` (of an array: along its first axis).
    Sum,
    /// `np.ndindex`, `np.ndenumerate`: only the iterable of a `for` loop.
    Iter(registry::IterFn),
    /// `enumerate`, `zip`, `reversed`: only the iterable of a `for` loop.
    Iterate(registry::IterBuiltin),
    /// `sorted(l)`.
    Sorted,
    /// `list(it)`: hoisted as a comprehension (`comprehensions.rs`).
    ListOf,
    /// `dict()`: a new empty dict.
    DictNew,
    /// `set()`: a new empty set.
    SetNew,
    /// `pow(a, b)`: `a ** b`, Python's operator.
    Pow,
    /// A function of the program (itself or another jitted function), by unit index.
    Function(u32),
    /// A value called (`f(x)` where `f` is a parameter or local, `funcs[0](x)`): which function
    /// it is, inference says from its type (`infer/functions.rs`).
    Value,
    /// A `@vectorize` object.
    Ufunc(hir::Ufunc),
    /// A C function by its address (`hir::Intrinsic::CCall`).
    CFunction(hir::CFunction),
    /// A namedtuple class, and its fields' defaults.
    NamedTuple(std::sync::Arc<crate::types::TupleNames>, Vec<Option<GlobalValue>>),
    /// `List.empty_list(t)`, `Dict.empty(key_type=k, value_type=v)` of `stickyjit.typed`
    /// (Numba's typed containers; `true`: a dict): a new empty list or dict, whose types come
    /// from what is put in, as `[]`'s and `{}`'s do (the type arguments are not read).
    EmptyOf(bool),
}

impl Lowerer<'_> {
    pub(super) fn callee(&self, func: &ast::Expr) -> Result<Callee> {
        match &func.kind {
            A::Name(n) if self.by_name.contains_key(n) => Ok(Callee::Value),
            A::Name(n) => self.callee_global(n, self.global(n), func.span),
            A::Attribute { value, attr } => match &value.kind {
                // `m.f(x)` of a local: a method of a jitclass instance (or a function held in a
                // namedtuple's field), called through its value; inference checks.
                A::Name(m) if self.by_name.contains_key(m) || matches!(self.global(m), GlobalValue::Array(_)) => {
                    Ok(Callee::Value)
                }
                A::Name(m)
                    if !self.by_name.contains_key(m) && matches!(self.global(m), GlobalValue::Module(x) if x == "math") =>
                {
                    math_fn(attr, func.span).map(|m| Callee::Intrinsic(Intrinsic::Math(m)))
                }
                A::Name(m) if self.is_cmath(m) => cmath_fn(attr, func.span).map(|f| Callee::Intrinsic(Intrinsic::Cmath(f))),
                A::Name(m) if matches!(self.global(m), GlobalValue::Builtin(b) if b.starts_with("typed.")) => {
                    match (self.global(m), attr.as_str()) {
                        (GlobalValue::Builtin(b), "empty_list") if b == "typed.List" => Ok(Callee::EmptyOf(false)),
                        (GlobalValue::Builtin(b), "empty") if b == "typed.Dict" => Ok(Callee::EmptyOf(true)),
                        _ => Err(CompileError::unsupported_because(
                            "typed container",
                            format!("'{m}.{attr}' is not compiled (List(), List(iterable), List.empty_list(t), Dict() and Dict.empty(k, v) are)"),
                            func.span,
                        )),
                    }
                }
                A::Name(m) => match self.dotted(m, attr) {
                    Some(v) => self.callee_global(&format!("{m}.{attr}"), v, func.span),
                    None => Err(self.bad_attribute(value, attr, func.span)),
                },
                // Through submodules: `numba.typed.List.empty_list(t)` (pynndescent), and a
                // jitted function `pkg.mod.f(x)`.
                A::Attribute { .. } => {
                    let receiver = super::names::dotted_chain(value)
                        .filter(|c| !self.by_name.contains_key(c.split('.').next().unwrap_or("")))
                        .and_then(|c| self.env.globals.get(&c));
                    match (receiver, attr.as_str()) {
                        (Some(GlobalValue::Builtin(b)), "empty_list") if b == "typed.List" => Ok(Callee::EmptyOf(false)),
                        (Some(GlobalValue::Builtin(b)), "empty") if b == "typed.Dict" => Ok(Callee::EmptyOf(true)),
                        _ => match self.deep_dotted(value, attr) {
                            Some(full) if matches!(self.global(&full), GlobalValue::Jitted { .. }) => {
                                self.callee_global(&full, self.global(&full), func.span)
                            }
                            _ => Ok(Callee::Value),
                        },
                    }
                }
                _ => Ok(Callee::Value),
            },
            _ => Ok(Callee::Value),
        }
    }

    /// The function a global name (or `m.attr`) bound to `v` calls.
    pub(super) fn callee_global(&self, n: &str, v: &GlobalValue, span: Span) -> Result<Callee> {
        match v {
            // `stickyjit.typed.List` and `Dict` (Numba's typed containers): `list` and `dict`.
            GlobalValue::Builtin(b) if b == "typed.List" => Ok(Callee::ListOf),
            GlobalValue::Builtin(b) if b == "typed.Dict" => Ok(Callee::DictNew),
            GlobalValue::Builtin(b) => match registry::builtin(b) {
                Some(row) => Ok(match row.builtin {
                    Builtin::Intrinsic(f) => Callee::Intrinsic(f),
                    Builtin::Range => Callee::Range,
                    Builtin::Sum => Callee::Sum,
                    Builtin::Print => return Err(print_outside_a_statement(span)),
                    Builtin::Iterate(f) => Callee::Iterate(f),
                    Builtin::Sorted => Callee::Sorted,
                    Builtin::List => Callee::ListOf,
                    Builtin::Dict => Callee::DictNew,
                    Builtin::Set => Callee::SetNew,
                    Builtin::Pow => Callee::Pow,
                }),
                // `stickyjit.prange`: `range`, run on the thread pool under `parallel=True`
                // (`lower::Lowerer::is_prange`).
                None if b == "prange" => Ok(Callee::Range),
                // `type(x)`: the NumPy scalar type of a number (`T = type(z); T(0.5)`).
                None if b == "type" => Ok(Callee::Intrinsic(Intrinsic::TypeOf)),
                None if registry::stickyjit_function(b).is_some() => {
                    Ok(Callee::Intrinsic(registry::stickyjit_function(b).expect("just checked")))
                }
                None => Err(CompileError::unsupported_because(
                    "call to an unsupported builtin",
                    format!(
                        "'{b}' is not compiled; supported builtins: {}",
                        registry::builtin_names().collect::<Vec<_>>().join(", ")
                    ),
                    span,
                )),
            },
            GlobalValue::MathFunction(m) => match m.strip_prefix("cmath.") {
                Some(c) => cmath_fn(c, span).map(|f| Callee::Intrinsic(Intrinsic::Cmath(f))),
                None => math_fn(m, span).map(|m| Callee::Intrinsic(Intrinsic::Math(m))),
            },
            GlobalValue::NumpyFunction(f) => match registry::numpy_function(f).map(|row| row.function) {
                Some(NumpyFn::New(new)) => Ok(Callee::New(new)),
                Some(NumpyFn::Reduce(r)) => Ok(Callee::Reduce(r)),
                Some(NumpyFn::Scalar(np)) => Ok(Callee::Intrinsic(Intrinsic::Np(np))),
                Some(NumpyFn::Array(f)) => Ok(Callee::Array(f)),
                Some(NumpyFn::Operator(op)) => Ok(Callee::Operator(op, n.to_string())),
                Some(NumpyFn::Iter(f)) => Ok(Callee::Iter(f)),
                Some(NumpyFn::Ndim) => Ok(Callee::Intrinsic(Intrinsic::Ndim)),
                None => Err(CompileError::unsupported_because(
                    "NumPy function",
                    format!("'{n}' (numpy.{f}) is not compiled; compiled: {}", registry::numpy_functions_text()),
                    span,
                )),
            },
            GlobalValue::NumpyDtype(t) if crate::types::Dtype::from_numpy_attr(t).is_some() => {
                Ok(Callee::Intrinsic(Intrinsic::DtypeCast(crate::types::Dtype::from_numpy_attr(t).expect("just checked"))))
            }
            GlobalValue::SelfFunction => Ok(Callee::Function(self.unit)),
            GlobalValue::Jitted { unit, .. } => Ok(Callee::Function(*unit)),
            GlobalValue::NamedTupleClass(names, defaults) => Ok(Callee::NamedTuple(names.clone(), defaults.clone())),
            GlobalValue::Vectorized { name, unit, loops, gufunc, identity } => Ok(Callee::Ufunc(hir::Ufunc {
                name: name.clone(),
                func: *unit,
                loops: loops.clone(),
                gufunc: gufunc.clone(),
                identity: *identity,
            })),
            GlobalValue::CFunction(c) => Ok(Callee::CFunction(c.clone())),
            GlobalValue::Unsupported { description, is_function: true } => Err(CompileError::unsupported_because(
                "call to a function that is not jitted",
                format!("'{n}' is {description}; decorate it with @jit to call it from jitted code"),
                span,
            )),
            GlobalValue::Undefined => Err(undefined(n, span)),
            other => {
                Err(CompileError::unsupported_because("call of a non-function", format!("'{n}' is {}", describe(other)), span))
            }
        }
    }

    pub(super) fn bad_attribute(&self, value: &ast::Expr, attr: &str, span: Span) -> CompileError {
        if let A::Name(m) = &value.kind {
            if let GlobalValue::Module(name) = self.global(m) {
                return CompileError::unsupported_because("module attribute", format!("'{name}.{attr}' is not supported"), span);
            }
            if let (GlobalValue::EnumClass(class), false) = (self.global(m), self.by_name.contains_key(m)) {
                return CompileError::unsupported_because(
                    "Enum class attribute",
                    format!("'{m}.{attr}' is not a member of the Enum class '{class}': of an Enum class, compiled code reads its members"),
                    span,
                );
            }
            if let GlobalValue::Undefined = self.global(m) {
                if !self.by_name.contains_key(m) {
                    return undefined(m, value.span);
                }
            }
        }
        CompileError::unsupported_because("attribute access", format!("'.{attr}' on a value that is not a module"), span)
    }
}

pub(super) fn math_fn(name: &str, span: Span) -> Result<MathFn> {
    MathFn::from_name(name)
        .ok_or_else(|| CompileError::unsupported_because("math function", format!("'math.{name}' is not supported"), span))
}

pub(super) fn cmath_fn(name: &str, span: Span) -> Result<CmathFn> {
    CmathFn::from_name(name).ok_or_else(|| {
        CompileError::unsupported_because(
            "cmath function",
            format!("'cmath.{name}' is not supported; supported: {}", cmath::cmath_functions_text()),
            span,
        )
    })
}

pub(super) fn check_arity(f: Intrinsic, n: usize, span: Span) -> Result<()> {
    let (name, want) = match f {
        Intrinsic::Math(_) | Intrinsic::Cmath(_) => {
            let (r, name) = match f {
                Intrinsic::Math(m) => (m.arity(), m.name()),
                Intrinsic::Cmath(c) => (c.arity(), c.name()),
                _ => unreachable!(),
            };
            if r.contains(&n) {
                return Ok(());
            }
            let want = if r.start() == r.end() {
                format!("{} argument{}", r.start(), if *r.start() == 1 { "" } else { "s" })
            } else {
                format!("{} to {} arguments", r.start(), r.end())
            };
            (name, want)
        }
        Intrinsic::Threads(t) => {
            let want = usize::from(t == hir::ThreadFn::SetNumThreads);
            if n == want {
                return Ok(());
            }
            (t.name(), if want == 1 { "exactly one argument".to_string() } else { "no arguments".to_string() })
        }
        Intrinsic::Ndim | Intrinsic::DtypeCast(_) | Intrinsic::TypeOf if n == 1 => return Ok(()),
        Intrinsic::TypeOf => ("type", "exactly one argument here (type(name, bases, dict) is not compiled)".to_string()),
        Intrinsic::DtypeCast(d) => (d.row().numpy_attr, "exactly one argument".to_string()),
        Intrinsic::Ndim => ("np.ndim", "exactly one argument".to_string()),
        Intrinsic::Np(f) if f.arity().accepts(n) => return Ok(()),
        Intrinsic::Np(f) => (f.name(), f.arity().text.to_string()),
        _ => {
            let row = registry::builtin_of(f).expect("every builtin intrinsic has a registry row");
            if row.arity.accepts(n) {
                return Ok(());
            }
            (row.name, row.arity.text.to_string())
        }
    };
    Err(CompileError::typing("call with wrong arguments", format!("{name}() takes {want}, {n} given"), span))
}
