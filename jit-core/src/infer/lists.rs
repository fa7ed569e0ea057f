//! Typing of lists: literals, `append`/`pop`, items read and written, `len`. A list holds one
//! item type, the unification of every item put in (Numba's typed lists); a list held by a
//! local widens with what is appended to it (`[]` then `append(1.5)` is a list of float64).

use crate::ast::Span;
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, ListMethod};
use crate::types::Type;

use super::{require_integer, type_name, InferCx};

/// What a list may hold here: numbers, and tuples of numbers.
fn listable(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.iter().all(listable),
        Type::Unknown => true,
        t => t.is_number(),
    }
}

fn not_listable(t: &Type, span: Span) -> CompileError {
    CompileError::unsupported_because(
        "list item",
        format!("a list of {} is not compiled yet; lists hold numbers and tuples of numbers", type_name(t)),
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
            t = t.unify(&it_t).map_err(|(a, b)| {
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
        if let H::Local { id, .. } = list.kind {
            return self.assign_local(id, &Type::List(Box::new(vt.clone())), span);
        }
        match item.unify(vt) {
            Ok(t) if t == *item || !vt.is_known() => Ok(()),
            _ => Err(CompileError::typing(
                "list item of another type",
                format!("a list of {} cannot take {} here", type_name(item), type_name(vt)),
                span,
            )),
        }
    }

    /// The list `list` is typed as (an error naming what it is otherwise); `None` while unknown.
    fn list_of(&mut self, list: &hir::Expr, what: &str) -> Result<Option<Type>> {
        match self.expr(list)? {
            Type::Unknown => Ok(None),
            Type::List(t) => Ok(Some(*t)),
            t => {
                Err(CompileError::typing(what.to_string(), format!("{what} of {}; only lists have it", type_name(&t)), list.span))
            }
        }
    }

    pub(super) fn list_method(&mut self, method: ListMethod, list: &hir::Expr, args: &[hir::Expr], span: Span) -> Result<Type> {
        let what = format!(".{}()", method.name());
        let Some(item) = self.list_of(list, &what)? else {
            for a in args {
                self.expr(a)?;
            }
            return Ok(Type::Unknown);
        };
        match (method, args) {
            (ListMethod::Append, [v]) => {
                let vt = self.expr(v)?;
                self.put_into(list, &item, &vt, v.span)?;
                Ok(Type::None)
            }
            (ListMethod::Pop, []) => Ok(item),
            (ListMethod::Pop, [i]) => {
                let it = self.expr(i)?;
                require_integer(&it, "list index", "list indices", i.span)?;
                Ok(item)
            }
            _ => Err(CompileError::typing(
                "call with wrong arguments",
                format!(
                    "{what} takes {}, {} given",
                    if method == ListMethod::Append { "exactly one argument" } else { "at most 1 argument" },
                    args.len()
                ),
                span,
            )),
        }
    }

    /// `l[i]` of a list of `item`s.
    pub(super) fn list_subscript(&mut self, item: &Type, index: &hir::Expr) -> Result<Type> {
        if let H::Slice { .. } = index.kind {
            return Err(CompileError::unsupported_because("list slice", "slices of lists are not compiled yet", index.span));
        }
        let it = self.expr(index)?;
        require_integer(&it, "list index", "list indices", index.span)?;
        Ok(item.clone())
    }

    /// `l[i] = v` into a list of `item`s.
    pub(super) fn list_store(&mut self, list: &hir::Expr, item: &Type, index: &hir::Expr, vt: &Type) -> Result<()> {
        self.list_subscript(item, index)?;
        self.put_into(list, item, vt, index.span)
    }

    /// A list literal assigned to a local is made with the local's type (which later appends
    /// may have widened), so that no copy is ever needed to convert it.
    pub(super) fn type_literal_as(&mut self, value: &hir::Expr, local: u32) {
        if let H::List(_) = value.kind {
            let lt = self.specs[self.current].local_types[local as usize].clone();
            if let Type::List(_) = lt {
                self.specs[self.current].expr_types[value.id as usize] = lt;
            }
        }
    }
}
