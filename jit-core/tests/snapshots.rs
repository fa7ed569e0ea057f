//! Snapshot tests at stage boundaries: the typed IR `infer` produces and the unoptimized LLVM IR
//! `codegen` produces, for a handful of functions. Review changes with `cargo insta review`.

use jit_core::lower::{Env, GlobalValue};
use jit_core::parse::{parse_function, SourceFunction};
use jit_core::{codegen, infer, lower, pretty, Type};

fn typed(src: &str, args: &[Type]) -> infer::TypedProgram {
    let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
    let f = parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "snap.py" }).unwrap();
    let mut env = Env { filename: "snap.py".into(), defaults: vec![None; f.params.len()], ..Default::default() };
    for n in lower::global_names(&f) {
        let v = match n.as_str() {
            "math" => GlobalValue::Module("math".into()),
            "range" | "abs" | "min" | "max" | "int" | "float" | "round" => GlobalValue::Builtin(n.clone()),
            x if x == f.name => GlobalValue::SelfFunction,
            _ => GlobalValue::Undefined,
        };
        env.globals.insert(n, v);
    }
    infer::infer(jit_core::lower_and_flow(&[(&f, &env)]).unwrap(), args.to_vec()).unwrap()
}

fn llvm(src: &str, args: &[Type]) -> String {
    let p = typed(src, args);
    let ctx = inkwell::context::Context::create();
    let m = codegen::codegen(&ctx, &p, "sj_snapshot", true).unwrap();
    m.verify().unwrap();
    m.print_to_string().to_string()
}

const COLLATZ: &str = "def collatz_steps(n):\n    steps = 0\n    while n != 1:\n        n = n // 2 if n % 2 == 0 else 3 * n + 1\n        steps += 1\n    return steps\n";
const HARMONIC: &str = "def harmonic(n):\n    s = 0\n    for i in range(1, n + 1):\n        s += 1.0 / i\n    return s\n";
const FIB: &str = "def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\n";
const MIXED: &str = "def f(a, b):\n    if a > b:\n        x = a\n    else:\n        x = 0.5\n    lo, hi = min(a, b), max(a, b)\n    return x + math.sqrt(hi - lo) if a and b else -x\n";
const MAYBE_UNBOUND: &str = "def g(n):\n    for i in range(n):\n        last = i\n    return last\n";

#[test]
fn typed_ir() {
    insta::assert_snapshot!("collatz_typed", pretty::typed_program(&typed(COLLATZ, &[Type::Int])));
    insta::assert_snapshot!("harmonic_typed", pretty::typed_program(&typed(HARMONIC, &[Type::Int])));
    insta::assert_snapshot!("fib_typed", pretty::typed_program(&typed(FIB, &[Type::Int])));
    insta::assert_snapshot!("mixed_typed", pretty::typed_program(&typed(MIXED, &[Type::Int, Type::Float])));
    insta::assert_snapshot!("maybe_unbound_typed", pretty::typed_program(&typed(MAYBE_UNBOUND, &[Type::Int])));
}

#[test]
fn unoptimized_llvm_ir() {
    insta::assert_snapshot!("collatz_llvm", llvm(COLLATZ, &[Type::Int]));
    insta::assert_snapshot!("fib_llvm", llvm(FIB, &[Type::Int]));
    insta::assert_snapshot!("harmonic_llvm", llvm(HARMONIC, &[Type::Int]));
}

/// A program of three functions: `total` calls `clamp` with two signatures and `ping`, which
/// recurses through `pong` (units 0..3 as `jit-py` would number them).
#[test]
fn typed_ir_of_a_program_with_calls() {
    let sources = [
        "def total(n):\n    s = 0.0\n    for i in range(n):\n        s += clamp(i, 0, 5) + clamp(i * 0.5, lo=0.0, hi=2.0)\n    t = (s, ping(n))\n    return t\n",
        "def clamp(x, lo, hi=1):\n    return min(max(x, lo), hi)\n",
        "def ping(n):\n    if n == 0:\n        return 0\n    return pong(n - 1) + 1\n",
        "def pong(n):\n    if n == 0:\n        return 0\n    return ping(n - 1)\n",
    ];
    let funcs: Vec<_> = sources
        .iter()
        .map(|src| {
            let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
            parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "snap.py" }).unwrap()
        })
        .collect();
    let unit_of = |name: &str| sources.iter().position(|s| s.starts_with(&format!("def {name}("))).map(|i| i as u32);
    let envs: Vec<Env> = funcs
        .iter()
        .map(|f| {
            let mut env = Env { filename: "snap.py".into(), defaults: vec![None; f.params.len()], ..Default::default() };
            if f.name == "clamp" {
                env.defaults[2] = Some(lower::ConstValue::Int(1));
            }
            for n in lower::global_names(f) {
                let v = match (n.as_str(), unit_of(&n)) {
                    ("range" | "min" | "max", _) => GlobalValue::Builtin(n.clone()),
                    (x, Some(_)) if x == f.name => GlobalValue::SelfFunction,
                    (_, Some(unit)) => GlobalValue::Jitted { name: n.clone(), unit },
                    _ => GlobalValue::Undefined,
                };
                env.globals.insert(n, v);
            }
            env
        })
        .collect();
    let units: Vec<_> = funcs.iter().zip(&envs).collect();
    let p = infer::infer(jit_core::lower_and_flow(&units).unwrap(), vec![Type::Int]).unwrap();
    assert_eq!(p.recursive_specs(), vec![false, false, false, true, true]);
    insta::assert_snapshot!("program_typed", pretty::typed_program(&p));
}
