//! Codegen of the `np.linalg` functions: the operands converted to the dtype LAPACK computes
//! in, the results allocated (or stack slots for numbers), and one call of the runtime
//! (`lapack::sj_rt_lapack`; `norm` is a dot product, `linalg::sj_rt_matmul`).

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::abi::array_value as field;
use crate::hir;
use crate::lapack::Op;
use crate::registry::linalg::LinalgFn;
use crate::registry::Dtype;
use crate::types::{ArrayType, Layout, Type};

/// An operand as the runtime takes it.
struct Operand<'ctx> {
    data: PointerValue<'ctx>,
    shape: Vec<IntValue<'ctx>>,
    strides: Vec<IntValue<'ctx>>,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.linalg.f(args)` (expression `e`, of type `ty` as inference decided).
    pub(super) fn linalg(&mut self, e: &hir::Expr, f: LinalgFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let vals: Vec<BasicValueEnum<'ctx>> = args.iter().map(|a| self.expr(a)).collect();
        let Type::Array(at) = self.ty(&args[0]) else { unreachable!("inference allows arrays only") };
        // The dtype the runtime computes in: the result's (its element's, for numbers).
        let dtype = match &ty {
            Type::Array(r) => r.dtype,
            Type::Tuple(items) => match &items[0] {
                Type::Array(r) => r.dtype,
                t => float_dtype(t),
            },
            t => float_dtype(t),
        };
        let mut converted = Vec::new();
        let a = self.linalg_operand(vals[0], at, dtype, f == LinalgFn::Norm, &mut converted);
        let out = if f == LinalgFn::Norm {
            self.norm(&a, dtype)
        } else {
            self.lapack_call(e, f, &ty, dtype, &a, args, &vals, &mut converted)
        };
        for (c, c_t) in converted {
            self.decref(c, &Type::Array(c_t));
        }
        out
    }

    /// `v` (an array of type `t`) as an operand of `dtype`: converted (a new array, dropped by
    /// the caller through `converted`) when its dtype differs, or when `contiguous` is asked of
    /// an array not known to be C-contiguous.
    fn linalg_operand(
        &mut self,
        v: BasicValueEnum<'ctx>,
        t: ArrayType,
        dtype: Dtype,
        contiguous: bool,
        converted: &mut Vec<(BasicValueEnum<'ctx>, ArrayType)>,
    ) -> Operand<'ctx> {
        let (v, t) = if t.dtype != dtype || (contiguous && t.layout != Layout::C) {
            let c_t = ArrayType { dtype, layout: Layout::C, readonly: false, ..t };
            let c = self.copy_c(v.into_struct_value(), &t, c_t);
            converted.push((c, c_t));
            (c, c_t)
        } else {
            (v, t)
        };
        let s = v.into_struct_value();
        let shape = (0..t.ndim as u32).map(|k| self.dim(s, field::SHAPE, k)).collect();
        let strides = self.strides(s, &t);
        let data = self.b().build_extract_value(s, field::DATA, "la.data").u().into_pointer_value();
        Operand { data, shape, strides }
    }

    /// `np.linalg.norm(x)`: the square root of the dot product of x's elements with themselves
    /// (NumPy's `sqrt(dot(x.ravel(), x.ravel()))`), in x's float dtype.
    fn norm(&mut self, x: &Operand<'ctx>, dtype: Dtype) -> BasicValueEnum<'ctx> {
        let mut size = self.i64(1);
        for d in &x.shape {
            size = self.b().build_int_mul(size, *d, "norm.size").u();
        }
        let item = self.i64(dtype.size() as i64);
        let zero = self.i64(0);
        let slot = self.entry_alloca(self.module_gen.dtype_llty(dtype), "norm.dot");
        let f = self.helper(Helper::Matmul);
        let code = self.ctx().i32_type().const_int(dtype as u64, false);
        let one = self.i64(1);
        let args = [
            code.into(),
            one.into(),
            one.into(),
            size.into(),
            x.data.into(),
            zero.into(),
            item.into(),
            x.data.into(),
            item.into(),
            zero.into(),
            slot.into(),
        ];
        let status = self.call_basic(f, &args).into_int_value();
        self.fail_on_status(status);
        let dot = self.load_element(slot, dtype);
        let sqrt = self.module_gen.llvm_intrinsic("llvm.sqrt", &[self.ctx().f64_type().into()]);
        let r = self.call_basic(sqrt, &[dot.into()]);
        if dtype == Dtype::Float32 {
            self.round_f32(r)
        } else {
            r
        }
    }

    /// Returns the status `status` when it is not 0.
    fn fail_on_status(&self, status: IntValue<'ctx>) {
        let failed = self.b().build_int_compare(IntPredicate::NE, status, status.get_type().const_zero(), "la.failed").u();
        self.on_failure(failed, |g| g.ret_status(status));
    }

    /// The LAPACK functions and matrix_power: results allocated, then `sj_rt_lapack`.
    #[allow(clippy::too_many_arguments)]
    fn lapack_call(
        &mut self,
        e: &hir::Expr,
        f: LinalgFn,
        ty: &Type,
        dtype: Dtype,
        a: &Operand<'ctx>,
        args: &[hir::Expr],
        vals: &[BasicValueEnum<'ctx>],
        converted: &mut Vec<(BasicValueEnum<'ctx>, ArrayType)>,
    ) -> BasicValueEnum<'ctx> {
        let (rows, cols) = (a.shape[0], a.shape[1]);
        let zero = self.i64(0);
        let null = self.ctx().ptr_type(inkwell::AddressSpace::default()).const_null();
        // b: solve's right-hand side, else nothing (matrix_power's power as nrhs).
        let (b_rows, nrhs, b_vector, b_data, bs0, bs1) = match f {
            LinalgFn::Solve => {
                let Type::Array(bt) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
                let b = self.linalg_operand(vals[1], bt, dtype, false, converted);
                if bt.ndim == 1 {
                    (b.shape[0], self.i64(1), true, b.data, b.strides[0], zero)
                } else {
                    (b.shape[0], b.shape[1], false, b.data, b.strides[0], b.strides[1])
                }
            }
            LinalgFn::MatrixPower => {
                let p = self.cast(vals[1], &self.ty(&args[1]), &Type::Int64).into_int_value();
                (zero, p, false, null, zero, zero)
            }
            _ => (zero, zero, false, null, zero, zero),
        };
        let scalar_slot = |g: &Self, name: &str| g.entry_alloca(g.module_gen.dtype_llty(dtype), name);
        let res = |d: Dtype, ndim: u8| ArrayType { dtype: d, ndim, layout: Layout::C, readonly: false };
        // The results: (value, type) of each array made, and the output addresses.
        let mut made: Vec<(BasicValueEnum<'ctx>, ArrayType)> = Vec::new();
        let mut alloc = |g: &mut Self, t: ArrayType, shape: &[IntValue<'ctx>]| -> PointerValue<'ctx> {
            let (v, data, _) = g.alloc_c(&t, shape, false);
            made.push((v, t));
            data
        };
        let (op, out1, out2) = match f {
            LinalgFn::Solve => {
                let shape = if b_vector { vec![b_rows] } else { vec![b_rows, nrhs] };
                (Op::Solve, alloc(self, res(dtype, shape.len() as u8), &shape), null)
            }
            LinalgFn::Inv => (Op::Inv, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::Cholesky => (Op::Cholesky, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::MatrixPower => (Op::MatrixPower, alloc(self, res(dtype, 2), &[rows, cols]), null),
            LinalgFn::Eigvalsh => (Op::Eigvalsh, alloc(self, res(dtype, 1), &[rows]), null),
            LinalgFn::Eigh => {
                let w = alloc(self, res(dtype, 1), &[rows]);
                (Op::Eigh, w, alloc(self, res(dtype, 2), &[rows, cols]))
            }
            LinalgFn::Det => (Op::Det, scalar_slot(self, "det"), null),
            LinalgFn::Slogdet => (Op::Slogdet, scalar_slot(self, "sign"), scalar_slot(self, "logdet")),
            LinalgFn::Norm => unreachable!("a dot product"),
        };
        let helper = self.helper(Helper::Lapack);
        let i32t = self.ctx().i32_type();
        let bv = self.ctx().bool_type().const_int(b_vector as u64, false);
        let call_args = [
            i32t.const_int(op as u64, false).into(),
            i32t.const_int(dtype as u64, false).into(),
            rows.into(),
            cols.into(),
            a.data.into(),
            a.strides[0].into(),
            a.strides[1].into(),
            b_rows.into(),
            nrhs.into(),
            bv.into(),
            b_data.into(),
            bs0.into(),
            bs1.into(),
            out1.into(),
            out2.into(),
        ];
        let status = self.call_basic(helper, &call_args).into_int_value();
        self.fail_on_status(status);
        let value = match (f, made.as_slice()) {
            (LinalgFn::Det, _) => return self.load_element(out1, dtype),
            (LinalgFn::Slogdet, _) => {
                let (s, l) = (self.load_element(out1, dtype), self.load_element(out2, dtype));
                return self.tuple_value(ty, &[s, l]);
            }
            (LinalgFn::Eigh, [(w, _), (v, _)]) => self.tuple_value(ty, &[*w, *v]),
            (_, [(v, _)]) => *v,
            _ => unreachable!("one result array, or eigh's two"),
        };
        self.own_temp(e.id, value, ty);
        value
    }

    /// A tuple of type `t` holding `items`.
    fn tuple_value(&self, t: &Type, items: &[BasicValueEnum<'ctx>]) -> BasicValueEnum<'ctx> {
        let st = self.module_gen.llty(t).into_struct_type();
        let mut agg = st.get_undef();
        for (k, v) in items.iter().enumerate() {
            agg = self.b().build_insert_value(agg, *v, k as u32, "la.item").u().into_struct_value();
        }
        agg.into()
    }
}

/// The float dtype of a number inference typed float32 or float64.
fn float_dtype(t: &Type) -> Dtype {
    if *t == Type::Float32 {
        Dtype::Float32
    } else {
        Dtype::Float64
    }
}
