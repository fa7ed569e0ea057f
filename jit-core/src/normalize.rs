//! Normalize/fingerprint stage: [`ast::FunctionDef`] → [`Fingerprint`], the blake3 hashes of its
//! normalized tree.
//!
//! Spans, docstrings, comments, formatting and annotations are already gone after `parse`; here
//! the tree is written in a canonical byte form. The *sticky* form keeps every name; the *code*
//! form renames locals and parameters by order of first appearance, so renaming `s` to `total`
//! gives the same code hash.

use std::collections::HashMap;

use crate::ast::*;

/// Bumped whenever the canonical form below changes.
pub const NORMAL_FORM_VERSION: u32 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Hash of the tree with its names (function, parameters, locals) as written.
    pub sticky: [u8; 32],
    /// Hash of the tree with locals and parameters alpha-renamed.
    pub code: [u8; 32],
}

impl Fingerprint {
    pub fn code_hex(&self) -> String {
        hex(&self.code)
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn fingerprint(f: &FunctionDef) -> Fingerprint {
    let locals = crate::scope::local_names(f);
    let sticky = {
        let mut w = Writer { h: blake3::Hasher::new(), rename: None };
        w.h.update(b"sticky");
        w.str(&f.name);
        w.function(f);
        *w.h.finalize().as_bytes()
    };
    let code = {
        let mut w = Writer { h: blake3::Hasher::new(), rename: Some((HashMap::new(), locals)) };
        w.h.update(b"code");
        w.function(f);
        *w.h.finalize().as_bytes()
    };
    Fingerprint { sticky, code }
}

struct Writer {
    h: blake3::Hasher,
    /// For the code form: local name → index by first appearance, and the set of local names.
    rename: Option<(HashMap<String, u32>, std::collections::HashSet<String>)>,
}

impl Writer {
    fn tag(&mut self, t: u8) {
        self.h.update(&[t]);
    }
    fn u64(&mut self, v: u64) {
        self.h.update(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.h.update(s.as_bytes());
    }
    fn name(&mut self, n: &str) {
        match &mut self.rename {
            Some((map, locals)) if locals.contains(n) => {
                let next = map.len() as u32;
                let i = *map.entry(n.to_string()).or_insert(next);
                self.tag(b'L');
                self.u64(i as u64);
            }
            _ => {
                self.tag(b'N');
                self.str(n);
            }
        }
    }

    fn function(&mut self, f: &FunctionDef) {
        self.u64(NORMAL_FORM_VERSION as u64);
        self.u64(f.params.len() as u64);
        for p in &f.params {
            self.name(&p.name);
            self.tag(p.has_default as u8);
        }
        self.block(&f.body);
    }

    fn block(&mut self, b: &[Stmt]) {
        self.u64(b.len() as u64);
        for s in b {
            self.stmt(s);
        }
    }

    fn target(&mut self, t: &Target) {
        match t {
            Target::Name(n, _) => self.name(n),
            Target::Tuple(ts, _) => {
                self.tag(b'T');
                self.u64(ts.len() as u64);
                ts.iter().for_each(|t| self.target(t));
            }
            Target::Subscript { value, index, .. } => {
                self.tag(b'S');
                self.expr(value);
                self.expr(index);
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                self.tag(1);
                self.u64(targets.len() as u64);
                targets.iter().for_each(|t| self.target(t));
                self.expr(value);
            }
            StmtKind::AugAssign { target, op, value } => {
                self.tag(2);
                self.target(target);
                self.str(op.symbol());
                self.expr(value);
            }
            StmtKind::Expr(e) => {
                self.tag(3);
                self.expr(e);
            }
            StmtKind::If { test, body, orelse } => {
                self.tag(4);
                self.expr(test);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::While { test, body, orelse } => {
                self.tag(5);
                self.expr(test);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::For { target, iter, body, orelse } => {
                self.tag(6);
                self.target(target);
                self.expr(iter);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::Return(v) => {
                self.tag(7);
                match v {
                    Some(v) => self.expr(v),
                    None => self.tag(0),
                }
            }
            StmtKind::Break => self.tag(8),
            StmtKind::Continue => self.tag(9),
            StmtKind::Pass => self.tag(10),
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Int(i) => {
                self.tag(20);
                self.u64(*i as u64);
            }
            ExprKind::UInt(u) => {
                self.tag(34);
                self.u64(*u);
            }
            ExprKind::Float(f) => {
                self.tag(21);
                self.u64(f.to_bits());
            }
            ExprKind::Bool(b) => {
                self.tag(22);
                self.tag(*b as u8);
            }
            ExprKind::None => self.tag(23),
            ExprKind::Name(n) => self.name(n),
            ExprKind::Attribute { value, attr } => {
                self.tag(24);
                self.expr(value);
                self.str(attr);
            }
            ExprKind::Binary { op, left, right } => {
                self.tag(25);
                self.str(op.symbol());
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Unary { op, operand } => {
                self.tag(26);
                self.tag(*op as u8);
                self.expr(operand);
            }
            ExprKind::BoolOp { op, values } => {
                self.tag(27);
                self.tag(*op as u8);
                self.u64(values.len() as u64);
                values.iter().for_each(|v| self.expr(v));
            }
            ExprKind::Compare { left, ops, comparators } => {
                self.tag(28);
                self.expr(left);
                self.u64(ops.len() as u64);
                for (op, c) in ops.iter().zip(comparators) {
                    self.str(op.symbol());
                    self.expr(c);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.tag(29);
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            ExprKind::Call { func, args, keywords } => {
                self.tag(30);
                self.expr(func);
                self.u64(args.len() as u64);
                args.iter().for_each(|a| self.expr(a));
                self.u64(keywords.len() as u64);
                for k in keywords {
                    self.str(&k.name);
                    self.expr(&k.value);
                }
            }
            ExprKind::Tuple(items) => {
                self.tag(31);
                self.u64(items.len() as u64);
                items.iter().for_each(|v| self.expr(v));
            }
            ExprKind::Slice { lower, upper, step } => {
                self.tag(33);
                for part in [lower, upper, step] {
                    match part {
                        Some(e) => self.expr(e),
                        None => self.tag(0),
                    }
                }
            }
            ExprKind::Subscript { value, index } => {
                self.tag(32);
                self.expr(value);
                self.expr(index);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::{parse_function, SourceFunction};

    fn fp(src: &str) -> Fingerprint {
        let lines: Vec<String> = src.lines().map(|l| format!("{l}\n")).collect();
        fingerprint(&parse_function(&SourceFunction { lines: &lines, first_line: 1, filename: "t.py" }).unwrap())
    }

    #[test]
    fn comments_docstrings_formatting_do_not_change_either_hash() {
        let a = fp("def f(n):\n    s = 0\n    for i in range(n):\n        s += i\n    return s\n");
        let b =
            fp("@jit\ndef f(n):\n    '''doc'''\n    s=0 # zero\n\n    for i in range( n ):\n        s += i\n    return (s)\n");
        assert_eq!(a, b);
    }

    #[test]
    fn renaming_a_local_changes_only_the_sticky_hash() {
        let a = fp("def f(n):\n    s = 0\n    s += n\n    return s\n");
        let b = fp("def f(n):\n    total = 0\n    total += n\n    return total\n");
        assert_ne!(a.sticky, b.sticky);
        assert_eq!(a.code, b.code);
    }

    #[test]
    fn a_real_change_changes_both() {
        let a = fp("def f(n):\n    return n + 1\n");
        let b = fp("def f(n):\n    return n + 2\n");
        assert_ne!(a.sticky, b.sticky);
        assert_ne!(a.code, b.code);
    }

    #[test]
    fn every_expression_kind_has_its_own_tag() {
        // A uint64 literal against an int64 one with the same bits, and against the other
        // expressions whose tags neighbour it.
        let big = fp("def f(n):\n    return 9223372036854775808\n");
        let neg = fp("def f(n):\n    return -9223372036854775807 - 1\n");
        let bits = fp("def f(n):\n    return (-9223372036854775807 - 1)\n");
        assert_eq!(neg, bits);
        assert_ne!(big.code, neg.code);
        let boolop = fp("def f(n):\n    return n and n\n");
        assert_ne!(big.code, boolop.code);
        // Every node kind writes its own tag (0 marks an absent optional part).
        let text = include_str!("normalize.rs");
        let code = &text[..text.find("#[cfg(test)]").expect("tests below the code")];
        let mut seen = std::collections::HashSet::new();
        for (at, _) in code.match_indices("self.tag(") {
            let digits: String = code[at + "self.tag(".len()..].chars().take_while(char::is_ascii_digit).collect();
            if let Ok(n) = digits.parse::<u32>() {
                assert!(n == 0 || seen.insert(n), "tag {n} is written for two kinds of node");
            }
        }
        assert!(seen.len() > 20, "the scan finds the tags");
    }
}
