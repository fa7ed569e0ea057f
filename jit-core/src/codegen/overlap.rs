//! The overlap check of an assignment into a view: whether the arrays its value reads share
//! memory with the target other than element for element, asked of the runtime
//! (`sj_rt_overlaps`) with one record per array.

use inkwell::values::{IntValue, StructValue};

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::types::ArrayType;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Whether one of `arrays` shares memory with the view `target` (of type `t`) other than
    /// element for element (the same data, shape and strides) or as two interleaved columns of
    /// one array. One call with a record per array (its data address, item size, axes, sizes
    /// and strides): the same test inline costs ~40 instructions an array, which LLVM then
    /// optimizes and compiles in every assignment (half the compile time of a stencil kernel
    /// such as NPBench's `cavity_flow`); the call runs once per assignment, before its loop.
    pub(super) fn overlaps(
        &mut self,
        arrays: &[(StructValue<'ctx>, ArrayType)],
        target: StructValue<'ctx>,
        t: &ArrayType,
    ) -> IntValue<'ctx> {
        if arrays.is_empty() {
            return self.ctx().bool_type().const_zero();
        }
        let all: Vec<(StructValue<'ctx>, ArrayType)> = std::iter::once((target, *t)).chain(arrays.iter().copied()).collect();
        let words: usize = all.iter().map(|(_, a)| 3 + 2 * a.ndim as usize).sum();
        let i64t = self.ctx().i64_type();
        let buf = self.entry_alloca(i64t.array_type(words as u32), "overlap.records");
        let mut at = 0;
        for (v, a) in &all {
            let data = self.b().build_extract_value(*v, field::DATA, "data").u().into_pointer_value();
            let base = self.b().build_ptr_to_int(data, i64t, "base").u();
            let mut record = vec![base, self.i64(a.dtype.size() as i64), self.i64(a.ndim as i64)];
            record.extend((0..a.ndim as u32).map(|k| self.dim(*v, field::SHAPE, k)));
            record.extend(self.strides(*v, a));
            for w in record {
                let p = unsafe { self.b().build_in_bounds_gep(i64t, buf, &[self.i64(at)], "overlap.word") }.u();
                self.b().build_store(p, w).u();
                at += 1;
            }
        }
        let f = self.helper(super::helpers::Helper::Overlaps);
        let n = self.i64(arrays.len() as i64);
        self.call_basic(f, &[buf.into(), n.into()]).into_int_value()
    }
}
