//! Typing of functions as values: a jitted function named as a value (`Type::Function`, each
//! function a type of its own) and a call through such a value, which becomes a direct call of
//! that function's specialization for the argument types (no indirection at run time).

use super::{type_name, InferCx};
use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir;
use crate::types::Type;

impl InferCx<'_> {
    /// `callee(args)` where `callee` is a value (a parameter, a local, a tuple's item): its type
    /// names the function called.
    pub(super) fn call_value(&mut self, e: &hir::Expr, callee: &hir::Expr, args: &[hir::Expr]) -> Result<Type> {
        let ct = self.expr(callee)?;
        let mut tys = Vec::new();
        let mut arity_known = true;
        for a in args {
            let t = self.expr(a)?;
            if t == Type::None {
                return Err(CompileError::typing("call argument", "None cannot be passed to a jitted function", a.span));
            }
            match (&a.kind, t) {
                // `*t`: each item an argument of its own.
                (hir::ExprKind::Unpack(_), Type::Tuple(items)) => tys.extend(items),
                (hir::ExprKind::Unpack(_), _) => arity_known = false,
                (_, t) => tys.push(t),
            }
        }
        let (unit, captured) = match ct {
            // `T(0.5)` with `T = type(z)` or `T = np.float32`: a conversion, as `np.float32(0.5)`.
            Type::Dtype(d) if args.len() == 1 && !matches!(args[0].kind, hir::ExprKind::Unpack(_)) => {
                return self.dtype_cast(d, &args[0]);
            }
            Type::Function(unit) => (unit, Vec::new()),
            Type::Closure(unit, captured) => (unit, captured.to_vec()),
            Type::Unknown => return Ok(Type::Unknown),
            other => {
                return Err(CompileError::typing(
                    "call of a value that is not a function",
                    format!(
                        "{} is {}, not a function; only jitted functions can be called",
                        self.callee_text(callee),
                        type_name(&other)
                    ),
                    callee.span,
                ))
            }
        };
        if !arity_known {
            return Ok(Type::Unknown);
        }
        let f = &self.funcs[unit as usize];
        let want = f.params.len() - captured.len();
        // Parameters left out take their constant defaults (codegen's `call_defaults`).
        if !f.vararg && tys.len() < want {
            let defaults: Option<Vec<Type>> = (captured.len() + tys.len()..f.params.len())
                .map(|i| f.defaults.get(i).cloned().flatten().map(|c| const_type(&c)))
                .collect();
            if let Some(d) = defaults {
                tys.extend(d);
            }
        }
        if f.vararg && tys.len() + 1 >= want {
            // `*args` takes the rest as a tuple (codegen's `call_args` packs it the same way).
            let rest = tys.split_off(want - 1);
            tys.push(Type::tuple(rest));
        } else if want != tys.len() || f.vararg {
            return Err(wrong_arity(&f.name, &self.callee_text(callee), want - f.vararg as usize, tys.len(), e.span));
        }
        if !tys.iter().all(Type::is_known) {
            return Ok(Type::Unknown);
        }
        let target = self.spec_for(unit, captured.into_iter().chain(tys).collect());
        self.specs[self.current].call_targets.insert(e.id, target);
        Ok(self.specs[target].ret.clone())
    }

    /// `*t` among a call's arguments: `t`'s type, which must be a tuple (CPython takes any
    /// iterable; a tuple's length is what makes the call's arity known when compiling).
    pub(super) fn unpacked(&mut self, t: &hir::Expr, span: Span) -> Result<Type> {
        match self.expr(t)? {
            tt @ (Type::Tuple(_) | Type::Unknown) => Ok(tt),
            other => Err(CompileError::unsupported_because(
                "*args",
                format!("`*` of {}: only a tuple is unpacked into a call's arguments here", type_name(&other)),
                span,
            )),
        }
    }

    /// An inner function `func` capturing `captures`: a closure of their types (a Generator or
    /// a pointer is not captured).
    pub(super) fn closure(&mut self, func: u32, captures: &[hir::Expr]) -> Result<Type> {
        let mut tys = Vec::new();
        for c in captures {
            let t = self.expr(c)?;
            if matches!(t, Type::Generator | Type::Pointer(_)) {
                return Err(CompileError::unsupported_because(
                    "closure",
                    format!(
                        "the inner function '{}' reads {}, {}: an inner function does not capture one; pass it as an argument instead",
                        self.funcs[func as usize].name,
                        self.callee_text(c).trim_matches('\''),
                        type_name(&t)
                    ),
                    c.span,
                ));
            }
            tys.push(t);
        }
        Ok(Type::Closure(func, tys.into()))
    }

    /// How a message names the value called: `'f'` for a local, else "the value called".
    fn callee_text(&self, callee: &hir::Expr) -> String {
        match &callee.kind {
            hir::ExprKind::Local { id, .. } => format!("'{}'", self.hir_fn().locals[*id as usize].name),
            hir::ExprKind::FunctionValue(unit) => format!("'{}'", self.funcs[*unit as usize].name),
            _ => "the value called".to_string(),
        }
    }
}

/// `e` with each function type it shows (`function(#1)`, a unit's number) named as the user
/// knows it (`function(square)`).
pub(super) fn name_functions(e: CompileError, names: &[String]) -> CompileError {
    let name = |s: String| {
        if !s.contains("function(#") {
            return s;
        }
        let mut out = s;
        for (k, n) in names.iter().enumerate().rev() {
            out = out.replace(&format!("function(#{k})"), &format!("function({n})"));
        }
        out
    };
    match e {
        CompileError::Typing { construct, message, span } => CompileError::Typing { construct, message: name(message), span },
        CompileError::Unsupported { construct, detail, span } => {
            CompileError::Unsupported { construct, detail: name(detail), span }
        }
        other => other,
    }
}

/// Whether `t` is or holds a function value.
fn holds_function(t: &Type) -> bool {
    match t {
        Type::Function(_) | Type::Closure(..) => true,
        Type::Tuple(items) => items.iter().any(holds_function),
        Type::List(t) | Type::Set(t) => holds_function(t),
        Type::Dict(k, v) => holds_function(k) || holds_function(v),
        _ => false,
    }
}

/// The entry `f` returns `ret` to Python: a function value is not handed back (as in Numba).
pub(super) fn check_returned(f: &hir::Function, ret: &Type) -> Result<()> {
    if !holds_function(ret) {
        return Ok(());
    }
    Err(CompileError::typing(
        "return of a function",
        format!(
            "'{}' returns {ret}, a jitted function used as a value; compiled code does not hand a function back to Python: return what calling it gives",
            f.name
        ),
        f.span,
    ))
}

/// The type of a constant default.
pub fn const_type(c: &crate::lower::ConstValue) -> Type {
    use crate::lower::ConstValue as C;
    match c {
        C::Int(_) => Type::Int64,
        C::Float(_) => Type::Float64,
        C::Complex(..) => Type::Complex128,
        C::Bool(_) => Type::Bool,
        C::None => Type::None,
        C::Tuple(items) => Type::tuple(items.iter().map(const_type).collect()),
        C::Str(_) => Type::Str,
    }
}

/// A function value called with a number of arguments other than its parameters'.
fn wrong_arity(name: &str, through: &str, want: usize, given: usize, span: Span) -> CompileError {
    let s = if want == 1 { "" } else { "s" };
    CompileError::typing(
        "call with wrong arguments",
        format!(
            "{name}() (called through {through}) takes {want} positional argument{s} but {given} were given; a function called as a value takes every argument by position (defaults that are constants are filled in)"
        ),
        span,
    )
}
