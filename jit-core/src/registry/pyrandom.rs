//! The functions of Python's `random` module compiled code may call (`import random`, then
//! `random.f(...)`), one row each: the name and the parameters with their defaults. Lower binds
//! calls by this table, infer types them, and the run-time generator (`crate::random::pyrandom`,
//! CPython's Mersenne Twister and algorithms, apart from `np.random`'s) draws.

use super::random::{RandomDefault, RandomParam};

/// A function of `random` compiled code may call.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
pub enum PyRandomFn {
    Seed,
    Random,
    Uniform,
    Randint,
    Randrange,
    Gauss,
    Normalvariate,
    Expovariate,
    Choice,
    Shuffle,
    Getrandbits,
}

/// One row: the name, the parameters (positional or keyword) and whether a draw is an int.
pub struct PyRandomRow {
    pub name: &'static str,
    pub function: PyRandomFn,
    pub params: &'static [RandomParam],
}

const fn f(name: &'static str, default: RandomDefault) -> RandomParam {
    RandomParam { name, int: false, default }
}

const fn i(name: &'static str, default: RandomDefault) -> RandomParam {
    RandomParam { name, int: true, default }
}

const fn row(name: &'static str, function: PyRandomFn, params: &'static [RandomParam]) -> PyRandomRow {
    PyRandomRow { name, function, params }
}

use RandomDefault::{Float as D, NoneValue, Required as R};

/// The `random` functions compiled code may call, in the order messages list them.
pub static PY_RANDOM_FUNCTIONS: [PyRandomRow; 11] = [
    row("seed", PyRandomFn::Seed, &[i("a", NoneValue)]),
    row("random", PyRandomFn::Random, &[]),
    row("uniform", PyRandomFn::Uniform, &[f("a", R), f("b", R)]),
    row("randint", PyRandomFn::Randint, &[i("a", R), i("b", R)]),
    row("randrange", PyRandomFn::Randrange, &[i("start", R), i("stop", NoneValue), i("step", D(1.0))]),
    row("gauss", PyRandomFn::Gauss, &[f("mu", D(0.0)), f("sigma", D(1.0))]),
    row("normalvariate", PyRandomFn::Normalvariate, &[f("mu", D(0.0)), f("sigma", D(1.0))]),
    row("expovariate", PyRandomFn::Expovariate, &[f("lambd", D(1.0))]),
    row("choice", PyRandomFn::Choice, &[i("seq", R)]),
    row("shuffle", PyRandomFn::Shuffle, &[i("x", R)]),
    row("getrandbits", PyRandomFn::Getrandbits, &[i("k", R)]),
];

/// The `random` function called `name`, if it is compiled.
pub fn py_random_function(name: &str) -> Option<&'static PyRandomRow> {
    PY_RANDOM_FUNCTIONS.iter().find(|r| r.name == name)
}

/// `"seed, random, ..."`: the compiled `random` functions, as messages list them.
pub fn py_random_functions_text() -> String {
    PY_RANDOM_FUNCTIONS.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
}

impl PyRandomFn {
    pub fn row(self) -> &'static PyRandomRow {
        &PY_RANDOM_FUNCTIONS[self as usize]
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_indexed_by_its_enum() {
        for (k, r) in PY_RANDOM_FUNCTIONS.iter().enumerate() {
            assert_eq!(r.function as usize, k, "{}", r.name);
            assert!(std::ptr::eq(py_random_function(r.name).unwrap(), r));
        }
        assert_eq!(
            py_random_functions_text(),
            "seed, random, uniform, randint, randrange, gauss, normalvariate, expovariate, choice, shuffle, getrandbits"
        );
    }
}
