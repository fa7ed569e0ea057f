//! The SVD of complex matrices at run time (`svd`, `svdvals`, `matrix_rank`, `cond`, `pinv`,
//! `norm(a, 'nuc')`): LAPACK
//! `zgesdd` as NumPy's `umath_linalg` calls it (a complex128 Fortran-order copy, the workspace
//! queried), singular values real, u and vh complex; complex64 input is computed in complex128
//! and the results rounded, as NumPy's `_commonType` does.

use std::ffi::{c_char, c_void};

use super::{FactorOp, Float};
use crate::lapack::{fail, Calls, In, Int, NAMINGS};
use crate::linalg::{symbol, Cx, Lookup};
use crate::registry::{Dtype, Status};

struct Zgesdd {
    ilp64: bool,
    zgesdd: usize,
}

static ZGESDD: Lookup<Zgesdd> = Lookup::new();

fn zgesdd_in(handle: *mut c_void, _path: String) -> Option<Zgesdd> {
    NAMINGS
        .iter()
        .find_map(|&(prefix, suffix, ilp64)| Some(Zgesdd { ilp64, zgesdd: symbol(handle, &format!("{prefix}zgesdd{suffix}"))? }))
}

#[allow(clippy::type_complexity)]
type Gesdd = unsafe extern "C" fn(
    *const c_char,
    *const Int,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *mut Cx<f64>,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *mut Int,
    *mut Int,
    usize,
);

/// `s` (k), and for `jobz` 'A' or 'S' the column-major `u` (m × ucols, leading dimension
/// max(m, 1)) and `vt` (vtrows × n, leading dimension max(vtrows, 1)).
struct Svd {
    s: Vec<f64>,
    u: Vec<Cx<f64>>,
    ucols: i64,
    vt: Vec<Cx<f64>>,
    vtrows: i64,
}

const ZERO: Cx<f64> = Cx { re: 0.0, im: 0.0 };

/// `zgesdd` with `jobz` (b'A', b'S' or b'N') of the complex128 matrix `a`.
///
/// # Safety
/// `a` is a live complex128 matrix.
unsafe fn zgesdd(jobz: u8, a: &In) -> Result<Svd, u32> {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    let (ucols, vtrows) = match jobz {
        b'A' => (m, n),
        b'S' => (k, k),
        _ => (0, 0),
    };
    let mut out = Svd {
        s: vec![0.0; k as usize],
        u: vec![ZERO; (m * ucols) as usize],
        ucols,
        vt: vec![ZERO; (vtrows * n) as usize],
        vtrows,
    };
    if k == 0 {
        // LAPACK returns at once; NumPy makes the identity of whichever of u and vt is not empty.
        if jobz == b'A' {
            for i in 0..m {
                out.u[(i + i * m) as usize] = Cx { re: 1.0, im: 0.0 };
            }
            for i in 0..n {
                out.vt[(i + i * n) as usize] = Cx { re: 1.0, im: 0.0 };
            }
        }
        return Ok(out);
    }
    let Some(r) = ZGESDD.get(zgesdd_in) else {
        return Err(fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)"));
    };
    let calls = Calls { ilp64: r.ilp64 };
    let mut mat: Vec<Cx<f64>> = unsafe { a.fortran() };
    let (mm, nn, ld) = (calls.int(m), calls.int(n), calls.int(m.max(1)));
    let ldvt = calls.int(vtrows.max(1));
    out.u.resize(out.u.len().max(1), ZERO);
    out.vt.resize(out.vt.len().max(1), ZERO);
    let mut iwork = vec![calls.int(0); 8 * k as usize];
    // LAPACK's least rwork (the larger of its formulas, old and new).
    let big = m.max(n);
    let rwork_size = if jobz == b'N' { 7 * k } else { (5 * k * k + 7 * k).max(2 * big * k + 2 * k * k + k) };
    let mut rwork = vec![0.0f64; rwork_size.max(1) as usize];
    let mut info = calls.int(0);
    let jobz = [jobz as c_char];
    // SAFETY: the sizes LAPACK documents for zgesdd; a workspace query first.
    unsafe {
        let gesdd: Gesdd = std::mem::transmute::<usize, Gesdd>(r.zgesdd);
        let mut call = |work: &mut [Cx<f64>], lwork: i64, info: &mut Int| {
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
                rwork.as_mut_ptr(),
                iwork.as_mut_ptr(),
                info,
                1,
            )
        };
        let mut query = [ZERO];
        call(&mut query, -1, &mut info);
        if calls.value(info) != 0 {
            return Err(fail(Status::LinAlg, "SVD did not converge"));
        }
        let lwork = (query[0].re as i64).max(1);
        let mut work = vec![ZERO; lwork as usize];
        call(&mut work, lwork, &mut info);
    }
    if calls.value(info) != 0 {
        return Err(fail(Status::LinAlg, "SVD did not converge"));
    }
    Ok(out)
}

/// The column-major complex matrix `f` (`rows × cols`, leading dimension `ld`) written to the
/// C-contiguous `out`, its parts rounded to `T`.
///
/// # Safety
/// `out` holds rows × cols complex elements of parts `T`.
unsafe fn store<T: Float>(f: &[Cx<f64>], rows: i64, cols: i64, ld: i64, out: *mut u8) {
    let out = out as *mut Cx<T>;
    for i in 0..rows {
        for j in 0..cols {
            let x = f[(i + j * ld) as usize];
            unsafe { out.add((i * cols + j) as usize).write(Cx { re: T::from_f64(x.re), im: T::from_f64(x.im) }) };
        }
    }
}

/// `op` (svd, svd reduced, svdvals, matrix_rank or cond) of the complex128 matrix `a`, results
/// of parts `T` (f32 for complex64 input): u and vh complex, s and cond real.
///
/// # Safety
/// As `sj_rt_lapack_factor`.
pub(super) unsafe fn run<T: Float>(op: FactorOp, a: &In, param: f64, has_param: bool, outs: &[*mut u8; 4]) -> u32 {
    let (m, n) = (a.rows, a.cols);
    if op == FactorOp::Cond && m.min(n) == 0 {
        return fail(Status::LinAlg, "cond is not defined on empty arrays");
    }
    let jobz = match op {
        FactorOp::Svd => b'A',
        FactorOp::SvdReduced => b'S',
        FactorOp::SvdVals | FactorOp::MatrixRank | FactorOp::Cond | FactorOp::Nuc => b'N',
        FactorOp::Pinv => return unsafe { pinv::<T>(a, if has_param { param } else { 1e-15 }, outs[0]) },
        _ => return fail(Status::LinAlg, "this linear algebra function of complex matrices is not compiled"),
    };
    let d = match unsafe { zgesdd(jobz, a) } {
        Ok(d) => d,
        Err(status) => return status,
    };
    let s: Vec<T> = d.s.iter().map(|&x| T::from_f64(x)).collect();
    // SAFETY: the outputs have the sizes FactorOp says.
    unsafe {
        match op {
            FactorOp::Svd | FactorOp::SvdReduced => {
                store::<T>(&d.u, m, d.ucols, m.max(1), outs[0]);
                std::ptr::copy_nonoverlapping(s.as_ptr(), outs[1] as *mut T, s.len());
                store::<T>(&d.vt, d.vtrows, n, d.vtrows.max(1), outs[2]);
            }
            FactorOp::SvdVals => std::ptr::copy_nonoverlapping(s.as_ptr(), outs[0] as *mut T, s.len()),
            FactorOp::Nuc => (outs[0] as *mut T).write(T::ZERO + super::norm::pairwise(&s)),
            FactorOp::MatrixRank => {
                let max = s.iter().fold(T::ZERO, |x, &y| if y > x { y } else { x });
                let rank = if has_param {
                    s.iter().filter(|x| x.to_f64() > param).count()
                } else {
                    let tol = max * (T::from_f64(m.max(n) as f64) * T::EPS);
                    s.iter().filter(|&&x| x > tol).count()
                };
                (outs[0] as *mut i64).write(rank as i64);
            }
            _ => {
                let mut c = s[0] / s[s.len() - 1];
                // NumPy: a NaN (0 / 0) is inf unless the matrix holds a NaN.
                if c.is_nan() && !a.fortran::<Cx<f64>>().iter().any(|x| x.re.is_nan() || x.im.is_nan()) {
                    c = T::from_f64(f64::INFINITY);
                }
                (outs[0] as *mut T).write(c);
            }
        }
    }
    0
}

/// `pinv(a, rcond)` of the complex128 `m × n` matrix `a` as NumPy computes it: the SVD of
/// `a.conjugate()` (reduced), `1 / s` above `rcond * max(s)` (else 0) in s's dtype,
/// `vt.T @ (s[:, None] * u.T)` (the real `s` multiplied as a complex number), of parts `T`.
///
/// # Safety
/// As `sj_rt_lapack_factor`: `out` holds n × m complex elements of parts `T`.
unsafe fn pinv<T: Float>(a: &In, rcond: f64, out: *mut u8) -> u32 {
    let (m, n) = (a.rows, a.cols);
    let k = m.min(n);
    if k == 0 {
        return 0;
    }
    let conj: Vec<Cx<f64>> = unsafe { a.fortran::<Cx<f64>>() }.into_iter().map(|x| Cx { re: x.re, im: -x.im }).collect();
    let item = 2 * std::mem::size_of::<f64>() as i64;
    let c = In { data: conj.as_ptr() as *const u8, rows: m, cols: n, s0: item, s1: item * m };
    let d = match unsafe { zgesdd(b'S', &c) } {
        Ok(d) => d,
        Err(status) => return status,
    };
    let mut s: Vec<T> = d.s.iter().map(|&x| T::from_f64(x)).collect();
    let max = s.iter().fold(T::ZERO, |x, &y| if y > x { y } else { x });
    let cutoff = T::from_f64(rcond) * max;
    for x in s.iter_mut() {
        *x = if *x > cutoff { T::ONE / *x } else { T::ZERO };
    }
    let narrow = |x: Cx<f64>| Cx { re: T::from_f64(x.re), im: T::from_f64(x.im) };
    // w = s[:, None] * u.T (k × m, C order): (s + 0j) * u as NumPy's complex multiply.
    let mut w = vec![Cx { re: T::ZERO, im: T::ZERO }; (k * m) as usize];
    for i in 0..k {
        for j in 0..m {
            let u = narrow(d.u[(j + i * m) as usize]);
            let x = s[i as usize];
            w[(i * m + j) as usize] = Cx { re: x * u.re - T::ZERO * u.im, im: x * u.im + T::ZERO * u.re };
        }
    }
    // vt (k × n, C order), read transposed.
    let mut vt = vec![Cx { re: T::ZERO, im: T::ZERO }; (k * n) as usize];
    for i in 0..k {
        for j in 0..n {
            vt[(i * n + j) as usize] = narrow(d.vt[(i + j * k) as usize]);
        }
    }
    let item = 2 * std::mem::size_of::<T>() as i64;
    let dtype = if T::DTYPE == Dtype::Float32 { Dtype::Complex64 } else { Dtype::Complex128 };
    // SAFETY: vt.T is n × k (strides item, n * item), w is k × m, out n × m.
    unsafe {
        crate::linalg::sj_rt_matmul(
            dtype as i32,
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
