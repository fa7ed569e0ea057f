//! `np.linalg.norm(x, ord, axis)` at run time when `ord` or `axis` is given (the default is a
//! dot product, in codegen): NumPy's formulas (`numpy/linalg/_linalg.py`, `norm`) in x's float
//! dtype, with NumPy's order of additions (pairwise along the contiguous axis of the
//! elementwise result, in order across the other one).

use super::{gesdd, Float, Routines};
use crate::lapack::{fail, In};
use crate::registry::Status;

/// No axis given (the value `sj_rt_lapack_factor` gets as `b_rows`).
pub const NO_AXIS: i64 = i64::MIN;

/// NumPy's `@TYPE@_pairwise_sum` of `v` (the reduction along a contiguous axis).
pub(super) fn pairwise<T: Float>(v: &[T]) -> T {
    let n = v.len();
    if n < 8 {
        let mut res = -T::ZERO;
        for &x in v {
            res = res + x;
        }
        res
    } else if n <= 128 {
        let mut r = [T::ZERO; 8];
        r.copy_from_slice(&v[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for (j, rj) in r.iter_mut().enumerate() {
                *rj = *rj + v[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for &x in &v[i..] {
            res = res + x;
        }
        res
    } else {
        let mut n2 = n / 2;
        n2 -= n2 % 8;
        pairwise(&v[..n2]) + pairwise(&v[n2..])
    }
}

/// The elementwise `f(x)` of the `rows × cols` matrix `x` reduced along `axis` (0 or 1) by
/// NumPy's `add.reduce`: one sum per line.
///
/// # Safety
/// `x` is a live matrix of `T`.
unsafe fn sums<T: Float>(x: &In, axis: usize, f: impl Fn(T) -> T) -> Vec<T> {
    let (rows, cols) = (x.rows as usize, x.cols as usize);
    let at = |i: usize, j: usize| -> T {
        f(unsafe { (x.data.offset(i as isize * x.s0 as isize + j as isize * x.s1 as isize) as *const T).read_unaligned() })
    };
    let (len, count) = if axis == 0 { (rows, cols) } else { (cols, rows) };
    // The line along `axis` is contiguous in NumPy's elementwise result (its order follows x's
    // strides) when the other axis is longer-strided, or has one element.
    let contiguous = if axis == 0 { count <= 1 || x.s0.abs() < x.s1.abs() } else { count <= 1 || x.s1.abs() <= x.s0.abs() };
    let line = |k: usize| -> Vec<T> { (0..len).map(|i| if axis == 0 { at(i, k) } else { at(k, i) }).collect() };
    if contiguous {
        // NumPy starts each sum at add's identity, 0.0, and adds the pairwise sum of the line.
        (0..count).map(|k| T::ZERO + pairwise(&line(k))).collect()
    } else {
        let mut out = vec![T::ZERO; count];
        for i in 0..len {
            for (k, o) in out.iter_mut().enumerate() {
                *o = *o + if axis == 0 { at(i, k) } else { at(k, i) };
            }
        }
        out
    }
}

/// NumPy's `max(..., initial=0)` (`min` without an initial: an error when empty), NaN
/// propagating.
fn extreme<T: Float>(v: &[T], max: bool) -> Result<T, u32> {
    let Some(&first) = v.first() else {
        if max {
            return Ok(T::ZERO);
        }
        return Err(fail(Status::LinAlgValue, "zero-size array to reduction operation minimum which has no identity"));
    };
    let mut best = if max && T::ZERO > first { T::ZERO } else { first };
    for &y in v {
        if y.is_nan() || best.is_nan() {
            return Ok(if y.is_nan() { y } else { best });
        }
        if (max && y > best) || (!max && y < best) {
            best = y;
        }
    }
    Ok(best)
}

/// NumPy's in-place `x **= p` of an array: its fast paths for the exponents -1, 0, 0.5, 1
/// and 2 (reciprocal, ones, sqrt, copy, square), else `pow`.
fn power<T: Float>(x: T, p: T) -> T {
    let q = p.to_f64();
    if q == -1.0 {
        T::ONE / x
    } else if q == 0.0 {
        T::ONE
    } else if q == 0.5 {
        T::from_f64(x.to_f64().sqrt())
    } else if q == 1.0 {
        x
    } else if q == 2.0 {
        x * x
    } else {
        x.powf(p)
    }
}

/// `|x|` (NumPy's `abs`: the sign bit cleared, branch-free).
fn abs<T: Float>(x: T) -> T {
    x.fabs()
}

/// The vector norms of order `ord` (`has_ord` false: None) along `axis` of `x`, one per line.
///
/// # Safety
/// `x` is a live matrix of `T`.
unsafe fn vector_norms<T: Float>(x: &In, axis: usize, ord: f64, has_ord: bool) -> Result<Vec<T>, u32> {
    let (rows, cols) = (x.rows as usize, x.cols as usize);
    let (len, count) = if axis == 0 { (rows, cols) } else { (cols, rows) };
    let at = |i: usize, k: usize| -> T {
        let (r, c) = if axis == 0 { (i, k) } else { (k, i) };
        unsafe { (x.data.offset(r as isize * x.s0 as isize + c as isize * x.s1 as isize) as *const T).read_unaligned() }
    };
    let lines = |f: &dyn Fn(&[T]) -> Result<T, u32>| -> Result<Vec<T>, u32> {
        (0..count).map(|k| f(&(0..len).map(|i| abs(at(i, k))).collect::<Vec<T>>())).collect()
    };
    unsafe {
        Ok(if !has_ord || ord == 2.0 {
            sums::<T>(x, axis, |v| v * v).into_iter().map(|s| T::from_f64(s.to_f64().sqrt())).collect()
        } else if ord == f64::INFINITY {
            lines(&|v| extreme(v, true))?
        } else if ord == f64::NEG_INFINITY {
            lines(&|v| extreme(v, false))?
        } else if ord == 0.0 {
            sums::<T>(x, axis, |v| if v == T::ZERO { T::ZERO } else { T::ONE })
        } else if ord == 1.0 {
            sums::<T>(x, axis, abs)
        } else {
            // NumPy: abs(x) ** ord (in x's dtype), summed, to the power reciprocal(ord).
            let p = T::from_f64(ord);
            sums::<T>(x, axis, |v| power(abs(v), p)).into_iter().map(|s| power(s, T::ONE / p)).collect()
        })
    }
}

/// `norm(x, ord, axis)` of the 1-D (`ndim` 1: `rows` elements, `cols` 1) or 2-D `x` of `T`,
/// into `out` (one element, or one per line along `axis`).
///
/// # Safety
/// `x` is a live matrix of `T`; `out` has room for the result.
pub(super) unsafe fn norm<T: Float>(r: &Routines, x: &In, ndim: i64, axis: i64, ord: f64, has_ord: bool, out: *mut u8) -> u32 {
    let out = out as *mut T;
    let result: Result<Vec<T>, u32> = unsafe {
        if axis != NO_AXIS {
            let a = if axis < 0 { axis + ndim } else { axis };
            if !(0..ndim).contains(&a) {
                return fail(Status::LinAlgValue, format!("axis {axis} is out of bounds for array of dimension {ndim}"));
            }
            vector_norms::<T>(x, a as usize, ord, has_ord)
        } else if ndim == 1 && ord == 2.0 {
            // NumPy's fast path, as the default's: sqrt(dot(x, x)) of a contiguous copy.
            let v: Vec<T> = (0..x.rows).map(|i| (x.data.offset((i * x.s0) as isize) as *const T).read_unaligned()).collect();
            let item = std::mem::size_of::<T>() as i64;
            let mut dot = [T::ZERO];
            let p = v.as_ptr() as *const u8;
            let status =
                crate::linalg::sj_rt_matmul(T::DTYPE as i32, 1, 1, x.rows, p, 0, item, p, item, 0, dot.as_mut_ptr() as *mut u8);
            if status != 0 {
                return status;
            }
            Ok(vec![T::from_f64(dot[0].to_f64().sqrt())])
        } else if ndim == 1 {
            vector_norms::<T>(x, 0, ord, has_ord)
        } else if ord == 2.0 || ord == -2.0 {
            // The singular values (NumPy's svd computes in float64, rounded to x's dtype).
            let copy: Vec<f64> = x.fortran::<T>().into_iter().map(|v| v.to_f64()).collect();
            let f = In { data: copy.as_ptr() as *const u8, rows: x.rows, cols: x.cols, s0: 8, s1: 8 * x.rows };
            match gesdd(r, b'N', &f) {
                Ok(d) => extreme(&d.s_as::<T>(), ord > 0.0).map(|v| vec![v]),
                Err(status) => Err(status),
            }
        } else if ord == 1.0 || ord == -1.0 {
            extreme(&sums::<T>(x, 0, abs), ord > 0.0).map(|v| vec![v])
        } else if ord.is_infinite() {
            extreme(&sums::<T>(x, 1, abs), ord > 0.0).map(|v| vec![v])
        } else {
            return fail(Status::LinAlgValue, "Invalid norm order for matrices.");
        }
    };
    match result {
        Ok(v) => {
            // SAFETY: out has room for v.
            unsafe { std::ptr::copy_nonoverlapping(v.as_ptr(), out, v.len()) };
            0
        }
        Err(status) => status,
    }
}
