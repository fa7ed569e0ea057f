//! The `np.linalg` functions compiled code may call (LAPACK through `lapack.rs` and
//! `lapack/factor.rs`, or the matrix product): one row each, with what it takes.

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
    /// `svd(a)`, `svd(a, True)`: full u and vh.
    Svd,
    /// `svd(a, False)` (full_matrices a literal False): reduced u and vh.
    SvdReduced,
    /// `svd(a, compute_uv=False)` and `svdvals(a)`: the singular values.
    SvdVals,
    Qr,
    Lstsq,
    Pinv,
    MatrixRank,
    Cond,
    /// `eig(a)`: eigenvalues and right eigenvectors (LAPACK `?geev`).
    Eig,
    /// `eigvals(a)`: the eigenvalues.
    Eigvals,
    /// `norm(x, 'fro')` of a matrix (the default norm).
    NormFro,
    /// `norm(x, 'nuc')`: the sum of the singular values.
    NormNuc,
}

pub struct LinalgRow {
    pub name: &'static str,
    pub function: LinalgFn,
    /// Positional arguments required.
    pub args: usize,
    /// Every parameter's name, in order (the required ones first): the optional ones may be
    /// given by position or keyword.
    pub params: &'static [&'static str],
    pub text: &'static str,
}

const fn row(
    name: &'static str,
    function: LinalgFn,
    args: usize,
    params: &'static [&'static str],
    text: &'static str,
) -> LinalgRow {
    LinalgRow { name, function, args, params, text }
}

/// The functions, in the order messages list them (a function of several rows: its first is
/// the one looked up by name).
pub static LINALG_FUNCTIONS: [LinalgRow; 22] = [
    row("solve", LinalgFn::Solve, 2, &["a", "b"], "a square matrix and a vector or matrix"),
    row("inv", LinalgFn::Inv, 1, &["a"], "a square matrix"),
    row("det", LinalgFn::Det, 1, &["a"], "a square matrix"),
    row("slogdet", LinalgFn::Slogdet, 1, &["a"], "a square matrix"),
    row("cholesky", LinalgFn::Cholesky, 1, &["a"], "a square matrix"),
    row("eigh", LinalgFn::Eigh, 1, &["a"], "a square matrix"),
    row("eigvalsh", LinalgFn::Eigvalsh, 1, &["a"], "a square matrix"),
    row("norm", LinalgFn::Norm, 1, &["x", "ord", "axis"], "an array, a number as ord and an int as axis"),
    row("matrix_power", LinalgFn::MatrixPower, 2, &["a", "n"], "a square matrix and an int"),
    row(
        "svd",
        LinalgFn::Svd,
        1,
        &["a", "full_matrices", "compute_uv"],
        "a matrix, and literal True or False as full_matrices and compute_uv",
    ),
    row(
        "svd",
        LinalgFn::SvdReduced,
        1,
        &["a", "full_matrices", "compute_uv"],
        "a matrix, and literal True or False as full_matrices and compute_uv",
    ),
    row(
        "svd",
        LinalgFn::SvdVals,
        1,
        &["a", "full_matrices", "compute_uv"],
        "a matrix, and literal True or False as full_matrices and compute_uv",
    ),
    row("svdvals", LinalgFn::SvdVals, 1, &["x"], "a matrix"),
    row("qr", LinalgFn::Qr, 1, &["a"], "a matrix (mode 'reduced')"),
    row("lstsq", LinalgFn::Lstsq, 2, &["a", "b", "rcond"], "a matrix, a vector or matrix, and a number as rcond"),
    row("pinv", LinalgFn::Pinv, 1, &["a", "rcond"], "a matrix and a number as rcond"),
    row("matrix_rank", LinalgFn::MatrixRank, 1, &["A", "tol"], "a matrix and a number as tol"),
    row("cond", LinalgFn::Cond, 1, &["x"], "a matrix (the 2-norm condition number)"),
    row("eig", LinalgFn::Eig, 1, &["a"], "a square matrix"),
    row("eigvals", LinalgFn::Eigvals, 1, &["a"], "a square matrix"),
    row("norm", LinalgFn::NormFro, 1, &["x", "ord", "axis"], "an array, a number as ord and an int as axis"),
    row("norm", LinalgFn::NormNuc, 1, &["x", "ord", "axis"], "an array, a number as ord and an int as axis"),
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
    let mut names: Vec<&str> = Vec::new();
    for r in &LINALG_FUNCTIONS {
        if !names.contains(&r.name) {
            names.push(r.name);
        }
    }
    names.join(", ")
}
