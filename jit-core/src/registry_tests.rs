//! Tests of the registry: every table is consistent with its enum, and the texts messages are
//! built from stay what they were when each message was written out by hand.

use super::*;

#[test]
fn tables_are_indexed_by_their_enums() {
    for (i, row) in DTYPES.iter().enumerate() {
        assert_eq!(row.dtype as usize, i, "{}", row.name);
        assert_eq!(Dtype::from_name(row.name), Some(row.dtype));
        assert_eq!(Dtype::from_numpy_attr(row.numpy_attr), Some(row.dtype));
        assert_eq!(Dtype::from_kind_size(row.kind, row.size), Some(row.dtype));
    }
    for (i, s) in Status::ALL.iter().enumerate() {
        assert_eq!(s.code() as usize, i);
        assert_eq!(Status::from_code(i as u32), Some(*s));
    }
    assert_eq!(Status::from_code(Status::ALL.len() as u32), None);
}

#[test]
fn a_status_word_holds_its_code_and_its_place() {
    use crate::registry::{status_code, status_place, status_word};
    let w = status_word(Status::IntFloorDivZero.code(), 7);
    assert_eq!((Status::from_code(w), status_code(w), status_place(w)), (Some(Status::IntFloorDivZero), 2, Some(7)));
    assert_eq!(status_place(Status::IntFloorDivZero.code()), None);
    // A place too large for the bits is left out, never wrapped into another.
    assert_eq!(status_word(5, u32::MAX >> CODE_BITS), 5);
    assert_eq!(status_place(status_word(5, (u32::MAX >> CODE_BITS) - 1)), Some((u32::MAX >> CODE_BITS) - 1));
    // The interrupt words fit the code bits.
    assert_eq!(status_code(crate::interrupt::PENDING_EXCEPTION), crate::interrupt::PENDING_EXCEPTION);
    assert_eq!(status_code(crate::threads::ABORTED), crate::threads::ABORTED);
}

#[test]
fn every_name_finds_its_row_and_every_enum_value_its_name() {
    for row in &BUILTINS {
        assert!(std::ptr::eq(builtin(row.name).unwrap(), row));
        if let Builtin::Intrinsic(f) = row.builtin {
            assert_eq!(builtin_of(f).unwrap().name, row.name);
        }
    }
    for row in &NUMPY_FUNCTIONS {
        assert!(std::ptr::eq(numpy_function(row.name).unwrap(), row));
        // What the row names is named by its first row (`amin` is `min`; `absolute` is `abs`).
        let canonical = match row.function {
            NumpyFn::New(f) => f.name(),
            NumpyFn::Reduce(r) => r.name(),
            NumpyFn::Scalar(f) => f.name(),
            NumpyFn::Array(f) => f.name(),
            NumpyFn::Operator(_) | NumpyFn::Iter(_) | NumpyFn::Ndim => numpy_row_of(row.function).name,
        };
        assert_eq!(numpy_function(canonical).unwrap().function, row.function);
        assert!(!row.alias || canonical != row.name, "{}", row.name);
    }
    for f in cmath::CmathFn::ALL {
        assert_eq!(cmath::CmathFn::from_name(f.name()), Some(f));
        assert_eq!(cmath::CmathFn::from_code(f as i32), Some(f));
    }
    for name in cmath::CMATH_CONSTANTS {
        assert!(cmath::constant(name).is_some(), "{name}");
    }
    for (name, a) in ARRAY_ATTRIBUTES {
        assert_eq!(Attr::from_name(name), Some(a));
        assert_eq!(a.name(), name);
    }
    for (name, m) in ARRAY_METHODS {
        if let ArrayMethod::Reduce(r) = m {
            assert_eq!(r.name(), name);
        }
    }
}

#[test]
fn texts_are_the_ones_messages_always_gave() {
    assert_eq!(
        numpy_functions_text(),
        "zeros, ones, empty, full, zeros_like, ones_like, empty_like, full_like, arange, array; sum, min, max, mean, amin, amax, prod, any, all, argmin, argmax, var, std on arrays; sqrt, exp, log, sin, cos, tan, abs, floor, ceil, tanh, sinh, cosh, arcsin, arccos, arctan, log2, log10, log1p, expm1, square, arctan2, hypot, minimum, maximum, fmin, fmax, logical_and, logical_or, logical_xor, logical_not, isnan, isinf, isfinite, where, exp2, cbrt, arcsinh, arccosh, arctanh, rint, fabs, deg2rad, rad2deg, trunc, sign, signbit, fmod, float_power, round, reciprocal, conj, angle, real, imag on numbers and arrays; reshape, ravel, transpose, copy, expand_dims, asarray, ndim; add, subtract, multiply, divide, floor_divide, remainder, power, bitwise_and, bitwise_or, bitwise_xor, left_shift, right_shift, negative, positive, invert, greater, greater_equal, less, less_equal, equal, not_equal, matmul, dot (the operators); ndindex, ndenumerate (in for loops)"
    );
    assert_eq!(array_attributes_text(), ".shape, .ndim, .size, .real and .imag");
    assert_eq!(
        cmath::cmath_functions_text(),
        "sqrt, exp, log, log10, sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, asinh, acosh, atanh, phase, polar, rect, isnan, isinf, isfinite, isclose"
    );
    assert_eq!(
        dtype_names_text(),
        "bool, int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64, complex64, complex128"
    );
    assert_eq!(
        builtin_names().collect::<Vec<_>>().join(", "),
        "abs, min, max, int, float, bool, round, range, len, sum, print, complex, enumerate, zip, reversed, sorted, list, dict, set, str, repr, ord, chr, iter, next, pow"
    );
}

#[test]
fn dtype_columns_agree_with_the_types_compiled_code_uses() {
    for d in Dtype::all() {
        let row = d.row();
        assert_eq!(d.is_float(), matches!(row.element, Type::Float64 | Type::Float32));
        // A scalar argument is its element's carrier, except that a float32 stays float32 (as
        // Numba types it, and as NumPy computes with it).
        let argument = if row.element == Type::Float32 { Type::Float32 } else { row.element.carrier() };
        assert_eq!(row.argument, argument, "{}", row.name);
        let python = match row.kind {
            b'b' => "bool",
            b'i' | b'u' => "int",
            b'f' => "float",
            b'c' => "complex",
            k => panic!("{}: kind {}", row.name, k as char),
        };
        assert_eq!(row.python, python, "{}", row.name);
        assert!(row.size.is_power_of_two() && row.size <= if d.is_complex() { 16 } else { 8 });
    }
}

#[test]
fn statuses_describe_as_before() {
    use crate::runtime::describe_status;
    assert_eq!(describe_status(1, &[]), (PyExceptionKind::ZeroDivisionError, "division by zero".to_string()));
    assert_eq!(describe_status(31, &[]), (PyExceptionKind::ValueError, "Maximum allowed size exceeded".to_string()));
    assert_eq!(describe_status(0, &[]), (PyExceptionKind::ValueError, "unknown error in compiled code".to_string()));
    let past_the_last = Status::ALL.len() as u32;
    assert_eq!(describe_status(past_the_last, &[]), (PyExceptionKind::ValueError, "unknown error in compiled code".to_string()));
    crate::runtime::sj_rt_index_error(-7, 1, 5);
    assert_eq!(
        describe_status(Status::ArrayIndexOutOfBounds.code(), &[]),
        (PyExceptionKind::IndexError, "index -7 is out of bounds for axis 1 with size 5".to_string())
    );
    let names = ["x".to_string()];
    let (kind, msg) = describe_status(crate::runtime::status_word(Status::UnboundLocal.code(), 0), &names);
    assert_eq!(kind, PyExceptionKind::UnboundLocalError);
    assert_eq!(msg, "cannot access local variable 'x' where it is not associated with a value");
}

/// The typed IR names every intrinsic (`STICKYJIT_DUMP=ir` of `np.histogram` once panicked on
/// `np.ndim`, which has no builtin row).
#[test]
fn every_intrinsic_has_a_name_in_the_typed_ir() {
    use crate::hir::StrMethod;
    let without_rows = [
        Intrinsic::StrMethod(StrMethod::of("upper").unwrap()),
        Intrinsic::CaughtText,
        Intrinsic::RaiseMessage(0),
        Intrinsic::Ndim,
        Intrinsic::Linalg(linalg::linalg_function("solve").unwrap().function),
        Intrinsic::NamedTuple(0),
        Intrinsic::FrozenArray(0),
        Intrinsic::Flat,
        Intrinsic::TypeOf,
        Intrinsic::CCall(0),
        Intrinsic::AsArray,
        Intrinsic::EllipsisValue,
        Intrinsic::IsNone { negated: false },
        Intrinsic::Is { negated: true },
        Intrinsic::Range,
        Intrinsic::DefaultRng,
    ];
    for f in without_rows {
        assert!(!f.qualified_name().is_empty(), "{f:?}");
    }
    for row in &BUILTINS {
        if let Builtin::Intrinsic(f) = row.builtin {
            assert_eq!(f.qualified_name(), row.name);
        }
    }
}
