//! The registry: every name the compiler gives a meaning to (builtins, NumPy functions, array
//! attributes and methods, dtypes) and every run-time status with its Python exception and
//! message, one row each. Lower, infer, codegen and jit-py read these tables; the Python side
//! gets the names it needs from them through `_native.registry()`.
//!
//! Adding a NumPy function is one row in [`NUMPY_FUNCTIONS`] (with a variant of the enum it
//! names), its typing rule in `infer` and its codegen: the compiler points at the match arms
//! that are missing. Adding a dtype is one [`Dtype`] variant and one row in [`DTYPES`].

pub mod cmath;
pub mod exceptions;
pub mod generator;
pub mod linalg;
pub mod pyrandom;
pub mod random;
mod status;

pub use status::{status_code, status_place, status_word, PyExceptionKind, Status, CODE_BITS, UNKNOWN_STATUS_MESSAGE};

use crate::ast::{BinOp, CmpOp, UnaryOp};
use crate::hir::Intrinsic;
use crate::types::Type;

// ---------------------------------------------------------------------------------------------
// builtins

/// What a builtin name compiles to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Builtin {
    Intrinsic(Intrinsic),
    /// `range`: only as the iterable of a `for` loop.
    Range,
    /// `sum(a)` of an array: the sum over its first axis (`np.sum(a, axis=0)`), as Python's
    /// `sum` adds up the array's items.
    Sum,
    /// `print(...)`: only as a statement (`hir::StmtKind::Print`).
    Print,
    /// `enumerate`, `zip`, `reversed`: only as the iterable of a `for` loop.
    Iterate(IterBuiltin),
    /// `sorted(l)`: a new sorted list.
    Sorted,
    /// `list(it)`: a new list of the items of `it` (lowered as `[x for x in it]`).
    List,
    /// `dict()`: a new empty dict.
    Dict,
    /// `set()`: a new empty set.
    Set,
    /// `pow(a, b)`: `a ** b`.
    Pow,
}

/// The builtins that wrap iterables (`for i, x in enumerate(zip(a, reversed(b)))`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterBuiltin {
    Enumerate,
    Zip,
    Reversed,
}

impl IterBuiltin {
    pub fn name(self) -> &'static str {
        match self {
            IterBuiltin::Enumerate => "enumerate",
            IterBuiltin::Zip => "zip",
            IterBuiltin::Reversed => "reversed",
        }
    }
}

/// How many positional arguments a function takes, and how a message says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arity {
    pub min: usize,
    pub max: usize,
    pub text: &'static str,
}

impl Arity {
    const fn new(min: usize, max: usize, text: &'static str) -> Arity {
        Arity { min, max, text }
    }

    pub fn accepts(&self, n: usize) -> bool {
        (self.min..=self.max).contains(&n)
    }
}

pub struct BuiltinRow {
    pub name: &'static str,
    pub builtin: Builtin,
    pub arity: Arity,
    /// The dtype the builtin type names in `dtype=` (`float` → float64).
    pub dtype: Option<Dtype>,
}

const fn builtin_row(name: &'static str, builtin: Builtin, arity: Arity, dtype: Option<Dtype>) -> BuiltinRow {
    BuiltinRow { name, builtin, arity, dtype }
}

/// The builtins compiled code may call, in the order messages list them.
pub static BUILTINS: [BuiltinRow; 26] = [
    builtin_row("abs", Builtin::Intrinsic(Intrinsic::Abs), Arity::new(1, 1, "1 argument"), None),
    builtin_row("min", Builtin::Intrinsic(Intrinsic::Min), Arity::new(1, usize::MAX, "1 or more arguments"), None),
    builtin_row("max", Builtin::Intrinsic(Intrinsic::Max), Arity::new(1, usize::MAX, "1 or more arguments"), None),
    builtin_row("int", Builtin::Intrinsic(Intrinsic::Int), Arity::new(0, 1, "0 or 1 argument"), Some(Dtype::Int64)),
    builtin_row("float", Builtin::Intrinsic(Intrinsic::Float), Arity::new(0, 1, "0 or 1 argument"), Some(Dtype::Float64)),
    builtin_row("bool", Builtin::Intrinsic(Intrinsic::Bool), Arity::new(0, 1, "0 or 1 argument"), Some(Dtype::Bool)),
    builtin_row("round", Builtin::Intrinsic(Intrinsic::Round), Arity::new(1, 2, "1 or 2 arguments"), None),
    builtin_row("range", Builtin::Range, Arity::new(1, 3, "1 to 3 arguments"), None),
    builtin_row("len", Builtin::Intrinsic(Intrinsic::Len), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("sum", Builtin::Sum, Arity::new(1, 1, "one array"), None),
    builtin_row("print", Builtin::Print, Arity::new(0, usize::MAX, "any number of arguments"), None),
    builtin_row("complex", Builtin::Intrinsic(Intrinsic::Complex), Arity::new(0, 2, "0 to 2 arguments"), Some(Dtype::Complex128)),
    builtin_row("enumerate", Builtin::Iterate(IterBuiltin::Enumerate), Arity::new(1, 2, "1 or 2 arguments"), None),
    builtin_row("zip", Builtin::Iterate(IterBuiltin::Zip), Arity::new(1, usize::MAX, "1 or more arguments"), None),
    builtin_row("reversed", Builtin::Iterate(IterBuiltin::Reversed), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("sorted", Builtin::Sorted, Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("list", Builtin::List, Arity::new(0, 1, "0 or 1 argument"), None),
    builtin_row("dict", Builtin::Dict, Arity::new(0, 0, "no arguments"), None),
    builtin_row("set", Builtin::Set, Arity::new(0, 0, "no arguments"), None),
    builtin_row("str", Builtin::Intrinsic(Intrinsic::Str), Arity::new(0, 1, "0 or 1 argument"), None),
    builtin_row("repr", Builtin::Intrinsic(Intrinsic::Repr), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("ord", Builtin::Intrinsic(Intrinsic::Ord), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("chr", Builtin::Intrinsic(Intrinsic::Chr), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("iter", Builtin::Intrinsic(Intrinsic::Iter), Arity::new(1, 1, "exactly one argument"), None),
    builtin_row("next", Builtin::Intrinsic(Intrinsic::Next), Arity::new(1, 2, "1 or 2 arguments"), None),
    builtin_row("pow", Builtin::Pow, Arity::new(2, 2, "2 arguments (the 3-argument modular form is not compiled)"), None),
];

/// The builtin called `name`, if it is compiled.
pub fn builtin(name: &str) -> Option<&'static BuiltinRow> {
    BUILTINS.iter().find(|r| r.name == name)
}

/// The row of the builtin that compiles to `f` (`None` for `math` and NumPy functions).
pub fn builtin_of(f: Intrinsic) -> Option<&'static BuiltinRow> {
    BUILTINS.iter().find(|r| r.builtin == Builtin::Intrinsic(f))
}

pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|r| r.name)
}

/// stickyjit's own functions compiled code calls, by the name their `__stickyjit_builtin__`
/// attribute gives (`stickyjit.carray`, `stickyjit.farray`: Numba's views of a `@cfunc`'s
/// pointers; `prange` is `range`, lowered apart: `lower::callees`).
pub fn stickyjit_function(name: &str) -> Option<Intrinsic> {
    use crate::types::Layout;
    match name {
        "carray" => Some(Intrinsic::PointerView { layout: Layout::C, dtype: None }),
        "farray" => Some(Intrinsic::PointerView { layout: Layout::F, dtype: None }),
        "get_thread_id" => Some(Intrinsic::Threads(crate::hir::ThreadFn::ThreadId)),
        "get_num_threads" => Some(Intrinsic::Threads(crate::hir::ThreadFn::NumThreads)),
        "set_num_threads" => Some(Intrinsic::Threads(crate::hir::ThreadFn::SetNumThreads)),
        _ => None,
    }
}

impl Intrinsic {
    /// How the typed IR names it: `abs`, `np.sqrt`, `math.floor`.
    pub fn qualified_name(self) -> String {
        match self {
            Intrinsic::Np(f) => format!("np.{}", f.name()),
            Intrinsic::DtypeCast(d) => format!("np.{}", d.row().numpy_attr),
            Intrinsic::Math(m) => format!("math.{}", m.name()),
            Intrinsic::Cmath(f) => format!("cmath.{}", f.name()),
            Intrinsic::Random(f) => format!("np.random.{}", f.name()),
            Intrinsic::PyRandom(f) => format!("random.{}", f.name()),
            Intrinsic::DefaultRng => "np.random.default_rng".to_string(),
            Intrinsic::Generator(f) => format!("Generator.{}", f.name()),
            Intrinsic::PointerView { layout: crate::types::Layout::F, .. } => "farray".to_string(),
            Intrinsic::PointerView { .. } => "carray".to_string(),
            Intrinsic::AsArray => "np.asarray".to_string(),
            Intrinsic::EllipsisValue => "a value stored through a[..., i]".to_string(),
            Intrinsic::IsNone { negated: false } => "is None".to_string(),
            Intrinsic::IsNone { negated: true } => "is not None".to_string(),
            Intrinsic::Is { negated: false } => "is".to_string(),
            Intrinsic::Is { negated: true } => "is not".to_string(),
            Intrinsic::Threads(t) => t.name().to_string(),
            Intrinsic::Range => "range".to_string(),
            Intrinsic::RangeField(k) => format!("range.{}", ["start", "stop", "step"][k as usize]),
            Intrinsic::Ufunc(_) => "a @vectorize ufunc".to_string(),
            Intrinsic::UfuncReduce { accumulate: false, .. } => "a @vectorize ufunc's reduce".to_string(),
            Intrinsic::UfuncReduce { accumulate: true, .. } => "a @vectorize ufunc's accumulate".to_string(),
            Intrinsic::StrMethod(m) => format!("str.{}", m.name()),
            Intrinsic::CaughtText => "str(caught exception)".to_string(),
            Intrinsic::RaiseMessage(k) => format!("raise#{k}"),
            Intrinsic::Ndim => "np.ndim".to_string(),
            Intrinsic::Linalg(f) => format!("np.linalg.{}", f.name()),
            Intrinsic::NamedTuple(k) => format!("namedtuple#{k}"),
            Intrinsic::FrozenArray(k) => format!("frozen_array#{k}"),
            Intrinsic::Flat => "a.flat".to_string(),
            Intrinsic::TypeOf => "type".to_string(),
            Intrinsic::CCall(k) => format!("cfunction#{k}"),
            builtin => builtin_of(builtin).expect("every builtin intrinsic has a registry row").name.to_string(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// NumPy functions, array attributes and methods

/// Reductions over a whole array or along one axis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Reduction {
    Sum,
    Min,
    Max,
    Mean,
    Prod,
    Any,
    All,
    Argmin,
    Argmax,
    Var,
    Std,
}

/// NumPy's element functions (ufuncs and `np.where`), compiled on numbers and on arrays
/// (elementwise, with broadcasting).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NpFn {
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Abs,
    Floor,
    Ceil,
    Tanh,
    Sinh,
    Cosh,
    Arcsin,
    Arccos,
    Arctan,
    Log2,
    Log10,
    Log1p,
    Expm1,
    Square,
    Arctan2,
    Hypot,
    Minimum,
    Maximum,
    Fmin,
    Fmax,
    LogicalAnd,
    LogicalOr,
    LogicalXor,
    LogicalNot,
    Isnan,
    Isinf,
    Isfinite,
    Where,
    Exp2,
    Cbrt,
    Arcsinh,
    Arccosh,
    Arctanh,
    Rint,
    Fabs,
    Deg2rad,
    Rad2deg,
    Trunc,
    Sign,
    Signbit,
    Fmod,
    FloatPower,
    Round,
    Reciprocal,
    /// `np.conj`/`np.conjugate`, `z.conjugate()`: the complex conjugate (a real number itself).
    Conj,
    /// `np.angle(z)`: `arctan2(z.imag, z.real)`.
    Angle,
    /// `np.real(x)`, `np.imag(x)`: lowered to `x.real`, `x.imag` (a view of a complex array).
    Real,
    Imag,
}

/// The NumPy ufuncs that are Python's operators (`np.add(a, b)` is `a + b`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OperatorFn {
    Binary(crate::ast::BinOp),
    Compare(crate::ast::CmpOp),
    Unary(crate::ast::UnaryOp),
}

/// The attributes of an array compiled code reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Attr {
    Shape,
    Ndim,
    Size,
    /// The real part: of a number (a real number is its own), or of a complex array (a view
    /// of its real parts).
    Real,
    /// The imaginary part (0 of a real number).
    Imag,
}

/// What a NumPy function name compiles to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumpyFn {
    /// Makes a new array.
    New(NewFn),
    /// Reduces a whole array.
    Reduce(Reduction),
    /// Applies to one number (NumPy's semantics: NaN instead of errors).
    Scalar(NpFn),
    /// Takes an array and gives it reshaped, transposed or copied.
    Array(ArrayFn),
    /// A Python operator (`np.add` is `+`).
    Operator(OperatorFn),
    /// An iterator, compiled only as the iterable of a `for` loop.
    Iter(IterFn),
    /// `np.ndim(x)`: the number of axes of an array, 0 of a number; a constant of the
    /// argument's type, which prunes an `if` on it (`hir::Intrinsic::Ndim`).
    Ndim,
}

/// `np.ndindex(shape)` (each index tuple of the shape, in C order) and `np.ndenumerate(a)`
/// (each index tuple with its element).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IterFn {
    Ndindex,
    Ndenumerate,
}

/// The NumPy functions that take an array and give it another shape or a copy of it (their
/// array-method forms are in [`ARRAY_METHODS`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayFn {
    Reshape,
    Ravel,
    Transpose,
    Copy,
    ExpandDims,
    /// `np.asarray(x)` (`hir::Intrinsic::AsArray`).
    AsArray,
}

/// The NumPy functions that make a new array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewFn {
    Zeros,
    Ones,
    Empty,
    Full,
    ZerosLike,
    OnesLike,
    EmptyLike,
    FullLike,
    Arange,
    /// `np.array([...])` of (nested) list or tuple literals of numbers, or `np.array(a)` of an
    /// array (a copy).
    Array,
}

pub struct NumpyRow {
    /// The function's attribute name on the `numpy` module.
    pub name: &'static str,
    /// Which function it is (what lowering and inference match on).
    pub function: NumpyFn,
    pub arity: Arity,
    /// Another name of a function listed under its first name (`absolute` for `abs`): left out
    /// of the list messages give.
    pub alias: bool,
}

const fn np_row(name: &'static str, f: NumpyFn, arity: Arity) -> NumpyRow {
    NumpyRow { name, function: f, arity, alias: false }
}

const SHAPE_DTYPE: Arity = Arity::new(1, 2, "one argument and an optional dtype");
const FILL_DTYPE: Arity = Arity::new(2, 3, "two arguments and an optional dtype");
const REDUCE: Arity = Arity::new(1, 1, "one array");
const SCALAR: Arity = Arity::new(1, 1, "exactly one argument");
const BINARY: Arity = Arity::new(2, 2, "exactly two arguments");
const WHERE: Arity = Arity::new(3, 3, "one argument (as np.nonzero) or three arguments");

/// The NumPy functions compiled code may call. The order matters where two names are one
/// function object (`np.absolute is np.abs`): the Python side names the object by the first.
pub static NUMPY_FUNCTIONS: [NumpyRow; 116] = [
    np_row("sum", NumpyFn::Reduce(Reduction::Sum), REDUCE),
    np_row("ndindex", NumpyFn::Iter(IterFn::Ndindex), Arity::new(0, 32, "a shape (a tuple or ints)")),
    np_row("ndenumerate", NumpyFn::Iter(IterFn::Ndenumerate), Arity::new(1, 1, "one array")),
    np_row("min", NumpyFn::Reduce(Reduction::Min), REDUCE),
    np_row("max", NumpyFn::Reduce(Reduction::Max), REDUCE),
    np_row("mean", NumpyFn::Reduce(Reduction::Mean), REDUCE),
    np_row("amin", NumpyFn::Reduce(Reduction::Min), REDUCE),
    np_row("amax", NumpyFn::Reduce(Reduction::Max), REDUCE),
    np_row("prod", NumpyFn::Reduce(Reduction::Prod), REDUCE),
    np_row("any", NumpyFn::Reduce(Reduction::Any), REDUCE),
    np_row("all", NumpyFn::Reduce(Reduction::All), REDUCE),
    np_row("argmin", NumpyFn::Reduce(Reduction::Argmin), REDUCE),
    np_row("argmax", NumpyFn::Reduce(Reduction::Argmax), REDUCE),
    np_row("var", NumpyFn::Reduce(Reduction::Var), REDUCE),
    np_row("std", NumpyFn::Reduce(Reduction::Std), REDUCE),
    np_row("sqrt", NumpyFn::Scalar(NpFn::Sqrt), SCALAR),
    np_row("exp", NumpyFn::Scalar(NpFn::Exp), SCALAR),
    np_row("log", NumpyFn::Scalar(NpFn::Log), SCALAR),
    np_row("sin", NumpyFn::Scalar(NpFn::Sin), SCALAR),
    np_row("cos", NumpyFn::Scalar(NpFn::Cos), SCALAR),
    np_row("tan", NumpyFn::Scalar(NpFn::Tan), SCALAR),
    np_row("abs", NumpyFn::Scalar(NpFn::Abs), SCALAR),
    NumpyRow { alias: true, ..np_row("absolute", NumpyFn::Scalar(NpFn::Abs), SCALAR) },
    np_row("floor", NumpyFn::Scalar(NpFn::Floor), SCALAR),
    np_row("ceil", NumpyFn::Scalar(NpFn::Ceil), SCALAR),
    np_row("tanh", NumpyFn::Scalar(NpFn::Tanh), SCALAR),
    np_row("sinh", NumpyFn::Scalar(NpFn::Sinh), SCALAR),
    np_row("cosh", NumpyFn::Scalar(NpFn::Cosh), SCALAR),
    np_row("arcsin", NumpyFn::Scalar(NpFn::Arcsin), SCALAR),
    np_row("arccos", NumpyFn::Scalar(NpFn::Arccos), SCALAR),
    np_row("arctan", NumpyFn::Scalar(NpFn::Arctan), SCALAR),
    np_row("log2", NumpyFn::Scalar(NpFn::Log2), SCALAR),
    np_row("log10", NumpyFn::Scalar(NpFn::Log10), SCALAR),
    np_row("log1p", NumpyFn::Scalar(NpFn::Log1p), SCALAR),
    np_row("expm1", NumpyFn::Scalar(NpFn::Expm1), SCALAR),
    np_row("square", NumpyFn::Scalar(NpFn::Square), SCALAR),
    np_row("arctan2", NumpyFn::Scalar(NpFn::Arctan2), BINARY),
    np_row("hypot", NumpyFn::Scalar(NpFn::Hypot), BINARY),
    np_row("minimum", NumpyFn::Scalar(NpFn::Minimum), BINARY),
    np_row("maximum", NumpyFn::Scalar(NpFn::Maximum), BINARY),
    np_row("fmin", NumpyFn::Scalar(NpFn::Fmin), BINARY),
    np_row("fmax", NumpyFn::Scalar(NpFn::Fmax), BINARY),
    np_row("logical_and", NumpyFn::Scalar(NpFn::LogicalAnd), BINARY),
    np_row("logical_or", NumpyFn::Scalar(NpFn::LogicalOr), BINARY),
    np_row("logical_xor", NumpyFn::Scalar(NpFn::LogicalXor), BINARY),
    np_row("logical_not", NumpyFn::Scalar(NpFn::LogicalNot), SCALAR),
    np_row("isnan", NumpyFn::Scalar(NpFn::Isnan), SCALAR),
    np_row("isinf", NumpyFn::Scalar(NpFn::Isinf), SCALAR),
    np_row("isfinite", NumpyFn::Scalar(NpFn::Isfinite), SCALAR),
    np_row("where", NumpyFn::Scalar(NpFn::Where), WHERE),
    np_row("zeros", NumpyFn::New(NewFn::Zeros), SHAPE_DTYPE),
    np_row("ones", NumpyFn::New(NewFn::Ones), SHAPE_DTYPE),
    np_row("empty", NumpyFn::New(NewFn::Empty), SHAPE_DTYPE),
    np_row("full", NumpyFn::New(NewFn::Full), FILL_DTYPE),
    np_row("zeros_like", NumpyFn::New(NewFn::ZerosLike), SHAPE_DTYPE),
    np_row("ones_like", NumpyFn::New(NewFn::OnesLike), SHAPE_DTYPE),
    np_row("empty_like", NumpyFn::New(NewFn::EmptyLike), SHAPE_DTYPE),
    np_row("full_like", NumpyFn::New(NewFn::FullLike), FILL_DTYPE),
    np_row("arange", NumpyFn::New(NewFn::Arange), Arity::new(1, 4, "one to three arguments and an optional dtype")),
    np_row("array", NumpyFn::New(NewFn::Array), Arity::new(1, 2, "a list of numbers (or an array) and an optional dtype")),
    np_row("reshape", NumpyFn::Array(ArrayFn::Reshape), Arity::new(2, 2, "an array and a shape")),
    np_row("ravel", NumpyFn::Array(ArrayFn::Ravel), Arity::new(1, 1, "one array")),
    np_row("transpose", NumpyFn::Array(ArrayFn::Transpose), Arity::new(1, 2, "an array and optional axes")),
    np_row("copy", NumpyFn::Array(ArrayFn::Copy), Arity::new(1, 1, "one array")),
    np_row("expand_dims", NumpyFn::Array(ArrayFn::ExpandDims), Arity::new(2, 2, "an array and an axis")),
    np_row("asarray", NumpyFn::Array(ArrayFn::AsArray), Arity::new(1, 1, "an array, or a list of numbers")),
    np_row("ndim", NumpyFn::Ndim, Arity::new(1, 1, "an array or a number")),
    np_row("exp2", NumpyFn::Scalar(NpFn::Exp2), SCALAR),
    np_row("cbrt", NumpyFn::Scalar(NpFn::Cbrt), SCALAR),
    np_row("arcsinh", NumpyFn::Scalar(NpFn::Arcsinh), SCALAR),
    np_row("arccosh", NumpyFn::Scalar(NpFn::Arccosh), SCALAR),
    np_row("arctanh", NumpyFn::Scalar(NpFn::Arctanh), SCALAR),
    np_row("rint", NumpyFn::Scalar(NpFn::Rint), SCALAR),
    np_row("fabs", NumpyFn::Scalar(NpFn::Fabs), SCALAR),
    np_row("deg2rad", NumpyFn::Scalar(NpFn::Deg2rad), SCALAR),
    np_row("rad2deg", NumpyFn::Scalar(NpFn::Rad2deg), SCALAR),
    np_row("trunc", NumpyFn::Scalar(NpFn::Trunc), SCALAR),
    np_row("sign", NumpyFn::Scalar(NpFn::Sign), SCALAR),
    np_row("signbit", NumpyFn::Scalar(NpFn::Signbit), SCALAR),
    np_row("fmod", NumpyFn::Scalar(NpFn::Fmod), BINARY),
    np_row("float_power", NumpyFn::Scalar(NpFn::FloatPower), BINARY),
    np_row("round", NumpyFn::Scalar(NpFn::Round), Arity::new(1, 2, "a number or an array and optional decimals")),
    NumpyRow {
        alias: true,
        ..np_row("around", NumpyFn::Scalar(NpFn::Round), Arity::new(1, 2, "a number or an array and optional decimals"))
    },
    np_row("reciprocal", NumpyFn::Scalar(NpFn::Reciprocal), SCALAR),
    NumpyRow { alias: true, ..np_row("radians", NumpyFn::Scalar(NpFn::Deg2rad), SCALAR) },
    NumpyRow { alias: true, ..np_row("degrees", NumpyFn::Scalar(NpFn::Rad2deg), SCALAR) },
    np_row("add", NumpyFn::Operator(OperatorFn::Binary(BinOp::Add)), BINARY),
    np_row("subtract", NumpyFn::Operator(OperatorFn::Binary(BinOp::Sub)), BINARY),
    np_row("multiply", NumpyFn::Operator(OperatorFn::Binary(BinOp::Mul)), BINARY),
    np_row("divide", NumpyFn::Operator(OperatorFn::Binary(BinOp::Div)), BINARY),
    np_row("floor_divide", NumpyFn::Operator(OperatorFn::Binary(BinOp::FloorDiv)), BINARY),
    np_row("remainder", NumpyFn::Operator(OperatorFn::Binary(BinOp::Mod)), BINARY),
    np_row("power", NumpyFn::Operator(OperatorFn::Binary(BinOp::Pow)), BINARY),
    np_row("bitwise_and", NumpyFn::Operator(OperatorFn::Binary(BinOp::BitAnd)), BINARY),
    np_row("bitwise_or", NumpyFn::Operator(OperatorFn::Binary(BinOp::BitOr)), BINARY),
    np_row("bitwise_xor", NumpyFn::Operator(OperatorFn::Binary(BinOp::BitXor)), BINARY),
    np_row("left_shift", NumpyFn::Operator(OperatorFn::Binary(BinOp::LShift)), BINARY),
    np_row("right_shift", NumpyFn::Operator(OperatorFn::Binary(BinOp::RShift)), BINARY),
    np_row("negative", NumpyFn::Operator(OperatorFn::Unary(UnaryOp::Neg)), SCALAR),
    np_row("positive", NumpyFn::Operator(OperatorFn::Unary(UnaryOp::Pos)), SCALAR),
    np_row("invert", NumpyFn::Operator(OperatorFn::Unary(UnaryOp::Invert)), SCALAR),
    np_row("greater", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Gt)), BINARY),
    np_row("greater_equal", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Ge)), BINARY),
    np_row("less", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Lt)), BINARY),
    np_row("less_equal", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Le)), BINARY),
    np_row("equal", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Eq)), BINARY),
    np_row("not_equal", NumpyFn::Operator(OperatorFn::Compare(CmpOp::Ne)), BINARY),
    np_row("matmul", NumpyFn::Operator(OperatorFn::Binary(BinOp::MatMul)), BINARY),
    np_row("dot", NumpyFn::Operator(OperatorFn::Binary(BinOp::Dot)), BINARY),
    NumpyRow { alias: true, ..np_row("true_divide", NumpyFn::Operator(OperatorFn::Binary(BinOp::Div)), BINARY) },
    NumpyRow { alias: true, ..np_row("mod", NumpyFn::Operator(OperatorFn::Binary(BinOp::Mod)), BINARY) },
    np_row("conj", NumpyFn::Scalar(NpFn::Conj), SCALAR),
    NumpyRow { alias: true, ..np_row("conjugate", NumpyFn::Scalar(NpFn::Conj), SCALAR) },
    np_row("angle", NumpyFn::Scalar(NpFn::Angle), SCALAR),
    np_row("real", NumpyFn::Scalar(NpFn::Real), SCALAR),
    np_row("imag", NumpyFn::Scalar(NpFn::Imag), SCALAR),
];

/// The NumPy function called `name`, if it is compiled.
pub fn numpy_function(name: &str) -> Option<&'static NumpyRow> {
    NUMPY_FUNCTIONS.iter().find(|r| r.name == name)
}

/// The first row for `f`: its canonical name and arity.
fn numpy_row_of(f: NumpyFn) -> &'static NumpyRow {
    NUMPY_FUNCTIONS.iter().find(|r| r.function == f).expect("every NumPy function has a registry row")
}

/// `"zeros, ones, ...; sum, ... on arrays; sqrt, ... on numbers"`: what messages say is compiled.
pub fn numpy_functions_text() -> String {
    let group = |want: fn(NumpyFn) -> bool| {
        NUMPY_FUNCTIONS.iter().filter(|r| !r.alias && want(r.function)).map(|r| r.name).collect::<Vec<_>>().join(", ")
    };
    format!(
        "{}; {} on arrays; {} on numbers and arrays; {}; {} (the operators); {} (in for loops)",
        group(|f| matches!(f, NumpyFn::New(_))),
        group(|f| matches!(f, NumpyFn::Reduce(_))),
        group(|f| matches!(f, NumpyFn::Scalar(_))),
        group(|f| matches!(f, NumpyFn::Array(_) | NumpyFn::Ndim)),
        group(|f| matches!(f, NumpyFn::Operator(_))),
        group(|f| matches!(f, NumpyFn::Iter(_))),
    )
}

impl NewFn {
    pub fn name(self) -> &'static str {
        numpy_row_of(NumpyFn::New(self)).name
    }

    pub fn arity(self) -> Arity {
        numpy_row_of(NumpyFn::New(self)).arity
    }
}

impl NpFn {
    pub fn name(self) -> &'static str {
        numpy_row_of(NumpyFn::Scalar(self)).name
    }

    pub fn arity(self) -> Arity {
        numpy_row_of(NumpyFn::Scalar(self)).arity
    }
}

impl ArrayFn {
    pub fn name(self) -> &'static str {
        numpy_row_of(NumpyFn::Array(self)).name
    }

    pub fn arity(self) -> Arity {
        numpy_row_of(NumpyFn::Array(self)).arity
    }
}

impl Reduction {
    /// The NumPy name (also the array method's name).
    pub fn name(self) -> &'static str {
        numpy_row_of(NumpyFn::Reduce(self)).name
    }

    pub fn arity(self) -> Arity {
        numpy_row_of(NumpyFn::Reduce(self)).arity
    }
}

/// What a method called on an array compiles to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArrayMethod {
    Reduce(Reduction),
    /// `a.copy()`, `a.reshape(...)`, `a.ravel()`, `a.transpose(...)`: as the NumPy function.
    Array(ArrayFn),
    /// `a.flatten()`: a 1-D copy.
    Flatten,
    /// `a.astype(dtype)`: a copy of another dtype.
    Astype,
    /// `a.dot(b)`: `np.dot(a, b)`.
    Dot,
    /// `z.conjugate()`, `a.conj()`: `np.conj(z)`.
    Conj,
}

/// The array methods compiled code may call.
pub static ARRAY_METHODS: [(&str, ArrayMethod); 20] = [
    ("sum", ArrayMethod::Reduce(Reduction::Sum)),
    ("min", ArrayMethod::Reduce(Reduction::Min)),
    ("max", ArrayMethod::Reduce(Reduction::Max)),
    ("mean", ArrayMethod::Reduce(Reduction::Mean)),
    ("prod", ArrayMethod::Reduce(Reduction::Prod)),
    ("any", ArrayMethod::Reduce(Reduction::Any)),
    ("all", ArrayMethod::Reduce(Reduction::All)),
    ("argmin", ArrayMethod::Reduce(Reduction::Argmin)),
    ("argmax", ArrayMethod::Reduce(Reduction::Argmax)),
    ("var", ArrayMethod::Reduce(Reduction::Var)),
    ("std", ArrayMethod::Reduce(Reduction::Std)),
    ("copy", ArrayMethod::Array(ArrayFn::Copy)),
    ("reshape", ArrayMethod::Array(ArrayFn::Reshape)),
    ("ravel", ArrayMethod::Array(ArrayFn::Ravel)),
    ("transpose", ArrayMethod::Array(ArrayFn::Transpose)),
    ("flatten", ArrayMethod::Flatten),
    ("astype", ArrayMethod::Astype),
    ("dot", ArrayMethod::Dot),
    ("conjugate", ArrayMethod::Conj),
    ("conj", ArrayMethod::Conj),
];

pub fn array_method(name: &str) -> Option<ArrayMethod> {
    ARRAY_METHODS.iter().find(|(n, _)| *n == name).map(|&(_, m)| m)
}

/// The array methods compiled from stickyjit's library of NumPy functions
/// (`python/stickyjit/_numpy_lib`, its `METHODS`): `a.cumsum()` calls the implementation with
/// `a` as its first argument. The caller resolves each as the global
/// [`library_method_global`]`(name)`.
pub static LIBRARY_METHODS: [&str; 12] =
    ["argsort", "clip", "cumprod", "cumsum", "diagonal", "fill", "item", "nonzero", "repeat", "searchsorted", "sort", "trace"];

/// Whether `a.name(...)` is a method compiled from the library.
pub fn is_library_method(name: &str) -> bool {
    LIBRARY_METHODS.contains(&name)
}

/// The prefix of the global names under which the caller resolves library methods: not a
/// Python identifier, so no global of the user's can have such a name.
pub const LIBRARY_METHOD_PREFIX: &str = "<ndarray>.";

/// `"<ndarray>.cumsum"`: the global name the library method `name` is resolved as.
pub fn library_method_global(name: &str) -> String {
    format!("{LIBRARY_METHOD_PREFIX}{name}")
}

/// The array attributes compiled code reads.
pub static ARRAY_ATTRIBUTES: [(&str, Attr); 5] =
    [("shape", Attr::Shape), ("ndim", Attr::Ndim), ("size", Attr::Size), ("real", Attr::Real), ("imag", Attr::Imag)];

impl Attr {
    pub fn from_name(name: &str) -> Option<Attr> {
        ARRAY_ATTRIBUTES.iter().find(|(n, _)| *n == name).map(|&(_, a)| a)
    }

    pub fn name(self) -> &'static str {
        ARRAY_ATTRIBUTES.iter().find(|(_, a)| *a == self).map(|(n, _)| *n).expect("every attribute has a registry row")
    }
}

/// `".shape, .ndim and .size"`: the array attributes, as messages list them.
pub fn array_attributes_text() -> String {
    let names: Vec<String> = ARRAY_ATTRIBUTES.iter().map(|(n, _)| format!(".{n}")).collect();
    match names.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// dtypes

/// One dtype: its names, NumPy's description of its elements, and the types compiled code
/// gives them.
pub struct DtypeRow {
    pub dtype: Dtype,
    /// NumPy's name for it (`np.dtype(name)`), as messages and type names print it.
    pub name: &'static str,
    /// Its scalar type's attribute on the `numpy` module (`np.bool_`).
    pub numpy_attr: &'static str,
    /// NumPy's kind character (`dtype.kind`: `b`, `i`, `u`, `f`) and item size in bytes:
    /// together they say how an element is stored, and so how it is read and written (an
    /// integer sign- or zero-extended to its [`DtypeRow::element`] type and truncated back, a
    /// float32 widened to double and rounded back, a bool a byte that is 0 or 1).
    pub kind: u8,
    pub size: u64,
    /// The type an element has once read from an array (see [`Dtype::element`]).
    pub element: Type,
    /// The type a scalar argument of this dtype (`np.int8(3)`) has in compiled code: integers
    /// widened to int64 except uint64; float32 stays float32 (Numba's and NumPy's type for it);
    /// complex64 widened to complex128.
    pub argument: Type,
    /// The Python type a scalar of it is handed over as (`int(np.int8(3))`), by its name in
    /// `builtins`.
    pub python: &'static str,
}

/// Declares [`Dtype`] and [`DTYPES`] from one row per dtype, so that neither can lack the other.
macro_rules! dtypes {
    ($($variant:ident: $name:literal, $attr:literal, $kind:literal, $size:literal,
       $element:ident, $argument:ident, $python:literal;)*) => {
        /// The element types of the arrays compiled code takes (one [`DTYPES`] row each).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum Dtype {
            $($variant),*
        }

        /// Every dtype, in [`Dtype`] order (the order messages list them in).
        pub static DTYPES: [DtypeRow; [$($name),*].len()] = [$(DtypeRow {
            dtype: Dtype::$variant,
            name: $name,
            numpy_attr: $attr,
            kind: $kind,
            size: $size,
            element: Type::$element,
            argument: Type::$argument,
            python: $python,
        }),*];
    };
}

dtypes! {
//  variant  name       numpy attr  kind  size  element  argument  python
    Bool:    "bool",    "bool_",    b'b', 1,    Bool,    Bool,     "bool";
    Int8:    "int8",    "int8",     b'i', 1,    Int64,   Int64,    "int";
    Int16:   "int16",   "int16",    b'i', 2,    Int64,   Int64,    "int";
    Int32:   "int32",   "int32",    b'i', 4,    Int64,   Int64,    "int";
    Int64:   "int64",   "int64",    b'i', 8,    Int64,   Int64,    "int";
    UInt8:   "uint8",   "uint8",    b'u', 1,    Int64,   Int64,    "int";
    UInt16:  "uint16",  "uint16",   b'u', 2,    Int64,   Int64,    "int";
    UInt32:  "uint32",  "uint32",   b'u', 4,    Int64,   Int64,    "int";
    UInt64:  "uint64",  "uint64",   b'u', 8,    UInt64,  UInt64,   "int";
    Float32: "float32", "float32",  b'f', 4,    Float32, Float32,  "float";
    Float64: "float64", "float64",  b'f', 8,    Float64, Float64,  "float";
    Complex64: "complex64", "complex64", b'c', 8, Complex64, Complex128, "complex";
    Complex128: "complex128", "complex128", b'c', 16, Complex128, Complex128, "complex";
}

impl Dtype {
    pub fn row(self) -> &'static DtypeRow {
        &DTYPES[self as usize]
    }

    /// Every dtype, in order.
    pub fn all() -> impl Iterator<Item = Dtype> {
        DTYPES.iter().map(|r| r.dtype)
    }

    /// NumPy's name for it.
    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn from_name(name: &str) -> Option<Dtype> {
        DTYPES.iter().find(|r| r.name == name).map(|r| r.dtype)
    }

    /// The dtype whose scalar type is `numpy.<attr>` (`"bool_"` → bool).
    pub fn from_numpy_attr(attr: &str) -> Option<Dtype> {
        DTYPES.iter().find(|r| r.numpy_attr == attr).map(|r| r.dtype)
    }

    /// The dtype NumPy describes by `kind` (`dtype.kind`) and `size` (`dtype.itemsize`).
    pub fn from_kind_size(kind: u8, size: u64) -> Option<Dtype> {
        DTYPES.iter().find(|r| r.kind == kind && r.size == size).map(|r| r.dtype)
    }

    pub fn size(self) -> u64 {
        self.row().size
    }

    pub fn is_float(self) -> bool {
        self.row().kind == b'f'
    }

    pub fn is_complex(self) -> bool {
        self.row().kind == b'c'
    }

    pub fn is_signed(self) -> bool {
        self.row().kind == b'i'
    }

    pub fn is_unsigned(self) -> bool {
        self.row().kind == b'u'
    }

    /// The type an element has once read: integers are widened to int64 (as Numba's arithmetic
    /// does with every narrower integer) except uint64, which stays [`Type::UInt64`]; float32
    /// stays float32 (see [`Type::Float32`]).
    pub fn element(self) -> Type {
        self.row().element.clone()
    }
}

/// `"bool, int8, ..., float64"`: the dtypes, as messages list them.
pub fn dtype_names_text() -> String {
    DTYPES.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
#[path = "registry_tests.rs"]
mod tests;
