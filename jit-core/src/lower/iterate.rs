//! Lowering of the `for` loops over NumPy's index iterators: `np.ndindex(shape)`,
//! `np.ndenumerate(a)` and `a.flat`, each a loop over the flat position with the index tuple
//! unravelled from it ([`H::Unravel`]).

use super::{Callee, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};
use crate::registry::IterFn;

/// What a `for` loop iterates over, when it is one of NumPy's index iterators.
pub(super) enum IndexIter<'e> {
    /// `np.ndindex(*dims)` or `np.ndindex(shape)`: the arguments.
    Ndindex(&'e [ast::Expr]),
    /// `np.ndenumerate(a)`: the array.
    Ndenumerate(&'e ast::Expr),
    /// `a.flat`: the array.
    Flat(&'e ast::Expr),
}

impl Lowerer<'_> {
    /// Whether `iter` is `np.ndindex(...)`, `np.ndenumerate(a)` or `a.flat`.
    pub(super) fn index_iter<'e>(&self, iter: &'e ast::Expr) -> Result<Option<IndexIter<'e>>> {
        match &iter.kind {
            A::Call { func, args, keywords } => {
                let Ok(Callee::Iter(f)) = self.callee(func) else { return Ok(None) };
                if let Some(k) = keywords.first() {
                    return Err(CompileError::unsupported_because(
                        "keyword argument to an iterator",
                        format!("'{}=' is not compiled for np.{}()", k.name, iter_name(f)),
                        k.span,
                    ));
                }
                Ok(Some(match (f, args.as_slice()) {
                    (IterFn::Ndindex, _) => IndexIter::Ndindex(args),
                    (IterFn::Ndenumerate, [a]) => IndexIter::Ndenumerate(a),
                    (IterFn::Ndenumerate, _) => {
                        return Err(CompileError::typing(
                            "call with wrong arguments",
                            format!("np.ndenumerate() takes one array, {} given", args.len()),
                            iter.span,
                        ))
                    }
                }))
            }
            A::Attribute { value, attr } if attr == "flat" => match &value.kind {
                A::Name(m) if !self.by_name.contains_key(m) => Ok(None),
                _ => Ok(Some(IndexIter::Flat(value))),
            },
            _ => Ok(None),
        }
    }

    /// `for target in it: body else: orelse` as
    /// `$srcN = shape or array; for $kN in range(size): target = item; body`, where the item is
    /// the index tuple `unravel($kN, shape)`, the element at it (`a.flat`), or both
    /// (`np.ndenumerate`).
    pub(super) fn for_index(
        &mut self,
        it: IndexIter<'_>,
        target: &ast::Target,
        body: &[ast::Stmt],
        orelse: &[ast::Stmt],
        span: Span,
    ) -> Result<Vec<hir::Stmt>> {
        let n = self.locals.len();
        let src = self.local(&format!("$src{n}"), span);
        let k = self.local(&format!("$k{n}"), span);
        let read = |l: &mut Self, id| l.mk(H::Local { id, check_bound: false }, span);
        let (source, is_array) = match it {
            IndexIter::Ndindex([shape]) => (self.expr(shape)?, false),
            IndexIter::Ndindex(dims) => {
                let dims = self.exprs(dims)?;
                (self.mk(H::Tuple(dims), span), false)
            }
            IndexIter::Ndenumerate(a) | IndexIter::Flat(a) => (self.expr(a)?, true),
        };
        let init =
            hir::Stmt { kind: hir::StmtKind::Assign { targets: vec![hir::Target::Local(src, span)], value: source }, span };
        let shape = |l: &mut Self| {
            let s = read(l, src);
            if is_array {
                l.mk(H::Attr { value: Box::new(s), attr: hir::Attr::Shape }, span)
            } else {
                s
            }
        };
        let stop = if is_array {
            let s = read(self, src);
            self.mk(H::Attr { value: Box::new(s), attr: hir::Attr::Size }, span)
        } else {
            let s = shape(self);
            self.mk(H::ShapeSize(Box::new(s)), span)
        };
        let flat = read(self, k);
        let sh = shape(self);
        let index = self.mk(H::Unravel { flat: Box::new(flat), shape: Box::new(sh) }, span);
        let mut loop_body = Vec::new();
        let item = match it {
            IndexIter::Ndindex(_) => index,
            IndexIter::Flat(_) => {
                let a = read(self, src);
                self.mk(H::Subscript { value: Box::new(a), index: Box::new(index) }, span)
            }
            IndexIter::Ndenumerate(_) => {
                let idx = self.local(&format!("$idx{n}"), span);
                loop_body.push(hir::Stmt {
                    kind: hir::StmtKind::Assign { targets: vec![hir::Target::Local(idx, span)], value: index },
                    span,
                });
                let (a, i, i2) = (read(self, src), read(self, idx), read(self, idx));
                let element = self.mk(H::Subscript { value: Box::new(a), index: Box::new(i) }, span);
                self.mk(H::Tuple(vec![i2, element]), span)
            }
        };
        loop_body.push(hir::Stmt {
            kind: hir::StmtKind::Assign { targets: vec![self.target(target)?], value: item },
            span: target.span(),
        });
        loop_body.extend(self.block(body)?);
        let (start, step) = (self.mk(H::Int(0), span), self.mk(H::Int(1), span));
        let kind = hir::StmtKind::ForRange {
            target: hir::Target::Local(k, span),
            start,
            stop,
            step,
            body: loop_body,
            orelse: self.block(orelse)?,
        };
        Ok(vec![init, hir::Stmt { kind, span }])
    }
}

fn iter_name(f: IterFn) -> &'static str {
    match f {
        IterFn::Ndindex => "ndindex",
        IterFn::Ndenumerate => "ndenumerate",
    }
}
