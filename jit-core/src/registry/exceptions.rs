//! The exception classes compiled code may `raise` (Python's builtins, by name) and how they
//! reach Python: `sj_rt_raise` records the class and message, the status says "raised".

/// The builtin exception classes `raise` compiles (an index into this table is what compiled
/// code records).
/// At most 32 (an `except` clause's classes are bits of a `u32`).
pub static RAISABLE: [&str; 29] = [
    "Exception",
    "ValueError",
    "TypeError",
    "IndexError",
    "KeyError",
    "LookupError",
    "RuntimeError",
    "ArithmeticError",
    "ZeroDivisionError",
    "OverflowError",
    "FloatingPointError",
    "AssertionError",
    "NotImplementedError",
    "MemoryError",
    "StopIteration",
    "UserWarning",
    "AttributeError",
    "NameError",
    "UnboundLocalError",
    "RecursionError",
    "OSError",
    "EOFError",
    "TimeoutError",
    "UnicodeError",
    "BufferError",
    "SystemError",
    "ImportError",
    "Warning",
    "RuntimeWarning",
];

/// The index of the builtin exception class `name`, if `raise` compiles it.
pub fn raisable(name: &str) -> Option<u32> {
    RAISABLE.iter().position(|c| *c == name).map(|i| i as u32)
}

/// "Exception, ValueError, ...": for messages.
pub fn raisable_text() -> String {
    RAISABLE.join(", ")
}

/// The bit of class `name` in a set of [`RAISABLE`] classes (an `except` clause's).
pub fn class_bit(name: &str) -> Option<u32> {
    raisable(name).map(|i| 1 << i)
}

/// The classes of [`RAISABLE`] an exception of class `name` is an instance of (itself and its
/// bases, by Python's hierarchy), as bits: what an `except` clause naming any of them catches.
pub fn mro_bits(name: &str) -> u32 {
    let bases: &[&str] = match name {
        "ZeroDivisionError" | "OverflowError" | "FloatingPointError" => &["ArithmeticError"],
        "IndexError" | "KeyError" => &["LookupError"],
        "NotImplementedError" | "RecursionError" => &["RuntimeError"],
        "UnboundLocalError" => &["NameError"],
        "TimeoutError" => &["OSError"],
        "UnicodeError" => &["ValueError"],
        "UserWarning" | "RuntimeWarning" => &["Warning"],
        // NumPy's AxisError is a ValueError and an IndexError; LinAlgError a ValueError.
        "AxisError" => &["ValueError", "IndexError", "LookupError"],
        "LinAlgError" => &["ValueError"],
        _ => &[],
    };
    let own = class_bit(name).unwrap_or(0);
    bases.iter().fold(own | class_bit("Exception").unwrap_or(0), |m, b| m | class_bit(b).unwrap_or(0))
}
