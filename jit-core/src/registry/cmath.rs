//! The functions and constants of Python's `cmath` module compiled code may use (`import
//! cmath`, then `cmath.f(...)`): their names, arities and codes (the run-time side is
//! `crate::cmath`, a port of CPython's `Modules/cmathmodule.c`).

/// A function of `cmath` compiled code may call (its discriminant is the run-time op code).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(i32)]
pub enum CmathFn {
    Sqrt = 0,
    Exp = 1,
    Log = 2,
    Log10 = 3,
    Sin = 4,
    Cos = 5,
    Tan = 6,
    Asin = 7,
    Acos = 8,
    Atan = 9,
    Sinh = 10,
    Cosh = 11,
    Tanh = 12,
    Asinh = 13,
    Acosh = 14,
    Atanh = 15,
    Phase = 16,
    Polar = 17,
    Rect = 18,
    Isnan = 19,
    Isinf = 20,
    Isfinite = 21,
    Isclose = 22,
}

impl CmathFn {
    /// Every function, in the order messages list them.
    pub const ALL: [CmathFn; 23] = [
        CmathFn::Sqrt,
        CmathFn::Exp,
        CmathFn::Log,
        CmathFn::Log10,
        CmathFn::Sin,
        CmathFn::Cos,
        CmathFn::Tan,
        CmathFn::Asin,
        CmathFn::Acos,
        CmathFn::Atan,
        CmathFn::Sinh,
        CmathFn::Cosh,
        CmathFn::Tanh,
        CmathFn::Asinh,
        CmathFn::Acosh,
        CmathFn::Atanh,
        CmathFn::Phase,
        CmathFn::Polar,
        CmathFn::Rect,
        CmathFn::Isnan,
        CmathFn::Isinf,
        CmathFn::Isfinite,
        CmathFn::Isclose,
    ];

    pub fn name(self) -> &'static str {
        match self {
            CmathFn::Sqrt => "sqrt",
            CmathFn::Exp => "exp",
            CmathFn::Log => "log",
            CmathFn::Log10 => "log10",
            CmathFn::Sin => "sin",
            CmathFn::Cos => "cos",
            CmathFn::Tan => "tan",
            CmathFn::Asin => "asin",
            CmathFn::Acos => "acos",
            CmathFn::Atan => "atan",
            CmathFn::Sinh => "sinh",
            CmathFn::Cosh => "cosh",
            CmathFn::Tanh => "tanh",
            CmathFn::Asinh => "asinh",
            CmathFn::Acosh => "acosh",
            CmathFn::Atanh => "atanh",
            CmathFn::Phase => "phase",
            CmathFn::Polar => "polar",
            CmathFn::Rect => "rect",
            CmathFn::Isnan => "isnan",
            CmathFn::Isinf => "isinf",
            CmathFn::Isfinite => "isfinite",
            CmathFn::Isclose => "isclose",
        }
    }

    pub fn from_name(name: &str) -> Option<CmathFn> {
        CmathFn::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn from_code(code: i32) -> Option<CmathFn> {
        CmathFn::ALL.into_iter().find(|f| *f as i32 == code)
    }

    /// How many arguments it takes (`log` also takes a base).
    pub fn arity(self) -> std::ops::RangeInclusive<usize> {
        match self {
            CmathFn::Log => 1..=2,
            CmathFn::Rect | CmathFn::Isclose => 2..=2,
            _ => 1..=1,
        }
    }
}

/// The constants of `cmath` compiled code may read, in the order messages list them.
pub const CMATH_CONSTANTS: [&str; 7] = ["pi", "e", "tau", "inf", "nan", "infj", "nanj"];

/// `cmath.name` of a constant: its value as (real, imaginary) and whether it is a complex.
pub fn constant(name: &str) -> Option<(f64, f64, bool)> {
    Some(match name {
        "pi" => (std::f64::consts::PI, 0.0, false),
        "e" => (std::f64::consts::E, 0.0, false),
        "tau" => (std::f64::consts::TAU, 0.0, false),
        "inf" => (f64::INFINITY, 0.0, false),
        "nan" => (f64::NAN, 0.0, false),
        "infj" => (0.0, f64::INFINITY, true),
        "nanj" => (0.0, f64::NAN, true),
        _ => return None,
    })
}

/// The `cmath` functions compiled code may call, for messages.
pub fn cmath_functions_text() -> String {
    CmathFn::ALL.iter().map(|f| f.name()).collect::<Vec<_>>().join(", ")
}
