//! `np.linalg.norm(x, ord, axis)` at run time when `ord` or `axis` is given (the default is a
//! dot product, in codegen): NumPy's formulas (`numpy/linalg/_linalg.py`, `norm`) in x's float
//! dtype (its parts' for a complex x), with NumPy's order of additions (pairwise along the
//! contiguous axis of the elementwise result, in order across the other one) and NumPy's
//! complex loops (`absolute`'s `larger * sqrt(1 + r*r)`, `(x.conj() * x).real`).

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

/// The elements of the matrix `x` as NumPy's norm computes on them: real numbers of `T`, or
/// complex numbers (two `T`s each: `complex`).
#[derive(Clone, Copy)]
struct Elems<'a> {
    x: &'a In,
    complex: bool,
    /// The CPU has FMA: NumPy's SIMD loops fuse their multiply-adds.
    fma: bool,
    /// NumPy's elementwise loops take their scalar paths: every axis of x longer than 1 has a
    /// negative stride (NumPy 2.4's iterator and loops on x86-64, measured: one positive axis
    /// and they run their SIMD loops). `absolute` is then the C library's `cabs`, and
    /// complex64's product is not fused (complex128's still is).
    scalar: bool,
}

impl Elems<'_> {
    /// The parts of element (i, j) (the imaginary part 0 for a real x).
    ///
    /// # Safety
    /// `x` is a live matrix of `T` (of complex numbers of parts `T`).
    unsafe fn parts<T: Float>(&self, i: usize, j: usize) -> (T, T) {
        let x = self.x;
        unsafe {
            let p = x.data.offset(i as isize * x.s0 as isize + j as isize * x.s1 as isize) as *const T;
            if self.complex {
                (p.read_unaligned(), p.add(1).read_unaligned())
            } else {
                (p.read_unaligned(), T::ZERO)
            }
        }
    }

    /// `a * b + c`, fused where NumPy's loops fuse it.
    fn muladd<T: Float>(&self, a: T, b: T, c: T) -> T {
        if self.fma {
            a.mul_add(b, c)
        } else {
            a * b + c
        }
    }

    /// NumPy's `abs(x)` of element (i, j): `|x|` of a real x; of a complex one NumPy's SIMD
    /// `absolute` (infinities and NaNs spread to both parts, `larger * sqrt(1 + r*r)`, `r` the
    /// ratio of the smaller part to the larger, 0 for 0/0 and inf/inf).
    unsafe fn abs<T: Float>(&self, i: usize, j: usize) -> T {
        let (re, im) = unsafe { self.parts::<T>(i, j) };
        if !self.complex {
            return re.fabs();
        }
        if self.scalar {
            return re.hypot(im);
        }
        let (mut re, mut im) = (re.fabs(), im.fabs());
        let (inf, nan) = (T::from_f64(f64::INFINITY), T::from_f64(f64::NAN));
        if re == inf {
            im = inf;
        }
        if im == inf {
            re = inf;
        }
        if re.is_nan() {
            im = nan;
        }
        if im.is_nan() {
            re = nan;
        }
        // Both parts are NaN or neither.
        let (larger, smaller) = if re > im { (re, im) } else { (im, re) };
        let ratio = if larger == T::ZERO || smaller == inf { T::ZERO } else { smaller / larger };
        T::from_f64(self.muladd(ratio, ratio, T::ONE).to_f64().sqrt()) * larger
    }

    /// NumPy's `(x.conj() * x).real` of element (i, j): `x * x` of a real x; `re*re + im*im`
    /// of a complex one (the complex product's `ar*br - ai*bi`, fused where NumPy fuses it).
    unsafe fn square<T: Float>(&self, i: usize, j: usize) -> T {
        let (re, im) = unsafe { self.parts::<T>(i, j) };
        if !self.complex {
            re * re
        } else if self.scalar && T::DTYPE == crate::registry::Dtype::Float32 {
            re * re + im * im
        } else {
            self.muladd(re, re, im * im)
        }
    }

    /// NumPy's `(x != 0).astype(...)` of element (i, j): 1 or 0.
    unsafe fn nonzero<T: Float>(&self, i: usize, j: usize) -> T {
        let (re, im) = unsafe { self.parts::<T>(i, j) };
        if re == T::ZERO && im == T::ZERO {
            T::ZERO
        } else {
            T::ONE
        }
    }
}

/// The elementwise `f(i, j)` of the `rows × cols` matrix `x` reduced along `axis` (0 or 1) by
/// NumPy's `add.reduce`: one sum per line (x's strides decide which axis NumPy loops over
/// innermost).
///
/// # Safety
/// `f` reads the live matrix `x`.
unsafe fn sums<T: Float>(x: &In, axis: usize, f: impl Fn(usize, usize) -> T) -> Vec<T> {
    let (rows, cols) = (x.rows as usize, x.cols as usize);
    let at = |i: usize, j: usize| -> T { f(i, j) };
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

/// The sums of squares along `axis` (the 2-norm's `add.reduce((x.conj() * x).real, axis)`),
/// added as [`sums`] adds them (bit for bit), but with the lines read as slices where the inner
/// loop's axis is contiguous, so that the loop vectorizes, and compiled with FMA where the CPU
/// has it (the fused multiply-add NumPy's loops use is then an instruction, not a call).
///
/// # Safety
/// `e` reads a live matrix.
unsafe fn square_sums<T: Float>(e: &Elems, axis: usize) -> Vec<T> {
    #[cfg(target_arch = "x86_64")]
    if e.fma {
        // SAFETY: the CPU has FMA (`has_fma`), and the caller's contract.
        return unsafe { square_sums_fma::<T>(e, axis) };
    }
    unsafe { square_sums_inline::<T>(e, axis) }
}

/// [`square_sums_inline`] compiled for CPUs with FMA.
///
/// # Safety
/// The CPU has FMA; `e` reads a live matrix.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn square_sums_fma<T: Float>(e: &Elems, axis: usize) -> Vec<T> {
    unsafe { square_sums_inline::<T>(e, axis) }
}

/// See [`square_sums`].
///
/// # Safety
/// `e` reads a live matrix.
#[inline(always)]
unsafe fn square_sums_inline<T: Float>(e: &Elems, axis: usize) -> Vec<T> {
    let x = e.x;
    let (rows, cols) = (x.rows as usize, x.cols as usize);
    let (len, count) = if axis == 0 { (rows, cols) } else { (cols, rows) };
    let parts = if e.complex { 2 } else { 1 };
    let item = (std::mem::size_of::<T>() * parts) as i64;
    // The strides along a line and from one line to the next.
    let (along, across) = if axis == 0 { (x.s0, x.s1) } else { (x.s1, x.s0) };
    // As `sums` decides it.
    let contiguous = if axis == 0 { count <= 1 || x.s0.abs() < x.s1.abs() } else { count <= 1 || x.s1.abs() <= x.s0.abs() };
    let aligned = (x.data as usize).is_multiple_of(std::mem::align_of::<T>());
    let fast = !e.scalar && aligned && len > 0 && count > 0;
    // The elements from `p` on, `n` of them, as a slice of their parts.
    let slice = |p: *const u8, n: usize| -> &[T] {
        // SAFETY: the caller's contract: n elements of contiguous, aligned T parts.
        unsafe { std::slice::from_raw_parts(p as *const T, n * parts) }
    };
    let at = |k: usize, stride: i64| -> *const u8 {
        // SAFETY: within the live matrix.
        unsafe { x.data.offset(k as isize * stride as isize) }
    };
    if fast && contiguous && along == item {
        // One pairwise sum per line, each line's squares in a buffer. (A plain loop: a closure
        // would not inherit this function's FMA, and its mul_add would be a call.)
        let mut buf = vec![T::ZERO; len];
        let mut out = Vec::with_capacity(count);
        for k in 0..count {
            squares_into(e, slice(at(k, across), len), &mut buf);
            out.push(T::ZERO + pairwise(&buf));
        }
        return out;
    }
    if fast && !contiguous && across == item {
        // The lines summed side by side, one row of the elementwise result at a time.
        let mut out = vec![T::ZERO; count];
        let mut buf = vec![T::ZERO; count];
        for i in 0..len {
            squares_into(e, slice(at(i, along), count), &mut buf);
            for (o, s) in out.iter_mut().zip(&buf) {
                *o = *o + *s;
            }
        }
        return out;
    }
    unsafe { sums::<T>(x, axis, |i, j| e.square(i, j)) }
}

/// The squares (`Elems::square`) of the elements whose parts are `v`, into `out`.
#[inline(always)]
fn squares_into<T: Float>(e: &Elems, v: &[T], out: &mut [T]) {
    if !e.complex {
        for (o, x) in out.iter_mut().zip(v) {
            *o = *x * *x;
        }
    } else if e.fma {
        for (o, c) in out.iter_mut().zip(v.chunks_exact(2)) {
            *o = c[0].mul_add(c[0], c[1] * c[1]);
        }
    } else {
        for (o, c) in out.iter_mut().zip(v.chunks_exact(2)) {
            *o = c[0] * c[0] + c[1] * c[1];
        }
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

/// The vector norms of order `ord` (`has_ord` false: None) along `axis` of `e`, one per line
/// (`one_d`: of a 1-D x, whose one norm NumPy computes as a scalar).
///
/// # Safety
/// `e` reads a live matrix.
unsafe fn vector_norms<T: Float>(e: Elems, axis: usize, ord: f64, has_ord: bool, one_d: bool) -> Result<Vec<T>, u32> {
    let x = e.x;
    let (rows, cols) = (x.rows as usize, x.cols as usize);
    let (len, count) = if axis == 0 { (rows, cols) } else { (cols, rows) };
    let abs_at = |i: usize, k: usize| -> T {
        let (r, c) = if axis == 0 { (i, k) } else { (k, i) };
        unsafe { e.abs(r, c) }
    };
    let lines = |f: &dyn Fn(&[T]) -> Result<T, u32>| -> Result<Vec<T>, u32> {
        (0..count).map(|k| f(&(0..len).map(|i| abs_at(i, k)).collect::<Vec<T>>())).collect()
    };
    unsafe {
        Ok(if !has_ord || ord == 2.0 {
            square_sums::<T>(&e, axis).into_iter().map(|s| T::from_f64(s.to_f64().sqrt())).collect()
        } else if ord == f64::INFINITY {
            lines(&|v| extreme(v, true))?
        } else if ord == f64::NEG_INFINITY {
            lines(&|v| extreme(v, false))?
        } else if ord == 0.0 {
            sums::<T>(x, axis, |i, j| e.nonzero(i, j))
        } else if ord == 1.0 {
            sums::<T>(x, axis, |i, j| e.abs(i, j))
        } else {
            // NumPy: abs(x) ** ord (in x's dtype), summed, to the power reciprocal(ord): an
            // array's `**=` (its fast paths), or of a 1-D x a NumPy scalar's `**`, the C
            // library's `pow` (`powf`) itself.
            let p = T::from_f64(ord);
            let sums = sums::<T>(x, axis, |i, j| power(e.abs(i, j), p));
            let to = T::ONE / p;
            sums.into_iter().map(|s| if one_d { s.powf(to) } else { power(s, to) }).collect()
        })
    }
}

/// `norm(x, ord, axis)` of the 1-D (`ndim` 1: `rows` elements, `cols` 1) or 2-D `x` of `T`
/// (of complex numbers of parts `T`: `complex`), into `out` (one element, or one per line
/// along `axis`, of `T`). `loops` says which loops NumPy's elementwise steps take when `x`
/// is a slice of a larger array (its other axes decide): 1 its SIMD loops, 2 its scalar ones,
/// 0 as x's own strides say.
///
/// # Safety
/// `x` is a live matrix of `T` (or of complex numbers of parts `T`); `out` has room for the
/// result.
#[allow(clippy::too_many_arguments)]
pub(super) unsafe fn norm<T: Float>(
    r: &Routines,
    x: &In,
    complex: bool,
    (ndim, axis, loops): (i64, i64, i64),
    ord: f64,
    has_ord: bool,
    out: *mut u8,
) -> u32 {
    let out = out as *mut T;
    let axes = [(x.rows, x.s0), (x.cols, x.s1)];
    let long: Vec<i64> = axes[..ndim.clamp(1, 2) as usize].iter().filter(|(n, _)| *n > 1).map(|(_, s)| *s).collect();
    let scalar = match loops {
        1 => false,
        2 => true,
        _ => !long.is_empty() && long.iter().all(|s| *s < 0),
    };
    let e = Elems { x, complex, fma: has_fma(), scalar };
    let result: Result<Vec<T>, u32> = unsafe {
        if axis != NO_AXIS {
            let a = if axis < 0 { axis + ndim } else { axis };
            if !(0..ndim).contains(&a) {
                return fail(Status::LinAlgValue, format!("axis {axis} is out of bounds for array of dimension {ndim}"));
            }
            vector_norms::<T>(e, a as usize, ord, has_ord, ndim == 1)
        } else if ndim == 1 && ord == 2.0 {
            // NumPy's fast path, as the default's: sqrt(dot(x, x)) of a contiguous copy (of a
            // complex x: x.real.dot(x.real) + x.imag.dot(x.imag), each part read with a stride
            // of two).
            let parts = if complex { 2 } else { 1 };
            let v: Vec<T> = (0..x.rows)
                .flat_map(|i| {
                    let p = x.data.offset((i * x.s0) as isize) as *const T;
                    (0..parts).map(move |k| p.add(k).read_unaligned())
                })
                .collect();
            let item = std::mem::size_of::<T>() as i64;
            let stride = item * parts as i64;
            let mut sq = T::ZERO;
            for k in 0..parts {
                let mut dot = [T::ZERO];
                let p = v.as_ptr().add(k) as *const u8;
                let status = crate::linalg::sj_rt_matmul(
                    T::DTYPE as i32,
                    1,
                    1,
                    x.rows,
                    p,
                    0,
                    stride,
                    p,
                    stride,
                    0,
                    dot.as_mut_ptr() as *mut u8,
                );
                if status != 0 {
                    return status;
                }
                sq = if k == 0 { dot[0] } else { sq + dot[0] };
            }
            Ok(vec![T::from_f64(sq.to_f64().sqrt())])
        } else if ndim == 1 {
            vector_norms::<T>(e, 0, ord, has_ord, true)
        } else if ord == 2.0 || ord == -2.0 {
            // The singular values (NumPy's svd computes in float64, complex128 for a complex x,
            // rounded to x's dtype).
            let s = if complex {
                let copy: Vec<f64> = (0..x.cols as usize)
                    .flat_map(|j| (0..x.rows as usize).map(move |i| (i, j)))
                    .flat_map(|(i, j)| {
                        let (re, im) = e.parts::<T>(i, j);
                        [re.to_f64(), im.to_f64()]
                    })
                    .collect();
                let f = In { data: copy.as_ptr() as *const u8, rows: x.rows, cols: x.cols, s0: 16, s1: 16 * x.rows };
                let mut s = vec![T::ZERO; x.rows.min(x.cols) as usize];
                let null = std::ptr::null_mut();
                let status = super::zsvd::run::<T>(
                    super::FactorOp::SvdVals,
                    &f,
                    0.0,
                    false,
                    &[s.as_mut_ptr() as *mut u8, null, null, null],
                );
                if status != 0 {
                    return status;
                }
                Ok(s)
            } else {
                let copy: Vec<f64> = x.fortran::<T>().into_iter().map(|v| v.to_f64()).collect();
                let f = In { data: copy.as_ptr() as *const u8, rows: x.rows, cols: x.cols, s0: 8, s1: 8 * x.rows };
                gesdd(r, b'N', &f).map(|d| d.s_as::<T>())
            };
            s.and_then(|s| extreme(&s, ord > 0.0).map(|v| vec![v]))
        } else if ord == 1.0 || ord == -1.0 {
            extreme(&sums::<T>(x, 0, |i, j| e.abs(i, j)), ord > 0.0).map(|v| vec![v])
        } else if ord.is_infinite() {
            extreme(&sums::<T>(x, 1, |i, j| e.abs(i, j)), ord > 0.0).map(|v| vec![v])
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

/// Whether the CPU has FMA, which NumPy's SIMD loops (its dispatch picks the best target) use
/// for their multiply-adds.
fn has_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(target_arch = "aarch64")]
    {
        true
    }
    #[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
    {
        false
    }
}
