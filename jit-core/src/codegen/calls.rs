//! Codegen of calls: builtins (`abs`, `min`, `max`, `int`, `float`, `bool`, `round`), the `math`
//! module with CPython's error rules, and the libm, LLVM-intrinsic and runtime-helper calls they
//! use (declared from the table in `helpers.rs`).

use inkwell::attributes::AttributeLoc;
use inkwell::values::{BasicValueEnum, FloatValue, FunctionValue};
use inkwell::{FloatPredicate, IntPredicate};

use super::helpers::Helper;
use super::{Built, FnGen};
use crate::ast::CmpOp;
use crate::hir::{self, Intrinsic, MathFn};
use crate::runtime::Status;
use crate::types::{Dtype, Type};
use inkwell::types::BasicTypeEnum;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The declaration of `h` ([`ModuleGen::helper`]).
    pub(super) fn helper(&self, h: Helper) -> FunctionValue<'ctx> {
        self.module_gen.helper(h)
    }

    pub(super) fn intrinsic_fn(&self, name: &str, arity: usize) -> FunctionValue<'ctx> {
        let f64t = self.ctx().f64_type();
        self.module_gen.llvm_intrinsic(name, &vec![f64t.into(); arity.min(1)])
    }

    pub(super) fn libm(&self, name: &'static str, arity: usize) -> FunctionValue<'ctx> {
        // `pow` is not counted: its calls are `nobuiltin`, which the vectorizer leaves alone.
        if name != "pow" {
            let calls = &self.module_gen.libm_calls;
            calls.set(calls.get() + 1);
        }
        self.helper(Helper::Libm(name, arity))
    }

    /// The C library's `pow`, called as CPython calls it: `nobuiltin`, so that LLVM does not
    /// rewrite `pow(x, 2.0)` into `x * x` or `pow(2.0, y)` into `exp2(y)`, which can differ
    /// from `pow` in the last bit.
    /// Constant operands are folded here, with the process's own `pow` (the one compiled code
    /// calls), as CPython folds `1.5 ** 2`: LLVM does not fold a `nobuiltin` call. With
    /// `fastmath` allowing approximate functions (`afn`) it is a plain call LLVM may rewrite.
    pub(super) fn call_pow(&self, x: FloatValue<'ctx>, y: FloatValue<'ctx>) -> FloatValue<'ctx> {
        if let (Some(a), Some(b)) = (const_f64(x), const_f64(y)) {
            return self.f64(libm_pow(a, b));
        }
        let pow = self.libm("pow", 2);
        let call = self.b().build_call(pow, &[x.into(), y.into()], "pow").u();
        if !self.module_gen.fastmath.has("afn") {
            call.add_attribute(AttributeLoc::Function, self.module_gen.fn_attr("nobuiltin"));
        }
        match call.try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v.into_float_value(),
            _ => unreachable!("pow returns a double"),
        }
    }

    pub(super) fn call_basic(
        &self,
        f: FunctionValue<'ctx>,
        args: &[inkwell::values::BasicMetadataValueEnum<'ctx>],
    ) -> BasicValueEnum<'ctx> {
        match self.b().build_call(f, args, "c").u().try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v,
            _ => unreachable!("helpers return values"),
        }
    }

    pub(super) fn float_arg(&mut self, e: &hir::Expr) -> FloatValue<'ctx> {
        let v = self.expr(e);
        self.cast(v, &self.ty(e), &Type::Float64).into_float_value()
    }

    pub(super) fn intrinsic(&mut self, f: Intrinsic, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        match f {
            Intrinsic::Abs if self.ty(&args[0]).is_complex() => {
                let v = self.expr(&args[0]);
                let r = self.complex_abs(v, true).into();
                if self.spec.expr_types[args[0].id as usize] == Type::Complex64 {
                    self.round_f32(r)
                } else {
                    r
                }
            }
            Intrinsic::Complex => self.complex_of(args),
            Intrinsic::Abs => {
                let v = self.expr(&args[0]);
                let at = self.ty(&args[0]);
                if *ty == Type::Float64 {
                    let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                    self.call_basic(fabs, &[v.into()])
                } else if *ty == Type::UInt64 {
                    v
                } else {
                    let iv = self.cast(v, &at, &Type::Int64).into_int_value();
                    let b = self.b();
                    let neg = b.build_int_compare(IntPredicate::SLT, iv, self.i64(0), "neg").u();
                    let n = b.build_int_sub(self.i64(0), iv, "n").u();
                    b.build_select(neg, n, iv, "abs").u()
                }
            }
            Intrinsic::Min | Intrinsic::Max if args.len() == 1 && matches!(self.ty(&args[0]), Type::Tuple(_)) => {
                // `min(t)` of a tuple: as `min(*t)`, the first of equal items kept.
                let Type::Tuple(items) = self.ty(&args[0]) else { unreachable!("just matched") };
                let t = self.expr(&args[0]).into_struct_value();
                let item = |g: &Self, k: usize| {
                    let v = g.b().build_extract_value(t, k as u32, "item").u();
                    g.cast(v, &items[k], ty)
                };
                let mut acc = item(self, 0);
                let op = if f == Intrinsic::Max { CmpOp::Gt } else { CmpOp::Lt };
                for k in 1..items.len() {
                    let v = item(self, k);
                    let wins = self.compare(op, v, ty, acc, ty);
                    acc = self.b().build_select(wins, v, acc, "minmax").u();
                }
                acc
            }
            Intrinsic::Min | Intrinsic::Max if args.len() == 1 => self.list_extreme(f == Intrinsic::Max, &args[0]),
            Intrinsic::Min | Intrinsic::Max => {
                let mut acc = self.expr(&args[0]);
                acc = self.cast(acc, &self.ty(&args[0]), ty);
                for a in &args[1..] {
                    let v = self.expr(a);
                    let v = self.cast(v, &self.ty(a), ty);
                    // CPython keeps the first of equal (or unordered) items: replace only on a strict win.
                    let op = if f == Intrinsic::Max { CmpOp::Gt } else { CmpOp::Lt };
                    let wins = self.compare(op, v, ty, acc, ty);
                    acc = self.b().build_select(wins, v, acc, "minmax").u();
                }
                acc
            }
            Intrinsic::Int => match args.first() {
                None => self.i64(0).into(),
                Some(a) => {
                    let v = self.expr(a);
                    match self.ty(a) {
                        Type::Float64 => self.float_to_int(v.into_float_value()).into(),
                        t => self.cast(v, &t, ty),
                    }
                }
            },
            Intrinsic::Float => match args.first() {
                None => self.f64(0.0).into(),
                Some(a) => self.float_arg(a).into(),
            },
            Intrinsic::Bool => match args.first() {
                None => self.ctx().bool_type().const_zero().into(),
                Some(a) => self.truth_of(a).into(),
            },
            Intrinsic::Round => self.round(args, ty),
            Intrinsic::Len if matches!(self.ty(&args[0]), Type::Array(_)) => self.array_len(&args[0]),
            Intrinsic::Len if matches!(self.ty(&args[0]), Type::List(_)) => {
                let h = self.expr(&args[0]).into_pointer_value();
                self.list_len(h).into()
            }
            Intrinsic::Len if matches!(self.ty(&args[0]), Type::Dict(..) | Type::Set(_)) => {
                let h = self.expr(&args[0]).into_pointer_value();
                self.dict_len(h).into()
            }
            Intrinsic::Len if self.ty(&args[0]) == Type::Range => {
                let r = self.expr(&args[0]).into_struct_value();
                self.range_object_len(r).into()
            }
            Intrinsic::Range => self.range_new(args),
            Intrinsic::Len if matches!(self.ty(&args[0]), Type::Iter(_)) => self.iter_len(&args[0]),
            Intrinsic::Next => self.iter_next(args, ty),
            Intrinsic::Iter => unreachable!("made by FnGen::iter_new (it owns its block)"),
            Intrinsic::RangeField(k) => self.range_field(k, &args[0]),
            Intrinsic::Len if self.ty(&args[0]) == Type::Str => {
                let h = self.expr(&args[0]).into_pointer_value();
                self.str_len(h).into()
            }
            Intrinsic::Str
            | Intrinsic::Repr
            | Intrinsic::Ord
            | Intrinsic::Chr
            | Intrinsic::StrMethod(_)
            | Intrinsic::RaiseMessage(_)
            | Intrinsic::CaughtText => {
                unreachable!("string intrinsics are generated by codegen::string")
            }
            Intrinsic::IsNone { .. } => unreachable!("generated by codegen::optional"),
            Intrinsic::Is { .. } => unreachable!("generated by codegen::expr"),
            Intrinsic::Ndim => {
                self.expr(&args[0]);
                let ndim = match self.ty(&args[0]) {
                    Type::Array(a) => a.ndim as i64,
                    t => t.list_ndim().unwrap_or(0),
                };
                self.i64(ndim).into()
            }
            Intrinsic::Len => {
                self.expr(&args[0]);
                let Type::Tuple(items) = self.ty(&args[0]) else { unreachable!("inference allows tuples only") };
                self.i64(items.len() as i64).into()
            }
            Intrinsic::Math(m) => self.math(m, args, ty),
            Intrinsic::DtypeCast(d) => {
                let v = self.expr(&args[0]);
                self.dtype_cast(v, &self.ty(&args[0]), d)
            }
            Intrinsic::Cmath(f) => self.cmath(f, args),
            Intrinsic::Random(f) => self.random_draw(f, args),
            Intrinsic::PyRandom(f) => self.pyrandom(f, args),
            Intrinsic::Np(hir::NpFn::Abs) => self.intrinsic(Intrinsic::Abs, args, ty),
            Intrinsic::Linalg(_) => unreachable!("made by FnGen::linalg (it owns its results)"),
            Intrinsic::DefaultRng => self.default_rng(args),
            Intrinsic::PointerView { layout, .. } => self.pointer_view(layout, args, ty),
            Intrinsic::Threads(t) => self.thread_fn(t, args),
            Intrinsic::Generator(_) => unreachable!("made by FnGen::generator_call (it owns its results)"),
            Intrinsic::Ufunc(_) => unreachable!("made by FnGen::ufunc_scalar"),
            Intrinsic::FrozenArray(k) => self.frozen_array(k, ty),
            // `a.flat`: its `a.reshape(-1)` (a view, or a copy the type makes read-only).
            Intrinsic::Flat => self.expr(&args[0]),
            // A scalar type has no value at run time (as `H::Dtype`); its argument is evaluated.
            Intrinsic::CCall(k) => self.c_call(k, args),
            Intrinsic::TypeOf => {
                self.expr(&args[0]);
                self.ctx().i8_type().const_zero().into()
            }
            Intrinsic::EllipsisValue => match ty {
                &Type::Array(out) if out.ndim > 0 => self.transpose(&args[0], None, out),
                _ => self.expr(&args[0]),
            },
            Intrinsic::AsArray => match self.ty(&args[0]) {
                Type::Array(_) => self.expr(&args[0]),
                t if t.is_number() => {
                    // A new 0-d array holding the number.
                    let &Type::Array(a) = ty else { unreachable!("np.asarray gives an array") };
                    let x = self.expr(&args[0]);
                    let (value, data, count) = self.alloc_c(&a, &[], false);
                    self.fill_linear(data, &a, count, x, &t);
                    value
                }
                _ => {
                    // A list: copied as `np.array(l)` copies it.
                    let &Type::Array(a) = ty else { unreachable!("np.asarray gives an array") };
                    let copy = hir::NewArray::Copy { array: Box::new(args[0].clone()), dtype: None };
                    self.array_new(&copy, a)
                }
            },
            // A new namedtuple: its items, as a tuple's (`*t` gives `t`'s).
            Intrinsic::NamedTuple(_) => {
                let vals = self.call_args(args);
                let mut agg = self.module_gen.llty(ty).into_struct_type().get_undef();
                for (i, v) in vals.into_iter().enumerate() {
                    let v: BasicValueEnum<'ctx> = v.try_into().expect("an item is a value");
                    agg = self.b().build_insert_value(agg, v, i as u32, "named").u().into_struct_value();
                }
                agg.into()
            }
            Intrinsic::UfuncReduce { .. } => unreachable!("made by FnGen::ufunc_reduce"),
            Intrinsic::Np(f) => {
                // NumPy's semantics: IEEE results (NaN, infinities), never an exception.
                let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
                self.np_value(f, &vals, ty)
            }
        }
    }

    pub(super) fn round(&mut self, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let v = self.expr(&args[0]);
        let at = self.ty(&args[0]);
        if args.len() == 1 {
            return match at {
                Type::Float64 => {
                    let re = self.intrinsic_fn("llvm.roundeven.f64", 1);
                    let r = self.call_basic(re, &[v.into()]).into_float_value();
                    self.float_to_int(r).into()
                }
                t => self.cast(v, &t, ty),
            };
        }
        let nd = self.int_operand(&args[1]);
        if *ty == Type::Float64 {
            let status = self.entry_alloca(self.ctx().i32_type(), "rst");
            self.b().build_store(status, self.ctx().i32_type().const_zero()).u();
            let h = self.helper(Helper::RoundF64);
            let r = self.call_basic(h, &[v.into(), nd.into(), status.into()]);
            let st = self.b().build_load(self.ctx().i32_type(), status, "st").u().into_int_value();
            let bad = self.b().build_int_compare(IntPredicate::NE, st, self.ctx().i32_type().const_zero(), "bad").u();
            self.fail_if(bad, Status::RoundedTooLarge as u32);
            return r;
        }
        let x = self.cast(v, &at, &Type::Int64);
        let h = self.helper(Helper::RoundI64);
        self.call_basic(h, &[x.into(), nd.into()])
    }

    /// A `math` function with CPython's error rules: a NaN from non-NaN input is a ValueError;
    /// an infinity from finite input is an OverflowError where the function can overflow, else
    /// a ValueError.
    pub(super) fn math(&mut self, m: MathFn, args: &[hir::Expr], ty: &Type) -> BasicValueEnum<'ctx> {
        let mut raw = Vec::new();
        for a in args {
            raw.push((self.expr(a), self.ty(a)));
        }
        if let Some(v) = self.math_more(m, &raw) {
            return v;
        }
        let xs: Vec<FloatValue<'ctx>> = raw.iter().map(|(v, t)| self.cast(*v, t, &Type::Float64).into_float_value()).collect();
        let x = xs.first().copied().unwrap_or(self.f64(0.0));
        let one = |s: &mut Self, name: &'static str| -> BasicValueEnum<'ctx> {
            let f = s.libm(name, 1);
            s.call_basic(f, &[x.into()])
        };
        if matches!(m, MathFn::Floor | MathFn::Ceil | MathFn::Trunc) && raw[0].1 != Type::Float64 {
            // Of an integer, the integer itself (a uint64 stays one, as inference typed it).
            return self.cast(raw[0].0, &raw[0].1, ty);
        }
        match m {
            MathFn::Floor | MathFn::Ceil | MathFn::Trunc => {
                let name = match m {
                    MathFn::Floor => "llvm.floor.f64",
                    MathFn::Ceil => "llvm.ceil.f64",
                    _ => "llvm.trunc.f64",
                };
                let f = self.intrinsic_fn(name, 1);
                let r = self.call_basic(f, &[x.into()]).into_float_value();
                self.float_to_int(r).into()
            }
            MathFn::Fabs => {
                let f = self.intrinsic_fn("llvm.fabs.f64", 1);
                self.call_basic(f, &[x.into()])
            }
            MathFn::Sqrt => {
                self.check_math1(m, x);
                let f = self.intrinsic_fn("llvm.sqrt.f64", 1);
                self.call_basic(f, &[x.into()])
            }
            MathFn::Isnan => self.is_nan(x).into(),
            MathFn::Isinf => self.is_inf(x).into(),
            MathFn::Isfinite => self.is_finite(x).into(),
            MathFn::Copysign => {
                let f = self.intrinsic_fn("llvm.copysign.f64", 2);
                self.call_basic(f, &[xs[0].into(), xs[1].into()])
            }
            MathFn::Atan2 => {
                let f = self.libm("atan2", 2);
                self.call_basic(f, &[xs[0].into(), xs[1].into()])
            }
            MathFn::Fmod => {
                let f = self.libm("fmod", 2);
                let r = self.call_basic(f, &[xs[0].into(), xs[1].into()]).into_float_value();
                self.check_nan_from_numbers(r, xs[0], xs[1]);
                r.into()
            }
            MathFn::Pow => {
                let (a, c) = (xs[0], xs[1]);
                let r = self.pow_value(a, c);
                let afin = self.is_finite(a);
                let cfin = self.is_finite(c);
                let rn = self.is_nan(r);
                let ri = self.is_inf(r);
                let b = self.b();
                let fin = b.build_and(afin, cfin, "fin").u();
                let az = b.build_float_compare(FloatPredicate::OEQ, a, self.f64(0.0), "az").u();
                let dom1 = b.build_and(fin, rn, "dom1").u();
                let inf_fin = b.build_and(fin, ri, "inffin").u();
                let dom2 = b.build_and(inf_fin, az, "dom2").u();
                let dom = b.build_or(dom1, dom2, "dom").u();
                self.fail_later_if(dom, Status::MathDomain as u32);
                self.fail_later_if(inf_fin, Status::MathRange as u32);
                r.into()
            }
            MathFn::Hypot => {
                if xs.is_empty() {
                    return self.f64(0.0).into();
                }
                let f = self.libm("hypot", 2);
                let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                let mut acc = self.call_basic(fabs, &[xs[0].into()]);
                for y in &xs[1..] {
                    acc = self.call_basic(f, &[acc.into(), (*y).into()]);
                }
                acc
            }
            MathFn::Log if xs.len() == 2 => {
                // log(x, base) = log(x) / log(base), each checked like math.log(x).
                let lg = self.libm("log", 1);
                self.check_math1(MathFn::Log, xs[0]);
                let num = self.call_basic(lg, &[xs[0].into()]).into_float_value();
                self.check_math1(MathFn::Log, xs[1]);
                let den = self.call_basic(lg, &[xs[1].into()]).into_float_value();
                let z = self.b().build_float_compare(FloatPredicate::OEQ, den, self.f64(0.0), "z").u();
                self.fail_later_if(z, Status::LogBaseOne as u32);
                self.b().build_float_div(num, den, "logb").u().into()
            }
            MathFn::Sin | MathFn::Cos | MathFn::Tan => {
                // Their NaN from a non-NaN argument comes only from ±inf: checking the argument
                // before the call leaves nothing between the calls on one value, which LLVM then
                // makes one `sincos` (glibc's gives sin's and cos's bits exactly).
                let inf = self.is_inf(x);
                self.fail_later_if(inf, Status::MathDomain as u32);
                one(self, m.name())
            }
            _ => {
                self.check_math1(m, x);
                one(self, m.name())
            }
        }
    }

    /// CPython's `math_2` domain check of `r = f(x, y)`: a NaN from non-NaN arguments is a
    /// ValueError (`fmod(x, 0)`, `remainder(inf, y)`).
    pub(super) fn check_nan_from_numbers(&self, r: FloatValue<'ctx>, x: FloatValue<'ctx>, y: FloatValue<'ctx>) {
        let (rn, xn, yn) = (self.is_nan(r), self.is_nan(x), self.is_nan(y));
        let b = self.b();
        let any = b.build_or(xn, yn, "anyn").u();
        let none = b.build_not(any, "notn").u();
        let bad = b.build_and(rn, none, "bad").u();
        self.fail_later_if(bad, Status::MathDomain as u32);
    }

    /// CPython's `math_1` checks of `r = m(x)` (a NaN from a non-NaN argument is a
    /// ValueError; an infinity from a finite argument an OverflowError for exp, expm1, cosh and
    /// sinh, a ValueError for the log family's pole), each asked of the argument, before the
    /// call, for what gives it: `sqrt` of x < 0, the logs of x <= 0 (log1p of x <= -1), `asin`
    /// and `acos` of |x| > 1, and the overflowing ones of a finite x beyond the largest argument
    /// whose value the C library gives finite ([`overflow_threshold`]). The same conditions as
    /// the result's, and the check no longer waits for the call: measured, a check of the result
    /// after `exp` in kde's inner loop cost a fifth of its time (docs/performance-design.md).
    pub(super) fn check_math1(&mut self, m: MathFn, x: FloatValue<'ctx>) {
        use MathFn as M;
        let lt = |fg: &Self, c: f64| fg.b().build_float_compare(FloatPredicate::OLT, x, fg.f64(c), "dom").u();
        let le = |fg: &Self, c: f64| fg.b().build_float_compare(FloatPredicate::OLE, x, fg.f64(c), "dom").u();
        match m {
            M::Sqrt => self.fail_later_if(lt(self, 0.0), Status::MathDomain as u32),
            M::Log | M::Log2 | M::Log10 => self.fail_later_if(le(self, 0.0), Status::MathDomain as u32),
            M::Log1p => self.fail_later_if(le(self, -1.0), Status::MathDomain as u32),
            M::Asin | M::Acos => {
                let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                let a = self.call_basic(fabs, &[x.into()]).into_float_value();
                let dom = self.b().build_float_compare(FloatPredicate::OGT, a, self.f64(1.0), "dom").u();
                self.fail_later_if(dom, Status::MathDomain as u32);
            }
            M::Acosh => self.fail_later_if(lt(self, 1.0), Status::MathDomain as u32),
            M::Atanh => {
                // NaN beyond ±1, ±inf at ±1.
                let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                let a = self.call_basic(fabs, &[x.into()]).into_float_value();
                let dom = self.b().build_float_compare(FloatPredicate::OGE, a, self.f64(1.0), "dom").u();
                self.fail_later_if(dom, Status::MathDomain as u32);
            }
            M::Exp | M::Expm1 | M::Exp2 | M::Sinh | M::Cosh => {
                let a = if matches!(m, M::Exp | M::Expm1 | M::Exp2) {
                    x
                } else {
                    let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                    self.call_basic(fabs, &[x.into()]).into_float_value()
                };
                let b = self.b();
                let beyond = b.build_float_compare(FloatPredicate::OGT, a, self.f64(overflow_threshold(m)), "big").u();
                let finite = b.build_float_compare(FloatPredicate::OLT, a, self.f64(f64::INFINITY), "finite").u();
                let ovf = b.build_and(beyond, finite, "ovf").u();
                self.fail_later_if(ovf, Status::MathRange as u32);
            }
            _ => {}
        }
    }
}

/// The largest double whose `m` (exp, expm1, exp2, sinh or cosh) the C library of this process gives
/// finite: above it, and below infinity, the value overflows (each is increasing on the
/// positive side, sinh odd and cosh even). Found once per process by bisection on the bit
/// patterns between 700 (finite) and 720 (infinite) (exp2: 1000 and 1100), with the functions compiled code calls (as
/// a power of constants is folded with the process's `pow`).
pub(crate) fn overflow_threshold(m: MathFn) -> f64 {
    use std::sync::OnceLock;
    static T: OnceLock<[f64; 5]> = OnceLock::new();
    let t = T.get_or_init(|| {
        extern "C" {
            fn exp(x: f64) -> f64;
            fn expm1(x: f64) -> f64;
            fn sinh(x: f64) -> f64;
            fn cosh(x: f64) -> f64;
            fn exp2(x: f64) -> f64;
        }
        // SAFETY: pure functions of a double.
        let find = |f: unsafe extern "C" fn(f64) -> f64| last_finite(|x| unsafe { f(x) }, 700.0, 720.0);
        // SAFETY: as above.
        let exp2_last = last_finite(|x| unsafe { exp2(x) }, 1000.0, 1100.0);
        [find(exp), find(expm1), find(sinh), find(cosh), exp2_last]
    });
    match m {
        MathFn::Exp => t[0],
        MathFn::Expm1 => t[1],
        MathFn::Sinh => t[2],
        MathFn::Cosh => t[3],
        MathFn::Exp2 => t[4],
        _ => unreachable!("a function that overflows"),
    }
}

/// The largest double in `[lo, hi)` whose `f` is finite, for `f` finite at `lo`, infinite at `hi`
/// and increasing between (bisection on the bit patterns of positive doubles, which order them).
pub(super) fn last_finite(f: impl Fn(f64) -> f64, lo: f64, hi: f64) -> f64 {
    let (mut lo, mut hi) = (lo.to_bits(), hi.to_bits());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if f(std::hint::black_box(f64::from_bits(mid))).is_finite() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    f64::from_bits(lo)
}

/// The value of `v` when it is a floating-point constant (not an undef, poison or expression).
pub(super) fn const_f64(v: FloatValue<'_>) -> Option<f64> {
    use inkwell::values::AsValueRef;
    // SAFETY: LLVMIsAConstantFP only inspects the value's kind.
    let is_fp = unsafe { !llvm_sys::core::LLVMIsAConstantFP(v.as_value_ref()).is_null() };
    v.get_constant().filter(|&(_, lossy)| is_fp && !lossy).map(|(c, _)| c)
}

/// The C library's `pow`, called at run time (never folded by the Rust compiler).
fn libm_pow(x: f64, y: f64) -> f64 {
    extern "C" {
        fn pow(x: f64, y: f64) -> f64;
    }
    // SAFETY: pow is a pure function of two doubles.
    unsafe { pow(std::hint::black_box(x), std::hint::black_box(y)) }
}

impl<'ctx> FnGen<'_, 'ctx> {
    /// A call of the C function `c_functions[k]` through its address: each argument converted
    /// to its parameter's dtype (as a store into an array of it converts), passed in the C
    /// ABI's type, and the result widened back to the type compiled code carries.
    fn c_call(&mut self, k: u32, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let c = self.hir_fn.c_functions[k as usize].clone();
        let mut vals: Vec<inkwell::values::BasicMetadataValueEnum<'ctx>> = Vec::with_capacity(args.len());
        for (a, &d) in args.iter().zip(&c.args) {
            let v = self.expr(a);
            let v = self.dtype_cast(v, &self.ty(a), d);
            vals.push(self.to_c_value(v, d).into());
        }
        let params: Vec<inkwell::types::BasicMetadataTypeEnum<'ctx>> =
            c.args.iter().map(|&d| self.module_gen.dtype_llty(d).into()).collect();
        let fn_type = match self.module_gen.dtype_llty(c.ret) {
            BasicTypeEnum::FloatType(t) => t.fn_type(&params, false),
            BasicTypeEnum::IntType(t) => t.fn_type(&params, false),
            _ => unreachable!("a C function's result is a real number (checked where it is made)"),
        };
        let ptr_type = self.ctx().ptr_type(inkwell::AddressSpace::default());
        let address = self.ctx().i64_type().const_int(c.address, false);
        let b = self.b();
        let callee = b.build_int_to_ptr(address, ptr_type, "cfunc").u();
        let r = b.build_indirect_call(fn_type, callee, &vals, &c.name).u();
        let inkwell::values::ValueKind::Basic(r) = r.try_as_basic_value() else { unreachable!("a C function of a number") };
        self.c_value_carried(r, c.ret)
    }

    /// A carried value of dtype `d` (float64 for float32, int64 for the narrower ints) in `d`'s
    /// own machine type.
    fn to_c_value(&self, v: BasicValueEnum<'ctx>, d: Dtype) -> BasicValueEnum<'ctx> {
        let b = self.b();
        match self.module_gen.dtype_llty(d) {
            BasicTypeEnum::FloatType(t) if t != self.ctx().f64_type() => {
                b.build_float_trunc(v.into_float_value(), t, "c.arg").u().into()
            }
            BasicTypeEnum::IntType(t) if t.get_bit_width() < 64 => {
                b.build_int_truncate(v.into_int_value(), t, "c.arg").u().into()
            }
            _ => v,
        }
    }

    /// A C function's result of dtype `d` as compiled code carries it.
    fn c_value_carried(&self, v: BasicValueEnum<'ctx>, d: Dtype) -> BasicValueEnum<'ctx> {
        let b = self.b();
        match v {
            BasicValueEnum::FloatValue(f) if f.get_type() != self.ctx().f64_type() => {
                b.build_float_ext(f, self.ctx().f64_type(), "c.ret").u().into()
            }
            BasicValueEnum::IntValue(i) if i.get_type().get_bit_width() < 64 => {
                let i64t = self.ctx().i64_type();
                if d.is_signed() {
                    b.build_int_s_extend(i, i64t, "c.ret").u().into()
                } else {
                    b.build_int_z_extend(i, i64t, "c.ret").u().into()
                }
            }
            v => v,
        }
    }
}
