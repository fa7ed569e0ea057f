//! The `np.random` functions compiled code may call (NumPy's legacy `RandomState` API), one row
//! each: the name, the parameters with their defaults, what a draw gives and how its shape is
//! asked for. Lower binds calls by this table, infer types them by it, and the run-time
//! generator (`crate::random`) draws by [`RandomFn`].

/// A function of `np.random` that compiled code may call. The discriminant is the code compiled
/// code passes to the runtime's `sj_rt_random_*` helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum RandomFn {
    Seed,
    Random,
    RandomSample,
    Rand,
    Randn,
    StandardNormal,
    Normal,
    Uniform,
    Randint,
    StandardExponential,
    Exponential,
    Poisson,
    Binomial,
    Geometric,
    StandardGamma,
    Gamma,
    Beta,
    Chisquare,
    Lognormal,
    Laplace,
    Logistic,
    Gumbel,
    Weibull,
    Pareto,
    Rayleigh,
    Triangular,
    Power,
    StandardCauchy,
    StandardT,
    F,
    NoncentralChisquare,
    NoncentralF,
    Wald,
    Vonmises,
    NegativeBinomial,
    Zipf,
    Logseries,
    Choice,
    Shuffle,
    Permutation,
}

/// A parameter's default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RandomDefault {
    Required,
    Float(f64),
    /// `None` (randint's `high`, seed's `seed`): the function's own meaning of it.
    NoneValue,
    /// A bool (choice's `replace=True`).
    Bool(bool),
}

/// One parameter: its name (as a keyword), whether it is an integer, its default.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RandomParam {
    pub name: &'static str,
    pub int: bool,
    pub default: RandomDefault,
}

/// What one draw gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RandomResult {
    Float,
    Int,
    /// `seed`: nothing.
    Nothing,
    /// choice, permutation: elements of the argument (its dtype; int64 for an int `a`).
    OfArgument,
}

/// How the shape of an array of draws is asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RandomShape {
    /// `size=` (an int or a tuple of ints), after the parameters, positional or keyword.
    Size,
    /// `rand(d0, d1, ...)`: the dimensions as the arguments.
    Dims,
    /// `seed`: no shape.
    Scalar,
    /// choice(a, size=None, replace=True, p=None), shuffle(x), permutation(x): bound by their
    /// own rule (`lower::random`), of arrays.
    Own,
}

pub struct RandomRow {
    pub name: &'static str,
    pub function: RandomFn,
    pub params: &'static [RandomParam],
    pub result: RandomResult,
    pub shape: RandomShape,
}

const fn f(name: &'static str, default: RandomDefault) -> RandomParam {
    RandomParam { name, int: false, default }
}

const fn i(name: &'static str, default: RandomDefault) -> RandomParam {
    RandomParam { name, int: true, default }
}

const fn row(name: &'static str, function: RandomFn, params: &'static [RandomParam], result: RandomResult) -> RandomRow {
    RandomRow { name, function, params, result, shape: RandomShape::Size }
}

use RandomDefault::{Float as D, NoneValue, Required as R};
use RandomResult::{Float as F, Int as I};

/// The `np.random` functions compiled code may call, in the order messages list them.
pub static RANDOM_FUNCTIONS: [RandomRow; 40] = [
    RandomRow {
        name: "seed",
        function: RandomFn::Seed,
        params: &[i("seed", NoneValue)],
        result: RandomResult::Nothing,
        shape: RandomShape::Scalar,
    },
    row("random", RandomFn::Random, &[], F),
    row("random_sample", RandomFn::RandomSample, &[], F),
    RandomRow { name: "rand", function: RandomFn::Rand, params: &[], result: F, shape: RandomShape::Dims },
    RandomRow { name: "randn", function: RandomFn::Randn, params: &[], result: F, shape: RandomShape::Dims },
    row("standard_normal", RandomFn::StandardNormal, &[], F),
    row("normal", RandomFn::Normal, &[f("loc", D(0.0)), f("scale", D(1.0))], F),
    row("uniform", RandomFn::Uniform, &[f("low", D(0.0)), f("high", D(1.0))], F),
    row("randint", RandomFn::Randint, &[i("low", R), i("high", NoneValue)], I),
    row("standard_exponential", RandomFn::StandardExponential, &[], F),
    row("exponential", RandomFn::Exponential, &[f("scale", D(1.0))], F),
    row("poisson", RandomFn::Poisson, &[f("lam", D(1.0))], I),
    row("binomial", RandomFn::Binomial, &[i("n", R), f("p", R)], I),
    row("geometric", RandomFn::Geometric, &[f("p", R)], I),
    row("standard_gamma", RandomFn::StandardGamma, &[f("shape", R)], F),
    row("gamma", RandomFn::Gamma, &[f("shape", R), f("scale", D(1.0))], F),
    row("beta", RandomFn::Beta, &[f("a", R), f("b", R)], F),
    row("chisquare", RandomFn::Chisquare, &[f("df", R)], F),
    row("lognormal", RandomFn::Lognormal, &[f("mean", D(0.0)), f("sigma", D(1.0))], F),
    row("laplace", RandomFn::Laplace, &[f("loc", D(0.0)), f("scale", D(1.0))], F),
    row("logistic", RandomFn::Logistic, &[f("loc", D(0.0)), f("scale", D(1.0))], F),
    row("gumbel", RandomFn::Gumbel, &[f("loc", D(0.0)), f("scale", D(1.0))], F),
    row("weibull", RandomFn::Weibull, &[f("a", R)], F),
    row("pareto", RandomFn::Pareto, &[f("a", R)], F),
    row("rayleigh", RandomFn::Rayleigh, &[f("scale", D(1.0))], F),
    row("triangular", RandomFn::Triangular, &[f("left", R), f("mode", R), f("right", R)], F),
    row("power", RandomFn::Power, &[f("a", R)], F),
    row("standard_cauchy", RandomFn::StandardCauchy, &[], F),
    row("standard_t", RandomFn::StandardT, &[f("df", R)], F),
    row("f", RandomFn::F, &[f("dfnum", R), f("dfden", R)], F),
    row("noncentral_chisquare", RandomFn::NoncentralChisquare, &[f("df", R), f("nonc", R)], F),
    row("noncentral_f", RandomFn::NoncentralF, &[f("dfnum", R), f("dfden", R), f("nonc", R)], F),
    row("wald", RandomFn::Wald, &[f("mean", R), f("scale", R)], F),
    row("vonmises", RandomFn::Vonmises, &[f("mu", R), f("kappa", R)], F),
    row("negative_binomial", RandomFn::NegativeBinomial, &[f("n", R), f("p", R)], I),
    row("zipf", RandomFn::Zipf, &[f("a", R)], I),
    row("logseries", RandomFn::Logseries, &[f("p", R)], I),
    RandomRow {
        name: "choice",
        function: RandomFn::Choice,
        params: &[i("a", R), i("size", NoneValue), i("replace", RandomDefault::Bool(true)), f("p", NoneValue)],
        result: RandomResult::OfArgument,
        shape: RandomShape::Own,
    },
    RandomRow {
        name: "shuffle",
        function: RandomFn::Shuffle,
        params: &[i("x", R)],
        result: RandomResult::Nothing,
        shape: RandomShape::Own,
    },
    RandomRow {
        name: "permutation",
        function: RandomFn::Permutation,
        params: &[i("x", R)],
        result: RandomResult::OfArgument,
        shape: RandomShape::Own,
    },
];

/// The `np.random` function called `name`, if it is compiled.
pub fn random_function(name: &str) -> Option<&'static RandomRow> {
    // NumPy's other names of `random_sample` (Numba compiles them too).
    let name = match name {
        "ranf" | "sample" => "random_sample",
        n => n,
    };
    RANDOM_FUNCTIONS.iter().find(|r| r.name == name)
}

/// NumPy's other names of compiled `np.random` functions (`ranf`, `sample`): `random_function`
/// takes them; the host resolves a global bound to one by them (`_support._random_name`).
pub const RANDOM_ALIASES: [&str; 2] = ["ranf", "sample"];

/// `"seed, random, ..."`: the compiled `np.random` functions, as messages list them.
pub fn random_functions_text() -> String {
    RANDOM_FUNCTIONS.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
}

impl RandomFn {
    pub fn row(self) -> &'static RandomRow {
        &RANDOM_FUNCTIONS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    /// The function whose [`RandomFn::code`] is `code`.
    pub fn from_code(code: u32) -> Option<RandomFn> {
        RANDOM_FUNCTIONS.get(code as usize).map(|r| r.function)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_its_enum() {
        for (k, r) in RANDOM_FUNCTIONS.iter().enumerate() {
            assert_eq!(r.function as usize, k, "{}", r.name);
            assert_eq!(RandomFn::from_code(k as u32), Some(r.function));
            assert!(std::ptr::eq(random_function(r.name).unwrap(), r));
        }
        assert_eq!(RandomFn::from_code(RANDOM_FUNCTIONS.len() as u32), None);
    }
}
