//! Where a failure happened: the program-wide numbering of statements that a status word's
//! site carries (`registry::status`), and the table that turns a site back into traceback
//! frames (file, function, line) for the jitted functions the failure went through.
//!
//! The numbering is a pre-order count of the HIR statements of every function of the program,
//! one function after the other: it depends only on the program's structure, which the code
//! key fixes, never on positions. So an object compiled for one function serves another with
//! the same key (the same source at other lines, another file) and each reports its own lines:
//! the table is built from the program of the call being served, not stored with the object.

use std::collections::HashMap;

use crate::hir;
use crate::infer::TypedProgram;

/// Each statement of `prog`, in site order (site `n` is `out[n]`), with its function's index.
pub fn statements(prog: &TypedProgram) -> Vec<(u32, &hir::Stmt)> {
    fn walk<'p>(func: u32, stmts: &'p [hir::Stmt], out: &mut Vec<(u32, &'p hir::Stmt)>) {
        for s in stmts {
            out.push((func, s));
            for b in s.kind.blocks() {
                walk(func, b, out);
            }
        }
    }
    let mut out = Vec::new();
    for (i, f) in prog.funcs.iter().enumerate() {
        walk(i as u32, &f.body, &mut out);
    }
    out
}

/// One traceback frame: the file, the function's name, the line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub file: String,
    pub name: String,
    pub line: u32,
}

/// The sites of a program and the call sites of its functions: what turns a failure's site
/// into the frames of its traceback ([`Sites::frames`]).
#[derive(Clone, Debug, Default)]
pub struct Sites {
    /// Each site's (function, line).
    lines: Vec<(u32, u32)>,
    /// Each function's (name, file).
    funcs: Vec<(String, String)>,
    /// Each function's call sites in the program (distinct sites calling it).
    callers: Vec<Vec<u32>>,
}

impl Sites {
    pub fn of(prog: &TypedProgram) -> Sites {
        let stmts = statements(prog);
        let lines = stmts.iter().map(|(f, s)| (*f, s.span.line)).collect();
        let funcs = prog.funcs.iter().map(|f| (f.name.clone(), f.filename.clone())).collect();
        // The site of each expression, function by function.
        let mut site_of: Vec<HashMap<hir::ExprId, u32>> = vec![HashMap::new(); prog.funcs.len()];
        for (site, (f, s)) in stmts.iter().enumerate() {
            let map = &mut site_of[*f as usize];
            for e in s.own_exprs() {
                each_expr(e, &mut |x| {
                    map.insert(x.id, site as u32);
                });
            }
        }
        let mut callers: Vec<Vec<u32>> = vec![Vec::new(); prog.funcs.len()];
        for spec in &prog.specs {
            for (e, target) in &spec.call_targets {
                let Some(&site) = site_of[spec.func as usize].get(e) else { continue };
                let callee = prog.specs[*target].func as usize;
                if !callers[callee].contains(&site) {
                    callers[callee].push(site);
                }
            }
        }
        Sites { lines, funcs, callers }
    }

    /// The traceback frames of a failure at `site`, outermost first: the function that failed
    /// at its line, preceded by each jitted caller at the line of its call, as long as that
    /// call is the only call of the function in the program (where it is called from several
    /// places, the frames above it are not known and not shown).
    pub fn frames(&self, site: u32) -> Vec<Frame> {
        let mut out = Vec::new();
        let mut seen = Vec::new();
        let mut at = Some(site);
        while let Some(site) = at {
            let Some(&(func, line)) = self.lines.get(site as usize) else { break };
            if seen.contains(&func) {
                break; // recursion: the depth is not known
            }
            seen.push(func);
            let (name, file) = &self.funcs[func as usize];
            out.push(Frame { file: file.clone(), name: name.clone(), line });
            at = match self.callers[func as usize].as_slice() {
                [one] if func != 0 => Some(*one),
                _ => None,
            };
        }
        out.reverse();
        out
    }
}

/// `f` of `e` and of every expression inside it.
fn each_expr<'e>(e: &'e hir::Expr, f: &mut impl FnMut(&'e hir::Expr)) {
    f(e);
    for c in e.kind.children() {
        each_expr(c, f);
    }
}
