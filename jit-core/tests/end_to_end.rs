//! End-to-end: source text → loaded machine code → called, through `jit_core::compile_source`.

use jit_core::{compile_source, Capture, Type};

fn call(src: &str, types: &[Type], args: &[u64]) -> (u32, u64) {
    let c = compile_source(src, types, Capture::default()).unwrap_or_else(|e| panic!("{e}"));
    let mut ret = 0u64;
    let st = unsafe { (c.entry)(args.as_ptr(), &mut ret) };
    (st, ret)
}

fn int(src: &str, args: &[i64]) -> i64 {
    let types = vec![Type::Int64; args.len()];
    let a: Vec<u64> = args.iter().map(|&x| x as u64).collect();
    let (st, r) = call(src, &types, &a);
    assert_eq!(st, 0, "status");
    r as i64
}

fn float(src: &str, args: &[f64]) -> f64 {
    let types = vec![Type::Float64; args.len()];
    let a: Vec<u64> = args.iter().map(|x| x.to_bits()).collect();
    let (st, r) = call(src, &types, &a);
    assert_eq!(st, 0, "status");
    f64::from_bits(r)
}

#[test]
fn collatz() {
    let src = "def collatz_steps(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n";
    assert_eq!(int(src, &[27]), 111);
}

#[test]
fn fib_recursion() {
    let src = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
    assert_eq!(int(src, &[20]), 6765);
}

#[test]
fn harmonic_float_loop() {
    let src = "def h(n):\n    s = 0.0\n    for i in range(1, n + 1):\n        s += 1.0 / i\n    return s\n";
    let types = [Type::Int64];
    let (st, r) = call(src, &types, &[10]);
    assert_eq!(st, 0);
    let expect: f64 = (1..=10).fold(0.0, |s, i| s + 1.0 / i as f64);
    assert_eq!(f64::from_bits(r), expect);
}

#[test]
fn floor_semantics_and_errors() {
    assert_eq!(int("def f(a, b):\n    return a // b\n", &[-7, 2]), -4);
    assert_eq!(int("def f(a, b):\n    return a % b\n", &[-7, 2]), 1);
    assert_eq!(int("def f(a, b):\n    return a % b\n", &[7, -2]), -1);
    let (st, _) = call("def f(a, b):\n    return a // b\n", &[Type::Int64, Type::Int64], &[1, 0]);
    assert_eq!(jit_core::runtime::status_code(st), jit_core::runtime::Status::IntFloorDivZero as u32);
    // The word says where: the first statement of the program.
    assert_eq!(jit_core::runtime::status_place(st), Some(0));
    assert_eq!(float("def f(x):\n    return math.sqrt(x)\n", &[4.0]), 2.0);
    let (st, _) = call("def f(x):\n    return math.sqrt(x)\n", &[Type::Float64], &[(-1.0f64).to_bits()]);
    assert_eq!(jit_core::runtime::status_code(st), jit_core::runtime::Status::MathDomain as u32);
}

/// A copy of `object` whose symbol `from` is renamed `to` (same length): an object that
/// defines a symbol the engine has not seen yet.
fn renamed(object: &[u8], from: &str, to: &str) -> Vec<u8> {
    assert_eq!(from.len(), to.len());
    let mut out = object.to_vec();
    let mut found = false;
    for i in 0..=out.len() - from.len() {
        if &out[i..i + from.len()] == from.as_bytes() {
            out[i..i + from.len()].copy_from_slice(to.as_bytes());
            found = true;
        }
    }
    assert!(found, "symbol not in the object");
    out
}

#[test]
fn a_failed_load_leaves_nothing_behind() {
    // An object defining sj_<A> loaded as if it were sj_<B> (a cache entry holding another
    // function's object) fails; the definitions it brought are removed, so loading it later
    // under its own symbol works (before: "Duplicate definition of symbol").
    let c = compile_source("def twice(x):\n    return x * 2\n", &[Type::Int64], Capture::default()).unwrap();
    let sym_a = format!("sj_{}", "a".repeat(c.symbol.len() - 3));
    let sym_b = format!("sj_{}", "b".repeat(c.symbol.len() - 3));
    let foreign = renamed(&c.object, &c.symbol, &sym_a);
    let err = jit_core::engine::load(&foreign, &sym_b).expect_err("a foreign object must not load");
    assert!(err.contains(&sym_b) || err.to_lowercase().contains("not found"), "{err}");
    let entry = jit_core::engine::load(&foreign, &sym_a).unwrap_or_else(|e| panic!("{e}"));
    let mut ret = 0u64;
    let st = unsafe { entry([21u64].as_ptr(), &mut ret) };
    assert_eq!((st, ret), (0, 42));
}

/// A `@cfunc` C callback: `src` compiled for `types` with the C signature `sig` (its global
/// `carray` bound as jit-py binds `stickyjit.carray`); its address.
fn callback(src: &str, types: &[Type], sig: jit_core::cfunc::CSignature) -> usize {
    use jit_core::{lower::GlobalValue, normalize, parse, standalone_env, Options};
    let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
    let func = parse::parse_function(&parse::SourceFunction { lines: &lines, first_line: 1, filename: "<test>" }).unwrap();
    let fp = normalize::fingerprint(&func);
    let mut env = standalone_env(&func, "<test>");
    if env.globals.contains_key("carray") {
        env.globals.insert("carray".into(), GlobalValue::Builtin("carray".into()));
    }
    let options = Options::default();
    let p = jit_core::prepare(&func, &fp, &env, types, &options, Capture::default()).unwrap().with_cfunc(sig);
    let c = jit_core::finish(p, &options, Capture::default()).unwrap_or_else(|e| panic!("{e}"));
    c.cfunc.expect("a C callback")
}

static FAILURES: std::sync::Mutex<Vec<u32>> = std::sync::Mutex::new(Vec::new());

extern "C" fn record_failure(status: u32, _symbol: *const std::ffi::c_char) {
    FAILURES.lock().unwrap().push(status);
}

#[test]
fn cfunc_callback_has_the_c_abi_and_reports_failures() {
    use jit_core::cfunc::{CSignature, CType};
    use jit_core::registry::Dtype;
    jit_core::cfunc::set_error_hook(record_failure);
    let f64p = Type::Pointer(Some(Dtype::Float64));
    // double f(int n, double *xx): xx[0] * n + xx[1], and a write through the pointer.
    let src = "def f(n, xx):\n    xx[2] = xx[0] + 1.0\n    return xx[0] * n + xx[1]\n";
    let sig = CSignature {
        args: vec![CType::Scalar(Dtype::Int32), CType::Pointer(Some(Dtype::Float64))],
        ret: CType::Scalar(Dtype::Float64),
    };
    let f = callback(src, &[Type::Int64, f64p.clone()], sig);
    // SAFETY: the callback was compiled with exactly this C signature.
    let f: extern "C" fn(i32, *mut f64) -> f64 = unsafe { std::mem::transmute(f) };
    let mut xx = [1.5, 2.0, 0.0];
    assert_eq!(f(-3, xx.as_mut_ptr()), 1.5 * -3.0 + 2.0);
    assert_eq!(xx[2], 2.5);

    // int g(double *p, intp n, intp m): the sum of the first m elements of a carray view of n;
    // an index past its end fails, reported through the hook, and the callback returns 0.
    let src =
        "def g(p, n, m):\n    a = carray(p, (n,))\n    s = 0.0\n    for i in range(m):\n        s += a[i]\n    return int(s)\n";
    let sig = CSignature {
        args: vec![CType::Pointer(Some(Dtype::Float64)), CType::Scalar(Dtype::Int64), CType::Scalar(Dtype::Int64)],
        ret: CType::Scalar(Dtype::Int32),
    };
    let g = callback(src, &[f64p, Type::Int64, Type::Int64], sig);
    // SAFETY: as above.
    let g: extern "C" fn(*const f64, i64, i64) -> i32 = unsafe { std::mem::transmute(g) };
    let values = [1.0, 2.0, 3.0, 4.0];
    FAILURES.lock().unwrap().clear();
    assert_eq!(g(values.as_ptr(), 4, 4), 10);
    assert!(FAILURES.lock().unwrap().is_empty());
    assert_eq!(g(values.as_ptr(), 4, 5), 0);
    let codes: Vec<u32> = FAILURES.lock().unwrap().iter().map(|w| jit_core::runtime::status_code(*w)).collect();
    assert_eq!(codes, vec![jit_core::runtime::Status::ArrayIndexOutOfBounds as u32]);
}
