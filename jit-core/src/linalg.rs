//! Matrix products at run time (`a @ b`, `np.matmul`, `np.dot`): through the BLAS the process
//! has already loaded (NumPy's own OpenBLAS), looked up at the first product, else plain loops.
//!
//! Compiled code hands [`sj_rt_matmul`] two operands as matrices (a vector is a matrix with one
//! row or one column) by data address and byte strides, and a new C-contiguous result. Floats go
//! to BLAS (`?dot`, `?gemv`, `?gemm`) with the operands as they are when their layout allows
//! (row- or column-major with positive strides: a transposed view costs no copy), else after a
//! copy; integers and bools, which BLAS does not have, and products too small for a BLAS call
//! to pay, go through loops here. Complex operands: `linalg::complex`.

use std::ffi::{c_char, c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use crate::registry::{Dtype, Status};

mod complex;
mod inplace;
pub(crate) use complex::Cx;
pub use inplace::sj_rt_matmul_out_error;

/// The BLAS functions found, by address, and how they take sizes.
#[derive(Debug)]
struct Blas {
    /// The shared object they come from.
    path: String,
    /// Sizes are 64-bit (ILP64, NumPy's `scipy_openblas64_`) rather than C `int`.
    ilp64: bool,
    dgemm: usize,
    sgemm: usize,
    dgemv: usize,
    sgemv: usize,
    ddot: usize,
    sdot: usize,
}

/// The name prefixes and suffixes CBLAS symbols carry, most specific first: NumPy's wheels
/// (`scipy_cblas_dgemm64_`), other ILP64 OpenBLAS builds, SciPy's wheels, then plain CBLAS
/// (system OpenBLAS, MKL, BLIS): (prefix, suffix, 64-bit sizes).
const NAMINGS: [(&str, &str, bool); 4] =
    [("scipy_cblas_", "64_", true), ("cblas_", "64_", true), ("scipy_cblas_", "", false), ("cblas_", "", false)];

static BLAS: Lookup<Blas> = Lookup::new();

/// The BLAS library products use (its path), looking it up if no product has yet: the one
/// `STICKYJIT_BLAS` names, else the first loaded shared object that exports CBLAS.
pub fn blas_library() -> Option<String> {
    blas().map(|b| b.path.clone())
}

/// Whether the BLAS lookup has happened in this process (it happens at the first product,
/// never at import).
pub fn blas_looked_up() -> bool {
    BLAS.looked_up()
}

fn blas() -> Option<&'static Blas> {
    BLAS.get(blas_in)
}

/// A set of functions looked up in the process's libraries once found, and looked for again
/// while not found only once more shared objects are loaded (NumPy may be imported later).
pub(crate) struct Lookup<T> {
    found: OnceLock<T>,
    /// How many shared objects were loaded at the last failed lookup (`usize::MAX`: none yet).
    not_found_at: AtomicUsize,
}

impl<T> Lookup<T> {
    pub(crate) const fn new() -> Self {
        Lookup { found: OnceLock::new(), not_found_at: AtomicUsize::new(usize::MAX) }
    }

    pub(crate) fn looked_up(&self) -> bool {
        self.found.get().is_some() || self.not_found_at.load(Ordering::Relaxed) != usize::MAX
    }

    /// The functions, found by `find` (given a library's handle and path) in the library
    /// `STICKYJIT_BLAS` names, else in the first loaded shared object that has them.
    pub(crate) fn get(&self, find: impl Fn(*mut c_void, String) -> Option<T>) -> Option<&T> {
        if let Some(b) = self.found.get() {
            return Some(b);
        }
        let count = object_count();
        if self.not_found_at.load(Ordering::Relaxed) == count {
            return None;
        }
        match search_libraries(find) {
            Some(b) => Some(self.found.get_or_init(|| b)),
            None => {
                self.not_found_at.store(count, Ordering::Relaxed);
                None
            }
        }
    }
}

/// What `find` finds in the library `STICKYJIT_BLAS` names, else in the first loaded shared
/// object where it finds anything.
fn search_libraries<T>(find: impl Fn(*mut c_void, String) -> Option<T>) -> Option<T> {
    if let Some(path) = std::env::var_os("STICKYJIT_BLAS").filter(|p| !p.is_empty()) {
        let path = path.to_string_lossy().into_owned();
        let c = CString::new(path.clone()).ok()?;
        // SAFETY: dlopen of a path the user named; the handle is kept for the process.
        let handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOW | libc::RTLD_LOCAL) };
        return if handle.is_null() { None } else { find(handle, path) };
    }
    loaded_objects().into_iter().find_map(|path| {
        let c = CString::new(path.clone()).ok()?;
        // SAFETY: RTLD_NOLOAD only returns a handle to an object already loaded (nothing is
        // loaded or initialised); the handle is kept for the process.
        let handle = unsafe { libc::dlopen(c.as_ptr(), libc::RTLD_NOLOAD | libc::RTLD_LAZY) };
        if handle.is_null() {
            None
        } else {
            find(handle, path)
        }
    })
}

/// The address of `name` in the object `handle` (or its dependencies).
pub(crate) fn symbol(handle: *mut c_void, name: &str) -> Option<usize> {
    let name = CString::new(name).ok()?;
    // SAFETY: dlsym on a live handle with a NUL-terminated name.
    let p = unsafe { libc::dlsym(handle, name.as_ptr()) };
    (!p.is_null()).then_some(p as usize)
}

/// The CBLAS functions of the object `handle`, under the first naming that has them all.
fn blas_in(handle: *mut c_void, path: String) -> Option<Blas> {
    NAMINGS.iter().find_map(|&(prefix, suffix, ilp64)| {
        let sym = |f: &str| symbol(handle, &format!("{prefix}{f}{suffix}"));
        let dgemm = sym("dgemm")?;
        Some(Blas {
            path: defining_object(dgemm).unwrap_or_else(|| path.clone()),
            ilp64,
            dgemm,
            sgemm: sym("sgemm")?,
            dgemv: sym("dgemv")?,
            sgemv: sym("sgemv")?,
            ddot: sym("ddot")?,
            sdot: sym("sdot")?,
        })
    })
}

/// The path of the shared object that defines the function at `address` (a dependency of the
/// object it was looked up in, for NumPy's bundled OpenBLAS).
pub(crate) fn defining_object(address: usize) -> Option<String> {
    // SAFETY: dladdr only reads the loader's tables; `info` is written before it is read.
    unsafe {
        let mut info: libc::Dl_info = std::mem::zeroed();
        if libc::dladdr(address as *const c_void, &mut info) == 0 || info.dli_fname.is_null() {
            return None;
        }
        Some(CStr::from_ptr(info.dli_fname).to_string_lossy().into_owned())
    }
}

/// How many shared objects are loaded in the process.
fn object_count() -> usize {
    unsafe extern "C" fn each(_info: *mut libc::dl_phdr_info, _size: libc::size_t, data: *mut c_void) -> c_int {
        // SAFETY: dl_iterate_phdr passes our counter as data.
        unsafe { *(data as *mut usize) += 1 };
        0
    }
    let mut n = 0usize;
    // SAFETY: the callback only increments the counter it is given.
    unsafe { libc::dl_iterate_phdr(Some(each), &mut n as *mut usize as *mut c_void) };
    n
}

/// The paths of the shared objects loaded in the process, in load order.
fn loaded_objects() -> Vec<String> {
    unsafe extern "C" fn each(info: *mut libc::dl_phdr_info, _size: libc::size_t, data: *mut c_void) -> c_int {
        // SAFETY: dl_iterate_phdr passes a valid info and our Vec as data.
        unsafe {
            let out = &mut *(data as *mut Vec<String>);
            let name = (*info).dlpi_name;
            if !name.is_null() {
                let s = CStr::from_ptr(name as *const c_char).to_string_lossy().into_owned();
                if !s.is_empty() {
                    out.push(s);
                }
            }
        }
        0
    }
    let mut out: Vec<String> = Vec::new();
    // SAFETY: the callback only reads the info it is given and pushes to `out`.
    unsafe { libc::dl_iterate_phdr(Some(each), &mut out as *mut Vec<String> as *mut c_void) };
    out
}

// CBLAS constants.
const ROW_MAJOR: c_int = 101;
const NO_TRANS: c_int = 111;
const TRANS: c_int = 112;

/// Products with at most this many multiplications go through the loops here: a BLAS call
/// costs more than such a product (a 3×3 or 4×4 matrix in an inner loop).
const SMALL: i64 = 4096;
/// The same for a dot product (its length) and a matrix-vector product.
const SMALL_DOT: i64 = 32;
const SMALL_GEMV: i64 = 512;

/// An element type the loops multiply: NumPy's arithmetic in that type (integers wrap; bools
/// are `or` of `and`s).
trait Elem: Copy {
    const ZERO: Self;
    fn mul_add(acc: Self, x: Self, y: Self) -> Self;
    /// `x + y` (for bools `x or y`): partial sums combined.
    fn add(x: Self, y: Self) -> Self {
        Self::mul_add(x, y, Self::ONE)
    }
    const ONE: Self;
}

macro_rules! int_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            fn mul_add(acc: Self, x: Self, y: Self) -> Self {
                acc.wrapping_add(x.wrapping_mul(y))
            }
        }
    )*};
}
int_elem!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Elem for f32 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn mul_add(acc: Self, x: Self, y: Self) -> Self {
        acc + x * y
    }
}

impl Elem for f64 {
    const ZERO: Self = 0.0;
    const ONE: Self = 1.0;
    fn mul_add(acc: Self, x: Self, y: Self) -> Self {
        acc + x * y
    }
}

/// A NumPy bool (one byte, 0 or 1).
#[derive(Clone, Copy)]
#[repr(transparent)]
struct B(u8);

impl Elem for B {
    const ZERO: Self = B(0);
    const ONE: Self = B(1);
    fn mul_add(acc: Self, x: Self, y: Self) -> Self {
        B(acc.0 | (x.0 & y.0))
    }
}

/// One operand: an `rows × cols` matrix at `data` with byte strides `s0`, `s1`.
#[derive(Clone, Copy)]
struct Mat {
    data: *const u8,
    rows: i64,
    cols: i64,
    s0: i64,
    s1: i64,
}

impl Mat {
    /// Element (i, j).
    ///
    /// # Safety
    /// `i < rows`, `j < cols`, and the operand's memory is live.
    unsafe fn at<T: Copy>(&self, i: i64, j: i64) -> T {
        unsafe { (self.data.offset((i * self.s0 + j * self.s1) as isize) as *const T).read_unaligned() }
    }

    /// How BLAS can read it in place: (stored transposed, leading dimension), or `None` when
    /// its strides are not a row- or column-major layout with positive element strides.
    fn blas_layout(&self, item: i64) -> Option<(bool, i64)> {
        if self.s0 % item != 0 || self.s1 % item != 0 {
            return None;
        }
        let (e0, e1) = (self.s0 / item, self.s1 / item);
        if (self.cols == 1 || e1 == 1) && (self.rows == 1 || e0 >= self.cols.max(1)) {
            return Some((false, if self.rows == 1 { self.cols.max(1) } else { e0 }));
        }
        if (self.rows == 1 || e0 == 1) && (self.cols == 1 || e1 >= self.rows.max(1)) {
            return Some((true, if self.cols == 1 { self.rows.max(1) } else { e1 }));
        }
        None
    }

    /// Its elements copied into a new row-major buffer (`None` when memory is exhausted).
    ///
    /// # Safety
    /// The operand's memory is live.
    unsafe fn copied_row_major<T: Copy>(&self) -> Option<Vec<T>> {
        let mut v = Vec::new();
        v.try_reserve_exact((self.rows * self.cols) as usize).ok()?;
        for i in 0..self.rows {
            for j in 0..self.cols {
                v.push(unsafe { self.at::<T>(i, j) });
            }
        }
        Some(v)
    }
}

/// Or'ed into [`sj_rt_matmul`]'s dtype for a product that is `np.dot` (or `a.dot`) rather than
/// `@`/`np.matmul`: NumPy computes a few of them otherwise (see `linalg::complex`).
pub const NP_DOT: i32 = 1 << 8;

/// `c = a @ b` with `a` an `m × k` matrix (byte strides `as0`, `as1`), `b` a `k × n` matrix
/// (`bs0`, `bs1`), `c` a C-contiguous `m × n` block (written whole), all of `dtype` (a
/// [`Dtype`] index, with [`NP_DOT`] for `np.dot`). A status: 0, or MemoryError when a copy an operand needed found no memory.
///
/// # Safety
/// The operands and the result are live arrays of those shapes, strides and dtype.
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn sj_rt_matmul(
    dtype: i32,
    m: i64,
    n: i64,
    k: i64,
    a: *const u8,
    as0: i64,
    as1: i64,
    b: *const u8,
    bs0: i64,
    bs1: i64,
    c: *mut u8,
) -> u32 {
    let a = Mat { data: a, rows: m, cols: k, s0: as0, s1: as1 };
    let b = Mat { data: b, rows: k, cols: n, s0: bs0, s1: bs1 };
    let numpy_dot = dtype & NP_DOT != 0;
    let Some(&dtype) = crate::registry::DTYPES.get((dtype & !NP_DOT) as usize).map(|r| &r.dtype) else {
        return Status::OutOfMemory as u32;
    };
    // SAFETY: the caller's contract, passed on.
    let ok = unsafe {
        match dtype {
            Dtype::Float64 => float_product::<f64>(a, b, c, Kind::F64),
            Dtype::Float32 => float_product::<f32>(a, b, c, Kind::F32),
            Dtype::Bool => loops::<B>(a, b, c),
            Dtype::Int8 => loops::<i8>(a, b, c),
            Dtype::Int16 => loops::<i16>(a, b, c),
            Dtype::Int32 => loops::<i32>(a, b, c),
            Dtype::Int64 => loops::<i64>(a, b, c),
            Dtype::UInt8 => loops::<u8>(a, b, c),
            Dtype::UInt16 => loops::<u16>(a, b, c),
            Dtype::UInt32 => loops::<u32>(a, b, c),
            Dtype::UInt64 => loops::<u64>(a, b, c),
            Dtype::Complex128 => complex::product::<f64>(a, b, c, numpy_dot),
            Dtype::Complex64 => complex::product::<f32>(a, b, c, numpy_dot),
        }
    };
    if ok {
        0
    } else {
        Status::OutOfMemory as u32
    }
}

/// The product by loops: a dot product for two vectors, else each row of `c` zeroed, then
/// `c[i, :] += a[i, p] * b[p, :]` (over a contiguous row of `b` when it is one, which LLVM
/// vectorizes).
///
/// # Safety
/// As [`sj_rt_matmul`].
unsafe fn loops<T: Elem>(a: Mat, b: Mat, c: *mut u8) -> bool {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    let c = c as *mut T;
    if m == 1 && n == 1 {
        // SAFETY: the row of `a` and the column of `b` have k elements.
        unsafe { c.write(dot_loop::<T>(k, a.data, a.s1, b.data, b.s0)) };
        return true;
    }
    let item = std::mem::size_of::<T>() as i64;
    for i in 0..m {
        // SAFETY: row i of the m × n result.
        let row = unsafe { std::slice::from_raw_parts_mut(c.add((i * n) as usize), n as usize) };
        row.fill(T::ZERO);
        for p in 0..k {
            let x: T = unsafe { a.at(i, p) };
            if b.s1 == item {
                // SAFETY: row p of `b`, n contiguous elements.
                let brow = unsafe { std::slice::from_raw_parts(b.data.offset((p * b.s0) as isize) as *const T, n as usize) };
                for (r, &y) in row.iter_mut().zip(brow) {
                    *r = T::mul_add(*r, x, y);
                }
            } else {
                for (j, r) in row.iter_mut().enumerate() {
                    *r = T::mul_add(*r, x, unsafe { b.at(p, j as i64) });
                }
            }
        }
    }
    true
}

/// `Σ x[i] y[i]` over `n` elements at byte strides `sx`, `sy`, in four interleaved partial
/// sums (as BLAS keeps them: four additions in flight rather than one chain).
///
/// # Safety
/// Both vectors have `n` live elements at those strides.
unsafe fn dot_loop<T: Elem>(n: i64, x: *const u8, sx: i64, y: *const u8, sy: i64) -> T {
    let item = std::mem::size_of::<T>() as i64;
    if sx == item
        && sy == item
        && n > 0
        && (x as usize).is_multiple_of(std::mem::align_of::<T>())
        && (y as usize).is_multiple_of(std::mem::align_of::<T>())
    {
        // SAFETY: n contiguous, aligned elements each.
        let (xs, ys) = unsafe {
            (std::slice::from_raw_parts(x as *const T, n as usize), std::slice::from_raw_parts(y as *const T, n as usize))
        };
        let mut acc = [T::ZERO; 4];
        let (xc, yc) = (xs.chunks_exact(4), ys.chunks_exact(4));
        let (xr, yr) = (xc.remainder(), yc.remainder());
        for (xq, yq) in xc.zip(yc) {
            for l in 0..4 {
                acc[l] = T::mul_add(acc[l], xq[l], yq[l]);
            }
        }
        for (&p, &q) in xr.iter().zip(yr) {
            acc[0] = T::mul_add(acc[0], p, q);
        }
        return T::add(T::add(acc[0], acc[1]), T::add(acc[2], acc[3]));
    }
    let at = |p: *const u8, s: i64, i: i64| -> T { unsafe { (p.offset((i * s) as isize) as *const T).read_unaligned() } };
    let mut acc = [T::ZERO; 4];
    let full = n - n % 4;
    let mut i = 0;
    while i < full {
        for (l, a) in acc.iter_mut().enumerate() {
            let j = i + l as i64;
            *a = T::mul_add(*a, at(x, sx, j), at(y, sy, j));
        }
        i += 4;
    }
    for j in full..n {
        acc[0] = T::mul_add(acc[0], at(x, sx, j), at(y, sy, j));
    }
    T::add(T::add(acc[0], acc[1]), T::add(acc[2], acc[3]))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    F32,
    F64,
}

/// A float product: by loops when small or when no BLAS was found, else by BLAS.
///
/// # Safety
/// As [`sj_rt_matmul`].
unsafe fn float_product<T: Elem>(a: Mat, b: Mat, c: *mut u8, kind: Kind) -> bool {
    let (m, k, n) = (a.rows, a.cols, b.cols);
    if m == 0 || n == 0 {
        return true;
    }
    // A BLAS call pays from a few dozen multiplications for a dot product or a
    // matrix-vector product, from a few thousand for a matrix product.
    let work = m.saturating_mul(n).saturating_mul(k);
    let worth = if m == 1 && n == 1 {
        k >= SMALL_DOT
    } else if m == 1 || n == 1 {
        work >= SMALL_GEMV
    } else {
        work > SMALL
    };
    let blas = match (k > 0 && worth).then(blas).flatten() {
        Some(blas) => blas,
        None => return unsafe { loops::<T>(a, b, c) },
    };
    if !blas.ilp64 && [m, n, k].iter().any(|&d| d > i32::MAX as i64 / 2) {
        return unsafe { loops::<T>(a, b, c) };
    }
    let item = std::mem::size_of::<T>() as i64;
    // Each operand as BLAS can read it: in place, or a row-major copy.
    let (mut a_copy, mut b_copy): (Option<Vec<T>>, Option<Vec<T>>) = (None, None);
    let layout = |x: &Mat, copy: &mut Option<Vec<T>>| -> Option<(*const u8, bool, i64)> {
        if let Some((t, ld)) = x.blas_layout(item) {
            return Some((x.data, t, ld));
        }
        let v = copy.insert(unsafe { x.copied_row_major::<T>() }?);
        Some((v.as_ptr() as *const u8, false, x.cols.max(1)))
    };
    let Some((ap, at, lda)) = layout(&a, &mut a_copy) else { return false };
    let Some((bp, bt, ldb)) = layout(&b, &mut b_copy) else { return false };
    let call = Call { blas, kind };
    // SAFETY: pointers and leading dimensions describe the operands BLAS reads; `c` is m × n.
    unsafe {
        if m == 1 && n == 1 {
            // The row of `a` and the column of `b`.
            call.dot(k, ap, vec_inc(at, lda, true), bp, vec_inc(bt, ldb, false), c);
        } else if n == 1 {
            // y = A x, x a column of `b`.
            let incb = vec_inc(bt, ldb, false);
            if at {
                call.gemv(TRANS, k, m, ap, lda, bp, incb, c);
            } else {
                call.gemv(NO_TRANS, m, k, ap, lda, bp, incb, c);
            }
        } else if m == 1 {
            // y = Bᵀ x, x the row of `a`.
            let inca = vec_inc(at, lda, true);
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

/// The element stride along a vector operand stored with layout (`transposed`, `ld`): for the
/// row of a 1-row matrix (`row`), or the column of a 1-column matrix.
fn vec_inc(transposed: bool, ld: i64, row: bool) -> i64 {
    // A row is contiguous in a row-major layout and strided by `ld` in a transposed one; a
    // column the other way round.
    if transposed == row {
        ld
    } else {
        1
    }
}

/// One BLAS call, with sizes converted to what the library takes.
struct Call<'b> {
    blas: &'b Blas,
    kind: Kind,
}

type Gemm64<T> = unsafe extern "C" fn(c_int, c_int, c_int, i64, i64, i64, T, *const T, i64, *const T, i64, T, *mut T, i64);
type Gemm32<T> =
    unsafe extern "C" fn(c_int, c_int, c_int, c_int, c_int, c_int, T, *const T, c_int, *const T, c_int, T, *mut T, c_int);
type Gemv64<T> = unsafe extern "C" fn(c_int, c_int, i64, i64, T, *const T, i64, *const T, i64, T, *mut T, i64);
type Gemv32<T> = unsafe extern "C" fn(c_int, c_int, c_int, c_int, T, *const T, c_int, *const T, c_int, T, *mut T, c_int);
type Dot64<T> = unsafe extern "C" fn(i64, *const T, i64, *const T, i64) -> T;
type Dot32<T> = unsafe extern "C" fn(c_int, *const T, c_int, *const T, c_int) -> T;

macro_rules! dispatch {
    ($self:ident, $f64:ident, $f32:ident, $t64:ident, $t32:ident, |$f:ident, $e:ident, $i:ident| $body:expr) => {
        match ($self.kind, $self.blas.ilp64) {
            (Kind::F64, true) => {
                // SAFETY: the symbol was found under the ILP64 naming with this signature.
                let $f: $t64<f64> = unsafe { std::mem::transmute::<usize, $t64<f64>>($self.blas.$f64) };
                type $e = f64;
                type $i = i64;
                $body
            }
            (Kind::F64, false) => {
                // SAFETY: the symbol was found under the LP64 naming with this signature.
                let $f: $t32<f64> = unsafe { std::mem::transmute::<usize, $t32<f64>>($self.blas.$f64) };
                type $e = f64;
                type $i = c_int;
                $body
            }
            (Kind::F32, true) => {
                // SAFETY: as above.
                let $f: $t64<f32> = unsafe { std::mem::transmute::<usize, $t64<f32>>($self.blas.$f32) };
                type $e = f32;
                type $i = i64;
                $body
            }
            (Kind::F32, false) => {
                // SAFETY: as above.
                let $f: $t32<f32> = unsafe { std::mem::transmute::<usize, $t32<f32>>($self.blas.$f32) };
                type $e = f32;
                type $i = c_int;
                $body
            }
        }
    };
}

impl Call<'_> {
    /// `c[0, 0] = x · y` (`n` elements at strides `incx`, `incy`).
    unsafe fn dot(&self, n: i64, x: *const u8, incx: i64, y: *const u8, incy: i64, c: *mut u8) {
        dispatch!(self, ddot, sdot, Dot64, Dot32, |f, E, I| unsafe {
            let r = f(n as I, x as *const E, incx as I, y as *const E, incy as I);
            (c as *mut E).write(r);
        })
    }

    /// `c = op(A) x` (row-major `rows × cols` A with leading dimension `lda`; `c` contiguous).
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemv(&self, trans: c_int, rows: i64, cols: i64, a: *const u8, lda: i64, x: *const u8, incx: i64, c: *mut u8) {
        dispatch!(self, dgemv, sgemv, Gemv64, Gemv32, |f, E, I| unsafe {
            let (one, zero): (E, E) = (1.0, 0.0);
            f(
                ROW_MAJOR,
                trans,
                rows as I,
                cols as I,
                one,
                a as *const E,
                lda as I,
                x as *const E,
                incx as I,
                zero,
                c as *mut E,
                1,
            );
        })
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
        dispatch!(self, dgemm, sgemm, Gemm64, Gemm32, |f, E, I| unsafe {
            let (one, zero): (E, E) = (1.0, 0.0);
            f(
                ROW_MAJOR,
                ta,
                tb,
                m as I,
                n as I,
                k as I,
                one,
                a as *const E,
                lda as I,
                b as *const E,
                ldb as I,
                zero,
                c as *mut E,
                n as I,
            );
        })
    }
}

thread_local! {
    /// The operands' shapes of the last mismatched product on this thread: (np.dot's message
    /// rather than matmul's, ndim and shape of each).
    static LAST_SHAPES: std::cell::Cell<(bool, [i64; 3], [i64; 3])> = const { std::cell::Cell::new((false, [0; 3], [0; 3])) };
}

/// Records the shapes of a product whose inner sizes differ, for the message of
/// [`Status::MatmulShapes`] (compiled code returns that status right after calling this):
/// `dot` (np.dot's message rather than matmul's), then each operand's ndim and shape.
pub extern "C" fn sj_rt_matmul_shapes(dot: bool, ndim_a: i64, a0: i64, a1: i64, ndim_b: i64, b0: i64, b1: i64) {
    LAST_SHAPES.with(|c| c.set((dot, [ndim_a, a0, a1], [ndim_b, b0, b1])));
}

/// What [`sj_rt_matmul_shapes`] recorded last on this thread, to move it to another
/// (`runtime::ErrorState`).
pub(crate) fn last_shapes() -> (bool, [i64; 3], [i64; 3]) {
    LAST_SHAPES.with(|c| c.get())
}

pub(crate) fn set_last_shapes(v: (bool, [i64; 3], [i64; 3])) {
    LAST_SHAPES.with(|c| c.set(v));
}

/// NumPy's message for the mismatch [`sj_rt_matmul_shapes`] recorded last on this thread.
pub fn shapes_message() -> String {
    let (dot, a, b) = LAST_SHAPES.with(|c| c.get());
    let shape = |s: [i64; 3]| if s[0] == 1 { format!("({},)", s[1]) } else { format!("({},{})", s[1], s[2]) };
    // The inner size of each: a's last axis, b's first.
    let (ka, axis_a) = if a[0] == 1 { (a[1], 0) } else { (a[2], 1) };
    let kb = b[1];
    if dot {
        format!("shapes {} and {} not aligned: {ka} (dim {axis_a}) != {kb} (dim 0)", shape(a), shape(b))
    } else {
        format!(
            "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature (n?,k),(k,m?)->(n?,m?) (size {kb} is different from {ka})"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The reference: c[i][j] = Σ a[i][p] b[p][j] in f64.
    fn naive(a: &[f64], b: &[f64], m: usize, k: usize, n: usize) -> Vec<f64> {
        let mut c = vec![0.0; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    /// Every shape class (dot, gemv both ways, gemm; small and large) and both layouts of each
    /// operand (row-major, and a transposed view of a row-major buffer) agree with the naive
    /// product, through BLAS when the test process has one loaded and through loops otherwise.
    #[test]
    fn products_match_the_naive_product() {
        for &(m, k, n) in
            &[(1, 5, 1), (1, 300, 1), (7, 3, 1), (70, 90, 1), (1, 90, 70), (3, 4, 5), (40, 50, 60), (0, 3, 2), (2, 0, 3)]
        {
            let a: Vec<f64> = (0..m * k).map(|x| (x as f64 * 0.37).sin()).collect();
            let b: Vec<f64> = (0..k * n).map(|x| (x as f64 * 0.11).cos()).collect();
            let want = naive(&a, &b, m, k, n);
            // a transposed: stored as k × m row-major.
            let at: Vec<f64> = (0..k * m).map(|x| a[(x % m) * k + x / m]).collect();
            let bt: Vec<f64> = (0..n * k).map(|x| b[(x % k) * n + x / k]).collect();
            for (ap, as0, as1) in [(a.as_ptr(), 8 * k as i64, 8), (at.as_ptr(), 8, 8 * m as i64)] {
                for (bp, bs0, bs1) in [(b.as_ptr(), 8 * n as i64, 8), (bt.as_ptr(), 8, 8 * k as i64)] {
                    let mut c = vec![f64::NAN; m * n];
                    let s = unsafe {
                        sj_rt_matmul(
                            Dtype::Float64 as i32,
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
                        assert!((x - y).abs() <= 1e-12 * (1.0 + y.abs()), "{m}x{k}x{n}: {x} vs {y}");
                    }
                }
            }
        }
    }

    #[test]
    fn integer_products_wrap_and_bools_or_their_ands() {
        let a: [i8; 4] = [100, 2, 3, 4];
        let b: [i8; 4] = [3, 0, 1, 1];
        let mut c = [0i8; 4];
        unsafe {
            sj_rt_matmul(
                Dtype::Int8 as i32,
                2,
                2,
                2,
                a.as_ptr() as *const u8,
                2,
                1,
                b.as_ptr() as *const u8,
                2,
                1,
                c.as_mut_ptr() as *mut u8,
            )
        };
        assert_eq!(c, [100i8.wrapping_mul(3).wrapping_add(2), 2, 13, 4]);
        let (x, y) = ([1u8, 0, 1], [0u8, 1, 1]);
        let mut r = [7u8];
        unsafe { sj_rt_matmul(Dtype::Bool as i32, 1, 1, 3, x.as_ptr(), 1, 1, y.as_ptr(), 1, 1, r.as_mut_ptr()) };
        assert_eq!(r, [1]);
    }

    #[test]
    fn messages_are_numpys() {
        sj_rt_matmul_shapes(true, 2, 2, 3, 2, 4, 5);
        assert_eq!(shapes_message(), "shapes (2,3) and (4,5) not aligned: 3 (dim 1) != 4 (dim 0)");
        sj_rt_matmul_shapes(true, 1, 3, 0, 2, 4, 5);
        assert_eq!(shapes_message(), "shapes (3,) and (4,5) not aligned: 3 (dim 0) != 4 (dim 0)");
        sj_rt_matmul_shapes(false, 2, 2, 3, 1, 4, 0);
        assert!(shapes_message().ends_with("(size 4 is different from 3)"));
    }
}
