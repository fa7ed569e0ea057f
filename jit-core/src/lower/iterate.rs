//! Lowering of the `for` loops over iterators: NumPy's index iterators (`np.ndindex(shape)`,
//! `np.ndenumerate(a)` and `a.flat`, each a loop over the flat position with the index tuple
//! unravelled from it, [`H::Unravel`]) and Python's `enumerate`, `zip` and `reversed` (loops
//! over a position, the items read from their sources at it).

use super::{Callee, Lowerer};
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, Intrinsic, LocalId};
use crate::registry::{self, IterBuiltin, IterFn};

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
        let lp = self.position_loop(k, stop, loop_body, item, (target, body, orelse), span)?;
        Ok(vec![init, lp])
    }

    /// `for $k in range(stop): <pre>; target = item; body else: orelse`: the loop over a
    /// position that iterators are lowered to.
    pub(super) fn position_loop(
        &mut self,
        k: LocalId,
        stop: hir::Expr,
        mut loop_body: Vec<hir::Stmt>,
        item: hir::Expr,
        (target, body, orelse): (&ast::Target, &[ast::Stmt], &[ast::Stmt]),
        span: Span,
    ) -> Result<hir::Stmt> {
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
        Ok(hir::Stmt { kind, span })
    }
}

fn iter_name(f: IterFn) -> &'static str {
    match f {
        IterFn::Ndindex => "ndindex",
        IterFn::Ndenumerate => "ndenumerate",
    }
}

/// An iterable walked by position. Everything it needs is evaluated once, before the loop and
/// in source order (as CPython evaluates `zip(f(), g())` before its first item), into locals;
/// item `k` is then read at the loop's position.
enum Source {
    /// A tuple or an array held in a local: its items by index.
    Seq(LocalId),
    /// `range(start, stop, step)`: item `k` is `start + k * step`; the length in a local.
    Range { start: Operand, step: Operand, len: LocalId },
    /// `enumerate(inner, start)`: item `k` is `(k + start, inner[k])`.
    Enumerate { inner: Box<Source>, start: Operand },
    /// `zip(a, b, ...)`: item `k` is `(a[k], b[k], ...)`, as long as the shortest.
    Zip(Vec<Source>),
    /// `reversed(inner)`: item `k` is `inner[len - 1 - k]`.
    Reversed { inner: Box<Source>, len: LocalId },
}

/// An integer a source reads: a literal, or a local holding the value evaluated before the loop.
#[derive(Clone, Copy)]
enum Operand {
    Lit(i64),
    Local(LocalId),
}

impl Lowerer<'_> {
    /// Whether `iter` is a call of `enumerate`, `zip` or `reversed`.
    pub(super) fn is_iterate_call(&self, iter: &ast::Expr) -> bool {
        matches!(&iter.kind, A::Call { func, .. } if matches!(self.callee(func), Ok(Callee::Iterate(_))))
    }

    /// `for target in enumerate/zip/reversed(...)` as `<sources evaluated>; for $kN in
    /// range(length): target = item($kN); body`.
    pub(super) fn for_sources(
        &mut self,
        target: &ast::Target,
        iter: &ast::Expr,
        body: &[ast::Stmt],
        orelse: &[ast::Stmt],
        span: Span,
    ) -> Result<Vec<hir::Stmt>> {
        let mut setup = Vec::new();
        let source = self.source(iter, &mut setup)?;
        let n = self.locals.len();
        let k = self.local(&format!("$k{n}"), span);
        let stop = self.source_len(&source, iter.span);
        let mut loop_body = Vec::new();
        let item = self.source_item(&source, k, &mut loop_body, iter.span);
        setup.push(self.position_loop(k, stop, loop_body, item, (target, body, orelse), span)?);
        Ok(setup)
    }

    /// The source `e` stands for, its values evaluated into `setup`.
    fn source(&mut self, e: &ast::Expr, setup: &mut Vec<hir::Stmt>) -> Result<Source> {
        if let A::Call { func, args, keywords } = &e.kind {
            match self.callee(func) {
                Ok(Callee::Range) => return self.range_source(args, keywords, e.span, setup),
                Ok(Callee::Iterate(f)) => return self.iterate_source(f, args, keywords, e.span, setup),
                _ => {}
            }
        }
        let value = self.expr(e)?;
        let seq = self.temp("$iter", value, e.span, setup);
        Ok(Source::Seq(seq))
    }

    /// A new local `{prefix}N` assigned `value` in `setup`.
    fn temp(&mut self, prefix: &str, value: hir::Expr, span: Span, setup: &mut Vec<hir::Stmt>) -> LocalId {
        let n = self.locals.len();
        let id = self.local(&format!("{prefix}{n}"), span);
        setup.push(hir::Stmt { kind: hir::StmtKind::Assign { targets: vec![hir::Target::Local(id, span)], value }, span });
        id
    }

    /// An integer operand: a literal as it is, anything else evaluated into a local.
    fn operand(&mut self, e: &ast::Expr, setup: &mut Vec<hir::Stmt>) -> Result<Operand> {
        match &e.kind {
            A::Int(v) => return Ok(Operand::Lit(*v)),
            A::Unary { op: ast::UnaryOp::Neg, operand } => {
                if let A::Int(v) = operand.kind {
                    return Ok(Operand::Lit(v.wrapping_neg()));
                }
            }
            _ => {}
        }
        let value = self.expr(e)?;
        Ok(Operand::Local(self.temp("$r", value, e.span, setup)))
    }

    fn read_operand(&mut self, o: Operand, span: Span) -> hir::Expr {
        match o {
            Operand::Lit(v) => self.mk(H::Int(v), span),
            Operand::Local(id) => self.mk(H::Local { id, check_bound: false }, span),
        }
    }

    fn binary(&mut self, op: ast::BinOp, left: hir::Expr, right: hir::Expr, span: Span) -> hir::Expr {
        self.mk(H::Binary { op, left: Box::new(left), right: Box::new(right) }, span)
    }

    /// `range(...)` inside `enumerate`/`zip`/`reversed`: its arguments evaluated in order, a
    /// zero step raising CPython's `ValueError`, and its length (CPython's `compute_range_length`).
    fn range_source(
        &mut self,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
        setup: &mut Vec<hir::Stmt>,
    ) -> Result<Source> {
        if let Some(k) = keywords.first() {
            return Err(CompileError::unsupported("keyword argument to range()", k.span));
        }
        let (start, stop, step) = match args {
            [stop] => (Operand::Lit(0), self.operand(stop, setup)?, Operand::Lit(1)),
            [start, stop] => (self.operand(start, setup)?, self.operand(stop, setup)?, Operand::Lit(1)),
            [start, stop, step] => (self.operand(start, setup)?, self.operand(stop, setup)?, self.operand(step, setup)?),
            _ => {
                return Err(CompileError::typing(
                    "range() call",
                    format!("range expected 1 to 3 arguments, got {}", args.len()),
                    span,
                ))
            }
        };
        if let Operand::Lit(0) = step {
            return Err(CompileError::typing("range() call", "range() arg 3 must not be zero", span));
        }
        if let Operand::Local(_) = step {
            let (s, zero) = (self.read_operand(step, span), self.mk(H::Int(0), span));
            let test = self.mk(H::Compare { left: Box::new(s), ops: vec![ast::CmpOp::Eq], comparators: vec![zero] }, span);
            let class = registry::exceptions::raisable("ValueError").expect("in the table");
            let raise = hir::Stmt {
                kind: hir::StmtKind::Raise { class, message: Some("range() arg 3 must not be zero".into()), recorded: false },
                span,
            };
            setup.push(hir::Stmt { kind: hir::StmtKind::If { test, body: vec![raise], orelse: Vec::new() }, span });
        }
        // Up: start < stop ? (stop - start - 1) // step + 1 : 0; down: the same with the
        // operands exchanged and -step.
        let count = |l: &mut Self, lo: Operand, hi: Operand, down: bool| {
            let (h, o) = (l.read_operand(hi, span), l.read_operand(lo, span));
            let diff = l.binary(ast::BinOp::Sub, h, o, span);
            let one = l.mk(H::Int(1), span);
            let diff = l.binary(ast::BinOp::Sub, diff, one, span);
            let by = match (step, down) {
                (Operand::Lit(v), true) => l.mk(H::Int(v.wrapping_neg()), span),
                (_, true) => {
                    let s = l.read_operand(step, span);
                    l.mk(H::Unary { op: ast::UnaryOp::Neg, operand: Box::new(s) }, span)
                }
                (_, false) => l.read_operand(step, span),
            };
            let q = l.binary(ast::BinOp::FloorDiv, diff, by, span);
            let one = l.mk(H::Int(1), span);
            let n = l.binary(ast::BinOp::Add, q, one, span);
            let (o, h, zero) = (l.read_operand(lo, span), l.read_operand(hi, span), l.mk(H::Int(0), span));
            let test = l.mk(H::Compare { left: Box::new(o), ops: vec![ast::CmpOp::Lt], comparators: vec![h] }, span);
            l.mk(H::IfExp { test: Box::new(test), body: Box::new(n), orelse: Box::new(zero) }, span)
        };
        let len = match step {
            Operand::Lit(v) if v > 0 => count(self, start, stop, false),
            Operand::Lit(_) => count(self, stop, start, true),
            Operand::Local(_) => {
                let (up, down) = (count(self, start, stop, false), count(self, stop, start, true));
                let (s, zero) = (self.read_operand(step, span), self.mk(H::Int(0), span));
                let test = self.mk(H::Compare { left: Box::new(s), ops: vec![ast::CmpOp::Gt], comparators: vec![zero] }, span);
                self.mk(H::IfExp { test: Box::new(test), body: Box::new(up), orelse: Box::new(down) }, span)
            }
        };
        let len = self.temp("$len", len, span, setup);
        Ok(Source::Range { start, step, len })
    }

    /// `enumerate(x[, start])`, `zip(a, ...)`, `reversed(x)`.
    fn iterate_source(
        &mut self,
        f: IterBuiltin,
        args: &[ast::Expr],
        keywords: &[ast::Keyword],
        span: Span,
        setup: &mut Vec<hir::Stmt>,
    ) -> Result<Source> {
        let keyword_ok = |k: &ast::Keyword| f == IterBuiltin::Enumerate && k.name == "start" && args.len() == 1;
        if let Some(k) = keywords.iter().find(|k| !keyword_ok(k)) {
            return Err(CompileError::unsupported_because(
                "keyword argument to a builtin",
                format!("'{}=' is not compiled for {}()", k.name, f.name()),
                k.span,
            ));
        }
        let wrong = |text: &str| {
            CompileError::typing(
                "call with wrong arguments",
                format!("{}() takes {text}, {} given", f.name(), args.len() + keywords.len()),
                span,
            )
        };
        Ok(match f {
            IterBuiltin::Enumerate => {
                let (inner, start) = match (args, keywords) {
                    ([x], []) => (x, None),
                    ([x], [k]) => (x, Some(&k.value)),
                    ([x, s], []) => (x, Some(s)),
                    _ => return Err(wrong("1 or 2 arguments")),
                };
                let inner = Box::new(self.source(inner, setup)?);
                let start = match start {
                    Some(s) => self.operand(s, setup)?,
                    None => Operand::Lit(0),
                };
                Source::Enumerate { inner, start }
            }
            IterBuiltin::Zip => {
                if args.is_empty() {
                    return Err(wrong("1 or more arguments here (zip() of nothing is empty)"));
                }
                Source::Zip(args.iter().map(|a| self.source(a, setup)).collect::<Result<_>>()?)
            }
            IterBuiltin::Reversed => {
                let [x] = args else { return Err(wrong("exactly one argument")) };
                let inner = self.source(x, setup)?;
                if let Source::Enumerate { .. } | Source::Zip(_) | Source::Reversed { .. } = inner {
                    let what = if let Source::Reversed { .. } = inner { "list_reverseiterator" } else { "enumerate" };
                    let what = if let Source::Zip(_) = inner { "zip" } else { what };
                    return Err(CompileError::typing(
                        "reversed() of an iterator",
                        format!("'{what}' object is not reversible"),
                        x.span,
                    ));
                }
                let len = self.source_len(&inner, span);
                let len = self.temp("$len", len, span, setup);
                Source::Reversed { inner: Box::new(inner), len }
            }
        })
    }

    /// How many items the source has.
    fn source_len(&mut self, s: &Source, span: Span) -> hir::Expr {
        match s {
            Source::Seq(seq) => {
                let seq = self.mk(H::Local { id: *seq, check_bound: false }, span);
                self.mk(H::Intrinsic { f: Intrinsic::Len, args: vec![seq] }, span)
            }
            Source::Range { len, .. } | Source::Reversed { len, .. } => self.mk(H::Local { id: *len, check_bound: false }, span),
            Source::Enumerate { inner, .. } => self.source_len(inner, span),
            Source::Zip(items) => {
                let mut lens: Vec<hir::Expr> = items.iter().map(|s| self.source_len(s, span)).collect();
                if lens.len() == 1 {
                    lens.pop().expect("one")
                } else {
                    self.mk(H::Intrinsic { f: Intrinsic::Min, args: lens }, span)
                }
            }
        }
    }

    /// Item number `k` of the source (statements it needs first go to `pre`).
    fn source_item(&mut self, s: &Source, k: LocalId, pre: &mut Vec<hir::Stmt>, span: Span) -> hir::Expr {
        let read = |l: &mut Self, id| l.mk(H::Local { id, check_bound: false }, span);
        match s {
            Source::Seq(seq) => {
                let (seq, k) = (read(self, *seq), read(self, k));
                self.mk(H::Subscript { value: Box::new(seq), index: Box::new(k) }, span)
            }
            Source::Range { start, step, .. } => {
                let k = read(self, k);
                let offset = match step {
                    Operand::Lit(1) => k,
                    _ => {
                        let s = self.read_operand(*step, span);
                        self.binary(ast::BinOp::Mul, k, s, span)
                    }
                };
                match start {
                    Operand::Lit(0) => offset,
                    _ => {
                        let s = self.read_operand(*start, span);
                        self.binary(ast::BinOp::Add, s, offset, span)
                    }
                }
            }
            Source::Enumerate { inner, start } => {
                let k_read = read(self, k);
                let count = match start {
                    Operand::Lit(0) => k_read,
                    _ => {
                        let s = self.read_operand(*start, span);
                        self.binary(ast::BinOp::Add, k_read, s, span)
                    }
                };
                let item = self.source_item(inner, k, pre, span);
                self.mk(H::Tuple(vec![count, item]), span)
            }
            Source::Zip(items) => {
                let items = items.iter().map(|s| self.source_item(s, k, pre, span)).collect();
                self.mk(H::Tuple(items), span)
            }
            Source::Reversed { inner, len } => {
                // j = len - 1 - k
                let (n, one) = (read(self, *len), self.mk(H::Int(1), span));
                let last = self.binary(ast::BinOp::Sub, n, one, span);
                let k = read(self, k);
                let j = self.binary(ast::BinOp::Sub, last, k, span);
                let j = self.temp("$j", j, span, pre);
                self.source_item(inner, j, pre, span)
            }
        }
    }
}

impl Lowerer<'_> {
    /// `for x in t` over a tuple, as `$iterN = t` then `for $iN in range(len($iterN)):
    /// x = $iterN[$iN]; body` (`infer` checks that `t` is a tuple whose elements have one type).
    pub(super) fn for_each(
        &mut self,
        target: &ast::Target,
        iter: &ast::Expr,
        body: &[ast::Stmt],
        orelse: &[ast::Stmt],
        span: Span,
    ) -> Result<Vec<hir::Stmt>> {
        if let Some(stmts) = self.unrolled_function_loop(target, iter, body, orelse, span)? {
            return Ok(stmts);
        }
        if let Some(it) = self.index_iter(iter)? {
            return self.for_index(it, target, body, orelse, span);
        }
        if self.is_iterate_call(iter) {
            return self.for_sources(target, iter, body, orelse, span);
        }
        let n = self.locals.len();
        let seq = self.local(&format!("$iter{n}"), iter.span);
        let index = self.local(&format!("$i{n}"), iter.span);
        // A dict is iterated over as the list of its keys when the loop starts.
        let inner = self.expr(iter)?;
        let value = self.mk(H::DictMethod { method: hir::DictMethod::Iter, dict: Box::new(inner), args: Vec::new() }, iter.span);
        let init = hir::Stmt { kind: hir::StmtKind::Assign { targets: vec![hir::Target::Local(seq, iter.span)], value }, span };
        let read_seq = |l: &mut Self| l.mk(H::Local { id: seq, check_bound: false }, iter.span);
        let len_arg = read_seq(self);
        let stop = self.mk(H::Intrinsic { f: Intrinsic::Len, args: vec![len_arg] }, iter.span);
        let item_seq = read_seq(self);
        let item_index = self.mk(H::Local { id: index, check_bound: false }, iter.span);
        let item = self.mk(H::Subscript { value: Box::new(item_seq), index: Box::new(item_index) }, iter.span);
        let lp = self.position_loop(index, stop, Vec::new(), item, (target, body, orelse), span)?;
        Ok(vec![init, lp])
    }
}
