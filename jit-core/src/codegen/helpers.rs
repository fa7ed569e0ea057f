//! The table of external functions compiled code calls (runtime helpers and the C math
//! library): each one's symbol, signature and attributes ([`Helper::decl`]), their declaration in
//! a module, and the runtime ABI text that goes into every code key.

use inkwell::attributes::AttributeLoc;
use inkwell::module::Linkage;
use inkwell::types::{BasicMetadataTypeEnum, BasicTypeEnum, FunctionType};
use inkwell::values::FunctionValue;
use inkwell::AddressSpace;

use super::ModuleGen;
use crate::runtime::Status;

/// An external function compiled code calls: a runtime helper (`runtime`, `memory`,
/// `interrupt`, cpp/guard.cpp) or a C math library function. [`Helper::decl`] is the table.
#[derive(Clone, Copy, Debug)]
pub(super) enum Helper {
    /// `void sj_rt_index_error(i64 index, i64 axis, i64 size)`: records an IndexError.
    IndexError,
    /// `void sj_rt_broadcast_error(ptr dims, i64 len)`: records the shapes of operands that do
    /// not broadcast together.
    BroadcastError,
    /// `i64 sj_rt_stack_limit()`: the lowest stack address recursion may use.
    StackLimit,
    /// `void sj_rt_stack_overflow()`: raises RecursionError; does not return.
    StackOverflow,
    /// `i32 sj_rt_poll()`: runs Python's signal handlers (Ctrl-C); a status.
    Poll,
    /// `i32 sj_rt_exception_mro(i32 status)`: the classes (bits) of the exception of `status`.
    ExceptionMro,
    /// `i64 sj_rt_thread_id()`, `i64 sj_rt_num_threads()`, `i32 sj_rt_set_num_threads(i64 n)`.
    ThreadId,
    NumThreads,
    SetNumThreads,
    /// `i64 sj_rt_parallel_chunks(i64 n)`: the chunks a parallel loop of `n` iterations runs as.
    ParallelChunks,
    /// `i32 sj_rt_parallel_for(ptr body, ptr env, i64 n, i64 chunks, ptr cost)`: runs a parallel
    /// loop's chunks on the thread pool (`threads`), `cost` the loop's word of timing; a status.
    ParallelFor,
    /// `i32 sj_rt_call_guarded(ptr body, ptr args, ptr ret, i32 status)`: calls an entry-shaped
    /// body, turning a stack overflow into `status`.
    CallGuarded,
    /// `ptr sj_rt_new_block(i64 bytes, i1 zero)`: a new array block, or null.
    NewBlock,
    /// `void sj_rt_release(ptr header)`: frees a block whose count reached 0.
    Release,
    /// `ptr sj_rt_list_new(i64 itemsize, i64 cap)`: a new empty list block, or null.
    ListNew,
    /// `i1 sj_rt_list_grow(ptr header, i64 itemsize, i64 need)`: room for `need` items; false
    /// when memory is exhausted.
    ListGrow,
    /// `void sj_rt_list_sort(ptr header, i32 kind, i1 reverse)`: sorts a list of numbers.
    ListSort,
    /// `void sj_rt_list_not_in(i32 kind, i64 bits)`: records `ValueError("x is not in list")`.
    ListNotIn,
    /// `ptr sj_rt_dict_new(i64 key_slots, i64 value_slots)`: a new empty dict block, or null.
    DictNew,
    /// `ptr sj_rt_dict_find(ptr header, ptr key)`: the value slots of `key`'s entry, or null.
    DictFind,
    /// `ptr sj_rt_dict_insert(ptr header, ptr key, ptr added)`: the value slots of `key`'s
    /// entry, made when missing; null when memory is exhausted.
    DictInsert,
    /// `i1 sj_rt_dict_remove(ptr header, ptr key, ptr value)`: removes `key`; false if missing.
    DictRemove,
    /// `i1 sj_rt_dict_fill(ptr header, ptr from)`: clears (`from` null) or updates from `from`.
    DictFill,
    /// `void sj_rt_dict_key_error(ptr key, ptr kinds, i64 len)`: records `KeyError(key)`.
    /// `bool sj_rt_dict_pop_last(ptr dict, ptr out)`: `d.popitem()`'s pair, removed.
    DictPopLast,
    DictKeyError,
    /// `double sj_rt_round_f64(double x, i64 ndigits, ptr status)`.
    RoundF64,
    /// `i64 sj_rt_round_i64(i64 x, i64 ndigits)`.
    RoundI64,
    /// `i64 sj_rt_ipow(i64 base, i64 exp)`.
    Ipow,
    /// `i32 sj_rt_complex(i32 op, double ar, double ai, double br, double bi, ptr out)`: a
    /// complex division, power or function (`complex::ComplexOp`); a status.
    Complex,
    /// `i64 sj_rt_str(i32 op, ptr a, ptr b, ptr c, i64 x, i64 y)`: a string operation
    /// (`string::StrOp`): a block's address, an integer, or 0 / i64::MIN after an exception.
    Str,
    /// `i32 sj_rt_cmath(i32 op, double ar, double ai, double br, double bi, ptr out)`: a `cmath`
    /// function (`crate::cmath`); a status.
    Cmath,
    /// `double sj_rt_int_truediv(i64 a, i64 b)`.
    IntTruediv,
    /// `void sj_rt_store_strided(ptr dst, ptr src, i64 ndim, ptr shape, ptr strides, i64 itemsize)`.
    StoreStrided,
    /// `i1 sj_rt_overlaps(ptr records, i64 n)`: whether an assignment's value (n arrays) reads
    /// memory its target covers other than element for element.
    Overlaps,
    /// `i1 sj_rt_overlaps_2d(i64 data, i64 item, i64 rows, i64 cols, i64 row_stride, i64
    /// col_stride, ...)`: the same for one value array against the target, each of at most two
    /// axes; a pure function of its twelve arguments.
    Overlaps2d,
    /// `i1 sj_rt_meet_2d(...)`: whether two arrays of at most two axes (the twelve arguments of
    /// `sj_rt_overlaps_2d`) have addresses in common; pure.
    Meet2d,
    /// `i32 sj_rt_matmul(i32 dtype, i64 m, i64 n, i64 k, ptr a, i64 as0, i64 as1, ptr b, i64 bs0,
    /// i64 bs1, ptr c)`: a matrix product into a new C-contiguous block; a status.
    Matmul,
    /// `void sj_rt_matmul_shapes(i1 dot, i64 ndim_a, i64 a0, i64 a1, i64 ndim_b, i64 b0, i64 b1)`:
    /// records a product's mismatched shapes.
    MatmulShapes,
    /// `void sj_rt_matmul_out_error(ptr dims, i64 len)`: records NumPy's ValueError for `a @= b`
    /// whose product's shape is not a's.
    MatmulOutError,
    /// `i32 sj_rt_random_seed(i64 seed, i1 from_os)`: seeds this thread's generator; a status.
    RandomSeed,
    /// `ptr sj_rt_random_state()`: the thread's generator (the same on every call of a thread).
    RandomState,
    /// `double sj_rt_random_gauss(ptr state)`: `np.random.standard_normal()`.
    RandomGauss,
    /// `void sj_rt_random_generate(ptr state)`: refills a used-up key.
    RandomGenerate,
    /// `double sj_rt_random_f64(ptr state, i32 kind, double a, double b, double c, ptr status)`.
    RandomF64,
    /// `i64 sj_rt_random_i64(ptr state, i32 kind, i64 a, i64 b, double x, double y, ptr status)`.
    RandomI64,
    /// `i32 sj_rt_random_fill_f64(i32 kind, ptr out, i64 n, double a, double b, double c)`.
    RandomFillF64,
    /// `i32 sj_rt_random_fill_i64(i32 kind, ptr out, i64 n, i64 a, i64 b, double x, double y)`.
    RandomFillI64,
    /// `i32 sj_rt_random_choice(ptr a, i64 pop, i64 a_stride, i64 itemsize, i1 replace, ptr p,
    /// i64 p_len, i64 p_stride, i1 single, ptr out, i64 n, i1 sized)`: `np.random.choice`.
    RandomChoice,
    /// `i32 sj_rt_random_shuffle(ptr data, i64 ndim, ptr shape, ptr strides, i64 itemsize, i32
    /// mode, i1 readonly)`: `np.random.shuffle`, `permutation`.
    RandomShuffle,
    /// `ptr sj_rt_gen_new(i64 seed, i32 mode, ptr status)`: `np.random.default_rng(seed)`.
    GenNew,
    /// `double sj_rt_gen_f64(ptr gen, i32 kind, double a, double b, ptr status)`.
    GenF64,
    /// `double sj_rt_gen_normal_tail(ptr gen, i64 idx, i64 rabs, double x)`: the rest of a
    /// normal whose first draw compiled code made outside its layer's core.
    GenNormalTail,
    /// `i64 sj_rt_gen_pcg64_next64(ptr state)`: the `next_uint64` of a Generator made by
    /// `default_rng` in compiled code (compared with, to step the PCG64 inline).
    GenPcg64Next,
    /// `i64 sj_rt_gen_integers(ptr gen, i64 low, i64 high, i1 endpoint, ptr status)`.
    GenIntegers,
    /// `i32 sj_rt_gen_fill_f64(ptr gen, i32 kind, ptr out, i64 n, double a, double b)`.
    GenFillF64,
    /// `i32 sj_rt_gen_fill_i64(ptr gen, ptr out, i64 n, i64 low, i64 high, i1 endpoint)`.
    GenFillI64,
    /// `i32 sj_rt_gen_choice(ptr gen, ptr a, i64 pop, i64 a_stride, i64 itemsize, i1 replace,
    /// ptr p, i64 p_len, i64 p_stride, i1 single, ptr out, i64 n, i1 sized, i1 shuffle)`.
    GenChoice,
    /// `i32 sj_rt_gen_shuffle(ptr gen, ptr data, i64 ndim, ptr shape, ptr strides, i64 itemsize,
    /// i32 mode, i1 readonly)`: `Generator.shuffle`, `permutation`.
    GenShuffle,
    /// `void sj_rt_pyrandom_seed(i64 n, i1 from_os)`: `random.seed`.
    PyRandomSeed,
    /// `ptr sj_rt_pyrandom_state()`: the thread's `random` generator.
    PyRandomState,
    /// `double sj_rt_pyrandom_f64(ptr state, i32 op, double a, double b, ptr status)`.
    PyRandomF64,
    /// `i64 sj_rt_pyrandom_i64(ptr state, i32 op, i64 a, i64 b, i64 c, ptr status)`.
    PyRandomI64,
    /// `i32 sj_rt_pyrandom_shuffle(ptr data, i64 n, i64 stride, i64 itemsize, i1 readonly)`.
    PyRandomShuffle,
    /// `i32 sj_rt_lapack(i32 op, i32 dtype, i64 rows, i64 cols, ptr a, i64 as0, i64 as1, i64
    /// b_rows, i64 nrhs, i1 b_vector, ptr b, i64 bs0, i64 bs1, ptr out1, ptr out2)`: an
    /// `np.linalg` function; a status.
    Lapack,
    /// `void sj_rt_raise(i32 class, ptr message, i64 len)`: records a `raise`.
    Raise,
    /// `void sj_rt_print_text(ptr, i64 len)`, `_int(i64, i1 unsigned)`, `_float(double, i1
    /// single)`, `_bool(i1)`: a `print` argument onto the thread's line.
    PrintText,
    PrintInt,
    PrintFloat,
    PrintBool,
    /// `void sj_rt_print_complex(double re, double im, i1 single)`.
    PrintComplex,
    /// `void sj_rt_print_array(ptr slots, i32 dtype, i32 ndim)`: appends NumPy's `str()` of an
    /// array.
    PrintArray,
    /// `i32 sj_rt_print_flush()`: the line written (a status).
    PrintFlush,
    /// `i32 sj_rt_lapack_factor(i32 op, i32 dtype, i64 rows, i64 cols, ptr a, i64 as0, i64 as1,
    /// i64 b_rows, i64 nrhs, ptr b, i64 bs0, i64 bs1, double param, i1 has_param, ptr outs)`:
    /// svd, qr, lstsq, pinv, matrix_rank or cond; a status.
    LapackFactor,
    /// `void sj_rt_cfunc_error(i32 status, ptr symbol)`: a C callback's failure, reported
    /// (`crate::cfunc`).
    CfuncError,
    /// `i64 sj_rt_cfunc_enter()`: sets the thread's live blocks aside for a C callback's call.
    CfuncEnter,
    /// `void sj_rt_cfunc_leave(i64 saved)`: frees the blocks the call left, puts the others back.
    CfuncLeave,
    /// `double sj_rt_gamma(double x)`, `double sj_rt_lgamma(double x)`: CPython's own
    /// (`crate::math_rt`); pure.
    Gamma,
    Lgamma,
    /// `i64 sj_rt_gcd(i64 a, i64 b)`, `i64 sj_rt_isqrt(i64 n)`: pure.
    Gcd,
    Isqrt,
    /// `void sj_rt_inhomogeneous(i64 n)`: records NumPy's ValueError for `np.array()` of a
    /// list of `n` lists of different lengths (compiled code returns `Status::Raised`).
    Inhomogeneous,
    /// `double sj_rt_pairwise_sum(ptr data, i64 n, i64 stride)`: NumPy's sum of `n` float64s
    /// `stride` bytes apart, in NumPy's (pairwise) order: reads them, nothing else.
    PairwiseSum,
    /// A libm function of `arity` (1 or 2) doubles returning a double.
    Libm(&'static str, usize),
}

/// An LLVM type in a helper's signature.
#[derive(Clone, Copy, Debug)]
enum T {
    Void,
    Bool,
    I32,
    I64,
    F64,
    Ptr,
}

impl T {
    fn name(self) -> String {
        format!("{self:?}")
    }
}

/// One row of the helper table: the symbol, its signature and its function attributes.
struct Decl {
    name: &'static str,
    params: &'static [T],
    ret: T,
    attrs: &'static [&'static str],
}

const NOUNWIND: &[&str] = &["nounwind"];
/// `memory(argmem: read)`: the function reads the memory its pointer arguments point to, and
/// nothing else.
const ARGMEM_READ: &str = "memory(argmem: read)";
/// A C math function as compiled code uses it: a pure function of its arguments. It may set
/// `errno` and the floating-point flags, which compiled code never reads, so LLVM may hoist it
/// out of a loop, compute it once for equal arguments, and pair `sin` and `cos` of one value
/// into one `sincos` (`memory` with value 0 is `memory(none)`). `pow` call sites are still
/// `nobuiltin` ([`FnGen::call_pow`]): LLVM's rewrites of `pow` are not always CPython's answer.
const PURE_LIBM: &[&str] = &["nounwind", "willreturn", "nosync", "nofree", "speculatable", "memory"];

/// A runtime function that reads and writes no memory and answers for any arguments: LLVM may
/// hoist its call out of a loop and compute it once for equal arguments.
const PURE_RUNTIME: &[&str] = PURE_LIBM;

impl Helper {
    /// The table.
    fn decl(self) -> Decl {
        use T::*;
        let d = |name, params, ret, attrs| Decl { name, params, ret, attrs };
        match self {
            Helper::IndexError => d("sj_rt_index_error", &[I64, I64, I64], Void, NOUNWIND),
            Helper::BroadcastError => d("sj_rt_broadcast_error", &[Ptr, I64], Void, &["nounwind", "cold"]),
            Helper::StackLimit => d("sj_rt_stack_limit", &[], I64, NOUNWIND),
            Helper::StackOverflow => d("sj_rt_stack_overflow", &[], Void, &["noreturn", "nounwind", "cold"]),
            Helper::Poll => d("sj_rt_poll", &[], I32, &["nounwind", "cold"]),
            Helper::ExceptionMro => d("sj_rt_exception_mro", &[I32], I64, NOUNWIND),
            Helper::ThreadId => d("sj_rt_thread_id", &[], I64, NOUNWIND),
            Helper::NumThreads => d("sj_rt_num_threads", &[], I64, NOUNWIND),
            Helper::SetNumThreads => d("sj_rt_set_num_threads", &[I64], I32, NOUNWIND),
            Helper::ParallelChunks => d("sj_rt_parallel_chunks", &[I64], I64, NOUNWIND),
            Helper::ParallelFor => d("sj_rt_parallel_for", &[Ptr, Ptr, I64, I64, Ptr], I32, NOUNWIND),
            // No attributes: the one call of it is the entry's whole body (cpp/guard.cpp).
            Helper::CallGuarded => d("sj_rt_call_guarded", &[Ptr, Ptr, Ptr, I32], I32, &[]),
            Helper::NewBlock => d("sj_rt_new_block", &[I64, Bool], Ptr, NOUNWIND),
            Helper::Release => d("sj_rt_release", &[Ptr], Void, NOUNWIND),
            Helper::ListNew => d("sj_rt_list_new", &[I64, I64], Ptr, NOUNWIND),
            Helper::ListGrow => d("sj_rt_list_grow", &[Ptr, I64, I64], Bool, NOUNWIND),
            Helper::ListSort => d("sj_rt_list_sort", &[Ptr, I32, Bool], Void, NOUNWIND),
            Helper::ListNotIn => d("sj_rt_list_not_in", &[I32, I64], Void, &["nounwind", "cold"]),
            Helper::DictNew => d("sj_rt_dict_new", &[I64, I64], Ptr, NOUNWIND),
            Helper::DictFind => d("sj_rt_dict_find", &[Ptr, Ptr], Ptr, NOUNWIND),
            Helper::DictInsert => d("sj_rt_dict_insert", &[Ptr, Ptr, Ptr], Ptr, NOUNWIND),
            Helper::DictRemove => d("sj_rt_dict_remove", &[Ptr, Ptr, Ptr], Bool, NOUNWIND),
            Helper::DictFill => d("sj_rt_dict_fill", &[Ptr, Ptr], Bool, NOUNWIND),
            Helper::DictPopLast => d("sj_rt_dict_pop_last", &[Ptr, Ptr], Bool, NOUNWIND),
            Helper::DictKeyError => d("sj_rt_dict_key_error", &[Ptr, Ptr, I64], Void, &["nounwind", "cold"]),
            Helper::RoundF64 => d("sj_rt_round_f64", &[F64, I64, Ptr], F64, NOUNWIND),
            Helper::RoundI64 => d("sj_rt_round_i64", &[I64, I64], I64, NOUNWIND),
            Helper::Ipow => d("sj_rt_ipow", &[I64, I64], I64, NOUNWIND),
            Helper::Str => d("sj_rt_str", &[I32, Ptr, Ptr, Ptr, I64, I64], I64, NOUNWIND),
            Helper::Complex => d("sj_rt_complex", &[I32, F64, F64, F64, F64, Ptr], I32, NOUNWIND),
            Helper::Cmath => d("sj_rt_cmath", &[I32, F64, F64, F64, F64, Ptr], I32, NOUNWIND),
            Helper::IntTruediv => d("sj_rt_int_truediv", &[I64, I64], F64, NOUNWIND),
            Helper::StoreStrided => d("sj_rt_store_strided", &[Ptr, Ptr, I64, Ptr, Ptr, I64], Void, NOUNWIND),
            Helper::Overlaps => {
                d("sj_rt_overlaps", &[Ptr, I64], Bool, &["nounwind", "willreturn", "nosync", "nofree", ARGMEM_READ])
            }
            Helper::Overlaps2d => d("sj_rt_overlaps_2d", &[I64; 12], Bool, PURE_RUNTIME),
            Helper::Meet2d => d("sj_rt_meet_2d", &[I64; 12], Bool, PURE_RUNTIME),
            Helper::Matmul => d("sj_rt_matmul", &[I32, I64, I64, I64, Ptr, I64, I64, Ptr, I64, I64, Ptr], I32, NOUNWIND),
            Helper::MatmulShapes => d("sj_rt_matmul_shapes", &[Bool, I64, I64, I64, I64, I64, I64], Void, &["nounwind", "cold"]),
            Helper::MatmulOutError => d("sj_rt_matmul_out_error", &[Ptr, I64], Void, &["nounwind", "cold"]),
            Helper::RandomSeed => d("sj_rt_random_seed", &[I64, Bool], I32, NOUNWIND),
            // A function of the thread only (its first call may seed the generator, which
            // nothing in compiled code sees): LLVM may ask once per function, out of loops.
            Helper::RandomState => d("sj_rt_random_state", &[], Ptr, &["nounwind", "willreturn", "nosync", "memory"]),
            Helper::RandomGauss => d("sj_rt_random_gauss", &[Ptr], F64, NOUNWIND),
            Helper::RandomGenerate => d("sj_rt_random_generate", &[Ptr], Void, &["nounwind", "cold"]),
            Helper::RandomF64 => d("sj_rt_random_f64", &[Ptr, I32, F64, F64, F64, Ptr], F64, NOUNWIND),
            Helper::RandomI64 => d("sj_rt_random_i64", &[Ptr, I32, I64, I64, F64, F64, Ptr], I64, NOUNWIND),
            Helper::RandomFillF64 => d("sj_rt_random_fill_f64", &[I32, Ptr, I64, F64, F64, F64], I32, NOUNWIND),
            Helper::RandomFillI64 => d("sj_rt_random_fill_i64", &[I32, Ptr, I64, I64, I64, F64, F64], I32, NOUNWIND),
            Helper::RandomChoice => {
                d("sj_rt_random_choice", &[Ptr, I64, I64, I64, Bool, Ptr, I64, I64, Bool, Ptr, I64, Bool], I32, NOUNWIND)
            }
            Helper::RandomShuffle => d("sj_rt_random_shuffle", &[Ptr, I64, Ptr, Ptr, I64, I32, Bool], I32, NOUNWIND),
            Helper::GenNew => d("sj_rt_gen_new", &[I64, I32, Ptr], Ptr, NOUNWIND),
            Helper::GenF64 => d("sj_rt_gen_f64", &[Ptr, I32, F64, F64, Ptr], F64, NOUNWIND),
            Helper::GenNormalTail => d("sj_rt_gen_normal_tail", &[Ptr, I64, I64, F64], F64, &["nounwind", "cold"]),
            Helper::GenPcg64Next => d("sj_rt_gen_pcg64_next64", &[Ptr], I64, NOUNWIND),
            Helper::GenIntegers => d("sj_rt_gen_integers", &[Ptr, I64, I64, Bool, Ptr], I64, NOUNWIND),
            Helper::GenFillF64 => d("sj_rt_gen_fill_f64", &[Ptr, I32, Ptr, I64, F64, F64], I32, NOUNWIND),
            Helper::GenFillI64 => d("sj_rt_gen_fill_i64", &[Ptr, Ptr, I64, I64, I64, Bool], I32, NOUNWIND),
            Helper::GenChoice => {
                d("sj_rt_gen_choice", &[Ptr, Ptr, I64, I64, I64, Bool, Ptr, I64, I64, Bool, Ptr, I64, Bool, Bool], I32, NOUNWIND)
            }
            Helper::GenShuffle => d("sj_rt_gen_shuffle", &[Ptr, Ptr, I64, Ptr, Ptr, I64, I32, Bool], I32, NOUNWIND),
            Helper::PyRandomSeed => d("sj_rt_pyrandom_seed", &[I64, Bool], Void, NOUNWIND),
            Helper::PyRandomState => d("sj_rt_pyrandom_state", &[], Ptr, &["nounwind", "willreturn", "nosync", "memory"]),
            Helper::PyRandomF64 => d("sj_rt_pyrandom_f64", &[Ptr, I32, F64, F64, Ptr], F64, NOUNWIND),
            Helper::PyRandomI64 => d("sj_rt_pyrandom_i64", &[Ptr, I32, I64, I64, I64, Ptr], I64, NOUNWIND),
            Helper::PyRandomShuffle => d("sj_rt_pyrandom_shuffle", &[Ptr, I64, I64, I64, Bool], I32, NOUNWIND),
            Helper::Lapack => {
                d("sj_rt_lapack", &[I32, I32, I64, I64, Ptr, I64, I64, I64, I64, Bool, Ptr, I64, I64, Ptr, Ptr], I32, NOUNWIND)
            }
            Helper::Raise => d("sj_rt_raise", &[I32, Ptr, I64], Void, &["nounwind", "cold"]),
            Helper::PrintText => d("sj_rt_print_text", &[Ptr, I64], Void, NOUNWIND),
            Helper::PrintInt => d("sj_rt_print_int", &[I64, Bool], Void, NOUNWIND),
            Helper::PrintFloat => d("sj_rt_print_float", &[F64, Bool], Void, NOUNWIND),
            Helper::PrintBool => d("sj_rt_print_bool", &[Bool], Void, NOUNWIND),
            Helper::PrintComplex => d("sj_rt_print_complex", &[F64, F64, Bool], Void, NOUNWIND),
            Helper::PrintArray => d("sj_rt_print_array", &[Ptr, I32, I32], Void, NOUNWIND),
            Helper::PrintFlush => d("sj_rt_print_flush", &[], I32, &[]),
            Helper::LapackFactor => d(
                "sj_rt_lapack_factor",
                &[I32, I32, I64, I64, Ptr, I64, I64, I64, I64, Ptr, I64, I64, F64, Bool, Ptr],
                I32,
                NOUNWIND,
            ),
            Helper::CfuncError => d("sj_rt_cfunc_error", &[I32, Ptr], Void, &["nounwind", "cold"]),
            Helper::CfuncEnter => d("sj_rt_cfunc_enter", &[], I64, NOUNWIND),
            Helper::CfuncLeave => d("sj_rt_cfunc_leave", &[I64], Void, NOUNWIND),
            Helper::Gamma => d("sj_rt_gamma", &[F64], F64, PURE_RUNTIME),
            Helper::Lgamma => d("sj_rt_lgamma", &[F64], F64, PURE_RUNTIME),
            Helper::Gcd => d("sj_rt_gcd", &[I64, I64], I64, PURE_RUNTIME),
            Helper::Isqrt => d("sj_rt_isqrt", &[I64], I64, PURE_RUNTIME),
            Helper::Inhomogeneous => d("sj_rt_inhomogeneous", &[I64], Void, NOUNWIND),
            Helper::PairwiseSum => {
                d("sj_rt_pairwise_sum", &[Ptr, I64, I64], F64, &["nounwind", "willreturn", "nosync", "nofree", ARGMEM_READ])
            }
            Helper::Libm(name, 1) => d(name, &[F64], F64, PURE_LIBM),
            Helper::Libm(name, 2) => d(name, &[F64, F64], F64, PURE_LIBM),
            Helper::Libm(name, arity) => unreachable!("libm {name} of {arity} arguments"),
        }
    }
}

// The Rust side of each runtime helper has the signature its row above says: changing one
// without the other fails here (sj_rt_call_guarded and sj_rt_stack_overflow are C++).
const _: () = {
    let _: extern "C" fn(i64, i64, i64) = crate::runtime::sj_rt_index_error;
    let _: unsafe extern "C" fn(*const i64, i64) = crate::runtime::sj_rt_broadcast_error;
    {
        use crate::random::generator::{self as g, BitGen};
        let _: extern "C" fn(i64, u32, &mut u32) -> *mut u8 = g::sj_rt_gen_new;
        let _: unsafe extern "C" fn(*mut BitGen, u32, f64, f64, &mut u32) -> f64 = g::sj_rt_gen_f64;
        let _: unsafe extern "C" fn(*mut BitGen, i64, i64, bool, &mut u32) -> i64 = g::sj_rt_gen_integers;
        let _: unsafe extern "C" fn(*mut BitGen, i64, i64, f64) -> f64 = g::sj_rt_gen_normal_tail;
        let _: unsafe extern "C" fn(*mut std::ffi::c_void) -> u64 = g::sj_rt_gen_pcg64_next64;
        let _: unsafe extern "C" fn(*mut BitGen, u32, *mut f64, i64, f64, f64) -> u32 = g::sj_rt_gen_fill_f64;
        let _: unsafe extern "C" fn(*mut BitGen, *mut i64, i64, i64, i64, bool) -> u32 = g::sj_rt_gen_fill_i64;
        #[allow(clippy::type_complexity)]
        let _: unsafe extern "C" fn(
            *mut BitGen,
            *const u8,
            i64,
            i64,
            i64,
            bool,
            *const u8,
            i64,
            i64,
            bool,
            *mut u8,
            i64,
            bool,
            bool,
        ) -> u32 = g::sj_rt_gen_choice;
        let _: unsafe extern "C" fn(*mut BitGen, *mut u8, i64, *const i64, *const i64, i64, u32, bool) -> u32 =
            g::sj_rt_gen_shuffle;
    }
    let _: extern "C" fn() -> u64 = crate::runtime::sj_rt_stack_limit;
    let _: unsafe extern "C" fn(u32, *const std::ffi::c_char) = crate::cfunc::sj_rt_cfunc_error;
    let _: extern "C" fn() -> usize = crate::cfunc::sj_rt_cfunc_enter;
    let _: extern "C" fn(usize) = crate::cfunc::sj_rt_cfunc_leave;
    let _: extern "C" fn() -> u32 = crate::interrupt::sj_rt_poll;
    let _: extern "C" fn(i64, bool) -> *mut crate::memory::Header = crate::memory::sj_rt_new_block;
    let _: unsafe extern "C" fn(*mut crate::memory::Header) = crate::memory::sj_rt_release;
    let _: extern "C" fn(i64, i64) -> *mut crate::memory::Header = crate::list::sj_rt_list_new;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, i64, i64) -> bool = crate::list::sj_rt_list_grow;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, i32, bool) = crate::list::sj_rt_list_sort;
    let _: extern "C" fn(i32, i64) = crate::list::sj_rt_list_not_in;
    let _: extern "C" fn(f64, i64, &mut u32) -> f64 = crate::runtime::sj_rt_round_f64;
    let _: extern "C" fn(i64, i64) -> i64 = crate::runtime::sj_rt_round_i64;
    let _: extern "C" fn(i64, i64) -> i64 = crate::runtime::sj_rt_ipow;
    let _: unsafe extern "C" fn(i32, f64, f64, f64, f64, *mut f64) -> u32 = crate::complex::sj_rt_complex;
    {
        use crate::memory::Header;
        let _: unsafe extern "C" fn(i32, *mut Header, *mut Header, *mut Header, i64, i64) -> i64 = crate::string::sj_rt_str;
    }
    let _: unsafe extern "C" fn(i32, f64, f64, f64, f64, *mut f64) -> u32 = crate::cmath::sj_rt_cmath;
    let _: extern "C" fn(i64, i64) -> f64 = crate::runtime::sj_rt_int_truediv;
    let _: extern "C" fn(i64, i64) -> *mut crate::memory::Header = crate::dict::sj_rt_dict_new;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, *const u64) -> *mut u64 = crate::dict::sj_rt_dict_find;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, *const u64, *mut bool) -> *mut u64 = crate::dict::sj_rt_dict_insert;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, *const u64, *mut u64) -> bool = crate::dict::sj_rt_dict_remove;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, *mut crate::memory::Header) -> bool = crate::dict::sj_rt_dict_fill;
    let _: unsafe extern "C" fn(*const u64, *const u8, i64) = crate::dict::sj_rt_dict_key_error;
    let _: unsafe extern "C" fn(*mut crate::memory::Header, *mut u64) -> bool = crate::dict::sj_rt_dict_pop_last;
    let _: unsafe extern "C" fn(*mut u8, *const u8, i64, *const i64, *const i64, i64) = crate::runtime::sj_rt_store_strided;
    let _: unsafe extern "C" fn(*const i64, i64) -> bool = crate::runtime::sj_rt_overlaps;
    let _: extern "C" fn(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> bool = crate::runtime::sj_rt_overlaps_2d;
    let _: extern "C" fn(i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64) -> bool = crate::runtime::sj_rt_meet_2d;
    let _: extern "C" fn(f64) -> f64 = crate::math_rt::sj_rt_gamma;
    let _: extern "C" fn(f64) -> f64 = crate::math_rt::sj_rt_lgamma;
    let _: extern "C" fn(i64, i64) -> i64 = crate::math_rt::sj_rt_gcd;
    let _: extern "C" fn(i64) -> i64 = crate::math_rt::sj_rt_isqrt;
    let _: extern "C" fn(i64) = crate::runtime::sj_rt_inhomogeneous;
    let _: unsafe extern "C" fn(*const u8, i64, i64) -> f64 = crate::runtime::sj_rt_pairwise_sum;
    let _: unsafe extern "C" fn(i32, i64, i64, i64, *const u8, i64, i64, *const u8, i64, i64, *mut u8) -> u32 =
        crate::linalg::sj_rt_matmul;
    let _: extern "C" fn(bool, i64, i64, i64, i64, i64, i64) = crate::linalg::sj_rt_matmul_shapes;
    let _: unsafe extern "C" fn(*const i64, i64) = crate::linalg::sj_rt_matmul_out_error;
    let _: extern "C" fn(i64, bool) -> u32 = crate::random::sj_rt_random_seed;
    let _: extern "C" fn() -> *mut u8 = crate::random::sj_rt_random_state;
    let _: unsafe extern "C" fn(*mut u8) -> f64 = crate::random::sj_rt_random_gauss;
    let _: unsafe extern "C" fn(*mut u8) = crate::random::sj_rt_random_generate;
    let _: unsafe extern "C" fn(*mut u8, u32, f64, f64, f64, &mut u32) -> f64 = crate::random::sj_rt_random_f64;
    let _: unsafe extern "C" fn(*mut u8, u32, i64, i64, f64, f64, &mut u32) -> i64 = crate::random::sj_rt_random_i64;
    let _: unsafe extern "C" fn(u32, *mut f64, i64, f64, f64, f64) -> u32 = crate::random::sj_rt_random_fill_f64;
    let _: unsafe extern "C" fn(u32, *mut i64, i64, i64, i64, f64, f64) -> u32 = crate::random::sj_rt_random_fill_i64;
    #[allow(clippy::type_complexity)]
    let _: unsafe extern "C" fn(*const u8, i64, i64, i64, bool, *const u8, i64, i64, bool, *mut u8, i64, bool) -> u32 =
        crate::random::sj_rt_random_choice;
    let _: unsafe extern "C" fn(*mut u8, i64, *const i64, *const i64, i64, u32, bool) -> u32 =
        crate::random::sj_rt_random_shuffle;
    #[allow(clippy::type_complexity)]
    let _: unsafe extern "C" fn(
        i32,
        i32,
        i64,
        i64,
        *const u8,
        i64,
        i64,
        i64,
        i64,
        bool,
        *const u8,
        i64,
        i64,
        *mut u8,
        *mut u8,
    ) -> u32 = crate::lapack::sj_rt_lapack;
    let _: unsafe extern "C" fn(i32, *const u8, i64) = crate::runtime::sj_rt_raise;
    let _: unsafe extern "C" fn(*const u8, i64) = crate::output::sj_rt_print_text;
    let _: extern "C" fn(i64, bool) = crate::output::sj_rt_print_int;
    let _: extern "C" fn(f64, bool) = crate::output::sj_rt_print_float;
    let _: extern "C" fn(bool) = crate::output::sj_rt_print_bool;
    let _: extern "C" fn(f64, f64, bool) = crate::output::sj_rt_print_complex;
    let _: unsafe extern "C" fn(*const u64, u32, u32) = crate::output::sj_rt_print_array;
    let _: extern "C" fn() -> u32 = crate::output::sj_rt_print_flush;
    #[allow(clippy::type_complexity)]
    let _: unsafe extern "C" fn(
        i32,
        i32,
        i64,
        i64,
        *const u8,
        i64,
        i64,
        i64,
        i64,
        *const u8,
        i64,
        i64,
        f64,
        bool,
        *const *mut u8,
    ) -> u32 = crate::lapack::factor::sj_rt_lapack_factor;
};

/// Every runtime helper (every variant but libm's; the match below fails to compile when one
/// is added and not listed).
const RUNTIME_HELPERS: [Helper; 82] = [
    Helper::IndexError,
    Helper::BroadcastError,
    Helper::StackLimit,
    Helper::StackOverflow,
    Helper::Poll,
    Helper::ParallelChunks,
    Helper::ParallelFor,
    Helper::ThreadId,
    Helper::ExceptionMro,
    Helper::NumThreads,
    Helper::SetNumThreads,
    Helper::CallGuarded,
    Helper::NewBlock,
    Helper::Release,
    Helper::ListNew,
    Helper::ListGrow,
    Helper::ListSort,
    Helper::ListNotIn,
    Helper::DictNew,
    Helper::DictFind,
    Helper::DictInsert,
    Helper::DictRemove,
    Helper::DictFill,
    Helper::DictKeyError,
    Helper::DictPopLast,
    Helper::RoundF64,
    Helper::RoundI64,
    Helper::Ipow,
    Helper::Complex,
    Helper::Str,
    Helper::Cmath,
    Helper::IntTruediv,
    Helper::StoreStrided,
    Helper::Overlaps,
    Helper::Overlaps2d,
    Helper::Meet2d,
    Helper::Matmul,
    Helper::MatmulShapes,
    Helper::MatmulOutError,
    Helper::RandomSeed,
    Helper::RandomState,
    Helper::RandomGauss,
    Helper::RandomGenerate,
    Helper::RandomF64,
    Helper::RandomI64,
    Helper::RandomFillF64,
    Helper::RandomFillI64,
    Helper::RandomChoice,
    Helper::RandomShuffle,
    Helper::GenNew,
    Helper::GenF64,
    Helper::GenNormalTail,
    Helper::GenPcg64Next,
    Helper::GenIntegers,
    Helper::GenFillF64,
    Helper::GenFillI64,
    Helper::GenChoice,
    Helper::GenShuffle,
    Helper::PyRandomSeed,
    Helper::PyRandomState,
    Helper::PyRandomF64,
    Helper::PyRandomI64,
    Helper::PyRandomShuffle,
    Helper::Lapack,
    Helper::Raise,
    Helper::PrintText,
    Helper::PrintInt,
    Helper::PrintFloat,
    Helper::PrintBool,
    Helper::PrintComplex,
    Helper::PrintArray,
    Helper::PrintFlush,
    Helper::LapackFactor,
    Helper::CfuncError,
    Helper::CfuncEnter,
    Helper::CfuncLeave,
    Helper::Gamma,
    Helper::Lgamma,
    Helper::Gcd,
    Helper::Isqrt,
    Helper::Inhomogeneous,
    Helper::PairwiseSum,
];

const _: () = {
    const fn listed(h: Helper) {
        match h {
            Helper::IndexError
            | Helper::BroadcastError
            | Helper::StackLimit
            | Helper::StackOverflow
            | Helper::Poll
            | Helper::ParallelChunks
            | Helper::ParallelFor
            | Helper::ThreadId
            | Helper::ExceptionMro
            | Helper::NumThreads
            | Helper::SetNumThreads
            | Helper::CallGuarded
            | Helper::NewBlock
            | Helper::Release
            | Helper::ListNew
            | Helper::ListGrow
            | Helper::ListSort
            | Helper::ListNotIn
            | Helper::DictNew
            | Helper::DictFind
            | Helper::DictInsert
            | Helper::DictRemove
            | Helper::DictFill
            | Helper::DictKeyError
            | Helper::DictPopLast
            | Helper::RoundF64
            | Helper::RoundI64
            | Helper::Ipow
            | Helper::Complex
            | Helper::Str
            | Helper::Cmath
            | Helper::IntTruediv
            | Helper::StoreStrided
            | Helper::Overlaps
            | Helper::Overlaps2d
            | Helper::Meet2d
            | Helper::Matmul
            | Helper::MatmulShapes
            | Helper::MatmulOutError
            | Helper::RandomSeed
            | Helper::RandomState
            | Helper::RandomGauss
            | Helper::RandomGenerate
            | Helper::RandomF64
            | Helper::RandomI64
            | Helper::RandomFillF64
            | Helper::RandomFillI64
            | Helper::RandomChoice
            | Helper::RandomShuffle
            | Helper::GenNew
            | Helper::GenF64
            | Helper::GenNormalTail
            | Helper::GenPcg64Next
            | Helper::GenIntegers
            | Helper::GenFillF64
            | Helper::GenFillI64
            | Helper::GenChoice
            | Helper::GenShuffle
            | Helper::PyRandomSeed
            | Helper::PyRandomState
            | Helper::PyRandomF64
            | Helper::PyRandomI64
            | Helper::PyRandomShuffle
            | Helper::Lapack
            | Helper::Raise
            | Helper::PrintText
            | Helper::PrintInt
            | Helper::PrintFloat
            | Helper::PrintBool
            | Helper::PrintComplex
            | Helper::PrintArray
            | Helper::PrintFlush
            | Helper::LapackFactor
            | Helper::CfuncError
            | Helper::CfuncEnter
            | Helper::CfuncLeave
            | Helper::Gamma
            | Helper::Lgamma
            | Helper::Gcd
            | Helper::Isqrt
            | Helper::Inhomogeneous
            | Helper::PairwiseSum => {}
            Helper::Libm(..) => unreachable!(),
        }
    }
    let _ = listed;
};

/// The helpers' signatures and the statuses compiled code returns, as text: part of every code
/// key (`jit_core::key_parts`), so that an object compiled against another runtime (a
/// development build, a changed helper or renumbered status) is never loaded.
pub fn runtime_abi() -> String {
    let mut out = String::new();
    for h in RUNTIME_HELPERS {
        let d = h.decl();
        out.push_str(&format!(
            "{}({}) -> {};",
            d.name,
            d.params.iter().map(|t| t.name()).collect::<Vec<_>>().join(","),
            d.ret.name()
        ));
    }
    for s in Status::ALL {
        out.push_str(&format!("{s:?}={};", s.code()));
    }
    out
}

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// The declaration of `h` in the module (added on first use, as the table says).
    pub(super) fn helper(&self, h: Helper) -> FunctionValue<'ctx> {
        let d = h.decl();
        if let Some(f) = self.module.get_function(d.name) {
            return f;
        }
        let ptr = self.ctx.ptr_type(AddressSpace::default());
        let ty = |t: T| -> BasicMetadataTypeEnum<'ctx> {
            match t {
                T::Bool => self.ctx.bool_type().into(),
                T::I32 => self.ctx.i32_type().into(),
                T::I64 => self.ctx.i64_type().into(),
                T::F64 => self.ctx.f64_type().into(),
                T::Ptr => ptr.into(),
                T::Void => unreachable!("void is only a return type"),
            }
        };
        let params: Vec<BasicMetadataTypeEnum> = d.params.iter().map(|&t| ty(t)).collect();
        let fty: FunctionType<'ctx> = match d.ret {
            T::Void => self.ctx.void_type().fn_type(&params, false),
            T::Bool => self.ctx.bool_type().fn_type(&params, false),
            T::I32 => self.ctx.i32_type().fn_type(&params, false),
            T::I64 => self.ctx.i64_type().fn_type(&params, false),
            T::F64 => self.ctx.f64_type().fn_type(&params, false),
            T::Ptr => ptr.fn_type(&params, false),
        };
        let f = self.module.add_function(d.name, fty, Some(Linkage::External));
        for &attr in d.attrs {
            let a = match attr {
                // LLVM's encoding of memory effects: two bits per location, argument memory's
                // first, 1 for "reads".
                ARGMEM_READ => {
                    self.ctx.create_enum_attribute(inkwell::attributes::Attribute::get_named_enum_kind_id("memory"), 1)
                }
                _ => self.fn_attr(attr),
            };
            f.add_attribute(AttributeLoc::Function, a);
        }
        if matches!(h, Helper::NewBlock | Helper::ListNew | Helper::DictNew) {
            // Like malloc: the block is memory nothing else the caller can reach points into,
            // so stores into a new array do not make LLVM reload the arguments' elements.
            f.add_attribute(AttributeLoc::Return, self.fn_attr("noalias"));
        }
        f
    }

    /// The declaration of LLVM's intrinsic `name` (e.g. `llvm.ctlz`) for the overload types
    /// `overloads` (LLVM gives it its name and attributes).
    pub(super) fn llvm_intrinsic(&self, name: &str, overloads: &[BasicTypeEnum<'ctx>]) -> FunctionValue<'ctx> {
        inkwell::intrinsics::Intrinsic::find(name)
            .and_then(|i| i.get_declaration(self.module, overloads))
            .unwrap_or_else(|| panic!("LLVM intrinsic {name}"))
    }
}

#[cfg(test)]
mod tests {
    use super::Helper;

    fn runtime_helpers() -> Vec<Helper> {
        super::RUNTIME_HELPERS.to_vec()
    }

    /// The runtime ABI text in every code key names each helper with its signature and each
    /// status with its code, so that changing either changes every key.
    #[test]
    fn the_runtime_abi_names_every_helper_signature_and_status_code() {
        let abi = super::runtime_abi();
        for h in runtime_helpers() {
            assert!(abi.contains(&format!("{}(", h.decl().name)), "{}", h.decl().name);
        }
        assert!(abi.contains("sj_rt_matmul(I32,I64,I64,I64,Ptr,I64,I64,Ptr,I64,I64,Ptr) -> I32;"));
        for s in crate::runtime::Status::ALL {
            assert!(abi.contains(&format!("{s:?}={};", s.code())));
        }
    }

    #[test]
    fn the_table_declares_exactly_the_symbols_the_engine_resolves() {
        let mut declared: Vec<&str> = runtime_helpers().into_iter().map(|h| h.decl().name).collect();
        let mut resolved: Vec<&str> = crate::runtime::helper_symbols().into_iter().map(|(n, _)| n).collect();
        declared.sort_unstable();
        resolved.sort_unstable();
        assert_eq!(declared, resolved);
        assert_eq!(Helper::Libm("atan2", 2).decl().params.len(), 2);
    }
}
