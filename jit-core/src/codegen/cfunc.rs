//! The C callback of a `@cfunc` ([`crate::cfunc`]): an exported function with the plain C ABI of
//! its signature that packs its arguments into the entry's slots ([`crate::abi`]), calls the
//! entry, and returns the result converted to its C type; on a failure it reports the status
//! (`sj_rt_cfunc_error`) and returns zero. A program that may make arrays frees what the call
//! left (`sj_rt_cfunc_enter`/`_leave`: nothing of an array outlives a C callback's call).

use inkwell::module::Linkage;
use inkwell::types::{BasicMetadataTypeEnum, BasicTypeEnum};
use inkwell::values::BasicValueEnum;
use inkwell::{AddressSpace, IntPredicate};

use super::{Built, Helper, ModuleGen};
use crate::abi;
use crate::cfunc::{trampoline_symbol, CSignature, CType};
use crate::registry::Dtype;

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// The LLVM type of a C type (`None` for void).
    fn c_llty(&self, c: CType) -> Option<BasicTypeEnum<'ctx>> {
        Some(match c {
            CType::Void => return None,
            CType::Scalar(Dtype::Bool) => self.ctx.i8_type().into(),
            CType::Scalar(Dtype::Float32) => self.ctx.f32_type().into(),
            CType::Scalar(Dtype::Float64) => self.ctx.f64_type().into(),
            CType::Scalar(d) => self.int_of_size(d.size()).into(),
            CType::Pointer(_) => self.ctx.ptr_type(AddressSpace::default()).into(),
        })
    }

    /// Defines the C callback of the entry `entry_symbol` (already in the module) for `sig`;
    /// `allocates`: the program may make arrays.
    pub(super) fn define_trampoline(&self, entry_symbol: &str, sig: &CSignature, allocates: bool) {
        let (ctx, b) = (self.ctx, self.builder);
        let i64t = ctx.i64_type();
        let entry = self.module.get_function(entry_symbol).expect("the entry is defined first");
        let params: Vec<BasicMetadataTypeEnum> =
            sig.args.iter().map(|c| self.c_llty(*c).expect("an argument is never void").into()).collect();
        let fty = match self.c_llty(sig.ret) {
            Some(BasicTypeEnum::FloatType(t)) => t.fn_type(&params, false),
            Some(BasicTypeEnum::IntType(t)) => t.fn_type(&params, false),
            Some(BasicTypeEnum::PointerType(t)) => t.fn_type(&params, false),
            Some(other) => unreachable!("no C result of type {other:?}"),
            None => ctx.void_type().fn_type(&params, false),
        };
        let name = trampoline_symbol(entry_symbol);
        let f = self.module.add_function(&name, fty, Some(Linkage::External));
        self.nounwind(f);
        if let CType::Scalar(d) = sig.ret {
            // A char or short result extended to 32 bits, as C compilers return one.
            if d.size() < 4 {
                let ext = if d.is_signed() { "signext" } else { "zeroext" };
                f.add_attribute(inkwell::attributes::AttributeLoc::Return, self.fn_attr(ext));
            }
        }
        b.position_at_end(ctx.append_basic_block(f, "entry"));
        let n = sig.args.len().max(1);
        let args = b.build_alloca(i64t.array_type(n as u32), "args").u();
        for (i, c) in sig.args.iter().enumerate() {
            let v = f.get_nth_param(i as u32).expect("one parameter per argument");
            let slot = self.slot(args, abi::arg_slot(i));
            let packed: BasicValueEnum = match c {
                CType::Scalar(Dtype::Bool) => {
                    let t = b.build_int_compare(IntPredicate::NE, v.into_int_value(), ctx.i8_type().const_zero(), "b").u();
                    b.build_int_z_extend(t, i64t, "b64").u().into()
                }
                CType::Scalar(Dtype::Float32) => b.build_float_ext(v.into_float_value(), ctx.f64_type(), "f").u().into(),
                CType::Scalar(Dtype::Float64) | CType::Pointer(_) => v,
                CType::Scalar(d) if d.size() == 8 => v,
                CType::Scalar(d) if d.is_signed() => b.build_int_s_extend(v.into_int_value(), i64t, "i").u().into(),
                CType::Scalar(_) => b.build_int_z_extend(v.into_int_value(), i64t, "u").u().into(),
                CType::Void => unreachable!("an argument is never void"),
            };
            b.build_store(slot, packed).u();
        }
        let ret = b.build_alloca(i64t, "ret").u();
        b.build_store(ret, i64t.const_zero()).u();
        let saved = allocates.then(|| b.build_call(self.helper(Helper::CfuncEnter), &[], "saved").u());
        let status = b.build_call(entry, &[args.into(), ret.into()], "status").u();
        let status = self.call_value(status).into_int_value();
        if let Some(saved) = saved {
            let saved = self.call_value(saved);
            b.build_call(self.helper(Helper::CfuncLeave), &[saved.into()], "").u();
        }
        let ok = b.build_int_compare(IntPredicate::EQ, status, self.status_llty().const_zero(), "ok").u();
        let (done, failed) = (ctx.append_basic_block(f, "done"), ctx.append_basic_block(f, "failed"));
        b.build_conditional_branch(ok, done, failed).u();

        b.position_at_end(failed);
        let symbol = b.build_global_string_ptr(&name, "cfunc.symbol").u();
        b.build_call(self.helper(Helper::CfuncError), &[status.into(), symbol.as_pointer_value().into()], "").u();
        match self.c_llty(sig.ret) {
            Some(t) => b.build_return(Some(&t.const_zero())).u(),
            None => b.build_return(None).u(),
        };

        b.position_at_end(done);
        let value: Option<BasicValueEnum> = match sig.ret {
            CType::Void => None,
            CType::Scalar(Dtype::Float64) => Some(b.build_load(ctx.f64_type(), ret, "r").u()),
            // Carried as the double holding it: exact.
            CType::Scalar(Dtype::Float32) => {
                let r = b.build_load(ctx.f64_type(), ret, "r").u().into_float_value();
                Some(b.build_float_trunc(r, ctx.f32_type(), "r32").u().into())
            }
            CType::Scalar(Dtype::Bool) => {
                let r = b.build_load(i64t, ret, "r").u().into_int_value();
                let t = b.build_int_compare(IntPredicate::NE, r, i64t.const_zero(), "rb").u();
                Some(b.build_int_z_extend(t, ctx.i8_type(), "rb8").u().into())
            }
            CType::Scalar(d) => {
                let r = b.build_load(i64t, ret, "r").u().into_int_value();
                let t = self.int_of_size(d.size());
                Some(if d.size() == 8 { r.into() } else { b.build_int_truncate(r, t, "rn").u().into() })
            }
            CType::Pointer(_) => unreachable!("a @cfunc returns no pointer (jit-py refuses the signature)"),
        };
        match value {
            Some(v) => b.build_return(Some(&v)).u(),
            None => b.build_return(None).u(),
        };
    }

    /// The integer type of `bytes` bytes.
    fn int_of_size(&self, bytes: u64) -> inkwell::types::IntType<'ctx> {
        match bytes {
            1 => self.ctx.i8_type(),
            2 => self.ctx.i16_type(),
            4 => self.ctx.i32_type(),
            _ => self.ctx.i64_type(),
        }
    }

    /// The value a call of a function returning one gives.
    fn call_value(&self, call: inkwell::values::CallSiteValue<'ctx>) -> BasicValueEnum<'ctx> {
        match call.try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v,
            _ => unreachable!("the function returns a value"),
        }
    }
}
