//! A snapshot per builtin, `math` function and constant, and NumPy function, attribute and
//! method the compiler supports, each called the smallest way that shows its typing.

use jit_core::snapshot;
use jit_core::testing::array;
use jit_core::types::Dtype;
use jit_core::Type;

fn f64s() -> Type {
    array(Dtype::Float64, 1)
}

/// A namedtuple `m.P(x: int64, y: float64)`.
fn point() -> Type {
    let names = std::sync::Arc::new(jit_core::types::TupleNames::namedtuple("m.P".into(), vec!["x".into(), "y".into()]));
    Type::Tuple(jit_core::types::Items::named(vec![Type::Int64, Type::Float64], names))
}

#[test]
fn builtins() {
    snapshot!("abs_int64", "def f(a):\n    return abs(a)", [Int64]);
    snapshot!("abs_float64", "def f(a):\n    return abs(a)", [Float64]);
    snapshot!("abs_uint64", "def f(a):\n    return abs(a)", [UInt64]);
    snapshot!("min_int64", "def f(a, b):\n    return min(a, b)", [Int64, Int64]);
    snapshot!("min_mixed_three", "def f(a, b, c):\n    return min(a, b, c)", [Int64, Float64, Bool]);
    snapshot!("max_float64", "def f(a, b):\n    return max(a, b)", [Float64, Float64]);
    snapshot!("max_uint64", "def f(a, b):\n    return max(a, b)", [UInt64, UInt64]);
    snapshot!("int_of_float64", "def f(a):\n    return int(a)", [Float64]);
    snapshot!("int_of_bool", "def f(a):\n    return int(a)", [Bool]);
    snapshot!("int_no_argument", "def f():\n    return int()", []);
    snapshot!("float_of_int64", "def f(a):\n    return float(a)", [Int64]);
    snapshot!("float_of_uint64", "def f(a):\n    return float(a)", [UInt64]);
    snapshot!("bool_of_float64", "def f(a):\n    return bool(a)", [Float64]);
    snapshot!("round_float64", "def f(a):\n    return round(a)", [Float64]);
    snapshot!("round_float64_ndigits", "def f(a, n):\n    return round(a, n)", [Float64, Int64]);
    snapshot!("round_int64", "def f(a):\n    return round(a)", [Int64]);
    snapshot!("len_tuple", "def f(a, b):\n    return len((a, b, a))", [Int64, Float64]);
    snapshot!("len_array", "def f(a):\n    return len(a)", [array(Dtype::Float64, 2)]);
    snapshot!("range_sum", "def f(n):\n    s = 0\n    for i in range(2, n, 3):\n        s += i\n    return s", [Int64]);
    // An iterator: next() with and without a default, then the loop from its position.
    snapshot!(
        "iter_next_then_loop",
        "def f(n):\n    it = iter(range(n))\n    s = next(it) + next(it, -1)\n    for x in it:\n        s += x\n    return s",
        [Int64]
    );
}

/// `math.name(a)` for the functions of one argument.
#[test]
fn math_functions_of_one_argument() {
    for name in [
        "sqrt", "exp", "log", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh",
        "tanh", "floor", "ceil", "trunc", "fabs", "isnan", "isinf", "isfinite",
    ] {
        snapshot!(format!("math_{name}"), &format!("def f(a):\n    return math.{name}(a)"), [Float64]);
    }
    snapshot!("math_floor_int64", "def f(a):\n    return math.floor(a)", [Int64]);
    snapshot!("math_sqrt_int64", "def f(a):\n    return math.sqrt(a)", [Int64]);
}

/// `math.name(a, b)` for the functions of two arguments.
#[test]
fn math_functions_of_two_arguments() {
    for name in ["atan2", "hypot", "copysign", "fmod", "pow", "log"] {
        snapshot!(format!("math2_{name}"), &format!("def f(a, b):\n    return math.{name}(a, b)"), [Float64, Float64]);
    }
}

#[test]
fn math_constants() {
    snapshot!("math_constants", "def f():\n    return (math.pi, math.e, math.tau, math.inf, math.nan)", []);
}

/// `np.name(a)` for the NumPy functions of a number.
#[test]
fn numpy_functions_of_a_number() {
    for name in ["sqrt", "exp", "log", "sin", "cos", "tan", "abs", "absolute", "floor", "ceil"] {
        snapshot!(format!("np_{name}"), &format!("def f(a):\n    return np.{name}(a)"), [Float64]);
    }
    snapshot!("np_abs_int64", "def f(a):\n    return np.abs(a)", [Int64]);
    snapshot!("np_sqrt_float32_element", "def f(a):\n    return np.sqrt(a[0])", [array(Dtype::Float32, 1)]);
}

#[test]
fn numpy_reductions() {
    for name in ["sum", "min", "max", "mean", "amin", "amax"] {
        snapshot!(format!("np_{name}"), &format!("def f(a):\n    return np.{name}(a)"), [f64s()]);
    }
    for name in ["sum", "min", "max", "mean"] {
        snapshot!(format!("method_{name}"), &format!("def f(a):\n    return a.{name}()"), [f64s()]);
    }
    snapshot!("np_sum_int64_2d", "def f(a):\n    return np.sum(a)", [array(Dtype::Int64, 2)]);
    snapshot!("np_sum_uint64", "def f(a):\n    return a.sum()", [array(Dtype::UInt64, 1)]);
    snapshot!("np_sum_float32", "def f(a):\n    return a.sum()", [array(Dtype::Float32, 1)]);
}

#[test]
fn numpy_constructors() {
    for name in ["zeros", "ones", "empty"] {
        snapshot!(format!("np_{name}"), &format!("def f(n):\n    return np.{name}(n)"), [Int64]);
    }
    snapshot!("np_zeros_2d_dtype", "def f(n):\n    return np.zeros((n, 2), dtype=np.int32)", [Int64]);
    snapshot!("np_full", "def f(n, v):\n    return np.full(n, v)", [Int64, Int64]);
    for name in ["zeros_like", "ones_like", "empty_like"] {
        snapshot!(format!("np_{name}"), &format!("def f(a):\n    return np.{name}(a)"), [f64s()]);
    }
    snapshot!("np_full_like_dtype", "def f(a):\n    return np.full_like(a, 1, dtype=float)", [array(Dtype::Int64, 1)]);
    snapshot!("np_arange_stop", "def f(n):\n    return np.arange(n)", [Int64]);
    snapshot!("np_arange_start_stop_step", "def f(a, b, s):\n    return np.arange(a, b, s)", [Float64, Float64, Float64]);
    snapshot!("np_arange_dtype", "def f(n):\n    return np.arange(1, n, dtype=np.float32)", [Int64]);
    snapshot!("array_copy", "def f(a):\n    return a.copy()", [array(Dtype::Bool, 1)]);
}

#[test]
fn array_attributes_and_indexing() {
    snapshot!("attr_shape", "def f(a):\n    return a.shape", [array(Dtype::Float64, 2)]);
    snapshot!("attr_ndim_size", "def f(a):\n    return a.ndim + a.size", [array(Dtype::Float64, 2)]);
    snapshot!("index_2d", "def f(a, i, j):\n    return a[i, j]", [array(Dtype::Float64, 2), Int64, Int64]);
    snapshot!("store_element", "def f(a, i, v):\n    a[i] = v", [array(Dtype::Int64, 1), Int64, Float64]);
    snapshot!("view_row", "def f(a, i):\n    return a[i]", [array(Dtype::Float64, 2), Int64]);
    snapshot!("view_slice", "def f(a):\n    return a[1:3]", [f64s()]);
}

#[test]
fn tuples() {
    snapshot!("tuple_build_unpack", "def f(a, b):\n    x, y = b, a\n    return (x, y)", [Int64, Float64]);
    snapshot!("namedtuple_field", "def f(p):\n    return p.y * p.x + p[0]", [point()]);
    snapshot!("namedtuple_unpack", "def f(p):\n    a, b = p\n    return b", [point()]);
    snapshot!("tuple_index", "def f(t):\n    return t[1] + t[-1]", [Tuple(vec![Int64, Float64, Int64].into())]);
    snapshot!(
        "tuple_for",
        "def f(t):\n    s = 0\n    for x in t:\n        s += x\n    return s",
        [Tuple(vec![Int64, Int64].into())]
    );
    // `return None, a` on one path: the item is optional (present, then the value).
    snapshot!("tuple_none_item", "def f(n):\n    return (n, None)", [Int64]);
    snapshot!("tuple_optional_item", "def f(n):\n    if n:\n        return (1, None)\n    return (1, 2)", [Int64]);
}

/// Calls between jitted functions (inlined by the optimizer) and recursion.
#[test]
fn calls() {
    let program = ["def f(a):\n    return g(a, c=2.5)", "def g(b, c, d=1):\n    return b * c + d"];
    let defaults = [None, None, Some(jit_core::lower::ConstValue::Int(1))];
    let p = jit_core::testing::TestProgram::new(&program).unwrap().defaults(1, &defaults);
    insta::assert_snapshot!("call_with_keyword_and_default", p.snapshot(&[Type::Int64]));
    snapshot!("recursion", "def f(n):\n    if n < 2:\n        return n\n    return f(n - 1) + f(n - 2)", [Int64]);
}
