//! Matrix products of complex64 and complex128 operands: BLAS `?gemm`, `?gemv` and
//! `?dotu_sub` (CBLAS, scalars by address) as NumPy calls them, else NumPy's own loops.
//!
//! The operands reach BLAS in place when their layout allows (as for floats), else as a
//! row-major copy. Products too small for a BLAS call to pay, and every product when no BLAS is
//! loaded, are made by the loops of NumPy's `matmul_inner_noblas` and `@TYPE@_dot` (each element
//! summed in order: `re += ar*br - ai*bi`, `im += ar*bi + ai*br`), so that they equal NumPy's
//! answer wherever NumPy itself takes those loops.

use std::ffi::{c_int, c_void};

use super::{symbol, Lookup, Mat, NAMINGS, NO_TRANS, ROW_MAJOR, TRANS};

/// A complex element: NumPy's `npy_cfloat` (`T` = f32) or `npy_cdouble` (f64).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Cx<T> {
    pub re: T,
    pub im: T,
}

/// A part of a complex element.
pub(crate) trait Part:
    Copy + std::ops::Add<Output = Self> + std::ops::Sub<Output = Self> + std::ops::Mul<Output = Self>
{
    const ZERO: Self;
    const ONE: Self;
    /// The BLAS of this precision (`z` for f64, `c` for f32).
    fn routines(b: &ComplexBlas) -> Routines;
}

impl Part for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn routines(b: &ComplexBlas) -> Routines {
        b.z
    }
}

impl Part for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn routines(b: &ComplexBlas) -> Routines {
        b.c
    }
}

impl<T: Part> Cx<T> {
    const ZERO: Self = Cx { re: T::ZERO, im: T::ZERO };
    const ONE: Self = Cx { re: T::ONE, im: T::ZERO };

    /// `self + x * y` as NumPy's loops write it (`re += xr*yr - xi*yi`, `im += xr*yi + xi*yr`).
    #[inline(always)]
    fn mul_add(self, x: Self, y: Self) -> Self {
        Cx { re: self.re + (x.re * y.re - x.im * y.im), im: self.im + (x.re * y.im + x.im * y.re) }
    }
}

/// The complex BLAS functions of one library, by address.
#[derive(Debug)]
pub(crate) struct ComplexBlas {
    ilp64: bool,
    z: Routines,
    c: Routines,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Routines {
    gemm: usize,
    gemv: usize,
    dotu: usize,
}

static COMPLEX_BLAS: Lookup<ComplexBlas> = Lookup::new();

/// The complex CBLAS functions of the object `handle`, under the first naming that has them
/// all (the naming and library the float products find, as the lookup is the same).
fn complex_blas_in(handle: *mut c_void, _path: String) -> Option<ComplexBlas> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let routines = |t: char| -> Option<Routines> {
            let sym = |f: &str| symbol(handle, &format!("{prefix}{t}{f}{suffix}"));
            Some(Routines { gemm: sym("gemm")?, gemv: sym("gemv")?, dotu: sym("dotu_sub")? })
        };
        Some(ComplexBlas { ilp64, z: routines('z')?, c: routines('c')? })
    })
}

/// Products with at most this many complex multiplications go through the loops (a complex
/// multiplication is four real ones: the float cut-offs divided by four).
const SMALL: i64 = super::SMALL / 4;
const SMALL_DOT: i64 = super::SMALL_DOT / 4;
const SMALL_GEMV: i64 = super::SMALL_GEMV / 4;

/// `c = a @ b` of complex elements with parts `T` (see `sj_rt_matmul`; `numpy_dot` for
/// `np.dot`); false when a copy found no memory.
///
/// # Safety
/// As `sj_rt_matmul`.
pub(super) unsafe fn product<T: Part>(a: Mat, b: Mat, c: *mut u8, numpy_dot: bool) -> bool {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    if m == 0 || n == 0 {
        return true;
    }
    let work = m.saturating_mul(n).saturating_mul(k);
    let worth = if m == 1 && n == 1 {
        k >= SMALL_DOT
    } else if m == 1 || n == 1 {
        work >= SMALL_GEMV
    } else {
        // NumPy makes an outer product (inner size 1) by its loops too.
        work > SMALL && k > 1
    };
    let item = std::mem::size_of::<Cx<T>>() as i64;
    // NumPy's matmul of vectors BLAS cannot read (a negative or zero stride) is its loop;
    // np.dot copies them for BLAS, as here.
    let readable = numpy_dot || !(m == 1 && n == 1) || (a.blas_layout(item).is_some() && b.blas_layout(item).is_some());
    let blas = match (k > 0 && worth && readable).then(|| COMPLEX_BLAS.get(complex_blas_in)).flatten() {
        Some(blas) => blas,
        None => return unsafe { loops::<T>(a, b, c) },
    };
    if !blas.ilp64 && [m, n, k].iter().any(|&d| d > i32::MAX as i64 / 2) {
        return unsafe { loops::<T>(a, b, c) };
    }
    let mut a_copy: Option<Vec<Cx<T>>> = None;
    let mut b_copy: Option<Vec<Cx<T>>> = None;
    let layout = |x: &Mat, copy: &mut Option<Vec<Cx<T>>>| -> Option<(*const u8, bool, i64)> {
        if let Some((t, ld)) = x.blas_layout(item) {
            return Some((x.data, t, ld));
        }
        let v = copy.insert(unsafe { x.copied_row_major::<Cx<T>>() }?);
        Some((v.as_ptr() as *const u8, false, x.cols.max(1)))
    };
    let Some((ap, at, lda)) = layout(&a, &mut a_copy) else { return false };
    let Some((bp, bt, ldb)) = layout(&b, &mut b_copy) else { return false };
    let call = Call::<T> { ilp64: blas.ilp64, r: T::routines(blas), _t: std::marker::PhantomData };
    // SAFETY: pointers and leading dimensions describe the operands BLAS reads; `c` is m × n.
    unsafe {
        if m == 1 && n == 1 {
            call.dotu(k, ap, super::vec_inc(at, lda, true), bp, super::vec_inc(bt, ldb, false), c);
        } else if n == 1 {
            let incb = super::vec_inc(bt, ldb, false);
            if at {
                call.gemv(TRANS, k, m, ap, lda, bp, incb, c);
            } else {
                call.gemv(NO_TRANS, m, k, ap, lda, bp, incb, c);
            }
        } else if m == 1 {
            let inca = super::vec_inc(at, lda, true);
            if bt {
                call.gemv(NO_TRANS, n, k, bp, ldb, ap, inca, c);
            } else {
                call.gemv(TRANS, k, n, bp, ldb, ap, inca, c);
            }
        } else {
            call.gemm(if at { TRANS } else { NO_TRANS }, if bt { TRANS } else { NO_TRANS }, m, n, k, ap, lda, bp, ldb, c);
        }
    }
    drop((a_copy, b_copy));
    true
}

/// NumPy's loops: each element of `c` zeroed, then `c[i, j] += a[i, p] * b[p, j]` for p in
/// order (row by row of `c`, so that a contiguous row of `b` is read in order).
///
/// # Safety
/// As `sj_rt_matmul`.
unsafe fn loops<T: Part>(a: Mat, b: Mat, c: *mut u8) -> bool {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let c = c as *mut Cx<T>;
    let item = std::mem::size_of::<Cx<T>>() as i64;
    for i in 0..m {
        // SAFETY: row i of the m × n result.
        let row = unsafe { std::slice::from_raw_parts_mut(c.add((i * n) as usize), n as usize) };
        row.fill(Cx::ZERO);
        for p in 0..k {
            let x: Cx<T> = unsafe { a.at(i, p) };
            if b.s1 == item {
                // SAFETY: row p of `b`, n contiguous elements.
                let brow = unsafe { std::slice::from_raw_parts(b.data.offset((p * b.s0) as isize) as *const Cx<T>, n as usize) };
                for (r, &y) in row.iter_mut().zip(brow) {
                    *r = r.mul_add(x, y);
                }
            } else {
                for (j, r) in row.iter_mut().enumerate() {
                    *r = r.mul_add(x, unsafe { b.at(p, j as i64) });
                }
            }
        }
    }
    true
}

/// One BLAS call of parts `T`, with sizes converted to what the library takes.
struct Call<T> {
    ilp64: bool,
    r: Routines,
    _t: std::marker::PhantomData<T>,
}

type P = *const c_void;
type Gemm64 = unsafe extern "C" fn(c_int, c_int, c_int, i64, i64, i64, P, P, i64, P, i64, P, *mut c_void, i64);
type Gemm32 = unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, P, P, c_int, P, c_int, P, *mut c_void, c_int);
type Gemv64 = unsafe extern "C" fn(c_int, c_int, i64, i64, P, P, i64, P, i64, P, *mut c_void, i64);
type Gemv32 = unsafe extern "C" fn(c_int, c_int, c_int, c_int, P, P, c_int, P, c_int, P, *mut c_void, c_int);
type Dotu64 = unsafe extern "C" fn(i64, P, i64, P, i64, *mut c_void);
type Dotu32 = unsafe extern "C" fn(c_int, P, c_int, P, c_int, *mut c_void);

impl<T: Part> Call<T> {
    /// `c[0, 0] = x · y` (`n` elements at strides `incx`, `incy`; no conjugation).
    unsafe fn dotu(&self, n: i64, x: *const u8, incx: i64, y: *const u8, incy: i64, c: *mut u8) {
        let (x, y, c) = (x as P, y as P, c as *mut c_void);
        // SAFETY: the symbol was found under the naming whose integers these are.
        unsafe {
            if self.ilp64 {
                std::mem::transmute::<usize, Dotu64>(self.r.dotu)(n, x, incx, y, incy, c)
            } else {
                std::mem::transmute::<usize, Dotu32>(self.r.dotu)(n as c_int, x, incx as c_int, y, incy as c_int, c)
            }
        }
    }

    /// `c = op(A) x` (row-major `rows × cols` A with leading dimension `lda`; `c` contiguous).
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemv(&self, trans: c_int, rows: i64, cols: i64, a: *const u8, lda: i64, x: *const u8, incx: i64, c: *mut u8) {
        let (one, zero) = (Cx::<T>::ONE, Cx::<T>::ZERO);
        let (one, zero) = (&one as *const Cx<T> as P, &zero as *const Cx<T> as P);
        let (a, x, c) = (a as P, x as P, c as *mut c_void);
        // SAFETY: as in `dotu`.
        unsafe {
            if self.ilp64 {
                std::mem::transmute::<usize, Gemv64>(self.r.gemv)(ROW_MAJOR, trans, rows, cols, one, a, lda, x, incx, zero, c, 1)
            } else {
                std::mem::transmute::<usize, Gemv32>(self.r.gemv)(
                    ROW_MAJOR,
                    trans,
                    rows as c_int,
                    cols as c_int,
                    one,
                    a,
                    lda as c_int,
                    x,
                    incx as c_int,
                    zero,
                    c,
                    1,
                )
            }
        }
    }

    /// `c = op(A) op(B)`, `c` C-contiguous `m × n`.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm(
        &self,
        ta: c_int,
        tb: c_int,
        m: i64,
        n: i64,
        k: i64,
        a: *const u8,
        lda: i64,
        b: *const u8,
        ldb: i64,
        c: *mut u8,
    ) {
        let (one, zero) = (Cx::<T>::ONE, Cx::<T>::ZERO);
        let (one, zero) = (&one as *const Cx<T> as P, &zero as *const Cx<T> as P);
        let (a, b, c) = (a as P, b as P, c as *mut c_void);
        // SAFETY: as in `dotu`.
        unsafe {
            if self.ilp64 {
                std::mem::transmute::<usize, Gemm64>(self.r.gemm)(ROW_MAJOR, ta, tb, m, n, k, one, a, lda, b, ldb, zero, c, n)
            } else {
                std::mem::transmute::<usize, Gemm32>(self.r.gemm)(
                    ROW_MAJOR,
                    ta,
                    tb,
                    m as c_int,
                    n as c_int,
                    k as c_int,
                    one,
                    a,
                    lda as c_int,
                    b,
                    ldb as c_int,
                    zero,
                    c,
                    n as c_int,
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Dtype;

    fn naive(a: &[Cx<f64>], b: &[Cx<f64>], m: usize, k: usize, n: usize) -> Vec<Cx<f64>> {
        let mut c = vec![Cx::ZERO; m * n];
        for i in 0..m {
            for j in 0..n {
                for p in 0..k {
                    c[i * n + j] = c[i * n + j].mul_add(a[i * k + p], b[p * n + j]);
                }
            }
        }
        c
    }

    /// Every shape class, small and large, both layouts of each operand, agree with the naive
    /// product (through BLAS when the test process has one loaded, through loops otherwise).
    #[test]
    fn complex_products_match_the_naive_product() {
        for &(m, k, n) in &[(1, 5, 1), (1, 300, 1), (7, 3, 1), (70, 90, 1), (1, 90, 70), (3, 4, 5), (40, 50, 60), (4, 1, 3)] {
            let a: Vec<Cx<f64>> = (0..m * k).map(|x| Cx { re: (x as f64 * 0.37).sin(), im: (x as f64 * 0.21).cos() }).collect();
            let b: Vec<Cx<f64>> = (0..k * n).map(|x| Cx { re: (x as f64 * 0.11).cos(), im: (x as f64 * 0.7).sin() }).collect();
            let want = naive(&a, &b, m, k, n);
            let at: Vec<Cx<f64>> = (0..k * m).map(|x| a[(x % m) * k + x / m]).collect();
            let bt: Vec<Cx<f64>> = (0..n * k).map(|x| b[(x % k) * n + x / k]).collect();
            for (ap, as0, as1) in [(a.as_ptr(), 16 * k as i64, 16), (at.as_ptr(), 16, 16 * m as i64)] {
                for (bp, bs0, bs1) in [(b.as_ptr(), 16 * n as i64, 16), (bt.as_ptr(), 16, 16 * k as i64)] {
                    let mut c = vec![Cx { re: f64::NAN, im: f64::NAN }; m * n];
                    let s = unsafe {
                        super::super::sj_rt_matmul(
                            Dtype::Complex128 as i32,
                            m as i64,
                            n as i64,
                            k as i64,
                            ap as *const u8,
                            as0,
                            as1,
                            bp as *const u8,
                            bs0,
                            bs1,
                            c.as_mut_ptr() as *mut u8,
                        )
                    };
                    assert_eq!(s, 0);
                    for (x, y) in c.iter().zip(&want) {
                        let tol = 1e-12 * (1.0 + y.re.abs() + y.im.abs());
                        assert!((x.re - y.re).abs() <= tol && (x.im - y.im).abs() <= tol, "{m}x{k}x{n}: {x:?} vs {y:?}");
                    }
                }
            }
        }
    }
}
