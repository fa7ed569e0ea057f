//! Normalize/fingerprint stage: [`ast::FunctionDef`] → [`Fingerprint`], the blake3 hashes of its
//! normalized tree.
//!
//! Spans, docstrings, comments, formatting and annotations are already gone after `parse`; here
//! the tree is written in a canonical byte form that renames locals and parameters by order of
//! first appearance, so renaming `s` to `total` gives the same code hash. (The sticky identity,
//! which keeps the names, is jit-py's.)

use std::collections::HashMap;

use crate::ast::*;

/// Bumped whenever the canonical form below changes.
pub const NORMAL_FORM_VERSION: u32 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// Hash of the tree with locals and parameters alpha-renamed.
    pub code: [u8; 32],
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn fingerprint(f: &FunctionDef) -> Fingerprint {
    let mut w = Writer {
        hasher: blake3::Hasher::new(),
        renamed: HashMap::new(),
        locals: crate::scope::local_names(f),
        inner: Vec::new(),
    };
    w.hasher.update(b"code");
    w.function(f);
    Fingerprint { code: *w.hasher.finalize().as_bytes() }
}

/// The byte that starts each node of the canonical form. Distinct by construction (the compiler
/// rejects two variants with one value); the values are part of every code key, so they never
/// change (a new kind of node takes a new value).
#[repr(u8)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tag {
    /// An absent optional part (`return` without a value, a slice bound left out).
    Absent = 0,
    Assign = 1,
    AugAssign = 2,
    ExprStmt = 3,
    If = 4,
    While = 5,
    For = 6,
    Return = 7,
    Break = 8,
    Continue = 9,
    Pass = 10,
    Int = 20,
    Float = 21,
    Bool = 22,
    NoneLit = 23,
    Attribute = 24,
    Binary = 25,
    Unary = 26,
    BoolOp = 27,
    Compare = 28,
    IfExp = 29,
    Call = 30,
    Tuple = 31,
    Subscript = 32,
    Slice = 33,
    UInt = 34,
    Str = 35,
    List = 36,
    Raise = 37,
    Assert = 38,
    Imag = 39,
    ListComp = 40,
    In = 41,
    Dict = 42,
    Set = 43,
    Try = 44,
    Reraise = 45,
    Handler = 46,
    /// A `def` inside the function, then a `lambda` (their names written as they are:
    /// `InnerLocal`).
    FunctionDef = 47,
    Lambda = 48,
    /// A name local to an inner function, as written (not renamed).
    InnerLocal = b'I',
    FString = 49,
    IsNone = 50,
    Starred = 51,
    Ellipsis = 52,
    Is = 53,
    /// A local or parameter in the code form, by its index of first appearance.
    Local = b'L',
    /// A name that is not local, as written (a global, a module's attribute).
    Name = b'N',
    TupleTarget = b'T',
    SubscriptTarget = b'S',
}

struct Writer {
    hasher: blake3::Hasher,
    /// Local name → index by first appearance.
    renamed: HashMap<String, u32>,
    /// The names local to the function (parameters included).
    locals: std::collections::HashSet<String>,
    /// The names local to each inner function being written (innermost last).
    inner: Vec<std::collections::HashSet<String>>,
}

impl Writer {
    fn tag(&mut self, t: Tag) {
        self.hasher.update(&[t as u8]);
    }
    /// A small value (a flag, an operator's discriminant), not a node kind.
    fn byte(&mut self, b: u8) {
        self.hasher.update(&[b]);
    }
    fn u64(&mut self, v: u64) {
        self.hasher.update(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u64(s.len() as u64);
        self.hasher.update(s.as_bytes());
    }
    fn name(&mut self, n: &str) {
        if self.inner.iter().any(|scope| scope.contains(n)) {
            self.tag(Tag::InnerLocal);
            self.str(n);
        } else if self.locals.contains(n) {
            let next = self.renamed.len() as u32;
            let i = *self.renamed.entry(n.to_string()).or_insert(next);
            self.tag(Tag::Local);
            self.u64(i as u64);
        } else {
            self.tag(Tag::Name);
            self.str(n);
        }
    }

    fn function(&mut self, f: &FunctionDef) {
        self.u64(NORMAL_FORM_VERSION as u64);
        self.u64(f.params.len() as u64);
        for p in &f.params {
            self.name(&p.name);
            self.byte(p.has_default as u8);
            if p.keyword_only {
                self.byte(2); // (nothing for the others: their keys are as before)
            }
        }
        self.byte(f.vararg as u8);
        self.block(&f.body);
    }

    /// An inner function (`def` or `lambda`): its own names as written, the rest as the parent's.
    fn nested(&mut self, f: &FunctionDef) {
        self.inner.push(crate::scope::local_names(f));
        self.str(&f.name);
        self.u64(f.params.len() as u64);
        f.params.iter().for_each(|p| self.name(&p.name));
        self.block(&f.body);
        self.inner.pop();
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
                self.tag(Tag::TupleTarget);
                self.u64(ts.len() as u64);
                ts.iter().for_each(|t| self.target(t));
            }
            Target::Subscript { value, index, .. } => {
                self.tag(Tag::SubscriptTarget);
                self.expr(value);
                self.expr(index);
            }
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match &s.kind {
            StmtKind::Assign { targets, value } => {
                self.tag(Tag::Assign);
                self.u64(targets.len() as u64);
                targets.iter().for_each(|t| self.target(t));
                self.expr(value);
            }
            StmtKind::AugAssign { target, op, value } => {
                self.tag(Tag::AugAssign);
                self.target(target);
                self.str(op.symbol());
                self.expr(value);
            }
            StmtKind::Expr(e) => {
                self.tag(Tag::ExprStmt);
                self.expr(e);
            }
            StmtKind::If { test, body, orelse } => {
                self.tag(Tag::If);
                self.expr(test);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::While { test, body, orelse } => {
                self.tag(Tag::While);
                self.expr(test);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::For { target, iter, body, orelse } => {
                self.tag(Tag::For);
                self.target(target);
                self.expr(iter);
                self.block(body);
                self.block(orelse);
            }
            StmtKind::Return(v) => {
                self.tag(Tag::Return);
                match v {
                    Some(v) => self.expr(v),
                    None => self.tag(Tag::Absent),
                }
            }
            StmtKind::Break => self.tag(Tag::Break),
            StmtKind::Continue => self.tag(Tag::Continue),
            StmtKind::Pass => self.tag(Tag::Pass),
            StmtKind::Raise { class, message, called, dynamic } => {
                self.tag(Tag::Raise);
                self.str(class);
                self.u64(*called as u64);
                match (message, dynamic) {
                    (Some(m), _) => {
                        self.tag(Tag::Str);
                        self.str(m);
                    }
                    (None, Some(e)) => self.expr(e),
                    (None, None) => self.tag(Tag::Absent),
                }
            }
            StmtKind::Assert { test, message, dynamic } => {
                self.tag(Tag::Assert);
                self.expr(test);
                match (message, dynamic) {
                    (Some(m), _) => {
                        self.tag(Tag::Str);
                        self.str(m);
                    }
                    (None, Some(e)) => self.expr(e),
                    (None, None) => self.tag(Tag::Absent),
                }
            }
            StmtKind::Try { body, handlers, orelse, finalbody } => {
                self.tag(Tag::Try);
                self.block(body);
                self.u64(handlers.len() as u64);
                for h in handlers {
                    self.tag(Tag::Handler);
                    match &h.classes {
                        Some(cs) => {
                            self.u64(cs.len() as u64);
                            cs.iter().for_each(|c| self.str(c));
                        }
                        None => self.tag(Tag::Absent),
                    }
                    match &h.name {
                        Some(n) => self.str(n),
                        None => self.tag(Tag::Absent),
                    }
                    self.block(&h.body);
                }
                self.block(orelse);
                self.block(finalbody);
            }
            StmtKind::Reraise => self.tag(Tag::Reraise),
            StmtKind::FunctionDef(f) => {
                self.tag(Tag::FunctionDef);
                self.name(&f.name);
                self.nested(f);
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Lambda(f) => {
                self.tag(Tag::Lambda);
                self.nested(f);
            }
            ExprKind::Int(i) => {
                self.tag(Tag::Int);
                self.u64(*i as u64);
            }
            ExprKind::UInt(u) => {
                self.tag(Tag::UInt);
                self.u64(*u);
            }
            ExprKind::Float(f) => {
                self.tag(Tag::Float);
                self.u64(f.to_bits());
            }
            ExprKind::Imag(f) => {
                self.tag(Tag::Imag);
                self.u64(f.to_bits());
            }
            ExprKind::Bool(b) => {
                self.tag(Tag::Bool);
                self.byte(*b as u8);
            }
            ExprKind::None => self.tag(Tag::NoneLit),
            ExprKind::Ellipsis => self.tag(Tag::Ellipsis),
            ExprKind::Str(s) => {
                self.tag(Tag::Str);
                self.str(s);
            }
            ExprKind::IsNone { operand, negated } => {
                self.tag(Tag::IsNone);
                self.byte(*negated as u8);
                self.expr(operand);
            }
            ExprKind::Is { left, right, negated } => {
                self.tag(Tag::Is);
                self.byte(*negated as u8);
                self.expr(left);
                self.expr(right);
            }
            ExprKind::FString { texts, values, formats } => {
                self.tag(Tag::FString);
                self.u64(values.len() as u64);
                for t in texts {
                    self.str(t);
                }
                for (v, (conversion, spec)) in values.iter().zip(formats) {
                    self.expr(v);
                    self.byte(*conversion);
                    self.str(spec);
                }
            }
            ExprKind::Name(n) => self.name(n),
            ExprKind::Attribute { value, attr } => {
                self.tag(Tag::Attribute);
                self.expr(value);
                self.str(attr);
            }
            ExprKind::Binary { op, left, right } => {
                self.tag(Tag::Binary);
                self.str(op.symbol());
                self.expr(left);
                self.expr(right);
            }
            ExprKind::Starred(value) => {
                self.tag(Tag::Starred);
                self.expr(value);
            }
            ExprKind::Unary { op, operand } => {
                self.tag(Tag::Unary);
                self.byte(*op as u8);
                self.expr(operand);
            }
            ExprKind::BoolOp { op, values } => {
                self.tag(Tag::BoolOp);
                self.byte(*op as u8);
                self.u64(values.len() as u64);
                values.iter().for_each(|v| self.expr(v));
            }
            ExprKind::Compare { left, ops, comparators } => {
                self.tag(Tag::Compare);
                self.expr(left);
                self.u64(ops.len() as u64);
                for (op, c) in ops.iter().zip(comparators) {
                    self.str(op.symbol());
                    self.expr(c);
                }
            }
            ExprKind::IfExp { test, body, orelse } => {
                self.tag(Tag::IfExp);
                self.expr(test);
                self.expr(body);
                self.expr(orelse);
            }
            ExprKind::Call { func, args, keywords } => {
                self.tag(Tag::Call);
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
                self.tag(Tag::Tuple);
                self.u64(items.len() as u64);
                items.iter().for_each(|v| self.expr(v));
            }
            ExprKind::List(items) => {
                self.tag(Tag::List);
                self.u64(items.len() as u64);
                items.iter().for_each(|v| self.expr(v));
            }
            ExprKind::Dict(pairs) => {
                self.tag(Tag::Dict);
                self.u64(pairs.len() as u64);
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::Set(items) => {
                self.tag(Tag::Set);
                self.u64(items.len() as u64);
                items.iter().for_each(|v| self.expr(v));
            }
            ExprKind::In { item, container, negated } => {
                self.tag(Tag::In);
                self.byte(*negated as u8);
                self.expr(item);
                self.expr(container);
            }
            ExprKind::ListComp { kind, elt, value, generators } => {
                self.tag(Tag::ListComp);
                self.byte(*kind as u8);
                if let Some(v) = value {
                    self.expr(v);
                }
                self.u64(generators.len() as u64);
                for g in generators {
                    self.target(&g.target);
                    self.expr(&g.iter);
                    self.u64(g.ifs.len() as u64);
                    g.ifs.iter().for_each(|c| self.expr(c));
                }
                self.expr(elt);
            }
            ExprKind::Slice { lower, upper, step } => {
                self.tag(Tag::Slice);
                for part in [lower, upper, step] {
                    match part {
                        Some(e) => self.expr(e),
                        None => self.tag(Tag::Absent),
                    }
                }
            }
            ExprKind::Subscript { value, index } => {
                self.tag(Tag::Subscript);
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
    fn renaming_a_local_keeps_the_code_hash() {
        let a = fp("def f(n):\n    s = 0\n    s += n\n    return s\n");
        let b = fp("def f(n):\n    total = 0\n    total += n\n    return total\n");
        assert_eq!(a.code, b.code);
    }

    #[test]
    fn a_real_change_changes_the_code_hash() {
        let a = fp("def f(n):\n    return n + 1\n");
        let b = fp("def f(n):\n    return n + 2\n");
        assert_ne!(a.code, b.code);
    }

    #[test]
    fn inner_functions_are_part_of_the_code_hash() {
        let base =
            fp("def f(x):\n    k = 2\n    g = lambda y: y * k\n    def h(z):\n        return z + k\n    return g(x) + h(x)\n");
        // Renaming the parent's variable that the inner functions read keeps the hash.
        let renamed =
            fp("def f(x):\n    m = 2\n    g = lambda y: y * m\n    def h(z):\n        return z + m\n    return g(x) + h(x)\n");
        assert_eq!(base, renamed);
        // A change inside an inner function, or a global read instead of the captured local, changes it.
        let changed =
            fp("def f(x):\n    k = 2\n    g = lambda y: y * k\n    def h(z):\n        return z - k\n    return g(x) + h(x)\n");
        assert_ne!(base.code, changed.code);
        let global =
            fp("def f(x):\n    m = 2\n    g = lambda y: y * k\n    def h(z):\n        return z + k\n    return g(x) + h(x)\n");
        assert_ne!(base.code, global.code);
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
        // Every node kind writes its own tag: a `Tag` variant, distinct by construction.
    }

    #[test]
    fn tag_values_are_the_ones_code_keys_were_made_with() {
        use Tag::*;
        let stmts = [Assign, AugAssign, ExprStmt, If, While, For, Return, Break, Continue, Pass];
        assert_eq!(stmts.map(|t| t as u8), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        let exprs =
            [Int, Float, Bool, NoneLit, Attribute, Binary, Unary, BoolOp, Compare, IfExp, Call, Tuple, Subscript, Slice, UInt];
        assert_eq!(exprs.map(|t| t as u8), [20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34]);
        assert_eq!([Absent, Local, Name, TupleTarget, SubscriptTarget].map(|t| t as u8), [0, b'L', b'N', b'T', b'S']);
    }
}
