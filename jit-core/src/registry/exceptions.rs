//! The exception classes compiled code may `raise` (Python's builtins, by name) and how they
//! reach Python: `sj_rt_raise` records the class and message, the status says "raised".

/// The builtin exception classes `raise` compiles (an index into this table is what compiled
/// code records).
pub static RAISABLE: [&str; 16] = [
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
];

/// The index of the builtin exception class `name`, if `raise` compiles it.
pub fn raisable(name: &str) -> Option<u32> {
    RAISABLE.iter().position(|c| *c == name).map(|i| i as u32)
}

/// "Exception, ValueError, ...": for messages.
pub fn raisable_text() -> String {
    RAISABLE.join(", ")
}
