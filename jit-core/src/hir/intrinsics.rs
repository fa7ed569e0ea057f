//! The intrinsics a call may resolve to (builtins, `math`, NumPy and the runtime's own
//! functions), as the HIR names them.

use super::{NpFn, StrMethod};

/// Builtins and `math` functions the compiler implements itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Intrinsic {
    Abs,
    /// `str(x)` of a number or string (no argument: `''`).
    Str,
    /// `repr(x)`.
    Repr,
    /// `ord(c)`.
    Ord,
    /// `chr(i)`.
    Chr,
    /// A method of a string (its arguments: the string, then the method's).
    StrMethod(StrMethod),
    /// `str(e)` of the exception the innermost `except ... as e` clause caught (the value `e`
    /// is bound to).
    CaughtText,
    /// `x is None` (`negated`: `x is not None`) of its one argument: the flag of an optional
    /// value; of any other type a constant (inference records it as one, so that an `if` on it
    /// types and compiles only the branch taken, as Numba prunes such branches).
    IsNone {
        negated: bool,
    },
    /// `a is b` (`negated`: `is not`) of its two arguments, neither the literal `None`: of two
    /// members of one Enum class or two bools, their values compared (Numba's rule for
    /// immutable values, CPython's answer for these); of operands of different types `False`.
    Is {
        negated: bool,
    },
    /// Records the exception `raise` is about to raise (a class of
    /// `registry::exceptions::RAISABLE`) with its argument, a string, as its message.
    RaiseMessage(u32),
    /// `complex(real=0, imag=0)` of real numbers, or `complex(z)` of a complex one.
    Complex,
    Min,
    Max,
    Int,
    Float,
    Bool,
    Round,
    Len,
    /// `np.ndim(x)`: the number of axes of the array `x`, 0 of a number; known from the type
    /// (inference records an `if` on it as a constant test, `infer::constant`).
    Ndim,
    Math(MathFn),
    /// A function of Python's `cmath` module (`cmath.sqrt(z)`): CPython's answers and errors.
    Cmath(crate::registry::cmath::CmathFn),
    /// A NumPy function on a scalar (`np.sqrt(x)`): NumPy's semantics, NaN instead of errors.
    Np(NpFn),
    /// A function of `np.linalg` (`np.linalg.solve(a, b)`), of arrays.
    Linalg(crate::registry::linalg::LinalgFn),
    /// One draw of an `np.random` function (`np.random.seed(s)` too): the thread's generator
    /// (`crate::random`), its parameters in the order of its registry row.
    Random(crate::registry::random::RandomFn),
    /// A function of Python's `random` module (`random.gauss(mu, sigma)`): the thread's own
    /// generator for it (`crate::random::pyrandom`), its parameters as its registry row binds them.
    PyRandom(crate::registry::pyrandom::PyRandomFn),
    /// `np.random.default_rng(seed)` (no argument: `default_rng()`): a new Generator over a
    /// PCG64 (`crate::random::generator`).
    DefaultRng,
    /// A method of a Generator (`rng.normal(0, 1, size=3)`): its arguments as
    /// `lower::generator` lays them out, the Generator first.
    Generator(crate::registry::generator::GenFn),
    /// `carray(ptr, shape[, dtype])` (`layout` C) and `farray` (F), Numba's: an array of
    /// `shape` viewing the memory a pointer points to (of `dtype`, which a `void*` needs). Its
    /// arguments are the pointer and the shape (an int or a tuple of ints).
    PointerView {
        layout: crate::types::Layout,
        dtype: Option<crate::types::Dtype>,
    },
    /// `range(start, stop, step)` made as a value (its three arguments, the defaults filled in
    /// by lowering): a [`crate::types::Type::Range`]; a zero step raises CPython's ValueError.
    Range,
    /// `r.start` (0), `r.stop` (1) or `r.step` (2) of a range (its one argument).
    RangeField(u8),
    /// `iter(x)`: an iterator ([`crate::types::Type::Iter`]) over `x` (lowering wraps `x` in
    /// `DictMethod::Iter`, so a dict's or set's keys are a list); of an iterator, itself.
    Iter,
    /// `next(it)` or `next(it, default)`: the iterator's next item; exhausted, the default, or
    /// CPython's `StopIteration` without one.
    Next,
    /// `stickyjit.get_thread_id()`, `get_num_threads()`, `set_num_threads(n)` (Numba's): the
    /// thread pool of parallel loops (`crate::threads`).
    Threads(ThreadFn),
    /// A `@vectorize` object's call (its index in [`Function::ufuncs`]): on numbers its kernel
    /// in the loop NumPy picks, on arrays that elementwise over the broadcast arguments.
    Ufunc(u32),
    /// A call of the namedtuple class [`Function::named`]`[k]`: a new namedtuple of the
    /// arguments, bound to its fields in order (`*t` among them as its items).
    NamedTuple(u32),
    /// The frozen array global [`Function::arrays`]`[k]`: a read-only array over the code's
    /// own copy of its elements.
    FrozenArray(u32),
    /// `a.flat` as a value (its argument `a.reshape(-1)`): the elements in C order, indexed
    /// and iterated as a 1-D array; a view of a C-contiguous `a`, else a read-only copy (a
    /// store through it raises rather than being lost).
    Flat,
    /// `type(x)` of a number: its NumPy scalar type (`float` for a float64, `np.float32` for a
    /// float32), a value of `Type::Dtype` that `T(0.5)` calls as a conversion and `dtype=` takes.
    TypeOf,
    /// A call of the C function [`Function::c_functions`]`[k]` by its address.
    CCall(u32),
    /// The value of a store through an index with items after its `...` (`lower/ellipsis.rs`):
    /// a number as it is, an array reversed (`.T`), as the target is.
    EllipsisValue,
    /// `np.asarray(x)`: an array `x` itself (no copy: a view stays a view of its base); a list
    /// of numbers (or of rows of numbers) as `np.array(x)` copies it.
    AsArray,
    /// `f.reduce(a, axis=k)` of the `@vectorize` object `ufuncs[k]` (its argument the array):
    /// the fold of its kernel along `axis` (an int literal, negative from the end; `None`: every
    /// element, in C order); `f.accumulate(a, axis=k)` when `accumulate` (every partial fold).
    UfuncReduce {
        k: u32,
        axis: Option<i64>,
        accumulate: bool,
    },
    /// `np.float32(x)`, `np.int8(x)`, `np.uint64(x)`, ... of a number: `x` converted to the
    /// dtype's scalar as NumPy converts it (a float into an integer as a store into an array of
    /// the dtype converts it, an int wrapped to the dtype's width), typed as an element of it.
    DtypeCast(crate::types::Dtype),
}

/// The thread-pool functions compiled code calls ([`Intrinsic::Threads`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ThreadFn {
    ThreadId,
    NumThreads,
    SetNumThreads,
}

impl ThreadFn {
    pub fn name(self) -> &'static str {
        match self {
            ThreadFn::ThreadId => "get_thread_id",
            ThreadFn::NumThreads => "get_num_threads",
            ThreadFn::SetNumThreads => "set_num_threads",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MathFn {
    Sqrt,
    Exp,
    Log,
    Log2,
    Log10,
    Log1p,
    Expm1,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Hypot,
    Floor,
    Ceil,
    Trunc,
    Fabs,
    Copysign,
    Fmod,
    Pow,
    Isnan,
    Isinf,
    Isfinite,
    /// `math.erf` and `math.erfc`: CPython calls the C library's, as compiled code does (the
    /// same answers; neither raises).
    Erf,
    Erfc,
    /// The C library's inverse hyperbolic functions, `cbrt` and `exp2`, as CPython calls them.
    Acosh,
    Asinh,
    Atanh,
    Cbrt,
    Exp2,
    /// `x * (180 / pi)` and `x * (pi / 180)`, CPython's constants.
    Degrees,
    Radians,
    /// CPython's own gamma and lgamma (a Lanczos approximation: `crate::math_rt`), not the C
    /// library's: the same code gives the same bits.
    Gamma,
    Lgamma,
    /// The C library's IEEE remainder and `nextafter` (exact operations); `ulp` from
    /// `nextafter`, as CPython computes it.
    Remainder,
    Nextafter,
    Ulp,
    /// `ldexp(x, i)` (an int exponent), `frexp(x)` (a `(float, int)` tuple), `modf(x)` (a
    /// `(float, float)` tuple).
    Ldexp,
    Frexp,
    Modf,
    /// Of ints: `gcd(*ints)`, `lcm(*ints)`, `isqrt(n)`.
    Gcd,
    Lcm,
    Isqrt,
}

impl MathFn {
    pub const ALL: [MathFn; 48] = [
        MathFn::Sqrt,
        MathFn::Exp,
        MathFn::Log,
        MathFn::Log2,
        MathFn::Log10,
        MathFn::Log1p,
        MathFn::Expm1,
        MathFn::Sin,
        MathFn::Cos,
        MathFn::Tan,
        MathFn::Asin,
        MathFn::Acos,
        MathFn::Atan,
        MathFn::Atan2,
        MathFn::Sinh,
        MathFn::Cosh,
        MathFn::Tanh,
        MathFn::Hypot,
        MathFn::Floor,
        MathFn::Ceil,
        MathFn::Trunc,
        MathFn::Fabs,
        MathFn::Copysign,
        MathFn::Fmod,
        MathFn::Pow,
        MathFn::Isnan,
        MathFn::Isinf,
        MathFn::Isfinite,
        MathFn::Erf,
        MathFn::Erfc,
        MathFn::Acosh,
        MathFn::Asinh,
        MathFn::Atanh,
        MathFn::Cbrt,
        MathFn::Exp2,
        MathFn::Degrees,
        MathFn::Radians,
        MathFn::Gamma,
        MathFn::Lgamma,
        MathFn::Remainder,
        MathFn::Nextafter,
        MathFn::Ulp,
        MathFn::Ldexp,
        MathFn::Frexp,
        MathFn::Modf,
        MathFn::Gcd,
        MathFn::Lcm,
        MathFn::Isqrt,
    ];

    pub fn name(self) -> &'static str {
        match self {
            MathFn::Sqrt => "sqrt",
            MathFn::Exp => "exp",
            MathFn::Log => "log",
            MathFn::Log2 => "log2",
            MathFn::Log10 => "log10",
            MathFn::Log1p => "log1p",
            MathFn::Expm1 => "expm1",
            MathFn::Sin => "sin",
            MathFn::Cos => "cos",
            MathFn::Tan => "tan",
            MathFn::Asin => "asin",
            MathFn::Acos => "acos",
            MathFn::Atan => "atan",
            MathFn::Atan2 => "atan2",
            MathFn::Sinh => "sinh",
            MathFn::Cosh => "cosh",
            MathFn::Tanh => "tanh",
            MathFn::Hypot => "hypot",
            MathFn::Floor => "floor",
            MathFn::Ceil => "ceil",
            MathFn::Trunc => "trunc",
            MathFn::Fabs => "fabs",
            MathFn::Copysign => "copysign",
            MathFn::Fmod => "fmod",
            MathFn::Pow => "pow",
            MathFn::Isnan => "isnan",
            MathFn::Isinf => "isinf",
            MathFn::Isfinite => "isfinite",
            MathFn::Erf => "erf",
            MathFn::Erfc => "erfc",
            MathFn::Acosh => "acosh",
            MathFn::Asinh => "asinh",
            MathFn::Atanh => "atanh",
            MathFn::Cbrt => "cbrt",
            MathFn::Exp2 => "exp2",
            MathFn::Degrees => "degrees",
            MathFn::Radians => "radians",
            MathFn::Gamma => "gamma",
            MathFn::Lgamma => "lgamma",
            MathFn::Remainder => "remainder",
            MathFn::Nextafter => "nextafter",
            MathFn::Ulp => "ulp",
            MathFn::Ldexp => "ldexp",
            MathFn::Frexp => "frexp",
            MathFn::Modf => "modf",
            MathFn::Gcd => "gcd",
            MathFn::Lcm => "lcm",
            MathFn::Isqrt => "isqrt",
        }
    }

    /// Whether the function takes only integers (`gcd`, `lcm`, `isqrt`).
    pub fn of_ints(self) -> bool {
        matches!(self, MathFn::Gcd | MathFn::Lcm | MathFn::Isqrt)
    }

    pub fn from_name(name: &str) -> Option<MathFn> {
        MathFn::ALL.into_iter().find(|f| f.name() == name)
    }

    /// How many arguments the function takes (`log` also takes a base: 1 or 2).
    pub fn arity(self) -> std::ops::RangeInclusive<usize> {
        match self {
            MathFn::Atan2
            | MathFn::Copysign
            | MathFn::Fmod
            | MathFn::Pow
            | MathFn::Remainder
            | MathFn::Nextafter
            | MathFn::Ldexp => 2..=2,
            MathFn::Hypot | MathFn::Gcd | MathFn::Lcm => 0..=16,
            MathFn::Log => 1..=2,
            _ => 1..=1,
        }
    }
}

/// The value of a `math` constant.
pub fn math_constant(name: &str) -> Option<f64> {
    Some(match name {
        "pi" => std::f64::consts::PI,
        "e" => std::f64::consts::E,
        "tau" => std::f64::consts::TAU,
        "inf" => f64::INFINITY,
        "nan" => f64::NAN,
        _ => return None,
    })
}
