//! `np.linalg` of complex matrices at run time: `inv` and `solve` through LAPACK `zgesv`, `det`
//! and `slogdet` through `zgetrf`, `cholesky` through `zpotrf`, `eigh` and `eigvalsh` through
//! `zheevd`, called as NumPy's `umath_linalg` calls them (on a Fortran-ordered copy, in
//! complex128 for complex64 input too) and with its arithmetic on the factors, so results are
//! NumPy's; `matrix_power` by NumPy's products.

use std::ffi::c_void;

use super::{fail, store_c, Calls, Gesv, Getrf, In, Int, Op, NAMINGS};
use crate::linalg::{symbol, Cx, Lookup};
use crate::registry::{Dtype, Status};

/// The complex LAPACK routines of one library, by address.
struct ComplexLapack {
    ilp64: bool,
    zgesv: usize,
    zgetrf: usize,
    zpotrf: usize,
    zheevd: usize,
}

type Zpotrf = unsafe extern "C" fn(*const std::ffi::c_char, *const Int, *mut Cx<f64>, *const Int, *mut Int, usize);
#[allow(clippy::type_complexity)]
type Zheevd = unsafe extern "C" fn(
    *const std::ffi::c_char,
    *const std::ffi::c_char,
    *const Int,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *mut Cx<f64>,
    *const Int,
    *mut f64,
    *const Int,
    *mut Int,
    *const Int,
    *mut Int,
    usize,
    usize,
);

static COMPLEX_LAPACK: Lookup<ComplexLapack> = Lookup::new();

fn complex_lapack_in(handle: *mut c_void, _path: String) -> Option<ComplexLapack> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let sym = |f: &str| symbol(handle, &format!("{prefix}{f}{suffix}"));
        Some(ComplexLapack {
            ilp64,
            zgesv: sym("zgesv")?,
            zgetrf: sym("zgetrf")?,
            zpotrf: sym("zpotrf")?,
            zheevd: sym("zheevd")?,
        })
    })
}

/// umath_linalg's `mult`: `re = ar*br - ai*bi`, `im = ar*bi + ai*br`.
fn mult(a: Cx<f64>, b: Cx<f64>) -> Cx<f64> {
    Cx { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re }
}

/// The elements of a complex matrix of parts `T` in Fortran order, as complex128.
///
/// # Safety
/// As [`In::fortran`].
unsafe fn widened<T: Copy + Into<f64>>(m: In) -> Vec<Cx<f64>> {
    unsafe { m.fortran::<Cx<T>>() }.into_iter().map(|x| Cx { re: x.re.into(), im: x.im.into() }).collect()
}

/// `op` (solve, inv, det or slogdet) of the complex `n × n` matrix `a` (complex64 when
/// `single`, else complex128), `b` solve's right-hand side (`nrhs` columns); results into
/// `out1` (and slogdet's real log of the modulus into `out2`), of a's dtype (its parts' for the
/// log). As NumPy, the computation is in complex128 (`zgesv`, `zgetrf`) and complex64 results
/// are rounded from it. A status as `sj_rt_lapack`'s.
///
/// # Safety
/// As `sj_rt_lapack`, with `a` and `b` of a's complex dtype and `out2` of its parts.
pub(super) unsafe fn run(op: Op, single: bool, a: In, b: In, nrhs: i64, out1: *mut u8, out2: *mut u8) -> u32 {
    let n = a.rows;
    let (zero, one) = (Cx { re: 0.0, im: 0.0 }, Cx { re: 1.0, im: 0.0 });
    // Results written in a's dtype.
    let write = |out: *mut u8, i: usize, x: Cx<f64>| unsafe {
        if single {
            (out as *mut Cx<f32>).add(i).write(Cx { re: x.re as f32, im: x.im as f32 });
        } else {
            (out as *mut Cx<f64>).add(i).write(x);
        }
    };
    let write_real = |out: *mut u8, x: f64| unsafe {
        if single {
            (out as *mut f32).write(x as f32);
        } else {
            (out as *mut f64).write(x);
        }
    };
    if op == Op::MatrixPower {
        let dtype = if single { Dtype::Complex64 } else { Dtype::Complex128 };
        return unsafe { super::matrix_power::<f64>(dtype as i32, a, nrhs, out1) };
    }
    if !matches!(op, Op::Solve | Op::Inv | Op::Det | Op::Slogdet | Op::Cholesky | Op::Eigh | Op::Eigvalsh) {
        return fail(Status::LinAlg, "this linear algebra function of complex matrices is not compiled");
    }
    if n == 0 {
        // NumPy's answers without LAPACK.
        match op {
            Op::Det => write(out1, 0, one),
            Op::Slogdet => {
                write(out1, 0, one);
                write_real(out2, 0.0);
            }
            _ => {}
        }
        return 0;
    }
    let Some(lapack) = COMPLEX_LAPACK.get(complex_lapack_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let calls = Calls { ilp64: lapack.ilp64 };
    let nn = calls.int(n);
    let mut info = calls.int(0);
    let read = |m: In| unsafe {
        if single {
            widened::<f32>(m)
        } else {
            widened::<f64>(m)
        }
    };
    let mut m = read(a);
    let ptr = |v: &mut Vec<Cx<f64>>| v.as_mut_ptr() as *mut c_void;
    // A column-major result written in C order, in a's dtype.
    let store = |f: &[Cx<f64>], rows: i64, cols: i64, out: *mut u8| unsafe {
        if single {
            let narrowed: Vec<Cx<f32>> = f.iter().map(|x| Cx { re: x.re as f32, im: x.im as f32 }).collect();
            store_c(&narrowed, rows, cols, out);
        } else {
            store_c(f, rows, cols, out);
        }
    };
    // SAFETY: each routine gets arrays of the sizes LAPACK documents for it.
    unsafe {
        match op {
            Op::Solve | Op::Inv => {
                let (mut rhs, cols) = if op == Op::Solve {
                    (read(b), nrhs)
                } else {
                    let mut id = vec![zero; (n * n) as usize];
                    for i in 0..n {
                        id[(i + i * n) as usize] = one;
                    }
                    (id, n)
                };
                let mut piv = calls.pivots(n);
                let gesv: Gesv = std::mem::transmute::<usize, Gesv>(lapack.zgesv);
                gesv(&nn, &calls.int(cols), ptr(&mut m), &nn, piv.as_mut_ptr(), ptr(&mut rhs), &nn, &mut info);
                if calls.value(info) > 0 {
                    return fail(Status::LinAlg, "Singular matrix");
                }
                store(&rhs, n, cols, out1);
            }
            Op::Cholesky => {
                let potrf: Zpotrf = std::mem::transmute::<usize, Zpotrf>(lapack.zpotrf);
                potrf(c"L".as_ptr(), &nn, m.as_mut_ptr(), &nn, &mut info, 1);
                if calls.value(info) != 0 {
                    return fail(Status::LinAlg, "Matrix is not positive definite");
                }
                for j in 0..n as usize {
                    for i in 0..j {
                        m[i + j * n as usize] = zero;
                    }
                }
                store(&m, n, n, out1);
            }
            Op::Eigh | Op::Eigvalsh => {
                let jobz: &std::ffi::CStr = if op == Op::Eigh { c"V" } else { c"N" };
                let heevd: Zheevd = std::mem::transmute::<usize, Zheevd>(lapack.zheevd);
                let mut w = vec![0.0f64; n as usize];
                // The workspace query, then the call (umath_linalg's sizes).
                let (mut work_size, mut rwork_size, mut iwork_size) = ([zero; 1], [0.0f64; 1], [calls.int(0); 1]);
                let query = calls.int(-1);
                heevd(
                    jobz.as_ptr(),
                    c"L".as_ptr(),
                    &nn,
                    m.as_mut_ptr(),
                    &nn,
                    w.as_mut_ptr(),
                    work_size.as_mut_ptr(),
                    &query,
                    rwork_size.as_mut_ptr(),
                    &query,
                    iwork_size.as_mut_ptr(),
                    &query,
                    &mut info,
                    1,
                    1,
                );
                let lwork = (work_size[0].re as i64).max(1);
                let lrwork = (rwork_size[0] as i64).max(1);
                let liwork = calls.value(iwork_size[0]).max(1);
                let mut work = vec![zero; lwork as usize];
                let mut rwork = vec![0.0f64; lrwork as usize];
                let mut iwork = vec![calls.int(0); liwork as usize];
                heevd(
                    jobz.as_ptr(),
                    c"L".as_ptr(),
                    &nn,
                    m.as_mut_ptr(),
                    &nn,
                    w.as_mut_ptr(),
                    work.as_mut_ptr(),
                    &calls.int(lwork),
                    rwork.as_mut_ptr(),
                    &calls.int(lrwork),
                    iwork.as_mut_ptr(),
                    &calls.int(liwork),
                    &mut info,
                    1,
                    1,
                );
                if calls.value(info) != 0 {
                    return fail(Status::LinAlg, "Eigenvalues did not converge");
                }
                // The eigenvalues are real (of a's parts' dtype), the vectors complex.
                for (i, x) in w.iter().enumerate() {
                    if single {
                        (out1 as *mut f32).add(i).write(*x as f32);
                    } else {
                        (out1 as *mut f64).add(i).write(*x);
                    }
                }
                if op == Op::Eigh {
                    store(&m, n, n, out2);
                }
            }
            _ => {
                let mut piv = calls.pivots(n);
                let getrf: Getrf = std::mem::transmute::<usize, Getrf>(lapack.zgetrf);
                getrf(&nn, &nn, ptr(&mut m), &nn, piv.as_mut_ptr(), &mut info);
                // umath_linalg's slogdet of the factors: the sign from the pivots times each
                // diagonal element over its modulus (`npy_cabs`: hypot), the log of the modulus a
                // sum of logs.
                let (sign, logdet) = if calls.value(info) == 0 {
                    let swaps = (0..n as usize).filter(|&i| calls.pivot(&piv, i) != i as i64 + 1).count();
                    let mut sign = if swaps % 2 == 1 { Cx { re: -1.0, im: 0.0 } } else { one };
                    let mut logdet = 0.0f64;
                    for i in 0..n as usize {
                        let x = m[i + i * n as usize];
                        let abs = x.re.hypot(x.im);
                        sign = mult(sign, Cx { re: x.re / abs, im: x.im / abs });
                        logdet += abs.ln();
                    }
                    (sign, logdet)
                } else {
                    (zero, f64::NEG_INFINITY)
                };
                if op == Op::Det {
                    write(out1, 0, mult(sign, Cx { re: logdet.exp(), im: 0.0 }));
                } else {
                    write(out1, 0, sign);
                    write_real(out2, logdet);
                }
            }
        }
    }
    0
}
