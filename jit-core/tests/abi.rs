//! The calling convention end to end: arguments packed and results unpacked with nothing but
//! `jit_core::abi`, around compiled code that codegen built from the same description.

use jit_core::abi::{self, ArrayDesc, Scalar, Slot};
use jit_core::types::{ArrayType, Dtype, Layout};
use jit_core::{compile_source, Capture, Type};

/// The flattened value of `t` built from `leaves`, one per scalar, depth first.
fn flatten(t: &Type, leaves: &mut impl Iterator<Item = Slot>, out: &mut [Slot]) {
    match t {
        Type::Tuple(items) => {
            for (it, off) in items.iter().zip(abi::tuple_offsets(items)) {
                flatten(it, leaves, &mut out[off..]);
            }
        }
        _ => out[0] = leaves.next().expect("a leaf per scalar"),
    }
}

#[test]
fn nested_tuple_and_array_in_tuple_and_array_out() {
    let src = "def f(t, a):\n    x, (y, flag) = t\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i, 1]\n    return (x + 1, (s * y, not flag), a[1:, ::2], a.shape)\n";
    let t = Type::tuple(vec![Type::Int64, Type::tuple(vec![Type::Float64, Type::Bool])]);
    let a = Type::Array(ArrayType { dtype: Dtype::Float64, ndim: 2, layout: Layout::C, readonly: false });
    let c = compile_source(src, &[t.clone(), a.clone()], Capture::default()).unwrap_or_else(|e| panic!("{e}"));

    // t = (3, (0.5, True)), a = arange(12.0).reshape(3, 4)
    let mut tuple = vec![0; abi::slots_of(&t)];
    let leaves = [abi::int_slot(3), abi::float_slot(0.5), abi::bool_slot(true)];
    flatten(&t, &mut leaves.into_iter(), &mut tuple);
    let data: Vec<f64> = (0..12).map(f64::from).collect();
    let mut desc = Vec::new();
    ArrayDesc::push(&mut desc, abi::ptr_slot(data.as_ptr()), [3, 4].into_iter(), [32, 8].into_iter());
    assert_eq!(abi::passing(&t), abi::Passing::Indirect);
    assert_eq!(abi::passing(&a), abi::Passing::Indirect);
    let mut args = [0; 2];
    args[abi::arg_slot(0)] = abi::ptr_slot(tuple.as_ptr());
    args[abi::arg_slot(1)] = abi::ptr_slot(desc.as_ptr());

    let mut ret = vec![0; abi::result_slots(&c.ret)];
    // SAFETY: the entry was compiled for exactly these argument types and writes `result_slots`.
    let status = unsafe { (c.entry)(args.as_ptr(), ret.as_mut_ptr()) };
    assert_eq!(status, abi::STATUS_OK);

    let Type::Tuple(items) = &c.ret else { panic!("a tuple is returned, not {}", c.ret) };
    let offs = abi::tuple_offsets(items);
    assert_eq!(Scalar::of(&items[0]), Some(Scalar::Int64));
    assert_eq!(abi::slot_int(ret[offs[0]]), 4);
    let Type::Tuple(inner) = &items[1] else { panic!("{}", items[1]) };
    let inner_offs = abi::tuple_offsets(inner);
    assert_eq!(abi::slot_float(ret[offs[1] + inner_offs[0]]), 0.5 * (1.0 + 5.0 + 9.0));
    assert!(!abi::slot_bool(ret[offs[1] + inner_offs[1]]));
    let Type::Array(view) = &items[2] else { panic!("{}", items[2]) };
    let (addr, shape, strides) = ArrayDesc::new(view.ndim).read(&ret[offs[2]..]);
    assert_eq!(addr, data.as_ptr() as usize + 32);
    assert_eq!((shape, strides), (vec![2, 2], vec![32, 16]));
    let Type::Tuple(dims) = &items[3] else { panic!("{}", items[3]) };
    let dim_offs = abi::tuple_offsets(dims);
    assert_eq!([abi::slot_int(ret[offs[3] + dim_offs[0]]), abi::slot_int(ret[offs[3] + dim_offs[1]])], [3, 4]);
    assert_eq!(offs[3] + abi::slots_of(&items[3]), abi::slots_of(&c.ret));
}
