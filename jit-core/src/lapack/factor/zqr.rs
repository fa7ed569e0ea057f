//! `qr` of complex matrices at run time (mode 'reduced'): LAPACK `zgeqrf` then `zungqr`, as
//! NumPy's `umath_linalg` (`qr_r_raw`, `qr_reduced`) calls them, on a complex128 Fortran-order
//! copy; complex64 results rounded from it, as NumPy's `_commonType` does.

use std::ffi::c_void;

use super::Float;
use crate::lapack::{fail, Calls, In, Int, NAMINGS};
use crate::linalg::{symbol, Cx, Lookup};
use crate::registry::Status;

struct Zqr {
    ilp64: bool,
    zgeqrf: usize,
    zungqr: usize,
}

static ZQR: Lookup<Zqr> = Lookup::new();

fn zqr_in(handle: *mut c_void, _path: String) -> Option<Zqr> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let sym = |f: &str| symbol(handle, &format!("{prefix}{f}{suffix}"));
        Some(Zqr { ilp64, zgeqrf: sym("zgeqrf")?, zungqr: sym("zungqr")? })
    })
}

type Geqrf =
    unsafe extern "C" fn(*const Int, *const Int, *mut Cx<f64>, *const Int, *mut Cx<f64>, *mut Cx<f64>, *const Int, *mut Int);
type Ungqr = unsafe extern "C" fn(
    *const Int,
    *const Int,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *const Cx<f64>,
    *mut Cx<f64>,
    *const Int,
    *mut Int,
);

const ZERO: Cx<f64> = Cx { re: 0.0, im: 0.0 };

/// `q (m × k), r (k × n) = qr(a)` of the complex128 matrix `a`, results of parts `T`.
///
/// # Safety
/// As `sj_rt_lapack_factor`: `q_out`, `r_out` hold m × k and k × n complex elements of parts `T`.
pub(super) unsafe fn qr<T: Float>(a: &In, q_out: *mut u8, r_out: *mut u8) -> u32 {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    if k == 0 {
        return 0;
    }
    const MESSAGE: &str = "Incorrect argument found while performing QR factorization";
    let Some(r) = ZQR.get(zqr_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<Cx<f64>> = unsafe { a.fortran() };
    let (mm, nn, kk, lda) = (calls.int(m), calls.int(n), calls.int(k), calls.int(m.max(1)));
    let mut tau = vec![ZERO; k as usize];
    let mut info = calls.int(0);
    let narrow = |x: Cx<f64>| Cx { re: T::from_f64(x.re), im: T::from_f64(x.im) };
    // SAFETY: the sizes LAPACK documents for zgeqrf and zungqr; workspace queries first.
    unsafe {
        let geqrf: Geqrf = std::mem::transmute::<usize, Geqrf>(r.zgeqrf);
        let mut query = [ZERO];
        geqrf(&mm, &nn, mat.as_mut_ptr(), &lda, tau.as_mut_ptr(), query.as_mut_ptr(), &calls.int(-1), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        let lwork = n.max(1).max(query[0].re as i64);
        let mut work = vec![ZERO; lwork as usize];
        geqrf(&mm, &nn, mat.as_mut_ptr(), &lda, tau.as_mut_ptr(), work.as_mut_ptr(), &calls.int(lwork), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        // r: the upper triangle of the first k rows.
        let out = r_out as *mut Cx<T>;
        for i in 0..k {
            for j in 0..n {
                let x = if j >= i { mat[(i + j * m) as usize] } else { ZERO };
                out.add((i * n + j) as usize).write(narrow(x));
            }
        }
        let mut q = mat[..(m * k) as usize].to_vec();
        let ungqr: Ungqr = std::mem::transmute::<usize, Ungqr>(r.zungqr);
        ungqr(&mm, &kk, &kk, q.as_mut_ptr(), &lda, tau.as_ptr(), query.as_mut_ptr(), &calls.int(-1), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        let lwork = n.max(1).max(query[0].re as i64);
        let mut work = vec![ZERO; lwork as usize];
        ungqr(&mm, &kk, &kk, q.as_mut_ptr(), &lda, tau.as_ptr(), work.as_mut_ptr(), &calls.int(lwork), &mut info);
        if calls.value(info) != 0 {
            return fail(Status::LinAlg, MESSAGE);
        }
        let out = q_out as *mut Cx<T>;
        for i in 0..m {
            for j in 0..k {
                out.add((i * k + j) as usize).write(narrow(q[(i + j * m) as usize]));
            }
        }
    }
    0
}
