//! The methods of a NumPy `Generator` compiled code may call (`rng = np.random.default_rng(s)`
//! or a Generator argument, then `rng.normal(...)`), one row each: the name and the parameters
//! before `size=` with their defaults. Lower binds method calls by this table, infer types them
//! by it, and the run-time (`crate::random::generator`, NumPy's distribution algorithms over the
//! Generator's bit generator) draws by [`GenFn`].

use super::random::{RandomDefault, RandomParam, RandomResult, RandomShape};

/// A method of `numpy.random.Generator` compiled code may call. The discriminant is the code
/// compiled code passes to the runtime's `sj_rt_gen_*` helpers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum GenFn {
    Random,
    StandardNormal,
    Normal,
    Uniform,
    Integers,
    Exponential,
    StandardExponential,
    Choice,
    Shuffle,
    Permutation,
    Beta,
    Gamma,
    StandardGamma,
    Geometric,
}

/// One row: the name, the parameters before `size` (positional or keyword), what a draw gives
/// and how its shape is asked for ([`RandomShape::Size`]: `size=` after the parameters;
/// [`RandomShape::Own`]: bound by its own rule in `lower::generator`).
pub struct GenRow {
    pub name: &'static str,
    pub function: GenFn,
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

const fn row(name: &'static str, function: GenFn, params: &'static [RandomParam], result: RandomResult) -> GenRow {
    GenRow { name, function, params, result, shape: RandomShape::Size }
}

const fn own(name: &'static str, function: GenFn, params: &'static [RandomParam], result: RandomResult) -> GenRow {
    GenRow { name, function, params, result, shape: RandomShape::Own }
}

use RandomDefault::{Bool, Float as D, NoneValue, Required as R};
use RandomResult::{Float as F, Int as I, Nothing, OfArgument};

/// The Generator methods compiled code may call, in the order messages list them.
pub static GENERATOR_METHODS: [GenRow; 14] = [
    row("random", GenFn::Random, &[], F),
    row("standard_normal", GenFn::StandardNormal, &[], F),
    row("normal", GenFn::Normal, &[f("loc", D(0.0)), f("scale", D(1.0))], F),
    row("uniform", GenFn::Uniform, &[f("low", D(0.0)), f("high", D(1.0))], F),
    // integers(low, high=None, size=None, dtype=np.int64, endpoint=False): `dtype` and
    // `endpoint` follow `size` (bound in `lower::generator`).
    row("integers", GenFn::Integers, &[i("low", R), i("high", NoneValue)], I),
    row("exponential", GenFn::Exponential, &[f("scale", D(1.0))], F),
    row("standard_exponential", GenFn::StandardExponential, &[], F),
    own(
        "choice",
        GenFn::Choice,
        &[
            i("a", R),
            i("size", NoneValue),
            i("replace", Bool(true)),
            f("p", NoneValue),
            i("axis", D(0.0)),
            i("shuffle", Bool(true)),
        ],
        OfArgument,
    ),
    own("shuffle", GenFn::Shuffle, &[i("x", R), i("axis", D(0.0))], Nothing),
    own("permutation", GenFn::Permutation, &[i("x", R), i("axis", D(0.0))], OfArgument),
    row("beta", GenFn::Beta, &[f("a", R), f("b", R)], F),
    row("gamma", GenFn::Gamma, &[f("shape", R), f("scale", D(1.0))], F),
    row("standard_gamma", GenFn::StandardGamma, &[f("shape", R)], F),
    // An int64 result, drawn as a double (an integer value) by the float helpers.
    row("geometric", GenFn::Geometric, &[f("p", R)], I),
];

/// The other methods of `numpy.random.Generator` (NumPy 2.4), not compiled yet: a call of one
/// on a value is a CompileError that says so.
pub static GENERATOR_METHODS_NOT_COMPILED: [&str; 30] = [
    "binomial",
    "bytes",
    "chisquare",
    "dirichlet",
    "f",
    "gumbel",
    "hypergeometric",
    "laplace",
    "logistic",
    "lognormal",
    "logseries",
    "multinomial",
    "multivariate_hypergeometric",
    "multivariate_normal",
    "negative_binomial",
    "noncentral_chisquare",
    "noncentral_f",
    "pareto",
    "permuted",
    "poisson",
    "power",
    "rayleigh",
    "spawn",
    "standard_cauchy",
    "standard_t",
    "triangular",
    "vonmises",
    "wald",
    "weibull",
    "zipf",
];

/// The Generator method called `name`, if it is compiled.
pub fn generator_method(name: &str) -> Option<&'static GenRow> {
    GENERATOR_METHODS.iter().find(|r| r.name == name)
}

/// `"random, standard_normal, ..."`: the compiled Generator methods, as messages list them.
pub fn generator_methods_text() -> String {
    GENERATOR_METHODS.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
}

impl GenFn {
    pub fn row(self) -> &'static GenRow {
        &GENERATOR_METHODS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }

    pub fn code(self) -> u32 {
        self as u32
    }

    /// The method whose [`GenFn::code`] is `code`.
    pub fn from_code(code: u32) -> Option<GenFn> {
        GENERATOR_METHODS.get(code as usize).map(|r| r.function)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_its_enum() {
        for (k, r) in GENERATOR_METHODS.iter().enumerate() {
            assert_eq!(r.function as usize, k, "{}", r.name);
            assert_eq!(GenFn::from_code(k as u32), Some(r.function));
            assert!(std::ptr::eq(generator_method(r.name).unwrap(), r));
        }
        assert_eq!(GenFn::from_code(GENERATOR_METHODS.len() as u32), None);
        assert_eq!(
            generator_methods_text(),
            "random, standard_normal, normal, uniform, integers, exponential, standard_exponential, choice, shuffle, permutation, \
             beta, gamma, standard_gamma, geometric"
        );
    }
}
