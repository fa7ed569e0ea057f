//! `np.linalg.eig` and `eigvals` at run time: LAPACK `dgeev` (real matrices) and `zgeev`
//! (complex ones), called as NumPy's `umath_linalg` calls them (a Fortran-ordered copy in
//! float64 or complex128, left eigenvectors not computed, the workspace size queried first).
//! Real matrices give real results, as Numba's: a complex eigenvalue is a `ValueError`.

use std::ffi::{c_char, c_void};

use super::{fail, store_c, Calls, In, Op, NAMINGS};
use crate::linalg::{symbol, Cx, Lookup};
use crate::registry::{Dtype, Status};

/// `dgeev` and `zgeev` of one library, by address.
struct Geev {
    ilp64: bool,
    dgeev: usize,
    zgeev: usize,
}

static GEEV: Lookup<Geev> = Lookup::new();

fn geev_in(handle: *mut c_void, _path: String) -> Option<Geev> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let sym = |f: &str| symbol(handle, &format!("{prefix}{f}{suffix}"));
        Some(Geev { ilp64, dgeev: sym("dgeev")?, zgeev: sym("zgeev")? })
    })
}

// Fortran calling convention: every argument by address, the lengths of the two character
// arguments last.
#[allow(clippy::type_complexity)]
type Dgeev = unsafe extern "C" fn(
    *const c_char,
    *const c_char,
    *const super::Int,
    *mut f64,
    *const super::Int,
    *mut f64,
    *mut f64,
    *mut f64,
    *const super::Int,
    *mut f64,
    *const super::Int,
    *mut f64,
    *const super::Int,
    *mut super::Int,
    usize,
    usize,
);
#[allow(clippy::type_complexity)]
type Zgeev = unsafe extern "C" fn(
    *const c_char,
    *const c_char,
    *const super::Int,
    *mut Cx<f64>,
    *const super::Int,
    *mut Cx<f64>,
    *mut Cx<f64>,
    *const super::Int,
    *mut Cx<f64>,
    *const super::Int,
    *mut Cx<f64>,
    *const super::Int,
    *mut f64,
    *mut super::Int,
    usize,
    usize,
);

/// `eig` (`out1` the eigenvalues, `out2` the eigenvectors as columns) or `eigvals` (`out1`) of
/// the square matrix `a` of `dtype` (float32, float64, complex64 or complex128: the results'
/// dtype too, computed in float64 or complex128 as NumPy computes them). A status as
/// `sj_rt_lapack`'s: NumPy's `LinAlgError`s for a non-finite matrix and for no convergence,
/// and Numba's `ValueError` for a real matrix with a complex eigenvalue.
///
/// # Safety
/// As `sj_rt_lapack`.
pub(super) unsafe fn run(op: Op, dtype: i32, a: In, out1: *mut u8, out2: *mut u8) -> u32 {
    let n = a.rows;
    let vectors = op == Op::Eig;
    let complex = dtype == Dtype::Complex64 as i32 || dtype == Dtype::Complex128 as i32;
    let single = dtype == Dtype::Float32 as i32 || dtype == Dtype::Complex64 as i32;
    // a as complex128 (real matrices: imaginary parts 0), in Fortran order.
    let m: Vec<Cx<f64>> = unsafe {
        match (complex, single) {
            (true, true) => a.fortran::<Cx<f32>>().into_iter().map(|x| Cx { re: x.re.into(), im: x.im.into() }).collect(),
            (true, false) => a.fortran::<Cx<f64>>(),
            (false, true) => a.fortran::<f32>().into_iter().map(|x| Cx { re: x.into(), im: 0.0 }).collect(),
            (false, false) => a.fortran::<f64>().into_iter().map(|x| Cx { re: x, im: 0.0 }).collect(),
        }
    };
    if m.iter().any(|x| !x.re.is_finite() || !x.im.is_finite()) {
        return fail(Status::LinAlg, "Array must not contain infs or NaNs");
    }
    if n == 0 {
        return 0;
    }
    let Some(lapack) = GEEV.get(geev_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let calls = Calls { ilp64: lapack.ilp64 };
    let (nn, one) = (calls.int(n), calls.int(1));
    let mut info = calls.int(0);
    let jobvr: &std::ffi::CStr = if vectors { c"V" } else { c"N" };
    let ldvr = if vectors { nn } else { one };
    let nv = if vectors { (n * n) as usize } else { 1 };
    let query = calls.int(-1);
    // Results: w, and v in Fortran order (complex128).
    let (w, v): (Vec<Cx<f64>>, Vec<Cx<f64>>) = if complex {
        let zgeev: Zgeev = unsafe { std::mem::transmute::<usize, Zgeev>(lapack.zgeev) };
        let mut m = m;
        let mut w = vec![Cx { re: 0.0, im: 0.0 }; n as usize];
        let mut vl = [Cx { re: 0.0, im: 0.0 }; 1];
        let mut vr = vec![Cx { re: 0.0, im: 0.0 }; nv];
        let mut rwork = vec![0.0f64; 2 * n as usize];
        let mut size = [Cx { re: 0.0, im: 0.0 }; 1];
        // SAFETY: arrays of the sizes LAPACK documents for zgeev (the query first).
        unsafe {
            let mut call = |work: *mut Cx<f64>, lwork: &super::Int, info: &mut super::Int| {
                zgeev(
                    c"N".as_ptr(),
                    jobvr.as_ptr(),
                    &nn,
                    m.as_mut_ptr(),
                    &nn,
                    w.as_mut_ptr(),
                    vl.as_mut_ptr(),
                    &one,
                    vr.as_mut_ptr(),
                    &ldvr,
                    work,
                    lwork,
                    rwork.as_mut_ptr(),
                    info,
                    1,
                    1,
                )
            };
            call(size.as_mut_ptr(), &query, &mut info);
            let lwork = (size[0].re as i64).max(1);
            let mut work = vec![Cx { re: 0.0, im: 0.0 }; lwork as usize];
            call(work.as_mut_ptr(), &calls.int(lwork), &mut info);
        }
        (w, vr)
    } else {
        let dgeev: Dgeev = unsafe { std::mem::transmute::<usize, Dgeev>(lapack.dgeev) };
        let mut m: Vec<f64> = m.into_iter().map(|x| x.re).collect();
        let (mut wr, mut wi) = (vec![0.0f64; n as usize], vec![0.0f64; n as usize]);
        let mut vl = [0.0f64; 1];
        let mut vr = vec![0.0f64; nv];
        let mut size = [0.0f64; 1];
        // SAFETY: arrays of the sizes LAPACK documents for dgeev (the query first).
        unsafe {
            let mut call = |work: *mut f64, lwork: &super::Int, info: &mut super::Int| {
                dgeev(
                    c"N".as_ptr(),
                    jobvr.as_ptr(),
                    &nn,
                    m.as_mut_ptr(),
                    &nn,
                    wr.as_mut_ptr(),
                    wi.as_mut_ptr(),
                    vl.as_mut_ptr(),
                    &one,
                    vr.as_mut_ptr(),
                    &ldvr,
                    work,
                    lwork,
                    info,
                    1,
                    1,
                )
            };
            call(size.as_mut_ptr(), &query, &mut info);
            let lwork = (size[0] as i64).max(1);
            let mut work = vec![0.0f64; lwork as usize];
            call(work.as_mut_ptr(), &calls.int(lwork), &mut info);
        }
        if calls.value(info) == 0 && wi.iter().any(|&x| x != 0.0) {
            let name = if vectors { "eig" } else { "eigvals" };
            return fail(Status::LinAlgValue, format!("{name}() argument must not cause a domain change."));
        }
        let w = wr.into_iter().map(|re| Cx { re, im: 0.0 }).collect();
        (w, vr.into_iter().map(|re| Cx { re, im: 0.0 }).collect())
    };
    if calls.value(info) != 0 {
        return fail(Status::LinAlg, "Eigenvalues did not converge");
    }
    // SAFETY: out1 holds n elements of dtype, out2 (eig) n × n.
    unsafe {
        match (complex, single) {
            (true, true) => {
                let narrow =
                    |v: &[Cx<f64>]| -> Vec<Cx<f32>> { v.iter().map(|x| Cx { re: x.re as f32, im: x.im as f32 }).collect() };
                store_c(&narrow(&w), n, 1, out1);
                if vectors {
                    store_c(&narrow(&v), n, n, out2);
                }
            }
            (true, false) => {
                store_c(&w, n, 1, out1);
                if vectors {
                    store_c(&v, n, n, out2);
                }
            }
            (false, true) => {
                let narrow = |v: &[Cx<f64>]| -> Vec<f32> { v.iter().map(|x| x.re as f32).collect() };
                store_c(&narrow(&w), n, 1, out1);
                if vectors {
                    store_c(&narrow(&v), n, n, out2);
                }
            }
            (false, false) => {
                let real = |v: &[Cx<f64>]| -> Vec<f64> { v.iter().map(|x| x.re).collect() };
                store_c(&real(&w), n, 1, out1);
                if vectors {
                    store_c(&real(&v), n, n, out2);
                }
            }
        }
    }
    0
}
