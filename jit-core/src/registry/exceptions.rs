//! The exception classes compiled code may `raise` (Python's builtins, by name) and how they
//! reach Python: `sj_rt_raise` records the class and message, the status says "raised".

/// The builtin exception classes `raise` compiles, each with its base class (None for
/// `BaseException`): every builtin class CPython raises with one message argument. Left out:
/// the aliases `IOError` and `EnvironmentError` (raised as `OSError`, as CPython's are the same
/// class), the exception groups and the Unicode errors that take several arguments. An index
/// into this table is what compiled code records; at most 64 (an `except` clause's classes
/// are bits of one `u64`).
pub static CLASSES: [(&str, Option<&str>); 62] = [
    ("Exception", Some("BaseException")),
    ("ValueError", Some("Exception")),
    ("TypeError", Some("Exception")),
    ("IndexError", Some("LookupError")),
    ("KeyError", Some("LookupError")),
    ("LookupError", Some("Exception")),
    ("RuntimeError", Some("Exception")),
    ("ArithmeticError", Some("Exception")),
    ("ZeroDivisionError", Some("ArithmeticError")),
    ("OverflowError", Some("ArithmeticError")),
    ("FloatingPointError", Some("ArithmeticError")),
    ("AssertionError", Some("Exception")),
    ("NotImplementedError", Some("RuntimeError")),
    ("MemoryError", Some("Exception")),
    ("StopIteration", Some("Exception")),
    ("UserWarning", Some("Warning")),
    ("AttributeError", Some("Exception")),
    ("NameError", Some("Exception")),
    ("UnboundLocalError", Some("NameError")),
    ("RecursionError", Some("RuntimeError")),
    ("OSError", Some("Exception")),
    ("EOFError", Some("Exception")),
    ("TimeoutError", Some("OSError")),
    ("UnicodeError", Some("ValueError")),
    ("BufferError", Some("Exception")),
    ("SystemError", Some("Exception")),
    ("ImportError", Some("Exception")),
    ("Warning", Some("Exception")),
    ("RuntimeWarning", Some("Warning")),
    ("BaseException", None),
    ("SystemExit", Some("BaseException")),
    ("KeyboardInterrupt", Some("BaseException")),
    ("GeneratorExit", Some("BaseException")),
    ("StopAsyncIteration", Some("Exception")),
    ("ModuleNotFoundError", Some("ImportError")),
    ("ReferenceError", Some("Exception")),
    ("SyntaxError", Some("Exception")),
    ("IndentationError", Some("SyntaxError")),
    ("TabError", Some("IndentationError")),
    ("BlockingIOError", Some("OSError")),
    ("ChildProcessError", Some("OSError")),
    ("ConnectionError", Some("OSError")),
    ("BrokenPipeError", Some("ConnectionError")),
    ("ConnectionAbortedError", Some("ConnectionError")),
    ("ConnectionRefusedError", Some("ConnectionError")),
    ("ConnectionResetError", Some("ConnectionError")),
    ("FileExistsError", Some("OSError")),
    ("FileNotFoundError", Some("OSError")),
    ("InterruptedError", Some("OSError")),
    ("IsADirectoryError", Some("OSError")),
    ("NotADirectoryError", Some("OSError")),
    ("PermissionError", Some("OSError")),
    ("ProcessLookupError", Some("OSError")),
    ("DeprecationWarning", Some("Warning")),
    ("PendingDeprecationWarning", Some("Warning")),
    ("SyntaxWarning", Some("Warning")),
    ("FutureWarning", Some("Warning")),
    ("ImportWarning", Some("Warning")),
    ("UnicodeWarning", Some("Warning")),
    ("BytesWarning", Some("Warning")),
    ("ResourceWarning", Some("Warning")),
    ("EncodingWarning", Some("Warning")),
];

/// The names of [`CLASSES`], by index.
pub static RAISABLE: [&str; CLASSES.len()] = {
    let mut out = [""; CLASSES.len()];
    let mut i = 0;
    while i < CLASSES.len() {
        out[i] = CLASSES[i].0;
        i += 1;
    }
    out
};

/// Other names of classes of [`CLASSES`] (`raise IOError(...)` raises an `OSError`).
const ALIASES: [(&str, &str); 2] = [("IOError", "OSError"), ("EnvironmentError", "OSError")];

/// The index of the builtin exception class `name`, if `raise` compiles it.
pub fn raisable(name: &str) -> Option<u32> {
    let name = ALIASES.iter().find(|(a, _)| *a == name).map_or(name, |(_, to)| to);
    RAISABLE.iter().position(|c| *c == name).map(|i| i as u32)
}

/// "Exception, ValueError, ...": for messages.
pub fn raisable_text() -> String {
    RAISABLE.join(", ")
}

/// The bit of class `name` in a set of [`RAISABLE`] classes (an `except` clause's).
pub fn class_bit(name: &str) -> Option<u64> {
    raisable(name).map(|i| 1 << i)
}

/// The classes of [`RAISABLE`] an exception of class `name` is an instance of (itself and its
/// bases, by Python's hierarchy), as bits: what an `except` clause naming any of them catches.
/// NumPy's `AxisError` (a ValueError and an IndexError) and `LinAlgError` (a ValueError) are
/// instances of their builtin bases.
pub fn mro_bits(name: &str) -> u64 {
    let starts: &[&str] = match name {
        "AxisError" => &["ValueError", "IndexError"],
        "LinAlgError" => &["ValueError"],
        n => &[n][..],
    };
    let mut bits = 0;
    for &start in starts {
        let mut at = Some(start);
        while let Some(n) = at {
            bits |= class_bit(n).unwrap_or(0);
            at = CLASSES.iter().find(|(c, _)| *c == n).and_then(|(_, base)| *base);
        }
    }
    // Every class compiled code reports, whatever its name, is an Exception.
    if bits == 0 {
        bits |= class_bit("Exception").unwrap_or(0) | class_bit("BaseException").unwrap_or(0);
    }
    bits
}
