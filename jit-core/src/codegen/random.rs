//! Codegen of `np.random` calls: one draw is a call of the runtime's `sj_rt_random_f64` /
//! `sj_rt_random_i64` (the thread's generator, `crate::random`), an array of draws a new
//! C-contiguous array filled by `sj_rt_random_fill_*`; a bad parameter returns the status the
//! runtime gives (NumPy's exception).

use inkwell::values::{BasicValueEnum, IntValue};
use inkwell::IntPredicate;

use super::{Built, FnGen, Helper};
use crate::hir;
use crate::registry::random::{RandomFn, RandomResult};
use crate::types::{ArrayType, Type};

/// The helper's arguments for the parameters of `f`: three doubles for a float distribution,
/// (int, int, double) for an integer one.
enum Params<'ctx> {
    Float([BasicValueEnum<'ctx>; 3]),
    Int([BasicValueEnum<'ctx>; 3]),
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The parameters of `f`, evaluated left to right and converted as the helper takes them.
    fn random_params(&mut self, f: RandomFn, args: &[hir::Expr]) -> Params<'ctx> {
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args.iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let float = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Float64),
            None => s.f64(0.0).into(),
        };
        let int = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Int64),
            None => s.i64(0).into(),
        };
        match f {
            RandomFn::Randint => Params::Int([int(self, 0), int(self, 1), self.f64(0.0).into()]),
            RandomFn::Binomial => Params::Int([int(self, 0), self.i64(0).into(), float(self, 1)]),
            RandomFn::Poisson | RandomFn::Geometric => Params::Int([self.i64(0).into(), self.i64(0).into(), float(self, 0)]),
            _ => Params::Float([float(self, 0), float(self, 1), float(self, 2)]),
        }
    }

    /// Returns `status` from the function when it is not 0, after `cleanup`.
    fn random_check(&self, status: IntValue<'ctx>, cleanup: impl FnOnce(&Self)) {
        let zero = status.get_type().const_zero();
        let bad = self.b().build_int_compare(IntPredicate::NE, status, zero, "rnd.bad").u();
        self.on_failure(bad, |fn_gen| {
            cleanup(fn_gen);
            fn_gen.ret_status(status)
        });
    }

    /// One draw of `f` (`np.random.seed(s)`: the seeding, giving None).
    pub(super) fn random_draw(&mut self, f: RandomFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let i32t = self.ctx().i32_type();
        if f == RandomFn::Seed {
            let (seed, from_os) = match args.first() {
                Some(a) => {
                    let v = self.expr(a);
                    (self.cast(v, &self.ty(a), &Type::Int64), false)
                }
                None => (self.i64(0).into(), true),
            };
            let os = self.ctx().bool_type().const_int(from_os as u64, false);
            let st = self.call_basic(self.helper(Helper::RandomSeed), &[seed.into(), os.into()]).into_int_value();
            self.random_check(st, |_| {});
            return self.ctx().i8_type().const_zero().into();
        }
        let params = self.random_params(f, args);
        let kind = i32t.const_int(f.code() as u64, false);
        // Draws whose parameters cannot be wrong need no status.
        let checked = !matches!(
            f,
            RandomFn::Random
                | RandomFn::RandomSample
                | RandomFn::Rand
                | RandomFn::Randn
                | RandomFn::StandardNormal
                | RandomFn::StandardExponential
        );
        let status = self.entry_alloca(i32t, "rnd.st");
        self.b().build_store(status, i32t.const_zero()).u();
        let (h, [a, b, c]) = match params {
            Params::Float(p) => (Helper::RandomF64, p),
            Params::Int(p) => (Helper::RandomI64, p),
        };
        let v = self.call_basic(self.helper(h), &[kind.into(), a.into(), b.into(), c.into(), status.into()]);
        if checked {
            let st = self.b().build_load(i32t, status, "rnd.status").u().into_int_value();
            self.random_check(st, |_| {});
        }
        v
    }

    /// A new C-contiguous array of type `a` and shape `shape` filled with draws of `f`.
    pub(super) fn random_new(
        &mut self,
        f: RandomFn,
        args: &[hir::Expr],
        shape: &hir::Expr,
        a: ArrayType,
    ) -> BasicValueEnum<'ctx> {
        let params = self.random_params(f, args);
        let dims = self.shape_values(shape, a.ndim as usize);
        let (value, data, count) = self.alloc_c(&a, &dims, false);
        let kind = self.ctx().i32_type().const_int(f.code() as u64, false);
        let (h, [x, y, z]) = match params {
            Params::Float(p) => (Helper::RandomFillF64, p),
            Params::Int(p) => (Helper::RandomFillI64, p),
        };
        debug_assert_eq!(matches!(h, Helper::RandomFillI64), f.row().result == RandomResult::Int);
        let st = self.call_basic(self.helper(h), &[kind.into(), data.into(), count.into(), x.into(), y.into(), z.into()]);
        let array_t = Type::Array(a);
        self.random_check(st.into_int_value(), |fn_gen| fn_gen.decref(value, &array_t));
        value
    }
}
