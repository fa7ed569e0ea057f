//! Typing of dicts: literals, `d[k]` read and written, `k in d`, `len(d)`, the methods, and a
//! dict as the iterable of a `for` loop. A dict holds one key type and one value type, each the
//! unification of what is put in (Numba's typed dicts); a dict held by a local widens with
//! what is stored into it (`{}` then `d[1] = 2.5` is a dict of int64 to float64).

use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, DictMethod, ExprKind as H, ListMethod};
use crate::types::Type;

use super::{type_name, InferCx};

/// What a dict may hold as a key or a value here: numbers, tuples of numbers, and strings
/// (a string key only alone, not inside a tuple).
fn storable(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.iter().all(|t| *t != Type::Str && storable(t)),
        Type::Unknown | Type::Str => true,
        t => t.is_number(),
    }
}

/// What a dict may hold as a value: what it may hold as a key, and arrays and lists (what a
/// list may hold, `lists::listable`).
fn value_storable(t: &Type) -> bool {
    storable(t) || super::lists::listable(t)
}

fn not_storable(what: &str, t: &Type, span: Span) -> CompileError {
    let holds = if what == "value" {
        "dict values are numbers, strings, tuples of numbers, arrays and lists"
    } else {
        "dict keys are numbers, strings and tuples of numbers"
    };
    CompileError::unsupported_because(
        format!("dict {what}"),
        format!("a dict {what} of {} is not compiled; {holds}", type_name(t)),
        span,
    )
}

fn not_storable_in_set(t: &Type, span: Span) -> CompileError {
    CompileError::unsupported_because(
        "set item",
        format!("a set of {} is not compiled yet; sets hold numbers and tuples of numbers", type_name(t)),
        span,
    )
}

fn mixed(what: &str, a: &Type, b: &Type, span: Span) -> CompileError {
    CompileError::typing(
        format!("dict of mixed {what} types"),
        format!("a dict holds one {what} type; its {what}s are {} and {}", type_name(a), type_name(b)),
        span,
    )
}

impl InferCx<'_> {
    /// `{k: v, ...}`: a new dict of the keys' and the values' unified types.
    pub(super) fn dict_literal(&mut self, pairs: &[(hir::Expr, hir::Expr)], span: Span) -> Result<Type> {
        self.specs[self.current].allocates = true;
        let (mut kt, mut vt) = (Type::Unknown, Type::Unknown);
        for (k, v) in pairs {
            let (a, b) = (self.expr(k)?, self.expr(v)?);
            if !storable(&a) {
                return Err(not_storable("key", &a, k.span));
            }
            if !value_storable(&b) {
                return Err(not_storable("value", &b, v.span));
            }
            kt = kt.unify_item(&a).map_err(|(x, y)| mixed("key", &x, &y, span))?;
            vt = vt.unify_item(&b).map_err(|(x, y)| mixed("value", &x, &y, span))?;
        }
        Ok(Type::Dict(Box::new(kt), Box::new(vt)))
    }

    /// `{a, b, ...}`, `set()`: a new set of the items' unified type.
    pub(super) fn set_literal(&mut self, items: &[hir::Expr], span: Span) -> Result<Type> {
        self.specs[self.current].allocates = true;
        let mut t = Type::Unknown;
        for it in items {
            let a = self.expr(it)?;
            if !storable(&a) {
                return Err(not_storable_in_set(&a, it.span));
            }
            t = t.unify_item(&a).map_err(|(x, y)| mixed("item", &x, &y, span))?;
        }
        Ok(Type::Set(Box::new(t)))
    }

    /// Puts an item of `xt` into `set` (of `item`s): a set held by a local widens.
    fn put_into_set(&mut self, set: &hir::Expr, item: &Type, xt: &Type, span: Span) -> Result<()> {
        if !storable(xt) {
            return Err(not_storable_in_set(xt, span));
        }
        if let H::Local { id, .. } = set.kind {
            let f = self.hir_fn();
            if f.params.contains(&id) && item.unify_item(xt).as_ref() != Ok(item) {
                return Err(CompileError::typing(
                    "set argument of another type",
                    format!(
                        "the set argument '{}' holds {}; it cannot take {}",
                        f.locals[id as usize].name,
                        type_name(item),
                        type_name(xt)
                    ),
                    span,
                ));
            }
            return self.assign_local(id, &Type::Set(Box::new(xt.clone())), span);
        }
        match item.unify_item(xt) {
            Ok(t) if t == *item || !xt.is_known() => Ok(()),
            _ => Err(CompileError::typing(
                "set item of another type",
                format!("a set of {} cannot take {} here", type_name(item), type_name(xt)),
                span,
            )),
        }
    }

    /// `s.add(x)`, `s.discard(x)`, `s.update(t)` and what a `for` loop over a set walks.
    fn set_method(&mut self, method: DictMethod, set: &hir::Expr, item: &Type, args: &[hir::Expr], span: Span) -> Result<Type> {
        let what = format!("set.{}()", method.name());
        let wrong = |want: &str| {
            CompileError::typing("call with wrong arguments", format!("{what} takes {want}, {} given", args.len()), span)
        };
        match (method, args) {
            (DictMethod::Iter, []) => {
                self.specs[self.current].allocates = true;
                Ok(Type::List(Box::new(item.clone())))
            }
            (DictMethod::Add, [x]) => {
                let xt = self.expr(x)?;
                self.put_into_set(set, item, &xt, x.span)?;
                Ok(Type::None)
            }
            (DictMethod::Discard, [x]) => {
                self.lookup_key(item, x)?;
                Ok(Type::None)
            }
            (DictMethod::Update, [other]) => match self.expr(other)? {
                Type::Set(t) => {
                    self.put_into_set(set, item, &t, other.span)?;
                    Ok(Type::None)
                }
                Type::Unknown => Ok(Type::None),
                t => Err(CompileError::unsupported_because(
                    "set.update() argument",
                    format!("set.update() takes a set here, not {}", type_name(&t)),
                    other.span,
                )),
            },
            (DictMethod::Add | DictMethod::Discard | DictMethod::Update, _) => Err(wrong("exactly one argument")),
            (m, _) => Err(CompileError::typing(format!(".{}()", m.name()), format!("set has no method '{}'", m.name()), span)),
        }
    }

    /// The list methods a set has too: `s.remove(x)`, `s.copy()`, `s.clear()`, and `x in s`.
    pub(super) fn set_list_method(
        &mut self,
        method: ListMethod,
        item: &Type,
        st: &Type,
        args: &[hir::Expr],
        span: Span,
    ) -> Result<Type> {
        let what = format!("set.{}()", method.name());
        let wrong = |want: &str| {
            CompileError::typing("call with wrong arguments", format!("{what} takes {want}, {} given", args.len()), span)
        };
        match (method, args) {
            (ListMethod::Contains, [x]) => {
                self.lookup_key(item, x)?;
                Ok(Type::Bool)
            }
            (ListMethod::Remove, [x]) => {
                self.lookup_key(item, x)?;
                Ok(Type::None)
            }
            (ListMethod::Remove, _) => Err(wrong("exactly one argument")),
            (ListMethod::Copy, []) => {
                self.specs[self.current].allocates = true;
                Ok(st.clone())
            }
            (ListMethod::Clear, []) => Ok(Type::None),
            (ListMethod::Copy | ListMethod::Clear, _) => Err(wrong("no arguments")),
            (ListMethod::Pop, _) => Err(CompileError::unsupported_because(
                "set.pop()",
                "set.pop() removes an arbitrary item (CPython's hash order), which is not compiled",
                span,
            )),
            (m, _) => Err(CompileError::typing(format!(".{}()", m.name()), format!("set has no method '{}'", m.name()), span)),
        }
    }

    /// The key `k` (of type `kt`) looked up in a dict of `key`s: a key of another type must
    /// convert to the dict's without loss (an int key in a dict of floats).
    fn lookup_key(&mut self, key: &Type, k: &hir::Expr) -> Result<Type> {
        let kt = self.expr(k)?;
        if !storable(&kt) {
            return Err(not_storable("key", &kt, k.span));
        }
        match key.unify_item(&kt) {
            Ok(t) if t == *key || !kt.is_known() || !key.is_known() => Ok(kt),
            _ => Err(CompileError::typing(
                "dict key of another type",
                format!("a dict of {} keys is looked up with {}", type_name(key), type_name(&kt)),
                k.span,
            )),
        }
    }

    /// Stores a key of `kt` and a value of `vt` into `dict` (of `key`s and `value`s): a dict
    /// held by a local widens (`assign_local`); any other must already hold both.
    fn put_into_dict(
        &mut self,
        dict: &hir::Expr,
        (key, value): (&Type, &Type),
        (kt, vt): (&Type, &Type),
        span: Span,
    ) -> Result<()> {
        if !storable(kt) {
            return Err(not_storable("key", kt, span));
        }
        if !value_storable(vt) {
            return Err(not_storable("value", vt, span));
        }
        let widened = Type::Dict(Box::new(kt.clone()), Box::new(vt.clone()));
        if let H::Local { id, .. } = dict.kind {
            // A dict argument (from another jitted function) keeps the types it came with.
            let f = self.hir_fn();
            let have = Type::Dict(Box::new(key.clone()), Box::new(value.clone()));
            if f.params.contains(&id) && have.unify_item(&widened).as_ref() != Ok(&have) {
                return Err(CompileError::typing(
                    "dict argument of another type",
                    format!(
                        "the dict argument '{}' holds {} to {}; it cannot take {} to {}",
                        f.locals[id as usize].name,
                        type_name(key),
                        type_name(value),
                        type_name(kt),
                        type_name(vt)
                    ),
                    span,
                ));
            }
            return self.assign_local(id, &widened, span);
        }
        let fits = |have: &Type, put: &Type| matches!(have.unify_item(put), Ok(t) if t == *have || !put.is_known());
        if fits(key, kt) && fits(value, vt) {
            return Ok(());
        }
        Err(CompileError::typing(
            "dict item of another type",
            format!(
                "a dict of {} to {} cannot take {} to {} here",
                type_name(key),
                type_name(value),
                type_name(kt),
                type_name(vt)
            ),
            span,
        ))
    }

    /// `d[k]` of a dict of `key`s to `value`s.
    pub(super) fn dict_subscript(&mut self, key: &Type, value: &Type, index: &hir::Expr) -> Result<Type> {
        self.lookup_key(key, index)?;
        Ok(value.clone())
    }

    /// `d[k] = v` into a dict of `key`s to `value`s.
    pub(super) fn dict_store(
        &mut self,
        dict: &hir::Expr,
        (key, value): (&Type, &Type),
        index: &hir::Expr,
        vt: &Type,
    ) -> Result<()> {
        let kt = self.expr(index)?;
        self.put_into_dict(dict, (key, value), (&kt, vt), index.span)
    }

    /// `l[i] op= v` of a list, `d[k] op= v` of a dict (`container` typed `ct`): the item read,
    /// `op` applied, the result stored back (which may widen a local's item or value type).
    pub(super) fn container_aug_assign(
        &mut self,
        container: &hir::Expr,
        ct: &Type,
        index: &hir::Expr,
        op: crate::ast::BinOp,
        value: &hir::Expr,
        span: Span,
    ) -> Result<()> {
        let item = match ct {
            Type::List(item) => self.list_subscript(item, index)?,
            Type::Dict(k, v) => self.dict_subscript(k, v, index)?,
            _ => unreachable!("a list or a dict"),
        };
        if item.holds_references() && item != Type::Str {
            // CPython changes a list or an array item in place (`+=` is `__iadd__`); compiled
            // code would store a new one.
            return Err(CompileError::unsupported_because(
                "augmented assignment to a container's item",
                format!("`x[k] op= v` of an item that is {} is not compiled (write `x[k].extend(v)`, or `y = x[k]` then `y += v` for an array)", type_name(&item)),
                span,
            ));
        }
        let t = self.binary(op, &item, value, span)?;
        self.specs[self.current].aug_types.insert(value.id, t.clone());
        match ct {
            Type::List(item) => self.list_store(container, item, index, &t),
            Type::Dict(k, v) => self.dict_store(container, (k, v), index, &t),
            _ => unreachable!("a list or a dict"),
        }
    }

    /// `d.get(k, default)`, `d.items()`, ... and what a loop iterates over (`DictMethod::Iter`).
    pub(super) fn dict_method(&mut self, method: DictMethod, dict: &hir::Expr, args: &[hir::Expr], span: Span) -> Result<Type> {
        let dt = self.expr(dict)?;
        if let Type::Set(item) = &dt {
            return self.set_method(method, dict, item, args, span);
        }
        let (key, value) = match (&dt, method) {
            (Type::Dict(_, _), DictMethod::Add | DictMethod::Discard) => {
                return Err(CompileError::typing(
                    format!(".{}()", method.name()),
                    format!("dict has no method '{}'", method.name()),
                    span,
                ))
            }
            (Type::Dict(k, v), _) => ((**k).clone(), (**v).clone()),
            (_, DictMethod::Iter) => return Ok(dt),
            (Type::Unknown, _) => {
                for a in args {
                    self.expr(a)?;
                }
                return Ok(Type::Unknown);
            }
            (t, _) => {
                return Err(CompileError::typing(
                    format!(".{}()", method.name()),
                    format!(".{}() of {}; only dicts have it here", method.name(), type_name(t)),
                    dict.span,
                ))
            }
        };
        let what = format!("dict.{}()", method.name());
        let wrong = |want: &str| {
            CompileError::typing("call with wrong arguments", format!("{what} takes {want}, {} given", args.len()), span)
        };
        let list = |t: Type| Type::List(Box::new(t));
        match (method, args) {
            (DictMethod::Iter | DictMethod::Keys, []) => {
                self.specs[self.current].allocates = true;
                Ok(list(key))
            }
            (DictMethod::Values, []) => {
                self.specs[self.current].allocates = true;
                Ok(list(value))
            }
            (DictMethod::Items, []) => {
                self.specs[self.current].allocates = true;
                Ok(list(Type::tuple(vec![key, value])))
            }
            (DictMethod::Keys | DictMethod::Values | DictMethod::Items | DictMethod::Iter, _) => Err(wrong("no arguments")),
            // No default (or `None`): the value, or None for a missing key.
            (DictMethod::Get, [k]) | (DictMethod::Get, [k, hir::Expr { kind: hir::ExprKind::None, .. }]) => {
                self.lookup_key(&key, k)?;
                Ok(if value.is_known() { Type::Optional(Box::new(value)) } else { Type::Unknown })
            }
            (DictMethod::Get, [k, d]) => {
                self.lookup_key(&key, k)?;
                let dt = self.expr(d)?;
                value.unify_item(&dt).map_err(|(a, b)| mixed("value", &a, &b, d.span))
            }
            (DictMethod::SetDefault, [_]) => Err(CompileError::unsupported_because(
                format!("{what} without a default"),
                format!("{what} without a default gives None for a missing key, which is not compiled; give the default"),
                span,
            )),
            (DictMethod::SetDefault, [k, d]) => {
                let (kt, vt) = (self.expr(k)?, self.expr(d)?);
                self.put_into_dict(dict, (&key, &value), (&kt, &vt), span)?;
                Ok(value.unify_item(&vt).unwrap_or(value))
            }
            (DictMethod::Get | DictMethod::SetDefault, _) => Err(wrong("2 arguments (the key and a default)")),
            (DictMethod::Update, [other]) => match self.expr(other)? {
                Type::Dict(k, v) => {
                    self.put_into_dict(dict, (&key, &value), (&k, &v), span)?;
                    Ok(Type::None)
                }
                Type::Unknown => Ok(Type::None),
                t => Err(CompileError::unsupported_because(
                    "dict.update() argument",
                    format!("dict.update() takes a dict here, not {}", type_name(&t)),
                    other.span,
                )),
            },
            (DictMethod::Update, _) => Err(wrong("exactly one argument")),
            (DictMethod::PopItem, []) => Ok(Type::tuple(vec![key, value])),
            (DictMethod::PopItem, _) => Err(wrong("no arguments")),
            (DictMethod::Add | DictMethod::Discard, _) => unreachable!("refused above"),
        }
    }

    /// The list methods a dict has too: `d.pop(k[, default])`, `d.copy()`, `d.clear()`, and
    /// `k in d`.
    pub(super) fn dict_list_method(
        &mut self,
        method: ListMethod,
        (key, value): (&Type, &Type),
        dt: &Type,
        args: &[hir::Expr],
        span: Span,
    ) -> Result<Type> {
        let what = format!("dict.{}()", method.name());
        let wrong = |want: &str| {
            CompileError::typing("call with wrong arguments", format!("{what} takes {want}, {} given", args.len()), span)
        };
        match (method, args) {
            (ListMethod::Contains, [k]) => {
                self.lookup_key(key, k)?;
                Ok(Type::Bool)
            }
            (ListMethod::Pop, [k]) => {
                self.lookup_key(key, k)?;
                Ok(value.clone())
            }
            (ListMethod::DelItem, [k]) => {
                self.lookup_key(key, k)?;
                Ok(Type::None)
            }
            (ListMethod::Pop, [k, d]) => {
                self.lookup_key(key, k)?;
                let t = self.expr(d)?;
                value.unify_item(&t).map_err(|(a, b)| mixed("value", &a, &b, d.span))
            }
            (ListMethod::Pop, _) => Err(wrong("1 or 2 arguments")),
            (ListMethod::Copy, []) => {
                self.specs[self.current].allocates = true;
                Ok(dt.clone())
            }
            (ListMethod::Clear, []) => Ok(Type::None),
            (ListMethod::Copy | ListMethod::Clear, _) => Err(wrong("no arguments")),
            (m, _) => Err(CompileError::typing(format!(".{}()", m.name()), format!("dict has no method '{}'", m.name()), span)),
        }
    }
}
