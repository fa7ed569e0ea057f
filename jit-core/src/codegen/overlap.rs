//! The overlap check of an assignment into a view: whether the arrays its value reads share
//! memory with the target other than element for element, asked of the runtime
//! (`sj_rt_overlaps_2d` array by array, `sj_rt_overlaps` with one record per array beyond two
//! axes), after asking whether the whole local arrays they are views of meet (`sj_rt_meet_2d`).

use inkwell::values::{IntValue, StructValue};

use super::elementwise::Base;
use super::helpers::Helper;
use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::types::ArrayType;

/// An array an assignment reads or writes, as the overlap check takes it: its value, its type,
/// and the local array it is a view of ([`Base`]).
pub(super) type Checked<'ctx> = (StructValue<'ctx>, ArrayType, Option<Base<'ctx>>);

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Whether one of `arrays` shares memory with the assignment's `target` view other than
    /// element for element (the same data, shape and strides) or as two interleaved columns of
    /// one array. The same test inline costs ~40 instructions an array, which LLVM then
    /// optimizes and compiles in every assignment (half the compile time of a stencil kernel
    /// such as NPBench's `cavity_flow`), so it is a runtime call: when no array has more than
    /// two axes, one call of a pure function per array, with the two arrays' addresses, sizes and
    /// strides as arguments (LLVM takes it out of a loop where they do not change in it, and
    /// computes it once for an array read twice); beyond two axes, one call with a record per
    /// array stored on the stack.
    ///
    /// A view of another local array than the target's (`u[j, 1:n]` read into `q[1:n, j]`) is
    /// checked only when the two whole arrays meet (`sj_rt_meet_2d` of `u` and `q`, which does
    /// not change in a loop over `j`, so LLVM asks it once before the loop): views of arrays
    /// apart are apart.
    pub(super) fn overlaps(&mut self, arrays: &[Checked<'ctx>], (target, t, t_base): Checked<'ctx>) -> IntValue<'ctx> {
        let bool_t = self.ctx().bool_type();
        if arrays.is_empty() {
            return bool_t.const_zero();
        }
        if t.ndim > 2 || arrays.iter().any(|(_, a, _)| a.ndim > 2) {
            return self.overlaps_records(arrays, target, &t);
        }
        let f = self.helper(Helper::Overlaps2d);
        let t_words = self.words_2d(target, &t);
        let mut direct = bool_t.const_zero();
        let mut screened = Vec::new();
        for (v, a, base) in arrays {
            match (t_base, base) {
                (Some(tb), Some(b)) if tb.id != b.id && tb.ty.ndim <= 2 && b.ty.ndim <= 2 => screened.push((*v, *a, tb, *b)),
                _ => {
                    let one = self.overlaps_2d(f, &t_words, *v, a);
                    direct = self.b().build_or(direct, one, "overlap.any").u();
                }
            }
        }
        if screened.is_empty() {
            return direct;
        }
        let meet_f = self.helper(Helper::Meet2d);
        let mut meet = bool_t.const_zero();
        for (_, _, tb, b) in &screened {
            let args: Vec<_> =
                self.words_2d(tb.value, &tb.ty).iter().chain(&self.words_2d(b.value, &b.ty)).map(|w| (*w).into()).collect();
            let one = self.call_basic(meet_f, &args).into_int_value();
            meet = self.b().build_or(meet, one, "overlap.meet").u();
        }
        let before = self.b().get_insert_block().expect("a current block");
        let (check_bb, join) = (self.block_named("overlap.views"), self.block_named("overlap.join"));
        self.branch_cold(meet, check_bb, join, super::Cold::Then);
        self.b().position_at_end(check_bb);
        let mut views = bool_t.const_zero();
        for (v, a, _, _) in &screened {
            let one = self.overlaps_2d(f, &t_words, *v, a);
            views = self.b().build_or(views, one, "overlap.any").u();
        }
        let checked = self.b().get_insert_block().expect("a current block");
        self.b().build_unconditional_branch(join).u();
        self.b().position_at_end(join);
        let phi = self.b().build_phi(bool_t, "overlap.views").u();
        phi.add_incoming(&[(&bool_t.const_zero(), before), (&views, checked)]);
        self.b().build_or(direct, phi.as_basic_value().into_int_value(), "overlap.any").u()
    }

    /// `sj_rt_overlaps_2d` of the target's words and the array `v` (of type `a`).
    fn overlaps_2d(
        &self,
        f: inkwell::values::FunctionValue<'ctx>,
        t_words: &[IntValue<'ctx>; 6],
        v: StructValue<'ctx>,
        a: &ArrayType,
    ) -> IntValue<'ctx> {
        let args: Vec<_> = t_words.iter().chain(&self.words_2d(v, a)).map(|w| (*w).into()).collect();
        self.call_basic(f, &args).into_int_value()
    }

    /// The check of [`FnGen::overlaps`] for arrays of more than two axes: `sj_rt_overlaps` with a
    /// record per array (the target's first) stored on the stack.
    fn overlaps_records(&mut self, arrays: &[Checked<'ctx>], target: StructValue<'ctx>, t: &ArrayType) -> IntValue<'ctx> {
        let all: Vec<(StructValue<'ctx>, ArrayType)> =
            std::iter::once((target, *t)).chain(arrays.iter().map(|(v, a, _)| (*v, *a))).collect();
        let words: usize = all.iter().map(|(_, a)| 3 + 2 * a.ndim as usize).sum();
        let i64t = self.ctx().i64_type();
        let buf = self.entry_alloca(i64t.array_type(words as u32), "overlap.records");
        let mut at = 0;
        for (v, a) in &all {
            let mut record = vec![self.data_address(*v), self.i64(a.dtype.size() as i64), self.i64(a.ndim as i64)];
            record.extend((0..a.ndim as u32).map(|k| self.dim(*v, field::SHAPE, k)));
            record.extend(self.strides(*v, a));
            for w in record {
                let p = unsafe { self.b().build_in_bounds_gep(i64t, buf, &[self.i64(at)], "overlap.word") }.u();
                self.b().build_store(p, w).u();
                at += 1;
            }
        }
        let f = self.helper(Helper::Overlaps);
        let n = self.i64(arrays.len() as i64);
        self.call_basic(f, &[buf.into(), n.into()]).into_int_value()
    }

    /// An array's data address as an integer.
    fn data_address(&self, v: StructValue<'ctx>) -> IntValue<'ctx> {
        let data = self.b().build_extract_value(v, field::DATA, "data").u().into_pointer_value();
        self.b().build_ptr_to_int(data, self.ctx().i64_type(), "base").u()
    }

    /// The six arguments of `sj_rt_overlaps_2d` for an array of at most two axes: data address,
    /// item size, two sizes, two byte strides (a 1-D array as one row, a 0-D one as one element).
    fn words_2d(&self, v: StructValue<'ctx>, a: &ArrayType) -> [IntValue<'ctx>; 6] {
        let (one, zero) = (self.i64(1), self.i64(0));
        let strides = self.strides(v, a);
        let (rows, cols, row_stride, col_stride) = match a.ndim {
            0 => (one, one, zero, zero),
            1 => (one, self.dim(v, field::SHAPE, 0), zero, strides[0]),
            _ => (self.dim(v, field::SHAPE, 0), self.dim(v, field::SHAPE, 1), strides[0], strides[1]),
        };
        [self.data_address(v), self.i64(a.dtype.size() as i64), rows, cols, row_stride, col_stride]
    }
}
