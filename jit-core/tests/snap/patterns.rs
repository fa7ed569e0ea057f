//! Slow paths of real code that the compiler closes (issue 16), each pinned by a snapshot of its
//! optimized IR and by an assertion on the one shape that matters, so that a later change that
//! loses it fails here and not only in a benchmark.

use jit_core::testing::{self, array};
use jit_core::types::Dtype;
use jit_core::{Capture, Type};

/// `dx ** 2` with `dx` loop-invariant (a stencil's grid spacing): `pow` is a pure function to
/// LLVM, so it is computed once, before the loop, not once per element.
const POW_INVARIANT: &str = "def f(a, b, dx):\n    for i in range(a.shape[0]):\n        b[i] = a[i] / dx ** 2\n";

/// `sin(t)` and `cos(t)` of one value: one `sincos` call.
const SIN_COS: &str = "def f(n, x):\n    s = 0.0\n    for i in range(n):\n        t = x * i\n        s += math.sin(t) * math.cos(t)\n    return s\n";

fn pow_args() -> Vec<Type> {
    vec![array(Dtype::Float64, 1), array(Dtype::Float64, 1), Type::Float64]
}

#[test]
fn a_loop_invariant_pow_is_computed_once_before_the_loop() {
    jit_core::snapshot!("pattern_pow_hoisted", POW_INVARIANT, pow_args());
    let typed = testing::typed(POW_INVARIANT, &pow_args()).unwrap();
    // `dx ** 2` is `sj.late.pow2` (the product where it is provably pow's answer, else pow): a
    // pure function of its own while the pipeline runs, so that it is computed before the loop.
    let ir = testing::llvm_ir_before_late_inline(&typed);
    let entry = &ir[..ir.find("define internal").expect("sj.late.pow2 is defined after the entry")];
    let call = entry.rfind("call double @sj.late.pow2(").expect("sj.late.pow2 is called");
    let first_phi = entry.find(" = phi ").expect("the loop has an induction variable");
    assert!(call < first_phi, "dx ** 2 is computed inside the loop:\n{ir}");
    // One call in front of each copy of the loop (it is versioned: `codegen/version.rs`).
    assert_eq!(entry.matches("call double @sj.late.pow2(").count(), 2, "{ir}");
    // Then it is inlined where it was hoisted to; its slow side still calls the C library's
    // pow (CPython's answer), not rewritten.
    let ir = testing::llvm_ir(&typed, true);
    assert!(!ir.contains("sj.late."), "{ir}");
    // Once per copy, as before: not inlined into the (unrolled) loop bodies.
    assert_eq!(ir.matches("call double @pow(").count(), 2, "{ir}");
}

/// `x ** 2` of a value that changes every iteration: the product and its exact residual (an
/// `fma`) decide whether the product is pow's answer (Ziv's rounding test, one more `fma`);
/// pow is called only when the square lies near a rounding midpoint, or at the edges of the
/// range. Inlined once the pipeline has run: no call on the fast side.
#[test]
fn a_square_is_a_product_where_that_is_pows_answer() {
    let src = "def f(a):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += (a[i] - 0.5) ** 2\n    return s\n";
    let typed = testing::typed(src, &[array(Dtype::Float64, 1)]).unwrap();
    let before = testing::llvm_ir_before_late_inline(&typed);
    let pow2 = &before[before.find("define internal double @sj.late.pow2(").expect("sj.late.pow2 is defined")..];
    assert!(pow2.contains("fmul double") && pow2.matches("@llvm.fma.f64(").count() >= 3, "{before}");
    assert!(pow2.contains("call double @pow("), "{before}");
    let ir = testing::llvm_ir(&typed, true);
    assert!(!ir.contains("sj.late.") && ir.contains("call double @pow(") && ir.contains("fmul double"), "{ir}");
}

/// `x ** 6` and `x ** 0.5`: the power in double-double (products split by `fma`) and the
/// square root with its exact remainder; `pow` only on the cold side.
#[test]
fn integer_powers_and_square_roots_are_exact_without_pow_on_the_fast_side() {
    let src = "def f(a):\n    s = 0.0\n    for i in range(a.shape[0]):\n        s += a[i] ** 6 + a[i] ** 0.5\n    return s\n";
    let typed = testing::typed(src, &[array(Dtype::Float64, 1)]).unwrap();
    let before = testing::llvm_ir_before_late_inline(&typed);
    assert!(
        before.contains("define internal double @sj.late.pow6(") && before.contains("define internal double @sj.late.pow.half("),
        "{before}"
    );
    let ir = testing::llvm_ir(&typed, true);
    assert!(!ir.contains("sj.late."), "{ir}");
    assert!(
        ir.contains("call double @pow(double %") && ir.contains("double 6.000000e+00)") && ir.contains("double 5.000000e-01)"),
        "{ir}"
    );
    assert!(ir.contains("@llvm.sqrt.f64("), "{ir}");
}

#[test]
fn sin_and_cos_of_one_value_are_one_sincos_call() {
    let compiled = jit_core::compile_source(SIN_COS, &[Type::Int64, Type::Float64], Capture { asm: true, ..Capture::default() })
        .expect("compiles");
    let asm = compiled.asm.expect("asm captured");
    assert!(asm.contains("sincos"), "sin and cos are separate calls:\n{asm}");
    assert!(!asm.contains("\tsin@PLT") && !asm.contains("\tcos@PLT"), "{asm}");
}

#[test]
fn a_power_of_constants_is_folded_with_the_c_librarys_pow() {
    // CPython folds `1.1 ** 2` itself; LLVM does not fold the `nobuiltin` call, so codegen does.
    let src = "def f():\n    return 1.1 ** 2\n";
    jit_core::snapshot!("pattern_pow_constant", src, []);
    let ir = testing::llvm_ir(&testing::typed(src, &[]).unwrap(), true);
    assert!(!ir.contains("call double @pow("), "{ir}");
}

/// `a[i] / d` with `d` loop-invariant: the zero-division check is taken out of the loop (one
/// test before it), and the loop vectorizes.
const DIV_INVARIANT: &str = "def f(a, b, d):\n    for i in range(a.shape[0]):\n        b[i] = a[i] / d\n";

#[test]
fn an_invariant_division_check_is_unswitched_and_the_loop_vectorizes() {
    let args = vec![array(Dtype::Float64, 1), array(Dtype::Float64, 1), Type::Float64];
    jit_core::snapshot!("pattern_div_unswitched", DIV_INVARIANT, args.clone());
    let ir = testing::llvm_ir(&testing::typed(DIV_INVARIANT, &args).unwrap(), true);
    assert!(ir.contains("fdiv <"), "the division is not vectorized:\n{ir}");
    // The zero test is made in front of each copy of the (versioned) loop, in none of them.
    let last_test = ir.rfind("fcmp une double").expect("the divisor is tested");
    assert!(last_test < ir.find(" = phi ").expect("a loop"), "the test is inside a loop:\n{ir}");
}

/// `x[t + 1] = f(x[t])`: the value stored in one iteration is the next one's operand, not
/// reloaded from memory (loop-load-elim; the element addresses are `inbounds`).
const RECURRENCE: &str = "def f(x0, n):\n    x = np.empty(n + 1)\n    x[0] = x0\n    for t in range(n):\n        x[t + 1] = 4.0 * x[t] * (1.0 - x[t])\n    return x[n]\n";

#[test]
fn a_recurrence_forwards_its_store_to_the_next_iteration() {
    let args = vec![Type::Float64, Type::Int64];
    jit_core::snapshot!("pattern_load_forwarded", RECURRENCE, args.clone());
    let ir = testing::llvm_ir(&testing::typed(RECURRENCE, &args).unwrap(), true);
    // Without forwarding, nothing in this function is a float phi: x[t] would be a load.
    assert!(ir.contains(" = phi double "), "x[t] is reloaded:\n{ir}");
}

/// A three-line helper with four checked accesses, called from several places: inlined.
const SWAP: &str = "def swap(a, i, j):\n    t = a[i]\n    a[i] = a[j]\n    a[j] = t\n";
const SWAPS: &str =
    "def f(a, n):\n    for i in range(n):\n        swap(a, i, n - 1 - i)\n        swap(a, 0, i)\n        swap(a, i, 1)\n";

#[test]
fn a_small_helper_is_inlined_at_every_call() {
    let program = testing::TestProgram::new(&[SWAPS, SWAP]).unwrap();
    let args = [array(Dtype::Float64, 1), Type::Int64];
    insta::assert_snapshot!("pattern_helper_inlined", program.snapshot(&args));
    let ir = testing::llvm_ir(&program.infer(&args).unwrap(), true);
    assert!(!ir.contains("@swap"), "swap is still called:\n{ir}");
}

/// A helper with eight checked accesses (game of life's `increment_neighbors`), called from one
/// place, inside a loop that is versioned (two copies of the call): inlined in both, as LLVM
/// inlines a function's only call whatever its size.
const WRAP: &str = "def wrap(k, max_k):\n    if k == -1:\n        return max_k - 1\n    elif k == max_k:\n        return 0\n    else:\n        return k\n";
const NEIGHBORS: &str = "def bump(i, j, nb):\n    ni, nj = nb.shape\n    for di in (-1, 0, 1):\n        ri = wrap(i + di, ni)\n        for dj in (-1, 0, 1):\n            if di != 0 or dj != 0:\n                rj = wrap(j + dj, nj)\n                nb[ri, rj] += 1\n";
const LIFE: &str = "def step(x, nb):\n    for i in range(x.shape[0]):\n        for j in range(x.shape[1]):\n            if x[i, j]:\n                bump(i, j, nb)\n";
const LIFE_TWICE: &str = "def f(x, nb):\n    step(x, nb)\n    step(x, nb)\n";

#[test]
fn a_helper_called_from_one_place_is_inlined_into_both_copies_of_its_loop() {
    let program = testing::TestProgram::new(&[LIFE_TWICE, LIFE, NEIGHBORS, WRAP]).unwrap();
    let args = [array(Dtype::Bool, 2), array(Dtype::Int8, 2)];
    let ir = testing::llvm_ir(&program.infer(&args).unwrap(), true);
    assert!(!ir.contains("@bump"), "bump is still called:\n{ir}");
}

/// The loops over `(-1, 0, 1)` in `bump` are unrolled early (before GVN, as LLVM's own O3 does):
/// each `wrap(j + dj, nj)` is then computed once per live cell and shared by the three rows, not
/// once per row; and the row wraps, the same for a whole row, are taken out of the cell loop.
#[test]
fn a_tuple_loops_items_are_constants_before_gvn_so_each_wrap_is_computed_once() {
    let program = testing::TestProgram::new(&[LIFE, NEIGHBORS, WRAP]).unwrap();
    let args = [array(Dtype::Bool, 2), array(Dtype::Int8, 2)];
    insta::assert_snapshot!("pattern_tuple_loop_shared_wraps", program.snapshot(&args));
    let ir = testing::llvm_ir(&program.infer(&args).unwrap(), true);
    // wrap's `k == max_k` gives 0: one such select per wrap computed. Three column wraps per
    // live cell, three row wraps per row (hoisted out of the cell loop), and the loop's own:
    // 7 (the unrolling after GVN left 18); the versioned cell loop's checked copy, not
    // unrolled, computes two of its own.
    let wraps = ir.matches(", i64 0, i64 %").count();
    assert!(wraps <= 9, "{wraps} wraps computed:\n{ir}");
}

/// `out[i]` in a loop over another array's length: the loop is versioned on one test before it
/// (`codegen/version.rs`), and its fast copy, without the checks, vectorizes.
const VERSIONED: &str = "def f(values, out):\n    for i in range(values.shape[0]):\n        out[i] = values[i] * 2.0 + 1.0\n";

#[test]
fn a_loop_over_another_arrays_length_is_versioned_and_vectorizes() {
    let args = vec![array(Dtype::Float64, 1), array(Dtype::Float64, 1)];
    jit_core::snapshot!("pattern_loop_versioned", VERSIONED, args.clone());
    let ir = testing::llvm_ir(&testing::typed(VERSIONED, &args).unwrap(), true);
    assert!(ir.contains("x double>"), "the fast copy does not vectorize:\n{ir}");
    assert!(ir.contains("sj_rt_index_error"), "the checked copy is gone:\n{ir}");
    // The checked copy (run only when an index wraps or fails) is not unrolled: one call of
    // the error helper per checked access, not one per unrolled copy of them.
    let calls = ir.matches("call void @sj_rt_index_error").count();
    assert!(calls <= 2, "{calls} index error calls: the checked copy is unrolled:\n{ir}");
}

/// A loop over a short tuple display (`for d in (-1, 0, 1)`) around another loop: its items are
/// selected, not read from a stack slot, and it does not poll for Ctrl-C (its inner loop does),
/// so LLVM unrolls it and each `d` is a constant.
const TUPLE_LOOP: &str = "def f(a, n):\n    s = 0.0\n    for d in (-1, 0, 1):\n        for i in range(1, n - 1):\n            s += a[i + d] * d\n    return s\n";

#[test]
fn a_loop_over_a_short_tuple_is_unrolled_to_constants() {
    let args = vec![array(Dtype::Float64, 1), Type::Int64];
    jit_core::snapshot!("pattern_tuple_loop", TUPLE_LOOP, args.clone());
    let ir = testing::llvm_ir(&testing::typed(TUPLE_LOOP, &args).unwrap(), true);
    assert!(!ir.contains("alloca"), "the tuple is still in a stack slot:\n{ir}");
}

/// A parallel loop's body is outlined into a chunk function the pool runs; its reduction's
/// partial results are combined after the call, in chunk order.
#[test]
fn a_prange_reduction_is_an_outlined_chunk_and_a_combine_loop() {
    let src = "def f(a):\n    s = 0.0\n    for i in prange(a.shape[0]):\n        s += a[i]\n    return s";
    let p = testing::TestProgram::one(src).unwrap().parallel();
    let typed = p.infer(&[array(Dtype::Float64, 1)]).unwrap();
    let ir = testing::llvm_ir(&typed, true);
    assert!(ir.contains("@sj_rt_parallel_for"), "the loop runs on the pool");
    assert!(ir.contains(".prange0("), "its body is an outlined function");
    insta::assert_snapshot!("pattern_prange_reduction", ir);
}

/// An optional value read after `is not None`: the check the read carries (a `TypeError`
/// status) folds into the test, so the optimized code tests the flag once.
const OPTIONAL_TESTED: &str =
    "def f(a, b):\n    x = None\n    if b > 0:\n        x = b\n    if x is not None:\n        return x + a\n    return a\n";

#[test]
fn an_optional_read_after_its_test_is_not_checked_again() {
    let p = testing::typed(OPTIONAL_TESTED, &[Type::Int64, Type::Int64]).unwrap();
    assert_eq!(p.entry().unwraps.len(), 1, "x + a reads x unwrapped");
    // The read's status word: the code with the site of its statement above it (`return x + a`,
    // the fifth statement counting those nested in pre-order).
    let status = jit_core::registry::status_word(jit_core::registry::Status::NoneValue.code(), 4);
    let unoptimized = testing::llvm_ir(&p, false);
    assert!(unoptimized.contains(&format!("i32 {status}")), "the read is checked:\n{unoptimized}");
    let optimized = testing::llvm_ir(&p, true);
    assert!(!optimized.contains(&format!("i32 {status}")), "the check survived the test:\n{optimized}");
}

/// Thousands of `if ...: s += k` in one loop are one block of thousands of selects after
/// if-conversion: a huge module (`optimize::is_huge`). It skips the vectorizers' tail, and each
/// `select c, (add s, K), s` is `add s, (select c, K, 0)`, a chain of adds rather than of
/// conditional moves (which LLVM's two-address pass handles in quadratic time).
#[test]
fn a_huge_block_of_conditional_adds_is_a_chain_of_adds() {
    let body: String = (0..1500).map(|k| format!("        if i % {} == 0:\n            s += {k}\n", k + 2)).collect();
    let src = format!("def f(x):\n    s = 0\n    for i in range(x):\n{body}    return s\n");
    let typed = testing::typed(&src, &[Type::Int64]).unwrap();
    let ctx = inkwell::context::Context::create();
    let module = testing::module(&ctx, &typed, true);
    assert!(jit_core::optimize::is_huge(&module));
    let ir = testing::llvm_ir(&typed, true);
    let constant_selects = ir.lines().filter(|l| l.contains(" = select i1 ") && l.ends_with(", i64 0")).count();
    assert!(constant_selects > 1000, "{constant_selects} selects of a constant and 0");
    let chained = ir.lines().filter(|l| l.contains(" = select i1 ") && !l.ends_with(", i64 0")).count();
    assert!(chained < 10, "{chained} selects left in the chain");
    assert!(!ir.contains("x i64>"), "vectorized: the vectorizers' tail ran");
    // A kernel-sized function is not huge.
    let small = testing::typed(POW_INVARIANT, &pow_args()).unwrap();
    assert!(!jit_core::optimize::is_huge(&testing::module(&ctx, &small, true)));
}

/// calculate_pi's loop (numba/numba-examples): `(u - 0.5) ** 2` in every iteration, each with
/// CPython's OverflowError check after it. The loop changes only its own number locals, so its
/// float checks wait (`codegen/defer.rs`): the deferred copy has no exit but its latch and
/// vectorizes, squaring by the vector variant of `sj.late.pow2`; the exact copy after it, run
/// only when a check failed, raises where CPython does.
const IN_CIRCLE: &str = "def f(us, vs):\n    count = 0\n    for i in range(us.shape[0]):\n        u, v = us[i], vs[i]\n        d = math.sqrt((u - 0.5) ** 2 + (v - 0.5) ** 2)\n        if d < 0.5:\n            count += 1\n    return count\n";

#[test]
fn a_loop_with_deferred_float_checks_vectorizes_its_powers() {
    let args = vec![array(Dtype::Float64, 1), array(Dtype::Float64, 1)];
    let typed = testing::typed(IN_CIRCLE, &args).unwrap();
    let unoptimized = testing::llvm_ir(&typed, false);
    assert!(unoptimized.contains("deferred.exact:"), "no deferred copy:\n{unoptimized}");
    let before = testing::llvm_ir_before_late_inline(&typed);
    assert!(before.contains("x double> @sj.late.pow2.v"), "the squares are not vectorized:\n{before}");
    let ir = testing::llvm_ir(&typed, true);
    assert!(!ir.contains("sj.late.") && !ir.contains("llvm.compiler.used"), "{ir}");
    // Squares of four (or two) values at once, and pow for a lane near a rounding midpoint.
    assert!(ir.contains("fmul <") && ir.contains("call double @pow("), "{ir}");
    // The exact copy still raises CPython's OverflowError (its status word, with the site).
    let overflow = jit_core::runtime::Status::PowOverflow as u32;
    let mask = (1u64 << jit_core::runtime::CODE_BITS) - 1;
    let mut words = ir.split(|c: char| !c.is_ascii_digit()).filter_map(|w| w.parse::<u64>().ok());
    assert!(words.any(|w| w & mask == u64::from(overflow) && w > mask), "no OverflowError left:\n{ir}");
}

/// The same `x % n` (a run-time `n`) written several times, as a periodic stencil writes its
/// wrapped neighbours (`ising`: twelve `% n`, four distinct): one division each. The `-1`
/// divisor that would trap for the smallest int is a select, not a branch around the division,
/// so the copies are one value to GVN.
#[test]
fn a_repeated_modulo_by_a_variable_is_one_division() {
    let src = "def f(a, i, n):\n    return a[(i - 1) % n] + a[(i - 1) % n] * a[(i + 1) % n] - a[(i + 1) % n] + (i - 1) // n\n";
    let args = vec![array(Dtype::Float64, 1), Type::Int64, Type::Int64];
    jit_core::snapshot!("pattern_repeated_modulo", src, args.clone());
    let typed = testing::typed(src, &args).unwrap();
    let ir = testing::llvm_ir(&typed, true);
    // (i - 1) % n and (i - 1) // n share one srem (and its sdiv); (i + 1) % n has its own.
    assert_eq!(ir.matches(" = srem i64 ").count(), 2, "{ir}");
    assert_eq!(ir.matches(" = sdiv i64 ").count(), 1, "{ir}");
}

/// `if c: out[i] = a else: out[i] = b` (numba-examples' zero suppression): the two stores to one
/// element are one store of a select (merged load/store motion), so the loop vectorizes with
/// plain stores rather than a masked store for each branch.
#[test]
fn a_store_in_both_branches_is_one_store_of_a_select() {
    let src = "def f(v, t, out):\n    for i in range(v.shape[0]):\n        if abs(v[i]) >= t:\n            out[i] = v[i]\n        else:\n            out[i] = 0.0\n";
    let args = vec![array(Dtype::Float64, 1), Type::Float64, array(Dtype::Float64, 1)];
    jit_core::snapshot!("pattern_store_in_both_branches", src, args.clone());
    let ir = testing::llvm_ir(&testing::typed(src, &args).unwrap(), true);
    assert!(!ir.contains("masked.store"), "{ir}");
    assert!(ir.contains("store <"), "the loop is not vectorized:\n{ir}");
}

/// A helper called from one place whose generated code is huge (NPBench's `channel_flow`: its
/// two stencil helpers are 6,466 and 4,429 instructions) stays a call: inlined, the one function
/// costs the register allocator more than the two did apart, and the call is nothing against its
/// work. Here, twenty stencil statements of a 2-D array.
#[test]
fn a_huge_helper_called_once_stays_out_of_line() {
    let statement = "    b[1:-1, 1:-1] = b[1:-1, 1:-1] + (u[1:-1, 2:] - u[1:-1, 0:-2]) / (2 * dx) + (u[2:, 1:-1] - u[0:-2, 1:-1]) / (2 * dx)\n";
    let helper = format!("def stencil(b, u, dx):\n{}    return b\n", statement.repeat(20));
    let caller = "def f(b, u, dx):\n    return stencil(b, u, dx)[0, 0]\n";
    let program = testing::TestProgram::new(&[caller, &helper]).unwrap();
    let args = [array(Dtype::Float64, 2), array(Dtype::Float64, 2), Type::Float64];
    let ir = testing::llvm_ir(&program.infer(&args).unwrap(), true);
    assert!(ir.contains("call ") && ir.contains("@stencil."), "the huge helper was inlined:\n{ir}");
    // The same helper with one statement is inlined (LLVM's bonus for a function's only call).
    let small = format!("def stencil(b, u, dx):\n{statement}    return b\n");
    let program = testing::TestProgram::new(&[caller, &small]).unwrap();
    let ir = testing::llvm_ir(&program.infer(&args).unwrap(), true);
    assert!(!ir.contains("@stencil."), "the one-statement helper is still called:\n{ir}");
}

/// `a.sum(axis=0)` of a C-contiguous 2-D array: the rows are added into the result one after
/// the other, by a loop along the last axis that vectorizes, instead of folding each column
/// alone (a stride of a whole row between its elements). Each element is added in the same order.
#[test]
fn a_sum_along_the_first_axis_adds_whole_rows() {
    let src = "def f(a):\n    return a.sum(axis=0)\n";
    let args = vec![array(Dtype::Float64, 2)];
    jit_core::snapshot!("pattern_sum_axis0_rows", src, args.clone());
    let ir = testing::llvm_ir(&testing::typed(src, &args).unwrap(), true);
    assert!(ir.contains("fadd <"), "the rows are not added as vectors:\n{ir}");
}

/// An innermost loop four deep (here `filter2d`'s window, from numba-examples) is not unrolled
/// by a run-time count: its few iterations on each entry do not pay for the unrolled loop's
/// remainder and set-up. The same window loop three deep (over one row) is unrolled, as LLVM
/// does by default: its float sum (in order, not vectorized) then makes several products in one
/// block, the rolled loop one.
#[test]
fn a_window_loop_four_deep_is_not_unrolled_at_run_time() {
    let four = "def f(image, filt, out):\n    M, N = image.shape\n    Mf, Nf = filt.shape\n    for i in range(M - Mf):\n        for j in range(N - Nf):\n            num = 0.0\n            for ii in range(Mf):\n                for jj in range(Nf):\n                    num += filt[ii, jj] * image[i + ii, j + jj]\n            out[i, j] = num\n    return out[0, 0]\n";
    let three = four.replace("    for i in range(M - Mf):\n", "    i = 0\n    if True:\n");
    let args = vec![array(Dtype::Float64, 2), array(Dtype::Float64, 2), array(Dtype::Float64, 2)];
    // The most products in one block (blocks are separated by blank lines in LLVM's text).
    let products = |ir: &str| ir.split("\n\n").map(|b| b.matches("fmul double").count()).max().unwrap_or(0);
    let ir4 = testing::llvm_ir(&testing::typed(four, &args).unwrap(), true);
    assert!(ir4.contains("llvm.loop.unroll.runtime.disable"), "the window loop is not marked:\n{ir4}");
    let ir3 = testing::llvm_ir(&testing::typed(&three, &args).unwrap(), true);
    assert!(!ir3.contains("llvm.loop.unroll.runtime.disable"), "a loop three deep is marked:\n{ir3}");
    assert_eq!(products(&ir4), 1, "the window loop four deep was unrolled:\n{ir4}");
    assert!(products(&ir3) > 1, "the loop three deep is no longer unrolled at run time:\n{ir3}");
}

/// A loop that stores under an `if` (numba-examples' bubble sort: compare and swap) is not
/// unrolled by a run-time count: it runs at the speed of its data-dependent branch, which four
/// copies made slower. The same loop storing unconditionally (a running maximum written back)
/// is unrolled, as LLVM does by default.
#[test]
fn a_loop_storing_under_an_if_is_not_unrolled_at_run_time() {
    let swap = "def f(x, end):\n    for i in range(end - 1):\n        if x[i] > x[i + 1]:\n            x[i], x[i + 1] = x[i + 1], x[i]\n    return x[0]\n";
    let always = "def f(x, end):\n    for i in range(end - 1):\n        x[i + 1] = max(x[i], x[i + 1])\n    return x[0]\n";
    let args = vec![array(Dtype::Int64, 1), Type::Int64];
    let ir = testing::llvm_ir(&testing::typed(swap, &args).unwrap(), true);
    assert!(ir.contains("llvm.loop.unroll.runtime.disable"), "the compare-and-swap loop is not marked:\n{ir}");
    let ir = testing::llvm_ir(&testing::typed(always, &args).unwrap(), true);
    assert!(!ir.contains("llvm.loop.unroll.runtime.disable"), "a loop storing unconditionally is marked:\n{ir}");
}

/// An array expression over one C-contiguous array and numbers has the result's shape, nothing
/// broadcast, and steps by its item size along its last axis: its loop nest is the contiguous
/// one alone, without the run-time test and the strided copy that two arrays (which may
/// broadcast along the last axis) still get.
#[test]
fn one_c_array_in_an_expression_makes_the_contiguous_loop_alone() {
    let one = "def f(a):\n    return a * 2.0 + 1.0\n";
    let two = "def f(a, b):\n    return a * 2.0 + b\n";
    let ir = testing::llvm_ir(&testing::typed(one, &[array(Dtype::Float64, 2)]).unwrap(), false);
    assert!(!ir.contains("ew.strided") && !ir.contains("ew.contig"), "a strided copy for one C array:\n{ir}");
    let args = [array(Dtype::Float64, 2), array(Dtype::Float64, 2)];
    let ir = testing::llvm_ir(&testing::typed(two, &args).unwrap(), false);
    assert!(ir.contains("ew.strided") && ir.contains("ew.contig"), "no strided copy for two arrays:\n{ir}");
}

/// A number written into a view whose last axis is a C array's, stepping by one (`u[0, :] = 0`,
/// `a[1:-1] += 2.0`), gets the contiguous loop alone (nothing is broadcast, and the target's
/// elements along that axis are adjacent); a stepped slice keeps both.
#[test]
fn a_number_into_a_row_makes_the_contiguous_loop_alone() {
    let row = "def f(u):\n    u[0, :] = 0.0\n    u[1:-1, 2:] = 1.0\n";
    let aug = "def f(a):\n    a[1:-1] += 2.0\n    a *= 3.0\n";
    let stepped = "def f(u):\n    u[0, ::2] = 0.0\n";
    for (src, args) in [(row, [array(Dtype::Float64, 2)]), (aug, [array(Dtype::Float64, 1)])] {
        let ir = testing::llvm_ir(&testing::typed(src, &args).unwrap(), false);
        assert!(ir.contains("nest.head") && !ir.contains("ew.strided"), "a strided copy ({src}):\n{ir}");
    }
    let ir = testing::llvm_ir(&testing::typed(stepped, &[array(Dtype::Float64, 2)]).unwrap(), false);
    assert!(ir.contains("ew.strided") && ir.contains("ew.contig"), "a stepped slice ({stepped}):\n{ir}");
}

/// An operand or a target whose last axis is strided by construction (`x[:, :, k]`, `p[1:, j]`
/// of a C array) gets the strided loop alone: the contiguous one would run only when the axes
/// after it have one element (and the strided one is right then too).
#[test]
fn a_column_or_plane_operand_makes_the_strided_loop_alone() {
    let read = "def f(a, b, k):\n    b[:, :] = a[:, :, k] * 2.0 + b\n";
    let write = "def f(a, k):\n    a[1:, k] += 1.0\n";
    let new = "def f(a, b, k):\n    return a[:, :, k] + b[:, :, k]\n";
    let rows = "def f(a, b, k):\n    b[k, :] = a[k, :] * 2.0\n";
    let a3 = [array(Dtype::Float64, 3), array(Dtype::Float64, 2), Type::Int64];
    for (src, args) in [(read, &a3[..]), (write, &[array(Dtype::Float64, 2), Type::Int64][..])] {
        let ir = testing::llvm_ir(&testing::typed(src, args).unwrap(), false);
        assert!(ir.contains("nest.head") && !ir.contains("ew.contig"), "a contiguous copy for a strided operand ({src}):\n{ir}");
    }
    let args = [array(Dtype::Float64, 3), array(Dtype::Float64, 3), Type::Int64];
    let ir = testing::llvm_ir(&testing::typed(new, &args).unwrap(), false);
    assert!(!ir.contains("ew.contig"), "a contiguous copy for a strided operand ({new}):\n{ir}");
    let args = [array(Dtype::Float64, 2), array(Dtype::Float64, 2), Type::Int64];
    let ir = testing::llvm_ir(&testing::typed(rows, &args).unwrap(), false);
    assert!(ir.contains("ew.strided") && ir.contains("ew.contig"), "rows are contiguous ({rows}):\n{ir}");
}

/// An assignment into a view of one local array that reads views of another (`q[1:, j] =
/// u[j, 1:] * 2.0`) asks first whether the two whole arrays meet: that call depends on neither
/// `j` nor the views, so the optimizer takes it out of the loop, and inside it only the view
/// read from the target's own array (`q[1:, j - 1]`) is checked. The target of an augmented
/// assignment, read back as the value's first operand, is not checked against itself.
#[test]
fn the_whole_arrays_meet_test_leaves_the_loop() {
    let src = "def f(q, u, n):\n    for j in range(1, n):\n        q[1:, j] = u[j, 1:] * 2.0 + q[1:, j - 1]\n";
    let args = [array(Dtype::Float64, 2), array(Dtype::Float64, 2), Type::Int64];
    let ir = testing::llvm_ir(&testing::typed(src, &args).unwrap(), true);
    let body = &ir[ir.find("define").expect("a function")..];
    let meet = body.find("call i1 @sj_rt_meet_2d").unwrap_or_else(|| panic!("no meet test:\n{ir}"));
    let first_phi = body.find(" = phi ").unwrap_or_else(|| panic!("no loop:\n{ir}"));
    assert!(meet < first_phi, "the meet test stays in the loop:\n{ir}");
    assert_eq!(body.matches("call i1 @sj_rt_meet_2d").count(), 1, "one meet test:\n{ir}");
    let aug = "def f(a, b):\n    a[1:] += b[:-1]\n";
    let ir = testing::llvm_ir(&testing::typed(aug, &[array(Dtype::Float64, 1), array(Dtype::Float64, 1)]).unwrap(), false);
    assert_eq!(ir.matches("call i1 @sj_rt_overlaps_2d").count(), 1, "the target checked against itself:\n{ir}");
}
