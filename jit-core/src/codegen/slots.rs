//! The entry's slots in codegen: arguments read from the argument buffer and results written to
//! the result buffer, flattened as `abi` lays them out (scalars, complex numbers, tuples,
//! array descriptors).

use inkwell::values::{BasicValueEnum, PointerValue};
use inkwell::{AddressSpace, IntPredicate};

use super::{Built, ModuleGen};
use crate::abi::{self, ArrayDesc, Passing, Scalar};
use crate::infer::TypedFunction;
use crate::types::Type;

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// The arguments of `spec`, read from the entry's slots ([`abi::passing`]: a scalar in its
    /// slot, a tuple or an array flattened into a buffer its slot points to).
    pub(super) fn load_args(&self, args_ptr: PointerValue<'ctx>, spec: &TypedFunction) -> Vec<BasicValueEnum<'ctx>> {
        let mut args = Vec::new();
        for (i, t) in spec.arg_types.iter().enumerate() {
            let slot = self.slot(args_ptr, abi::arg_slot(i));
            args.push(match abi::passing(t) {
                Passing::Indirect => {
                    let ptr = self.ctx.ptr_type(AddressSpace::default());
                    let name = if matches!(t, Type::Array(_)) { "array.desc" } else { "tuple.items" };
                    let items = self.builder.build_load(ptr, slot, name).u().into_pointer_value();
                    self.load_flat(items, 0, t)
                }
                Passing::Direct => self.load_flat(slot, 0, t),
            });
        }
        args
    }

    /// The address of slot `i` after `base`.
    pub(super) fn slot(&self, base: PointerValue<'ctx>, i: usize) -> PointerValue<'ctx> {
        if i == 0 {
            return base;
        }
        let i64t = self.ctx.i64_type();
        const _: () = assert!(abi::SLOT_BYTES == 8, "slots are addressed as i64s");
        unsafe { self.builder.build_in_bounds_gep(i64t, base, &[i64t.const_int(i as u64, false)], "slot") }.u()
    }

    /// A value of type `t` read from its flattened slots at `base[at..]` ([`abi::slots_of`]).
    pub(super) fn load_flat(&self, base: PointerValue<'ctx>, at: usize, t: &Type) -> BasicValueEnum<'ctx> {
        let (b, i64t) = (self.builder, self.ctx.i64_type());
        let t = &t.carrier();
        match t {
            Type::Tuple(items) => {
                let mut agg = self.llty(t).into_struct_type().get_undef();
                for (k, (it, off)) in items.iter().zip(abi::tuple_offsets(items)).enumerate() {
                    let v = self.load_flat(base, at + off, it);
                    agg = b.build_insert_value(agg, v, k as u32, "tup").u().into_struct_value();
                }
                return agg.into();
            }
            Type::Array(a) => return self.load_array(base, at, a),
            // Present (a bool slot), then the value's slots.
            Type::Optional(inner) => {
                let present = self.load_flat(base, at, &Type::Bool);
                let v = self.load_flat(base, at + 1, inner);
                let agg = b.build_insert_value(self.llty(t).into_struct_type().get_undef(), present, 0, "opt").u();
                return b.build_insert_value(agg, v, 1, "opt").u().into_struct_value().into();
            }
            Type::Complex128 => {
                let f64t = self.ctx.f64_type();
                let re = b.build_load(f64t, self.slot(base, at), "a.re").u();
                let im = b.build_load(f64t, self.slot(base, at + 1), "a.im").u();
                let v = b.build_insert_value(self.complex_llty().get_undef(), re, 0, "c").u();
                return b.build_insert_value(v, im, 1, "c").u().into_struct_value().into();
            }
            // A Generator argument: the address of its `bitgen_t`; a list: of its block.
            Type::Generator | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Pointer(_) => {
                return b.build_load(self.ctx.ptr_type(inkwell::AddressSpace::default()), self.slot(base, at), "gen").u();
            }
            _ => {}
        }
        let Some(scalar) = Scalar::of(t) else {
            return self.llty(t).const_zero(); // None: no slot
        };
        let slot = self.slot(base, at);
        match scalar {
            Scalar::Float64 => b.build_load(self.ctx.f64_type(), slot, "a").u(),
            Scalar::Bool => {
                let raw = b.build_load(i64t, slot, "a").u().into_int_value();
                b.build_int_compare(IntPredicate::NE, raw, i64t.const_zero(), "b").u().into()
            }
            Scalar::Int64 | Scalar::UInt64 => b.build_load(i64t, slot, "a").u(),
        }
    }

    /// Writes a result of type `ret` to the entry's result slots, flattened ([`abi::slots_of`]).
    pub(super) fn store_result(&self, ret_ptr: PointerValue<'ctx>, value: BasicValueEnum<'ctx>, ret: &Type) {
        self.store_flat(ret_ptr, 0, value, ret)
    }

    pub(super) fn store_flat(&self, base: PointerValue<'ctx>, at: usize, value: BasicValueEnum<'ctx>, t: &Type) {
        let b = self.builder;
        let t = &t.carrier();
        match t {
            Type::Tuple(items) => {
                for (k, (it, off)) in items.iter().zip(abi::tuple_offsets(items)).enumerate() {
                    let v = b.build_extract_value(value.into_struct_value(), k as u32, "item").u();
                    self.store_flat(base, at + off, v, it);
                }
            }
            // An array returned: its descriptor (the dispatcher makes the ndarray;
            // memory::take_live says which block it may own).
            Type::Array(a) => {
                let desc = ArrayDesc::new(a.ndim);
                let sv = value.into_struct_value();
                let data = b.build_extract_value(sv, abi::array_value::DATA, "data").u().into_pointer_value();
                let addr = b.build_ptr_to_int(data, self.ctx.i64_type(), "addr").u();
                b.build_store(self.slot(base, at + ArrayDesc::DATA), addr).u();
                for which in [abi::array_value::SHAPE, abi::array_value::STRIDES] {
                    let dims = b.build_extract_value(sv, which, "dims").u().into_array_value();
                    for k in 0..a.ndim as usize {
                        let v = b.build_extract_value(dims, k as u32, "dim").u();
                        b.build_store(self.slot(base, at + desc.axis(which, k)), v).u();
                    }
                }
            }
            Type::Optional(inner) => {
                let sv = value.into_struct_value();
                self.store_flat(base, at, b.build_extract_value(sv, 0, "present").u(), &Type::Bool);
                self.store_flat(base, at + 1, b.build_extract_value(sv, 1, "value").u(), inner);
            }
            Type::Complex128 => {
                for k in 0..2 {
                    let part = b.build_extract_value(value.into_struct_value(), k, "part").u();
                    b.build_store(self.slot(base, at + k as usize), part).u();
                }
            }
            // A list returned: its block's address (the dispatcher makes the Python list, then
            // frees the block with the call's other live blocks).
            Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str => {
                let addr = b.build_ptr_to_int(value.into_pointer_value(), self.ctx.i64_type(), "list.addr").u();
                b.build_store(self.slot(base, at), addr).u();
            }
            _ => match Scalar::of(t) {
                Some(Scalar::Bool) => {
                    let z = b.build_int_z_extend(value.into_int_value(), self.ctx.i64_type(), "z").u();
                    b.build_store(self.slot(base, at), z).u();
                }
                Some(Scalar::Int64 | Scalar::UInt64 | Scalar::Float64) => {
                    b.build_store(self.slot(base, at), value).u();
                }
                None => {} // None: no slot
            },
        }
    }
}
