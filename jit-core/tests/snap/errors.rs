//! A snapshot of the full text of every compile error the compiler raises (parse, lower, flow,
//! infer), each from the smallest program that triggers it: the construct, `file:line:col:
//! message`, the source line and a caret, as jit-py raises it.

use jit_core::lower::{ConstValue, GlobalValue};
use jit_core::snapshot;
use jit_core::testing::{array, TestProgram};
use jit_core::types::Dtype;
use jit_core::Type::{self, Int64};

/// The snapshot of `src` with the globals `globals` bound as given.
fn with(src: &str, globals: &[(&str, GlobalValue)], args: &[Type]) -> String {
    let mut p = TestProgram::one(src).unwrap();
    for (name, value) in globals {
        p = p.global(name, value.clone());
    }
    p.snapshot(args)
}

/// The snapshot of `f` calling the jitted `g(b, c, d=5)`.
fn calling_g(caller: &str) -> String {
    let g = "def g(b, c, d=5):\n    return b + c + d";
    TestProgram::new(&[caller, g]).unwrap().defaults(1, &[None, None, Some(ConstValue::Int(5))]).snapshot(&[Int64])
}

#[test]
fn syntax() {
    snapshot!("syntax_error", "def f(a):\n    return a +", [Int64]);
    snapshot!("syntax_tabs", "def f(a):\n        x = 1\n\ty = 2\n        return a", [Int64]);
    snapshot!("no_def", "x = 1", []);
    snapshot!("async_function", "async def f(a):\n    return a", [Int64]);
    snapshot!("lambda", "f = g(lambda a: a, lambda b: b)", [Int64]);
    snapshot!("lambda_alone", "f = jit(lambda a: a + 1)", [Int64]);
    snapshot!("class_definition", "class C:\n    pass", []);
    snapshot!("varargs", "def f(a):\n    def g(*b):\n        return 1\n    return a", [Int64]);
    snapshot!("kwargs", "def f(**k):\n    return 1", []);
    snapshot!("keyword_only_parameter", "def f(a):\n    def g(y, *, k=2):\n        return y + k\n    return g(a, k=1)", [Int64]);
}

#[test]
fn statements() {
    snapshot!("nested_def", "def f(a):\n    @jit\n    def g():\n        pass\n    return a", [Int64]);
    snapshot!("nested_class", "def f(a):\n    class C:\n        pass\n    return a", [Int64]);
    snapshot!("del", "def f(a):\n    del a\n    return 1", [Int64]);
    snapshot!("with", "def f(a):\n    with a:\n        pass\n    return a", [Int64]);
    snapshot!("raise", "def f(a):\n    raise ValueError(a)", [Int64]);
    snapshot!("try", "def f(a):\n    try:\n        a = 1\n    except Exception:\n        pass\n    return a", [Int64]);
    snapshot!("assert", "def f(a):\n    assert a, a\n    return a", [Int64]);
    snapshot!("import", "def f(a):\n    import os\n    return a", [Int64]);
    snapshot!("global", "def f(a):\n    global G\n    return a", [Int64]);
    snapshot!("nonlocal", "def f(a):\n    nonlocal a\n    return a", [Int64]);
    snapshot!("await", "def f(a):\n    return await a", [Int64]);
    snapshot!("type_alias", "def f(a):\n    type T = int\n    return a", [Int64]);
    snapshot!("aug_assign_tuple", "def f(a):\n    a, b += 1\n    return a", [Int64]);
    snapshot!("match", "def f(a):\n    match a:\n        case 1:\n            pass\n    return a", [Int64]);
    snapshot!("list_target", "def f(a):\n    [x, y] = a\n    return x", [Int64]);
    snapshot!("attribute_target", "def f(a):\n    a.x = 1\n    return a", [Int64]);
    snapshot!("starred_target", "def f(a):\n    x, *y = a\n    return x", [Int64]);
}

#[test]
fn expressions() {
    snapshot!("matmul", "def f(a, b):\n    return a @ b", [Int64, Int64]);
    snapshot!("integer_literal_too_large", "def f():\n    return 100000000000000000000000", []);
    snapshot!("string_literal", "def f(a):\n    s = 'text'\n    return a", [Int64]);
    snapshot!("bytes_literal", "def f(a):\n    s = b'x'\n    return a", [Int64]);
    snapshot!("complex_literal", "def f(a):\n    return a + 1j", [Int64]);
    snapshot!("ellipsis", "def f(a):\n    x = ...\n    return a", [Int64]);
    snapshot!("is_comparison", "def f(a):\n    return a is a", [Int64]);
    snapshot!("in_comparison", "def f(a):\n    return a in a", [Int64]);
    snapshot!("call_kwargs", "def f(a):\n    return abs(**a)", [Int64]);
    snapshot!("call_starred", "def f(a):\n    return abs(*a)", [Int64]);
    snapshot!("call_generator", "def f(a):\n    return tuple(i for i in a)", [Int64]);
    snapshot!("lambda_expression", "def f(a):\n    return (lambda: a)", [Int64]);
    snapshot!("generator_expression", "def f(a):\n    g = (i for i in range(a))\n    return a", [Int64]);
    snapshot!("walrus", "def f(a):\n    return (b := a)", [Int64]);
    snapshot!("list_slice", "def f(a):\n    l = [a]\n    l[1:] = l\n    return a", [Int64]);
    snapshot!("list_comprehension_lazy", "def f(a):\n    return a > 0 and len([i for i in range(a)]) > 1", [Int64]);
    snapshot!("set_comprehension_lazy", "def f(a):\n    return a > 0 and len({i for i in range(a)}) > 1", [Int64]);
    snapshot!("yield", "def f(a):\n    yield a", [Int64]);
    snapshot!("f_string", "def f(a):\n    s = f'{a}'\n    return a", [Int64]);
    snapshot!("starred_expression", "def f(a):\n    return (*a,)", [Int64]);
}

#[test]
fn names_and_globals() {
    snapshot!("undefined_name", "def f(a):\n    return a + nope", [Int64]);
    snapshot!("undefined_module_attribute", "def f(a):\n    return a + math.nope", [Int64]);
    snapshot!("used_before_assignment", "def f(a):\n    y = x + 1\n    x = 2\n    return y", [Int64]);
    snapshot!("module_as_value", "def f(a):\n    return math", [Int64]);
    snapshot!("builtin_as_value", "def f(a):\n    return abs", [Int64]);
    snapshot!("math_function_as_value", "def f(a):\n    return math.sqrt", [Int64]);
    snapshot!("array_attribute_unknown", "def f(a):\n    return a.dtype", [array(Dtype::Float64, 1)]);
    let unsupported = |d: &str, f| GlobalValue::Unsupported { description: d.into(), is_function: f };
    insta::assert_snapshot!(
        "global_unsupported",
        with("def f(a):\n    return a + G", &[("G", unsupported("a list", false))], &[Int64])
    );
    insta::assert_snapshot!(
        "global_tuple_unsupported",
        with("def f(a):\n    return G", &[("G", GlobalValue::Tuple(vec![GlobalValue::Module("math".into())]))], &[Int64])
    );
    insta::assert_snapshot!(
        "global_attribute_of_number",
        with("def f(a):\n    return G.x", &[("G", GlobalValue::Int(1))], &[Int64])
    );
    let mymod = [("m", GlobalValue::Module("m".into())), ("m.x", GlobalValue::Undefined)];
    insta::assert_snapshot!("module_attribute_undefined", with("def f(a):\n    return m.x", &mymod, &[Int64]));
}

#[test]
fn calls() {
    snapshot!("call_of_a_local", "def f(a):\n    return a(1)", [Int64]);
    snapshot!("call_of_a_computed_function", "def f(a):\n    return (a or a)(1)", [Int64]);
    snapshot!("call_unsupported_builtin", "def f(a):\n    divmod(a, 2)", [Int64]);
    snapshot!("call_unsupported_math", "def f(a):\n    return math.factorial(a)", [Int64]);
    // What lower says of a NumPy function it does not compile. jit-py binds only the NumPy
    // functions it knows as such today, so a user calling np.cov is told "call to a function
    // that is not jitted ('np.cov' is a _ArrayFunctionDispatcher; decorate it with @jit ...)".
    snapshot!("call_unsupported_numpy", "def f(a):\n    return np.cov(a)", [array(Dtype::Float64, 1)]);
    snapshot!("call_keyword_to_builtin", "def f(a):\n    return abs(x=a)", [Int64]);
    snapshot!("range_returned", "def f(a):\n    r = range(a)\n    return r", [Int64]);
    snapshot!("iterator_returned", "def f(a):\n    it = iter((a, a))\n    return it", [Int64]);
    snapshot!("next_of_a_list", "def f(a):\n    return next([a])", [Int64]);
    snapshot!("range_keyword", "def f(a):\n    for i in range(a, step=2):\n        pass\n    return a", [Int64]);
    snapshot!("range_four_arguments", "def f(a):\n    for i in range(a, a, a, a):\n        pass\n    return a", [Int64]);
    snapshot!("range_float", "def f(a):\n    for i in range(a):\n        pass\n    return 0", [Float64]);
    snapshot!("for_over_a_number", "def f(a):\n    for x in a:\n        pass\n    return 0", [Int64]);
    snapshot!("arity_abs", "def f(a):\n    return abs(a, a)", [Int64]);
    snapshot!("arity_min", "def f(a):\n    return min(a)", [Int64]);
    snapshot!("arity_int", "def f(a):\n    return int(a, a)", [Int64]);
    snapshot!("arity_round", "def f(a):\n    return round()", [Int64]);
    snapshot!("arity_len", "def f(a):\n    return len()", [Int64]);
    snapshot!("arity_numpy", "def f(a):\n    return np.sqrt(a, a)", [Float64]);
    snapshot!("arity_math_one", "def f(a):\n    return math.sqrt(a, a)", [Float64]);
    snapshot!("arity_math_range", "def f(a):\n    return math.log(a, a, a)", [Float64]);
    insta::assert_snapshot!(
        "call_plain_python_function",
        with(
            "def f(a):\n    return helper(a)",
            &[("helper", GlobalValue::Unsupported { description: "the Python function 'helper'".into(), is_function: true })],
            &[Int64]
        )
    );
    insta::assert_snapshot!("call_of_a_number", with("def f(a):\n    return G(a)", &[("G", GlobalValue::Int(1))], &[Int64]));
    insta::assert_snapshot!("jitted_too_many_arguments", calling_g("def f(a):\n    return g(a, a, a, a)"));
    insta::assert_snapshot!("jitted_unexpected_keyword", calling_g("def f(a):\n    return g(a, a, e=a)"));
    insta::assert_snapshot!("jitted_multiple_values", calling_g("def f(a):\n    return g(a, a, b=a)"));
    insta::assert_snapshot!("jitted_missing_argument", calling_g("def f(a):\n    return g(a)"));
    insta::assert_snapshot!("jitted_none_argument", calling_g("def f(a):\n    return g(a, None)"));
    insta::assert_snapshot!(
        "jitted_error_in_callee",
        TestProgram::new(&["def f(a):\n    return g(a)", "def g(b):\n    return b + nope"]).unwrap().snapshot(&[Int64])
    );
}

#[test]
fn numpy() {
    let f64s = || array(Dtype::Float64, 1);
    snapshot!("np_keyword_not_dtype", "def f(a):\n    return np.zeros(a, order=1)", [Int64]);
    snapshot!("np_bad_dtype", "def f(a):\n    return np.zeros(a, dtype=a)", [Int64]);
    snapshot!("np_zeros_no_argument", "def f(a):\n    return np.zeros()", [Int64]);
    snapshot!("np_full_one_argument", "def f(a):\n    return np.full(a)", [Int64]);
    snapshot!("np_arange_no_argument", "def f(a):\n    return np.arange()", [Int64]);
    snapshot!("np_arange_uint64", "def f(a):\n    return np.arange(a)", [UInt64]);
    snapshot!("np_arange_dtype_bool", "def f(a):\n    return np.arange(a, dtype=np.bool_)", [Int64]);
    snapshot!("np_arange_tuple", "def f(a):\n    return np.arange((a, a))", [Int64]);
    snapshot!("np_shape_float", "def f(a):\n    return np.zeros(a)", [Float64]);
    snapshot!("np_fill_tuple", "def f(a):\n    return np.full(3, (a, a))", [Int64]);
    snapshot!("np_like_of_a_number", "def f(a):\n    x = 1\n    return np.zeros_like(x)", [Int64]);
    snapshot!("np_reduction_keyword", "def f(a):\n    return np.sum(a, dtype=np.float32)", [f64s()]);
    snapshot!("np_reduction_two_arrays", "def f(a):\n    return np.sum(a, a)", [f64s()]);
    snapshot!("np_reduction_of_a_number", "def f(a):\n    x = 1.0\n    return np.sum(x)", [Int64]);
    snapshot!("np_function_of_a_tuple", "def f(a):\n    return np.sqrt((a, a))", [Float64]);
    snapshot!("method_keyword", "def f(a):\n    return a.sum(keepdims=True)", [f64s()]);
    snapshot!("method_argument", "def f(a):\n    return a.sum(0, 1)", [f64s()]);
    snapshot!("copy_argument", "def f(a):\n    return a.copy(1)", [f64s()]);
    snapshot!("copy_keyword", "def f(a):\n    return a.copy(order=1)", [f64s()]);
    snapshot!("copy_of_a_number", "def f(a):\n    x = 1\n    return x.copy()", [Int64]);
}

#[test]
fn typing() {
    let f64s = || array(Dtype::Float64, 1);
    snapshot!("return_none_and_value", "def f(n):\n    if n:\n        return [None]\n    return [2]", [Int64]);
    snapshot!("return_mixed_types", "def f(n):\n    if n:\n        return (1, 2)\n    return 1", [Int64]);
    snapshot!("return_tuple_with_none", "def f(n):\n    return (n, range(n))", [Int64]);
    snapshot!("variable_mixed_types", "def f(n):\n    x = 1\n    if n:\n        x = (1, 2)\n    return 0", [Int64]);
    snapshot!("unpack_count", "def f(n):\n    x, y = (n, n, n)\n    return x", [Int64]);
    snapshot!("unpack_number", "def f(n):\n    x, y = n\n    return x", [Int64]);
    snapshot!("store_into_tuple", "def f(n):\n    t = (n, n)\n    t[0] = 1\n    return n", [Int64]);
    snapshot!("store_tuple_into_array", "def f(a):\n    a[0] = (1, 2)", [f64s()]);
    snapshot!("aug_store_into_tuple", "def f(n):\n    t = (n, n)\n    t[0] += 1\n    return n", [Int64]);
    snapshot!("aug_store_tuple_into_array", "def f(a, n):\n    a[0] += (n, n)", [f64s(), Int64]);
    snapshot!("condition_tuple", "def f(n):\n    if (n, n):\n        return 1\n    return 0", [Int64]);
    snapshot!("compare_tuples", "def f(n):\n    return (n,) < (1j,)", [Int64]);
    snapshot!("compare_tuple_and_number", "def f(n):\n    return (n,) == n", [Int64]);
    snapshot!("binary_tuple", "def f(n):\n    return (n, n) + 1", [Int64]);
    snapshot!("unary_tuple", "def f(n):\n    return -(n, n)", [Int64]);
    snapshot!("ifexp_mixed", "def f(n):\n    return n if n else (n, n)", [Int64]);
    snapshot!("tuple_slice", "def f(n):\n    t = (n, n)\n    return t[0:n]", [Int64]);
    snapshot!("attribute_of_tuple", "def f(n):\n    t = (n, n)\n    return t.shape", [Int64]);
    snapshot!("index_a_number", "def f(n):\n    x = 1\n    return x[0]", [Int64]);
    snapshot!("tuple_index_out_of_range", "def f(n):\n    t = (n, n)\n    return t[5]", [Int64]);
    snapshot!("tuple_index_float", "def f(x):\n    t = (1, 2)\n    return t[x]", [Float64]);
    snapshot!("tuple_variable_index_mixed", "def f(i):\n    t = (1, 2.0)\n    return t[i]", [Int64]);
    snapshot!("argument_not_an_array", "def f(a):\n    return a[0]", [Int64]);
    snapshot!("store_into_number_argument", "def f(a):\n    a[0] = 1", [Int64]);
    snapshot!("len_of_a_number_argument", "def f(a):\n    return len(a)", [Float64]);
    snapshot!("len_of_a_number", "def f(n):\n    x = 1\n    return len(x)", [Int64]);
    snapshot!("round_float_ndigits", "def f(x):\n    return round(x, 1.5)", [Float64]);
    snapshot!("builtin_of_a_tuple", "def f(n):\n    return abs((n, n))", [Int64]);
    snapshot!("recursion_unresolvable", "def f(n):\n    return f(n)", [Int64]);
    let uninferable = ["def f(n):\n    x = g(n)\n    return 1", "def g(n):\n    return g(n)"];
    insta::assert_snapshot!("variable_uninferable", TestProgram::new(&uninferable).unwrap().snapshot(&[Int64]));
    snapshot!("array_too_many_indices", "def f(a):\n    return a[0, 0]", [f64s()]);
    snapshot!("array_view_too_many_indices", "def f(a):\n    return a[0, 1:]", [f64s()]);
    snapshot!("array_index_float", "def f(a, x):\n    return a[x]", [f64s(), Float64]);
    snapshot!("array_slice_float", "def f(a, x):\n    return a[x:]", [f64s(), Float64]);
    snapshot!(
        "array_index_array_apart_from_an_integer",
        "def f(b, idx):\n    return b[0, :, idx]",
        [array(Dtype::Float64, 3), array(Dtype::Int64, 1)]
    );
    snapshot!(
        "array_store_through_mask_and_integer",
        "def f(a, m):\n    a[m, 0] = 1.0\n    return a",
        [array(Dtype::Float64, 2), array(Dtype::Bool, 1)]
    );
}

/// Why the `prange` loops of `src` decorated `parallel=True` run serially (`prange` bound).
fn parallel(src: &str, args: &[Type]) -> String {
    TestProgram::one(src).unwrap().parallel().serial_loops(args)
}

#[test]
fn parallel_loops() {
    let a1 = || array(Dtype::Float64, 1);
    insta::assert_snapshot!(
        "prange_loop_carried",
        parallel("def f(a):\n    s = 0.0\n    for i in prange(a.shape[0]):\n        s = s * 0.5 + a[i]\n    return s", &[a1()])
    );
    insta::assert_snapshot!(
        "prange_racing_write",
        parallel("def f(a):\n    for i in prange(a.shape[0] - 1):\n        a[i + 1] = a[i]\n    return a", &[a1()])
    );
    insta::assert_snapshot!(
        "prange_shared_list",
        parallel(
            "def f(a):\n    out = [0.0]\n    for i in prange(a.shape[0]):\n        out.append(a[i])\n    return out",
            &[a1()]
        )
    );
    insta::assert_snapshot!(
        "prange_return",
        parallel("def f(n):\n    for i in prange(n):\n        return i\n    return 0", &[Int64])
    );
    insta::assert_snapshot!(
        "prange_private_after_loop",
        parallel("def f(n):\n    for i in prange(n):\n        if i > 2:\n            t = i\n    return t", &[Int64])
    );
}
