//! Codegen of `np.dot(x, y)` (and `x.dot(y)`) where an operand is a number or a 0-d array:
//! NumPy's `x * y` (`PyArray_MatrixProduct2` multiplies then), both operands converted to their
//! promoted dtype first (every number strong, as NumPy makes it an array), into a new
//! C-contiguous array, or a number when both are numbers.

use inkwell::values::BasicValueEnum;

use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::ast::BinOp;
use crate::hir;
use crate::infer::{dot_scalar_dtype, DotOperand};
use crate::registry::Dtype;
use crate::types::{promote_dtypes, ArrayType, Layout, Type};

/// The dtype an operand of `np.dot` brings (an array's, or a number's own).
fn operand_dtype(t: &Type) -> Dtype {
    match dot_scalar_dtype(t).expect("inference allows numbers and arrays") {
        DotOperand::Scalar(d) | DotOperand::Array(d, _) => d,
    }
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.dot(left, right)` of type `self.ty(e)`, one of them a number or a 0-d array.
    pub(super) fn dot_scalar(&mut self, e: &hir::Expr, left: &hir::Expr, right: &hir::Expr) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        // The operands' own types (a float32 or complex64 number is strong, not its carrier).
        let own = |g: &Self, x: &hir::Expr| g.spec.expr_types[x.id as usize].clone();
        let (lt, rt) = (own(self, left), own(self, right));
        let l = self.expr(left);
        let r = self.expr(right);
        let dtype = promote_dtypes(operand_dtype(&lt), operand_dtype(&rt));
        let elem = dtype.element();
        let is_array = |t: &Type| matches!(t, Type::Array(a) if a.ndim > 0);
        let Type::Array(res_t) = ty else {
            // Two numbers: their product, rounded (or wrapped) to the dtype as NumPy's is.
            let x = self.dot_number(l, &lt, &elem);
            let y = self.dot_number(r, &rt, &elem);
            let v = self.dot_multiply(dtype, x, y);
            let slot = self.entry_alloca(self.module_gen.dtype_llty(dtype), "dot.scalar");
            let a = ArrayType { dtype, ndim: 0, layout: Layout::C, readonly: false };
            self.store_element(slot, a, v, &elem);
            return self.load_element(slot, dtype);
        };
        let array_left = is_array(&lt);
        let ((av, at), (sv, st)) = if array_left { ((l, lt), (r, rt)) } else { ((r, rt), (l, lt)) };
        let Type::Array(at) = at else { unreachable!("one operand is an array") };
        let s = self.dot_number(sv, &st, &elem);
        // The array converted into a new C-contiguous one of the result's dtype, then each
        // element multiplied in place (the number on the side it was written, as NumPy's).
        let copy = self.copy_c(av.into_struct_value(), &at, res_t);
        self.own_temp(e.id, copy, &Type::Array(res_t));
        let cs = copy.into_struct_value();
        let dims: Vec<_> = (0..res_t.ndim as u32).map(|k| self.dim(cs, field::SHAPE, k)).collect();
        let count = self.product(&dims);
        let data = self.b().build_extract_value(cs, field::DATA, "dot.data").u().into_pointer_value();
        let item = self.i64(dtype.size() as i64);
        let lp = self.loop_open(count);
        let off = self.b().build_int_mul(lp.k, item, "dot.off").u();
        // SAFETY (of the IR): k < count, within the copy's elements.
        let at_k = unsafe { self.b().build_gep(self.ctx().i8_type(), data, &[off], "dot.at") }.u();
        let x = self.load_element(at_k, dtype);
        let v = if array_left { self.dot_multiply(dtype, x, s) } else { self.dot_multiply(dtype, s, x) };
        self.store_element(at_k, res_t, v, &elem);
        self.loop_close(lp);
        copy
    }

    /// An operand that is a number (or a 0-d array's element) as a value of type `elem`.
    fn dot_number(&mut self, v: BasicValueEnum<'ctx>, t: &Type, elem: &Type) -> BasicValueEnum<'ctx> {
        match t {
            Type::Array(a) => {
                let data = self.b().build_extract_value(v.into_struct_value(), field::DATA, "d0.data").u().into_pointer_value();
                let x = self.load_element(data, a.dtype);
                self.cast(x, &a.dtype.element(), elem)
            }
            t => self.cast(v, t, elem),
        }
    }

    /// `x * y` of two values of `dtype`'s element type, as NumPy's `multiply` of that dtype
    /// (bools: and).
    fn dot_multiply(&mut self, dtype: Dtype, x: BasicValueEnum<'ctx>, y: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let elem = dtype.element();
        let op = if dtype == Dtype::Bool { BinOp::BitAnd } else { BinOp::Mul };
        self.binary(op, x, &elem, y, &elem, &elem)
    }
}
