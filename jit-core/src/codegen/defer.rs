//! Deferred float errors: an innermost `range` loop that changes nothing but its own number
//! locals runs first with its float errors recorded in a flag instead of leaving the loop, and
//! again, exactly, only when one was recorded.
//!
//! CPython raises in the iteration where `x ** 2` overflows, `math.sqrt` gets a negative number
//! or a float is divided by zero, and compiled code must too: every such check is an exit from
//! the loop, and a loop with an exit in every iteration is not vectorized (LLVM's vectorizer
//! takes no early exit from a loop that reduces). But the value after each of these checks is
//! defined (inf or NaN, IEEE's answer), so the checks can wait: in the *deferred* copy each one
//! ORs its condition into a flag and the loop goes on; after the loop, a set flag puts the
//! locals back as they were before it and runs the *exact* copy, whose checks leave the loop
//! where CPython's would, with CPython's exception. Running a loop again from the start gives
//! the same values only if the loop changed nothing the locals do not hold, so a loop qualifies
//! when ([`plan`]):
//! - it is innermost, with no `else`, no `break`, `return`, `raise`, `try`, `print` or
//!   expression statement (a call for its effect);
//! - it assigns only locals of number types (or tuples of them): no store to an array, list or
//!   dict, nothing counted by reference to put back;
//! - its expressions are numbers, array elements and sizes, arithmetic, comparisons and the
//!   pure functions of builtins, `math` and NumPy on numbers: no call of a jitted function
//!   (which might store), no draw of a random number (running it again would draw others);
//! - and it has a check to defer (a float `**`, `/`, `//` or `%`, or a `math` function), and
//!   carries no float from one iteration to the next unless fast-math allows reassociation
//!   (else it would not vectorize anyway).
//!
//! Other checks (an index out of range, an integer division by zero, a float too large for an
//! int) stay exits in both copies: after them the value is not defined.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};

use crate::ast::BinOp;
use crate::hir::{self, ExprKind as H, Intrinsic, LocalId, StmtKind as S, Target};
use crate::types::Type;

use super::{Built, FnGen};

/// Largest loop body (statements, nested ones counted) built twice for this: the copy costs
/// compile time in proportion to its size (and a versioned loop is built twice again).
const MAX_STATEMENTS: usize = 40;

/// The locals an innermost loop over `body` with variable `var` assigns, when it qualifies
/// (module docs); `ty` gives an expression's type, `local_ty` a local's. A loop that carries a
/// float from one iteration to the next (`s += x`, `s = s * x + y`) is vectorized only when
/// `reassoc` (fast-math) lets LLVM reorder its sum, so without it the loop gains nothing from
/// the copy and does not get one.
pub(super) fn plan(
    var: LocalId,
    body: &[hir::Stmt],
    ty: &dyn Fn(&hir::Expr) -> Type,
    local_ty: &dyn Fn(LocalId) -> Type,
    reassoc: bool,
) -> Option<Vec<LocalId>> {
    let mut scan = Scan { ty, local_ty, assigned: vec![var], statements: 0, defers: false, carries_float: false };
    if !scan.block(body) || !scan.defers || scan.statements > MAX_STATEMENTS || (scan.carries_float && !reassoc) {
        return None;
    }
    if !scan.assigned.iter().all(|&id| plain(&local_ty(id))) {
        return None;
    }
    scan.assigned.sort_unstable();
    scan.assigned.dedup();
    Some(scan.assigned)
}

/// Numbers, and tuples of them: values a local holds without references.
fn plain(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.iter().all(plain),
        t => t.is_numeric(),
    }
}

struct Scan<'f> {
    ty: &'f dyn Fn(&hir::Expr) -> Type,
    local_ty: &'f dyn Fn(LocalId) -> Type,
    assigned: Vec<LocalId>,
    statements: usize,
    /// Some check in the body would be deferred.
    defers: bool,
    /// Some float local is updated from its own value (`s += x`, `s = s + x`).
    carries_float: bool,
}

impl Scan<'_> {
    fn block(&mut self, body: &[hir::Stmt]) -> bool {
        body.iter().all(|s| self.stmt(s))
    }

    fn stmt(&mut self, s: &hir::Stmt) -> bool {
        self.statements += 1;
        match &s.kind {
            S::Assign { targets, value } => {
                let reads = |id: LocalId| {
                    super::version::any_expr(std::slice::from_ref(s), &|e| matches!(e.kind, H::Local { id: r, .. } if r == id))
                };
                for t in targets {
                    if let Target::Local(id, _) = t {
                        self.carries_float |= (self.local_ty)(*id).is_float() && reads(*id);
                    }
                }
                targets.iter().all(|t| self.target(t)) && self.expr(value)
            }
            S::AugAssign { target, op, value, read } => {
                self.assigned.push(*target);
                self.carries_float |= (self.local_ty)(*target).is_float();
                self.float_op(*op, &[value, read]);
                self.expr(value) && self.expr(read)
            }
            S::If { test, body, orelse } => self.expr(test) && self.block(body) && self.block(orelse),
            S::Pass | S::Continue => true,
            _ => false,
        }
    }

    /// Notes a float `**`, `/`, `//` or `%` (whose checks are deferred).
    fn float_op(&mut self, op: BinOp, operands: &[&hir::Expr]) {
        let float = operands.iter().any(|e| (self.ty)(e).is_float());
        self.defers |= float && matches!(op, BinOp::Pow | BinOp::Div | BinOp::FloorDiv | BinOp::Mod);
    }

    fn target(&mut self, t: &Target) -> bool {
        match t {
            Target::Local(id, _) => {
                self.assigned.push(*id);
                true
            }
            Target::Tuple(items, _) => items.iter().all(|t| self.target(t)),
            Target::Index { .. } => false,
        }
    }

    fn expr(&mut self, e: &hir::Expr) -> bool {
        let t = (self.ty)(e);
        match &e.kind {
            H::Int(_) | H::UInt(_) | H::Float(_) | H::Bool(_) => true,
            H::Local { id, .. } => plain(&(self.local_ty)(*id)),
            // An element of an array (all its axes indexed), or of a tuple.
            H::Subscript { value, index } => {
                let array_or_plain =
                    (matches!(value.kind, H::Local { .. }) && (self.ty)(value).holds_references()) || self.expr(value);
                plain(&t) && array_or_plain && self.expr(index)
            }
            H::Attr { value, .. } => matches!(value.kind, H::Local { .. }) && plain(&t),
            H::Intrinsic { f: Intrinsic::Len, args } => {
                plain(&t) && args.iter().all(|a| matches!(a.kind, H::Local { .. }) || self.expr(a))
            }
            _ if !plain(&t) => false,
            H::Binary { op, left, right } => {
                self.float_op(*op, &[left, right]);
                self.expr(left) && self.expr(right)
            }
            H::Intrinsic { f, args } => {
                let pure = match f {
                    Intrinsic::Abs
                    | Intrinsic::Min
                    | Intrinsic::Max
                    | Intrinsic::Int
                    | Intrinsic::Float
                    | Intrinsic::Bool
                    | Intrinsic::Round
                    | Intrinsic::Np(_) => true,
                    Intrinsic::Math(_) => {
                        self.defers = true;
                        true
                    }
                    _ => false,
                };
                pure && args.iter().all(|a| self.expr(a))
            }
            H::Unary { .. } | H::BoolOp { .. } | H::Compare { .. } | H::IfExp { .. } | H::Tuple(_) => {
                e.kind.children().into_iter().all(|c| self.expr(c))
            }
            _ => false,
        }
    }
}

/// A local's value and "is bound" flag, read before the deferred copy.
type Saved<'ctx> = (LocalId, BasicValueEnum<'ctx>, Option<IntValue<'ctx>>);

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Fails with `status` if `failed`, as [`FnGen::fail_if`]; in the deferred copy of a loop
    /// (module docs), records `failed` in its flag and goes on. For checks whose value after
    /// them is defined (a float's inf or NaN).
    pub(super) fn fail_later_if(&self, failed: IntValue<'ctx>, status: u32) {
        let Some((flag, _)) = self.deferred else { return self.fail_if(failed, status) };
        if failed.get_zero_extended_constant() == Some(0) {
            return;
        }
        let b = self.b();
        let bool_t = self.ctx().bool_type();
        let seen = b.build_load(bool_t, flag, "deferred").u().into_int_value();
        let seen = b.build_or(seen, failed, "deferred").u();
        b.build_store(flag, seen).u();
    }

    /// The loop `build` makes, as its deferred copy and, when that recorded a failure, with
    /// `assigned`'s values put back, its exact copy (module docs).
    pub(super) fn deferred_loop(&mut self, assigned: &[LocalId], build: &mut dyn FnMut(&mut Self)) {
        let bool_t = self.ctx().bool_type();
        let flag: PointerValue<'ctx> = self.entry_alloca(bool_t, "deferred");
        self.b().build_store(flag, bool_t.const_zero()).u();
        let saved: Vec<Saved<'ctx>> = assigned
            .iter()
            .map(|&id| {
                let lt = self.module_gen.llty(&self.spec.local_types[id as usize]);
                let v = self.b().build_load(lt, self.locals[id as usize], "saved").u();
                let b = self.bound[id as usize].map(|f| self.b().build_load(bool_t, f, "saved.bound").u().into_int_value());
                (id, v, b)
            })
            .collect();
        let exact = self.block_named("deferred.exact");
        let done = self.block_named("deferred.done");
        self.deferred = Some((flag, exact));
        build(self);
        self.deferred = None;
        if !self.terminated() {
            let failed = self.b().build_load(bool_t, flag, "deferred").u().into_int_value();
            self.branch_cold(failed, exact, done, super::Cold::Then);
        }
        self.b().position_at_end(exact);
        for &(id, v, bound) in &saved {
            self.b().build_store(self.locals[id as usize], v).u();
            if let (Some(f), Some(b)) = (self.bound[id as usize], bound) {
                self.b().build_store(f, b).u();
            }
        }
        build(self);
        if !self.terminated() {
            self.b().build_unconditional_branch(done).u();
        }
        self.b().position_at_end(done);
    }

    /// In the deferred copy of a loop, before a failure that was not deferred: when a deferred
    /// one came first (the flag is set), the exact copy runs instead, which raises that one,
    /// in the iteration CPython raises it.
    pub(super) fn exact_first_if_deferred(&self) {
        let Some((flag, exact)) = self.deferred else { return };
        let bool_t = self.ctx().bool_type();
        let seen = self.b().build_load(bool_t, flag, "deferred").u().into_int_value();
        let fail = self.block_named("deferred.fail");
        self.b().build_conditional_branch(seen, exact, fail).u();
        self.b().position_at_end(fail);
    }
}
