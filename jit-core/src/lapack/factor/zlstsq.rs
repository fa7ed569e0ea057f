//! `lstsq` of complex systems at run time: LAPACK `zgelsd` as NumPy's `umath_linalg` calls it
//! (complex128 Fortran-order copies, the workspace sizes queried), the residuals summed as its
//! `abs2` (`re*re + im*im`, in order); complex64 results rounded from it, as NumPy's
//! `_commonType` does.

use std::ffi::c_void;

use super::Float;
use crate::lapack::{fail, Calls, In, Int, NAMINGS};
use crate::linalg::{symbol, Cx, Lookup};
use crate::registry::Status;

struct Zgelsd {
    ilp64: bool,
    zgelsd: usize,
}

static ZGELSD: Lookup<Zgelsd> = Lookup::new();

fn zgelsd_in(handle: *mut c_void, _path: String) -> Option<Zgelsd> {
    NAMINGS
        .iter()
        .find_map(|&(prefix, suffix, ilp64)| Some(Zgelsd { ilp64, zgelsd: symbol(handle, &format!("{prefix}zgelsd{suffix}"))? }))
}

#[allow(clippy::type_complexity)]
type Gelsd = unsafe extern "C" fn(
    *const Int,
    *const Int,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *const f64,
    *mut Int,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *mut Int,
    *mut Int,
);

const ZERO: Cx<f64> = Cx { re: 0.0, im: 0.0 };

/// `x, residuals, rank, s = lstsq(a, b, rcond)` of the complex128 `a` (m × n) and `b` (m ×
/// nrhs), results of parts `T`: x complex (n × nrhs), the residuals (nrhs, written when m > n
/// and the rank is n) and s (k) real, the rank an i64.
///
/// # Safety
/// As `sj_rt_lapack_factor`.
pub(super) unsafe fn lstsq<T: Float>(a: &In, b: &In, rcond: f64, outs: &[*mut u8; 4]) -> u32 {
    let (m, n, nrhs) = (a.rows, a.cols, b.cols);
    if b.rows != m {
        return fail(Status::LinAlg, "Incompatible dimensions");
    }
    let Some(r) = ZGELSD.get(zgelsd_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let k = m.min(n);
    let cols = nrhs.max(1);
    let ldb = m.max(n).max(1);
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<Cx<f64>> = unsafe { a.fortran() };
    let mut rhs = vec![ZERO; (ldb * cols) as usize];
    for j in 0..nrhs {
        for i in 0..m {
            rhs[(i + j * ldb) as usize] =
                unsafe { (b.data.offset((i * b.s0 + j * b.s1) as isize) as *const Cx<f64>).read_unaligned() };
        }
    }
    let mut s = vec![0.0f64; k.max(1) as usize];
    let (mm, nn, cc, lda, lb) = (calls.int(m), calls.int(n), calls.int(cols), calls.int(m.max(1)), calls.int(ldb));
    let mut rank = calls.int(0);
    let mut info = calls.int(0);
    // SAFETY: the sizes LAPACK documents for zgelsd; a workspace query first.
    unsafe {
        let gelsd: Gelsd = std::mem::transmute::<usize, Gelsd>(r.zgelsd);
        let mut call =
            |work: &mut [Cx<f64>], lwork: i64, rwork: &mut [f64], iwork: &mut [Int], rank: &mut Int, info: &mut Int| {
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
                    rwork.as_mut_ptr(),
                    iwork.as_mut_ptr(),
                    info,
                )
            };
        let (mut query, mut rquery, mut iquery) = ([ZERO], [0.0f64], [calls.int(0)]);
        call(&mut query, -1, &mut rquery, &mut iquery, &mut rank, &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, "SVD did not converge in Linear Least Squares");
        }
        let lwork = (query[0].re as i64).max(1);
        let mut work = vec![ZERO; lwork as usize];
        let mut rwork = vec![0.0f64; (rquery[0] as i64).max(1) as usize];
        let mut iwork = vec![calls.int(0); calls.value(iquery[0]).max(1) as usize];
        call(&mut work, lwork, &mut rwork, &mut iwork, &mut rank, &mut info);
    }
    if calls.value(info) != 0 {
        return fail(Status::LinAlg, "SVD did not converge in Linear Least Squares");
    }
    let rank = calls.value(rank);
    if m == 0 {
        rhs.fill(ZERO);
    }
    // SAFETY: the outputs have the sizes FactorOp::Lstsq says.
    unsafe {
        let x = outs[0] as *mut Cx<T>;
        for i in 0..n {
            for j in 0..nrhs {
                let v = rhs[(i + j * ldb) as usize];
                x.add((i * nrhs + j) as usize).write(Cx { re: T::from_f64(v.re), im: T::from_f64(v.im) });
            }
        }
        if m > n && rank == n {
            let resid = outs[1] as *mut T;
            for j in 0..nrhs {
                let mut sum = 0.0f64;
                for v in &rhs[(n + j * m) as usize..(m + j * m) as usize] {
                    sum += v.re * v.re + v.im * v.im;
                }
                resid.add(j as usize).write(T::from_f64(sum));
            }
        }
        (outs[2] as *mut i64).write(rank);
        let s_out = outs[3] as *mut T;
        for (i, &v) in s.iter().take(k as usize).enumerate() {
            s_out.add(i).write(T::from_f64(v));
        }
    }
    0
}
