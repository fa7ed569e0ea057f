//! Control flow of the HIR, the stage between lower and infer. Definite assignment: every read
//! of a local must follow an assignment on some path; reads that some path reaches unassigned
//! are marked for a run-time check (UnboundLocalError). And the facts inference needs about
//! where control goes: whether a block can run off its end, whether a loop runs forever.

use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H, LocalId};

#[derive(Clone, PartialEq)]
struct Flow {
    /// Assigned on every path to here (`None` = unreachable: the identity of the meet).
    must: Option<Vec<bool>>,
    /// Assigned on some path to here.
    may: Vec<bool>,
}

impl Flow {
    fn meet(&self, other: &Flow) -> Flow {
        let must = match (&self.must, &other.must) {
            (None, x) | (x, None) => x.clone(),
            (Some(a), Some(b)) => Some(a.iter().zip(b).map(|(x, y)| *x && *y).collect()),
        };
        let may = self.may.iter().zip(&other.may).map(|(x, y)| *x || *y).collect();
        Flow { must, may }
    }
    fn unreachable(n: usize) -> Flow {
        Flow { must: None, may: vec![false; n] }
    }
    fn assign(&mut self, id: LocalId) {
        if let Some(m) = &mut self.must {
            m[id as usize] = true;
        }
        self.may[id as usize] = true;
    }
}

struct LoopExits {
    breaks: Flow,
}

/// The stage's entry point: checks the reads of `f`'s locals and marks the ones to check at run
/// time ([`hir::ExprKind::Local`]'s `check_bound`, [`hir::Local`]'s `checked`).
pub fn check_assignment(f: &mut hir::Function) -> Result<()> {
    let n = f.locals.len();
    let mut start = Flow { must: Some(vec![false; n]), may: vec![false; n] };
    for &p in &f.params {
        start.assign(p);
    }
    let mut loops = Vec::new();
    flow_block(&mut f.body, start, &mut f.locals, &mut loops)?;
    Ok(())
}

fn assign_target(t: &hir::Target, flow: &mut Flow) {
    match t {
        hir::Target::Local(id, _) => flow.assign(*id),
        hir::Target::Tuple(ts, _) => ts.iter().for_each(|t| assign_target(t, flow)),
        hir::Target::Index { .. } => {}
    }
}

/// The reads a target makes (an array element's array and index), in order.
fn flow_target(t: &mut hir::Target, flow: &Flow, locals: &mut [hir::Local]) -> Result<()> {
    match t {
        hir::Target::Local(..) => Ok(()),
        hir::Target::Tuple(ts, _) => ts.iter_mut().try_for_each(|t| flow_target(t, flow, locals)),
        hir::Target::Index { array, index, .. } => {
            flow_expr(array, flow, locals)?;
            flow_expr(index, flow, locals)
        }
    }
}

fn assigned_in(stmts: &[hir::Stmt], flow: &mut Flow) {
    for s in stmts {
        match &s.kind {
            hir::StmtKind::Assign { targets, .. } => targets.iter().for_each(|t| assign_target(t, flow)),
            hir::StmtKind::AugAssign { target, .. } => flow.assign(*target),
            hir::StmtKind::ForRange { target, body, orelse, .. } => {
                assign_target(target, flow);
                assigned_in(body, flow);
                assigned_in(orelse, flow)
            }
            hir::StmtKind::If { body, orelse, .. } | hir::StmtKind::While { body, orelse, .. } => {
                assigned_in(body, flow);
                assigned_in(orelse, flow)
            }
            hir::StmtKind::Try { .. } => s.kind.blocks().into_iter().for_each(|b| assigned_in(b, flow)),
            _ => {}
        }
    }
}

fn flow_expr(e: &mut hir::Expr, flow: &Flow, locals: &mut [hir::Local]) -> Result<()> {
    match &mut e.kind {
        H::Local { id, check_bound } => {
            let i = *id as usize;
            if !flow.may[i] {
                return Err(CompileError::name(
                    "variable used before assignment",
                    format!("local variable '{}' is read before any assignment to it", locals[i].name),
                    e.span,
                ));
            }
            *check_bound = !flow.must.as_ref().is_none_or(|m| m[i]);
            locals[i].checked |= *check_bound;
        }
        H::Reduce { value, axis: Some(hir::Axis::Var(axis)), .. } => {
            flow_expr(value, flow, locals)?;
            flow_expr(axis, flow, locals)?
        }
        H::Attr { value, .. } | H::Reduce { value, .. } | H::Transpose { value, .. } | H::ShapeSize(value) => {
            flow_expr(value, flow, locals)?
        }
        H::Reshape { value, shape: other }
        | H::Unravel { flat: value, shape: other }
        | H::Out { value, out: other }
        | H::MethodOr { value, record: other } => {
            flow_expr(value, flow, locals)?;
            flow_expr(other, flow, locals)?
        }
        H::New(n) => {
            for e in n.operands_mut() {
                flow_expr(e, flow, locals)?
            }
        }
        H::Slice { lower, upper, step } => {
            for part in [lower, upper, step].into_iter().flatten() {
                flow_expr(part, flow, locals)?
            }
        }
        H::Binary { left, right, .. } | H::Subscript { value: left, index: right } => {
            flow_expr(left, flow, locals)?;
            flow_expr(right, flow, locals)?
        }
        H::Unary { operand, .. } | H::Unpack(operand) | H::Field { value: operand, .. } => flow_expr(operand, flow, locals)?,
        H::BoolOp { values, .. }
        | H::Tuple(values)
        | H::List(values)
        | H::Set(values)
        | H::FString { values, .. }
        | H::Intrinsic { args: values, .. }
        | H::Closure { captures: values, .. }
        | H::Call { args: values, .. } => {
            for v in values {
                flow_expr(v, flow, locals)?
            }
        }
        H::ListMethod { list, args, alt, .. } => {
            flow_expr(list, flow, locals)?;
            for v in args {
                flow_expr(v, flow, locals)?
            }
            if let Some(alt) = alt {
                flow_expr(alt, flow, locals)?
            }
        }
        H::Dict(pairs) => {
            for (k, v) in pairs {
                flow_expr(k, flow, locals)?;
                flow_expr(v, flow, locals)?
            }
        }
        H::DictMethod { dict, args, .. } | H::CallValue { callee: dict, args } => {
            flow_expr(dict, flow, locals)?;
            for v in args {
                flow_expr(v, flow, locals)?
            }
        }
        H::Compare { left, comparators, .. } => {
            flow_expr(left, flow, locals)?;
            for v in comparators {
                flow_expr(v, flow, locals)?
            }
        }
        H::IfExp { test, body, orelse } => {
            flow_expr(test, flow, locals)?;
            flow_expr(body, flow, locals)?;
            flow_expr(orelse, flow, locals)?
        }
        H::Int(_)
        | H::UInt(_)
        | H::Float(_)
        | H::Complex(..)
        | H::Dtype(_)
        | H::FunctionValue(_)
        | H::Bool(_)
        | H::None
        | H::Str(_) => {}
    }
    Ok(())
}

/// Whether a loop test is a constant that is always true (`while True:`, `while 1:`).
pub fn is_const_true(e: &hir::Expr) -> bool {
    matches!(e.kind, H::Bool(true) | H::UInt(_)) || matches!(e.kind, H::Int(i) if i != 0)
}

/// Returns the flow at the fall-through exit of `stmts`.
fn flow_block(stmts: &mut [hir::Stmt], mut flow: Flow, locals: &mut [hir::Local], loops: &mut Vec<LoopExits>) -> Result<Flow> {
    let n = locals.len();
    for s in stmts {
        match &mut s.kind {
            hir::StmtKind::Assign { targets, value } => {
                flow_expr(value, &flow, locals)?;
                for t in targets.iter_mut() {
                    flow_target(t, &flow, locals)?;
                    assign_target(t, &mut flow);
                }
            }
            hir::StmtKind::AugAssign { target, value, read, .. } => {
                flow_expr(read, &flow, locals)?;
                flow_expr(value, &flow, locals)?;
                flow.assign(*target);
            }
            hir::StmtKind::AugAssignIndex { array, index, value, .. } => {
                flow_expr(array, &flow, locals)?;
                flow_expr(index, &flow, locals)?;
                flow_expr(value, &flow, locals)?;
            }
            hir::StmtKind::Expr(e) => flow_expr(e, &flow, locals)?,
            hir::StmtKind::If { test, body, orelse } => {
                flow_expr(test, &flow, locals)?;
                let a = flow_block(body, flow.clone(), locals, loops)?;
                let b = flow_block(orelse, flow.clone(), locals, loops)?;
                flow = a.meet(&b);
            }
            hir::StmtKind::While { test, body, orelse } => {
                // At the loop head: anything assigned before, plus (for `may`) anything the body assigns.
                let mut head = flow.clone();
                let mut may_head = flow.clone();
                may_head.must = None;
                assigned_in(body, &mut may_head);
                head.may = may_head.may;
                flow_expr(test, &head, locals)?;
                loops.push(LoopExits { breaks: Flow::unreachable(n) });
                flow_block(body, head.clone(), locals, loops)?;
                let exits = loops.pop().unwrap();
                let normal =
                    if is_const_true(test) { Flow::unreachable(n) } else { flow_block(orelse, head.clone(), locals, loops)? };
                flow = normal.meet(&exits.breaks);
                flow.may = head.may.iter().zip(&flow.may).map(|(x, y)| *x || *y).collect();
            }
            hir::StmtKind::ForRange { target, start, stop, step, body, orelse } => {
                flow_expr(start, &flow, locals)?;
                flow_expr(stop, &flow, locals)?;
                flow_expr(step, &flow, locals)?;
                let mut head = flow.clone();
                let mut may_head = flow.clone();
                may_head.must = None;
                assign_target(target, &mut may_head);
                assigned_in(body, &mut may_head);
                head.may = may_head.may;
                let mut in_body = head.clone();
                assign_target(target, &mut in_body);
                loops.push(LoopExits { breaks: Flow::unreachable(n) });
                flow_block(body, in_body, locals, loops)?;
                let exits = loops.pop().unwrap();
                let normal = flow_block(orelse, head.clone(), locals, loops)?;
                flow = normal.meet(&exits.breaks);
                flow.may = head.may.iter().zip(&flow.may).map(|(x, y)| *x || *y).collect();
            }
            hir::StmtKind::Return(v) => {
                if let Some(v) = v {
                    flow_expr(v, &flow, locals)?;
                }
                flow.must = None;
            }
            hir::StmtKind::Break => {
                if let Some(l) = loops.last_mut() {
                    l.breaks = l.breaks.meet(&flow);
                }
                flow.must = None;
            }
            hir::StmtKind::Continue => flow.must = None,
            hir::StmtKind::Pass => {}
            hir::StmtKind::Raise { .. } | hir::StmtKind::Reraise => flow.must = None,
            hir::StmtKind::Try { body, handlers, orelse, finalbody } => {
                // An `except` clause may start anywhere in the body: what the body assigns is
                // possible there, nothing of it certain.
                let mut start = flow.clone();
                let mut may_body = flow.clone();
                may_body.must = None;
                assigned_in(body, &mut may_body);
                start.may = may_body.may;
                let after_body = flow_block(body, flow.clone(), locals, loops)?;
                let mut out = flow_block(orelse, after_body, locals, loops)?;
                for h in handlers.iter_mut() {
                    let end = flow_block(&mut h.body, start.clone(), locals, loops)?;
                    out = out.meet(&end);
                }
                flow = flow_block(finalbody, out, locals, loops)?;
            }
            hir::StmtKind::Print { items, .. } => {
                for e in items.iter_mut().filter_map(hir::PrintItem::value_mut) {
                    flow_expr(e, &flow, locals)?;
                }
            }
        }
    }
    Ok(flow)
}

/// Whether `stmts` hold a `return` statement anywhere.
pub fn returns(stmts: &[hir::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        hir::StmtKind::Return(_) => true,
        hir::StmtKind::If { body, orelse, .. }
        | hir::StmtKind::While { body, orelse, .. }
        | hir::StmtKind::ForRange { body, orelse, .. } => returns(body) || returns(orelse),
        hir::StmtKind::Try { .. } => s.kind.blocks().into_iter().any(returns),
        _ => false,
    })
}

/// Whether control can run off the end of `stmts`.
pub fn falls_through(stmts: &[hir::Stmt]) -> bool {
    for s in stmts {
        match &s.kind {
            hir::StmtKind::Return(_)
            | hir::StmtKind::Break
            | hir::StmtKind::Continue
            | hir::StmtKind::Raise { .. }
            | hir::StmtKind::Reraise => return false,
            // The statement ends normally through its body and `else`, or through a handler,
            // and then through its `finally`.
            hir::StmtKind::Try { body, handlers, orelse, finalbody } => {
                let normal = (falls_through(body) && falls_through(orelse)) || handlers.iter().any(|h| falls_through(&h.body));
                if !normal || !falls_through(finalbody) {
                    return false;
                }
            }
            hir::StmtKind::If { body, orelse, .. } if !falls_through(body) && !falls_through(orelse) => {
                return false;
            }
            // A loop is left by a `break` or, when its test fails, through its `else` clause.
            hir::StmtKind::While { test, body, orelse } => {
                let normal_exit = !is_const_true(test) && falls_through(orelse);
                if !normal_exit && !has_break(body) {
                    return false;
                }
            }
            hir::StmtKind::ForRange { body, orelse, .. } if !falls_through(orelse) && !has_break(body) => {
                return false;
            }
            _ => {}
        }
    }
    true
}

/// Whether a `break` in `stmts` leaves the loop these statements are the body of. A `break` in
/// an inner loop's body leaves that inner loop; one in its `else` clause leaves this one.
fn has_break(stmts: &[hir::Stmt]) -> bool {
    stmts.iter().any(|s| match &s.kind {
        hir::StmtKind::Break => true,
        hir::StmtKind::If { body, orelse, .. } => has_break(body) || has_break(orelse),
        hir::StmtKind::Try { .. } => s.kind.blocks().into_iter().any(has_break),
        hir::StmtKind::While { orelse, .. } | hir::StmtKind::ForRange { orelse, .. } => has_break(orelse),
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::{lower, Env, GlobalValue};
    use crate::parse::{parse_function, SourceFunction};

    /// `src` lowered (with `globals`), then through this stage.
    fn lower_src(src: &str, globals: &[(&str, GlobalValue)]) -> Result<hir::Function> {
        let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
        let f = parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "t.py" })?;
        let mut env = Env { defaults: vec![None; f.params.len()], ..Default::default() };
        for (n, v) in globals {
            env.globals.insert(n.to_string(), v.clone());
        }
        let mut h = lower(&f, &env)?;
        check_assignment(&mut h)?;
        Ok(h)
    }

    #[test]
    fn read_before_any_assignment_is_an_error() {
        let e = lower_src("def f(a):\n    y = x + 1\n    x = 2\n    return y\n", &[]).unwrap_err();
        assert_eq!(e.construct(), "variable used before assignment");
    }

    #[test]
    fn read_after_a_maybe_empty_loop_is_checked_at_run_time() {
        let h = lower_src(
            "def f(n):\n    for i in range(n):\n        last = i\n    return last\n",
            &[("range", GlobalValue::Builtin("range".into()))],
        )
        .unwrap();
        let hir::StmtKind::Return(Some(e)) = &h.body[1].kind else { panic!() };
        assert!(matches!(e.kind, H::Local { check_bound: true, .. }));
    }
}
