//! The run-time statuses compiled code returns, each with the Python exception class and the
//! message CPython (or NumPy) gives for the same failure, one row each.

/// The Python exception class a status maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PyExceptionKind {
    ZeroDivisionError,
    ValueError,
    OverflowError,
    UnboundLocalError,
    RecursionError,
    IndexError,
    MemoryError,
    /// NumPy's `numpy.exceptions.AxisError` (a ValueError and an IndexError).
    AxisError,
    /// NumPy's `numpy.linalg.LinAlgError` (a ValueError).
    LinAlgError,
    TypeError,
    /// The builtin exception class a `raise` named (recorded by `sj_rt_raise`).
    Raised,
}

impl PyExceptionKind {
    /// The class's name in `builtins` (`AxisError`: in `numpy.exceptions`).
    pub fn name(self) -> &'static str {
        match self {
            PyExceptionKind::ZeroDivisionError => "ZeroDivisionError",
            PyExceptionKind::ValueError => "ValueError",
            PyExceptionKind::OverflowError => "OverflowError",
            PyExceptionKind::UnboundLocalError => "UnboundLocalError",
            PyExceptionKind::RecursionError => "RecursionError",
            PyExceptionKind::IndexError => "IndexError",
            PyExceptionKind::MemoryError => "MemoryError",
            PyExceptionKind::AxisError => "AxisError",
            PyExceptionKind::LinAlgError => "LinAlgError",
            PyExceptionKind::TypeError => "TypeError",
            PyExceptionKind::Raised => "Exception",
        }
    }
}

/// The message of a status no row describes (a code compiled code never returns).
pub const UNKNOWN_STATUS_MESSAGE: &str = "unknown error in compiled code";

/// The status word compiled code returns: its low [`CODE_BITS`] bits are the code (a
/// [`Status`], or one of the interrupt words `interrupt::PENDING_EXCEPTION` and
/// `threads::ABORTED`), the bits above say where. For [`Status::UnboundLocal`] they hold the
/// number of the local plus one (the locals of every function of the program, numbered one
/// after the other); for the others, the site plus one: the number of the statement that
/// failed (`traceback`), or 0 when compiled code did not know it.
pub const CODE_BITS: u32 = 16;

/// The code of a status word (its low bits).
pub fn status_code(word: u32) -> u32 {
    word & ((1 << CODE_BITS) - 1)
}

/// The where-bits of a status word, minus one: the site (or, for [`Status::UnboundLocal`], the
/// local); `None` when they were not set.
pub fn status_place(word: u32) -> Option<u32> {
    (word >> CODE_BITS).checked_sub(1)
}

/// The status word of `code` at `place` (a site or, for [`Status::UnboundLocal`], a local); a
/// place too large for the bits is left out.
pub fn status_word(code: u32, place: u32) -> u32 {
    let max = u32::MAX >> CODE_BITS;
    if place >= max {
        return code;
    }
    code | ((place + 1) << CODE_BITS)
}

/// Declares [`Status`], [`Status::ALL`] and [`Status::exception_and_message`] from one row per
/// status: its code, the Python exception class and the message.
macro_rules! statuses {
    ($($(#[$doc:meta])* $variant:ident = $code:literal => ($exception:ident, $message:expr),)*) => {
        /// What a compiled function reports besides its value. `0` is success.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[repr(u32)]
        pub enum Status {
            $($(#[$doc])* $variant = $code),*
        }

        impl Status {
            /// Every status, in code order.
            pub const ALL: [Status; [$($code),*].len()] = [$(Status::$variant),*];

            /// The exception class and message CPython (or NumPy) gives for the same failure.
            /// The message of [`Status::ArrayIndexOutOfBounds`] is a template: `{index}`, `{axis}`
            /// and `{size}` are filled in from what `sj_rt_index_error` recorded.
            pub fn exception_and_message(self) -> (PyExceptionKind, &'static str) {
                match self {
                    $(Status::$variant => (PyExceptionKind::$exception, $message)),*
                }
            }
        }
    };
}

statuses! {
    /// Success (never raised).
    Ok = 0 => (ValueError, UNKNOWN_STATUS_MESSAGE),
    IntTrueDivZero = 1 => (ZeroDivisionError, "division by zero"),
    IntFloorDivZero = 2 => (ZeroDivisionError, "integer division or modulo by zero"),
    IntModZero = 3 => (ZeroDivisionError, "integer modulo by zero"),
    FloatDivZero = 4 => (ZeroDivisionError, "float division by zero"),
    FloatFloorDivZero = 5 => (ZeroDivisionError, "float floor division by zero"),
    FloatModZero = 6 => (ZeroDivisionError, "float modulo"),
    MathDomain = 7 => (ValueError, "math domain error"),
    MathRange = 8 => (OverflowError, "math range error"),
    ZeroToNegativePower = 9 => (ZeroDivisionError, "0.0 cannot be raised to a negative power"),
    NegativeToFractionalPower = 10 => (
        ValueError,
        "negative number cannot be raised to a fractional power (the result would be complex)"
    ),
    PowOverflow = 11 => (OverflowError, "(34, 'Numerical result out of range')"),
    NegativeShift = 12 => (ValueError, "negative shift count"),
    FloatNanToInt = 13 => (ValueError, "cannot convert float NaN to integer"),
    FloatInfToInt = 14 => (OverflowError, "cannot convert float infinity to integer"),
    FloatTooLargeForInt = 15 => (OverflowError, "float too large to convert to a 64-bit int"),
    RangeStepZero = 16 => (ValueError, "range() arg 3 must not be zero"),
    IntPowNegativeExponent = 17 => (
        ValueError,
        "integer ** negative integer: compiled code types int ** int as int; write float(x) ** n"
    ),
    RoundedTooLarge = 18 => (OverflowError, "rounded value too large to represent"),
    LogBaseOne = 19 => (ZeroDivisionError, "float division by zero"),
    RecursionTooDeep = 20 => (RecursionError, "maximum recursion depth exceeded (the thread's stack is nearly full)"),
    TupleIndexOutOfRange = 21 => (IndexError, "tuple index out of range"),
    /// An array index outside its axis; `sj_rt_index_error` recorded which.
    ArrayIndexOutOfBounds = 22 => (IndexError, "index {index} is out of bounds for axis {axis} with size {size}"),
    ReadOnlyArray = 23 => (ValueError, "assignment destination is read-only"),
    EmptyMinimum = 24 => (ValueError, "zero-size array to reduction operation minimum which has no identity"),
    EmptyMaximum = 25 => (ValueError, "zero-size array to reduction operation maximum which has no identity"),
    SliceStepZero = 26 => (ValueError, "slice step cannot be zero"),
    NegativeDimensions = 27 => (ValueError, "negative dimensions are not allowed"),
    OutOfMemory = 28 => (MemoryError, "compiled code could not allocate an array"),
    ArrayTooBig = 29 => (
        ValueError,
        "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."
    ),
    ArangeLength = 30 => (ValueError, "arange: cannot compute length"),
    ArangeTooBig = 31 => (ValueError, "Maximum allowed size exceeded"),
    BroadcastShapes = 32 => (ValueError, "operands could not be broadcast together (their shapes differ in an axis where neither is 1)"),
    ReshapeSize = 33 => (ValueError, "cannot reshape array: the new shape does not have the array's size"),
    ReshapeUnknown = 34 => (ValueError, "can only specify one unknown dimension"),
    MaskShape = 35 => (IndexError, "boolean index did not match indexed array (their shapes differ)"),
    IndexedStoreSize = 36 => (
        ValueError,
        "cannot assign the value array: its length is neither 1 nor the number of elements selected"
    ),
    EmptyArgmin = 37 => (ValueError, "attempt to get argmin of an empty sequence"),
    EmptyArgmax = 38 => (ValueError, "attempt to get argmax of an empty sequence"),
    AxisOutOfBounds = 39 => (AxisError, "axis is out of bounds for the array's number of dimensions"),
    /// A matrix product's inner sizes differ; `sj_rt_matmul_shapes` recorded the shapes (the
    /// message is NumPy's, `linalg::shapes_message`).
    MatmulShapes = 40 => (ValueError, "matmul: the operands' inner dimensions differ"),
    /// A `np.linalg` function failed as NumPy's does; `lapack.rs` recorded NumPy's message.
    LinAlg = 41 => (LinAlgError, "linear algebra error"),
    /// A `np.linalg` function's operands do not fit (NumPy's ValueError); `lapack.rs` recorded
    /// NumPy's message.
    LinAlgValue = 42 => (ValueError, "linear algebra operands do not fit"),
    /// A bad `np.random` parameter: NumPy's ValueError and message (`random::last_error`).
    RandomValue = 43 => (ValueError, "{message}"),
    RandomRange = 44 => (OverflowError, "Range exceeds valid bounds"),
    /// `raise Class(message)` or a failed `assert`; `sj_rt_raise` recorded the class and message.
    Raised = 45 => (Raised, "an exception raised by compiled code"),
    /// A complex number divided by zero (CPython's message).
    ComplexDivZero = 46 => (ZeroDivisionError, "complex division by zero"),
    /// `0j ** z` with a negative or complex `z` (CPython's message).
    ComplexPowZero = 47 => (ZeroDivisionError, "0.0 to a negative or complex power"),
    /// A complex power whose result overflows (CPython's message).
    ComplexPowOverflow = 48 => (OverflowError, "complex exponentiation"),
    /// `abs(z)` of finite parts that overflows (CPython's message).
    ComplexAbsOverflow = 49 => (OverflowError, "absolute value too large"),
    /// A list read outside its items (CPython's message).
    ListIndex = 50 => (IndexError, "list index out of range"),
    /// A list item assigned outside its items (CPython's message).
    ListAssignIndex = 51 => (IndexError, "list assignment index out of range"),
    /// `l.pop()` of an empty list (CPython's message).
    ListPopEmpty = 52 => (IndexError, "pop from empty list"),
    /// `l.pop(i)` outside the items (CPython's message).
    ListPopIndex = 53 => (IndexError, "pop index out of range"),
    /// `l.remove(x)` of an `x` not in `l` (CPython's message).
    ListRemoveMissing = 54 => (ValueError, "list.remove(x): x not in list"),
    /// `min(l)` of an empty list (CPython 3.11's message; the running interpreter's is used).
    MinEmpty = 55 => (ValueError, "min() arg is an empty sequence"),
    /// `max(l)` of an empty list (as `MinEmpty`).
    MaxEmpty = 56 => (ValueError, "max() arg is an empty sequence"),
    /// An optional value that is `None` read as a value (Numba's `TypeError` when an
    /// `Optional` is cast to its type while `None`).
    NoneValue = 57 => (TypeError, "a value that is None was used where a value is needed (test it with `is None` first)"),
    /// A range object read outside its items (CPython's message).
    RangeIndex = 58 => (IndexError, "range object index out of range"),
    /// A local read before it was assigned: `{name}` is the local the word's place numbers.
    UnboundLocal = 59 => (UnboundLocalError, "cannot access local variable '{name}' where it is not associated with a value"),
    /// `math.isqrt` of a negative int (CPython's message).
    IsqrtNegative = 60 => (ValueError, "isqrt() argument must be nonnegative"),
}

impl Status {
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The status of the status word `word` (its code: `None` for a code no row has).
    pub fn from_code(word: u32) -> Option<Status> {
        Status::ALL.get(status_code(word) as usize).copied()
    }
}
