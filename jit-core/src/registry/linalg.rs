//! The `np.linalg` functions compiled code may call (LAPACK through `lapack.rs`, or the matrix
//! product): one row each, with what it takes.

/// A function of `np.linalg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinalgFn {
    Solve,
    Inv,
    Det,
    Slogdet,
    Cholesky,
    Eigh,
    Eigvalsh,
    Norm,
    MatrixPower,
}

pub struct LinalgRow {
    pub name: &'static str,
    pub function: LinalgFn,
    /// Positional arguments taken.
    pub args: usize,
    pub text: &'static str,
}

const fn row(name: &'static str, function: LinalgFn, args: usize, text: &'static str) -> LinalgRow {
    LinalgRow { name, function, args, text }
}

/// The functions, in the order messages list them.
pub static LINALG_FUNCTIONS: [LinalgRow; 9] = [
    row("solve", LinalgFn::Solve, 2, "a square matrix and a vector or matrix"),
    row("inv", LinalgFn::Inv, 1, "a square matrix"),
    row("det", LinalgFn::Det, 1, "a square matrix"),
    row("slogdet", LinalgFn::Slogdet, 1, "a square matrix"),
    row("cholesky", LinalgFn::Cholesky, 1, "a square matrix"),
    row("eigh", LinalgFn::Eigh, 1, "a square matrix"),
    row("eigvalsh", LinalgFn::Eigvalsh, 1, "a square matrix"),
    row("norm", LinalgFn::Norm, 1, "an array (the 2-norm of its elements)"),
    row("matrix_power", LinalgFn::MatrixPower, 2, "a square matrix and an int"),
];

impl LinalgFn {
    pub fn row(self) -> &'static LinalgRow {
        LINALG_FUNCTIONS.iter().find(|r| r.function == self).expect("every function has a row")
    }

    pub fn name(self) -> &'static str {
        self.row().name
    }
}

/// The function `np.linalg.<name>`, if compiled.
pub fn linalg_function(name: &str) -> Option<&'static LinalgRow> {
    LINALG_FUNCTIONS.iter().find(|r| r.name == name)
}

/// "solve, inv, ...": the compiled functions, for messages.
pub fn linalg_functions_text() -> String {
    LINALG_FUNCTIONS.iter().map(|r| r.name).collect::<Vec<_>>().join(", ")
}
