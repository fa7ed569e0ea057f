//! What lowering is given: the values the function's globals are bound to ([`GlobalValue`]),
//! its parameters' constant defaults ([`ConstValue`]) and the per-function settings ([`Env`]).

use std::collections::HashMap;

use crate::hir;

/// What a global name referenced by the function is bound to, as the caller (jit-py) found it.
#[derive(Clone, Debug, PartialEq)]
pub enum GlobalValue {
    Int(i64),
    Float(f64),
    /// A Python `complex` (or NumPy complex scalar), frozen as the numbers are: (real, imag).
    Complex(f64, f64),
    Bool(bool),
    /// A tuple of numbers (or of such tuples), frozen like the numbers.
    Tuple(Vec<GlobalValue>),
    /// A NumPy array (of a compiled dtype, at least one dimension), frozen into the code: read
    /// as a read-only array (`hir::FrozenArray`).
    Array(std::sync::Arc<hir::FrozenArray>),
    /// A namedtuple instance of such values, frozen like a tuple.
    NamedTupleValue(std::sync::Arc<crate::types::TupleNames>, Vec<GlobalValue>),
    /// A namedtuple class (`collections.namedtuple` or a `typing.NamedTuple`): calling it
    /// makes a namedtuple; each field's default, when it has one that is frozen like a global.
    NamedTupleClass(std::sync::Arc<crate::types::TupleNames>, Vec<Option<GlobalValue>>),
    /// A user's exception class (`module.qualname`), a subclass of the builtin exception class
    /// `base` (an index into `registry::exceptions::RAISABLE`): `raise Class(...)` raises it.
    ExceptionClass {
        class: String,
        base: u32,
    },
    /// An `enum.Enum` class (`module.qualname`): its members are read as `Class.NAME` (the
    /// caller resolves those names, `IntEnum` members as ints and others as records).
    EnumClass(String),
    /// A NumPy scalar whose type compiled code keeps apart from int, float and complex (a
    /// `numpy.float32` or `numpy.complex64`): its value, read as `np.<dtype>(value)`.
    Scalar(crate::types::Dtype, Box<GlobalValue>),
    /// A `str`, frozen as a string literal.
    Str(String),
    /// A module the compiler knows (`"math"`).
    Module(String),
    /// A function from the `math` module, e.g. `from math import sqrt`.
    MathFunction(String),
    /// A builtin such as `abs` or `range`.
    Builtin(String),
    /// A NumPy function (`np.sqrt`, `np.sum`; reached as `np.sqrt` or imported by name).
    NumpyFunction(String),
    /// A NumPy scalar type used as a `dtype=` (`np.float32`).
    NumpyDtype(String),
    /// The jitted function being compiled (direct recursion).
    SelfFunction,
    /// Another jitted function: `unit` is its index in the program being compiled
    /// ([`lower_program`]); `name` is its `__qualname__`, for messages.
    Jitted {
        name: String,
        unit: u32,
    },
    /// A `@vectorize` (or `@guvectorize`) object: its kernel is function `unit` of the program;
    /// `loops` are its loops when it has type signatures (None: lazy).
    Vectorized {
        name: String,
        unit: u32,
        loops: Option<Vec<hir::UfuncLoop>>,
        /// A `@guvectorize` object's layout.
        gufunc: Option<hir::Gufunc>,
        /// Its identity as NumPy's `PyUFunc_*` code ([`hir::Ufunc::identity`]).
        identity: i64,
    },
    /// A C function by its address and signature (a `WrapperAddressProtocol` object).
    CFunction(crate::hir::CFunction),
    /// Anything else: `description` says what it is, for the error message.
    Unsupported {
        description: String,
        is_function: bool,
    },
    Undefined,
}

/// A constant default value of a parameter.
#[derive(Clone, Debug, PartialEq)]
pub enum ConstValue {
    Int(i64),
    Float(f64),
    Complex(f64, f64),
    Bool(bool),
    /// `None` (`def f(x, out=None)`).
    None,
    /// A tuple of these (`range=(nan, nan)`).
    Tuple(Vec<ConstValue>),
    /// A string (`shift="right"`, `side='left'`).
    Str(String),
}

/// Everything outside the syntax tree that lowering needs.
#[derive(Clone, Debug, Default)]
pub struct Env {
    pub filename: String,
    pub globals: HashMap<String, GlobalValue>,
    /// One entry per parameter: its default value, if it has one.
    pub defaults: Vec<Option<ConstValue>>,
    /// The function keeps IEEE float semantics whatever `fastmath` the program is compiled
    /// with: an implementation of a NumPy function (`stickyjit._numpy_lib`), which may test
    /// for NaN and infinity as NumPy does.
    pub strict_math: bool,
    /// What division by zero does in this function whatever the program's option: a
    /// `@vectorize` kernel follows its decorator's `error_model`, as from Python.
    pub error_model: Option<crate::ErrorModel>,
    /// One entry per parameter (or none): the caller left the argument out, so the parameter is
    /// its default, a constant of the code (Numba's "omitted" arguments). The entry still
    /// receives the default's value, which the code does not read.
    pub omitted: Vec<bool>,
    /// Its own decorator said `parallel=True`: its `prange` loops run on the thread pool,
    /// whoever calls it (as Numba compiles each function with its own options).
    pub parallel: bool,
    /// The method names of the jitclasses the process has defined: `x.update(v)` with such a
    /// name is lowered both as the list, dict, string, array or Generator method it names and
    /// as a jitclass method call, inference choosing by `x`'s type (`hir::ExprKind::MethodOr`).
    pub record_methods: std::collections::HashSet<String>,
    /// Numba's `locals={name: type}` for the numbers declared: each such variable holds that
    /// dtype's values, every value stored into it converted as NumPy converts to the dtype
    /// (`hir::Function::declared`).
    pub declared: Vec<(String, crate::types::Dtype)>,
    /// The number type its signatures all declare it returns (`@jit('i4(i8)')`): each
    /// `return` converts its value to it as NumPy converts to the dtype, whoever calls
    /// (`hir::Function::ret_dtype`).
    pub ret_dtype: Option<crate::types::Dtype>,
}
