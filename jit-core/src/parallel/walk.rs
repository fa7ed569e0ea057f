//! Walks over a parallel loop's body: the locals it reads and assigns, its reduction updates,
//! definite assignment within one iteration, and the locals live after the loop.

use std::collections::{HashMap, HashSet};

use super::Combine;
use crate::ast::{BinOp, Span};
use crate::hir::{self, ExprKind as H, Intrinsic, LocalId, StmtKind as S};

pub(super) fn target_locals(t: &hir::Target, out: &mut Vec<LocalId>) {
    match t {
        hir::Target::Local(id, _) => out.push(*id),
        hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target_locals(t, out)),
        hir::Target::Index { .. } => {}
    }
}

/// Every local assigned in `stmts` (nested statements included), in order of first assignment.
pub(super) fn assigned_in(stmts: &[hir::Stmt], out: &mut Vec<LocalId>) {
    for s in stmts {
        match &s.kind {
            S::Assign { targets, .. } => targets.iter().for_each(|t| target_locals(t, out)),
            S::AugAssign { target, .. } => out.push(*target),
            S::If { body, orelse, .. } | S::While { body, orelse, .. } => {
                assigned_in(body, out);
                assigned_in(orelse, out);
            }
            S::ForRange { target, body, orelse, .. } => {
                target_locals(target, out);
                assigned_in(body, out);
                assigned_in(orelse, out);
            }
            S::Try { .. } => s.kind.blocks().into_iter().for_each(|b| assigned_in(b, out)),
            _ => {}
        }
    }
}

/// Calls `visit` on every expression of `s` and of the statements inside it, outermost first.
pub(super) fn each_expr<'s>(s: &'s hir::Stmt, visit: &mut impl FnMut(&'s hir::Expr)) {
    fn walk<'s>(e: &'s hir::Expr, visit: &mut impl FnMut(&'s hir::Expr)) {
        visit(e);
        for c in e.kind.children() {
            walk(c, visit);
        }
    }
    fn target<'s>(t: &'s hir::Target, visit: &mut impl FnMut(&'s hir::Expr)) {
        match t {
            hir::Target::Local(..) => {}
            hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, visit)),
            hir::Target::Index { array, index, .. } => {
                walk(array, visit);
                walk(index, visit);
            }
        }
    }
    match &s.kind {
        S::Assign { targets, value } => {
            walk(value, visit);
            targets.iter().for_each(|t| target(t, visit));
        }
        S::AugAssign { value, read, .. } => {
            walk(read, visit);
            walk(value, visit);
        }
        S::AugAssignIndex { array, index, value, .. } => {
            walk(array, visit);
            walk(index, visit);
            walk(value, visit);
        }
        S::Expr(e) => walk(e, visit),
        S::If { test, body, orelse } | S::While { test, body, orelse } => {
            walk(test, visit);
            body.iter().chain(orelse).for_each(|s| each_expr(s, visit));
        }
        S::ForRange { target: t, start, stop, step, body, orelse } => {
            walk(start, visit);
            walk(stop, visit);
            walk(step, visit);
            target(t, visit);
            body.iter().chain(orelse).for_each(|s| each_expr(s, visit));
        }
        S::Return(Some(e)) => walk(e, visit),
        S::Print { items, .. } => items.iter().filter_map(hir::PrintItem::value).for_each(|e| walk(e, visit)),
        S::Try { .. } => s.kind.blocks().into_iter().flatten().for_each(|s| each_expr(s, visit)),
        S::Return(None) | S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => {}
    }
}

/// Every local read in `s` (nested statements included).
pub(super) fn reads_stmt(s: &hir::Stmt, out: &mut Vec<LocalId>) {
    each_expr(s, &mut |e| {
        if let H::Local { id, .. } = e.kind {
            out.push(id);
        }
    });
}

pub(super) fn reads_expr(e: &hir::Expr, id: LocalId) -> bool {
    matches!(e.kind, H::Local { id: x, .. } if x == id) || e.kind.children().into_iter().any(|c| reads_expr(c, id))
}

pub(super) fn local_of(e: &hir::Expr) -> Option<LocalId> {
    match e.kind {
        H::Local { id, .. } => Some(id),
        _ => None,
    }
}

/// The reduction an update of `op` is (None: not reducible).
fn combine_of(op: BinOp) -> Option<Combine> {
    Some(match op {
        BinOp::Add | BinOp::Sub => Combine::Add,
        BinOp::Mul => Combine::Mul,
        BinOp::BitOr => Combine::Or,
        BinOp::BitAnd => Combine::And,
        BinOp::BitXor => Combine::Xor,
        _ => return None,
    })
}

/// If `value` (assigned to `id`) is a reduction update of `id`, its combination: `id op e`,
/// `e op id` (`op` commutative), `min(id, e)`, `max(id, e)`, with `e` not reading `id`.
fn update_of(id: LocalId, value: &hir::Expr) -> Option<(Combine, &hir::Expr)> {
    match &value.kind {
        H::Binary { op, left, right } => {
            let c = combine_of(*op)?;
            if local_of(left) == Some(id) && !reads_expr(right, id) {
                Some((c, right))
            } else if *op != BinOp::Sub && local_of(right) == Some(id) && !reads_expr(left, id) {
                Some((c, left))
            } else {
                None
            }
        }
        H::Intrinsic { f: f @ (Intrinsic::Min | Intrinsic::Max), args } if args.len() == 2 => (local_of(&args[0]) == Some(id)
            && !reads_expr(&args[1], id))
        .then(|| (if *f == Intrinsic::Min { Combine::Min } else { Combine::Max }, &args[1])),
        _ => None,
    }
}

/// Finds the reduction updates of `stmts` (`updates`: each local's one combination, None when
/// two disagree) and the locals used otherwise (`other`).
pub(super) fn scan_updates(
    stmts: &[hir::Stmt],
    updates: &mut HashMap<LocalId, Option<Combine>>,
    indexed: &mut HashMap<LocalId, Option<Combine>>,
    other: &mut HashSet<LocalId>,
) {
    let note = |id: LocalId, c: Combine, updates: &mut HashMap<LocalId, Option<Combine>>| {
        let e = updates.entry(id).or_insert(Some(c));
        if *e != Some(c) {
            *e = None;
        }
    };
    for s in stmts {
        match &s.kind {
            S::AugAssign { target, op, value, .. } if combine_of(*op).is_some() && !reads_expr(value, *target) => {
                note(*target, combine_of(*op).expect("just checked"), updates);
                let mut r = Vec::new();
                reads_stmt(&hir::Stmt { kind: S::Expr(value.clone()), span: s.span }, &mut r);
                other.extend(r);
            }
            S::Assign { targets, value } if targets.len() == 1 => match (&targets[0], update_of_target(&targets[0], value)) {
                (hir::Target::Local(id, _), Some((c, e))) => {
                    note(*id, c, updates);
                    let mut r = Vec::new();
                    reads_stmt(&hir::Stmt { kind: S::Expr(e.clone()), span: s.span }, &mut r);
                    other.extend(r);
                }
                _ => {
                    let mut r = Vec::new();
                    reads_stmt(s, &mut r);
                    other.extend(r);
                    let mut w = Vec::new();
                    target_locals(&targets[0], &mut w);
                    other.extend(w);
                }
            },
            // `h[:] op= e`: the whole array updated, as `h op= e`.
            S::AugAssignIndex { array, index, op, value }
                if whole(index) && combine_of(*op).is_some() && local_of(array).is_some_and(|h| !reads_expr(value, h)) =>
            {
                let h = local_of(array).expect("just checked");
                note(h, combine_of(*op).expect("just checked"), updates);
                let mut r = Vec::new();
                reads_stmt(&hir::Stmt { kind: S::Expr(value.clone()), span: s.span }, &mut r);
                other.extend(r);
            }
            // `h[idx] op= e`: an array every element of which is only ever updated so may become
            // a reduction into a whole array when iterations would race on its elements
            // (`parallel::plan` decides).
            S::AugAssignIndex { array, index, op, value }
                if combine_of(*op).is_some()
                    && local_of(array).is_some_and(|h| !reads_expr(value, h) && !reads_expr(index, h)) =>
            {
                let h = local_of(array).expect("just checked");
                note(h, combine_of(*op).expect("just checked"), indexed);
                let mut r = Vec::new();
                reads_stmt(&hir::Stmt { kind: S::Expr(value.clone()), span: s.span }, &mut r);
                reads_stmt(&hir::Stmt { kind: S::Expr(index.clone()), span: s.span }, &mut r);
                other.extend(r);
            }
            S::If { test, body, orelse } if if_update(test, body, orelse).is_some() => {
                let (id, c, e) = if_update(test, body, orelse).expect("just matched");
                note(id, c, updates);
                let mut r = Vec::new();
                reads_stmt(&hir::Stmt { kind: S::Expr(e.clone()), span: s.span }, &mut r);
                other.extend(r);
            }
            S::If { test, body, orelse } | S::While { test, body, orelse } => {
                let mut r = Vec::new();
                reads_stmt(&hir::Stmt { kind: S::Expr(test.clone()), span: s.span }, &mut r);
                other.extend(r);
                scan_updates(body, updates, indexed, other);
                scan_updates(orelse, updates, indexed, other);
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                let mut r = Vec::new();
                for e in [start, stop, step] {
                    reads_stmt(&hir::Stmt { kind: S::Expr(e.clone()), span: s.span }, &mut r);
                }
                target_locals(target, &mut r);
                other.extend(r);
                scan_updates(body, updates, indexed, other);
                scan_updates(orelse, updates, indexed, other);
            }
            _ => {
                let mut r = Vec::new();
                reads_stmt(s, &mut r);
                assigned_in(std::slice::from_ref(s), &mut r);
                other.extend(r);
            }
        }
    }
}

/// Whether an index is `:` (or `:, :, ...`): every element.
fn whole(index: &hir::Expr) -> bool {
    let all = |e: &hir::Expr| matches!(e.kind, H::Slice { lower: None, upper: None, step: None });
    match &index.kind {
        H::Tuple(items) => items.iter().all(all),
        _ => all(index),
    }
}

/// `if e > x: x = e` (`<`, `>=`, `<=`, either side), `e` not reading `x` and the same
/// expression both times: `x`'s reduction and `e`.
fn if_update<'e>(test: &hir::Expr, body: &'e [hir::Stmt], orelse: &[hir::Stmt]) -> Option<(LocalId, Combine, &'e hir::Expr)> {
    use crate::ast::CmpOp;
    let [hir::Stmt { kind: S::Assign { targets, value }, .. }] = body else { return None };
    let ([hir::Target::Local(x, _)], true) = (targets.as_slice(), orelse.is_empty()) else { return None };
    let H::Compare { left, ops, comparators } = &test.kind else { return None };
    let ([op], [right]) = (ops.as_slice(), comparators.as_slice()) else { return None };
    // As `e op x`.
    let (e, op) = if local_of(right) == Some(*x) {
        (&**left, *op)
    } else if local_of(left) == Some(*x) {
        (right, op.swapped())
    } else {
        return None;
    };
    let c = match op {
        CmpOp::Gt => Combine::Max,
        CmpOp::Lt => Combine::Min,
        CmpOp::Ge => Combine::MaxLast,
        CmpOp::Le => Combine::MinLast,
        _ => return None,
    };
    (same_expr(e, value) && !reads_expr(value, *x)).then_some((*x, c, value))
}

/// Whether two expressions compute the same thing (their ids aside): locals, constants,
/// subscripts and arithmetic only.
fn same_expr(a: &hir::Expr, b: &hir::Expr) -> bool {
    match (&a.kind, &b.kind) {
        (H::Local { id: x, .. }, H::Local { id: y, .. }) => x == y,
        (H::Int(x), H::Int(y)) => x == y,
        (H::Float(x), H::Float(y)) => x.to_bits() == y.to_bits(),
        (H::Subscript { value: v1, index: i1 }, H::Subscript { value: v2, index: i2 }) => same_expr(v1, v2) && same_expr(i1, i2),
        (H::Binary { op: o1, left: l1, right: r1 }, H::Binary { op: o2, left: l2, right: r2 }) => {
            o1 == o2 && same_expr(l1, l2) && same_expr(r1, r2)
        }
        (H::Unary { op: o1, operand: x1 }, H::Unary { op: o2, operand: x2 }) => o1 == o2 && same_expr(x1, x2),
        (H::Tuple(xs), H::Tuple(ys)) => xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same_expr(x, y)),
        _ => false,
    }
}

fn update_of_target<'e>(t: &hir::Target, value: &'e hir::Expr) -> Option<(Combine, &'e hir::Expr)> {
    match t {
        hir::Target::Local(id, _) => update_of(*id, value),
        _ => None,
    }
}

/// Definite assignment over one iteration: `now` holds the locals assigned on every path so
/// far; a read of a local of `tracked` (those the body assigns) not in `now` goes to
/// `exposed`. Returns the locals assigned on every path that reaches the iteration's end
/// (falling off the body or `continue`).
pub(super) fn definite(
    stmts: &[hir::Stmt],
    now: &mut HashSet<LocalId>,
    exposed: &mut Vec<(LocalId, Span)>,
    tracked: &HashSet<LocalId>,
) -> HashSet<LocalId> {
    let mut at_continue: Option<HashSet<LocalId>> = None;
    let mut dead = false;
    walk_definite(stmts, now, exposed, tracked, &mut at_continue, &mut dead);
    let mut end = if dead { None } else { Some(now.clone()) };
    if let Some(c) = at_continue {
        end = Some(match end {
            Some(e) => e.intersection(&c).copied().collect(),
            None => c,
        });
    }
    end.unwrap_or_else(|| now.clone())
}

fn read_check(e: &hir::Expr, now: &HashSet<LocalId>, exposed: &mut Vec<(LocalId, Span)>, tracked: &HashSet<LocalId>) {
    if let H::Local { id, .. } = e.kind {
        if tracked.contains(&id) && !now.contains(&id) {
            exposed.push((id, e.span));
        }
    }
    for c in e.kind.children() {
        read_check(c, now, exposed, tracked);
    }
}

fn target_check(t: &hir::Target, now: &mut HashSet<LocalId>, exposed: &mut Vec<(LocalId, Span)>, tracked: &HashSet<LocalId>) {
    match t {
        hir::Target::Local(id, _) => {
            now.insert(*id);
        }
        hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| target_check(t, now, exposed, tracked)),
        hir::Target::Index { array, index, .. } => {
            read_check(array, now, exposed, tracked);
            read_check(index, now, exposed, tracked);
        }
    }
}

fn walk_definite(
    stmts: &[hir::Stmt],
    now: &mut HashSet<LocalId>,
    exposed: &mut Vec<(LocalId, Span)>,
    tracked: &HashSet<LocalId>,
    at_continue: &mut Option<HashSet<LocalId>>,
    dead: &mut bool,
) {
    for s in stmts {
        if *dead {
            return;
        }
        match &s.kind {
            S::Assign { targets, value } => {
                read_check(value, now, exposed, tracked);
                targets.iter().for_each(|t| target_check(t, now, exposed, tracked));
            }
            S::AugAssign { target, value, read, .. } => {
                read_check(read, now, exposed, tracked);
                read_check(value, now, exposed, tracked);
                now.insert(*target);
            }
            S::AugAssignIndex { array, index, value, .. } => {
                for e in [array, index, value] {
                    read_check(e, now, exposed, tracked);
                }
            }
            S::Expr(e) | S::Return(Some(e)) => read_check(e, now, exposed, tracked),
            S::Print { items, .. } => {
                items.iter().filter_map(hir::PrintItem::value).for_each(|e| read_check(e, now, exposed, tracked))
            }
            S::If { test, body, orelse } => {
                read_check(test, now, exposed, tracked);
                let (mut a, mut b) = (now.clone(), now.clone());
                let (mut dead_a, mut dead_b) = (false, false);
                walk_definite(body, &mut a, exposed, tracked, at_continue, &mut dead_a);
                walk_definite(orelse, &mut b, exposed, tracked, at_continue, &mut dead_b);
                *now = match (dead_a, dead_b) {
                    (true, true) => {
                        *dead = true;
                        a
                    }
                    (true, false) => b,
                    (false, true) => a,
                    (false, false) => a.intersection(&b).copied().collect(),
                };
            }
            S::While { test, body, orelse } => {
                read_check(test, now, exposed, tracked);
                // The body may run zero times; `continue`/`break` in it stay in it.
                let mut inner = now.clone();
                let (mut c, mut d) = (None, false);
                walk_definite(body, &mut inner, exposed, tracked, &mut c, &mut d);
                let mut after = now.clone();
                let (mut c2, mut d2) = (None, false);
                walk_definite(orelse, &mut after, exposed, tracked, &mut c2, &mut d2);
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                for e in [start, stop, step] {
                    read_check(e, now, exposed, tracked);
                }
                let mut inner = now.clone();
                target_check(target, &mut inner, exposed, tracked);
                let (mut c, mut d) = (None, false);
                walk_definite(body, &mut inner, exposed, tracked, &mut c, &mut d);
                let mut after = now.clone();
                let (mut c2, mut d2) = (None, false);
                walk_definite(orelse, &mut after, exposed, tracked, &mut c2, &mut d2);
            }
            S::Continue => {
                *at_continue = Some(match at_continue.take() {
                    Some(c) => c.intersection(now).copied().collect(),
                    None => now.clone(),
                });
                *dead = true;
            }
            S::Raise { .. } | S::Reraise | S::Return(_) | S::Break => *dead = true,
            // Refused in a parallel loop (`parallel::refuse_exits`).
            S::Try { .. } => *dead = true,
            S::Pass => {}
        }
    }
}

/// The locals that may be read after the statement `lp` (a loop of `stmts`, at any depth)
/// before they are assigned again: live where `lp` ends (a backward liveness over the
/// structured statements; `break`, `continue`, `return` and exceptions taken into account,
/// conservatively for `try`).
pub(super) fn live_after(stmts: &[hir::Stmt], lp: &hir::Stmt) -> HashSet<LocalId> {
    let mut live = Liveness { lp, found: HashSet::new() };
    live.block(stmts, HashSet::new(), &Exits::default());
    live.found
}

type Locals = HashSet<LocalId>;

/// Where control goes other than to the next statement, as the locals live there.
#[derive(Clone, Default)]
struct Exits {
    /// After the innermost loop (`break`).
    brk: Locals,
    /// At its head (`continue`).
    cont: Locals,
    /// Where an exception raised here is handled (any statement may raise).
    exc: Locals,
}

struct Liveness<'a> {
    lp: &'a hir::Stmt,
    /// The locals live where `lp` ends (over every pass of the loops around it).
    found: Locals,
}

fn reads_of_expr(e: &hir::Expr, out: &mut Locals) {
    if let H::Local { id, .. } = e.kind {
        out.insert(id);
    }
    e.kind.children().into_iter().for_each(|c| reads_of_expr(c, out));
}

impl Liveness<'_> {
    fn block(&mut self, stmts: &[hir::Stmt], out: Locals, x: &Exits) -> Locals {
        stmts.iter().rev().fold(out, |live, s| self.stmt(s, live, x))
    }

    /// The head of a loop: the fixpoint of `head = exit ∪ one_pass(head)`.
    fn head(&mut self, exit: &Locals, mut one_pass: impl FnMut(&mut Self, &Locals) -> Locals) -> Locals {
        let mut head = exit.clone();
        loop {
            let next: Locals = head.union(&one_pass(self, &head)).copied().collect();
            if next.len() == head.len() {
                return head;
            }
            head = next;
        }
    }

    fn stmt(&mut self, s: &hir::Stmt, out: Locals, x: &Exits) -> Locals {
        let is_lp = std::ptr::eq(s, self.lp) || (s.span == self.lp.span && matches!(s.kind, S::ForRange { .. }));
        let mut live = match &s.kind {
            S::If { test, body, orelse } => {
                let mut live = self.block(body, out.clone(), x);
                live.extend(self.block(orelse, out, x));
                reads_of_expr(test, &mut live);
                live
            }
            S::While { test, body, orelse } => {
                let exit = self.block(orelse, out.clone(), x);
                let mut head = self.head(&exit, |me, head| {
                    let inner = Exits { brk: out.clone(), cont: head.clone(), exc: x.exc.clone() };
                    me.block(body, head.clone(), &inner)
                });
                reads_of_expr(test, &mut head);
                head
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                // The loop's value copied back is live at its `else` (which runs after it).
                let exit = self.block(orelse, out.clone(), x);
                if is_lp {
                    self.found.extend(exit.iter().copied());
                }
                let mut assigned = Vec::new();
                target_locals(target, &mut assigned);
                let mut head = self.head(&exit, |me, head| {
                    let inner = Exits { brk: out.clone(), cont: head.clone(), exc: x.exc.clone() };
                    let mut live = me.block(body, head.clone(), &inner);
                    assigned.iter().for_each(|id| {
                        live.remove(id);
                    });
                    live
                });
                [start, stop, step].into_iter().for_each(|e| reads_of_expr(e, &mut head));
                head
            }
            S::Try { body, handlers, orelse, finalbody } => {
                // `finally` runs on every way out: after it, anything live on any of them.
                let mut after: Locals = out.clone();
                after.extend(x.brk.iter().chain(&x.cont).chain(&x.exc).copied());
                let fin = self.block(finalbody, after, x);
                let mut exc = fin.clone();
                exc.extend(x.exc.iter().copied());
                for h in handlers {
                    exc.extend(self.block(&h.body, fin.clone(), x));
                }
                let normal = self.block(orelse, fin, x);
                let inner = Exits { brk: x.brk.clone(), cont: x.cont.clone(), exc: exc.clone() };
                let mut live = self.block(body, normal, &inner);
                live.extend(exc);
                live
            }
            S::Assign { targets, .. } => {
                let mut kills = Vec::new();
                targets.iter().for_each(|t| target_locals(t, &mut kills));
                let mut live = out;
                kills.iter().for_each(|id| {
                    live.remove(id);
                });
                let mut r = Vec::new();
                reads_stmt(s, &mut r);
                live.extend(r);
                live
            }
            S::Return(_) | S::Raise { .. } | S::Reraise => {
                let mut r = Vec::new();
                reads_stmt(s, &mut r);
                r.into_iter().collect()
            }
            S::Break => x.brk.clone(),
            S::Continue => x.cont.clone(),
            S::AugAssign { .. } | S::AugAssignIndex { .. } | S::Expr(_) | S::Print { .. } | S::Pass => {
                let mut live = out;
                let mut r = Vec::new();
                reads_stmt(s, &mut r);
                live.extend(r);
                live
            }
        };
        live.extend(x.exc.iter().copied());
        live
    }
}
