//! Typing of lists: literals, `append`/`pop`, items read and written, `len`. A list holds one
//! item type, the unification of every item put in (Numba's typed lists); a list held by a
//! local widens with what is appended to it (`[]` then `append(1.5)` is a list of float64).

use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, ListMethod};
use crate::types::Type;

use super::{require_integer, type_name, InferCx};

/// What a list may hold here: numbers, strings, arrays, lists of these, and tuples of them.
pub(super) fn listable(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.iter().all(listable),
        Type::List(item) => listable(item),
        Type::Unknown | Type::Str | Type::Array(_) => true,
        t => t.is_number(),
    }
}

/// The items `l.extend(x)` takes from `x` when it is no list: a range's ints, a tuple's numbers
/// (of one type), a 1-D array's elements (`codegen::list` walks it as a `for` loop would).
pub(super) fn extended_item(t: &Type) -> Option<Type> {
    match t {
        Type::Range => Some(Type::Int64),
        Type::Tuple(ts) if !ts.is_record() => {
            let first = ts.first()?;
            (ts.iter().all(|t| t == first) && (first.is_numeric() || first.is_complex())).then(|| first.clone())
        }
        Type::Array(a) if a.ndim == 1 => Some(a.dtype.element()),
        _ => None,
    }
}

fn not_listable(t: &Type, span: Span) -> CompileError {
    CompileError::unsupported_because(
        "list item",
        format!("a list of {} is not compiled; lists hold numbers, strings, arrays, lists and tuples of them", type_name(t)),
        span,
    )
}

impl InferCx<'_> {
    /// `[a, b, ...]`: a new list of the items' unified type.
    pub(super) fn list_literal(&mut self, items: &[hir::Expr], span: Span) -> Result<Type> {
        self.specs[self.current].allocates = true;
        let mut t = Type::Unknown;
        for it in items {
            let it_t = self.expr(it)?;
            if !listable(&it_t) {
                return Err(not_listable(&it_t, it.span));
            }
            t = t.unify_item(&it_t).map_err(|(a, b)| {
                CompileError::typing(
                    "list of mixed types",
                    format!("a list holds one type; its items are {} and {}", type_name(&a), type_name(&b)),
                    span,
                )
            })?;
        }
        Ok(Type::List(Box::new(t)))
    }

    /// The type `v` (of type `vt`) stored into the list `list` makes it: a list held by a local
    /// widens (`assign_local`); any other must already hold `vt`'s kind.
    fn put_into(&mut self, list: &hir::Expr, item: &Type, vt: &Type, span: Span) -> Result<()> {
        if !listable(vt) {
            return Err(not_listable(vt, span));
        }
        // A list that is a value of a dict held by a local (`d.setdefault(k, []).append(x)`,
        // `d[k].append(x)`): the dict widens, as a list held by a local does.
        let dict_local = match &list.kind {
            H::DictMethod { method: hir::DictMethod::SetDefault | hir::DictMethod::Get, dict, .. } => Some(&**dict),
            H::Subscript { value, .. } => Some(&**value),
            _ => None,
        };
        if let Some(H::Local { id, .. }) = dict_local.map(|d| &d.kind) {
            if let Type::Dict(k, v) = self.specs[self.current].local_types[*id as usize].clone() {
                if matches!(*v, Type::List(_)) && !self.hir_fn().params.contains(id) {
                    let widened = Type::Dict(k, Box::new(Type::List(Box::new(vt.clone()))));
                    return self.assign_local(*id, &widened, span);
                }
            }
        }
        if let H::Local { id, .. } = list.kind {
            // A list argument is the caller's list (its changes are copied back): its item type
            // is the one its items gave it.
            let f = self.hir_fn();
            if f.params.contains(&id) && item.is_known() && vt.is_known() && item.unify_item(vt).as_ref() != Ok(item) {
                return Err(CompileError::typing(
                    "list argument of another item type",
                    format!(
                        "the list argument '{}' holds {}; it cannot take {} (pass a list of {} to put them in one)",
                        f.locals[id as usize].name,
                        type_name(item),
                        type_name(vt),
                        type_name(&item.unify_item(vt).unwrap_or(Type::Float64))
                    ),
                    span,
                ));
            }
            return self.assign_local(id, &Type::List(Box::new(vt.clone())), span);
        }
        match item.unify_item(vt) {
            Ok(t) if t == *item || !vt.is_known() => Ok(()),
            _ => Err(CompileError::typing(
                "list item of another type",
                format!("a list of {} cannot take {} here", type_name(item), type_name(vt)),
                span,
            )),
        }
    }

    pub(super) fn list_method(
        &mut self,
        method: ListMethod,
        list: &hir::Expr,
        args: &[hir::Expr],
        alt: Option<&hir::Expr>,
        span: Span,
    ) -> Result<Type> {
        let what = format!(".{}()", method.name());
        let lt = self.expr(list)?;
        // An array's `copy()`/`sort()`: the call as the array's method.
        if let (Some(alt), false) = (alt, matches!(lt, Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Unknown)) {
            return self.expr(alt);
        }
        // `sorted(d)`, `sorted(s)`: the keys (items), sorted, as sorted() of the list of them.
        if let (ListMethod::Sorted, Type::Dict(k, _) | Type::Set(k)) = (method, &lt) {
            let keys = Type::List(k.clone());
            return self.sorted_keys(&keys, args, span);
        }
        if let Type::Dict(k, v) = &lt {
            return self.dict_list_method(method, (k, v), &lt, args, span);
        }
        if let Type::Set(item) = &lt {
            return self.set_list_method(method, item, &lt, args, span);
        }
        if lt == Type::Str {
            return self.string_list_method(method, args, span);
        }
        if method == ListMethod::Contains {
            return self.contains(&lt, args, span);
        }
        let item = match lt {
            Type::Unknown => {
                for a in args {
                    self.expr(a)?;
                }
                return Ok(Type::Unknown);
            }
            Type::List(t) => *t,
            t => {
                let name = if method == ListMethod::Sorted { "sorted()".to_string() } else { what.clone() };
                return Err(CompileError::typing(
                    name.clone(),
                    format!("{name} of {}; only lists have it here", type_name(&t)),
                    list.span,
                ));
            }
        };
        let tys: Vec<Type> = args.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        let wrong = |want: &str| {
            CompileError::typing("call with wrong arguments", format!("{what} takes {want}, {} given", args.len()), span)
        };
        let number = |t: &Type, a: &hir::Expr| -> Result<()> {
            if t.is_number() || *t == Type::Unknown {
                return Ok(());
            }
            Err(CompileError::unsupported_because(
                "list item comparison",
                format!("{what} compares numbers here, not {}", type_name(t)),
                a.span,
            ))
        };
        match (method, tys.as_slice()) {
            (ListMethod::Append | ListMethod::AppendReserved, [vt]) => {
                self.put_into(list, &item, vt, args[0].span)?;
                Ok(Type::None)
            }
            // A comprehension's range bounds (lowering made it: they are integers).
            (ListMethod::Reserve, _) => Ok(Type::None),
            (ListMethod::Append | ListMethod::AppendReserved, _) => Err(wrong("exactly one argument")),
            (ListMethod::Pop, []) => Ok(item),
            (ListMethod::Pop, [it]) => {
                require_integer(it, "list index", "list indices", args[0].span)?;
                Ok(item)
            }
            (ListMethod::Pop, _) => Err(wrong("at most 1 argument")),
            (ListMethod::DelItem, [it]) => {
                require_integer(it, "list index", "list indices", args[0].span)?;
                Ok(Type::None)
            }
            (ListMethod::DelItem, _) => Err(wrong("exactly one argument")),
            (ListMethod::Extend, [Type::List(other)]) => {
                let other = (**other).clone();
                self.put_into(list, &item, &other, args[0].span)?;
                Ok(Type::None)
            }
            (ListMethod::Extend, [Type::Unknown]) => Ok(Type::None),
            (ListMethod::Extend, [Type::Tuple(ts)]) if ts.is_empty() && !ts.is_record() => Ok(Type::None),
            (ListMethod::Extend, [t]) if extended_item(t).is_some() => {
                let other = extended_item(t).expect("just checked");
                self.put_into(list, &item, &other, args[0].span)?;
                Ok(Type::None)
            }
            (ListMethod::Extend, [t]) => Err(CompileError::typing(
                ".extend()",
                format!(
                    ".extend() takes a list, a range, a tuple of numbers of one type or a 1-D array of numbers here, not {}",
                    type_name(t)
                ),
                args[0].span,
            )),
            (ListMethod::Extend, _) => Err(wrong("exactly one argument")),
            (ListMethod::Insert, [it, vt]) => {
                require_integer(it, "list index", "list indices", args[0].span)?;
                self.put_into(list, &item, vt, args[1].span)?;
                Ok(Type::None)
            }
            (ListMethod::Insert, _) => Err(wrong("exactly 2 arguments")),
            (ListMethod::Remove | ListMethod::Index | ListMethod::Count, [vt]) => {
                number(&item, list)?;
                number(vt, &args[0])?;
                Ok(if method == ListMethod::Remove { Type::None } else { Type::Int64 })
            }
            (ListMethod::Remove | ListMethod::Index | ListMethod::Count, _) => Err(wrong("exactly one argument")),
            (ListMethod::Reverse | ListMethod::Clear, []) => Ok(Type::None),
            (ListMethod::Copy, []) => {
                self.specs[self.current].allocates = true;
                Ok(Type::List(Box::new(item)))
            }
            (ListMethod::Reverse | ListMethod::Clear | ListMethod::Copy, _) => Err(wrong("no arguments")),
            (ListMethod::Sort | ListMethod::Sorted, rest) if rest.len() <= 1 => {
                if !(item.is_numeric() || item == Type::Unknown || item == Type::Str) {
                    return Err(CompileError::unsupported_because(
                        "sort of a list",
                        format!("lists of real numbers and of strings are sorted here, not of {}", type_name(&item)),
                        list.span,
                    ));
                }
                if let Some(t) = rest.first() {
                    if !(t.is_numeric() || *t == Type::Unknown) {
                        return Err(CompileError::typing("reverse=", "reverse= takes a bool", args[0].span));
                    }
                }
                if method == ListMethod::Sorted {
                    self.specs[self.current].allocates = true;
                    Ok(Type::List(Box::new(item)))
                } else {
                    Ok(Type::None)
                }
            }
            (ListMethod::Sort | ListMethod::Sorted, _) => Err(wrong("at most reverse=")),
            (ListMethod::Contains, _) => unreachable!("typed above"),
        }
    }

    /// `sorted(d)` of a dict or set whose keys (items) make the list `keys`.
    fn sorted_keys(&mut self, keys: &Type, args: &[hir::Expr], span: Span) -> Result<Type> {
        let Type::List(item) = keys else { unreachable!("a list type") };
        if !(item.is_numeric() || **item == Type::Unknown || **item == Type::Str) {
            return Err(CompileError::unsupported_because(
                "sorted()",
                format!("real numbers and strings are sorted here, not {}", type_name(item)),
                span,
            ));
        }
        for a in args {
            let t = self.expr(a)?;
            if !(t.is_numeric() || t == Type::Unknown) {
                return Err(CompileError::typing("reverse=", "reverse= takes a bool", a.span));
            }
        }
        self.specs[self.current].allocates = true;
        Ok(keys.clone())
    }

    /// `x in c` of a list, tuple, range or array `c` (typed `ct`): bool.
    fn contains(&mut self, ct: &Type, args: &[hir::Expr], span: Span) -> Result<Type> {
        let xt = self.expr(&args[0])?;
        let items: Vec<Type> = match ct {
            Type::Unknown => return Ok(Type::Bool),
            Type::List(t) => vec![(**t).clone()],
            Type::Tuple(ts) => ts.to_vec(),
            Type::Range => return self.range_contains(&xt, span),
            // NumPy's `(a == x).any()`, of a number `x`.
            Type::Array(_) if xt.is_number() || xt == Type::Unknown => return Ok(Type::Bool),
            Type::Array(_) => {
                return Err(CompileError::unsupported_because(
                    "'in' comparison",
                    format!("'x in a' of an array compares a number with its elements here, not {}", type_name(&xt)),
                    span,
                ))
            }
            t => {
                return Err(CompileError::unsupported_because(
                    "'in' comparison",
                    format!("'in' is compiled for lists and tuples of numbers, not {}", type_name(t)),
                    span,
                ))
            }
        };
        // A tuple's items are compared one by one (`c in (Color.RED, Color.BLUE)` of Enum members).
        let enums = matches!(ct, Type::Tuple(_)) && items.iter().chain(std::iter::once(&xt)).any(super::ops::is_enum_member);
        for t in items.iter().chain(std::iter::once(&xt)) {
            if !(t.is_number() || *t == Type::Unknown || (enums && super::ops::is_enum_member(t))) {
                return Err(CompileError::unsupported_because(
                    "'in' comparison",
                    format!("'in' compares numbers here, not {}", type_name(t)),
                    span,
                ));
            }
        }
        Ok(Type::Bool)
    }

    /// `l[i]` of a list of `item`s; `l[a:b:c]`: a new list.
    pub(super) fn list_subscript(&mut self, item: &Type, index: &hir::Expr) -> Result<Type> {
        if let H::Slice { lower, upper, step } = &index.kind {
            for part in [lower, upper, step].into_iter().flatten() {
                let t = self.expr(part)?;
                require_integer(&t, "slice", "slice indices", part.span)?;
            }
            self.specs[self.current].allocates = true;
            return Ok(Type::List(Box::new(item.clone())));
        }
        let it = self.expr(index)?;
        require_integer(&it, "list index", "list indices", index.span)?;
        Ok(item.clone())
    }

    /// `l[i] = v` into a list of `item`s.
    pub(super) fn list_store(&mut self, list: &hir::Expr, item: &Type, index: &hir::Expr, vt: &Type) -> Result<()> {
        if let H::Slice { .. } = index.kind {
            return Err(CompileError::unsupported_because(
                "list slice assignment",
                "assignment to a slice of a list is not compiled yet",
                index.span,
            ));
        }
        self.list_subscript(item, index)?;
        self.put_into(list, item, vt, index.span)
    }

    /// A list literal assigned to a local is made with the local's type (which later appends
    /// may have widened), so that no copy is ever needed to convert it.
    pub(super) fn type_literal_as(&mut self, value: &hir::Expr, local: u32) {
        if let H::List(_) | H::Dict(_) | H::Set(_) = value.kind {
            let lt = self.specs[self.current].local_types[local as usize].clone();
            if let Type::List(_) | Type::Dict(..) | Type::Set(_) = lt {
                self.specs[self.current].expr_types[value.id as usize] = lt;
            }
        }
    }

    /// `np.asarray(x)`: an array is itself; a list of numbers (or of rows of numbers) is typed
    /// as `np.array(x)` types it.
    pub(super) fn as_array(&mut self, x: &hir::Expr, span: Span) -> Result<Type> {
        match self.expr(x)? {
            t @ (Type::Array(_) | Type::Unknown) => Ok(t),
            Type::List(_) | Type::Tuple(_) => {
                self.new_array_type(&hir::NewArray::Copy { array: Box::new(x.clone()), dtype: None }, span)
            }
            // A number: a new 0-d array holding it (poliastro's `angle = np.asarray(angle)`).
            t if t.is_number() => {
                self.specs[self.current].allocates = true;
                let dtype = crate::types::Dtype::of_scalar(&t);
                Ok(Type::Array(crate::types::ArrayType { dtype, ndim: 0, layout: crate::types::Layout::C, readonly: false }))
            }
            t => Err(CompileError::unsupported_because(
                "np.asarray()",
                format!("np.asarray() takes an array, a number or a list of numbers here, not {}", type_name(&t)),
                span,
            )),
        }
    }
}
