//! Codegen stage (Numba's "lowering"): [`TypedProgram`] → an LLVM module (inkwell), unoptimized.
//!
//! Each specialization becomes an internal function returning `{value, i32 status}`; a status
//! other than 0 propagates up to the exported entry `i32 SYMBOL(ptr args, ptr ret)`, which reads
//! its arguments from and writes its result to 8-byte slots. Python's semantics for floor
//! division, modulo, powers, comparisons between int and float, and math-library errors are
//! spelled out here, one helper per operation.

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::basic_block::BasicBlock;
use inkwell::builder::Builder;
use inkwell::context::Context;
use inkwell::module::{Linkage, Module};
use inkwell::types::{BasicMetadataTypeEnum, BasicTypeEnum, StructType};
use inkwell::values::{BasicValue, BasicValueEnum, FloatValue, FunctionValue, IntValue, PointerValue};
use inkwell::{AddressSpace, FloatPredicate, IntPredicate};

use crate::ast::{BinOp, BoolOpKind, CmpOp, UnaryOp};
use crate::error::Result;
use crate::hir::{self, ExprKind as H, Intrinsic, MathFn, StmtKind as S};
use crate::infer::{TypedFunction, TypedProgram};
use crate::runtime::{Status, UNBOUND_LOCAL_BASE};
use crate::types::Type;

/// Builds the module for `prog`, exporting its entry point as `symbol`.
pub fn codegen<'ctx>(ctx: &'ctx Context, prog: &TypedProgram, symbol: &str) -> Result<Module<'ctx>> {
    let module = ctx.create_module(symbol);
    let builder = ctx.create_builder();
    let cg = Cg { ctx, module: &module, builder: &builder, prog };
    let funcs: Vec<FunctionValue> = prog
        .specs
        .iter()
        .enumerate()
        .map(|(i, s)| cg.declare_inner(i, s))
        .collect();
    for (i, spec) in prog.specs.iter().enumerate() {
        cg.define_inner(funcs[i], spec, &funcs)?;
    }
    cg.define_entry(symbol, funcs[0], prog.entry());
    Ok(module)
}

/// Every builder call only fails on a misuse of the builder: a bug here, never the user's input.
trait Built<T> {
    fn u(self) -> T;
}
impl<T, E: std::fmt::Debug> Built<T> for std::result::Result<T, E> {
    fn u(self) -> T {
        self.expect("LLVM builder misuse in codegen")
    }
}

struct Cg<'a, 'ctx> {
    ctx: &'ctx Context,
    module: &'a Module<'ctx>,
    builder: &'a Builder<'ctx>,
    prog: &'a TypedProgram,
}

impl<'a, 'ctx> Cg<'a, 'ctx> {
    fn llty(&self, t: &Type) -> BasicTypeEnum<'ctx> {
        match t {
            Type::Int => self.ctx.i64_type().into(),
            Type::Float => self.ctx.f64_type().into(),
            Type::Bool => self.ctx.bool_type().into(),
            Type::None | Type::Unknown => self.ctx.i8_type().into(),
            Type::Tuple(ts) => {
                let fields: Vec<BasicTypeEnum> = ts.iter().map(|t| self.llty(t)).collect();
                self.ctx.struct_type(&fields, false).into()
            }
        }
    }

    fn ret_struct(&self, t: &Type) -> StructType<'ctx> {
        self.ctx.struct_type(&[self.llty(t), self.ctx.i32_type().into()], false)
    }

    fn nounwind(&self, f: FunctionValue<'ctx>) {
        let kind = Attribute::get_named_enum_kind_id("nounwind");
        f.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(kind, 0));
    }

    fn declare_inner(&self, i: usize, spec: &TypedFunction) -> FunctionValue<'ctx> {
        let params: Vec<BasicMetadataTypeEnum> = spec.arg_types.iter().map(|t| self.llty(t).into()).collect();
        let fty = self.ret_struct(&spec.ret).fn_type(&params, false);
        let name = format!("{}.{}", self.prog.func(spec).name, i);
        let f = self.module.add_function(&name, fty, Some(Linkage::Internal));
        self.nounwind(f);
        if self.prog.is_leaf() {
            // The optimizer's leaf pipeline inlines it into the entry before anything else.
            let kind = Attribute::get_named_enum_kind_id("alwaysinline");
            f.add_attribute(AttributeLoc::Function, self.ctx.create_enum_attribute(kind, 0));
        }
        f
    }

    fn define_entry(&self, symbol: &str, inner: FunctionValue<'ctx>, spec: &TypedFunction) {
        let ptr = self.ctx.ptr_type(AddressSpace::default());
        let i64t = self.ctx.i64_type();
        let fty = self.ctx.i32_type().fn_type(&[ptr.into(), ptr.into()], false);
        let f = self.module.add_function(symbol, fty, Some(Linkage::External));
        self.nounwind(f);
        let b = self.builder;
        b.position_at_end(self.ctx.append_basic_block(f, "entry"));
        let args_ptr = f.get_nth_param(0).unwrap().into_pointer_value();
        let ret_ptr = f.get_nth_param(1).unwrap().into_pointer_value();
        let mut args = Vec::new();
        for (i, t) in spec.arg_types.iter().enumerate() {
            let slot = unsafe { b.build_in_bounds_gep(i64t, args_ptr, &[i64t.const_int(i as u64, false)], "slot") }.u();
            let v: BasicValueEnum = match t {
                Type::Float => b.build_load(self.ctx.f64_type(), slot, "a").u(),
                Type::Bool => {
                    let raw = b.build_load(i64t, slot, "a").u().into_int_value();
                    b.build_int_compare(IntPredicate::NE, raw, i64t.const_zero(), "b").u().into()
                }
                _ => b.build_load(i64t, slot, "a").u(),
            };
            args.push(v.into());
        }
        let r = b.build_call(inner, &args, "r").u().try_as_basic_value();
        let inkwell::values::ValueKind::Basic(r) = r else { unreachable!("inner returns a struct") };
        let r = r.into_struct_value();
        let value = b.build_extract_value(r, 0, "v").u();
        let status = b.build_extract_value(r, 1, "st").u();
        match &spec.ret {
            Type::Float => {
                b.build_store(ret_ptr, value).u();
            }
            Type::Bool => {
                let z = b.build_int_z_extend(value.into_int_value(), i64t, "z").u();
                b.build_store(ret_ptr, z).u();
            }
            Type::Int => {
                b.build_store(ret_ptr, value).u();
            }
            _ => {}
        }
        b.build_return(Some(&status)).u();
    }

    fn define_inner(&self, f: FunctionValue<'ctx>, spec: &'a TypedFunction, funcs: &[FunctionValue<'ctx>]) -> Result<()> {
        let hf = self.prog.func(spec);
        let entry = self.ctx.append_basic_block(f, "entry");
        self.builder.position_at_end(entry);
        let mut locals = Vec::new();
        let mut bound = Vec::new();
        for (i, l) in hf.locals.iter().enumerate() {
            let t = &spec.local_types[i];
            locals.push(self.builder.build_alloca(self.llty(t), &l.name).u());
            // Only locals that some read may find unassigned carry an "is bound" flag.
            bound.push(l.checked.then(|| {
                let flag = self.builder.build_alloca(self.ctx.bool_type(), &format!("{}.bound", l.name)).u();
                self.builder.build_store(flag, self.ctx.bool_type().const_zero()).u();
                flag
            }));
        }
        let mut fx = Fx { cg: self, f, spec, hf, funcs, locals, bound, loops: Vec::new() };
        for (i, p) in hf.params.iter().enumerate() {
            let v = f.get_nth_param(i as u32).unwrap();
            fx.store_local(*p, v, &spec.arg_types[i].clone());
        }
        fx.block(&hf.body)?;
        if !fx.terminated() {
            // Falling off the end returns None (inference made sure that is the return type).
            if spec.ret == Type::None {
                let none = self.ctx.i8_type().const_zero().into();
                fx.ret_ok(none);
            } else {
                self.builder.build_unreachable().u();
            }
        }
        Ok(())
    }
}

/// Per-function codegen state.
struct Fx<'a, 'ctx> {
    cg: &'a Cg<'a, 'ctx>,
    f: FunctionValue<'ctx>,
    spec: &'a TypedFunction,
    hf: &'a hir::Function,
    funcs: &'a [FunctionValue<'ctx>],
    locals: Vec<PointerValue<'ctx>>,
    bound: Vec<Option<PointerValue<'ctx>>>,
    /// (continue target, break target) of each enclosing loop.
    loops: Vec<(BasicBlock<'ctx>, BasicBlock<'ctx>)>,
}

impl<'a, 'ctx> Fx<'a, 'ctx> {
    fn b(&self) -> &'a Builder<'ctx> {
        self.cg.builder
    }
    fn ctx(&self) -> &'ctx Context {
        self.cg.ctx
    }
    fn i64(&self, v: i64) -> IntValue<'ctx> {
        self.ctx().i64_type().const_int(v as u64, true)
    }
    fn f64(&self, v: f64) -> FloatValue<'ctx> {
        self.ctx().f64_type().const_float(v)
    }
    fn block_named(&self, name: &str) -> BasicBlock<'ctx> {
        self.ctx().append_basic_block(self.f, name)
    }
    fn terminated(&self) -> bool {
        self.b().get_insert_block().and_then(|bb| bb.get_terminator()).is_some()
    }
    fn ty(&self, e: &hir::Expr) -> Type {
        self.spec.expr_types[e.id as usize].clone()
    }

    fn ret_ok(&self, v: BasicValueEnum<'ctx>) {
        let st = self.cg.ret_struct(&self.spec.ret);
        let agg = st.get_undef();
        let agg = self.b().build_insert_value(agg, v, 0, "rv").u();
        let agg = self.b().build_insert_value(agg, self.ctx().i32_type().const_zero(), 1, "rs").u();
        self.b().build_return(Some(&agg.as_basic_value_enum())).u();
    }

    fn ret_status(&self, status: IntValue<'ctx>) {
        let st = self.cg.ret_struct(&self.spec.ret);
        let agg = st.get_undef();
        let agg = self.b().build_insert_value(agg, status, 1, "rs").u();
        self.b().build_return(Some(&agg.as_basic_value_enum())).u();
    }

    /// If `failed`, return `status` from the function; code after this runs only when it did not.
    fn fail_if(&self, failed: IntValue<'ctx>, status: u32) {
        if failed.get_zero_extended_constant() == Some(0) {
            return; // cannot fail: no branch for the optimizer to remove
        }
        let bad = self.block_named("raise");
        let good = self.block_named("ok");
        self.b().build_conditional_branch(failed, bad, good).u();
        self.b().position_at_end(bad);
        self.ret_status(self.ctx().i32_type().const_int(status as u64, false));
        self.b().position_at_end(good);
    }

    fn store_local(&mut self, id: u32, v: BasicValueEnum<'ctx>, from: &Type) {
        let to = self.spec.local_types[id as usize].clone();
        let v = self.cast(v, from, &to);
        self.b().build_store(self.locals[id as usize], v).u();
        if let Some(flag) = self.bound[id as usize] {
            self.b().build_store(flag, self.ctx().bool_type().const_int(1, false)).u();
        }
    }

    fn assign(&mut self, t: &hir::Target, v: BasicValueEnum<'ctx>, ty: &Type) {
        match t {
            hir::Target::Local(id, _) => self.store_local(*id, v, ty),
            hir::Target::Tuple(ts, _) => {
                let Type::Tuple(items) = ty else { unreachable!("inference checked tuple unpacking") };
                let sv = v.into_struct_value();
                for (i, (t, ity)) in ts.iter().zip(items).enumerate() {
                    let x = self.b().build_extract_value(sv, i as u32, "unpack").u();
                    self.assign(t, x, ity);
                }
            }
        }
    }

    // ---- statements ----------------------------------------------------------------------

    fn block(&mut self, stmts: &[hir::Stmt]) -> Result<()> {
        for s in stmts {
            if self.terminated() {
                // Unreachable code after return/break/continue: emit into a dead block.
                let dead = self.block_named("dead");
                self.b().position_at_end(dead);
            }
            self.stmt(s)?;
        }
        Ok(())
    }

    fn stmt(&mut self, s: &hir::Stmt) -> Result<()> {
        match &s.kind {
            S::Assign { targets, value } => {
                let v = self.expr(value)?;
                let t = self.ty(value);
                for target in targets {
                    self.assign(target, v, &t);
                }
            }
            S::AugAssign { target, op, value, read } => {
                let l = self.expr(read)?;
                let r = self.expr(value)?;
                let (v, t) = self.binary(*op, l, &self.ty(read), r, &self.ty(value), value)?;
                self.store_local(*target, v, &t);
            }
            S::Expr(e) => {
                self.expr(e)?;
            }
            S::If { test, body, orelse } => {
                let c = self.truth_of(test)?;
                let then_bb = self.block_named("then");
                let else_bb = self.block_named("else");
                let end = self.block_named("endif");
                self.b().build_conditional_branch(c, then_bb, else_bb).u();
                self.b().position_at_end(then_bb);
                self.block(body)?;
                if !self.terminated() {
                    self.b().build_unconditional_branch(end).u();
                }
                self.b().position_at_end(else_bb);
                self.block(orelse)?;
                if !self.terminated() {
                    self.b().build_unconditional_branch(end).u();
                }
                self.b().position_at_end(end);
            }
            S::While { test, body, orelse } => {
                let head = self.block_named("while.head");
                let body_bb = self.block_named("while.body");
                let else_bb = self.block_named("while.else");
                let exit = self.block_named("while.exit");
                self.b().build_unconditional_branch(head).u();
                self.b().position_at_end(head);
                let c = self.truth_of(test)?;
                self.b().build_conditional_branch(c, body_bb, else_bb).u();
                self.b().position_at_end(body_bb);
                self.loops.push((head, exit));
                self.block(body)?;
                self.loops.pop();
                if !self.terminated() {
                    self.b().build_unconditional_branch(head).u();
                }
                self.b().position_at_end(else_bb);
                self.block(orelse)?;
                if !self.terminated() {
                    self.b().build_unconditional_branch(exit).u();
                }
                self.b().position_at_end(exit);
            }
            S::ForRange { target, start, stop, step, body, orelse } => self.for_range(target, start, stop, step, body, orelse)?,
            S::Return(v) => {
                let rv = match v {
                    Some(v) => {
                        let x = self.expr(v)?;
                        self.cast(x, &self.ty(v), &self.spec.ret.clone())
                    }
                    None => self.ctx().i8_type().const_zero().into(),
                };
                self.ret_ok(rv);
            }
            S::Break => {
                let (_, brk) = *self.loops.last().expect("break inside a loop (CPython checks this)");
                self.b().build_unconditional_branch(brk).u();
            }
            S::Continue => {
                let (cont, _) = *self.loops.last().expect("continue inside a loop (CPython checks this)");
                self.b().build_unconditional_branch(cont).u();
            }
            S::Pass => {}
        }
        Ok(())
    }

    fn int_operand(&mut self, e: &hir::Expr) -> Result<IntValue<'ctx>> {
        let v = self.expr(e)?;
        Ok(self.cast(v, &self.ty(e), &Type::Int).into_int_value())
    }

    #[allow(clippy::too_many_arguments)]
    fn for_range(
        &mut self,
        target: &hir::Target,
        start: &hir::Expr,
        stop: &hir::Expr,
        step: &hir::Expr,
        body: &[hir::Stmt],
        orelse: &[hir::Stmt],
    ) -> Result<()> {
        let b = self.b();
        let i64t = self.ctx().i64_type();
        let start = self.int_operand(start)?;
        let stop = self.int_operand(stop)?;
        let step = self.int_operand(step)?;
        let zero = self.i64(0);
        let step_zero = b.build_int_compare(IntPredicate::EQ, step, zero, "step0").u();
        self.fail_if(step_zero, Status::RangeStepZero as u32);
        // Trip count as CPython's range length, computed in unsigned arithmetic so that no
        // intermediate overflows: n = (hi - lo - 1) / |step| + 1 when lo < hi.
        let (lo, hi, abs_step) = match step.get_sign_extended_constant().map(|c| c as i64) {
            // A literal step (the common case) needs no selects.
            Some(c) if c > 0 => (start, stop, step),
            Some(c) if c < 0 => (stop, start, self.i64(c.wrapping_neg())),
            _ => {
                let pos = b.build_int_compare(IntPredicate::SGT, step, zero, "pos").u();
                let lo = b.build_select(pos, start, stop, "lo").u().into_int_value();
                let hi = b.build_select(pos, stop, start, "hi").u().into_int_value();
                let neg_step = b.build_int_sub(zero, step, "negstep").u();
                (lo, hi, b.build_select(pos, step, neg_step, "absstep").u().into_int_value())
            }
        };
        let nonempty = b.build_int_compare(IntPredicate::SLT, lo, hi, "nonempty").u();
        let span = b.build_int_sub(hi, lo, "span").u();
        let count = if abs_step.get_zero_extended_constant() == Some(1) {
            span
        } else {
            let span1 = b.build_int_sub(span, self.i64(1), "span1").u();
            let q = b.build_int_unsigned_div(span1, abs_step, "q").u();
            b.build_int_add(q, self.i64(1), "q1").u()
        };
        let n = b.build_select(nonempty, count, zero, "n").u().into_int_value();
        let k = b.build_alloca(i64t, "k").u();
        b.build_store(k, zero).u();
        let head = self.block_named("for.head");
        let body_bb = self.block_named("for.body");
        let latch = self.block_named("for.latch");
        let else_bb = self.block_named("for.else");
        let exit = self.block_named("for.exit");
        b.build_unconditional_branch(head).u();
        b.position_at_end(head);
        let kv = b.build_load(i64t, k, "kv").u().into_int_value();
        let more = b.build_int_compare(IntPredicate::ULT, kv, n, "more").u();
        b.build_conditional_branch(more, body_bb, else_bb).u();
        b.position_at_end(body_bb);
        let off = b.build_int_mul(kv, step, "off").u();
        let i = b.build_int_add(start, off, "i").u();
        self.assign(target, i.into(), &Type::Int);
        self.loops.push((latch, exit));
        self.block(body)?;
        self.loops.pop();
        if !self.terminated() {
            self.b().build_unconditional_branch(latch).u();
        }
        let b = self.b();
        b.position_at_end(latch);
        let kv = b.build_load(i64t, k, "kv").u().into_int_value();
        let k1 = b.build_int_add(kv, self.i64(1), "k1").u();
        b.build_store(k, k1).u();
        b.build_unconditional_branch(head).u();
        b.position_at_end(else_bb);
        self.block(orelse)?;
        if !self.terminated() {
            self.b().build_unconditional_branch(exit).u();
        }
        self.b().position_at_end(exit);
        Ok(())
    }

    // ---- values and conversions -------------------------------------------------------------

    fn cast(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let b = self.b();
        match (from, to) {
            (a, b2) if a == b2 => v,
            (Type::Bool, Type::Int) => b.build_int_z_extend(v.into_int_value(), self.ctx().i64_type(), "b2i").u().into(),
            (Type::Bool, Type::Float) => {
                b.build_unsigned_int_to_float(v.into_int_value(), self.ctx().f64_type(), "b2f").u().into()
            }
            (Type::Int, Type::Float) => b.build_signed_int_to_float(v.into_int_value(), self.ctx().f64_type(), "i2f").u().into(),
            (Type::Tuple(fs), Type::Tuple(ts)) => {
                let sv = v.into_struct_value();
                let mut out = self.cg.llty(to).into_struct_type().get_undef();
                for (i, (f, t)) in fs.iter().zip(ts).enumerate() {
                    let x = b.build_extract_value(sv, i as u32, "tf").u();
                    let x = self.cast(x, f, t);
                    out = b.build_insert_value(out, x, i as u32, "tc").u().into_struct_value();
                }
                out.into()
            }
            (Type::Unknown, _) | (_, Type::Unknown) => self.cg.llty(to).const_zero(),
            _ => unreachable!("inference never asks to cast {from} to {to}"),
        }
    }

    fn truth(&self, v: BasicValueEnum<'ctx>, t: &Type) -> IntValue<'ctx> {
        let b = self.b();
        match t {
            Type::Bool => v.into_int_value(),
            Type::Int => b.build_int_compare(IntPredicate::NE, v.into_int_value(), self.i64(0), "t").u(),
            // NaN is true in Python: unordered-or-not-equal.
            Type::Float => b.build_float_compare(FloatPredicate::UNE, v.into_float_value(), self.f64(0.0), "t").u(),
            Type::None => self.ctx().bool_type().const_zero(),
            Type::Tuple(ts) => self.ctx().bool_type().const_int(!ts.is_empty() as u64, false),
            Type::Unknown => self.ctx().bool_type().const_zero(),
        }
    }

    fn truth_of(&mut self, e: &hir::Expr) -> Result<IntValue<'ctx>> {
        let v = self.expr(e)?;
        Ok(self.truth(v, &self.ty(e)))
    }

    fn expr(&mut self, e: &hir::Expr) -> Result<BasicValueEnum<'ctx>> {
        let ty = self.ty(e);
        Ok(match &e.kind {
            H::Int(i) => self.i64(*i).into(),
            H::Float(f) => self.f64(*f).into(),
            H::Bool(v) => self.ctx().bool_type().const_int(*v as u64, false).into(),
            H::None => self.ctx().i8_type().const_zero().into(),
            H::Local { id, check_bound } => {
                if *check_bound {
                    let flag = self.bound[*id as usize].expect("flow marked this local as checked");
                    let flag = self.b().build_load(self.ctx().bool_type(), flag, "isbound").u();
                    let unbound = self.b().build_not(flag.into_int_value(), "unbound").u();
                    self.fail_if(unbound, UNBOUND_LOCAL_BASE + id);
                }
                let lt = self.cg.llty(&self.spec.local_types[*id as usize]);
                self.b().build_load(lt, self.locals[*id as usize], &self.hf.locals[*id as usize].name).u()
            }
            H::Binary { op, left, right } => {
                let l = self.expr(left)?;
                let r = self.expr(right)?;
                self.binary(*op, l, &self.ty(left), r, &self.ty(right), right)?.0
            }
            H::Unary { op, operand } => {
                let v = self.expr(operand)?;
                let ot = self.ty(operand);
                let b = self.b();
                match op {
                    UnaryOp::Not => b.build_not(self.truth(v, &ot), "not").u().into(),
                    UnaryOp::Pos => self.cast(v, &ot, &ty),
                    UnaryOp::Neg => match ty {
                        Type::Float => b.build_float_neg(v.into_float_value(), "neg").u().into(),
                        _ => {
                            let iv = self.cast(v, &ot, &Type::Int).into_int_value();
                            b.build_int_sub(self.i64(0), iv, "neg").u().into()
                        }
                    },
                    UnaryOp::Invert => {
                        let iv = self.cast(v, &ot, &Type::Int).into_int_value();
                        b.build_xor(iv, self.i64(-1), "inv").u().into()
                    }
                }
            }
            H::BoolOp { op, values } => self.bool_op(*op, values, &ty)?,
            H::Compare { left, ops, comparators } => self.compare_chain(left, ops, comparators)?,
            H::IfExp { test, body, orelse } => {
                let c = self.truth_of(test)?;
                let then_bb = self.block_named("ifx.then");
                let else_bb = self.block_named("ifx.else");
                let end = self.block_named("ifx.end");
                self.b().build_conditional_branch(c, then_bb, else_bb).u();
                self.b().position_at_end(then_bb);
                let a = self.expr(body)?;
                let a = self.cast(a, &self.ty(body), &ty);
                let a_bb = self.b().get_insert_block().unwrap();
                self.b().build_unconditional_branch(end).u();
                self.b().position_at_end(else_bb);
                let c2 = self.expr(orelse)?;
                let c2 = self.cast(c2, &self.ty(orelse), &ty);
                let c_bb = self.b().get_insert_block().unwrap();
                self.b().build_unconditional_branch(end).u();
                self.b().position_at_end(end);
                let phi = self.b().build_phi(self.cg.llty(&ty), "ifx").u();
                phi.add_incoming(&[(&a, a_bb), (&c2, c_bb)]);
                phi.as_basic_value()
            }
            H::Intrinsic { f, args } => self.intrinsic(*f, args, &ty)?,
            H::Call { args, .. } => {
                let target = self.spec.call_targets[&e.id];
                let mut vals = Vec::new();
                for a in args {
                    vals.push(self.expr(a)?.into());
                }
                let callee = self.funcs[target];
                let r = self.b().build_call(callee, &vals, "call").u().try_as_basic_value();
                let inkwell::values::ValueKind::Basic(r) = r else { unreachable!() };
                let r = r.into_struct_value();
                let status = self.b().build_extract_value(r, 1, "cst").u().into_int_value();
                let failed = self.b().build_int_compare(IntPredicate::NE, status, self.ctx().i32_type().const_zero(), "cfail").u();
                let bad = self.block_named("propagate");
                let good = self.block_named("ok");
                self.b().build_conditional_branch(failed, bad, good).u();
                self.b().position_at_end(bad);
                self.ret_status(status);
                self.b().position_at_end(good);
                self.b().build_extract_value(r, 0, "cv").u()
            }
            H::Tuple(items) => {
                let mut agg = self.cg.llty(&ty).into_struct_type().get_undef();
                for (i, it) in items.iter().enumerate() {
                    let v = self.expr(it)?;
                    agg = self.b().build_insert_value(agg, v, i as u32, "tup").u().into_struct_value();
                }
                agg.into()
            }
        })
    }

    fn bool_op(&mut self, op: BoolOpKind, values: &[hir::Expr], ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        let end = self.block_named("boolop.end");
        let mut incoming: Vec<(BasicValueEnum<'ctx>, BasicBlock<'ctx>)> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let x = self.expr(v)?;
            let vt = self.ty(v);
            let cx = self.cast(x, &vt, ty);
            if i + 1 == values.len() {
                incoming.push((cx, self.b().get_insert_block().unwrap()));
                self.b().build_unconditional_branch(end).u();
                break;
            }
            let t = self.truth(x, &vt);
            let next = self.block_named("boolop.next");
            incoming.push((cx, self.b().get_insert_block().unwrap()));
            match op {
                // `a and b`: a falsy value is the answer; else go on.
                BoolOpKind::And => self.b().build_conditional_branch(t, next, end).u(),
                BoolOpKind::Or => self.b().build_conditional_branch(t, end, next).u(),
            };
            self.b().position_at_end(next);
        }
        self.b().position_at_end(end);
        let phi = self.b().build_phi(self.cg.llty(ty), "boolop").u();
        for (v, bb) in &incoming {
            phi.add_incoming(&[(v, *bb)]);
        }
        Ok(phi.as_basic_value())
    }

    fn compare_chain(&mut self, left: &hir::Expr, ops: &[CmpOp], comps: &[hir::Expr]) -> Result<BasicValueEnum<'ctx>> {
        let mut l = self.expr(left)?;
        let mut lt = self.ty(left);
        if ops.len() == 1 {
            let r = self.expr(&comps[0])?;
            return Ok(self.compare(ops[0], l, &lt, r, &self.ty(&comps[0])).into());
        }
        let end = self.block_named("cmp.end");
        let mut incoming = Vec::new();
        for (i, (op, c)) in ops.iter().zip(comps).enumerate() {
            let r = self.expr(c)?;
            let rt = self.ty(c);
            let res = self.compare(*op, l, &lt, r, &rt);
            let bb = self.b().get_insert_block().unwrap();
            if i + 1 == ops.len() {
                incoming.push((res, bb));
                self.b().build_unconditional_branch(end).u();
            } else {
                incoming.push((self.ctx().bool_type().const_zero(), bb));
                let next = self.block_named("cmp.next");
                self.b().build_conditional_branch(res, next, end).u();
                self.b().position_at_end(next);
            }
            l = r;
            lt = rt;
        }
        self.b().position_at_end(end);
        let phi = self.b().build_phi(self.ctx().bool_type(), "chain").u();
        for (v, bb) in &incoming {
            phi.add_incoming(&[(v, *bb)]);
        }
        Ok(phi.as_basic_value())
    }

    fn int_pred(op: CmpOp) -> IntPredicate {
        match op {
            CmpOp::Eq => IntPredicate::EQ,
            CmpOp::Ne => IntPredicate::NE,
            CmpOp::Lt => IntPredicate::SLT,
            CmpOp::Le => IntPredicate::SLE,
            CmpOp::Gt => IntPredicate::SGT,
            CmpOp::Ge => IntPredicate::SGE,
        }
    }

    fn float_pred(op: CmpOp) -> FloatPredicate {
        match op {
            CmpOp::Eq => FloatPredicate::OEQ,
            CmpOp::Ne => FloatPredicate::UNE,
            CmpOp::Lt => FloatPredicate::OLT,
            CmpOp::Le => FloatPredicate::OLE,
            CmpOp::Gt => FloatPredicate::OGT,
            CmpOp::Ge => FloatPredicate::OGE,
        }
    }

    /// `l op r` with Python's exact comparison between an int and a float.
    fn compare(&self, op: CmpOp, l: BasicValueEnum<'ctx>, lt: &Type, r: BasicValueEnum<'ctx>, rt: &Type) -> IntValue<'ctx> {
        let b = self.b();
        match (lt, rt) {
            (Type::Float, Type::Float) => {
                b.build_float_compare(Self::float_pred(op), l.into_float_value(), r.into_float_value(), "fcmp").u()
            }
            (Type::Float, _) => {
                let swapped = match op {
                    CmpOp::Lt => CmpOp::Gt,
                    CmpOp::Le => CmpOp::Ge,
                    CmpOp::Gt => CmpOp::Lt,
                    CmpOp::Ge => CmpOp::Le,
                    o => o,
                };
                let ri = self.cast(r, rt, &Type::Int).into_int_value();
                self.compare_int_float(swapped, ri, l.into_float_value())
            }
            (_, Type::Float) => {
                let li = self.cast(l, lt, &Type::Int).into_int_value();
                self.compare_int_float(op, li, r.into_float_value())
            }
            _ => {
                let li = self.cast(l, lt, &Type::Int).into_int_value();
                let ri = self.cast(r, rt, &Type::Int).into_int_value();
                b.build_int_compare(Self::int_pred(op), li, ri, "icmp").u()
            }
        }
    }

    /// Exact `i op f`: if float(i) != f, their order is i's order; if equal, f is integral and
    /// the comparison is done in integers (f == 2**63 is above every int64).
    fn compare_int_float(&self, op: CmpOp, i: IntValue<'ctx>, f: FloatValue<'ctx>) -> IntValue<'ctx> {
        let b = self.b();
        let fi = b.build_signed_int_to_float(i, self.ctx().f64_type(), "fi").u();
        let by_float = b.build_float_compare(Self::float_pred(op), fi, f, "byf").u();
        let same = b.build_float_compare(FloatPredicate::OEQ, fi, f, "same").u();
        let two63 = b.build_float_compare(FloatPredicate::OGE, f, self.f64(9223372036854775808.0), "big").u();
        let fclamped = b.build_select(two63, self.f64(0.0), f, "fc").u().into_float_value();
        let fint = b.build_float_to_signed_int(fclamped, self.ctx().i64_type(), "fint").u();
        let by_int = b.build_int_compare(Self::int_pred(op), i, fint, "byi").u();
        // f == 2**63 and fi == f means i is near the top: i < f.
        let top = self.ctx().bool_type().const_int(matches!(op, CmpOp::Lt | CmpOp::Le | CmpOp::Ne) as u64, false);
        let exact = b.build_select(two63, top, by_int, "exact").u().into_int_value();
        b.build_select(same, exact, by_float, "cmpif").u().into_int_value()
    }

    // ---- arithmetic -----------------------------------------------------------------------

    /// `l op r`; returns the value and its type.
    fn binary(
        &mut self,
        op: BinOp,
        l: BasicValueEnum<'ctx>,
        lt: &Type,
        r: BasicValueEnum<'ctx>,
        rt: &Type,
        right: &hir::Expr,
    ) -> Result<(BasicValueEnum<'ctx>, Type)> {
        let float = *lt == Type::Float || *rt == Type::Float;
        let b = self.b();
        if op == BinOp::Div {
            if float {
                let x = self.cast(l, lt, &Type::Float).into_float_value();
                let y = self.cast(r, rt, &Type::Float).into_float_value();
                let z = b.build_float_compare(FloatPredicate::OEQ, y, self.f64(0.0), "z").u();
                self.fail_if(z, Status::FloatDivZero as u32);
                return Ok((self.b().build_float_div(x, y, "div").u().into(), Type::Float));
            }
            let x = self.cast(l, lt, &Type::Int).into_int_value();
            let y = self.cast(r, rt, &Type::Int).into_int_value();
            return Ok((self.int_truediv(x, y).into(), Type::Float));
        }
        if op == BinOp::Pow {
            if float || matches!(self.ty(right), Type::Int | Type::Bool) && self.spec_pow_is_float(right) {
                let x = self.cast(l, lt, &Type::Float).into_float_value();
                let y = self.cast(r, rt, &Type::Float).into_float_value();
                return Ok((self.float_pow(x, y).into(), Type::Float));
            }
            let x = self.cast(l, lt, &Type::Int).into_int_value();
            let y = self.cast(r, rt, &Type::Int).into_int_value();
            let neg = self.b().build_int_compare(IntPredicate::SLT, y, self.i64(0), "negexp").u();
            self.fail_if(neg, Status::IntPowNegativeExponent as u32);
            let f = self.helper("sj_rt_ipow", self.ctx().i64_type().fn_type(&[self.ctx().i64_type().into(); 2], false));
            let v = self.call_basic(f, &[x.into(), y.into()]);
            return Ok((v, Type::Int));
        }
        if matches!(op, BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor) && *lt == Type::Bool && *rt == Type::Bool {
            let (x, y) = (l.into_int_value(), r.into_int_value());
            let v = match op {
                BinOp::BitAnd => b.build_and(x, y, "and").u(),
                BinOp::BitOr => b.build_or(x, y, "or").u(),
                _ => b.build_xor(x, y, "xor").u(),
            };
            return Ok((v.into(), Type::Bool));
        }
        if float {
            let x = self.cast(l, lt, &Type::Float).into_float_value();
            let y = self.cast(r, rt, &Type::Float).into_float_value();
            let v = match op {
                BinOp::Add => b.build_float_add(x, y, "add").u(),
                BinOp::Sub => b.build_float_sub(x, y, "sub").u(),
                BinOp::Mul => b.build_float_mul(x, y, "mul").u(),
                BinOp::FloorDiv => self.float_divmod(x, y, true),
                BinOp::Mod => self.float_divmod(x, y, false),
                _ => unreachable!("inference rejects {op:?} on floats"),
            };
            return Ok((v.into(), Type::Float));
        }
        let x = self.cast(l, lt, &Type::Int).into_int_value();
        let y = self.cast(r, rt, &Type::Int).into_int_value();
        let v = match op {
            BinOp::Add => b.build_int_add(x, y, "add").u(),
            BinOp::Sub => b.build_int_sub(x, y, "sub").u(),
            BinOp::Mul => b.build_int_mul(x, y, "mul").u(),
            BinOp::FloorDiv => self.int_divmod(x, y, true),
            BinOp::Mod => self.int_divmod(x, y, false),
            BinOp::BitAnd => b.build_and(x, y, "and").u(),
            BinOp::BitOr => b.build_or(x, y, "or").u(),
            BinOp::BitXor => b.build_xor(x, y, "xor").u(),
            BinOp::LShift | BinOp::RShift => {
                let neg = b.build_int_compare(IntPredicate::SLT, y, self.i64(0), "negshift").u();
                self.fail_if(neg, Status::NegativeShift as u32);
                let b = self.b();
                let big = b.build_int_compare(IntPredicate::SGE, y, self.i64(64), "bigshift").u();
                if op == BinOp::LShift {
                    let amt = b.build_and(y, self.i64(63), "amt").u();
                    let s = b.build_left_shift(x, amt, "shl").u();
                    b.build_select(big, self.i64(0), s, "shl").u().into_int_value()
                } else {
                    let amt = b.build_select(big, self.i64(63), y, "amt").u().into_int_value();
                    b.build_right_shift(x, amt, true, "shr").u()
                }
            }
            BinOp::Div | BinOp::Pow => unreachable!("handled above"),
        };
        Ok((v.into(), Type::Int))
    }

    /// Whether inference typed this `**` as float although both sides are integers (a negative literal exponent).
    fn spec_pow_is_float(&self, right: &hir::Expr) -> bool {
        match &right.kind {
            H::Int(i) => *i < 0,
            H::Unary { op: UnaryOp::Neg, operand } => matches!(operand.kind, H::Int(i) if i > 0),
            _ => false,
        }
    }

    fn int_truediv(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>) -> FloatValue<'ctx> {
        let z = self.b().build_int_compare(IntPredicate::EQ, y, self.i64(0), "z").u();
        self.fail_if(z, Status::IntTrueDivZero as u32);
        let b = self.b();
        let f64t = self.ctx().f64_type();
        // Both in [-2**53, 2**53]: conversion is exact, so one IEEE division is correctly rounded.
        let lim = self.i64(1 << 54);
        let off = self.i64(1 << 53);
        let xs = b.build_int_add(x, off, "xs").u();
        let ys = b.build_int_add(y, off, "ys").u();
        let xok = b.build_int_compare(IntPredicate::ULE, xs, lim, "xok").u();
        let yok = b.build_int_compare(IntPredicate::ULE, ys, lim, "yok").u();
        let fast = b.build_and(xok, yok, "fast").u();
        let fast_bb = self.block_named("div.fast");
        let slow_bb = self.block_named("div.slow");
        let end = self.block_named("div.end");
        b.build_conditional_branch(fast, fast_bb, slow_bb).u();
        b.position_at_end(fast_bb);
        let fx = b.build_signed_int_to_float(x, f64t, "fx").u();
        let fy = b.build_signed_int_to_float(y, f64t, "fy").u();
        let q1 = b.build_float_div(fx, fy, "q").u();
        b.build_unconditional_branch(end).u();
        b.position_at_end(slow_bb);
        let helper = self.helper("sj_rt_int_truediv", f64t.fn_type(&[self.ctx().i64_type().into(); 2], false));
        let q2 = self.call_basic(helper, &[x.into(), y.into()]).into_float_value();
        let b = self.b();
        b.build_unconditional_branch(end).u();
        b.position_at_end(end);
        let phi = b.build_phi(f64t, "tdiv").u();
        phi.add_incoming(&[(&q1, fast_bb), (&q2, slow_bb)]);
        phi.as_basic_value().into_float_value()
    }

    /// Python's `//` (floor) or `%` (sign of the divisor) on int64; `MIN // -1` wraps.
    fn int_divmod(&mut self, x: IntValue<'ctx>, y: IntValue<'ctx>, want_div: bool) -> IntValue<'ctx> {
        let z = self.b().build_int_compare(IntPredicate::EQ, y, self.i64(0), "z").u();
        self.fail_if(z, if want_div { Status::IntFloorDivZero } else { Status::IntModZero } as u32);
        let b = self.b();
        let (q, r, adj) = match y.get_sign_extended_constant().map(|c| c as i64) {
            // A literal divisor other than -1 (the common case): no trap to avoid, and the
            // remainder needs adjusting exactly when its sign is not the divisor's.
            Some(c) if c != -1 => {
                let q = b.build_int_signed_div(x, y, "q").u();
                let r = b.build_int_signed_rem(x, y, "r").u();
                let wrong_sign = if c > 0 { IntPredicate::SLT } else { IntPredicate::SGT };
                let adj = b.build_int_compare(wrong_sign, r, self.i64(0), "adj").u();
                (q, r, adj)
            }
            _ => {
                // y == -1 would trap for MIN; the answer is -x (wrapping) with remainder 0.
                let m1 = b.build_int_compare(IntPredicate::EQ, y, self.i64(-1), "m1").u();
                let safe_y = b.build_select(m1, self.i64(1), y, "sy").u().into_int_value();
                let q = b.build_int_signed_div(x, safe_y, "q").u();
                let r = b.build_int_signed_rem(x, safe_y, "r").u();
                let negx = b.build_int_sub(self.i64(0), x, "negx").u();
                let q = b.build_select(m1, negx, q, "q").u().into_int_value();
                let r = b.build_select(m1, self.i64(0), r, "r").u().into_int_value();
                // Adjust toward floor when the remainder's sign differs from the divisor's.
                let rnz = b.build_int_compare(IntPredicate::NE, r, self.i64(0), "rnz").u();
                let x_r_y = b.build_xor(r, y, "rxy").u();
                let diff = b.build_int_compare(IntPredicate::SLT, x_r_y, self.i64(0), "diff").u();
                (q, r, b.build_and(rnz, diff, "adj").u())
            }
        };
        if want_div {
            let q1 = b.build_int_sub(q, self.i64(1), "q1").u();
            b.build_select(adj, q1, q, "fdiv").u().into_int_value()
        } else {
            let r1 = b.build_int_add(r, y, "r1").u();
            b.build_select(adj, r1, r, "fmod").u().into_int_value()
        }
    }

    /// CPython's `float_floor_div` / `float_rem`, step for step.
    fn float_divmod(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>, want_div: bool) -> FloatValue<'ctx> {
        let z = self.b().build_float_compare(FloatPredicate::OEQ, y, self.f64(0.0), "z").u();
        self.fail_if(z, if want_div { Status::FloatFloorDivZero } else { Status::FloatModZero } as u32);
        let b = self.b();
        let zero = self.f64(0.0);
        let m = b.build_float_rem(x, y, "fmod").u();
        let mnz = b.build_float_compare(FloatPredicate::UNE, m, zero, "mnz").u();
        let yneg = b.build_float_compare(FloatPredicate::OLT, y, zero, "yneg").u();
        let mneg = b.build_float_compare(FloatPredicate::OLT, m, zero, "mneg").u();
        let signs_differ = b.build_xor(yneg, mneg, "sd").u();
        let adj = b.build_and(mnz, signs_differ, "adj").u();
        let m_adj = b.build_float_add(m, y, "madj").u();
        let copysign = self.intrinsic_fn("llvm.copysign.f64", 2);
        let signed_zero = self.call_basic(copysign, &[zero.into(), y.into()]).into_float_value();
        let b = self.b();
        let mod_nz = b.build_select(adj, m_adj, m, "m1").u().into_float_value();
        let modv = b.build_select(mnz, mod_nz, signed_zero, "mod").u().into_float_value();
        if !want_div {
            return modv;
        }
        let xm = b.build_float_sub(x, m, "xm").u();
        let div = b.build_float_div(xm, y, "div").u();
        let div1 = b.build_float_sub(div, self.f64(1.0), "div1").u();
        let div = b.build_select(adj, div1, div, "div").u().into_float_value();
        let floor = self.intrinsic_fn("llvm.floor.f64", 1);
        let fl = self.call_basic(floor, &[div.into()]).into_float_value();
        let b = self.b();
        let frac = b.build_float_sub(div, fl, "frac").u();
        let gt_half = b.build_float_compare(FloatPredicate::OGT, frac, self.f64(0.5), "gth").u();
        let fl1 = b.build_float_add(fl, self.f64(1.0), "fl1").u();
        let fl = b.build_select(gt_half, fl1, fl, "fl").u().into_float_value();
        let dnz = b.build_float_compare(FloatPredicate::UNE, div, zero, "dnz").u();
        let q = b.build_float_div(x, y, "q").u();
        let zdiv = self.call_basic(copysign, &[zero.into(), q.into()]).into_float_value();
        self.b().build_select(dnz, fl, zdiv, "floordiv").u().into_float_value()
    }

    /// Python's `x ** y` for floats: libm `pow` plus CPython's errors.
    fn float_pow(&mut self, x: FloatValue<'ctx>, y: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let b = self.b();
        let zero = self.f64(0.0);
        let xz = b.build_float_compare(FloatPredicate::OEQ, x, zero, "xz").u();
        let yneg = b.build_float_compare(FloatPredicate::OLT, y, zero, "yneg").u();
        let xfin = self.is_finite(x);
        let yfin = self.is_finite(y);
        let b = self.b();
        // CPython answers an infinite exponent before looking at a zero base: 0.0 ** -inf is inf.
        let zneg = b.build_and(xz, yneg, "zneg").u();
        let zneg = b.build_and(zneg, yfin, "zneg").u();
        self.fail_if(zneg, Status::ZeroToNegativePower as u32);
        let b = self.b();
        let xneg = b.build_float_compare(FloatPredicate::OLT, x, zero, "xneg").u();
        let floor = self.intrinsic_fn("llvm.floor.f64", 1);
        let fy = self.call_basic(floor, &[y.into()]).into_float_value();
        let b = self.b();
        let frac = b.build_float_compare(FloatPredicate::ONE, fy, y, "frac").u();
        let c1 = b.build_and(xneg, xfin, "c1").u();
        let c2 = b.build_and(c1, yfin, "c2").u();
        let complex = b.build_and(c2, frac, "complex").u();
        self.fail_if(complex, Status::NegativeToFractionalPower as u32);
        let r = self.call_pow(x, y);
        let rinf = self.is_inf(r);
        let b = self.b();
        let fin = b.build_and(xfin, yfin, "fin").u();
        let ovf = b.build_and(rinf, fin, "ovf").u();
        self.fail_if(ovf, Status::PowOverflow as u32);
        r
    }

    fn is_finite(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[x.into()]).into_float_value();
        self.b().build_float_compare(FloatPredicate::OLT, a, self.f64(f64::INFINITY), "finite").u()
    }

    fn is_inf(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
        let a = self.call_basic(fabs, &[x.into()]).into_float_value();
        self.b().build_float_compare(FloatPredicate::OEQ, a, self.f64(f64::INFINITY), "isinf").u()
    }

    fn is_nan(&self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        self.b().build_float_compare(FloatPredicate::UNO, x, x, "isnan").u()
    }

    /// float → int64 as Python's `int()`: NaN is a ValueError, infinities and values outside
    /// int64 an OverflowError.
    fn float_to_int(&mut self, x: FloatValue<'ctx>) -> IntValue<'ctx> {
        let nan = self.is_nan(x);
        self.fail_if(nan, Status::FloatNanToInt as u32);
        let inf = self.is_inf(x);
        self.fail_if(inf, Status::FloatInfToInt as u32);
        let b = self.b();
        let hi = b.build_float_compare(FloatPredicate::OGE, x, self.f64(9223372036854775808.0), "hi").u();
        let lo = b.build_float_compare(FloatPredicate::OLT, x, self.f64(-9223372036854775808.0), "lo").u();
        let out = b.build_or(hi, lo, "out").u();
        self.fail_if(out, Status::FloatTooLargeForInt as u32);
        self.b().build_float_to_signed_int(x, self.ctx().i64_type(), "f2i").u()
    }

    // ---- calls to LLVM intrinsics, libm and runtime helpers -----------------------------

    fn intrinsic_fn(&self, name: &str, arity: usize) -> FunctionValue<'ctx> {
        let f64t = self.ctx().f64_type();
        inkwell::intrinsics::Intrinsic::find(name)
            .and_then(|i| i.get_declaration(self.cg.module, &vec![f64t.into(); arity.min(1)]))
            .unwrap_or_else(|| panic!("LLVM intrinsic {name}"))
    }

    fn libm(&self, name: &str, arity: usize) -> FunctionValue<'ctx> {
        if let Some(f) = self.cg.module.get_function(name) {
            return f;
        }
        let f64t = self.ctx().f64_type();
        let fty = f64t.fn_type(&vec![f64t.into(); arity], false);
        let f = self.cg.module.add_function(name, fty, Some(Linkage::External));
        self.cg.nounwind(f);
        f
    }

    /// The C library's `pow`, called as CPython calls it: `nobuiltin`, so that LLVM does not
    /// rewrite `pow(x, 2.0)` into `x * x` or `pow(2.0, y)` into `exp2(y)`, which can differ
    /// from `pow` in the last bit.
    fn call_pow(&self, x: FloatValue<'ctx>, y: FloatValue<'ctx>) -> FloatValue<'ctx> {
        let pow = self.libm("pow", 2);
        let call = self.b().build_call(pow, &[x.into(), y.into()], "pow").u();
        let kind = inkwell::attributes::Attribute::get_named_enum_kind_id("nobuiltin");
        call.add_attribute(inkwell::attributes::AttributeLoc::Function, self.ctx().create_enum_attribute(kind, 0));
        match call.try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v.into_float_value(),
            _ => unreachable!("pow returns a double"),
        }
    }

    fn helper(&self, name: &str, fty: inkwell::types::FunctionType<'ctx>) -> FunctionValue<'ctx> {
        if let Some(f) = self.cg.module.get_function(name) {
            return f;
        }
        let f = self.cg.module.add_function(name, fty, Some(Linkage::External));
        self.cg.nounwind(f);
        f
    }

    fn call_basic(&self, f: FunctionValue<'ctx>, args: &[inkwell::values::BasicMetadataValueEnum<'ctx>]) -> BasicValueEnum<'ctx> {
        match self.b().build_call(f, args, "c").u().try_as_basic_value() {
            inkwell::values::ValueKind::Basic(v) => v,
            _ => unreachable!("helpers return values"),
        }
    }

    fn float_arg(&mut self, e: &hir::Expr) -> Result<FloatValue<'ctx>> {
        let v = self.expr(e)?;
        Ok(self.cast(v, &self.ty(e), &Type::Float).into_float_value())
    }

    fn intrinsic(&mut self, f: Intrinsic, args: &[hir::Expr], ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        Ok(match f {
            Intrinsic::Abs => {
                let v = self.expr(&args[0])?;
                let at = self.ty(&args[0]);
                if *ty == Type::Float {
                    let fabs = self.intrinsic_fn("llvm.fabs.f64", 1);
                    self.call_basic(fabs, &[v.into()])
                } else {
                    let iv = self.cast(v, &at, &Type::Int).into_int_value();
                    let b = self.b();
                    let neg = b.build_int_compare(IntPredicate::SLT, iv, self.i64(0), "neg").u();
                    let n = b.build_int_sub(self.i64(0), iv, "n").u();
                    b.build_select(neg, n, iv, "abs").u()
                }
            }
            Intrinsic::Min | Intrinsic::Max => {
                let mut acc = self.expr(&args[0])?;
                acc = self.cast(acc, &self.ty(&args[0]), ty);
                for a in &args[1..] {
                    let v = self.expr(a)?;
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
                    let v = self.expr(a)?;
                    match self.ty(a) {
                        Type::Float => self.float_to_int(v.into_float_value()).into(),
                        t => self.cast(v, &t, &Type::Int),
                    }
                }
            },
            Intrinsic::Float => match args.first() {
                None => self.f64(0.0).into(),
                Some(a) => self.float_arg(a)?.into(),
            },
            Intrinsic::Bool => match args.first() {
                None => self.ctx().bool_type().const_zero().into(),
                Some(a) => self.truth_of(a)?.into(),
            },
            Intrinsic::Round => self.round(args, ty)?,
            Intrinsic::Math(m) => self.math(m, args)?,
        })
    }

    fn round(&mut self, args: &[hir::Expr], ty: &Type) -> Result<BasicValueEnum<'ctx>> {
        let v = self.expr(&args[0])?;
        let at = self.ty(&args[0]);
        if args.len() == 1 {
            return Ok(match at {
                Type::Float => {
                    let re = self.intrinsic_fn("llvm.roundeven.f64", 1);
                    let r = self.call_basic(re, &[v.into()]).into_float_value();
                    self.float_to_int(r).into()
                }
                t => self.cast(v, &t, &Type::Int),
            });
        }
        let nd = self.int_operand(&args[1])?;
        let i64t = self.ctx().i64_type();
        if *ty == Type::Float {
            let f64t = self.ctx().f64_type();
            let ptr = self.ctx().ptr_type(AddressSpace::default());
            let status = self.b().build_alloca(self.ctx().i32_type(), "rst").u();
            self.b().build_store(status, self.ctx().i32_type().const_zero()).u();
            let h = self.helper("sj_rt_round_f64", f64t.fn_type(&[f64t.into(), i64t.into(), ptr.into()], false));
            let r = self.call_basic(h, &[v.into(), nd.into(), status.into()]);
            let st = self.b().build_load(self.ctx().i32_type(), status, "st").u().into_int_value();
            let bad = self.b().build_int_compare(IntPredicate::NE, st, self.ctx().i32_type().const_zero(), "bad").u();
            self.fail_if(bad, Status::RoundedTooLarge as u32);
            return Ok(r);
        }
        let x = self.cast(v, &at, &Type::Int);
        let h = self.helper("sj_rt_round_i64", i64t.fn_type(&[i64t.into(), i64t.into()], false));
        Ok(self.call_basic(h, &[x.into(), nd.into()]))
    }

    /// A `math` function with CPython's error rules: a NaN from non-NaN input is a ValueError;
    /// an infinity from finite input is an OverflowError where the function can overflow, else
    /// a ValueError.
    fn math(&mut self, m: MathFn, args: &[hir::Expr]) -> Result<BasicValueEnum<'ctx>> {
        let mut raw = Vec::new();
        for a in args {
            raw.push((self.expr(a)?, self.ty(a)));
        }
        let xs: Vec<FloatValue<'ctx>> = raw.iter().map(|(v, t)| self.cast(*v, t, &Type::Float).into_float_value()).collect();
        let x = xs.first().copied().unwrap_or(self.f64(0.0));
        let one = |s: &mut Self, name: &str| -> BasicValueEnum<'ctx> {
            let f = s.libm(name, 1);
            s.call_basic(f, &[x.into()])
        };
        if matches!(m, MathFn::Floor | MathFn::Ceil | MathFn::Trunc) && raw[0].1 != Type::Float {
            return Ok(self.cast(raw[0].0, &raw[0].1, &Type::Int));
        }
        Ok(match m {
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
                let f = self.intrinsic_fn("llvm.sqrt.f64", 1);
                let r = self.call_basic(f, &[x.into()]).into_float_value();
                self.check_math1(m, x, r);
                r.into()
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
                let rn = self.is_nan(r);
                let xn = self.is_nan(xs[0]);
                let yn = self.is_nan(xs[1]);
                let b = self.b();
                let anyn = b.build_or(xn, yn, "anyn").u();
                let notn = b.build_not(anyn, "notn").u();
                let bad = b.build_and(rn, notn, "bad").u();
                self.fail_if(bad, Status::MathDomain as u32);
                r.into()
            }
            MathFn::Pow => {
                let (a, c) = (xs[0], xs[1]);
                let r = self.call_pow(a, c);
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
                self.fail_if(dom, Status::MathDomain as u32);
                self.fail_if(inf_fin, Status::MathRange as u32);
                r.into()
            }
            MathFn::Hypot => {
                if xs.is_empty() {
                    return Ok(self.f64(0.0).into());
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
                let num = self.call_basic(lg, &[xs[0].into()]).into_float_value();
                self.check_math1(MathFn::Log, xs[0], num);
                let den = self.call_basic(lg, &[xs[1].into()]).into_float_value();
                self.check_math1(MathFn::Log, xs[1], den);
                let z = self.b().build_float_compare(FloatPredicate::OEQ, den, self.f64(0.0), "z").u();
                self.fail_if(z, Status::LogBaseOne as u32);
                self.b().build_float_div(num, den, "logb").u().into()
            }
            _ => {
                let r = one(self, m.name()).into_float_value();
                self.check_math1(m, x, r);
                r.into()
            }
        })
    }

    /// CPython's `math_1` checks after `r = m(x)`, for the ones `m` can trip: a NaN from a
    /// non-NaN argument is a ValueError; an infinity from a finite argument is an OverflowError
    /// (exp, expm1, cosh, sinh) or a ValueError (the log family's pole at 0). Checks that cannot
    /// fire for `m` (sqrt never gives an infinity, exp never a NaN, ...) are not emitted.
    fn check_math1(&mut self, m: MathFn, x: FloatValue<'ctx>, r: FloatValue<'ctx>) {
        use MathFn as M;
        let can_nan = matches!(m, M::Sqrt | M::Log | M::Log2 | M::Log10 | M::Log1p | M::Sin | M::Cos | M::Tan | M::Asin | M::Acos);
        let (can_inf, inf_status) = match m {
            M::Exp | M::Expm1 | M::Cosh | M::Sinh => (true, Status::MathRange),
            M::Log | M::Log2 | M::Log10 | M::Log1p => (true, Status::MathDomain),
            M::Sqrt | M::Sin | M::Cos | M::Tan | M::Asin | M::Acos | M::Atan | M::Tanh => (false, Status::MathDomain),
            _ => (true, Status::MathDomain),
        };
        if can_nan {
            let rn = self.is_nan(r);
            let xn = self.is_nan(x);
            let b = self.b();
            let xnn = b.build_not(xn, "xnn").u();
            let dom = b.build_and(rn, xnn, "dom").u();
            self.fail_if(dom, Status::MathDomain as u32);
        }
        if can_inf {
            let ri = self.is_inf(r);
            let xf = self.is_finite(x);
            let ovf = self.b().build_and(ri, xf, "ovf").u();
            self.fail_if(ovf, inf_status as u32);
        }
    }
}
