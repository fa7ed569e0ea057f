//! Codegen of `range` objects used as values: an LLVM `{i64 start, i64 stop, i64 step}` made by
//! `range(...)` (CPython's ValueError for a zero step), its length, items (CPython's
//! IndexError outside them), `in` and fields.

use inkwell::types::StructType;
use inkwell::values::{BasicValueEnum, IntValue, StructValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, ModuleGen};
use crate::hir;
use crate::runtime::Status;
use crate::types::Type;

impl<'ctx> ModuleGen<'_, 'ctx> {
    /// The LLVM type of a range: `{i64 start, i64 stop, i64 step}`.
    pub(super) fn range_llty(&self) -> StructType<'ctx> {
        let i = self.ctx.i64_type();
        self.ctx.struct_type(&[i.into(), i.into(), i.into()], false)
    }
}

impl<'ctx> FnGen<'_, 'ctx> {
    /// `range(start, stop, step)`: the three operands evaluated in order, then the step checked.
    pub(super) fn range_new(&mut self, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let parts: Vec<IntValue<'ctx>> = args.iter().map(|a| self.int_operand(a)).collect();
        let zero = self.b().build_int_compare(IntPredicate::EQ, parts[2], self.i64(0), "step0").u();
        self.fail_if(zero, Status::RangeStepZero as u32);
        let mut agg = self.module_gen.range_llty().get_undef();
        for (k, p) in parts.into_iter().enumerate() {
            agg = self.b().build_insert_value(agg, p, k as u32, "range").u().into_struct_value();
        }
        agg.into()
    }

    /// Start, stop and step of the range `r`.
    fn range_parts(&self, r: StructValue<'ctx>) -> [IntValue<'ctx>; 3] {
        let b = self.b();
        let part = |k: u32, name: &str| b.build_extract_value(r, k, name).u().into_int_value();
        [part(0, "start"), part(1, "stop"), part(2, "step")]
    }

    /// `len(r)`: CPython's range length, `(hi - lo - 1) / |step| + 1` when `lo < hi`, in
    /// unsigned arithmetic so that nothing overflows (the step is never 0: `range_new` checked).
    pub(super) fn range_object_len(&self, r: StructValue<'ctx>) -> IntValue<'ctx> {
        let [start, stop, step] = self.range_parts(r);
        let b = self.b();
        let zero = self.i64(0);
        let pos = b.build_int_compare(IntPredicate::SGT, step, zero, "pos").u();
        let lo = b.build_select(pos, start, stop, "lo").u().into_int_value();
        let hi = b.build_select(pos, stop, start, "hi").u().into_int_value();
        let neg_step = b.build_int_sub(zero, step, "negstep").u();
        let size = b.build_select(pos, step, neg_step, "size").u().into_int_value();
        let nonempty = b.build_int_compare(IntPredicate::SLT, lo, hi, "nonempty").u();
        let span = b.build_int_sub(hi, lo, "span").u();
        let span1 = b.build_int_sub(span, self.i64(1), "span1").u();
        let q = b.build_int_unsigned_div(span1, size, "q").u();
        let count = b.build_int_add(q, self.i64(1), "count").u();
        b.build_select(nonempty, count, zero, "len").u().into_int_value()
    }

    /// `r.start`, `r.stop` or `r.step`.
    pub(super) fn range_field(&mut self, k: u8, r: &hir::Expr) -> BasicValueEnum<'ctx> {
        let r = self.expr(r).into_struct_value();
        self.range_parts(r)[k as usize].into()
    }

    /// `r[i]`: item `i` (negative counts from the end), CPython's IndexError outside them.
    pub(super) fn range_item(&mut self, value: &hir::Expr, index: &hir::Expr) -> BasicValueEnum<'ctx> {
        let r = self.expr(value).into_struct_value();
        let i = self.int_operand(index);
        if self.walks_range(value, index) {
            let [start, _, step] = self.range_parts(r);
            let offset = self.b().build_int_mul(i, step, "offset").u();
            return self.b().build_int_add(start, offset, "item").u().into();
        }
        let n = self.range_object_len(r);
        let [start, _, step] = self.range_parts(r);
        let b = self.b();
        let negative = b.build_int_compare(IntPredicate::SLT, i, self.i64(0), "neg").u();
        let wrapped = b.build_int_add(i, n, "wrapped").u();
        let at = b.build_select(negative, wrapped, i, "at").u().into_int_value();
        let outside = b.build_int_compare(IntPredicate::UGE, at, n, "outside").u();
        self.fail_if(outside, Status::RangeIndex as u32);
        let b = self.b();
        let offset = b.build_int_mul(at, step, "offset").u();
        b.build_int_add(start, offset, "item").u().into()
    }

    /// Whether `value[index]` is the item a loop over a range reads at its position (`for x in
    /// r` is lowered to `for $iN in range(len($iterN)): x = $iterN[$iN]`, and `reversed(r)`
    /// reads `$iterN[$jN]` with `$jN = len - 1 - $kN`): the index is inside the items, no check.
    fn walks_range(&self, value: &hir::Expr, index: &hir::Expr) -> bool {
        let name = |e: &hir::Expr| match e.kind {
            hir::ExprKind::Local { id, .. } => Some(self.hir_fn.locals[id as usize].name.as_str()),
            _ => None,
        };
        let position =
            |n: &str| ["$i", "$k", "$j"].iter().any(|p| n.strip_prefix(p).is_some_and(|d| d.bytes().all(|c| c.is_ascii_digit())));
        matches!(name(value), Some(v) if v.starts_with("$iter")) && matches!(name(index), Some(i) if position(i))
    }

    /// `x in r` of an integer `x`: between the ends, a whole number of steps from the start.
    pub(super) fn range_contains(&mut self, r: StructValue<'ctx>, x: BasicValueEnum<'ctx>, xt: &Type) -> IntValue<'ctx> {
        let x = self.as_index(x, xt);
        let [start, stop, step] = self.range_parts(r);
        let b = self.b();
        let zero = self.i64(0);
        let pos = b.build_int_compare(IntPredicate::SGT, step, zero, "pos").u();
        // Up: start <= x < stop; down: stop < x <= start.
        let up = b
            .build_and(
                b.build_int_compare(IntPredicate::SLE, start, x, "ge").u(),
                b.build_int_compare(IntPredicate::SLT, x, stop, "lt").u(),
                "up",
            )
            .u();
        let down = b
            .build_and(
                b.build_int_compare(IntPredicate::SLT, stop, x, "gt").u(),
                b.build_int_compare(IntPredicate::SLE, x, start, "le").u(),
                "down",
            )
            .u();
        let between = b.build_select(pos, up, down, "between").u().into_int_value();
        // The distance from the start and the step's size, unsigned (no overflow at the ends).
        let (d_up, d_down) = (b.build_int_sub(x, start, "dup").u(), b.build_int_sub(start, x, "ddown").u());
        let dist = b.build_select(pos, d_up, d_down, "dist").u().into_int_value();
        let neg_step = b.build_int_sub(zero, step, "negstep").u();
        let size = b.build_select(pos, step, neg_step, "size").u().into_int_value();
        // A zero divisor only where `between` is false already (the step is never 0).
        let one = self.i64(1);
        let safe = b.build_select(between, size, one, "safe").u().into_int_value();
        let rem = b.build_int_unsigned_rem(dist, safe, "rem").u();
        let whole = b.build_int_compare(IntPredicate::EQ, rem, zero, "whole").u();
        b.build_and(between, whole, "in").u()
    }
}
