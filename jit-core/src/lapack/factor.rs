//! `np.linalg`'s functions of m × n matrices at run time (svd, svdvals, qr, lstsq, and what
//! NumPy computes from the SVD: pinv, matrix_rank, cond): the LAPACK routines NumPy's
//! `umath_linalg` calls (`dgesdd`, `dgeqrf` + `dorgqr`, `dgelsd`), with its workspace queries and
//! leading dimensions, on the same Fortran-order float64 copy. float32 input is computed in
//! float64 and the results rounded to float32, as NumPy's `_commonType` does: answers are
//! NumPy's bit for bit in both dtypes.

use std::ffi::{c_char, c_void};

use super::{fail, Calls, In, Int, Real, NAMINGS};

pub mod norm;
mod zlstsq;
mod zqr;
mod zsvd;
use crate::linalg::{symbol, Lookup};
use crate::registry::{Dtype, Status};

/// An operation of [`sj_rt_lapack_factor`]; the outputs (`outs[0..4]`, C-contiguous, of the
/// output dtype unless said) it writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum FactorOp {
    /// `u (m × m), s (k), vh (n × n) = svd(a)` (`jobz` 'A').
    Svd = 0,
    /// `u (m × k), s (k), vh (k × n) = svd(a, False)` (`jobz` 'S').
    SvdReduced = 1,
    /// `s (k) = svd(a, compute_uv=False)` (`jobz` 'N').
    SvdVals = 2,
    /// `q (m × k), r (k × n) = qr(a)`.
    Qr = 3,
    /// `x (n × nrhs, or n), residuals (nrhs, or 1; written when m > n and the rank is n), rank
    /// (an i64), s (k) = lstsq(a, b, rcond)`.
    Lstsq = 4,
    /// `pinv(a, rcond)` (n × m).
    Pinv = 5,
    /// `matrix_rank(a, tol)` (an i64).
    MatrixRank = 6,
    /// `cond(a)` (one element).
    Cond = 7,
    /// `norm(x, ord, axis)` of the 1-D (`nrhs` 1; `cols` 1) or 2-D (`nrhs` 2) `x` **of the
    /// output dtype**, `ord` the param (None when not `has_param`), `axis` as `b_rows`
    /// ([`norm::NO_AXIS`] for None): one element, or one per line along the axis.
    Norm = 8,
    /// `norm(a, 'nuc')`: the sum of the singular values (one element).
    Nuc = 9,
}

impl FactorOp {
    fn from_code(code: i32) -> Option<FactorOp> {
        use FactorOp::*;
        [Svd, SvdReduced, SvdVals, Qr, Lstsq, Pinv, MatrixRank, Cond, Norm, Nuc].into_iter().find(|o| *o as i32 == code)
    }
}

/// The double-precision routines.
struct Routines {
    ilp64: bool,
    gesdd: usize,
    geqrf: usize,
    orgqr: usize,
    gelsd: usize,
}

static ROUTINES: Lookup<Routines> = Lookup::new();

fn routines_in(handle: *mut c_void, _path: String) -> Option<Routines> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let sym = |f: &str| symbol(handle, &format!("{prefix}d{f}{suffix}"));
        Some(Routines { ilp64, gesdd: sym("gesdd")?, geqrf: sym("geqrf")?, orgqr: sym("orgqr")?, gelsd: sym("gelsd")? })
    })
}

// Fortran calling convention (see `lapack.rs`).
#[allow(clippy::type_complexity)]
type Gesdd = unsafe extern "C" fn(
    *const c_char,
    *const Int,
    *const Int,
    *mut f64,
    *const Int,
    *mut f64,
    *mut f64,
    *const Int,
    *mut f64,
    *const Int,
    *mut f64,
    *const Int,
    *mut Int,
    *mut Int,
    usize,
);
type Geqrf = unsafe extern "C" fn(*const Int, *const Int, *mut f64, *const Int, *mut f64, *mut f64, *const Int, *mut Int);
type Orgqr =
    unsafe extern "C" fn(*const Int, *const Int, *const Int, *mut f64, *const Int, *const f64, *mut f64, *const Int, *mut Int);
#[allow(clippy::type_complexity)]
type Gelsd = unsafe extern "C" fn(
    *const Int,
    *const Int,
    *const Int,
    *mut f64,
    *const Int,
    *mut f64,
    *const Int,
    *mut f64,
    *const f64,
    *mut Int,
    *mut f64,
    *const Int,
    *mut Int,
    *mut Int,
);

/// The float type of the results, and what NumPy computes in it after the factorization.
trait Float: Real + std::ops::Sub<Output = Self> {
    const EPS: Self;
    const DTYPE: Dtype;
    fn is_nan(self) -> bool;
    fn powf(self, p: Self) -> Self;
    /// `|x|`: the sign bit cleared (as C's `fabs`).
    fn fabs(self) -> Self;
    /// `self * b + c` rounded once.
    fn mul_add(self, b: Self, c: Self) -> Self;
    /// The C library's `hypot` (`hypotf`).
    fn hypot(self, y: Self) -> Self;
}

impl Float for f64 {
    const EPS: Self = f64::EPSILON;
    const DTYPE: Dtype = Dtype::Float64;
    fn is_nan(self) -> bool {
        f64::is_nan(self)
    }
    fn powf(self, p: Self) -> Self {
        f64::powf(self, p)
    }
    fn fabs(self) -> Self {
        f64::abs(self)
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        f64::mul_add(self, b, c)
    }
    fn hypot(self, y: Self) -> Self {
        f64::hypot(self, y)
    }
}

impl Float for f32 {
    const EPS: Self = f32::EPSILON;
    const DTYPE: Dtype = Dtype::Float32;
    fn is_nan(self) -> bool {
        f32::is_nan(self)
    }
    fn powf(self, p: Self) -> Self {
        f32::powf(self, p)
    }
    fn fabs(self) -> Self {
        f32::abs(self)
    }
    #[inline(always)]
    fn mul_add(self, b: Self, c: Self) -> Self {
        f32::mul_add(self, b, c)
    }
    fn hypot(self, y: Self) -> Self {
        f32::hypot(self, y)
    }
}

/// The column-major matrix `f` (`rows × cols`, leading dimension `ld`) written to the
/// C-contiguous `out`, rounded to `T`.
///
/// # Safety
/// `out` holds rows × cols elements of `T`.
unsafe fn store<T: Float>(f: &[f64], rows: i64, cols: i64, ld: i64, out: *mut u8) {
    let out = out as *mut T;
    for i in 0..rows {
        for j in 0..cols {
            unsafe { out.add((i * cols + j) as usize).write(T::from_f64(f[(i + j * ld) as usize])) };
        }
    }
}

/// The SVD as NumPy's `svd_wrapper` computes it: `s` (k), and for `jobz` 'A' or 'S' the
/// column-major `u` (`m × ucols`, leading dimension max(m, 1)) and `vt` (`vtrows × n`, leading
/// dimension max(vtrows, 1)).
struct Svd {
    s: Vec<f64>,
    u: Vec<f64>,
    ucols: i64,
    vt: Vec<f64>,
    vtrows: i64,
}

impl Svd {
    /// # Safety
    /// `u_out`, `vt_out` hold m × ucols and vtrows × n elements of `T`.
    unsafe fn store_uv<T: Float>(&self, m: i64, n: i64, u_out: *mut u8, vt_out: *mut u8) {
        unsafe {
            store::<T>(&self.u, m, self.ucols, m.max(1), u_out);
            store::<T>(&self.vt, self.vtrows, n, self.vtrows.max(1), vt_out);
        }
    }

    fn s_as<T: Float>(&self) -> Vec<T> {
        self.s.iter().map(|&x| T::from_f64(x)).collect()
    }
}

/// `?gesdd` with `jobz` (b'A', b'S' or b'N') of the float64 matrix `a`, as NumPy calls it.
///
/// # Safety
/// `a` is a live float64 matrix.
unsafe fn gesdd(r: &Routines, jobz: u8, a: &In) -> Result<Svd, u32> {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let (ucols, vtrows) = match jobz {
        b'A' => (m, n),
        b'S' => (k, k),
        _ => (0, 0),
    };
    let mut out =
        Svd { s: vec![0.0; k as usize], u: vec![0.0; (m * ucols) as usize], ucols, vt: vec![0.0; (vtrows * n) as usize], vtrows };
    if k == 0 {
        // LAPACK returns at once; NumPy makes the identity of whichever of u and vt is not empty.
        if jobz == b'A' {
            for i in 0..m {
                out.u[(i + i * m) as usize] = 1.0;
            }
            for i in 0..n {
                out.vt[(i + i * n) as usize] = 1.0;
            }
        }
        return Ok(out);
    }
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<f64> = unsafe { a.fortran() };
    let (mm, nn, ld) = (calls.int(m), calls.int(n), calls.int(m.max(1)));
    let ldvt = calls.int(vtrows.max(1));
    out.u.resize(out.u.len().max(1), 0.0);
    out.vt.resize(out.vt.len().max(1), 0.0);
    let mut iwork = vec![calls.int(0); 8 * k as usize];
    let mut info = calls.int(0);
    let jobz = [jobz as c_char];
    // SAFETY: the sizes LAPACK documents for gesdd; a workspace query first.
    unsafe {
        let gesdd: Gesdd = std::mem::transmute::<usize, Gesdd>(r.gesdd);
        let mut call = |work: &mut [f64], lwork: i64, info: &mut Int| {
            gesdd(
                jobz.as_ptr(),
                &mm,
                &nn,
                mat.as_mut_ptr(),
                &ld,
                out.s.as_mut_ptr(),
                out.u.as_mut_ptr(),
                &ld,
                out.vt.as_mut_ptr(),
                &ldvt,
                work.as_mut_ptr(),
                &calls.int(lwork),
                iwork.as_mut_ptr(),
                info,
                1,
            )
        };
        let mut query = [0.0f64];
        call(&mut query, -1, &mut info);
        if calls.value(info) != 0 {
            return Err(fail(Status::LinAlg, "SVD did not converge"));
        }
        let lwork = (query[0] as i64).max(1);
        let mut work = vec![0.0f64; lwork as usize];
        call(&mut work, lwork, &mut info);
    }
    if calls.value(info) != 0 {
        return Err(fail(Status::LinAlg, "SVD did not converge"));
    }
    Ok(out)
}

/// `qr(a)` (mode 'reduced') as NumPy's `qr_r_raw` and `qr_reduced`: `?geqrf`, then `?orgqr`
/// on the first k columns of the factored matrix.
///
/// # Safety
/// As [`sj_rt_lapack_factor`].
unsafe fn qr<T: Float>(r: &Routines, a: &In, q_out: *mut u8, r_out: *mut u8) -> u32 {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    if k == 0 {
        return 0;
    }
    const MESSAGE: &str = "Incorrect argument found while performing QR factorization";
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<f64> = unsafe { a.fortran() };
    let (mm, nn, kk, lda) = (calls.int(m), calls.int(n), calls.int(k), calls.int(m.max(1)));
    let mut tau = vec![0.0f64; k as usize];
    let mut info = calls.int(0);
    // SAFETY: the sizes LAPACK documents for geqrf and orgqr; workspace queries first.
    unsafe {
        let geqrf: Geqrf = std::mem::transmute::<usize, Geqrf>(r.geqrf);
        let mut query = [0.0f64];
        geqrf(&mm, &nn, mat.as_mut_ptr(), &lda, tau.as_mut_ptr(), query.as_mut_ptr(), &calls.int(-1), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        let lwork = n.max(1).max(query[0] as i64);
        let mut work = vec![0.0f64; lwork as usize];
        geqrf(&mm, &nn, mat.as_mut_ptr(), &lda, tau.as_mut_ptr(), work.as_mut_ptr(), &calls.int(lwork), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        // r: the upper triangle of the first k rows.
        let out = r_out as *mut T;
        for i in 0..k {
            for j in 0..n {
                let x = if j >= i { mat[(i + j * m) as usize] } else { 0.0 };
                out.add((i * n + j) as usize).write(T::from_f64(x));
            }
        }
        let mut q = mat[..(m * k) as usize].to_vec();
        let orgqr: Orgqr = std::mem::transmute::<usize, Orgqr>(r.orgqr);
        orgqr(&mm, &kk, &kk, q.as_mut_ptr(), &lda, tau.as_ptr(), query.as_mut_ptr(), &calls.int(-1), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        let lwork = n.max(1).max(query[0] as i64);
        let mut work = vec![0.0f64; lwork as usize];
        orgqr(&mm, &kk, &kk, q.as_mut_ptr(), &lda, tau.as_ptr(), work.as_mut_ptr(), &calls.int(lwork), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        store::<T>(&q, m, k, m, q_out);
    }
    0
}

/// `lstsq(a, b, rcond)` as NumPy's `lstsq`: `?gelsd` on `b` copied into a `max(m, n)`-row
/// block (a zero column for no right-hand side), the residuals as the sums of squares of the
/// rows past n.
///
/// # Safety
/// As [`sj_rt_lapack_factor`].
unsafe fn lstsq<T: Float>(r: &Routines, a: &In, b: &In, rcond: f64, outs: &[*mut u8; 4]) -> u32 {
    let (m, n, nrhs) = (a.rows, a.cols, b.cols);
    if b.rows != m {
        return fail(Status::LinAlg, "Incompatible dimensions");
    }
    let k = m.min(n);
    let cols = nrhs.max(1);
    let ldb = m.max(n).max(1);
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<f64> = unsafe { a.fortran() };
    let mut rhs = vec![0.0f64; (ldb * cols) as usize];
    for j in 0..nrhs {
        for i in 0..m {
            rhs[(i + j * ldb) as usize] =
                unsafe { (b.data.offset((i * b.s0 + j * b.s1) as isize) as *const f64).read_unaligned() };
        }
    }
    let mut s = vec![0.0f64; k.max(1) as usize];
    let (mm, nn, cc, lda, lb) = (calls.int(m), calls.int(n), calls.int(cols), calls.int(m.max(1)), calls.int(ldb));
    let mut rank = calls.int(0);
    let mut info = calls.int(0);
    // SAFETY: the sizes LAPACK documents for gelsd; a workspace query first.
    unsafe {
        let gelsd: Gelsd = std::mem::transmute::<usize, Gelsd>(r.gelsd);
        let mut call = |work: &mut [f64], lwork: i64, iwork: &mut [Int], rank: &mut Int, info: &mut Int| {
            gelsd(
                &mm,
                &nn,
                &cc,
                mat.as_mut_ptr(),
                &lda,
                rhs.as_mut_ptr(),
                &lb,
                s.as_mut_ptr(),
                &rcond,
                rank,
                work.as_mut_ptr(),
                &calls.int(lwork),
                iwork.as_mut_ptr(),
                info,
            )
        };
        let (mut query, mut iquery) = ([0.0f64], [calls.int(0)]);
        call(&mut query, -1, &mut iquery, &mut rank, &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, "SVD did not converge in Linear Least Squares");
        }
        let lwork = (query[0] as i64).max(1);
        let mut work = vec![0.0f64; lwork as usize];
        let mut iwork = vec![calls.int(0); calls.value(iquery[0]).max(1) as usize];
        call(&mut work, lwork, &mut iwork, &mut rank, &mut info);
    }
    if calls.value(info) != 0 {
        return fail(Status::LinAlg, "SVD did not converge in Linear Least Squares");
    }
    let rank = calls.value(rank);
    if m == 0 {
        rhs.fill(0.0);
    }
    // SAFETY: the outputs have the sizes FactorOp::Lstsq says.
    unsafe {
        store::<T>(&rhs, n, nrhs, ldb, outs[0]);
        if m > n && rank == n {
            let resid = outs[1] as *mut T;
            for j in 0..nrhs {
                let mut sum = 0.0f64;
                for &x in &rhs[(n + j * m) as usize..(m + j * m) as usize] {
                    sum += x * x;
                }
                resid.add(j as usize).write(T::from_f64(sum));
            }
        }
        (outs[2] as *mut i64).write(rank);
        store::<T>(&s, 1, k, 1, outs[3]);
    }
    0
}

/// `pinv(a, rcond)` as NumPy computes it: the reduced SVD (in T), 1/s where s exceeds
/// `rcond * max(s)` (0 elsewhere), then `vt.T @ (s[:, None] * u.T)`.
///
/// # Safety
/// As [`sj_rt_lapack_factor`].
unsafe fn pinv<T: Float>(r: &Routines, a: &In, rcond: f64, out: *mut u8) -> u32 {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    if k == 0 {
        return 0;
    }
    let svd = match unsafe { gesdd(r, b'S', a) } {
        Ok(svd) => svd,
        Err(status) => return status,
    };
    let mut s = svd.s_as::<T>();
    let max = s.iter().fold(T::ZERO, |x, &y| if y > x { y } else { x }).to_f64();
    let cutoff = rcond * max;
    for x in s.iter_mut() {
        *x = if x.to_f64() > cutoff { T::ONE / *x } else { T::ZERO };
    }
    // w = s[:, None] * u.T (k × m, C order); vt (k × n, C order) read transposed.
    let mut w = vec![T::ZERO; (k * m) as usize];
    for i in 0..k {
        for j in 0..m {
            w[(i * m + j) as usize] = s[i as usize] * T::from_f64(svd.u[(j + i * m) as usize]);
        }
    }
    let mut vt = vec![T::ZERO; (k * n) as usize];
    for i in 0..k {
        for j in 0..n {
            vt[(i * n + j) as usize] = T::from_f64(svd.vt[(i + j * k) as usize]);
        }
    }
    let item = std::mem::size_of::<T>() as i64;
    // SAFETY: vt.T is n × k (strides item, n * item), w is k × m, out n × m.
    unsafe {
        crate::linalg::sj_rt_matmul(
            T::DTYPE as i32,
            n,
            m,
            k,
            vt.as_ptr() as *const u8,
            item,
            n * item,
            w.as_ptr() as *const u8,
            m * item,
            item,
            out,
        )
    }
}

/// `np.linalg` operation `op` (a [`FactorOp`]) on the float64 (norm: output dtype) `rows × cols` matrix `a` (byte
/// strides `as0`, `as1`), with the float64 `b` (`b_rows × nrhs`, for lstsq) and `param` (lstsq's
/// and pinv's rcond, matrix_rank's tol) when `has_param`; results of `dtype` (float32 or
/// float64, a [`Dtype`] index) into `outs[0..4]`. A status: 0, or NumPy's error
/// ([`Status::LinAlg`], with [`super::last_message`]).
///
/// # Safety
/// The inputs are live arrays of those shapes and strides; `outs` holds four addresses of
/// outputs of the sizes [`FactorOp`] says.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_lapack_factor(
    op: i32,
    dtype: i32,
    rows: i64,
    cols: i64,
    a: *const u8,
    as0: i64,
    as1: i64,
    b_rows: i64,
    nrhs: i64,
    b: *const u8,
    bs0: i64,
    bs1: i64,
    param: f64,
    has_param: bool,
    outs: *const *mut u8,
) -> u32 {
    let Some(op) = FactorOp::from_code(op) else { return fail(Status::LinAlg, "unknown linear algebra operation") };
    let a = In { data: a, rows, cols, s0: as0, s1: as1 };
    let b = In { data: b, rows: b_rows, cols: nrhs, s0: bs0, s1: bs1 };
    // SAFETY: the caller's contract, passed on.
    unsafe {
        let outs = [*outs, *outs.add(1), *outs.add(2), *outs.add(3)];
        let complex = dtype == Dtype::Complex64 as i32 || dtype == Dtype::Complex128 as i32;
        if complex && op == FactorOp::Norm {
            // x in its own dtype: the norm is computed in its parts' (b's rows and columns carry
            // the axis and the number of dimensions).
            let Some(r) = ROUTINES.get(routines_in) else {
                return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
            };
            return if dtype == Dtype::Complex64 as i32 {
                norm::norm::<f32>(r, &a, true, (nrhs, b_rows, bs0), param, has_param, outs[0])
            } else {
                norm::norm::<f64>(r, &a, true, (nrhs, b_rows, bs0), param, has_param, outs[0])
            };
        }
        if complex && op == FactorOp::Lstsq {
            let rcond = if has_param { param } else { f64::EPSILON * rows.max(cols) as f64 };
            if dtype == Dtype::Complex64 as i32 {
                zlstsq::lstsq::<f32>(&a, &b, rcond, &outs)
            } else {
                zlstsq::lstsq::<f64>(&a, &b, rcond, &outs)
            }
        } else if complex && op == FactorOp::Qr {
            if dtype == Dtype::Complex64 as i32 {
                zqr::qr::<f32>(&a, outs[0], outs[1])
            } else {
                zqr::qr::<f64>(&a, outs[0], outs[1])
            }
        } else if dtype == Dtype::Complex64 as i32 {
            zsvd::run::<f32>(op, &a, param, has_param, &outs)
        } else if dtype == Dtype::Complex128 as i32 {
            zsvd::run::<f64>(op, &a, param, has_param, &outs)
        } else if dtype == Dtype::Float32 as i32 {
            run::<f32>(op, &a, &b, param, has_param, &outs)
        } else {
            run::<f64>(op, &a, &b, param, has_param, &outs)
        }
    }
}

/// # Safety
/// As [`sj_rt_lapack_factor`].
unsafe fn run<T: Float>(op: FactorOp, a: &In, b: &In, param: f64, has_param: bool, outs: &[*mut u8; 4]) -> u32 {
    let (m, n) = (a.rows, a.cols);
    if op == FactorOp::Cond && m.min(n) == 0 {
        return fail(Status::LinAlg, "cond is not defined on empty arrays");
    }
    let Some(r) = ROUTINES.get(routines_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let svd = |jobz: u8| unsafe { gesdd(r, jobz, a) };
    // SAFETY: the outputs have the sizes FactorOp says.
    unsafe {
        match op {
            FactorOp::Svd | FactorOp::SvdReduced => match svd(if op == FactorOp::Svd { b'A' } else { b'S' }) {
                Ok(d) => {
                    d.store_uv::<T>(m, n, outs[0], outs[2]);
                    store::<T>(&d.s, 1, d.s.len() as i64, 1, outs[1]);
                }
                Err(status) => return status,
            },
            FactorOp::SvdVals => match svd(b'N') {
                Ok(d) => store::<T>(&d.s, 1, d.s.len() as i64, 1, outs[0]),
                Err(status) => return status,
            },
            FactorOp::Qr => return qr::<T>(r, a, outs[0], outs[1]),
            FactorOp::Lstsq => {
                let rcond = if has_param { param } else { f64::EPSILON * m.max(n) as f64 };
                return lstsq::<T>(r, a, b, rcond, outs);
            }
            FactorOp::Pinv => return pinv::<T>(r, a, if has_param { param } else { 1e-15 }, outs[0]),
            FactorOp::MatrixRank => {
                let s = match svd(b'N') {
                    Ok(d) => d.s_as::<T>(),
                    Err(status) => return status,
                };
                let max = s.iter().fold(T::ZERO, |x, &y| if y > x { y } else { x });
                // NumPy: S > tol, tol a float64 when given, else S.max() * (max(M, N) * eps) in
                // S's dtype.
                let rank = if has_param {
                    s.iter().filter(|x| x.to_f64() > param).count()
                } else {
                    let tol = max * (T::from_f64(m.max(n) as f64) * T::EPS);
                    s.iter().filter(|&&x| x > tol).count()
                };
                (outs[0] as *mut i64).write(rank as i64);
            }
            FactorOp::Norm => return norm::norm::<T>(r, a, false, (b.cols, b.rows, b.s0), param, has_param, outs[0]),
            FactorOp::Nuc => match svd(b'N') {
                // NumPy: sum(svd(x, compute_uv=False)), add.reduce in s's dtype.
                Ok(d) => (outs[0] as *mut T).write(T::ZERO + norm::pairwise(&d.s_as::<T>())),
                Err(status) => return status,
            },
            FactorOp::Cond => {
                let s = match svd(b'N') {
                    Ok(d) => d.s_as::<T>(),
                    Err(status) => return status,
                };
                let mut c = s[0] / s[s.len() - 1];
                // NumPy: a NaN (0 / 0) is inf unless the matrix holds a NaN.
                if c.is_nan() && !a.fortran::<f64>().iter().any(|x| x.is_nan()) {
                    c = T::from_f64(f64::INFINITY);
                }
                (outs[0] as *mut T).write(c);
            }
        }
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_code_round_trips() {
        for code in 0..10 {
            assert_eq!(FactorOp::from_code(code).map(|o| o as i32), Some(code));
        }
        assert!(FactorOp::from_code(10).is_none());
    }
}
