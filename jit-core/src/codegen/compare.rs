//! Comparisons: `==`, `<`, ... of numbers, strings, sets and Enum members, chained
//! comparisons, and `is` of the values compiled code compares by identity.

use inkwell::values::{BasicValueEnum, FloatValue, IntValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::{Built, FnGen};
use crate::ast::{BinOp, CmpOp};
use crate::hir::{self, ExprKind as H};
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `a is b` (`negated`: `is not`): inference allowed Enum members, bools, and operands of
    /// different types.
    pub(super) fn identity(&mut self, negated: bool, a: &hir::Expr, b: &hir::Expr) -> IntValue<'ctx> {
        let op = if negated { CmpOp::Ne } else { CmpOp::Eq };
        let (lt, rt) = (self.ty(a), self.ty(b));
        let (l, r) = (self.expr(a), self.expr(b));
        match (&lt, &rt) {
            (Type::Bool, Type::Bool) => self.compare(op, l, &lt, r, &rt),
            _ => self.enum_compare(op, l, &lt, r, &rt),
        }
    }

    pub(super) fn compare_chain(&mut self, left: &hir::Expr, ops: &[CmpOp], comps: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        if let ([op @ (CmpOp::Eq | CmpOp::Ne)], [zero], H::Binary { op: BinOp::Mod, left: x, right: y }) =
            (ops, comps, &left.kind)
        {
            // `x % y == 0` on ints: a divisibility test, whatever the signs (the floor modulo
            // is 0 exactly when the truncating remainder is), so without the sign fix-up.
            let ints = |e: &hir::Expr| matches!(self.ty(e), Type::Int64 | Type::Bool);
            if matches!(zero.kind, H::Int(0)) && ints(x) && ints(y) {
                // A dividend proven non-negative (a `range` loop's variable) by a positive literal:
                // the unsigned remainder, which LLVM lowers to fewer instructions.
                let unsigned = self.nonneg(x) && matches!(y.kind, H::Int(c) if c > 0);
                let (x, y) = (self.int_operand(x), self.int_operand(y));
                let divisible = if unsigned {
                    let b = self.b();
                    let r = b.build_int_unsigned_rem(x, y, "r").u();
                    b.build_int_compare(IntPredicate::EQ, r, self.i64(0), "divisible").u()
                } else {
                    self.int_divisible(x, y)
                };
                return if *op == CmpOp::Eq { divisible } else { self.b().build_not(divisible, "ndiv").u() }.into();
            }
        }
        let mut l = self.expr(left);
        let mut lt = self.ty(left);
        if ops.len() == 1 {
            let r = self.expr(&comps[0]);
            return self.compare(ops[0], l, &lt, r, &self.ty(&comps[0])).into();
        }
        let end = self.block_named("cmp.end");
        let mut incoming = Vec::new();
        for (i, (op, c)) in ops.iter().zip(comps).enumerate() {
            let r = self.expr(c);
            let rt = self.ty(c);
            let res = self.compare(*op, l, &lt, r, &rt);
            let bb = self.b().get_insert_block().unwrap();
            if i + 1 == ops.len() {
                incoming.push((res, bb));
                self.b().build_unconditional_branch(end).u();
            } else {
                incoming.push((self.ctx().bool_type().const_zero(), bb));
                let next = self.block_named("cmp.next");
                self.b().build_conditional_branch(res, next, end).u();
                self.b().position_at_end(next);
            }
            l = r;
            lt = rt;
        }
        self.b().position_at_end(end);
        let phi = self.b().build_phi(self.ctx().bool_type(), "chain").u();
        for (v, bb) in &incoming {
            phi.add_incoming(&[(v, *bb)]);
        }
        phi.as_basic_value()
    }

    pub(super) fn int_pred(op: CmpOp) -> IntPredicate {
        match op {
            CmpOp::Eq => IntPredicate::EQ,
            CmpOp::Ne => IntPredicate::NE,
            CmpOp::Lt => IntPredicate::SLT,
            CmpOp::Le => IntPredicate::SLE,
            CmpOp::Gt => IntPredicate::SGT,
            CmpOp::Ge => IntPredicate::SGE,
        }
    }

    pub(super) fn float_pred(op: CmpOp) -> FloatPredicate {
        match op {
            CmpOp::Eq => FloatPredicate::OEQ,
            CmpOp::Ne => FloatPredicate::UNE,
            CmpOp::Lt => FloatPredicate::OLT,
            CmpOp::Le => FloatPredicate::OLE,
            CmpOp::Gt => FloatPredicate::OGT,
            CmpOp::Ge => FloatPredicate::OGE,
        }
    }

    pub(super) fn uint_pred(op: CmpOp) -> IntPredicate {
        match op {
            CmpOp::Eq => IntPredicate::EQ,
            CmpOp::Ne => IntPredicate::NE,
            CmpOp::Lt => IntPredicate::ULT,
            CmpOp::Le => IntPredicate::ULE,
            CmpOp::Gt => IntPredicate::UGT,
            CmpOp::Ge => IntPredicate::UGE,
        }
    }

    /// `l op r` with Python's exact comparison between an int and a float; a uint64 against an
    /// int64 is exact too, against a float it is converted to float64 (NumPy's rule).
    /// `==`/`!=` with a member of an `enum.Enum` class (inference allows no other operator):
    /// members of one class compare their values; anything else is never equal to one.
    fn enum_compare(&self, op: CmpOp, l: BasicValueEnum<'ctx>, lt: &Type, r: BasicValueEnum<'ctx>, rt: &Type) -> IntValue<'ctx> {
        let ne = op == CmpOp::Ne;
        match (lt, rt) {
            (Type::Tuple(a), Type::Tuple(b)) if a.enum_class().is_some() && a.enum_class() == b.enum_class() && a[0] == b[0] => {
                let lv = self.b().build_extract_value(l.into_struct_value(), 0, "lvalue").u();
                let rv = self.b().build_extract_value(r.into_struct_value(), 0, "rvalue").u();
                self.compare(op, lv, &a[0], rv, &b[0])
            }
            _ => self.ctx().bool_type().const_int(ne as u64, false),
        }
    }

    /// Tuples compared as CPython compares them: `==` when every item is equal (and the lengths
    /// are); otherwise `<` and the like at the first items that differ, or by length when one
    /// is the other's start.
    fn tuple_compare(&self, op: CmpOp, l: BasicValueEnum<'ctx>, lt: &Type, r: BasicValueEnum<'ctx>, rt: &Type) -> IntValue<'ctx> {
        let (Type::Tuple(a), Type::Tuple(b)) = (lt, rt) else { unreachable!("inference compares tuples with tuples") };
        let (l, r) = (l.into_struct_value(), r.into_struct_value());
        let n = a.len().min(b.len());
        let item = |t: inkwell::values::StructValue<'ctx>, k: usize| self.b().build_extract_value(t, k as u32, "item").u();
        let eqs: Vec<IntValue<'ctx>> =
            (0..n).map(|k| self.compare(CmpOp::Eq, item(l, k), &a[k].carrier(), item(r, k), &b[k].carrier())).collect();
        let by_length = |op: CmpOp| {
            let (x, y) = (a.len() as i64, b.len() as i64);
            let holds = match op {
                CmpOp::Eq => x == y,
                CmpOp::Ne => x != y,
                CmpOp::Lt => x < y,
                CmpOp::Le => x <= y,
                CmpOp::Gt => x > y,
                CmpOp::Ge => x >= y,
            };
            self.ctx().bool_type().const_int(holds as u64, false)
        };
        if matches!(op, CmpOp::Eq | CmpOp::Ne) {
            let mut all = by_length(CmpOp::Eq);
            for eq in eqs {
                all = self.b().build_and(all, eq, "same").u();
            }
            return if op == CmpOp::Eq { all } else { self.b().build_not(all, "differ").u() };
        }
        // From the last common item back to the first: the answer is decided at the first
        // items that differ.
        let mut res = by_length(op);
        for k in (0..n).rev() {
            let here = self.compare(op, item(l, k), &a[k].carrier(), item(r, k), &b[k].carrier());
            res = self.b().build_select(eqs[k], res, here, "lex").u().into_int_value();
        }
        res
    }

    pub(super) fn compare(
        &self,
        op: CmpOp,
        l: BasicValueEnum<'ctx>,
        lt: &Type,
        r: BasicValueEnum<'ctx>,
        rt: &Type,
    ) -> IntValue<'ctx> {
        if lt.is_complex() || rt.is_complex() {
            return self.complex_compare(op, l, lt, r, rt);
        }
        let enum_member = |t: &Type| matches!(t, Type::Tuple(a) if a.enum_class().is_some());
        if enum_member(lt) || enum_member(rt) {
            return self.enum_compare(op, l, lt, r, rt);
        }
        if matches!(lt, Type::Tuple(_)) || matches!(rt, Type::Tuple(_)) {
            return self.tuple_compare(op, l, lt, r, rt);
        }
        if *lt == Type::Str {
            return self.string_compare(op, l, r);
        }
        if let (Type::Set(key), Type::Set(_)) = (lt, rt) {
            return self.set_compare(op, l, r, key);
        }
        let b = self.b();
        match (lt, rt) {
            (Type::Float64, Type::Float64) => {
                b.build_float_compare(Self::float_pred(op), l.into_float_value(), r.into_float_value(), "fcmp").u()
            }
            (Type::UInt64, Type::Float64) | (Type::Float64, Type::UInt64) => {
                // NumPy's (and Numba's) rule: the uint64 is converted to float64 first.
                let lf = self.cast(l, lt, &Type::Float64).into_float_value();
                let rf = self.cast(r, rt, &Type::Float64).into_float_value();
                b.build_float_compare(Self::float_pred(op), lf, rf, "ufcmp").u()
            }
            (Type::UInt64, Type::UInt64 | Type::Bool) | (Type::Bool, Type::UInt64) => {
                let li = self.cast(l, lt, &Type::UInt64).into_int_value();
                let ri = self.cast(r, rt, &Type::UInt64).into_int_value();
                b.build_int_compare(Self::uint_pred(op), li, ri, "ucmp").u()
            }
            (Type::UInt64, _) | (_, Type::UInt64) => {
                // A uint64 against an int64: both fit in 65 signed bits.
                let i65 = self.ctx().custom_width_int_type(std::num::NonZeroU32::new(65).expect("65 > 0")).u();
                let wide = |v: BasicValueEnum<'ctx>, t: &Type| {
                    let v = v.into_int_value();
                    if *t == Type::UInt64 {
                        b.build_int_z_extend(v, i65, "u65").u()
                    } else {
                        let v = self.cast(v.into(), t, &Type::Int64).into_int_value();
                        b.build_int_s_extend(v, i65, "s65").u()
                    }
                };
                let (li, ri) = (wide(l, lt), wide(r, rt));
                b.build_int_compare(Self::int_pred(op), li, ri, "cmp65").u()
            }
            (Type::Float64, _) => {
                let ri = self.cast(r, rt, &Type::Int64).into_int_value();
                self.compare_int_float(op.swapped(), ri, l.into_float_value())
            }
            (_, Type::Float64) => {
                let li = self.cast(l, lt, &Type::Int64).into_int_value();
                self.compare_int_float(op, li, r.into_float_value())
            }
            _ => {
                let li = self.cast(l, lt, &Type::Int64).into_int_value();
                let ri = self.cast(r, rt, &Type::Int64).into_int_value();
                b.build_int_compare(Self::int_pred(op), li, ri, "icmp").u()
            }
        }
    }

    /// Exact `i op f`: if float(i) != f, their order is i's order; if equal, f is integral and
    /// the comparison is done in integers (f == 2**63 is above every int64).
    pub(super) fn compare_int_float(&self, op: CmpOp, i: IntValue<'ctx>, f: FloatValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        // An int constant a double holds exactly (|c| <= 2**53: `x == 0`, `fm * fa >= 0`): the
        // exact comparison is the float comparison with it, NaN included.
        if let Some(c) = i.get_sign_extended_constant().filter(|c| c.unsigned_abs() <= 1 << 53) {
            return b.build_float_compare(Self::float_pred(op), self.f64(c as f64), f, "fcmpc").u();
        }
        let fi = b.build_signed_int_to_float(i, self.ctx().f64_type(), "fi").u();
        let by_float = b.build_float_compare(Self::float_pred(op), fi, f, "byf").u();
        let same = b.build_float_compare(FloatPredicate::OEQ, fi, f, "same").u();
        let two63 = b.build_float_compare(FloatPredicate::OGE, f, self.f64(9223372036854775808.0), "big").u();
        let fclamped = b.build_select(two63, self.f64(0.0), f, "fc").u().into_float_value();
        let fint = b.build_float_to_signed_int(fclamped, self.ctx().i64_type(), "fint").u();
        let by_int = b.build_int_compare(Self::int_pred(op), i, fint, "byi").u();
        // f == 2**63 and fi == f means i is near the top: i < f.
        let top = self.ctx().bool_type().const_int(matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Ne) as u64, false);
        let exact = b.build_select(two63, top, by_int, "exact").u().into_int_value();
        b.build_select(same, exact, by_float, "cmpif").u().into_int_value()
    }
}
