//! Typing of iterators ([`Type::Iter`]): `iter(x)` of what a `for` loop walks, `next(it[,
//! default])`, the loop over an iterator (its `len` and item read at the position, which only
//! the lowered loop writes), and the rule that an iterator stays inside compiled code and out
//! of lists, dicts and sets.

use super::ranges::python_type_name;
use super::*;
use crate::types::{ArrayType, Layout};

impl InferCx<'_> {
    /// `iter(x)` ([`hir::Intrinsic::Iter`]) and `next(it[, default])` ([`hir::Intrinsic::Next`]).
    pub(super) fn iterator_intrinsic(&mut self, f: hir::Intrinsic, args: &[hir::Expr]) -> Result<Type> {
        let t = self.expr(&args[0])?;
        if f == hir::Intrinsic::Iter {
            return match t {
                Type::Iter(_) | Type::Unknown => Ok(t),
                t => {
                    item_type(&t, args[0].span)?;
                    // The position lives in a block of its own.
                    self.specs[self.current].allocates = true;
                    Ok(Type::Iter(Box::new(t)))
                }
            };
        }
        let item = match &t {
            Type::Iter(s) => item_type(s, args[0].span)?,
            Type::Unknown => Type::Unknown,
            t => {
                return Err(CompileError::typing(
                    "next() argument",
                    format!("'{}' object is not an iterator", python_type_name(t)),
                    args[0].span,
                ))
            }
        };
        let Some(d) = args.get(1) else { return Ok(item) };
        let dt = self.expr_keep(d)?;
        item.unify(&dt).map_err(|(a, b)| {
            CompileError::typing(
                "next() default of another type",
                format!("the iterator gives {} and the default is {}", type_name(&a), type_name(&b)),
                d.span,
            )
        })
    }

    /// `len($iterN)` of the loop a `for` over an iterator is lowered to: the items left.
    pub(super) fn iterator_len(&mut self, value: &hir::Expr) -> Result<Type> {
        self.loop_iterator(value, "len")?;
        Ok(Type::Int64)
    }

    /// `$iterN[$iN]` of that loop: the item at the position. The loops over `enumerate`,
    /// `zip` and `reversed` (`lower/iterate.rs`) read their sources at a position of their own
    /// (`$kN`, `$jN`), which an iterator does not have.
    pub(super) fn iterator_item(&mut self, value: &hir::Expr, index: &hir::Expr, s: &Type) -> Result<Type> {
        self.loop_iterator(value, "subscript")?;
        self.expr(index)?;
        let own_loop = match index.kind {
            H::Local { id, .. } => {
                let name = &self.hir_fn().locals[id as usize].name;
                name.strip_prefix("$i").is_some_and(|d| !d.is_empty() && d.bytes().all(|c| c.is_ascii_digit()))
            }
            _ => false,
        };
        if !own_loop {
            return Err(CompileError::unsupported_because(
                "enumerate(), zip() or reversed() of an iterator",
                "an iterator is walked by next() or a for loop of its own here: take list(it) first, or call next(it) in the loop",
                value.span,
            ));
        }
        item_type(s, value.span)
    }

    /// An iterator read by `len` or an index: only the loop over it does (CPython's iterators
    /// have neither).
    fn loop_iterator(&self, value: &hir::Expr, what: &str) -> Result<()> {
        if let H::Local { id, .. } = value.kind {
            if self.hir_fn().locals[id as usize].name.starts_with("$iter") {
                return Ok(());
            }
        }
        let message = match what {
            "len" => "object of type 'iterator' has no len()",
            _ => "'iterator' object is not subscriptable",
        };
        Err(CompileError::typing(format!("{what} of an iterator"), message, value.span))
    }
}

/// The type of the items an iterator over `s` gives (CPython's `TypeError` for what it cannot
/// walk).
pub(super) fn item_type(s: &Type, span: Span) -> Result<Type> {
    Ok(match s {
        Type::List(t) => (**t).clone(),
        Type::Range => Type::Int64,
        Type::Str => Type::Str,
        Type::Unknown => Type::Unknown,
        Type::Tuple(ts) if ts.is_record() => return Err(super::named_tuples::not_a_tuple("iteration", s, span)),
        Type::Tuple(ts) => match ts.common_item() {
            _ if ts.is_empty() => Type::None,
            Some(item) => item,
            None => {
                return Err(CompileError::unsupported_because(
                    "iterator over a tuple of mixed types",
                    format!("iter() of {s}: an iterator's items have one type here"),
                    span,
                ))
            }
        },
        Type::Array(a) if a.ndim == 1 => a.dtype.element(),
        // A row: C-contiguous when the array is, else strided.
        Type::Array(a) if a.ndim > 1 => {
            let layout = if a.layout == Layout::C { Layout::C } else { Layout::A };
            Type::Array(ArrayType { ndim: a.ndim - 1, layout, ..*a })
        }
        Type::Array(_) => {
            return Err(CompileError::typing("iteration over a 0-d array", "iteration over a 0-d array", span));
        }
        t => {
            return Err(CompileError::typing(
                "iter() argument",
                format!("'{}' object is not iterable", python_type_name(t)),
                span,
            ))
        }
    })
}

/// Whether a value of type `t` holds an iterator anywhere.
pub(super) fn holds_iterator(t: &Type) -> bool {
    match t {
        Type::Iter(_) => true,
        Type::Tuple(ts) | Type::Closure(_, ts) => ts.iter().any(holds_iterator),
        Type::List(t) | Type::Set(t) | Type::Optional(t) => holds_iterator(t),
        Type::Dict(k, v) => holds_iterator(k) || holds_iterator(v),
        _ => false,
    }
}

/// Whether `t` is a list, dict or set holding an iterator (refused: a container's items are
/// not counted, and an iterator in one would outlive what it walks).
fn container_of_iterator(t: &Type) -> bool {
    match t {
        Type::List(t) | Type::Set(t) => holds_iterator(t),
        Type::Dict(k, v) => holds_iterator(k) || holds_iterator(v),
        Type::Tuple(ts) | Type::Closure(_, ts) => ts.iter().any(container_of_iterator),
        Type::Optional(t) | Type::Iter(t) => container_of_iterator(t),
        _ => false,
    }
}

/// The entry does not hand an iterator back to Python.
pub(super) fn check_returned(f: &hir::Function, ret: &Type) -> Result<()> {
    if !holds_iterator(ret) {
        return Ok(());
    }
    Err(CompileError::unsupported_because(
        "return of an iterator",
        format!(
            "'{}' returns {ret}; compiled code does not hand an iterator back to Python: return list(it), or the items",
            f.name
        ),
        f.span,
    ))
}

/// No expression of `f` is a list, dict or set of iterators.
pub(super) fn check_containers(f: &hir::Function, s: &TypedFunction) -> Result<()> {
    fn exprs(e: &hir::Expr, s: &TypedFunction) -> Result<()> {
        if s.expr_types.get(e.id as usize).is_some_and(container_of_iterator) {
            return Err(CompileError::unsupported_because(
                "container of iterators",
                format!(
                    "{} holds an iterator; iterators are compiled in locals and tuples, not in lists, dicts or sets",
                    s.expr_types[e.id as usize]
                ),
                e.span,
            ));
        }
        e.kind.children().into_iter().try_for_each(|c| exprs(c, s))
    }
    fn stmts(b: &[hir::Stmt], s: &TypedFunction) -> Result<()> {
        for st in b {
            let own: Vec<&hir::Expr> = match &st.kind {
                S::Assign { value, .. } | S::AugAssign { value, .. } | S::Expr(value) | S::Return(Some(value)) => vec![value],
                S::AugAssignIndex { array, index, value, .. } => vec![array, index, value],
                S::If { test, .. } | S::While { test, .. } => vec![test],
                S::ForRange { start, stop, step, .. } => vec![start, stop, step],
                S::Print { items, .. } => items.iter().filter_map(hir::PrintItem::value).collect(),
                _ => Vec::new(),
            };
            for v in own {
                exprs(v, s)?;
            }
            for block in st.kind.blocks() {
                stmts(block, s)?;
            }
        }
        Ok(())
    }
    for (i, t) in s.local_types.iter().enumerate() {
        if container_of_iterator(t) {
            return Err(CompileError::unsupported_because(
                "container of iterators",
                format!(
                    "'{}' is {t}; iterators are compiled in locals and tuples, not in lists, dicts or sets",
                    f.locals[i].name
                ),
                f.locals[i].span,
            ));
        }
    }
    stmts(&f.body, s)
}
