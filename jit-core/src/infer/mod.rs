//! Type inference stage (Numba's "typeinfer"): [`hir::Function`]s + argument types →
//! [`TypedProgram`], a type for every local and expression of every specialization reached.
//!
//! Types only widen (bool ⊂ int ⊂ float), so a fixpoint over the whole program converges in a
//! few rounds. Recursive calls start with an unknown return type, which later rounds fill in.

use std::collections::HashMap;

use crate::ast::{BinOp, Span};
use crate::error::{CompileError, Result};
use crate::flow;
use crate::hir::{self, ExprId, ExprKind as H, FuncId, StmtKind as S};
use crate::types::Type;

mod arrays;
mod assign;
mod builtins;
mod constant;
mod dicts;
mod functions;
mod generator;
mod iterators;
mod linalg;
mod lists;
mod named_tuples;
pub use functions::const_type;
pub use named_tuples::BOUND_METHOD;
mod optional;
pub(crate) use arrays::{fancy_index_type, normalized_axes};
pub(crate) use assign::row_type;
pub(crate) use subscript::{is_int_index, one_array_among_ints_and_slices, one_index_among_full_slices, MixedIndex};
mod ops;
mod pointers;
mod random;
mod ranges;
mod strings;
mod subscript;
mod ufuncs;
mod vectorize;

pub(crate) use arrays::{is_view, new_axes, tuple_value_len};
pub(crate) use ops::{dot_scalar_dtype, elementwise_dtype, DotOperand};
pub(crate) use ufuncs::{kind as ufunc_kind, Kind as UfuncKind};
pub(crate) use vectorize::{gufunc_loop, ufunc_loop};

pub type SpecId = usize;

/// One function compiled for one tuple of argument types.
#[derive(Clone, Debug, PartialEq)]
pub struct TypedFunction {
    pub func: FuncId,
    pub arg_types: Vec<Type>,
    pub local_types: Vec<Type>,
    /// The type of every expression, by [`ExprId`]. For an operator or a call it is the type its
    /// result is computed in (a `**` typed float64 is a float power), which codegen reads and
    /// never works out again.
    pub expr_types: Vec<Type>,
    /// For each augmented assignment (`x op= v` and `a[i] op= v`), keyed by the id of `v`: the
    /// type of `x op v`, typed as that binary expression would be (it has no id of its own).
    pub aug_types: HashMap<ExprId, Type>,
    pub ret: Type,
    /// For each call expression: the specialization it calls.
    pub call_targets: HashMap<ExprId, SpecId>,
    /// The expressions whose value is optional but read as its inner type (their
    /// [`TypedFunction::expr_types`] entry): each with the optional type it computes, unwrapped
    /// and checked by codegen (`infer/optional.rs`).
    pub unwraps: HashMap<ExprId, Type>,
    /// The `x is None` tests whose answer the types give: an `if` (or conditional expression)
    /// on one has only the branch taken typed and compiled, as Numba prunes such branches.
    pub known_tests: HashMap<ExprId, bool>,
    /// The attribute reads (`p.beta`, and `p.T`, `p.size`, `p.start` when `p` is no array or
    /// range) that read a namedtuple's field: the field's position. The namedtuple is the
    /// expression's first child (`hir::ExprKind::children`).
    pub fields: HashMap<ExprId, u32>,
    /// The `MethodOr` calls whose receiver is a jitclass record or namedtuple: compiled as the
    /// call through its attribute (the others as the list, dict, ... method).
    pub record_calls: std::collections::HashSet<ExprId>,
    /// It makes arrays lowering could not see: an array expression's result, a reduction along
    /// an axis, the snapshot an overlapping assignment takes (see [`hir::Function::allocates`]).
    pub allocates: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypedProgram {
    pub funcs: Vec<hir::Function>,
    /// `specs[0]` is the entry point.
    pub specs: Vec<TypedFunction>,
}

impl TypedProgram {
    pub fn entry(&self) -> &TypedFunction {
        &self.specs[0]
    }
    /// One specialization that calls nothing: no call graph for the optimizer to work on.
    pub fn is_leaf(&self) -> bool {
        self.specs.len() == 1 && self.specs[0].call_targets.is_empty()
    }
    /// Some function of the program may make arrays (blocks the caller frees after a call).
    pub fn allocates(&self) -> bool {
        self.funcs.iter().any(|f| f.allocates) || self.specs.iter().any(|s| s.allocates)
    }
    pub fn func(&self, spec: &TypedFunction) -> &hir::Function {
        &self.funcs[spec.func as usize]
    }
    /// Where the locals of function `func` start in [`TypedProgram::local_names`] (the numbering
    /// run-time "unbound local" statuses use).
    pub fn local_offset(&self, func: FuncId) -> u32 {
        self.funcs[..func as usize].iter().map(|f| f.locals.len() as u32).sum()
    }
    /// The names of the locals of every function, one after the other.
    pub fn local_names(&self) -> Vec<String> {
        self.funcs.iter().flat_map(|f| f.locals.iter().map(|l| l.name.clone())).collect()
    }
    /// For each specialization: whether it can call itself again (it is on a cycle of calls),
    /// so may recurse as deep as the stack goes.
    pub fn recursive_specs(&self) -> Vec<bool> {
        let n = self.specs.len();
        (0..n)
            .map(|start| {
                // Is `start` reachable from its own callees?
                let mut seen = vec![false; n];
                let mut stack: Vec<SpecId> = self.specs[start].call_targets.values().copied().collect();
                while let Some(s) = stack.pop() {
                    if s == start {
                        return true;
                    }
                    if !std::mem::replace(&mut seen[s], true) {
                        stack.extend(self.specs[s].call_targets.values().copied());
                    }
                }
                false
            })
            .collect()
    }
}

pub fn infer(funcs: Vec<hir::Function>, arg_types: Vec<Type>) -> Result<TypedProgram> {
    infer_program(funcs, arg_types, None).map_err(|(_, e)| e)
}

/// [`infer`], saying on error which function the error's span is in. `declared_ret` is the
/// return type a signature gave the entry (`@jit("float64(int64)")`): each value it returns must
/// convert to it without loss of kind (int to float, bool to int, an array to a more general
/// layout), and is converted.
pub fn infer_program(
    funcs: Vec<hir::Function>,
    arg_types: Vec<Type>,
    declared_ret: Option<Type>,
) -> std::result::Result<TypedProgram, (FuncId, CompileError)> {
    let names: Vec<String> = funcs.iter().map(|f| f.name.clone()).collect();
    infer_types(funcs, arg_types, declared_ret).map_err(|(f, e)| (f, functions::name_functions(e, &names)))
}

fn infer_types(
    funcs: Vec<hir::Function>,
    arg_types: Vec<Type>,
    declared_ret: Option<Type>,
) -> std::result::Result<TypedProgram, (FuncId, CompileError)> {
    let root = &funcs[0];
    let mut specs = vec![new_spec(root, 0, arg_types)];
    let declared = declared_ret.is_some();
    if let Some(t) = declared_ret {
        specs[0].ret = t;
    }
    let mut strict = false;
    for _round in 0..64 {
        let mut changed = false;
        let mut i = 0;
        while i < specs.len() {
            let func = specs[i].func;
            let mut infer_cx = InferCx { funcs: &funcs, specs: &mut specs, current: i, changed: false, declared, strict };
            infer_cx.function().map_err(|e| (func, e))?;
            changed |= infer_cx.changed;
            i += 1;
        }
        if !changed && !strict {
            // Settled: one more round that reports a None read as a value.
            strict = true;
            continue;
        }
        if !changed {
            for s in specs.iter_mut().filter(|s| !s.known_tests.is_empty()) {
                // A local assigned only in a branch never taken holds nothing.
                for t in s.local_types.iter_mut().filter(|t| **t == Type::Unknown) {
                    *t = Type::None;
                }
            }
            for s in &specs {
                validate(&funcs[s.func as usize], s).map_err(|e| (s.func, e))?;
                iterators::check_containers(&funcs[s.func as usize], s).map_err(|e| (s.func, e))?;
            }
            if specs[0].ret == Type::Generator {
                let f = &funcs[0];
                return Err((
                    0,
                    CompileError::unsupported_because(
                        "return of a Generator",
                        format!(
                            "'{}' returns a numpy.random.Generator; compiled code does not hand one back to Python: return its draws (a Generator passed in is advanced in place)",
                            f.name
                        ),
                        f.span,
                    ),
                ));
            }
            pointers::check_returned(&funcs[0], &specs[0].ret).map_err(|e| (0, e))?;
            ranges::check_returned(&funcs[0], &specs[0].ret).map_err(|e| (0, e))?;
            iterators::check_returned(&funcs[0], &specs[0].ret).map_err(|e| (0, e))?;
            functions::check_returned(&funcs[0], &specs[0].ret).map_err(|e| (0, e))?;
            named_tuples::check_returned(&funcs[0], &specs[0].ret).map_err(|e| (0, e))?;
            if let Type::Tuple(items) = &specs[0].ret {
                if !items.iter().all(returnable) {
                    let f = &funcs[0];
                    return Err((
                        0,
                        CompileError::typing(
                            "tuple return value",
                            format!(
                                "'{}' returns {}; tuples returned to Python hold numbers and tuples of numbers",
                                f.name, specs[0].ret
                            ),
                            f.span,
                        ),
                    ));
                }
            }
            return Ok(TypedProgram { funcs, specs });
        }
    }
    Err((0, CompileError::typing("type inference", "types did not settle", funcs[0].span)))
}

/// Whether a number of type `t` may be stored into an element of `dtype`: any number, but a
/// complex one only into a complex array (NumPy would drop the imaginary part with a
/// ComplexWarning; compiled code refuses it).
fn storable(t: &Type, dtype: crate::registry::Dtype) -> bool {
    t.is_numeric() || (t.is_complex() && dtype.is_complex())
}

/// A value the entry can hand back to Python inside a tuple.
fn returnable(t: &Type) -> bool {
    match t {
        Type::Tuple(items) => items.iter().all(returnable),
        // `return None, a` on one path and `return b, a` on another; `None` on every path.
        Type::Optional(t) => returnable(t),
        Type::None => true,
        Type::Array(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str => true,
        t => t.is_number(),
    }
}

fn new_spec(f: &hir::Function, id: FuncId, arg_types: Vec<Type>) -> TypedFunction {
    let mut local_types = vec![Type::Unknown; f.locals.len()];
    for (p, t) in f.params.iter().zip(&arg_types) {
        local_types[*p as usize] = t.clone();
    }
    // `locals=` declarations: the variable holds its dtype's values (a parameter too: the
    // argument is converted on entry).
    for &(id, d) in &f.declared {
        local_types[id as usize] = d.element();
    }
    TypedFunction {
        func: id,
        arg_types,
        local_types,
        expr_types: vec![Type::Unknown; f.n_exprs as usize],
        aug_types: HashMap::new(),
        ret: Type::Unknown,
        call_targets: HashMap::new(),
        unwraps: HashMap::new(),
        known_tests: HashMap::new(),
        fields: HashMap::new(),
        record_calls: std::collections::HashSet::new(),
        allocates: false,
    }
}

/// Inference state while one specialization is typed: every function and specialization of the
/// program (a call may add specializations), which one is being typed, and whether this pass
/// changed any type (inference repeats until a pass changes none).
struct InferCx<'a> {
    funcs: &'a [hir::Function],
    specs: &'a mut Vec<TypedFunction>,
    /// The specialization being typed.
    current: SpecId,
    changed: bool,
    /// The entry's return type was declared by a signature: its returns convert to it.
    declared: bool,
    /// The last round, once types settled: a value that is None where a value is needed is an
    /// error (before, it may still become an optional value: `infer/optional.rs`).
    strict: bool,
}

/// `t` where `construct` needs an integer (bool, int64 or uint64; Unknown while inferring):
/// else the error "`what` must be integers, not T".
fn require_integer(t: &Type, construct: &str, what: &str, span: Span) -> Result<()> {
    if t.is_integer_or_unknown() {
        return Ok(());
    }
    Err(CompileError::typing(construct.to_string(), format!("{what} must be integers, not {}", type_name(t)), span))
}

fn type_name(t: &Type) -> String {
    match t {
        Type::None => "None".into(),
        other => other.to_string(),
    }
}

impl<'a> InferCx<'a> {
    /// The HIR function of the specialization being typed.
    fn hir_fn(&self) -> &'a hir::Function {
        &self.funcs[self.specs[self.current].func as usize]
    }

    fn function(&mut self) -> Result<()> {
        let f = self.hir_fn();
        self.block(&f.body)?;
        // With branches pruned: the code compiled (`constant.rs`).
        let pruned;
        let body = if self.specs[self.current].known_tests.is_empty() {
            &f.body
        } else {
            pruned = self.pruned(&f.body);
            for id in constant::unassigned(f, &pruned) {
                if self.specs[self.current].local_types[id as usize] == Type::Unknown {
                    self.assign_local(id, &Type::None, f.span)?;
                }
            }
            &pruned
        };
        // A function that only ever raises returns nothing: None, as one that falls off its end.
        if flow::falls_through(body) || !flow::returns(body) {
            self.unify_ret(&Type::None, f.span)?;
        }
        Ok(())
    }

    fn block(&mut self, stmts: &[hir::Stmt]) -> Result<()> {
        for s in stmts {
            self.stmt(s)?;
            if self.leaves_pruned(s) {
                // `if b is None: return a` with `b` None: what follows is never reached (and
                // may not type: `a + b`), as after Numba's pruning.
                break;
            }
        }
        Ok(())
    }

    fn stmt(&mut self, s: &hir::Stmt) -> Result<()> {
        match &s.kind {
            S::Assign { targets, value } => {
                // A local may hold an optional value as it is.
                let t = if targets.iter().all(|t| matches!(t, hir::Target::Local(..))) {
                    self.expr_keep(value)?
                } else {
                    self.expr(value)?
                };
                if let (H::Intrinsic { f: hir::Intrinsic::EllipsisValue, .. }, Type::Array(v)) = (&value.kind, &t) {
                    self.check_ellipsis_value(targets, v.ndim, value.span)?;
                }
                for target in targets {
                    self.assign_target(target, &t)?;
                }
                if let [hir::Target::Local(id, _)] = targets[..] {
                    self.type_literal_as(value, id);
                }
            }
            S::AugAssign { target, op, value, read } => {
                // Typed as `x = x op v`.
                let l = self.expr(read)?;
                let t = self.binary(*op, &l, value, s.span)?;
                if *op == BinOp::MatMul {
                    let r = self.specs[self.current].expr_types[value.id as usize].clone();
                    ops::check_matmul_aug(&l, &r, s.span)?;
                }
                if let Some(a) = l.array() {
                    self.specs[self.current].allocates = true; // an overlapping value's snapshot
                                                               // NumPy's `a += b` writes into `a`'s memory (`a = a + b` would not): `a`
                                                               // keeps its type.
                    ops::check_same_kind(*op, &t, a, s.span)?;
                    self.specs[self.current].aug_types.insert(value.id, t);
                    return Ok(());
                }
                if t.array().is_some() {
                    return Err(CompileError::typing(
                        "augmented assignment of an array to a number",
                        format!(
                            "'{}' holds {} and `{}=` would make it an array: write x = x {} a",
                            self.hir_fn().locals[*target as usize].name,
                            type_name(&l),
                            op.symbol(),
                            op.symbol()
                        ),
                        s.span,
                    ));
                }
                self.specs[self.current].aug_types.insert(value.id, t.clone());
                self.assign_local(*target, &t, s.span)?;
            }
            S::AugAssignIndex { array, index, op, value } => {
                if *op == BinOp::MatMul {
                    return Err(CompileError::unsupported_because(
                        "augmented assignment '@='",
                        "`@=` into an element or a view is not compiled: write `a[i] = a[i] @ b`, or `@=` a local array",
                        s.span,
                    ));
                }
                let at = self.expr(array)?;
                if let Type::List(_) | Type::Dict(..) = at {
                    return self.container_aug_assign(array, &at, index, *op, value, s.span);
                }
                if let H::Intrinsic { f: hir::Intrinsic::EllipsisValue, .. } = &value.kind {
                    // `a[..., i] += v`: as its store, `v` of the target's axes (or a number).
                    if let Type::Array(v) = self.expr(value)? {
                        let target =
                            hir::Target::Index { array: Box::new(array.clone()), index: Box::new(index.clone()), span: s.span };
                        self.check_ellipsis_value(std::slice::from_ref(&target), v.ndim, value.span)?;
                    }
                }
                if let Type::Pointer(d) = at {
                    return self.pointer_aug(d, index, *op, value, s.span);
                }
                let Some(a) = at.array() else {
                    if at == Type::Unknown {
                        return Ok(());
                    }
                    return Err(self.not_an_array(array, &at).unwrap_or_else(|| {
                        CompileError::typing(
                            "subscript assignment",
                            format!("cannot assign to an element of {}; only arrays are written", type_name(&at)),
                            s.span,
                        )
                    }));
                };
                let it = match &index.kind {
                    H::Tuple(_) | H::Slice { .. } => Type::Unknown, // written out: typed item by item
                    _ => self.expr(index)?,
                };
                if let Some(ix) = it.array() {
                    // `a[ix] = a[ix] op v`: the gathered elements' array, operated on in place.
                    self.specs[self.current].allocates = true;
                    let gathered = arrays::fancy_index_type(a, ix, index.span)?;
                    let t = self.binary(*op, &Type::Array(gathered), value, s.span)?;
                    ops::check_same_kind(*op, &t, gathered, s.span)?;
                    self.specs[self.current].aug_types.insert(value.id, t);
                    return Ok(());
                }
                self.reject_mixed_store(a, index)?;
                if arrays::is_view(&a, index, &it) {
                    self.specs[self.current].allocates = true; // an overlapping value's snapshot
                    let view = self.view_type(a, index, s.span)?;
                    let t = self.binary(*op, &view, value, s.span)?;
                    let Type::Array(v) = view else { unreachable!("a view of an array") };
                    ops::check_same_kind(*op, &t, v, s.span)?;
                    self.specs[self.current].aug_types.insert(value.id, t);
                    return Ok(());
                }
                let l = self.element_index(a, index, s.span)?;
                let t = self.binary(*op, &l, value, s.span)?;
                self.specs[self.current].aug_types.insert(value.id, t.clone());
                if !(storable(&t, a.dtype) || t == Type::Unknown) {
                    return Err(CompileError::typing(
                        "array element assignment",
                        format!("cannot store {} into an array of {}", type_name(&t), a.dtype.name()),
                        s.span,
                    ));
                }
            }
            S::Expr(e) => {
                self.expr(e)?;
            }
            S::Print { items, .. } => {
                for e in items.iter().filter_map(hir::PrintItem::value) {
                    let t = self.expr_keep(e)?;
                    fn printable(t: &Type) -> bool {
                        match t {
                            Type::Tuple(items) => !items.is_record() && items.iter().all(printable),
                            Type::List(item) | Type::Set(item) => printable(item),
                            Type::Dict(k, v) => printable(k) && printable(v),
                            Type::Optional(t) => printable(t),
                            t => t.is_number() || matches!(t, Type::None | Type::Unknown | Type::Str | Type::Array(_)),
                        }
                    }
                    if !printable(&t) {
                        return Err(CompileError::unsupported_because(
                            "print() argument",
                            format!(
                                "print() of {} is not compiled (numbers, bools, None, strings, arrays, and tuples, lists, dicts and sets of them are)",
                                type_name(&t)
                            ),
                            e.span,
                        ));
                    }
                }
            }
            S::If { test, body, orelse } => {
                self.test(test)?;
                match self.known_test(test) {
                    Ok(Some(true)) => self.block(body)?,
                    Ok(Some(false)) => self.block(orelse)?,
                    Ok(None) => {
                        self.block(body)?;
                        self.block(orelse)?;
                    }
                    Err(()) => {}
                }
            }
            S::While { test, body, orelse } => {
                self.test(test)?;
                self.block(body)?;
                self.block(orelse)?;
            }
            S::ForRange { target, start, stop, step, body, orelse } => {
                for e in [start, stop, step] {
                    let t = self.expr(e)?;
                    require_integer(&t, "range() argument", "range() arguments", e.span)?;
                }
                self.assign_target(target, &Type::Int64)?;
                self.block(body)?;
                self.block(orelse)?;
            }
            S::Return(v) => {
                let t = match v {
                    Some(v) => self.returned(v)?,
                    None => Type::None,
                };
                self.unify_ret(&t, s.span)?;
            }
            S::Try { body, handlers, orelse, finalbody } => {
                self.block(body)?;
                for h in handlers {
                    self.block(&h.body)?;
                }
                self.block(orelse)?;
                self.block(finalbody)?;
            }
            S::Break | S::Continue | S::Pass | S::Raise { .. } | S::Reraise => {}
        }
        Ok(())
    }

    fn test(&mut self, e: &hir::Expr) -> Result<Type> {
        // An optional value is false when None (its truth tested only when present).
        let t = match self.expr_keep(e)? {
            Type::Optional(inner) => *inner,
            t => t,
        };
        if !(t.is_number()
            || t == Type::Unknown
            || matches!(t, Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Range))
        {
            return Err(CompileError::typing(
                "condition",
                format!("a condition must be a number or bool, not {}", type_name(&t)),
                e.span,
            ));
        }
        Ok(t)
    }

    fn numeric(&mut self, e: &hir::Expr, what: &str) -> Result<Type> {
        let t = self.expr(e)?;
        if !(t.is_numeric() || t == Type::Unknown) {
            return Err(CompileError::typing(what.to_string(), format!("{what} takes a number, not {}", type_name(&t)), e.span));
        }
        Ok(t)
    }

    /// Types `e` where an optional value may stay optional (assigned to a local, returned,
    /// tested with `is None`, passed to a jitted function, printed); elsewhere
    /// [`InferCx::expr`] reads it as its inner type.
    pub(super) fn expr_keep(&mut self, e: &hir::Expr) -> Result<Type> {
        let t = match &e.kind {
            H::Int(_) => Type::Int64,
            H::UInt(_) => Type::UInt64,
            H::Float(_) => Type::Float64,
            H::Complex(..) => Type::Complex128,
            H::Dtype(d) => Type::Dtype(*d),
            H::FunctionValue(unit) => Type::Function(*unit),
            H::Closure { func, captures } => self.closure(*func, captures)?,
            H::CallValue { callee, args } => self.call_value(e, callee, args)?,
            H::Bool(_) => Type::Bool,
            H::None => Type::None,
            H::Str(_) => {
                self.specs[self.current].allocates = true;
                Type::Str
            }
            H::FString { values, formats, .. } => self.fstring(values, formats)?,
            H::Local { id, .. } => self.specs[self.current].local_types[*id as usize].clone(),
            H::Binary { op, left, right } => {
                let l = self.expr(left)?;
                self.binary(*op, &l, right, e.span)?
            }
            H::Unary { op, operand } => self.unary(*op, operand, e.span)?,
            H::Unpack(t) => self.unpacked(t, e.span)?,
            H::BoolOp { op, values } => {
                let mut t = Type::Unknown;
                for v in values {
                    self.test(v)?;
                    // The value itself is the answer (an optional one may be None).
                    let vt = self.specs[self.current].expr_types[v.id as usize].clone();
                    t = t.unify(&vt).unwrap_or(Type::Float64);
                    // `b is not None and b > 0` with `b` None: the rest is never evaluated.
                    if self.known_test(v) == Ok(Some(*op == crate::ast::BoolOpKind::Or)) {
                        break;
                    }
                }
                t
            }
            H::Compare { left, ops, comparators } => self.compare(left, ops, comparators, e.span)?,
            H::IfExp { test, body, orelse } => {
                self.test(test)?;
                let (a, b) = match self.known_test(test) {
                    Ok(Some(true)) => (self.expr_keep(body)?, Type::Unknown),
                    Ok(Some(false)) => (Type::Unknown, self.expr_keep(orelse)?),
                    Ok(None) => (self.expr_keep(body)?, self.expr_keep(orelse)?),
                    Err(()) => (Type::Unknown, Type::Unknown),
                };
                a.unify(&b).map_err(|(a, b)| {
                    CompileError::typing(
                        "conditional expression of mixed types",
                        format!("one branch gives {} and the other {}", type_name(&a), type_name(&b)),
                        e.span,
                    )
                })?
            }
            H::Intrinsic { f: hir::Intrinsic::IsNone { negated }, args } => self.is_none(e, *negated, &args[0])?,
            H::Intrinsic { f: hir::Intrinsic::Is { .. }, args } => self.identity(&args[0], &args[1], e.span)?,
            H::Intrinsic { f: hir::Intrinsic::Ufunc(k), args } => self.ufunc_call(*k, e, args)?,
            H::Intrinsic { f: hir::Intrinsic::NamedTuple(k), args } => self.new_named_tuple(*k, args, e.span)?,
            H::Intrinsic { f: hir::Intrinsic::AsArray, args } => self.as_array(&args[0], e.span)?,
            H::Intrinsic { f: hir::Intrinsic::EllipsisValue, args } => match self.expr(&args[0])? {
                // An array reversed, as `.T`; a number as it is.
                Type::Array(a) if a.ndim > 0 => self.transpose(&args[0], &None, e.span)?,
                t => t,
            },
            H::Intrinsic { f: hir::Intrinsic::Flat, args } => match (&args[0].kind, self.expr(&args[0])?) {
                (H::Reshape { value, .. }, Type::Array(flat)) => match self.expr(value)? {
                    Type::Array(a) if a.layout == crate::types::Layout::C => Type::Array(flat),
                    _ => Type::Array(crate::types::ArrayType { readonly: true, ..flat }),
                },
                (_, t) => t,
            },
            H::Intrinsic { f: hir::Intrinsic::FrozenArray(k), .. } => {
                let a = &self.hir_fn().arrays[*k as usize];
                Type::Array(crate::types::ArrayType {
                    dtype: a.dtype,
                    ndim: a.shape.len() as u8,
                    layout: crate::types::Layout::C,
                    readonly: true,
                })
            }
            H::Intrinsic { f: hir::Intrinsic::RangeField(k), args }
                if self.field_of(e, &args[0], ["start", "stop", "step"][*k as usize])?.is_some() =>
            {
                self.field_of(e, &args[0], ["start", "stop", "step"][*k as usize])?.expect("just found")
            }
            H::Intrinsic { f: hir::Intrinsic::UfuncReduce { k, axis, accumulate }, args } => {
                self.ufunc_reduce(*k, *axis, *accumulate, e, args)?
            }
            H::Intrinsic { f, args } => self.intrinsic(*f, args)?,
            H::Call { func, args } => {
                let mut tys = Vec::new();
                for a in args {
                    // An optional value (or None) is passed as it is: the callee is typed for it.
                    tys.push(self.expr_keep(a)?);
                }
                if tys.iter().all(Type::is_known) {
                    let target = self.spec_for(*func, tys);
                    self.specs[self.current].call_targets.insert(e.id, target);
                    self.specs[target].ret.clone()
                } else {
                    Type::Unknown
                }
            }
            H::Tuple(items) => {
                let mut ts = Vec::new();
                for i in items {
                    ts.push(self.expr(i)?);
                }
                Type::tuple(ts)
            }
            H::Subscript { value, index } => self.subscript(value, index, e.span)?,
            H::List(items) => self.list_literal(items, e.span)?,
            H::Dict(pairs) => self.dict_literal(pairs, e.span)?,
            H::Set(items) => self.set_literal(items, e.span)?,
            H::DictMethod { method, dict, args } => self.dict_method(*method, dict, args, e.span)?,
            H::ListMethod { method, list, args, alt } => self.list_method(*method, list, args, alt.as_deref(), e.span)?,
            H::Slice { .. } => {
                return Err(CompileError::unsupported_because("slice", "a slice is compiled only inside an array index", e.span));
            }
            H::New(n) => self.new_array_type(n, e.span)?,
            H::Reduce { f, value, axis } => self.reduce(*f, value, axis.as_ref(), e.span)?,
            H::Attr { value, attr } => match self.field_of(e, value, attr.name())? {
                Some(t) => t,
                None => self.attr(*attr, value, e.span)?,
            },
            H::Field { value, name } => self.field(e, value, name)?,
            H::MethodOr { value, record } => self.method_or(e, value, record)?,
            H::Reshape { value, shape } => self.reshape(value, shape, e.span)?,
            H::Transpose { value, axes: None } if self.field_of(e, value, "T")?.is_some() => {
                self.field_of(e, value, "T")?.expect("just found")
            }
            H::Transpose { value, axes } => self.transpose(value, axes, e.span)?,
            H::Unravel { flat, shape } => self.unravel(flat, shape)?,
            H::ShapeSize(shape) => {
                self.shape_axes(shape)?;
                Type::Int64
            }
            H::Out { value, out } => {
                let vt = self.expr(value)?;
                let ot = self.expr(out)?;
                match (&vt, &ot) {
                    (Type::Unknown, _) | (_, Type::Unknown) => Type::Unknown,
                    (_, Type::Array(o)) => {
                        if let Type::Array(v) = &vt {
                            arrays::check_out(*v, *o, out.span)?;
                        }
                        self.specs[self.current].allocates = true; // an overlapping value's temporary
                        ot.clone()
                    }
                    (_, t) => {
                        return Err(CompileError::typing(
                            "out= argument",
                            format!("out= must be an array, not {}", type_name(t)),
                            out.span,
                        ))
                    }
                }
            }
        };
        // (`carray` makes no block: a view of the pointer's memory.)
        if t.array().is_some()
            && matches!(e.kind, H::Binary { .. } | H::Unary { .. } | H::Compare { .. } | H::Intrinsic { .. } | H::Reduce { .. })
            && !matches!(e.kind, H::Intrinsic { f: hir::Intrinsic::PointerView { .. }, .. })
        {
            self.specs[self.current].allocates = true;
        }
        self.complex_arrays_compiled(e, &t)?;
        let slot = &mut self.specs[self.current].expr_types[e.id as usize];
        if *slot != t {
            *slot = t.clone();
        }
        Ok(t)
    }

    /// The type of a returned value: optional values kept as they are, also as the items of a
    /// tuple written out (umap's `return rows, cols, vals, dists` with `dists` None unless
    /// asked for), where a tuple item elsewhere reads an optional as its value.
    fn returned(&mut self, v: &hir::Expr) -> Result<Type> {
        let H::Tuple(items) = &v.kind else { return self.expr_keep(v) };
        let mut ts = Vec::with_capacity(items.len());
        for i in items {
            let t = self.returned(i)?;
            self.specs[self.current].unwraps.remove(&i.id);
            ts.push(t);
        }
        let t = Type::tuple(ts);
        self.specs[self.current].expr_types[v.id as usize] = t.clone();
        Ok(t)
    }

    fn spec_for(&mut self, func: FuncId, tys: Vec<Type>) -> SpecId {
        if let Some(i) = self.specs.iter().position(|s| s.func == func && s.arg_types == tys) {
            return i;
        }
        let f = &self.funcs[func as usize];
        self.specs.push(new_spec(f, func, tys));
        self.changed = true;
        self.specs.len() - 1
    }
}

fn validate(f: &hir::Function, s: &TypedFunction) -> Result<()> {
    if s.ret == Type::Unknown {
        return Err(CompileError::typing(
            "recursive function whose return type cannot be inferred",
            format!("'{}' only ever returns the result of calling itself", f.name),
            f.span,
        ));
    }
    for (i, t) in s.local_types.iter().enumerate() {
        if !t.is_known() {
            return Err(CompileError::typing(
                "variable whose type cannot be inferred",
                format!("the type of '{}' cannot be inferred", f.locals[i].name),
                f.locals[i].span,
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
