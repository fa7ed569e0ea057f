//! The accesses a parallel loop's body makes to the arrays and containers it shares: which
//! axis of each written array the loop variable indexes, and the writes that would race.

use std::collections::{HashMap, HashSet};

use super::triangle::{self, Ext};
use super::walk::{each_expr, local_of, target_locals};
use crate::ast::{BinOp, Span};
use crate::error::CompileError;
use crate::hir::{self, ExprKind as H, Intrinsic, LocalId, StmtKind as S};
use crate::infer::{TypedFunction, TypedProgram};
use crate::types::Type;

type Result<T> = std::result::Result<T, CompileError>;

/// An index position of an array access: the loop variable plus a constant; at least the loop
/// variable plus a constant (the variable of an inner loop over `range(i + d, ...)` with a
/// positive step); or anything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pos {
    Loop(i64),
    From(i64),
    Other,
}

/// One access of a shared array: the axes it indexes with the loop variable (None: the whole
/// array, or an unknown element), whether it writes, where, and what it covers along each
/// axis when known (`triangle`).
#[derive(Clone, Debug)]
pub(super) struct Use {
    owned: Option<Owned>,
    write: bool,
    span: Span,
    extents: Option<Vec<Ext>>,
}

/// The axes at which an access is indexed by the loop variable, with their constants.
type Owned = Vec<(usize, i64)>;

/// What a local array the body assigns refers to.
#[derive(Clone, Debug, PartialEq)]
enum Alias {
    /// A new array (made in this iteration): writes to it touch no other iteration's memory.
    Fresh,
    /// A view of shared array `base`, taken at these loop-indexed axes.
    View(LocalId, Owned),
    Unknown,
}

/// The accesses a loop body makes to the arrays and containers it shares.
pub(super) struct Accesses<'a> {
    prog: &'a TypedProgram,
    f: &'a hir::Function,
    spec: &'a TypedFunction,
    /// The loop variable (None when the body assigns it too: no index is then known).
    var: Option<LocalId>,
    shared: &'a HashSet<LocalId>,
    /// Per shared array: its accesses (None: the whole array, an unknown element), and
    /// whether each writes, with where.
    pub(super) arrays: HashMap<LocalId, Vec<Use>>,
    aliases: HashMap<LocalId, Alias>,
    /// What each local the body assigns is as an index (`$i = i + 1`, the index temporary of
    /// `a[i + 1] += v`): the form of every value assigned to it, when they agree.
    forms: HashMap<LocalId, Pos>,
    /// The first change of a shared list, dict or set.
    pub(super) changed: Option<(LocalId, Span)>,
}

impl<'a> Accesses<'a> {
    pub(super) fn new(
        prog: &'a TypedProgram,
        f: &'a hir::Function,
        spec: &'a TypedFunction,
        var: Option<LocalId>,
        shared: &'a HashSet<LocalId>,
    ) -> Self {
        Accesses {
            prog,
            f,
            spec,
            var,
            shared,
            arrays: HashMap::new(),
            aliases: HashMap::new(),
            forms: HashMap::new(),
            changed: None,
        }
    }

    fn ty(&self, id: LocalId) -> &Type {
        &self.spec.local_types[id as usize]
    }

    fn pos(&self, e: &hir::Expr) -> Pos {
        let Some(v) = self.var else { return Pos::Other };
        let konst = |e: &hir::Expr| match e.kind {
            H::Int(c) => Some(c),
            _ => None,
        };
        match &e.kind {
            H::Local { id, .. } if *id == v => Pos::Loop(0),
            H::Local { id, .. } => self.forms.get(id).copied().unwrap_or(Pos::Other),
            H::Binary { op: BinOp::Add, left, right } => match (local_of(left), konst(right), local_of(right), konst(left)) {
                (Some(x), Some(c), _, _) | (_, _, Some(x), Some(c)) if x == v => Pos::Loop(c),
                _ => Pos::Other,
            },
            H::Binary { op: BinOp::Sub, left, right } => match (local_of(left), konst(right)) {
                (Some(x), Some(c)) if x == v => c.checked_neg().map_or(Pos::Other, Pos::Loop),
                _ => Pos::Other,
            },
            _ => Pos::Other,
        }
    }

    /// The positions of an index expression (a tuple's items, or the one index).
    fn positions(&self, index: &hir::Expr) -> Vec<Pos> {
        match &index.kind {
            H::Tuple(items) => items.iter().map(|e| self.pos(e)).collect(),
            _ => vec![self.pos(index)],
        }
    }

    /// What an index item covers along its axis, in terms of the loop variable.
    fn extent(&self, e: &hir::Expr) -> Ext {
        let positive = |step: &Option<Box<hir::Expr>>| match step.as_deref().map(|s| &s.kind) {
            None => true,
            Some(H::Int(k)) => *k > 0,
            _ => false,
        };
        match (&e.kind, self.pos(e)) {
            (_, Pos::Loop(c)) => Ext::At(c),
            (_, Pos::From(d)) => Ext::From(d),
            // `v + d:` (any end, a positive step): from `v + d` on.
            (H::Slice { lower: Some(lower), step, .. }, _) if positive(step) => match self.pos(lower) {
                Pos::Loop(d) | Pos::From(d) => Ext::From(d),
                Pos::Other => Ext::Other,
            },
            _ => Ext::Other,
        }
    }

    /// `array[index]` as (the shared array it reaches, the loop-indexed axes, what the access
    /// covers along each axis when the array is the shared one itself), following a view the
    /// body took; None when `array` is not one of those.
    fn resolve(&self, array: &hir::Expr, index: &hir::Expr) -> Option<(LocalId, Option<Owned>, Option<Vec<Ext>>)> {
        let id = local_of(array)?;
        let owned: Owned = self
            .positions(index)
            .iter()
            .enumerate()
            .filter_map(|(k, p)| if let Pos::Loop(c) = p { Some((k, *c)) } else { None })
            .collect();
        if self.shared.contains(&id) && self.ty(id).array().is_some() {
            let items: Vec<&hir::Expr> = match &index.kind {
                H::Tuple(items) => items.iter().collect(),
                _ => vec![index],
            };
            let extents = items.iter().map(|e| self.extent(e)).collect();
            return Some((id, Some(owned), Some(extents)));
        }
        match self.aliases.get(&id) {
            Some(Alias::View(base, at)) => Some((*base, Some(at.clone()), None)),
            Some(Alias::Unknown) => None,
            _ => None,
        }
    }

    fn note(&mut self, base: LocalId, owned: Option<Owned>, write: bool, span: Span) {
        self.note_covering(base, owned, write, span, None);
    }

    fn note_covering(&mut self, base: LocalId, owned: Option<Owned>, write: bool, span: Span, extents: Option<Vec<Ext>>) {
        self.arrays.entry(base).or_default().push(Use { owned, write, span, extents });
    }

    /// A write into `array[index]` (a store, an augmented store, `out=`).
    fn write(&mut self, array: &hir::Expr, index: Option<&hir::Expr>, span: Span) {
        match (index, local_of(array)) {
            (Some(index), _) => match self.resolve(array, index) {
                Some((base, owned, extents)) => self.note_covering(base, owned, true, span, extents),
                None => self.write_whole(array, span),
            },
            (None, _) => self.write_whole(array, span),
        }
    }

    /// A write to an unknown element of what `e` is (the whole array, container or view).
    fn write_whole(&mut self, e: &hir::Expr, span: Span) {
        match &e.kind {
            H::Local { id, .. } if self.shared.contains(id) => match self.ty(*id) {
                Type::List(_) | Type::Dict(..) | Type::Set(_) => {
                    self.changed.get_or_insert((*id, span));
                }
                t if t.array().is_some() => self.note(*id, None, true, span),
                _ => {}
            },
            H::Local { id, .. } => match self.aliases.get(id).cloned() {
                Some(Alias::View(base, at)) => self.note(base, Some(at), true, span),
                Some(Alias::Fresh) => {}
                // A local array the body assigned from something unknown: it may be a shared one.
                Some(Alias::Unknown) => self.note(*id, None, true, span),
                None => {}
            },
            H::Subscript { value, index } => match self.resolve(value, index) {
                Some((base, owned, extents)) => self.note_covering(base, owned, true, span, extents),
                None => self.write_whole(value, span),
            },
            H::Slice { .. } => {}
            H::Reshape { value, .. } | H::Transpose { value, .. } | H::Out { out: value, .. } | H::Unpack(value) => {
                self.write_whole(value, span)
            }
            H::Intrinsic { f: Intrinsic::Flat | Intrinsic::AsArray, args } => self.write_whole(&args[0], span),
            _ => {}
        }
    }

    pub(super) fn stmt(&mut self, s: &hir::Stmt) {
        match &s.kind {
            S::Assign { targets, value } => {
                self.expr(value);
                for t in targets {
                    self.target(t, value);
                }
            }
            S::AugAssign { target, value, read, .. } => {
                self.form(*target, None);
                self.expr(read);
                self.expr(value);
                if self.ty(*target).array().is_some() {
                    // `a += b` on an array writes it in place.
                    let r = (**read).clone();
                    self.write_whole(&r, s.span);
                }
            }
            S::AugAssignIndex { array, index, value, .. } => {
                self.expr(index);
                self.expr(value);
                if let Some(id) = local_of(array) {
                    if self.shared.contains(&id) && matches!(self.ty(id), Type::List(_) | Type::Dict(..)) {
                        self.changed.get_or_insert((id, s.span));
                        return;
                    }
                }
                self.write(array, Some(index), s.span);
                if local_of(array).is_none() {
                    self.expr(array);
                }
            }
            S::Expr(e) | S::Return(Some(e)) => self.expr(e),
            S::Print { items, .. } => {
                for e in items.iter().filter_map(hir::PrintItem::value) {
                    self.expr(e);
                }
            }
            S::If { test, body, orelse } | S::While { test, body, orelse } => {
                self.expr(test);
                body.iter().chain(orelse).for_each(|s| self.stmt(s));
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                let mut ids = Vec::new();
                target_locals(target, &mut ids);
                // `for j in range(v + d, ..., k)` with `k > 0`: `j` is at least `v + d`.
                let from = match (&target, self.pos(start), &step.kind) {
                    (hir::Target::Local(..), Pos::Loop(d) | Pos::From(d), H::Int(k)) if *k > 0 => Pos::From(d),
                    _ => Pos::Other,
                };
                for id in ids {
                    self.form_pos(id, from);
                }
                for e in [start, stop, step] {
                    self.expr(e);
                }
                body.iter().chain(orelse).for_each(|s| self.stmt(s));
            }
            // Refused in a parallel loop (`parallel::refuse_exits`); walked for completeness.
            S::Try { .. } => s.kind.blocks().into_iter().flatten().for_each(|s| self.stmt(s)),
            S::Return(None) | S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => {}
        }
    }

    /// Notes what local `id` is as an index after one more assignment (`value`, or None for an
    /// assignment of something unknown).
    fn form(&mut self, id: LocalId, value: Option<&hir::Expr>) {
        let p = value.map_or(Pos::Other, |v| self.pos(v));
        self.form_pos(id, p);
    }

    /// Notes that local `id` is `p` as an index after one more assignment.
    fn form_pos(&mut self, id: LocalId, p: Pos) {
        let merged = match self.forms.get(&id) {
            None => p,
            Some(old) if *old == p => p,
            Some(_) => Pos::Other,
        };
        self.forms.insert(id, merged);
    }

    fn target(&mut self, t: &hir::Target, value: &hir::Expr) {
        match t {
            hir::Target::Local(id, _) => {
                self.form(*id, Some(value));
                if self.ty(*id).array().is_some() && !self.shared.contains(id) {
                    let alias = self.alias_of(value);
                    let merged = match self.aliases.get(id) {
                        None => alias,
                        Some(old) if *old == alias => alias,
                        Some(_) => Alias::Unknown,
                    };
                    self.aliases.insert(*id, merged);
                }
            }
            hir::Target::Tuple(ts, _) => {
                for t in ts {
                    // Items of an unpacked value: nothing is known of what they refer to.
                    if let hir::Target::Local(id, _) = t {
                        self.form(*id, None);
                        if self.ty(*id).array().is_some() {
                            self.aliases.insert(*id, Alias::Unknown);
                        }
                    } else {
                        self.target(t, value);
                    }
                }
            }
            hir::Target::Index { array, index, span } => {
                self.expr(index);
                if let Some(id) = local_of(array) {
                    if self.shared.contains(&id) && matches!(self.ty(id), Type::List(_) | Type::Dict(..)) {
                        self.changed.get_or_insert((id, *span));
                        return;
                    }
                } else {
                    self.expr(array);
                }
                self.write(array, Some(index), *span);
            }
        }
    }

    /// What an array assigned from `value` refers to.
    fn alias_of(&self, value: &hir::Expr) -> Alias {
        match &value.kind {
            H::Subscript { value: a, index }
                if matches!(index.kind, H::Tuple(_)) || self.spec.expr_types[value.id as usize].array().is_some() =>
            {
                match self.resolve(a, index) {
                    Some((base, Some(owned), _)) if !owned.is_empty() => Alias::View(base, owned),
                    Some(_) => Alias::Unknown,
                    None => match local_of(a).and_then(|id| self.aliases.get(&id)) {
                        Some(Alias::Fresh) => Alias::Fresh,
                        _ => Alias::Unknown,
                    },
                }
            }
            H::New(_) | H::Binary { .. } | H::Unary { .. } | H::Compare { .. } | H::Reduce { .. } | H::List(_) => Alias::Fresh,
            H::Intrinsic {
                f: Intrinsic::Np(_) | Intrinsic::Linalg(_) | Intrinsic::Random(_) | Intrinsic::Generator(_), ..
            } => Alias::Fresh,
            _ => Alias::Unknown,
        }
    }

    /// The reads (and the writes calls and methods make) of an expression.
    fn expr(&mut self, e: &hir::Expr) {
        match &e.kind {
            H::Subscript { value, index } => {
                self.expr(index);
                match self.resolve(value, index) {
                    Some((base, owned, extents)) => self.note_covering(base, owned, false, e.span, extents),
                    None => self.expr(value),
                }
                return;
            }
            // Sizes are not elements.
            H::Attr { value, .. } if local_of(value).is_some() => return,
            H::Intrinsic { f: Intrinsic::Len, .. } => return,
            H::Local { id, .. } => {
                // Any use of a shared iterator may advance its one position.
                if self.shared.contains(id) && matches!(self.ty(*id), Type::Iter(_)) {
                    self.changed.get_or_insert((*id, e.span));
                }
                if self.shared.contains(id) && self.ty(*id).array().is_some() {
                    self.note(*id, None, false, e.span);
                } else if let Some(Alias::View(base, at)) = self.aliases.get(id).cloned() {
                    self.note(base, Some(at), false, e.span);
                }
                return;
            }
            H::Out { out, .. } => self.write_whole(out, e.span),
            H::ListMethod { method, list, alt, .. } if mutates_list(*method) || alt.is_some() && mutates_array(*method) => {
                self.write_whole(list, e.span)
            }
            H::DictMethod { method, dict, .. } if mutates_dict(*method) => self.write_whole(dict, e.span),
            H::Intrinsic { f, args } if is_shuffle(*f) => {
                // shuffle() changes its argument.
                for a in args {
                    self.write_whole(a, e.span);
                }
            }
            H::Intrinsic { f: Intrinsic::Ufunc(k), args } if self.f.ufuncs[*k as usize].gufunc.is_some() => {
                for a in args {
                    self.write_whole(a, e.span);
                }
            }
            // A call through a function value: taken as writing each argument (conservative);
            // a closure holding arrays (or lists, dicts) it may change is refused.
            H::CallValue { callee, args } => {
                for a in args {
                    self.write_whole(a, e.span);
                }
                let holds = matches!(&self.spec.expr_types[callee.id as usize], Type::Closure(..) if self.spec.expr_types[callee.id as usize].holds_references());
                if let (true, H::Local { id, .. }) = (holds, &callee.kind) {
                    self.changed.get_or_insert((*id, e.span));
                }
            }
            H::Call { func, args } => {
                for (k, a) in args.iter().enumerate() {
                    if writes_param(self.prog, *func, k, &mut HashSet::new()) {
                        self.write_whole(a, e.span);
                    }
                }
            }
            _ => {}
        }
        for c in e.kind.children() {
            self.expr(c);
        }
    }

    /// Refuses what two iterations may both touch.
    pub(super) fn check(&self, line: u32) -> Result<()> {
        let name = |id: LocalId| self.f.locals[id as usize].name.clone();
        if let Some((id, span)) = self.changed {
            return Err(CompileError::unsupported_because(
                "change of a shared container in a prange loop",
                format!("the iterations of the prange loop at line {line} would change '{}' on several threads at once; build a result per iteration in an array, or use range", name(id)),
                span,
            ));
        }
        match self.conflict() {
            Some((id, wspan)) => Err(self.conflict_error(id, wspan, line)),
            None => Ok(()),
        }
    }

    /// The first written array two iterations may touch one element of, and its write.
    pub(super) fn conflict(&self) -> Option<(LocalId, Span)> {
        let mut ids: Vec<&LocalId> = self.arrays.keys().collect();
        ids.sort();
        for id in ids {
            let uses = &self.arrays[id];
            let Some(wspan) = uses.iter().find(|u| u.write).map(|u| u.span) else { continue };
            // An axis (and constant) every access indexes with the loop variable.
            let mut common: Option<Vec<(usize, i64)>> = None;
            for u in uses {
                let here = u.owned.clone().unwrap_or_default();
                common = Some(match common {
                    None => here,
                    Some(c) => c.into_iter().filter(|x| here.contains(x)).collect(),
                });
            }
            if common.is_none_or(|c| c.is_empty()) && !self.triangle_disjoint(uses) {
                return Some((*id, wspan));
            }
        }
        None
    }

    /// Whether the accesses `uses` of one 2-D array are rows and columns that start at the
    /// diagonal, which no two iterations share (`triangle`).
    fn triangle_disjoint(&self, uses: &[Use]) -> bool {
        let mut shapes = Vec::with_capacity(uses.len());
        for u in uses {
            let Some(shape) = u.extents.as_deref().and_then(triangle::Shape::of) else { return false };
            shapes.push((shape, u.write));
        }
        triangle::disjoint(&shapes)
    }

    /// The error for array `id`, which iterations may both write at `wspan`.
    pub(super) fn conflict_error(&self, id: LocalId, wspan: Span, line: u32) -> CompileError {
        let name = |id: LocalId| self.f.locals[id as usize].name.clone();
        let var = self.var.map(name).unwrap_or_else(|| "the loop variable".into());
        CompileError::unsupported_because(
            "array written by several iterations of a prange loop",
            format!(
                "iterations of the prange loop at line {line} may touch the same element of '{}' (written at line {}): index one same axis of it with '{var}' (or '{var} + k') in every access the loop makes to it, or use range",
                name(id),
                wspan.line
            ),
            wspan,
        )
    }
}

/// `np.random.shuffle`, `random.shuffle`, `rng.shuffle`: they change their argument.
fn is_shuffle(f: Intrinsic) -> bool {
    use crate::registry::{generator::GenFn, pyrandom::PyRandomFn, random::RandomFn};
    matches!(
        f,
        Intrinsic::Random(RandomFn::Shuffle) | Intrinsic::PyRandom(PyRandomFn::Shuffle) | Intrinsic::Generator(GenFn::Shuffle)
    )
}

fn mutates_list(m: hir::ListMethod) -> bool {
    use hir::ListMethod as L;
    matches!(
        m,
        L::Append | L::AppendReserved | L::Reserve | L::Pop | L::Extend | L::Insert | L::Remove | L::Reverse | L::Sort | L::Clear
    )
}

fn mutates_array(m: hir::ListMethod) -> bool {
    use hir::ListMethod as L;
    matches!(m, L::Sort | L::Reverse)
}

fn mutates_dict(m: hir::DictMethod) -> bool {
    use hir::DictMethod as D;
    matches!(m, D::SetDefault | D::Update | D::Add | D::Discard)
}

/// Whether function `func` of the program may write into (or change) its parameter `k`.
fn writes_param(prog: &TypedProgram, func: hir::FuncId, k: usize, seen: &mut HashSet<(hir::FuncId, usize)>) -> bool {
    if !seen.insert((func, k)) {
        return false;
    }
    let f = &prog.funcs[func as usize];
    let Some(&p) = f.params.get(k) else { return false };
    let mut found = false;
    let is_p = |e: &hir::Expr| local_of(e) == Some(p);
    let check = |s: &hir::Stmt| match &s.kind {
        S::Assign { targets, .. } => targets.iter().any(|t| matches!(t, hir::Target::Index { array, .. } if reaches(array, p))),
        S::AugAssignIndex { array, .. } => reaches(array, p),
        // `p += x` on an array writes it in place.
        S::AugAssign { target, .. } => *target == p,
        _ => false,
    };
    fn all_stmts<'s>(stmts: &'s [hir::Stmt], out: &mut Vec<&'s hir::Stmt>) {
        for s in stmts {
            out.push(s);
            for b in s.kind.blocks() {
                all_stmts(b, out);
            }
        }
    }
    let mut stmts = Vec::new();
    all_stmts(&f.body, &mut stmts);
    for s in &stmts {
        found |= check(s);
        if let S::Assign { value, targets } = &s.kind {
            // `q = p` (or a view of p): writes through q are writes to p.
            if reaches(value, p) && targets.iter().any(|t| matches!(t, hir::Target::Local(..))) {
                found |= writes_through_alias(targets, &stmts);
            }
        }
        each_expr(s, &mut |e| match &e.kind {
            H::Out { out, .. } if reaches(out, p) => found = true,
            H::ListMethod { method, list, .. } if (mutates_list(*method) || mutates_array(*method)) && is_p(list) => found = true,
            H::DictMethod { method, dict, .. } if mutates_dict(*method) && is_p(dict) => found = true,
            H::Intrinsic { f, args } if is_shuffle(*f) && args.iter().any(|a| reaches(a, p)) => found = true,
            H::Intrinsic { f: Intrinsic::Ufunc(_), args } if args.iter().any(|a| reaches(a, p)) => found = true,
            _ => {}
        });
    }
    if found {
        return true;
    }
    // Passed on to a function that writes it.
    let mut calls = Vec::new();
    for s in &stmts {
        each_expr(s, &mut |e| {
            if let H::Call { func, args } = &e.kind {
                for (j, a) in args.iter().enumerate() {
                    if reaches(a, p) {
                        calls.push((*func, j));
                    }
                }
            }
            // Passed to a function value: taken as written (conservative).
            if let H::CallValue { args, .. } = &e.kind {
                found |= args.iter().any(|a| reaches(a, p));
            }
        });
    }
    calls.into_iter().any(|(g, j)| writes_param(prog, g, j, seen))
}

/// Whether a local that `targets` binds (to a parameter or a view of it) is written.
fn writes_through_alias(targets: &[hir::Target], stmts: &[&hir::Stmt]) -> bool {
    let mut ids = Vec::new();
    for t in targets {
        target_locals(t, &mut ids);
    }
    stmts.iter().any(|s| match &s.kind {
        S::Assign { targets, .. } => {
            targets.iter().any(|t| matches!(t, hir::Target::Index { array, .. } if ids.iter().any(|&q| reaches(array, q))))
        }
        S::AugAssignIndex { array, .. } => ids.iter().any(|&q| reaches(array, q)),
        _ => false,
    })
}

/// Whether `e` is local `p` or a view of it (`p[i]`, `p[1:]`, `p.T`, `p.reshape(...)`).
fn reaches(e: &hir::Expr, p: LocalId) -> bool {
    match &e.kind {
        H::Local { id, .. } => *id == p,
        H::Subscript { value, .. }
        | H::Reshape { value, .. }
        | H::Transpose { value, .. }
        | H::Out { out: value, .. }
        | H::Unpack(value) => reaches(value, p),
        H::Intrinsic { f: Intrinsic::Flat | Intrinsic::AsArray, args } => reaches(&args[0], p),
        _ => false,
    }
}
