//! A snapshot per operator × type family (int64, float64, bool, uint64, a float32 array
//! element, int64 with float64): binary operators, comparisons, `and`/`or`, unary operators and
//! augmented assignment, each as the smallest function that uses it.

use jit_core::testing::array;
use jit_core::types::Dtype;
use jit_core::Type::{self, *};

/// The families of two operands: name, argument types, and how the two operands are written.
fn families() -> [(&'static str, Vec<Type>, [&'static str; 2]); 6] {
    let f32s = || vec![array(Dtype::Float32, 1)];
    [
        ("int64", vec![Int64, Int64], ["a", "b"]),
        ("float64", vec![Float64, Float64], ["a", "b"]),
        ("bool", vec![Bool, Bool], ["a", "b"]),
        ("uint64", vec![UInt64, UInt64], ["a", "b"]),
        ("float32", f32s(), ["a[0]", "a[1]"]),
        ("mixed", vec![Int64, Float64], ["a", "b"]),
    ]
}

/// The parameters a family's operands read.
fn params(operands: [&str; 2]) -> &'static str {
    if operands[0] == "a[0]" {
        "a"
    } else {
        "a, b"
    }
}

/// `return a OP b` for every family.
fn binary(name: &str, op: &str) {
    for (family, args, [x, y]) in families() {
        let src = format!("def f({}):\n    return {x} {op} {y}\n", params([x, y]));
        jit_core::snapshot!(format!("{name}_{family}"), &src, args);
    }
}

/// `a OP= b; return a` for every family (the float32 family updates an array element in place).
fn augmented(name: &str, op: &str) {
    for (family, args, [x, y]) in families() {
        let src = format!("def f({}):\n    {x} {op}= {y}\n    return {x}\n", params([x, y]));
        jit_core::snapshot!(format!("aug_{name}_{family}"), &src, args);
    }
}

/// `return OP a` for every family of one operand.
fn unary(name: &str, op: &str) {
    for (family, mut args, [x, _]) in families() {
        if family == "mixed" {
            continue;
        }
        args.truncate(1);
        jit_core::snapshot!(format!("unary_{name}_{family}"), &format!("def f(a):\n    return {op}{x}\n"), args);
    }
}

#[test]
fn add() {
    binary("add", "+");
    augmented("add", "+");
}

#[test]
fn sub() {
    binary("sub", "-");
    augmented("sub", "-");
}

#[test]
fn mul() {
    binary("mul", "*");
    augmented("mul", "*");
}

#[test]
fn truediv() {
    binary("truediv", "/");
    augmented("truediv", "/");
}

#[test]
fn floordiv() {
    binary("floordiv", "//");
    augmented("floordiv", "//");
}

#[test]
fn modulo() {
    binary("mod", "%");
    augmented("mod", "%");
}

#[test]
fn pow() {
    binary("pow", "**");
    augmented("pow", "**");
}

#[test]
fn bitand() {
    binary("bitand", "&");
    augmented("bitand", "&");
}

#[test]
fn bitor() {
    binary("bitor", "|");
    augmented("bitor", "|");
}

#[test]
fn bitxor() {
    binary("bitxor", "^");
    augmented("bitxor", "^");
}

#[test]
fn lshift() {
    binary("lshift", "<<");
    augmented("lshift", "<<");
}

#[test]
fn rshift() {
    binary("rshift", ">>");
    augmented("rshift", ">>");
}

#[test]
fn comparisons() {
    for (name, op) in [("lt", "<"), ("le", "<="), ("gt", ">"), ("ge", ">="), ("eq", "=="), ("ne", "!=")] {
        binary(name, op);
    }
}

#[test]
fn boolean_operators() {
    binary("and", "and");
    binary("or", "or");
}

#[test]
fn unary_operators() {
    unary("neg", "-");
    unary("pos", "+");
    unary("invert", "~");
    unary("not", "not ");
}

/// Literals beside a typed operand take its type (or widen it), as NumPy 2 and Numba do.
#[test]
fn literals_and_chains() {
    jit_core::snapshot!("literal_uint64_plus_int", "def f(a):\n    return a + 1", [UInt64]);
    jit_core::snapshot!("literal_float32_times_int", "def f(a):\n    return a[0] * 2", [array(Dtype::Float32, 1)]);
    jit_core::snapshot!("literal_float32_plus_float", "def f(a):\n    return a[0] + 1.5", [array(Dtype::Float32, 1)]);
    jit_core::snapshot!("literal_int_pow_negative", "def f(a):\n    return a ** -1", [Int64]);
    jit_core::snapshot!("literal_int_pow_two", "def f(a):\n    return a ** 2", [Int64]);
    jit_core::snapshot!("literal_float_pow_half", "def f(a):\n    return a ** 0.5", [Float64]);
    jit_core::snapshot!("chained_comparison", "def f(a, b, c):\n    return a < b <= c", [Int64, Float64, Int64]);
    jit_core::snapshot!("conditional_expression", "def f(a, b):\n    return a if a > b else b", [Int64, Float64]);
}

/// Matrix products: the inner sizes compared (NumPy's ValueError), then one runtime call
/// (`sj_rt_matmul`: BLAS for floats) into a new array, or a stack slot for two vectors.
#[test]
fn matrix_products() {
    let (m, v) = (array(Dtype::Float64, 2), array(Dtype::Float64, 1));
    jit_core::snapshot!("matmul_matrix_vector", "def f(a, b):\n    return a @ b", [m.clone(), v.clone()]);
    jit_core::snapshot!("dot_vector_vector", "def f(a, b):\n    return np.dot(a, b)", [v.clone(), v]);
    jit_core::snapshot!("matmul_mixed_dtypes", "def f(a, b):\n    return a @ b", [array(Dtype::Int32, 2), m]);
}
