//! `np.linalg` at run time: LAPACK from the library the process has loaded (NumPy's own
//! OpenBLAS, found as the BLAS is: `linalg::Lookup`), called as NumPy's `umath_linalg` calls it
//! (the matrix copied into Fortran order, the same routines and the same arithmetic on their
//! results), with NumPy's errors. Complex matrices: `lapack::complex`.

use std::cell::RefCell;
use std::ffi::{c_char, c_void};

use crate::linalg::{symbol, Lookup};
use crate::registry::{Dtype, Status};

mod complex;
mod eig;
pub mod factor;

/// An operation of [`sj_rt_lapack`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(i32)]
pub enum Op {
    /// `out1 = solve(a, b)` (n × nrhs, C order).
    Solve = 0,
    /// `out1 = inv(a)`.
    Inv = 1,
    /// `out1 = det(a)` (one element).
    Det = 2,
    /// `out1, out2 = slogdet(a)` (one element each).
    Slogdet = 3,
    /// `out1 = cholesky(a)` (lower).
    Cholesky = 4,
    /// `out1, out2 = eigh(a)` (eigenvalues ascending, eigenvectors as columns).
    Eigh = 5,
    /// `out1 = eigvalsh(a)`.
    Eigvalsh = 6,
    /// `out1 = matrix_power(a, nrhs)`.
    MatrixPower = 7,
    /// `out1, out2 = eig(a)` (`lapack::eig`).
    Eig = 8,
    /// `out1 = eigvals(a)`.
    Eigvals = 9,
}

impl Op {
    fn from_code(code: i32) -> Option<Op> {
        use Op::*;
        [Solve, Inv, Det, Slogdet, Cholesky, Eigh, Eigvalsh, MatrixPower, Eig, Eigvals].into_iter().find(|o| *o as i32 == code)
    }
}

/// The LAPACK routines, by address, for one float type each.
struct Lapack {
    ilp64: bool,
    d: Routines,
    s: Routines,
}

#[derive(Clone, Copy)]
struct Routines {
    gesv: usize,
    getrf: usize,
    potrf: usize,
    syevd: usize,
}

/// LAPACK's names in NumPy's wheels (`scipy_dgesv_64_`), other ILP64 builds, SciPy's wheels,
/// and plain LAPACK: (prefix, suffix, 64-bit integers).
const NAMINGS: [(&str, &str, bool); 4] = [("scipy_", "_64_", true), ("", "_64_", true), ("scipy_", "_", false), ("", "_", false)];

static LAPACK: Lookup<Lapack> = Lookup::new();

fn lapack_in(handle: *mut c_void, _path: String) -> Option<Lapack> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let routines = |t: char| -> Option<Routines> {
            let sym = |f: &str| symbol(handle, &format!("{prefix}{t}{f}{suffix}"));
            Some(Routines { gesv: sym("gesv")?, getrf: sym("getrf")?, potrf: sym("potrf")?, syevd: sym("syevd")? })
        };
        Some(Lapack { ilp64, d: routines('d')?, s: routines('s')? })
    })
}

thread_local! {
    /// NumPy's message for the last failure on this thread (read by `describe_status`).
    static LAST_MESSAGE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// The message of the last [`Status::LinAlg`] or [`Status::LinAlgValue`] on this thread.
pub fn last_message() -> String {
    LAST_MESSAGE.with(|m| m.borrow().clone())
}

/// Sets the message [`last_message`] gives (a worker's error handed to the calling thread).
pub(crate) fn set_last_message(message: String) {
    LAST_MESSAGE.with(|m| *m.borrow_mut() = message);
}

fn fail(status: Status, message: impl Into<String>) -> u32 {
    LAST_MESSAGE.with(|m| *m.borrow_mut() = message.into());
    status as u32
}

/// A float type LAPACK computes in.
trait Real:
    Copy
    + PartialOrd
    + std::ops::Neg<Output = Self>
    + std::ops::Mul<Output = Self>
    + std::ops::Add<Output = Self>
    + std::ops::Div<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    fn routines(l: &Lapack) -> Routines;
    fn ln(self) -> Self;
    fn exp(self) -> Self;
    fn from_f64(x: f64) -> Self;
    fn to_f64(self) -> f64;
}

impl Real for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn routines(l: &Lapack) -> Routines {
        l.d
    }
    fn ln(self) -> Self {
        f64::ln(self)
    }
    fn exp(self) -> Self {
        f64::exp(self)
    }
    fn from_f64(x: f64) -> Self {
        x
    }
    fn to_f64(self) -> f64 {
        self
    }
}

impl Real for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn routines(l: &Lapack) -> Routines {
        l.s
    }
    fn ln(self) -> Self {
        f32::ln(self)
    }
    fn exp(self) -> Self {
        f32::exp(self)
    }
    fn from_f64(x: f64) -> Self {
        x as f32
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
}

/// A LAPACK integer argument: i64 for ILP64 libraries, C int otherwise (passed by address).
#[derive(Clone, Copy)]
#[repr(C)]
union Int {
    i64: i64,
    i32: i32,
}

/// LAPACK's integers, as the library takes them (64-bit for ILP64 builds).
struct Calls {
    ilp64: bool,
}

impl Calls {
    fn int(&self, x: i64) -> Int {
        if self.ilp64 {
            Int { i64: x }
        } else {
            Int { i32: x as i32 }
        }
    }

    fn value(&self, x: Int) -> i64 {
        // SAFETY: the field written is the one the library's integers are.
        unsafe {
            if self.ilp64 {
                x.i64
            } else {
                x.i32 as i64
            }
        }
    }

    /// Pivot indices for `n` rows, as the library writes them.
    fn pivots(&self, n: i64) -> Vec<Int> {
        vec![self.int(0); n.max(1) as usize]
    }

    fn pivot(&self, p: &[Int], i: usize) -> i64 {
        self.value(p[i])
    }
}

// Fortran calling convention: every argument by address; the hidden lengths of character
// arguments come last (a routine written in C ignores them).
type Gesv = unsafe extern "C" fn(*const Int, *const Int, *mut c_void, *const Int, *mut Int, *mut c_void, *const Int, *mut Int);
type Getrf = unsafe extern "C" fn(*const Int, *const Int, *mut c_void, *const Int, *mut Int, *mut Int);
type Potrf = unsafe extern "C" fn(*const c_char, *const Int, *mut c_void, *const Int, *mut Int, usize);
#[allow(clippy::type_complexity)]
type Syevd = unsafe extern "C" fn(
    *const c_char,
    *const c_char,
    *const Int,
    *mut c_void,
    *const Int,
    *mut c_void,
    *mut c_void,
    *const Int,
    *mut Int,
    *const Int,
    *mut Int,
    usize,
    usize,
);

/// One input matrix: `rows × cols` at `data` with byte strides.
#[derive(Clone, Copy)]
struct In {
    data: *const u8,
    rows: i64,
    cols: i64,
    s0: i64,
    s1: i64,
}

impl In {
    /// Its elements in Fortran (column-major) order.
    ///
    /// # Safety
    /// The matrix is live with those strides.
    unsafe fn fortran<T: Copy>(&self) -> Vec<T> {
        let mut v = Vec::with_capacity((self.rows * self.cols) as usize);
        for j in 0..self.cols {
            for i in 0..self.rows {
                v.push(unsafe { (self.data.offset((i * self.s0 + j * self.s1) as isize) as *const T).read_unaligned() });
            }
        }
        v
    }
}

/// Writes the column-major `rows × cols` matrix `f` to the C-contiguous `out`.
///
/// # Safety
/// `out` holds rows × cols elements.
unsafe fn store_c<T: Copy>(f: &[T], rows: i64, cols: i64, out: *mut u8) {
    let out = out as *mut T;
    for i in 0..rows {
        for j in 0..cols {
            unsafe { out.add((i * cols + j) as usize).write(f[(i + j * rows) as usize]) };
        }
    }
}

/// `np.linalg` operation `op` (an [`Op`]) on the `rows × cols` matrix `a` (byte strides `as0`,
/// `as1`) of `dtype` (float32 or float64 for LAPACK, complex64 or complex128 for solve, inv,
/// det and slogdet, any for matrix_power; a [`Dtype`] index),
/// with `b` (`b_rows × nrhs`, a vector when `b_vector`, for solve) or the power `nrhs`
/// (matrix_power); results into `out1` and `out2` (C-contiguous, of the sizes [`Op`] says). A
/// status: 0, or NumPy's error ([`Status::LinAlg`] or [`Status::LinAlgValue`], with
/// [`last_message`]).
///
/// # Safety
/// The inputs and outputs are live arrays of those shapes, strides and dtype.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_lapack(
    op: i32,
    dtype: i32,
    rows: i64,
    cols: i64,
    a: *const u8,
    as0: i64,
    as1: i64,
    b_rows: i64,
    nrhs: i64,
    b_vector: bool,
    b: *const u8,
    bs0: i64,
    bs1: i64,
    out1: *mut u8,
    out2: *mut u8,
) -> u32 {
    let Some(op) = Op::from_code(op) else { return fail(Status::LinAlg, "unknown linear algebra operation") };
    if rows != cols {
        return fail(Status::LinAlg, "Last 2 dimensions of the array must be square");
    }
    if op == Op::Solve && b_rows != rows {
        return fail(
            Status::LinAlgValue,
            if b_vector {
                format!("solve1: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m)->(m) (size {b_rows} is different from {rows})")
            } else {
                format!("solve: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (m,m),(m,n)->(m,n) (size {b_rows} is different from {rows})")
            },
        );
    }
    let a = In { data: a, rows, cols, s0: as0, s1: as1 };
    let b = In { data: b, rows: b_rows, cols: nrhs, s0: bs0, s1: bs1 };
    // SAFETY: the caller's contract, passed on.
    unsafe {
        if matches!(op, Op::Eig | Op::Eigvals) {
            eig::run(op, dtype, a, out1, out2)
        } else if dtype == Dtype::Complex128 as i32 || dtype == Dtype::Complex64 as i32 {
            complex::run(op, dtype == Dtype::Complex64 as i32, a, b, nrhs, out1, out2)
        } else if dtype == Dtype::Float32 as i32 {
            run::<f32>(op, dtype, a, b, nrhs, out1, out2)
        } else {
            run::<f64>(op, dtype, a, b, nrhs, out1, out2)
        }
    }
}

/// # Safety
/// As [`sj_rt_lapack`].
unsafe fn run<T: Real>(op: Op, dtype: i32, a: In, b: In, nrhs: i64, out1: *mut u8, out2: *mut u8) -> u32 {
    let n = a.rows;
    if op == Op::MatrixPower {
        return unsafe { matrix_power::<T>(dtype, a, nrhs, out1) };
    }
    // An empty matrix: NumPy's answers without LAPACK.
    if n == 0 {
        unsafe {
            match op {
                Op::Det => (out1 as *mut T).write(T::ONE),
                Op::Slogdet => {
                    (out1 as *mut T).write(T::ONE);
                    (out2 as *mut T).write(T::ZERO);
                }
                _ => {}
            }
        }
        return 0;
    }
    let Some(lapack) = LAPACK.get(lapack_in) else {
        return fail(Status::LinAlg, "no LAPACK library was found in the process (set STICKYJIT_BLAS to one)");
    };
    let calls = Calls { ilp64: lapack.ilp64 };
    let r = T::routines(lapack);
    let nn = calls.int(n);
    let mut info = calls.int(0);
    let mut m: Vec<T> = unsafe { a.fortran() };
    let ptr = |v: &mut Vec<T>| v.as_mut_ptr() as *mut c_void;
    // SAFETY: each routine gets arrays of the sizes LAPACK documents for it.
    unsafe {
        match op {
            Op::Solve | Op::Inv => {
                let (mut rhs, cols): (Vec<T>, i64) = if op == Op::Solve {
                    (b.fortran(), nrhs)
                } else {
                    let mut id = vec![T::ZERO; (n * n) as usize];
                    for i in 0..n {
                        id[(i + i * n) as usize] = T::ONE;
                    }
                    (id, n)
                };
                let mut piv = calls.pivots(n);
                let gesv: Gesv = std::mem::transmute::<usize, Gesv>(r.gesv);
                gesv(&nn, &calls.int(cols), ptr(&mut m), &nn, piv.as_mut_ptr(), ptr(&mut rhs), &nn, &mut info);
                if calls.value(info) > 0 {
                    return fail(Status::LinAlg, "Singular matrix");
                }
                store_c(&rhs, n, cols, out1);
            }
            Op::Det | Op::Slogdet => {
                let mut piv = calls.pivots(n);
                let getrf: Getrf = std::mem::transmute::<usize, Getrf>(r.getrf);
                getrf(&nn, &nn, ptr(&mut m), &nn, piv.as_mut_ptr(), &mut info);
                // NumPy's slogdet of the factors: the sign from the pivots and the diagonal's
                // signs, the log of the determinant as a sum of logs; det = sign * exp(logdet).
                let (sign, logdet) = if calls.value(info) == 0 {
                    let swaps = (0..n as usize).filter(|&i| calls.pivot(&piv, i) != i as i64 + 1).count();
                    let mut sign = if swaps % 2 == 1 { -T::ONE } else { T::ONE };
                    let mut logdet = T::ZERO;
                    for i in 0..n as usize {
                        let mut x = m[i + i * n as usize];
                        if x < T::ZERO {
                            sign = -sign;
                            x = -x;
                        }
                        logdet = logdet + x.ln();
                    }
                    (sign, logdet)
                } else {
                    (T::ZERO, T::from_f64(f64::NEG_INFINITY))
                };
                if op == Op::Det {
                    (out1 as *mut T).write(sign * logdet.exp());
                } else {
                    (out1 as *mut T).write(sign);
                    (out2 as *mut T).write(logdet);
                }
            }
            Op::Cholesky => {
                let potrf: Potrf = std::mem::transmute::<usize, Potrf>(r.potrf);
                potrf(c"L".as_ptr(), &nn, ptr(&mut m), &nn, &mut info, 1);
                if calls.value(info) != 0 {
                    return fail(Status::LinAlg, "Matrix is not positive definite");
                }
                for j in 0..n as usize {
                    for i in 0..j {
                        m[i + j * n as usize] = T::ZERO;
                    }
                }
                store_c(&m, n, n, out1);
            }
            Op::Eigh | Op::Eigvalsh => {
                let jobz: &std::ffi::CStr = if op == Op::Eigh { c"V" } else { c"N" };
                let syevd: Syevd = std::mem::transmute::<usize, Syevd>(r.syevd);
                let mut w = vec![T::ZERO; n as usize];
                // The workspace query, then the call.
                let (mut work_size, mut iwork_size) = ([T::ZERO; 1], [calls.int(0); 1]);
                let query = calls.int(-1);
                syevd(
                    jobz.as_ptr(),
                    c"L".as_ptr(),
                    &nn,
                    ptr(&mut m),
                    &nn,
                    w.as_mut_ptr() as *mut c_void,
                    work_size.as_mut_ptr() as *mut c_void,
                    &query,
                    iwork_size.as_mut_ptr(),
                    &query,
                    &mut info,
                    1,
                    1,
                );
                let lwork = work_size[0].to_f64().max(1.0) as i64;
                let liwork = calls.value(iwork_size[0]).max(1);
                let mut work = vec![T::ZERO; lwork as usize];
                let mut iwork = vec![calls.int(0); liwork as usize];
                syevd(
                    jobz.as_ptr(),
                    c"L".as_ptr(),
                    &nn,
                    ptr(&mut m),
                    &nn,
                    w.as_mut_ptr() as *mut c_void,
                    work.as_mut_ptr() as *mut c_void,
                    &calls.int(lwork),
                    iwork.as_mut_ptr(),
                    &calls.int(liwork),
                    &mut info,
                    1,
                    1,
                );
                if calls.value(info) != 0 {
                    return fail(Status::LinAlg, "Eigenvalues did not converge");
                }
                std::ptr::copy_nonoverlapping(w.as_ptr(), out1 as *mut T, n as usize);
                if op == Op::Eigh {
                    store_c(&m, n, n, out2);
                }
            }
            Op::MatrixPower | Op::Eig | Op::Eigvals => unreachable!("handled above"),
        }
    }
    0
}

/// `matrix_power(a, p)` as NumPy computes it: the identity for 0, the inverse's power for a
/// negative `p`, else products by binary decomposition (the same products NumPy makes).
///
/// # Safety
/// As [`sj_rt_lapack`]; `a` is of `dtype`, any dtype products take.
unsafe fn matrix_power<T: Real>(dtype: i32, a: In, p: i64, out: *mut u8) -> u32 {
    let n = a.rows;
    let item = crate::registry::DTYPES.get(dtype as usize).map_or(8, |r| r.size as i64);
    let bytes = (n * n * item) as usize;
    let c_strides = (n * item, item);
    // The base: a (C-contiguous copy), or its inverse for a negative power.
    let mut base = vec![0u8; bytes.max(1)];
    unsafe {
        if p < 0 && (dtype == Dtype::Complex64 as i32 || dtype == Dtype::Complex128 as i32) {
            // NumPy's inv of a complex matrix (zgesv, rounded to complex64 for complex64).
            let single = dtype == Dtype::Complex64 as i32;
            let s = complex::run(Op::Inv, single, a, a, 0, base.as_mut_ptr(), std::ptr::null_mut());
            if s != 0 {
                return s;
            }
        } else if p < 0 {
            if dtype != Dtype::Float32 as i32 && dtype != Dtype::Float64 as i32 {
                return fail(Status::LinAlgValue, "matrix_power of an integer matrix to a negative power is not compiled (its inverse is a float matrix): convert with astype(float)");
            }
            let s = run::<T>(Op::Inv, dtype, a, a, 0, base.as_mut_ptr(), std::ptr::null_mut());
            if s != 0 {
                return s;
            }
        } else {
            for i in 0..n {
                for j in 0..n {
                    let from = a.data.offset((i * a.s0 + j * a.s1) as isize);
                    std::ptr::copy_nonoverlapping(from, base.as_mut_ptr().add(((i * n + j) * item) as usize), item as usize);
                }
            }
        }
    }
    let p = p.unsigned_abs();
    let product = |x: &[u8], y: &[u8], into: &mut [u8]| -> u32 {
        // SAFETY: three n × n C-contiguous blocks of `dtype`.
        unsafe {
            crate::linalg::sj_rt_matmul(
                dtype,
                n,
                n,
                n,
                x.as_ptr(),
                c_strides.0,
                c_strides.1,
                y.as_ptr(),
                c_strides.0,
                c_strides.1,
                into.as_mut_ptr(),
            )
        }
    };
    let result: Vec<u8> = if p == 0 {
        // The identity, in a's dtype (1 of each dtype: written through the loops' product of
        // 1-element matrices would be roundabout; bytes of 1 per dtype instead).
        let mut id = vec![0u8; bytes.max(1)];
        let one = one_bytes(dtype);
        for i in 0..n {
            let at = ((i * n + i) * item) as usize;
            id[at..at + item as usize].copy_from_slice(&one[..item as usize]);
        }
        id
    } else if p == 1 {
        base
    } else if p == 3 {
        // NumPy's `matmul(matmul(a, a), a)` for 3 (binary decomposition would be a @ (a @ a)).
        let mut sq = vec![0u8; bytes.max(1)];
        let mut cube = vec![0u8; bytes.max(1)];
        let s = product(&base, &base, &mut sq);
        if s != 0 {
            return s;
        }
        let s = product(&sq, &base, &mut cube);
        if s != 0 {
            return s;
        }
        cube
    } else {
        // NumPy: z = a, then z = z @ z per bit; result = result @ z where the bit is set.
        let mut z: Option<Vec<u8>> = None;
        let mut result: Option<Vec<u8>> = None;
        let mut q = p;
        while q > 0 {
            z = Some(match z {
                None => base.clone(),
                Some(z) => {
                    let mut sq = vec![0u8; bytes.max(1)];
                    let s = product(&z, &z, &mut sq);
                    if s != 0 {
                        return s;
                    }
                    sq
                }
            });
            let bit = q % 2;
            q /= 2;
            if bit == 1 {
                let zz = z.as_ref().expect("set above");
                result = Some(match result {
                    None => zz.clone(),
                    Some(r) => {
                        let mut next = vec![0u8; bytes.max(1)];
                        let s = product(&r, zz, &mut next);
                        if s != 0 {
                            return s;
                        }
                        next
                    }
                });
            }
        }
        result.expect("p > 0 sets a bit")
    };
    // SAFETY: out holds n × n elements of dtype.
    unsafe { std::ptr::copy_nonoverlapping(result.as_ptr(), out, bytes) };
    0
}

/// The bytes of 1 in `dtype` (native endianness).
fn one_bytes(dtype: i32) -> [u8; 16] {
    let d = crate::registry::DTYPES.get(dtype as usize).map(|r| r.dtype);
    let mut b = [0u8; 16];
    match d {
        Some(Dtype::Float64 | Dtype::Complex128) => b[..8].copy_from_slice(&1.0f64.to_ne_bytes()),
        Some(Dtype::Float32 | Dtype::Complex64) => b[..4].copy_from_slice(&1.0f32.to_ne_bytes()),
        Some(d) => {
            // Integers and bool: 1 in the low byte (little-endian targets).
            let _ = d;
            b[0] = 1;
        }
        None => {}
    }
    b
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_op_code_round_trips() {
        for code in 0..10 {
            assert_eq!(Op::from_code(code).map(|o| o as i32), Some(code));
        }
        assert!(Op::from_code(10).is_none());
    }

    #[test]
    fn integer_matrix_powers_are_exact() {
        let a: [i64; 4] = [1, 1, 1, 0];
        let mut out = [0i64; 4];
        let s = unsafe {
            matrix_power::<f64>(
                Dtype::Int64 as i32,
                In { data: a.as_ptr() as *const u8, rows: 2, cols: 2, s0: 16, s1: 8 },
                10,
                out.as_mut_ptr() as *mut u8,
            )
        };
        assert_eq!(s, 0);
        assert_eq!(out, [89, 55, 55, 34]);
    }
}
