//! The resolved tree `lower` produces: names bound to locals, intrinsics and functions; every
//! expression numbered so that `infer` can give it a type in a side table.

use crate::ast::{BinOp, BoolOpKind, CmpOp, Span, UnaryOp};
pub use crate::registry::{Attr, NpFn, Reduction};
pub use intrinsics::{math_constant, Intrinsic, MathFn, ThreadFn};
pub use methods::{DictMethod, ListMethod, StrMethod};

mod intrinsics;
mod methods;

pub type LocalId = u32;
pub type ExprId = u32;
/// Index of a function in the program being compiled (0 is the function the user called).
pub type FuncId = u32;

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: String,
    pub filename: String,
    pub params: Vec<LocalId>,
    /// The last parameter is `*args` (a tuple of the extra positional arguments).
    pub vararg: bool,
    /// Each parameter's default, when it is a constant (a call through a function value, or a
    /// jitclass method's, fills in those left out: `infer::call_value`).
    pub defaults: Vec<Option<crate::lower::ConstValue>>,
    pub locals: Vec<Local>,
    pub body: Vec<Stmt>,
    /// Number of expression ids handed out (the size of `infer`'s type table).
    pub n_exprs: u32,
    /// The function makes new arrays (the dispatcher then takes the blocks still live after
    /// each call, `memory::take_live`).
    pub allocates: bool,
    /// No fast-math flags on its float operations, whatever the options say
    /// ([`crate::lower::Env::strict_math`]).
    pub strict_math: bool,
    /// What division by zero does in this function, whatever the program's option says: a
    /// `@vectorize` kernel's own ([`crate::lower::Env::error_model`]).
    pub error_model: Option<crate::ErrorModel>,
    /// The `@vectorize` objects it calls ([`Intrinsic::Ufunc`] indexes this list).
    pub ufuncs: Vec<Ufunc>,
    /// The namedtuple classes it calls ([`Intrinsic::NamedTuple`] indexes this list).
    pub named: Vec<std::sync::Arc<crate::types::TupleNames>>,
    /// The array globals it reads, frozen ([`Intrinsic::FrozenArray`] indexes this list).
    pub arrays: Vec<std::sync::Arc<FrozenArray>>,
    /// The C functions by address it calls ([`Intrinsic::CCall`] indexes this list).
    pub c_functions: Vec<CFunction>,
    /// The spans of its `for ... in prange(...)` loops (`ForRange` statements): under
    /// `parallel=True` each runs on the thread pool (`crate::parallel`).
    pub prange: Vec<Span>,
    /// Its decorator said `parallel=True` ([`crate::lower::Env::parallel`]): its `prange`
    /// loops run on the thread pool.
    pub parallel: bool,
    /// The locals its decorator's `locals=` declares a number type for
    /// ([`crate::lower::Env::declared`]), each with the dtype whose values it holds.
    pub declared: Vec<(LocalId, crate::types::Dtype)>,
    /// The number type its signatures declare it returns ([`crate::lower::Env::ret_dtype`]).
    pub ret_dtype: Option<crate::types::Dtype>,
    /// Locals assigned once from a condition the types may decide (`num_dims = x.ndim`), with
    /// that expression: `infer/constant.rs` reads them as it.
    pub known: Vec<(LocalId, Expr)>,
    pub span: Span,
}

/// An array global (`COEFFS = np.array([...])` at module level) frozen into the code as
/// A C function known by its address and signature (a Numba `WrapperAddressProtocol` object:
/// SciPy's special functions through `get_cython_function_address`): called directly. The
/// address is the process's, so it is part of the code key and a cached entry never outlives it.
#[derive(Clone, Debug, PartialEq)]
pub struct CFunction {
    /// The global's name, for messages.
    pub name: String,
    pub address: u64,
    pub args: Vec<crate::types::Dtype>,
    pub ret: crate::types::Dtype,
}

/// Numba freezes one: its dtype, shape and elements in C order, read-only in compiled code.
#[derive(Clone, PartialEq)]
pub struct FrozenArray {
    pub dtype: crate::types::Dtype,
    pub shape: Vec<i64>,
    /// The elements' bytes, C order, native byte order.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for FrozenArray {
    /// The dtype, the shape and a hash of the elements (this text is part of the code key).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let hash = blake3::hash(&self.data);
        write!(f, "array({}, {:?}, blake3 {})", self.dtype.name(), self.shape, &hash.to_hex()[..32])
    }
}

/// A `@vectorize` object called from compiled code: an elementwise map of its kernel (function
/// `func` of the program) over the broadcast arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Ufunc {
    pub name: String,
    pub func: FuncId,
    /// The loops of an object with type signatures (in the order NumPy tries them); `None` for a
    /// lazy object (the kernel compiled for the arguments' element types). A gufunc's loops
    /// list every operand's dtype in `inputs` (its outputs' too).
    pub loops: Option<Vec<UfuncLoop>>,
    /// A `@guvectorize` object's layout; `None` for a `@vectorize` one.
    pub gufunc: Option<Gufunc>,
    /// Its identity as NumPy's `PyUFunc_*` code: 0 or 1 (the identity), -1 (none, and not
    /// reorderable: a reduction over more than one axis is refused), -2 (none, reorderable).
    pub identity: i64,
}

/// What a `@guvectorize` object's call needs besides a ufunc's: its operands' core dimensions
/// and how the kernel takes each operand.
#[derive(Clone, Debug, PartialEq)]
pub struct Gufunc {
    pub nin: usize,
    /// `(n),()->(n)`, for messages.
    pub layout: String,
    /// Per operand (inputs, then outputs): its core dimensions.
    pub core: Vec<Vec<CoreDim>>,
    /// Per operand: how the kernel receives it.
    pub kinds: Vec<GufuncArg>,
    /// Per operand: the kernel may write it (the outputs, and the inputs of `writable_args`).
    pub writable: Vec<bool>,
}

/// A core dimension of a gufunc's layout: a name (numbered in the layout's order) or a size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CoreDim {
    Named(u32),
    Fixed(i64),
}

/// How a gufunc's kernel receives an operand: the view of its core dimensions, a 1-element
/// view (an operand with no core dimensions given as `float64[:]`), or a number (an input `()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GufuncArg {
    View,
    One,
    Scalar,
}

/// One loop of a ufunc: its input dtypes and its output dtype.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct UfuncLoop {
    pub inputs: Vec<crate::types::Dtype>,
    pub output: crate::types::Dtype,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Local {
    pub name: String,
    pub span: Span,
    /// Some read of it may find it unassigned: codegen keeps an "is bound" flag for it.
    pub checked: bool,
    /// The `$iN` temporary `a[i] op= v` evaluates its index into: assigned once, just before
    /// its one use (`codegen/version.rs` looks through it to the index it holds).
    pub index_temp: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

impl Stmt {
    /// The expressions a statement holds itself (not those of the statements nested in it).
    pub fn own_exprs(&self) -> Vec<&Expr> {
        fn target<'s>(t: &'s Target, out: &mut Vec<&'s Expr>) {
            match t {
                Target::Local(..) => {}
                Target::Tuple(ts, _) => ts.iter().for_each(|t| target(t, out)),
                Target::Index { array, index, .. } => out.extend([&**array, &**index]),
            }
        }
        let mut out = Vec::new();
        match &self.kind {
            StmtKind::Assign { targets, value } => {
                targets.iter().for_each(|t| target(t, &mut out));
                out.push(value);
            }
            StmtKind::AugAssign { value, read, .. } => out.extend([value, &**read]),
            StmtKind::AugAssignIndex { array, index, value, .. } => out.extend([array, index, value]),
            StmtKind::Expr(e) | StmtKind::Return(Some(e)) => out.push(e),
            StmtKind::If { test, .. } | StmtKind::While { test, .. } => out.push(test),
            StmtKind::ForRange { target: t, start, stop, step, .. } => {
                target(t, &mut out);
                out.extend([start, stop, step]);
            }
            StmtKind::Print { items, .. } => out.extend(items.iter().filter_map(PrintItem::value)),
            StmtKind::Return(None)
            | StmtKind::Break
            | StmtKind::Continue
            | StmtKind::Pass
            | StmtKind::Raise { .. }
            | StmtKind::Try { .. }
            | StmtKind::Reraise => {}
        }
        out
    }
}

/// A HIR statement, by kind. Modules that match on it import it as `S` (one letter, as nearly
/// every match arm names it).
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    Assign {
        targets: Vec<Target>,
        value: Expr,
    },
    AugAssign {
        target: LocalId,
        op: BinOp,
        value: Expr,
        read: Box<Expr>,
    },
    /// `array[index] op= value`: the element's address computed (and checked) once.
    AugAssignIndex {
        array: Expr,
        index: Expr,
        op: BinOp,
        value: Expr,
    },
    Expr(Expr),
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `for target in range(start, stop, step)`
    ForRange {
        target: Target,
        start: Expr,
        stop: Expr,
        step: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Return(Option<Expr>),
    Break,
    Continue,
    Pass,
    /// `raise Class(message)`: `class` indexes `registry::exceptions::RAISABLE`; `message` None
    /// raises the class without arguments.
    Raise {
        class: u32,
        message: Option<String>,
        /// The class and a computed message were recorded by the statement before
        /// ([`Intrinsic::RaiseMessage`]): the raise only leaves.
        recorded: bool,
    },
    /// `try: body`, its `except` clauses (tried in order), `else:` and `finally:`.
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// A bare `raise` in an `except` clause: the exception being handled, raised again.
    Reraise,
    /// `print(items, sep=..., end=...)`: the items (numbers, bools, None, string literals) as
    /// `str()` writes them, separated by `sep`, followed by `end`, written to `sys.stdout`.
    Print {
        items: Vec<PrintItem>,
        sep: String,
        end: String,
        /// `flush=True`: the stream is flushed after the line is written.
        flush: bool,
    },
}

impl StmtKind {
    /// The statement lists nested in this statement (an `if`'s two branches, a loop's body and
    /// `else`, a `try`'s body, handlers, `else` and `finally`), in source order.
    pub fn blocks(&self) -> Vec<&[Stmt]> {
        match self {
            StmtKind::If { body, orelse, .. }
            | StmtKind::While { body, orelse, .. }
            | StmtKind::ForRange { body, orelse, .. } => {
                vec![body, orelse]
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                let mut out: Vec<&[Stmt]> = vec![body];
                out.extend(handlers.iter().map(|h| h.body.as_slice()));
                out.push(orelse);
                out.push(finalbody);
                out
            }
            _ => Vec::new(),
        }
    }
}

/// One `except` clause: the classes it catches, as bits over
/// `registry::exceptions::RAISABLE` (every bit: a bare `except:`), and its body.
#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    pub mask: u64,
    pub body: Vec<Stmt>,
    pub span: Span,
}

/// An argument of `print`.
#[derive(Clone, Debug, PartialEq)]
pub enum PrintItem {
    Text(String),
    Value(Expr),
}

impl PrintItem {
    /// The expression printed, if not a literal.
    pub fn value(&self) -> Option<&Expr> {
        match self {
            PrintItem::Value(e) => Some(e),
            PrintItem::Text(_) => None,
        }
    }

    pub fn value_mut(&mut self) -> Option<&mut Expr> {
        match self {
            PrintItem::Value(e) => Some(e),
            PrintItem::Text(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Local(LocalId, Span),
    Tuple(Vec<Target>, Span),
    /// An array element: `array[index] = ...`.
    Index {
        array: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub id: ExprId,
    pub kind: ExprKind,
    pub span: Span,
}

/// A HIR expression, by kind. Modules that match on it import it as `H` (one letter, as nearly
/// every match arm names it).
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    /// A uint64 literal (2**63 to 2**64 - 1).
    UInt(u64),
    Float(f64),
    /// A complex constant: (real, imag).
    Complex(f64, f64),
    /// A dtype as a value (`np.float64` passed as an argument).
    Dtype(crate::types::Dtype),
    Bool(bool),
    None,
    /// A string literal.
    Str(String),
    /// An f-string: `texts[0]`, `values[0]` formatted, `texts[1]`, ...; each value's conversion
    /// (`b'r'`, `b's'`, `b'a'`, 0 for none) and format spec, checked against its type by
    /// inference (`crate::format`).
    FString {
        texts: Vec<String>,
        values: Vec<Expr>,
        formats: Vec<(u8, String)>,
    },
    /// A read of a local; `check_bound` when some path reaches it without an assignment.
    Local {
        id: LocalId,
        check_bound: bool,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    BoolOp {
        op: BoolOpKind,
        values: Vec<Expr>,
    },
    Compare {
        left: Box<Expr>,
        ops: Vec<CmpOp>,
        comparators: Vec<Expr>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Intrinsic {
        f: Intrinsic,
        args: Vec<Expr>,
    },
    /// A call of a jitted function, arguments bound to its parameters in order.
    Call {
        func: FuncId,
        args: Vec<Expr>,
    },
    /// A jitted function of the program used as a value (`apply(square, x)`): known at compile
    /// time (`Type::Function`), carried as nothing.
    FunctionValue(FuncId),
    /// `value.name` where `name` is no array attribute: a namedtuple's field (inference checks
    /// that `value` is one; `TypedFunction::fields`).
    Field {
        value: Box<Expr>,
        name: String,
    },
    /// `x.name(args)` where `name` is both a list, dict, string, array or Generator method and a
    /// jitclass method's name: `value` is the call as the former, `record` as a call through the
    /// attribute (`CallValue` of a `Field`); inference picks by `x`'s type
    /// (`TypedFunction::record_calls`), and only the one picked is typed and compiled.
    MethodOr {
        value: Box<Expr>,
        record: Box<Expr>,
    },
    /// `*t` among a call-through-value's arguments (`f(x, *t)`): the items of the tuple `t`,
    /// each an argument of its own (its type is `t`'s; the call flattens it).
    Unpack(Box<Expr>),
    /// A call of a function value (`f(x)` where `f` is a parameter or a local holding a
    /// function): which function is decided by inference, from the callee's type; the
    /// arguments positional, in order.
    CallValue {
        callee: Box<Expr>,
        args: Vec<Expr>,
    },
    /// An inner function that reads its parent's variables (`Type::Closure`): the values it
    /// captures, evaluated where it is defined (its first parameters receive them).
    Closure {
        func: FuncId,
        captures: Vec<Expr>,
    },
    Tuple(Vec<Expr>),
    /// A list literal `[a, b, ...]`: a new list of the items.
    List(Vec<Expr>),
    /// `l.append(v)`, `l.pop()`, `x in l`, `sorted(l)`, ...: a method of the list `list` (or of
    /// the tuple, for `in`). `alt` is the call as an array's method (`a.copy()`, `a.sort()`),
    /// compiled instead when `list` is not a list.
    ListMethod {
        method: ListMethod,
        list: Box<Expr>,
        args: Vec<Expr>,
        alt: Option<Box<Expr>>,
    },
    /// A dict literal `{k: v, ...}`: a new dict of the pairs (evaluated key, value, key, ...).
    Dict(Vec<(Expr, Expr)>),
    /// A set literal `{a, b, ...}` (or `set()`): a new set of the items.
    Set(Vec<Expr>),
    /// `d.get(k)`, `d.items()`, `s.add(x)`, ...: a method of the dict or set `dict` with `args`.
    DictMethod {
        method: DictMethod,
        dict: Box<Expr>,
        args: Vec<Expr>,
    },
    /// A new array: `np.zeros(...)`, `np.arange(...)`, `a.copy()`, ...
    New(NewArray),
    /// `a.sum()`, `np.min(a)`, ...: a reduction over every element of an array.
    Reduce {
        f: Reduction,
        value: Box<Expr>,
        /// `axis=`: the reduction along that axis only.
        axis: Option<Axis>,
    },
    /// `lower:upper:step` in an array index (typed by the subscript that holds it).
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// `value.shape`, `.ndim`, `.size` of an array.
    Attr {
        value: Box<Expr>,
        attr: Attr,
    },
    /// `a.reshape(shape)`, `np.reshape(a, shape)`, `a.ravel()`: the array's elements in C order
    /// under a new shape (an int or a tuple of ints, one of them may be -1). A view when the
    /// array is C-contiguous (known, or found at run time), else a C-contiguous copy.
    Reshape {
        value: Box<Expr>,
        shape: Box<Expr>,
    },
    /// `a.T`, `np.transpose(a[, axes])`, `a.transpose(...)`: a view with the axes permuted
    /// (reversed when `axes` is `None`; a permutation of `0..ndim` otherwise, checked by infer).
    Transpose {
        value: Box<Expr>,
        axes: Option<Vec<i64>>,
    },
    /// `np.sqrt(x, out=o)`, `np.add(a, b, out=o)`: `value` (the ufunc's call without `out=`)
    /// written into the array `out` as an assignment `out[...] = value` writes (broadcast,
    /// converted), and `out` the result.
    Out {
        value: Box<Expr>,
        out: Box<Expr>,
    },
    /// The index tuple of the `flat`-th element, in C order, of an array of shape `shape` (an
    /// int or a tuple of ints): what `np.ndindex`, `np.ndenumerate` and `a.flat` iterate over.
    Unravel {
        flat: Box<Expr>,
        shape: Box<Expr>,
    },
    /// The number of elements of shape `shape` (an int or a tuple of ints; a negative
    /// dimension counts as 0).
    ShapeSize(Box<Expr>),
    /// `value[index]`: an array element, or a tuple element (a constant index, or any index into a tuple whose
    /// elements all have one type).
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
}

impl ExprKind {
    /// The expressions directly inside this one, in evaluation order.
    pub fn children(&self) -> Vec<&Expr> {
        use ExprKind as H;
        match self {
            H::Int(_)
            | H::UInt(_)
            | H::Float(_)
            | H::Complex(..)
            | H::Dtype(_)
            | H::FunctionValue(_)
            | H::Bool(_)
            | H::None
            | H::Str(_)
            | H::Local { .. } => Vec::new(),
            H::Binary { left, right, .. }
            | H::Subscript { value: left, index: right }
            | H::Reshape { value: left, shape: right }
            | H::Unravel { flat: left, shape: right }
            | H::Out { value: left, out: right }
            | H::MethodOr { value: left, record: right } => vec![&**left, &**right],
            H::Reduce { value, axis: Some(Axis::Var(axis)), .. } => vec![&**value, &**axis],
            H::Unary { operand: e, .. }
            | H::Unpack(e)
            | H::Field { value: e, .. }
            | H::ShapeSize(e)
            | H::Attr { value: e, .. }
            | H::Reduce { value: e, .. }
            | H::Transpose { value: e, .. } => {
                vec![&**e]
            }
            H::BoolOp { values, .. }
            | H::Tuple(values)
            | H::List(values)
            | H::Set(values)
            | H::FString { values, .. }
            | H::Intrinsic { args: values, .. }
            | H::Closure { captures: values, .. }
            | H::Call { args: values, .. } => values.iter().collect(),
            H::ListMethod { list, args, alt, .. } => {
                std::iter::once(&**list).chain(args.iter()).chain(alt.iter().map(|a| &**a)).collect()
            }
            H::Dict(pairs) => pairs.iter().flat_map(|(k, v)| [k, v]).collect(),
            H::DictMethod { dict, args, .. } | H::CallValue { callee: dict, args } => {
                std::iter::once(&**dict).chain(args.iter()).collect()
            }
            H::Compare { left, comparators, .. } => std::iter::once(&**left).chain(comparators.iter()).collect(),
            H::IfExp { test, body, orelse } => vec![&**test, &**body, &**orelse],
            H::New(n) => n.operands(),
            H::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().map(|e| &**e).collect(),
        }
    }

    /// The expressions directly inside this one, in evaluation order.
    pub fn children_mut(&mut self) -> Vec<&mut Expr> {
        use ExprKind as H;
        match self {
            H::Int(_)
            | H::UInt(_)
            | H::Float(_)
            | H::Complex(..)
            | H::Dtype(_)
            | H::FunctionValue(_)
            | H::Bool(_)
            | H::None
            | H::Str(_)
            | H::Local { .. } => Vec::new(),
            H::Binary { left, right, .. }
            | H::Subscript { value: left, index: right }
            | H::Reshape { value: left, shape: right }
            | H::Unravel { flat: left, shape: right }
            | H::Out { value: left, out: right }
            | H::MethodOr { value: left, record: right } => vec![&mut **left, &mut **right],
            H::Reduce { value, axis: Some(Axis::Var(axis)), .. } => vec![&mut **value, &mut **axis],
            H::Unary { operand: e, .. }
            | H::Unpack(e)
            | H::Field { value: e, .. }
            | H::ShapeSize(e)
            | H::Attr { value: e, .. }
            | H::Reduce { value: e, .. }
            | H::Transpose { value: e, .. } => {
                vec![&mut **e]
            }
            H::BoolOp { values, .. }
            | H::Tuple(values)
            | H::List(values)
            | H::Set(values)
            | H::FString { values, .. }
            | H::Intrinsic { args: values, .. }
            | H::Closure { captures: values, .. }
            | H::Call { args: values, .. } => values.iter_mut().collect(),
            H::ListMethod { list, args, alt, .. } => {
                std::iter::once(&mut **list).chain(args.iter_mut()).chain(alt.iter_mut().map(|a| &mut **a)).collect()
            }
            H::Dict(pairs) => pairs.iter_mut().flat_map(|(k, v)| [k, v]).collect(),
            H::DictMethod { dict, args, .. } | H::CallValue { callee: dict, args } => {
                std::iter::once(&mut **dict).chain(args.iter_mut()).collect()
            }
            H::Compare { left, comparators, .. } => std::iter::once(&mut **left).chain(comparators.iter_mut()).collect(),
            H::IfExp { test, body, orelse } => vec![&mut **test, &mut **body, &mut **orelse],
            H::New(n) => n.operands_mut(),
            H::Slice { lower, upper, step } => [lower, upper, step].into_iter().flatten().map(|e| &mut **e).collect(),
        }
    }
}

/// The `axis=` of a reduction.
#[derive(Clone, Debug, PartialEq)]
pub enum Axis {
    /// An int literal (negative counts from the last axis), checked against the array's
    /// dimensions by inference.
    Const(i64),
    /// Any integer expression, evaluated after the array and checked at run time (NumPy's
    /// `AxisError`).
    Var(Box<Expr>),
}

/// How a new array is made. `dtype` is the `dtype=` given, if any.
#[derive(Clone, Debug, PartialEq)]
pub enum NewArray {
    /// `np.zeros(shape)`, `np.ones`, `np.empty`, `np.full(shape, value)`: `shape` an int or a
    /// tuple of ints.
    Filled { shape: Box<Expr>, fill: Fill, dtype: Option<DtypeArg> },
    /// `np.zeros_like(a)`, `np.empty_like(a)`, `np.ones_like(a)`, `np.full_like(a, value)`.
    Like { array: Box<Expr>, fill: Fill, dtype: Option<DtypeArg> },
    /// `np.arange(stop)`, `np.arange(start, stop[, step])`.
    Arange { start: Box<Expr>, stop: Box<Expr>, step: Box<Expr>, dtype: Option<DtypeArg> },
    /// `np.array([[1, 2], [3, 4]])`: the numbers `items` in C order, of the static `shape`.
    Items { items: Vec<Expr>, shape: Vec<usize>, dtype: Option<DtypeArg> },
    /// `a.copy()`, `np.copy(a)`, `a.astype(dtype)`: a C-contiguous copy (of `dtype` when given,
    /// each element converted as NumPy's `astype` converts it).
    Copy { array: Box<Expr>, dtype: Option<DtypeArg> },
    /// `np.random.normal(loc, scale, size=shape)`, `np.random.rand(d0, d1)`: an array of
    /// `shape` (an int or a tuple of ints) filled in C order with draws of `f` (its parameters
    /// `args`, as the scalar call [`Intrinsic::Random`] takes them).
    Random { f: crate::registry::random::RandomFn, args: Vec<Expr>, shape: Box<Expr> },
}

impl NewArray {
    /// The `dtype` argument, for the kinds that take one.
    pub fn dtype_mut(&mut self) -> Option<&mut DtypeArg> {
        match self {
            NewArray::Filled { dtype, .. }
            | NewArray::Like { dtype, .. }
            | NewArray::Arange { dtype, .. }
            | NewArray::Items { dtype, .. }
            | NewArray::Copy { dtype, .. } => dtype.as_mut(),
            NewArray::Random { .. } => None,
        }
    }
}

/// A `dtype` argument: a dtype the source names (`np.float32`, `float`, `np.dtype(np.int8)`), or
/// the dtype of an array local (`a.dtype`), known once inference has typed the local.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DtypeArg {
    Named(crate::types::Dtype),
    /// A local holding a dtype (a parameter a caller passed `np.float32` to).
    Local(LocalId),
    OfLocal(LocalId),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Fill {
    Zero,
    One,
    Uninit,
    Value(Box<Expr>),
}

impl NewArray {
    /// The expressions it evaluates, in order.
    pub fn operands(&self) -> Vec<&Expr> {
        fn fill(f: &Fill) -> Option<&Expr> {
            match f {
                Fill::Value(v) => Some(v),
                _ => None,
            }
        }
        match self {
            NewArray::Filled { shape, fill: f, .. } => std::iter::once(&**shape).chain(fill(f)).collect(),
            NewArray::Like { array, fill: f, .. } => std::iter::once(&**array).chain(fill(f)).collect(),
            NewArray::Arange { start, stop, step, .. } => vec![start, stop, step],
            NewArray::Copy { array, .. } => vec![array],
            NewArray::Items { items, .. } => items.iter().collect(),
            NewArray::Random { args, shape, .. } => args.iter().chain(std::iter::once(&**shape)).collect(),
        }
    }

    pub fn operands_mut(&mut self) -> Vec<&mut Expr> {
        match self {
            NewArray::Filled { shape, fill, .. } | NewArray::Like { array: shape, fill, .. } => {
                let mut v = vec![&mut **shape];
                if let Fill::Value(x) = fill {
                    v.push(&mut **x);
                }
                v
            }
            NewArray::Arange { start, stop, step, .. } => vec![&mut **start, &mut **stop, &mut **step],
            NewArray::Copy { array, .. } => vec![&mut **array],
            NewArray::Items { items, .. } => items.iter_mut().collect(),
            NewArray::Random { args, shape, .. } => args.iter_mut().chain(std::iter::once(&mut **shape)).collect(),
        }
    }
}

/// The value of an index that is an integer literal (`2`, `-1`).
/// The positions `t[lower:upper:step]` takes of a tuple of `n` items, as Python's
/// `slice.indices(n)` gives them, when each bound is a literal or left out; `None` otherwise.
/// `Some(Err(()))` for a zero step (CPython's ValueError).
pub fn const_slice_positions(n: usize, index: &Expr) -> Option<std::result::Result<Vec<usize>, ()>> {
    let ExprKind::Slice { lower, upper, step } = &index.kind else { return None };
    let part = |e: &Option<Box<Expr>>| match e {
        None => Some(None),
        Some(e) => const_index(e).map(Some),
    };
    let (lower, upper, step) = (part(lower)?, part(upper)?, part(step)?);
    let step = step.unwrap_or(1);
    if step == 0 {
        return Some(Err(()));
    }
    let n = n as i64;
    // slice.indices: a negative bound counts from the end, then each is clamped into the
    // range the direction allows.
    let clamp = |b: i64, lo: i64, hi: i64| {
        let b = if b < 0 { b + n } else { b };
        b.clamp(lo, hi)
    };
    let (start, stop) = if step > 0 {
        (lower.map_or(0, |b| clamp(b, 0, n)), upper.map_or(n, |b| clamp(b, 0, n)))
    } else {
        (lower.map_or(n - 1, |b| clamp(b, -1, n - 1)), upper.map_or(-1, |b| clamp(b, -1, n - 1)))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < stop) || (step < 0 && i > stop) {
        out.push(i as usize);
        i += step;
    }
    Some(Ok(out))
}

pub fn const_index(e: &Expr) -> Option<i64> {
    match &e.kind {
        ExprKind::Int(i) => Some(*i),
        ExprKind::Unary { op: UnaryOp::Neg, operand } => match operand.kind {
            ExprKind::Int(i) => i.checked_neg(),
            _ => None,
        },
        _ => None,
    }
}
