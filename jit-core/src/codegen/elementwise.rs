//! Codegen of NumPy array expressions: the elementwise operators of one expression (`+ - * / //
//! % ** & | ^ << >>`, unary `- + ~`, a comparison) fused into one loop nest over the operands'
//! broadcast shape, each element computed with NumPy's rules.
//!
//! The tree's leaves (arrays, and scalars, which are evaluated once) are evaluated first, left to
//! right, as Python evaluates operands; the result is a new C-contiguous array, the only memory
//! the expression allocates. Each intermediate value is wrapped to its dtype (an int8 sum wraps at
//! 8 bits, a float32 product is rounded to float32), so fusing gives what NumPy's one operation
//! at a time gives. When every array operand's last axis is contiguous, the loop nest runs a
//! copy whose innermost loop addresses elements by index, which LLVM vectorizes.

use inkwell::values::{BasicValueEnum, IntValue, PointerValue};
use inkwell::IntPredicate;

use super::array::NestKind;
use super::{Built, FnGen};
use crate::abi::array_value as field;
use crate::ast::{BinOp, UnaryOp};
use crate::hir::{self, ExprId, ExprKind as H, Intrinsic};
use crate::registry::Dtype;
use crate::types::{ArrayType, Type};

/// What the loop computes per element: an expression tree, or the value of one leaf (a copy).
#[derive(Clone, Copy)]
pub(super) enum Tree<'e> {
    Expr(&'e hir::Expr),
    Leaf(ExprId),
    /// `target op value` of an augmented assignment (`a += b`): the target is the leaf
    /// [`TARGET_LEAF`], the operation computes in `dtype` (the type inference gave `a op b`).
    Aug {
        op: BinOp,
        dtype: Dtype,
        value: &'e hir::Expr,
    },
}

/// What `target[index] = rhs` stores into a view: an expression not evaluated yet (its
/// elementwise operators are fused into the loop), or a value of a type, evaluated.
pub(super) enum Rhs<'e, 'ctx> {
    Expr(&'e hir::Expr),
    Value(BasicValueEnum<'ctx>, Type),
}

/// Which loop nests an elementwise loop is made of.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Nests {
    /// The contiguous copy alone: it is right whatever the operands' sizes and strides (one C
    /// array of the result's shape, see [`FnGen::elementwise_new`]; a number, or the target
    /// itself, into a view whose last axis steps by one, see `nests_for`).
    Contiguous,
    /// The strided copy alone: an operand's last axis is strided by construction (`x[:, :, k]`),
    /// so the contiguous one would almost never run (the strided one is right for every case).
    Strided,
    /// Both, the contiguous one when every last axis steps by its item size at run time.
    Both,
}

/// What is known of a target's last axis from how its view is written.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum TargetAxis {
    /// Nothing (a local array not of layout C, an `out=`, a gather of a fancy index).
    Any,
    /// Strided by construction: [`FnGen::index_strides_last_axis`].
    Strided,
    /// The last axis of a C array, stepping by one: [`FnGen::index_keeps_last_axis_contiguous`].
    Contiguous,
}

/// The leaf id an evaluated value is read by (no expression has it).
const VALUE_LEAF: ExprId = ExprId::MAX;
/// The leaf id the target of an augmented assignment is read by.
const TARGET_LEAF: ExprId = ExprId::MAX - 1;

/// A leaf of an array expression, evaluated before its loop.
pub(super) enum Leaf<'ctx> {
    /// A scalar: its value and type.
    Scalar(BasicValueEnum<'ctx>, Type),
    /// An array: its value and type, whether its last axis has size 1 by construction
    /// (`a[:, None]` of a 1-D `a`, a 0-d array: the loop reads it once per row), and whether
    /// its last axis is strided by construction (`x[:, :, k]`: [`FnGen::index_strides_last_axis`]),
    /// and the local array it is a view of, when it is one ([`Base`]).
    Array(BasicValueEnum<'ctx>, ArrayType, bool, bool, Option<Base<'ctx>>),
}

/// The local array variable an array leaf or an assignment's target reads or writes through
/// (`x` of `x[1:-1, j]`, or `x` itself) and its value: the overlap check asks first whether two
/// different variables' whole arrays meet, which does not change in a loop that only indexes them.
#[derive(Clone, Copy)]
pub(super) struct Base<'ctx> {
    pub(super) id: hir::LocalId,
    pub(super) value: inkwell::values::StructValue<'ctx>,
    pub(super) ty: ArrayType,
}

/// An array leaf as the loop reads it: where its elements are, its dtype, and its stride along
/// each axis of the result (0 along the axes it is broadcast on).
#[derive(Clone)]
pub(super) struct Operand<'ctx> {
    pub(super) data: PointerValue<'ctx>,
    pub(super) dtype: Dtype,
    pub(super) strides: Vec<IntValue<'ctx>>,
    /// Whether its last axis is broadcast (size 1), and whether it steps by the item size: the
    /// contiguous copy runs when no operand's is broadcast and every one steps by its item size.
    pub(super) last_broadcast: IntValue<'ctx>,
    pub(super) last_unit: IntValue<'ctx>,
    /// Its last axis has size 1 by construction ([`Leaf::Array`]): the contiguous copy takes it
    /// too, reading it without the last index.
    pub(super) last_one: bool,
}

impl<'a, 'ctx> FnGen<'a, 'ctx> {
    /// Whether `e` is an elementwise operator node: an operator whose result is an array (not a matrix product).
    pub(super) fn is_elementwise(&self, e: &hir::Expr) -> bool {
        matches!(self.spec.expr_types[e.id as usize], Type::Array(_))
            && !matches!(e.kind, H::Binary { op: BinOp::MatMul | BinOp::Dot, .. })
            && matches!(
                e.kind,
                H::Binary { .. }
                    | H::Unary { .. }
                    | H::Compare { .. }
                    | H::Intrinsic { f: Intrinsic::Np(_) | Intrinsic::Abs | Intrinsic::Ufunc(_), .. }
            )
    }

    /// The elementwise expression `e`, of array type `a`: a new array holding it.
    pub(super) fn elementwise_new(&mut self, e: &hir::Expr, a: ArrayType) -> BasicValueEnum<'ctx> {
        let mut leaves = Vec::new();
        self.eval_leaves(e, &mut leaves);
        let shape = self.broadcast_shape(&leaves, a.ndim as usize);
        let (out, data, _) = self.alloc_c(&a, &shape, false);
        self.own_temp(e.id, out, &Type::Array(a));
        let out_strides = self.strides(out.into_struct_value(), &a);
        let target = self.operand_of(data, a.dtype, out_strides, &shape);
        // One array leaf, C-contiguous and of the result's dimensions (`a * 2.0 + 1.0`,
        // `np.tanh(a)`): it has the result's shape, so nothing is broadcast, and both step by
        // their item size along a last axis of two or more elements (NumPy's C order; along an
        // axis of one element the one index is 0, whatever the stride). The contiguous loop is
        // then the only one needed: the strided copy is not generated.
        let arrays: Vec<&ArrayType> = leaves
            .iter()
            .filter_map(|(_, l)| match l {
                Leaf::Array(_, t, ..) => Some(t),
                Leaf::Scalar(..) => None,
            })
            .collect();
        let whole_c = matches!(arrays[..], [t] if t.layout == crate::types::Layout::C && t.ndim == a.ndim);
        let nests = match whole_c {
            true => Nests::Contiguous,
            false => nests_for(&leaves, TargetAxis::Any),
        };
        let (operands, scalars) = self.operands_of_leaves(&leaves, shape.len());
        self.fill_operands(Tree::Expr(e), &operands, &scalars, &shape, &target, a, nests);
        out
    }

    /// Whether the assignment target `array[index]` is a view (slices, or fewer integers than axes), as inference decided.
    pub(super) fn target_is_view(&self, array: &hir::Expr, index: &hir::Expr) -> bool {
        let Type::Array(a) = self.ty(array) else { return false };
        if matches!(self.spec.expr_types[index.id as usize], Type::Array(_)) {
            return false; // an index array: `codegen::fancy`
        }
        let it = match index.kind {
            H::Tuple(_) | H::Slice { .. } => Type::Unknown,
            _ => self.spec.expr_types[index.id as usize].clone(),
        };
        crate::infer::is_view(&a, index, &it)
    }

    /// `array[index] = rhs` into the view `array[index]`: a number into every element, or an
    /// array broadcast to the view's shape (NumPy's ValueError when it does not), converted to
    /// its dtype. When an array read overlaps the view other than element for element, the value
    /// is made in a temporary first, as NumPy's assignment sees it whole before writing.
    pub(super) fn assign_view(&mut self, array: &hir::Expr, index: &hir::Expr, rhs: Rhs<'_, 'ctx>) {
        // The value first, then the target, as Python evaluates them.
        let mut leaves = Vec::new();
        let tree = match rhs {
            Rhs::Expr(e) => {
                self.eval_leaves(e, &mut leaves);
                Tree::Expr(e)
            }
            Rhs::Value(v, t) => {
                let leaf = match t {
                    Type::Array(a) => Leaf::Array(v, a, a.ndim == 0, false, None),
                    t => Leaf::Scalar(v, t.carrier()),
                };
                leaves.push((VALUE_LEAF, leaf));
                Tree::Leaf(VALUE_LEAF)
            }
        };
        let (view, view_t) = self.target_view(array, index);
        let axis = self.target_axis(array, Some(index));
        let base = self.base_of(array);
        self.write_view((view, base), view_t, &leaves, tree, axis);
    }

    /// `target op= value` for an array target: the local array itself (`array` with no
    /// `index`) or the view `array[index]`, written in place as NumPy's `np.add(a, b, out=a)`
    /// writes (through a temporary when `value` overlaps it other than element for element).
    pub(super) fn aug_assign_view(&mut self, array: &hir::Expr, index: Option<&hir::Expr>, op: BinOp, value: &hir::Expr) {
        // The target first, then the value, as Python evaluates them.
        let (view, view_t) = match index {
            Some(index) => self.target_view(array, index),
            None => {
                let Type::Array(a) = self.ty(array) else { unreachable!("inference allows arrays only") };
                (self.expr(array), a)
            }
        };
        let axis = self.target_axis(array, index);
        let base = self.base_of(array);
        let mut leaves = vec![(TARGET_LEAF, Leaf::Array(view, view_t, false, axis == TargetAxis::Strided, base))];
        self.eval_leaves(value, &mut leaves);
        let Type::Array(result) = self.aug_type(value) else { unreachable!("an array's augmented assignment is an array") };
        self.write_view((view, base), view_t, &leaves, Tree::Aug { op, dtype: result.dtype, value }, axis);
    }

    /// `array[index] op= value` with an index array: NumPy's `array[index] = array[index] op
    /// value`: the selected elements gathered into a new array, `op value` applied to it in
    /// place, and stored back (with an integer index repeating a position, the last store wins).
    pub(super) fn fancy_aug(&mut self, array: &hir::Expr, index: &hir::Expr, op: BinOp, value: &hir::Expr) {
        let (Type::Array(at), Type::Array(it)) = (self.ty(array), self.ty(index)) else { unreachable!("inference checked") };
        let gathered_t = crate::infer::fancy_index_type(at, it, index.span).expect("inference checked the index");
        let gathered = self.fancy_load(array, index, gathered_t);
        let mut leaves = vec![(TARGET_LEAF, Leaf::Array(gathered, gathered_t, false, false, None))];
        self.eval_leaves(value, &mut leaves);
        let Type::Array(result) = self.aug_type(value) else { unreachable!("an array's augmented assignment is an array") };
        self.write_view((gathered, None), gathered_t, &leaves, Tree::Aug { op, dtype: result.dtype, value }, TargetAxis::Any);
        self.fancy_store_from(array, index, gathered, &Type::Array(gathered_t), true);
        self.decref(gathered, &Type::Array(gathered_t));
    }

    /// `np.f(..., out=o)`: the value's operands evaluated (before `o`, as Python evaluates the
    /// positional arguments before the keyword), then written into `o` as `o[...] = value`
    /// writes; `o` is the result (borrowed, as a local's value).
    pub(super) fn write_out(&mut self, value: &hir::Expr, out: &hir::Expr) -> BasicValueEnum<'ctx> {
        let Type::Array(out_t) = self.ty(out) else { unreachable!("inference checked out=") };
        let mut leaves = Vec::new();
        self.eval_leaves(value, &mut leaves);
        let o = self.expr(out);
        self.write_view((o, None), out_t, &leaves, Tree::Expr(value), TargetAxis::Any);
        o
    }

    /// Writes the array `src` (of type `src_t`, broadcast to the view's shape) into `view`,
    /// converted to its dtype, as `view[...] = src` does.
    pub(super) fn write_array_into(
        &mut self,
        (view, view_t): (BasicValueEnum<'ctx>, ArrayType),
        (src, src_t): (BasicValueEnum<'ctx>, ArrayType),
    ) {
        let leaves = [(VALUE_LEAF, Leaf::Array(src, src_t, src_t.ndim == 0, false, None))];
        self.write_view((view, None), view_t, &leaves, Tree::Leaf(VALUE_LEAF), TargetAxis::Any);
    }

    /// The view `array[index]` an assignment writes into, and its type.
    fn target_view(&mut self, array: &hir::Expr, index: &hir::Expr) -> (BasicValueEnum<'ctx>, ArrayType) {
        let Type::Array(a) = self.ty(array) else { unreachable!("inference allows arrays only") };
        let items = match &index.kind {
            H::Tuple(items) => items.len(),
            _ => crate::infer::tuple_value_len(index, &self.ty(index)).unwrap_or(1),
        };
        let (slices, new) = (hir_slices(index), crate::infer::new_axes(index) as u8);
        let view_t = ArrayType { ndim: a.ndim - (items as u8 - new) + slices + new, layout: crate::types::Layout::A, ..a };
        (self.array_view(array, index, Type::Array(view_t)), view_t)
    }

    /// What the view `array[index]` (or the local array `array`) is known to be along its
    /// last axis.
    fn target_axis(&self, array: &hir::Expr, index: Option<&hir::Expr>) -> TargetAxis {
        match index {
            Some(index) if self.index_strides_last_axis(array, index) => TargetAxis::Strided,
            Some(index) if self.index_keeps_last_axis_contiguous(array, index) => TargetAxis::Contiguous,
            None if matches!(self.ty(array), Type::Array(a) if a.layout == crate::types::Layout::C) => TargetAxis::Contiguous,
            _ => TargetAxis::Any,
        }
    }

    /// Writes what `tree` computes from `leaves` into the view `view` (of type `view_t`; of the
    /// local array `base` when it is one; `axis`: what its last axis is known to be).
    fn write_view(
        &mut self,
        (view, base): (BasicValueEnum<'ctx>, Option<Base<'ctx>>),
        view_t: ArrayType,
        leaves: &[(ExprId, Leaf<'ctx>)],
        tree: Tree<'_>,
        axis: TargetAxis,
    ) {
        if view_t.readonly {
            self.read_only_error();
            return;
        }
        let ndim = view_t.ndim as usize;
        let sv = view.into_struct_value();
        let shape: Vec<IntValue<'ctx>> = (0..ndim).map(|k| self.dim(sv, field::SHAPE, k as u32)).collect();
        let target = self.operand(view, &view_t, ndim);
        self.check_broadcast_into(leaves, &shape);
        let (operands, scalars) = self.operands_of_leaves(leaves, ndim);
        if self.spec_array_type(tree, leaves).is_none() {
            // A number: nothing it reads can overlap.
            self.fill_operands(tree, &operands, &scalars, &shape, &target, view_t, nests_for(leaves, axis));
            return;
        }
        // When the value reads memory the target covers (other than element for element), the
        // loop writes a new C-contiguous array instead, copied into the target afterwards (the
        // rare path; one allocation and one runtime helper call however many arrays the value
        // reads): NumPy's whole value before any write.
        // The target of an augmented assignment, read as a leaf, is the target itself: element
        // for element.
        let arrays: Vec<super::overlap::Checked<'ctx>> = leaves
            .iter()
            .filter_map(|(id, l)| match l {
                Leaf::Array(v, a, .., b) if *id != TARGET_LEAF => Some((v.into_struct_value(), *a, *b)),
                _ => None,
            })
            .collect();
        let overlap = self.overlaps(&arrays, (sv, view_t, base));
        let before = self.b().get_insert_block().expect("a current block");
        let (temp_bb, join) = (self.block_named("assign.temp"), self.block_named("assign.join"));
        self.branch_cold(overlap, temp_bb, join, super::Cold::Then);
        self.b().position_at_end(temp_bb);
        let temp_t = ArrayType { layout: crate::types::Layout::C, readonly: false, ..view_t };
        let (temp, _, _) = self.alloc_c(&temp_t, &shape, false);
        let temp_op = self.operand(temp, &temp_t, ndim);
        let temp_header = self.b().build_extract_value(temp.into_struct_value(), super::refs::MEMINFO, "temp.header").u();
        let after_alloc = self.b().get_insert_block().expect("a current block");
        self.b().build_unconditional_branch(join).u();
        self.b().position_at_end(join);
        let ptr_t = self.ctx().ptr_type(inkwell::AddressSpace::default());
        let b = self.b();
        let merge_ptr = |orig: PointerValue<'ctx>, new: PointerValue<'ctx>, name: &str| {
            let phi = b.build_phi(ptr_t, name).u();
            phi.add_incoming(&[(&orig, before), (&new, after_alloc)]);
            phi.as_basic_value().into_pointer_value()
        };
        let merge_int = |orig: IntValue<'ctx>, new: IntValue<'ctx>, name: &str| {
            let phi = b.build_phi(orig.get_type(), name).u();
            phi.add_incoming(&[(&orig, before), (&new, after_alloc)]);
            phi.as_basic_value().into_int_value()
        };
        let mut dest = target.clone();
        dest.data = merge_ptr(target.data, temp_op.data, "dest.data");
        for (s, t) in dest.strides.iter_mut().zip(&temp_op.strides) {
            *s = merge_int(*s, *t, "dest.stride");
        }
        dest.last_broadcast = merge_int(target.last_broadcast, temp_op.last_broadcast, "dest.lastone");
        dest.last_unit = merge_int(target.last_unit, temp_op.last_unit, "dest.lastunit");
        let header = merge_ptr(ptr_t.const_null(), temp_header.into_pointer_value(), "temp.held");
        self.fill_operands(tree, &operands, &scalars, &shape, &dest, view_t, nests_for(leaves, axis));
        // The temporary's elements into the target, and the temporary freed.
        let (store_bb, done) = (self.block_named("assign.store"), self.block_named("assign.done"));
        let used = self.b().build_is_not_null(header, "temp.used").u();
        self.branch_cold(used, store_bb, done, super::Cold::Then);
        self.b().position_at_end(store_bb);
        let temp_data = dest.data;
        self.store_strided(target.data, temp_data, &shape, &target.strides, view_t.dtype.size());
        self.count(header, true);
        self.b().build_unconditional_branch(done).u();
        self.b().position_at_end(done);
    }

    /// The array type of what `tree` computes (`None` for a number).
    fn spec_array_type(&self, tree: Tree<'_>, leaves: &[(ExprId, Leaf<'ctx>)]) -> Option<ArrayType> {
        match tree {
            Tree::Expr(e) => self.spec.expr_types[e.id as usize].array(),
            Tree::Leaf(id) => leaves.iter().find(|(i, _)| *i == id).and_then(|(_, l)| match l {
                Leaf::Array(_, a, ..) => Some(*a),
                Leaf::Scalar(..) => None,
            }),
            Tree::Aug { dtype, .. } => Some(ArrayType { dtype, ndim: 0, layout: crate::types::Layout::C, readonly: false }),
        }
    }

    /// Evaluates the leaves of the tree under `e` (the subexpressions that are not elementwise
    /// operators), left to right, into `out`.
    fn eval_leaves(&mut self, e: &hir::Expr, out: &mut Vec<(ExprId, Leaf<'ctx>)>) {
        if self.is_elementwise(e) {
            match &e.kind {
                H::Binary { left, right, .. } => {
                    self.eval_leaves(left, out);
                    self.eval_leaves(right, out);
                }
                H::Unary { operand, .. } => self.eval_leaves(operand, out),
                H::Compare { left, comparators, .. } => {
                    self.eval_leaves(left, out);
                    self.eval_leaves(&comparators[0], out);
                }
                H::Intrinsic { args, .. } => args.iter().for_each(|a| self.eval_leaves(a, out)),
                _ => unreachable!("is_elementwise"),
            }
            return;
        }
        let v = self.expr(e);
        let leaf = match self.spec.expr_types[e.id as usize] {
            Type::Array(a) => {
                let strided = matches!(&e.kind, H::Subscript { value, index } if self.index_strides_last_axis(value, index));
                let base = match &e.kind {
                    H::Subscript { value, .. } => self.base_of(value),
                    _ => self.base_of(e),
                };
                Leaf::Array(v, a, a.ndim == 0 || self.last_axis_is_new(e), strided, base)
            }
            _ => Leaf::Scalar(v, self.ty(e)),
        };
        out.push((e.id, leaf));
    }

    /// The local array `e` reads, when it is one ([`Base`]).
    fn base_of(&self, e: &hir::Expr) -> Option<Base<'ctx>> {
        let H::Local { id, .. } = e.kind else { return None };
        let Type::Array(ty) = self.spec.local_types[id as usize] else { return None };
        let lt = self.module_gen.llty(&Type::Array(ty));
        // Read again (no check: the expression itself was read first and checked).
        let value = self.b().build_load(lt, self.locals[id as usize], "base").u().into_struct_value();
        Some(Base { id, value, ty })
    }

    /// The array leaf `v` (of type `a`) read along the `ndim` axes of the result.
    fn operand(&self, v: BasicValueEnum<'ctx>, a: &ArrayType, ndim: usize) -> Operand<'ctx> {
        let sv = v.into_struct_value();
        let strides = self.strides(sv, a);
        let mut out = vec![self.i64(0); ndim];
        let mut shape = vec![self.i64(1); ndim];
        for k in 0..a.ndim as usize {
            let d = self.dim(sv, field::SHAPE, k as u32);
            let one = self.b().build_int_compare(IntPredicate::EQ, d, self.i64(1), "bcast").u();
            out[ndim - a.ndim as usize + k] = self.b().build_select(one, self.i64(0), strides[k], "bstride").u().into_int_value();
            shape[ndim - a.ndim as usize + k] = d;
        }
        let data = self.b().build_extract_value(sv, field::DATA, "data").u().into_pointer_value();
        self.operand_of(data, a.dtype, out, &shape)
    }

    /// An operand from its data, dtype, strides and sizes along the result's axes.
    fn operand_of(
        &self,
        data: PointerValue<'ctx>,
        dtype: Dtype,
        strides: Vec<IntValue<'ctx>>,
        shape: &[IntValue<'ctx>],
    ) -> Operand<'ctx> {
        let (last_broadcast, last_unit) = match (shape.last(), strides.last()) {
            (Some(d), Some(s)) => {
                let b = self.b();
                (
                    b.build_int_compare(IntPredicate::EQ, *d, self.i64(1), "lastone").u(),
                    b.build_int_compare(IntPredicate::EQ, *s, self.i64(dtype.size() as i64), "lastunit").u(),
                )
            }
            _ => (self.ctx().bool_type().const_zero(), self.ctx().bool_type().const_zero()),
        };
        Operand { data, dtype, strides, last_broadcast, last_unit, last_one: false }
    }

    /// The loop's view of `leaves` along the `ndim` axes of the result: each array's operand (by
    /// leaf), and the numbers.
    #[allow(clippy::type_complexity)]
    fn operands_of_leaves(
        &self,
        leaves: &[(ExprId, Leaf<'ctx>)],
        ndim: usize,
    ) -> (Vec<(ExprId, Option<Operand<'ctx>>)>, Vec<(ExprId, BasicValueEnum<'ctx>, Type)>) {
        let operands = leaves
            .iter()
            .map(|(id, leaf)| match leaf {
                Leaf::Array(v, a, last_one, ..) => (*id, Some(Operand { last_one: *last_one, ..self.operand(*v, a, ndim) })),
                Leaf::Scalar(..) => (*id, None),
            })
            .collect();
        let scalars = leaves
            .iter()
            .filter_map(|(id, leaf)| match leaf {
                Leaf::Scalar(v, t) => Some((*id, *v, t.clone())),
                Leaf::Array(..) => None,
            })
            .collect();
        (operands, scalars)
    }

    /// Writes the tree `e` over `shape` into `target` (of type `out`), from the loop's view of
    /// its leaves (`operands_of_leaves`); under `parallel=True`, a large nest runs on the pool
    /// (`parallel_nest`). `nests`: which copies of the loop are made.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn fill_operands(
        &mut self,
        e: Tree<'_>,
        operands: &[(ExprId, Option<Operand<'ctx>>)],
        scalars: &[(ExprId, BasicValueEnum<'ctx>, Type)],
        shape: &[IntValue<'ctx>],
        target: &Operand<'ctx>,
        out: ArrayType,
        nests: Nests,
    ) {
        let pooled = self.parallel_nest(e, operands, scalars, shape, target, out);
        if shape.is_empty() || nests == Nests::Strided {
            self.fill_nest(e, operands, scalars, shape, target, out, false);
        } else if nests == Nests::Contiguous {
            self.fill_nest(e, operands, scalars, shape, target, out, true);
        } else {
            // The contiguous copy: every array's last axis (and the target's) steps by its item
            // size. (A broadcast last axis takes the strided copy: read through a select there,
            // LLVM makes gathers of the contiguous loop, which ran slower.)
            let mut all = self.ctx().bool_type().const_int(1, false);
            for op in operands.iter().filter_map(|(_, o)| o.as_ref()).chain(std::iter::once(target)) {
                if op.last_one {
                    continue;
                }
                let not_broadcast = self.b().build_not(op.last_broadcast, "lastnb").u();
                let ok = self.b().build_and(not_broadcast, op.last_unit, "lastok").u();
                all = self.b().build_and(all, ok, "contig").u();
            }
            let (fast, general, done) =
                (self.block_named("ew.contig"), self.block_named("ew.strided"), self.block_named("ew.done"));
            self.b().build_conditional_branch(all, fast, general).u();
            self.b().position_at_end(fast);
            self.fill_nest(e, operands, scalars, shape, target, out, true);
            self.b().build_unconditional_branch(done).u();
            self.b().position_at_end(general);
            self.fill_nest(e, operands, scalars, shape, target, out, false);
            self.b().build_unconditional_branch(done).u();
            self.b().position_at_end(done);
        }
        if let Some(joined) = pooled {
            self.b().build_unconditional_branch(joined).u();
            self.b().position_at_end(joined);
        }
    }

    /// One loop nest of [`FnGen::fill`]; `contiguous`: the last axis of every array steps by its
    /// item size, and is addressed by element index.
    #[allow(clippy::too_many_arguments)]
    fn fill_nest(
        &mut self,
        e: Tree<'_>,
        operands: &[(ExprId, Option<Operand<'ctx>>)],
        scalars: &[(ExprId, BasicValueEnum<'ctx>, Type)],
        shape: &[IntValue<'ctx>],
        target: &Operand<'ctx>,
        out: ArrayType,
        contiguous: bool,
    ) {
        let was = std::mem::replace(&mut self.elementwise, true);
        let kind = if contiguous { NestKind::Parallel } else { NestKind::Plain };
        self.loop_nest_with(shape, kind, &mut |fn_gen, idx| {
            let mut values: Vec<(ExprId, BasicValueEnum<'ctx>, Type)> = scalars.to_vec();
            for (id, op) in operands {
                if let Some(op) = op {
                    let at = fn_gen.element_at(op, idx, contiguous);
                    let v = fn_gen.load_element(at, op.dtype);
                    values.push((*id, v, op.dtype.element().carrier()));
                }
            }
            let (v, t) = match e {
                Tree::Expr(e) => fn_gen.element(e, &values),
                Tree::Leaf(id) => {
                    let (_, v, t) = values.iter().find(|(i, ..)| *i == id).expect("the leaf was read");
                    (*v, t.clone())
                }
                Tree::Aug { op, dtype, value } => fn_gen.aug_element(op, dtype, value, &values),
            };
            let at = fn_gen.element_at(target, idx, contiguous);
            fn_gen.store_element(at, out, v, &t);
        });
        self.elementwise = was;
    }

    /// The address of `op`'s element at `idx`.
    fn element_at(&self, op: &Operand<'ctx>, idx: &[IntValue<'ctx>], contiguous: bool) -> PointerValue<'ctx> {
        let n = idx.len();
        if !contiguous {
            return self.address(op.data, idx, &op.strides);
        }
        let row = self.address(op.data, &idx[..n - 1], &op.strides[..n - 1]);
        if op.last_one {
            return row;
        }
        let elem = self.module_gen.dtype_llty(op.dtype);
        unsafe { self.b().build_in_bounds_gep(elem, row, &[idx[n - 1]], "elem") }.u()
    }

    /// One element of the tree `e`, from its leaves' `values`: its value and compute type.
    fn element(&mut self, e: &hir::Expr, values: &[(ExprId, BasicValueEnum<'ctx>, Type)]) -> (BasicValueEnum<'ctx>, Type) {
        if !self.is_elementwise(e) {
            let (_, v, t) = values.iter().find(|(id, ..)| *id == e.id).expect("every leaf was read");
            return (*v, t.clone());
        }
        let Type::Array(a) = self.spec.expr_types[e.id as usize] else { unreachable!("is_elementwise") };
        let ty = a.dtype.element().carrier();
        let v = match &e.kind {
            H::Binary { op, left, right } => {
                let ((l, lt), (r, rt)) = self.operands_of(left, right, values, Some(a.dtype));
                self.binary(numpy_op(a.dtype, *op), l, &lt, r, &rt, &ty)
            }
            H::Unary { op, operand } => {
                let (x, xt) = self.element(operand, values);
                let x = self.cast(x, &xt, &ty);
                let b = self.b();
                match (op, &ty) {
                    (UnaryOp::Pos, _) => x,
                    (UnaryOp::Neg, Type::Float64) => b.build_float_neg(x.into_float_value(), "neg").u().into(),
                    (UnaryOp::Neg, Type::Complex128) => self.complex_neg(x),
                    (UnaryOp::Neg, _) => b.build_int_sub(self.i64(0), x.into_int_value(), "neg").u().into(),
                    (UnaryOp::Invert, Type::Bool) => b.build_not(x.into_int_value(), "not").u().into(),
                    (UnaryOp::Invert, _) => b.build_xor(x.into_int_value(), self.i64(-1), "inv").u().into(),
                    (UnaryOp::Not, _) => unreachable!("inference rejects `not` of an array"),
                }
            }
            H::Compare { left, ops, comparators } => {
                let ((l, lt), (r, rt)) = self.operands_of(left, &comparators[0], values, None);
                return (self.compare(ops[0], l, &lt, r, &rt).into(), Type::Bool);
            }
            H::Intrinsic { f: Intrinsic::Np(f), args } => {
                // A number beside arrays is converted to the dtype the function computes in, as
                // NumPy converts it (not the condition of `where`, nor a logical function's).
                let kind = crate::infer::ufunc_kind(*f);
                let mut vals = Vec::with_capacity(args.len());
                for (k, arg) in args.iter().enumerate() {
                    let (v, vt) = self.element(arg, values);
                    let number = self.spec.expr_types[arg.id as usize].array().is_none();
                    let converted = number
                        && kind != crate::infer::UfuncKind::Bool
                        && !(kind == crate::infer::UfuncKind::Where && k == 0)
                        && !(*f == hir::NpFn::Round && k == 1);
                    if converted {
                        let v = self.cast(v, &vt, &ty);
                        vals.push((self.wrap(v, a.dtype), ty.clone()));
                    } else {
                        vals.push((v, vt));
                    }
                }
                if *f == hir::NpFn::Round && a.dtype == Dtype::Float32 {
                    // Its element, carried as float64: `round` computes in float32 as NumPy.
                    vals[0].1 = Type::Float32;
                }
                self.np_value(*f, &vals, &ty)
            }
            // A `@vectorize` object's kernel on each element (`vectorize.rs`), of its dtype.
            H::Intrinsic { f: Intrinsic::Ufunc(k), args } => {
                let vals = args.iter().map(|arg| self.element(arg, values)).collect();
                return self.ufunc_value(e, *k, args, vals);
            }
            // The builtin `abs` of an array is NumPy's `absolute`.
            H::Intrinsic { f: Intrinsic::Abs, args } => {
                let (v, vt) = self.element(&args[0], values);
                self.np_value(hir::NpFn::Abs, &[(v, vt)], &ty)
            }
            _ => unreachable!("is_elementwise"),
        };
        (self.wrap(v, a.dtype), ty)
    }

    /// One element of `target op value` computed in `dtype` (the target's element is the leaf
    /// [`TARGET_LEAF`]; a number `value` is converted to `dtype` first, as NumPy converts it).
    fn aug_element(
        &mut self,
        op: BinOp,
        dtype: Dtype,
        value: &hir::Expr,
        values: &[(ExprId, BasicValueEnum<'ctx>, Type)],
    ) -> (BasicValueEnum<'ctx>, Type) {
        let (_, l, lt) = values.iter().find(|(i, ..)| *i == TARGET_LEAF).expect("the target was read").clone();
        let (r, rt) = self.element(value, values);
        let ty = dtype.element().carrier();
        let (r, rt) = if self.spec.expr_types[value.id as usize].array().is_none() {
            let r = self.cast(r, &rt, &ty);
            (self.wrap(r, dtype), ty.clone())
        } else {
            (r, rt)
        };
        let v = self.binary(numpy_op(dtype, op), l, &lt, r, &rt, &ty);
        (self.wrap(v, dtype), ty)
    }

    /// The elements of a binary node's two operands. A scalar operand beside an array is first
    /// converted to the dtype NumPy's loop computes in, as NumPy converts a Python number:
    /// `loop_dtype`, the operation's result dtype (`float32_array * 1.1` multiplies by float32(1.1);
    /// `uint8_array / -1` divides in float64 by -1.0), or for a comparison (`loop_dtype` None) the
    /// operands' common dtype when it is a float (`float32_array == 1.1` is true where the
    /// element is float32(1.1)); a comparison with an integer dtype compares the number exactly
    /// (NumPy 2: `uint8_array < -1` is false).
    #[allow(clippy::type_complexity)]
    fn operands_of(
        &mut self,
        left: &hir::Expr,
        right: &hir::Expr,
        values: &[(ExprId, BasicValueEnum<'ctx>, Type)],
        loop_dtype: Option<Dtype>,
    ) -> ((BasicValueEnum<'ctx>, Type), (BasicValueEnum<'ctx>, Type)) {
        let (lt, rt) = (self.spec.expr_types[left.id as usize].clone(), self.spec.expr_types[right.id as usize].clone());
        let common = loop_dtype.or_else(|| crate::infer::elementwise_dtype(&lt, &rt).filter(|d| d.is_float() || d.is_complex()));
        let side = |fn_gen: &mut Self, e: &hir::Expr, t: &Type| {
            let (v, vt) = fn_gen.element(e, values);
            match common {
                Some(d) if t.array().is_none() => {
                    let ct = d.element().carrier();
                    let v = fn_gen.cast(v, &vt, &ct);
                    (fn_gen.wrap(v, d), ct)
                }
                _ => (v, vt),
            }
        };
        let l = side(self, left, &lt);
        let r = side(self, right, &rt);
        (l, r)
    }

    /// `v`, computed in `dtype`'s compute type, as a value of `dtype`: an integer narrower than
    /// 64 bits keeps its low bits (sign- or zero-extended again), a float32 is rounded.
    pub(super) fn wrap(&self, v: BasicValueEnum<'ctx>, dtype: Dtype) -> BasicValueEnum<'ctx> {
        match dtype {
            Dtype::Float32 => self.round_f32(v),
            Dtype::Complex64 => self.round_c64(v),
            Dtype::Bool | Dtype::Int64 | Dtype::UInt64 | Dtype::Float64 | Dtype::Complex128 => v,
            d => {
                let narrow = self.module_gen.dtype_llty(d).into_int_type();
                let b = self.b();
                let t = b.build_int_truncate(v.into_int_value(), narrow, "wrap").u();
                let i64t = self.ctx().i64_type();
                if d.is_signed() {
                    b.build_int_s_extend(t, i64t, "wrap.s").u().into()
                } else {
                    b.build_int_z_extend(t, i64t, "wrap.u").u().into()
                }
            }
        }
    }
}

/// The operator NumPy applies for `op` in `dtype`: `+` and `*` of bools are `or` and `and`.
fn numpy_op(dtype: Dtype, op: BinOp) -> BinOp {
    match (dtype, op) {
        (Dtype::Bool, BinOp::Add) => BinOp::BitOr,
        (Dtype::Bool, BinOp::Mul) => BinOp::BitAnd,
        _ => op,
    }
}

/// How many slices an index holds.
fn hir_slices(index: &hir::Expr) -> u8 {
    let items: Vec<&hir::Expr> = match &index.kind {
        H::Tuple(items) => items.iter().collect(),
        _ => vec![index],
    };
    items.iter().filter(|e| matches!(e.kind, H::Slice { .. })).count() as u8
}

/// The loop nests for `leaves` written into a target whose last axis is `axis`: the strided
/// copy alone when it or a leaf is strided by construction; the contiguous copy alone when the
/// target's last axis steps by one and no other array is read (a number, or `t[...] op= number`
/// reading the target itself: nothing is broadcast); else both.
fn nests_for(leaves: &[(ExprId, Leaf<'_>)], axis: TargetAxis) -> Nests {
    let strided = leaves.iter().any(|(_, l)| matches!(l, Leaf::Array(_, _, _, true, _)));
    let others = leaves.iter().any(|(id, l)| matches!(l, Leaf::Array(..)) && *id != TARGET_LEAF);
    match axis {
        TargetAxis::Strided => Nests::Strided,
        _ if strided => Nests::Strided,
        TargetAxis::Contiguous if !others => Nests::Contiguous,
        _ => Nests::Both,
    }
}
