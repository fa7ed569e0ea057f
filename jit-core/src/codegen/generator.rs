//! Codegen of NumPy's Generator API: `np.random.default_rng(seed)` is a call of the runtime's
//! `sj_rt_gen_new` (a Generator of its own, in a block freed when the call ends), and each
//! method a call of an `sj_rt_gen_*` helper with the Generator's `bitgen_t` (one draw, or a new
//! C-contiguous array filled by the runtime); a bad parameter returns the status the runtime
//! gives (NumPy's exception). `choice`, `shuffle` and `permutation` share the `np.random` code
//! (`codegen::random`) with the Generator's helpers.

use inkwell::values::{BasicMetadataValueEnum, BasicValueEnum};

use super::{Built, FnGen, Helper};
use crate::hir;
use crate::random::generator::SeedMode;
use crate::random::ShuffleMode;
use crate::registry::generator::GenFn;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// `np.random.default_rng(seed)`: an int seed, or none (None) for the OS's entropy.
    pub(super) fn default_rng(&mut self, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let i32t = self.ctx().i32_type();
        let (seed, mode) = match args.first() {
            Some(a) => {
                let (v, t) = (self.expr(a), self.ty(a));
                match t {
                    Type::None => (self.i64(0), SeedMode::Os),
                    Type::UInt64 => (v.into_int_value(), SeedMode::UInt),
                    t => (self.cast(v, &t, &Type::Int64).into_int_value(), SeedMode::Int),
                }
            }
            None => (self.i64(0), SeedMode::Os),
        };
        let status = self.entry_alloca(i32t, "gen.st");
        self.b().build_store(status, i32t.const_zero()).u();
        let mode = i32t.const_int(mode as u64, false);
        let g = self.call_basic(self.helper(Helper::GenNew), &[seed.into(), mode.into(), status.into()]);
        let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
        self.random_check(st);
        g
    }

    /// A call `e` of the Generator method `f` (`args` as `lower::generator` lays them out).
    pub(super) fn generator_call(&mut self, e: &hir::Expr, f: GenFn, args: &[hir::Expr]) -> BasicValueEnum<'ctx> {
        let ty = self.ty(e);
        let gen = self.expr(&args[0]).into_pointer_value();
        let none = self.ctx().i8_type().const_zero().into();
        match f {
            GenFn::Choice => {
                let shuffle = self.truth_of(&args[5]);
                let shape = match &ty {
                    Type::Array(a) => Some((&args[4], *a)),
                    _ => {
                        // size=None: evaluated (a local holding None), one element.
                        self.expr(&args[4]);
                        None
                    }
                };
                // `random_choice` evaluates `a`, `replace`, `p`, then the size; `shuffle`
                // is a constant or a local in every use.
                let v = self.random_choice(&args[1..4], shape, Some((gen, shuffle)));
                if matches!(ty, Type::Array(_)) {
                    self.own_temp(e.id, v, &ty);
                }
                return v;
            }
            GenFn::Shuffle => {
                let x = self.expr(&args[1]);
                let Type::Array(t) = self.ty(&args[1]) else { unreachable!("inference allows arrays only") };
                self.random_shuffle(x, t, ShuffleMode::Shuffle, Some(gen));
                return none;
            }
            GenFn::Permutation => return self.random_permutation(e, &args[1..], Some(gen)),
            _ => {}
        }
        let i32t = self.ctx().i32_type();
        let n_params = f.row().params.len();
        let vals: Vec<(BasicValueEnum<'ctx>, Type)> = args[1..1 + n_params].iter().map(|a| (self.expr(a), self.ty(a))).collect();
        let size = &args[1 + n_params];
        let status = self.entry_alloca(i32t, "gen.st");
        self.b().build_store(status, i32t.const_zero()).u();
        if f == GenFn::Integers {
            let low = self.cast(vals[0].0, &vals[0].1, &Type::Int64);
            let high = self.cast(vals[1].0, &vals[1].1, &Type::Int64);
            let endpoint = self.truth_of(&args[1 + n_params + 1]);
            return match ty {
                Type::Array(a) => {
                    let dims = self.shape_values(size, a.ndim as usize);
                    let (value, data, count) = self.alloc_c(&a, &dims, false);
                    let call: Vec<BasicMetadataValueEnum<'ctx>> =
                        vec![gen.into(), data.into(), count.into(), low.into(), high.into(), endpoint.into()];
                    let st = self.call_basic(self.helper(Helper::GenFillI64), &call).into_int_value();
                    self.random_check(st);
                    self.own_temp(e.id, value, &ty);
                    value
                }
                _ => {
                    self.expr(size);
                    let call = [gen.into(), low.into(), high.into(), endpoint.into(), status.into()];
                    let v = self.call_basic(self.helper(Helper::GenIntegers), &call);
                    let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
                    self.random_check(st);
                    v
                }
            };
        }
        let float = |s: &Self, k: usize| match vals.get(k) {
            Some((v, t)) => s.cast(*v, t, &Type::Float64),
            None => s.f64(0.0).into(),
        };
        let (a, b) = (float(self, 0), float(self, 1));
        let kind = i32t.const_int(f.code() as u64, false);
        match ty {
            Type::Array(at) => {
                let dims = self.shape_values(size, at.ndim as usize);
                let (value, data, count) = self.alloc_c(&at, &dims, false);
                let call = [gen.into(), kind.into(), data.into(), count.into(), a.into(), b.into()];
                let st = self.call_basic(self.helper(Helper::GenFillF64), &call).into_int_value();
                self.random_check(st);
                self.own_temp(e.id, value, &ty);
                value
            }
            _ => {
                self.expr(size);
                if f == GenFn::StandardNormal {
                    return self.call_basic(self.helper(Helper::GenNormal), &[gen.into()]);
                }
                let call = [gen.into(), kind.into(), a.into(), b.into(), status.into()];
                let v = self.call_basic(self.helper(Helper::GenF64), &call);
                // Draws whose parameters cannot be wrong need no status.
                if matches!(f, GenFn::Normal | GenFn::Uniform | GenFn::Exponential) {
                    let st = self.b().build_load(i32t, status, "gen.status").u().into_int_value();
                    self.random_check(st);
                }
                v
            }
        }
    }
}
