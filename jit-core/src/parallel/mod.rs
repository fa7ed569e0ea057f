//! Parallel loops (`for i in prange(...)` under `parallel=True`): what each local of a loop's
//! body is to the threads that run it (shared, private, a reduction), and the loop-carried
//! dependences for which a loop runs serially (with a warning) instead of racing.
//!
//! The rules (docs/parallel.md):
//! * A local the body reads and never assigns is *shared*: every thread reads the caller's.
//! * A local the body assigns is *private* (each thread has its own) when every iteration
//!   assigns it before reading it; after the loop it holds the last iteration's value, as in
//!   CPython (the chunk that ran the last iteration copies it back).
//! * A local only updated as `x op= e`, `x = x op e` (`op` one of `+ - * | & ^`) or
//!   `x = min(x, e)` / `max(x, e)`, with `e` not reading `x`, is a *reduction*: each chunk
//!   starts from the operation's identity and the chunks' results are combined in order.
//! * Anything else assigned is read before it is written in some iteration: a value carried
//!   from one iteration to the next; the loop runs serially.
//! * An array the body writes must be indexed, in every access the body makes to it (through
//!   a view taken in the body too), with the loop variable plus a constant (`i`, `i + 1`) at
//!   one same axis: then no two iterations touch one element. A list, dict or set the body
//!   shares may not be changed, nor may a shared `Generator` be drawn from (else the loop runs
//!   serially). `plan`'s error says why a loop cannot run in parallel.

mod accesses;
mod triangle;
mod walk;

use std::collections::{HashMap, HashSet};

use crate::ast::Span;
use crate::error::CompileError;
use crate::hir::{self, ExprKind as H, LocalId, StmtKind as S};
use crate::infer::{TypedFunction, TypedProgram};
use crate::types::Type;

use accesses::Accesses;
use walk::{assigned_in, definite, each_expr, live_after, reads_stmt, scan_updates, target_locals};

type Result<T> = std::result::Result<T, CompileError>;

/// How a reduction's partial results combine (and what each chunk starts from).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// `+=`, `-=`, `x = x + e`: partial results added (a chunk starts from 0, -0.0 for floats).
    Add,
    Mul,
    Or,
    And,
    Xor,
    /// `x = min(x, e)`, `if e < x: x = e`: a chunk starts from the largest value; the first
    /// minimum is kept.
    Min,
    Max,
    /// `if e <= x: x = e`: the last of equal minima is kept.
    MinLast,
    /// `if e >= x: x = e`.
    MaxLast,
}

impl Combine {
    /// Whether partial results combine as a minimum or maximum (`Some(true)` for a minimum),
    /// and whether a later equal value replaces an earlier one.
    pub fn extremum(self) -> Option<(bool, bool)> {
        match self {
            Combine::Min => Some((true, false)),
            Combine::Max => Some((false, false)),
            Combine::MinLast => Some((true, true)),
            Combine::MaxLast => Some((false, true)),
            _ => None,
        }
    }
}

/// What the threads running one parallel loop do with the function's locals.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LoopPlan {
    /// Read by the body, never assigned in it: every thread reads the caller's.
    pub shared: Vec<LocalId>,
    /// Each thread's own; `true` when the caller gets the last iteration's value back (the
    /// local may be read after the loop).
    pub private: Vec<(LocalId, bool)>,
    pub reductions: Vec<(LocalId, Combine)>,
}

/// Checks every `prange` loop of the program's functions compiled with `parallel=True` (those
/// nested in another run serially, inside it). A loop whose iterations could race (a value
/// carried between iterations, an element two iterations touch, a shared container changed,
/// an exit from the body, ...) runs serially instead, which is CPython's answer: its span is
/// taken out of its function's `prange` list, so that codegen compiles it as `range` (and a
/// `prange` nested in it may then run on the pool). Returns each such loop's reason, with the
/// index of the function it is in, in the order found: the caller shows them as warnings.
pub fn demote_racing_loops(prog: &mut TypedProgram) -> Vec<(usize, CompileError)> {
    let recursive = prog.recursive_specs().contains(&true);
    let mut serial = Vec::new();
    loop {
        let mut found = None;
        for spec in &prog.specs {
            let f = prog.func(spec);
            if f.prange.is_empty() || !f.parallel {
                continue;
            }
            each_parallel_loop(&f.body, f, &mut |s| {
                if found.is_none() {
                    if let Err(e) = plan(prog, f, spec, s, recursive) {
                        found = Some((spec.func as usize, s.span, e));
                    }
                }
            });
            if found.is_some() {
                break;
            }
        }
        let Some((func, span, why)) = found else { return serial };
        prog.funcs[func].prange.retain(|&p| p != span);
        serial.push((func, why));
    }
}

/// Calls `visit` on each outermost `prange` loop statement of `stmts`.
fn each_parallel_loop<'s>(stmts: &'s [hir::Stmt], f: &hir::Function, visit: &mut impl FnMut(&'s hir::Stmt)) {
    for s in stmts {
        match &s.kind {
            S::ForRange { .. } if f.prange.contains(&s.span) => visit(s),
            kind => kind.blocks().into_iter().for_each(|b| each_parallel_loop(b, f, visit)),
        }
    }
}

/// The plan of the parallel loop `s` (a `ForRange` of `f`), or why it cannot run in parallel.
/// `recursive`: some function of the program may recurse (not guarded on a worker's stack).
pub fn plan(prog: &TypedProgram, f: &hir::Function, spec: &TypedFunction, s: &hir::Stmt, recursive: bool) -> Result<LoopPlan> {
    let S::ForRange { target, body, .. } = &s.kind else { unreachable!("a prange loop is a ForRange") };
    let line = s.span.line;
    let name = |id: LocalId| f.locals[id as usize].name.clone();
    let ty = |id: LocalId| &spec.local_types[id as usize];
    refuse_exits(body, line, true)?;
    if recursive {
        if let Some(span) = first_call(body) {
            return Err(CompileError::unsupported_because(
                "call of a recursive program in a prange loop",
                format!("the prange loop at line {line} calls a jitted function and the program may recurse, which worker threads do not guard; use range"),
                span,
            ));
        }
    }
    let mut targets = Vec::new();
    target_locals(target, &mut targets);
    let mut assigned = Vec::new();
    assigned_in(body, &mut assigned);
    let assigned_set: HashSet<LocalId> = assigned.iter().copied().collect();
    let mut read = Vec::new();
    for st in body {
        reads_stmt(st, &mut read);
    }
    // Reductions.
    let mut updates: HashMap<LocalId, Option<Combine>> = HashMap::new();
    let mut indexed: HashMap<LocalId, Option<Combine>> = HashMap::new();
    let mut other_use: HashSet<LocalId> = HashSet::new();
    scan_updates(body, &mut updates, &mut indexed, &mut other_use);
    let mut plan = LoopPlan::default();
    let mut reduced = HashSet::new();
    for (&id, &c) in &updates {
        let Some(c) = c else { continue };
        if other_use.contains(&id) || targets.contains(&id) {
            continue;
        }
        if !reducible(ty(id), c) {
            return Err(CompileError::typing(
                "reduction in a prange loop",
                format!(
                    "'{}' of type {} is reduced with {:?} in the prange loop at line {line}: numbers are reduced (| & ^ of ints and bools too), and writable int, float or complex arrays in C or any order with += -= (*= but complex)",
                    name(id),
                    ty(id),
                    c
                ),
                s.span,
            ));
        }
        plan.reductions.push((id, c));
        reduced.insert(id);
    }
    plan.reductions.sort_by_key(|r| r.0);
    // Private locals: assigned before read in every iteration.
    let mut exposed = Vec::new();
    let mut now: HashSet<LocalId> = targets.iter().copied().collect();
    let end = definite(body, &mut now, &mut exposed, &assigned_set);
    let outside = live_after(&f.body, s);
    let mut private: Vec<LocalId> = targets.clone();
    private.extend(assigned.iter().copied().filter(|id| !reduced.contains(id) && !targets.contains(id)));
    private.sort_unstable();
    private.dedup();
    for &id in &private {
        if let Some((_, span)) = exposed.iter().find(|(x, _)| *x == id) {
            return Err(CompileError::typing(
                "loop-carried variable in a prange loop",
                format!(
                    "'{}' is read before it is assigned in an iteration of the prange loop at line {line}, so its value would carry from one iteration to the next (iterations run in any order, on several threads); assign it first in the body, or make it a reduction ({0} += ..., {0} = min({0}, ...)), or use range",
                    name(id)
                ),
                *span,
            ));
        }
        let back = outside.contains(&id);
        if back && (ty(id).holds_references() || !end.contains(&id)) {
            return Err(CompileError::unsupported_because(
                "variable of a prange loop used after it",
                format!(
                    "'{}' is assigned in the prange loop at line {line} and read after it, but {}; assign it after the loop from what the loop computed",
                    name(id),
                    if end.contains(&id) { "it holds an array or a container, which is not copied out of a parallel loop" } else { "not every iteration assigns it" }
                ),
                s.span,
            ));
        }
        plan.private.push((id, back));
    }
    let private_set: HashSet<LocalId> = private.iter().copied().collect();
    read.sort_unstable();
    read.dedup();
    plan.shared = read.into_iter().filter(|id| !private_set.contains(id) && !reduced.contains(id)).collect();
    // Shared generators.
    for &id in &plan.shared {
        if *ty(id) == Type::Generator {
            return Err(CompileError::unsupported_because(
                "Generator shared by a prange loop",
                format!("the iterations of the prange loop at line {line} would draw from '{}' on several threads at once; draw before the loop, or use np.random's functions (each thread has its own stream)", name(id)),
                s.span,
            ));
        }
    }
    // Shared arrays and containers. An array whose elements iterations would race on, and
    // that the body only ever updates as `h[idx] op= e`, becomes a reduction into a whole array
    // (each chunk updates an array of its own: a histogram is computed correctly).
    loop {
        let shared_set: HashSet<LocalId> = plan.shared.iter().copied().collect();
        let mut accesses =
            Accesses::new(prog, f, spec, targets.first().copied().filter(|t| !assigned_set.contains(t)), &shared_set);
        // Twice: the first pass learns what the body's local arrays refer to.
        for pass in 0..2 {
            if pass == 1 {
                accesses.arrays.clear();
                accesses.changed = None;
            }
            for st in body {
                accesses.stmt(st);
            }
        }
        let Some((h, wspan)) = accesses.conflict() else {
            accesses.check(line)?;
            break;
        };
        match indexed.get(&h) {
            Some(&Some(c)) if !other_use.contains(&h) && shared_set.contains(&h) && reducible(ty(h), c) => {
                plan.shared.retain(|&x| x != h);
                plan.reductions.push((h, c));
                plan.reductions.sort_by_key(|r| r.0);
            }
            _ => {
                accesses.check(line)?;
                return Err(accesses.conflict_error(h, wspan, line));
            }
        }
    }
    Ok(plan)
}

/// Whether values of type `t` reduce with `c`.
fn reducible(t: &Type, c: Combine) -> bool {
    if let Type::Array(a) = t {
        // `h += ...` on a whole array: each chunk adds into a new array of its own (C order).
        let numeric = a.dtype != crate::registry::Dtype::Bool;
        let op = c == Combine::Add || (c == Combine::Mul && !a.dtype.is_complex());
        return op && numeric && a.layout != crate::types::Layout::F && !a.readonly;
    }
    match c {
        Combine::Add | Combine::Mul | Combine::Min | Combine::Max | Combine::MinLast | Combine::MaxLast => {
            matches!(t, Type::Int64 | Type::UInt64 | Type::Float64 | Type::Float32)
        }
        Combine::Or | Combine::And | Combine::Xor => matches!(t, Type::Int64 | Type::UInt64 | Type::Bool),
    }
}

/// `return` anywhere, or `break` out of the loop itself (`top`: not inside an inner loop).
fn refuse_exits(body: &[hir::Stmt], line: u32, top: bool) -> Result<()> {
    for s in body {
        match &s.kind {
            S::Return(_) => {
                return Err(CompileError::unsupported_because(
                    "return in a prange loop",
                    format!("the iterations of the prange loop at line {line} run on several threads; return after the loop"),
                    s.span,
                ))
            }
            S::Break if top => {
                return Err(CompileError::unsupported_because(
                    "break out of a prange loop",
                    format!("every iteration of the prange loop at line {line} runs; use range to stop early"),
                    s.span,
                ))
            }
            S::Try { .. } => {
                return Err(CompileError::unsupported_because(
                    "try statement in a prange loop",
                    format!("an exception in an iteration of the prange loop at line {line} stops the loop and reaches its caller; put the try statement around the loop, or in a function the loop calls"),
                    s.span,
                ))
            }
            S::If { body, orelse, .. } => {
                refuse_exits(body, line, top)?;
                refuse_exits(orelse, line, top)?;
            }
            S::While { body, orelse, .. } | S::ForRange { body, orelse, .. } => {
                refuse_exits(body, line, false)?;
                refuse_exits(orelse, line, top)?;
            }
            _ => {}
        }
    }
    Ok(())
}

/// The first call of a jitted function in `stmts`.
fn first_call(stmts: &[hir::Stmt]) -> Option<Span> {
    let mut found = None;
    for s in stmts {
        each_expr(s, &mut |e| {
            if found.is_none() && matches!(e.kind, H::Call { .. } | H::CallValue { .. }) {
                found = Some(e.span);
            }
        });
    }
    found
}

/// Whether some function of the program was compiled with `parallel=True`, so that its loops
/// (`prange`, array expressions) may run on the thread pool: references are then counted
/// atomically, and the dispatcher releases the GIL for the call (the pool's threads may print).
pub fn runs_parallel(prog: &TypedProgram) -> bool {
    prog.funcs.iter().any(|f| f.parallel)
}
