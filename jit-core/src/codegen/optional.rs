//! Optional values (`Type::Optional`) in compiled code: `{i1 present, value}`, made from a
//! value or `None`, converted between inner types, tested by `is None`, and read as the value
//! (a `TypeError` status when absent).

use inkwell::values::BasicValueEnum;

use super::{Built, FnGen};
use crate::ast::UnaryOp;
use crate::hir::{self, ExprKind as H, Intrinsic};
use crate::runtime::Status;
use crate::types::Type;

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// The answer inference recorded for the test of an `if` or conditional expression when it
    /// is `x is None` or `x is not None` (under any number of `not`s) of a type that answers it,
    /// or another condition the types decide (`a.ndim == 2`).
    pub(super) fn known_test(&self, test: &hir::Expr) -> Option<bool> {
        match &test.kind {
            H::Intrinsic { f: Intrinsic::IsNone { .. }, .. } => self.spec.known_tests.get(&test.id).copied(),
            H::Unary { op: UnaryOp::Not, operand } => self.known_test(operand).map(|k| !k),
            // As `InferCx::known_test`.
            H::BoolOp { op, values } => {
                let stop = *op == crate::ast::BoolOpKind::Or;
                for v in values {
                    match self.known_test(v) {
                        Some(k) if k == stop => return Some(stop),
                        Some(_) => {}
                        None => return None,
                    }
                }
                Some(!stop)
            }
            // A condition the types decide (`infer/constant.rs`: `a.ndim == 2`, ...).
            _ => self.spec.known_tests.get(&test.id).copied(),
        }
    }

    /// `x is None` (`negated`: `is not`): the flag of an optional value, else the constant
    /// inference recorded.
    pub(super) fn is_none(&mut self, e: &hir::Expr, negated: bool, operand: &hir::Expr) -> BasicValueEnum<'ctx> {
        let bool_t = self.ctx().bool_type();
        if let Some(&k) = self.spec.known_tests.get(&e.id) {
            // Evaluated for what it does (a call's effects), as CPython evaluates it.
            if !matches!(operand.kind, H::Local { .. } | H::None) {
                self.expr(operand);
            }
            return bool_t.const_int(k as u64, false).into();
        }
        let v = self.expr(operand);
        let present = self.b().build_extract_value(v.into_struct_value(), 0, "present").u().into_int_value();
        if negated {
            present.into()
        } else {
            self.b().build_not(present, "absent").u().into()
        }
    }

    /// The value inside the optional `v`: a `TypeError` status when it is absent.
    pub(super) fn unwrap_optional(&mut self, v: BasicValueEnum<'ctx>) -> BasicValueEnum<'ctx> {
        let sv = v.into_struct_value();
        let present = self.b().build_extract_value(sv, 0, "present").u().into_int_value();
        let absent = self.b().build_not(present, "absent").u();
        self.fail_if(absent, Status::NoneValue.code());
        self.b().build_extract_value(sv, 1, "value").u()
    }

    /// The optional holding `v` (of type `t`).
    pub(super) fn optional_some(&self, v: BasicValueEnum<'ctx>, t: &Type) -> BasicValueEnum<'ctx> {
        let ty = self.module_gen.llty(&Type::Optional(Box::new(t.clone()))).into_struct_type();
        let present = self.ctx().bool_type().const_int(1, false);
        let o = self.b().build_insert_value(ty.get_undef(), present, 0, "some").u();
        self.b().build_insert_value(o, v, 1, "some").u().into_struct_value().into()
    }

    /// An optional of `from` as an optional of `to`: the value converted when present (only
    /// then: converting a list makes a new one), absent stays absent.
    pub(super) fn optional_convert(&self, v: BasicValueEnum<'ctx>, from: &Type, to: &Type) -> BasicValueEnum<'ctx> {
        let to_opt = Type::Optional(Box::new(to.clone()));
        let sv = v.into_struct_value();
        let present = self.b().build_extract_value(sv, 0, "present").u().into_int_value();
        let start = self.b().get_insert_block().expect("inside a function");
        let some_bb = self.block_named("opt.some");
        let end = self.block_named("opt.end");
        self.b().build_conditional_branch(present, some_bb, end).u();
        self.b().position_at_end(some_bb);
        let x = self.b().build_extract_value(sv, 1, "value").u();
        let converted = self.optional_some(self.cast(x, from, to), to);
        let some_end = self.b().get_insert_block().expect("inside a function");
        self.b().build_unconditional_branch(end).u();
        self.b().position_at_end(end);
        let ty = self.module_gen.llty(&to_opt);
        let phi = self.b().build_phi(ty, "opt").u();
        phi.add_incoming(&[(&ty.const_zero(), start), (&converted, some_end)]);
        phi.as_basic_value()
    }
}
