//! Text form of the typed IR: what `inspect_types()` prints and the snapshot tests compare.

// `let _ = writeln!(out, ..)`: writing to a String cannot fail; the `Ok` is dropped.
use std::fmt::Write;

use crate::ast::{BinOp, BoolOpKind, UnaryOp};
use crate::hir::{self, ExprKind as H, StmtKind as S};
use crate::infer::{TypedFunction, TypedProgram};
use crate::types::Type;

pub fn typed_program(p: &TypedProgram) -> String {
    let mut out = String::new();
    for (i, spec) in p.specs.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        typed_function(&mut out, p, p.func(spec), spec, i);
    }
    out
}

fn typed_function(out: &mut String, prog: &TypedProgram, f: &hir::Function, s: &TypedFunction, idx: usize) {
    let params: Vec<String> =
        f.params.iter().map(|p| format!("{}: {}", f.locals[*p as usize].name, s.local_types[*p as usize])).collect();
    let _ = writeln!(out, "def {}#{}({}) -> {}:", f.name, idx, params.join(", "), s.ret);
    let locals: Vec<String> = f
        .locals
        .iter()
        .enumerate()
        .filter(|(i, _)| !f.params.contains(&(*i as u32)))
        .map(|(i, l)| format!("{}: {}", l.name, s.local_types[i]))
        .collect();
    if !locals.is_empty() {
        let _ = writeln!(out, "    # locals: {}", locals.join(", "));
    }
    let p = Printer { prog, hir_fn: f, spec: s };
    p.block(out, &f.body, 1);
}

struct Printer<'a> {
    prog: &'a TypedProgram,
    hir_fn: &'a hir::Function,
    spec: &'a TypedFunction,
}

impl Printer<'_> {
    fn block(&self, out: &mut String, stmts: &[hir::Stmt], depth: usize) {
        let pad = "    ".repeat(depth);
        if stmts.is_empty() {
            let _ = writeln!(out, "{pad}pass");
        }
        for st in stmts {
            match &st.kind {
                S::Assign { targets, value } => {
                    let ts: Vec<String> = targets.iter().map(|t| self.target(t)).collect();
                    let _ = writeln!(out, "{pad}{} = {}", ts.join(" = "), self.expr(value));
                }
                S::AugAssign { target, op, value, .. } => {
                    let _ = writeln!(out, "{pad}{} {}= {}", self.local(*target), op.symbol(), self.expr(value));
                }
                S::AugAssignIndex { array, index, op, value } => {
                    let _ =
                        writeln!(out, "{pad}{}[{}] {}= {}", self.expr(array), self.expr(index), op.symbol(), self.expr(value));
                }
                S::Expr(e) => {
                    let _ = writeln!(out, "{pad}{}", self.expr(e));
                }
                S::If { test, body, orelse } => {
                    // A test the types decide: the branch not taken is neither typed nor compiled.
                    let known = self.spec.known_tests.get(&test.id).copied();
                    let _ = writeln!(out, "{pad}if {}:", self.expr(test));
                    if known == Some(false) {
                        let _ = writeln!(out, "{pad}    # not compiled: the types make the test false");
                    } else {
                        self.block(out, body, depth + 1);
                    }
                    if known == Some(true) && !orelse.is_empty() {
                        let _ = writeln!(out, "{pad}else:");
                        let _ = writeln!(out, "{pad}    # not compiled: the types make the test true");
                    } else if !orelse.is_empty() {
                        let _ = writeln!(out, "{pad}else:");
                        self.block(out, orelse, depth + 1);
                    }
                }
                S::While { test, body, orelse } => {
                    let _ = writeln!(out, "{pad}while {}:", self.expr(test));
                    self.block(out, body, depth + 1);
                    if !orelse.is_empty() {
                        let _ = writeln!(out, "{pad}else:");
                        self.block(out, orelse, depth + 1);
                    }
                }
                S::ForRange { target, start, stop, step, body, orelse } => {
                    let _ = writeln!(
                        out,
                        "{pad}for {} in range({}, {}, {}):",
                        self.target(target),
                        self.expr(start),
                        self.expr(stop),
                        self.expr(step)
                    );
                    self.block(out, body, depth + 1);
                    if !orelse.is_empty() {
                        let _ = writeln!(out, "{pad}else:");
                        self.block(out, orelse, depth + 1);
                    }
                }
                S::Return(v) => {
                    let _ = match v {
                        Some(v) => writeln!(out, "{pad}return {}", self.expr(v)),
                        None => writeln!(out, "{pad}return"),
                    };
                }
                S::Break => {
                    let _ = writeln!(out, "{pad}break");
                }
                S::Continue => {
                    let _ = writeln!(out, "{pad}continue");
                }
                S::Pass => {
                    let _ = writeln!(out, "{pad}pass");
                }
                S::Print { items, sep, end, .. } => {
                    let shown: Vec<String> = items
                        .iter()
                        .map(|i| match i {
                            hir::PrintItem::Text(t) => format!("{t:?}"),
                            hir::PrintItem::Value(e) => self.expr(e),
                        })
                        .collect();
                    let _ = writeln!(out, "{pad}print({}, sep={sep:?}, end={end:?})", shown.join(", "));
                }
                S::Try { body, handlers, orelse, finalbody } => {
                    let _ = writeln!(out, "{pad}try:");
                    self.block(out, body, depth + 1);
                    for h in handlers {
                        let names: Vec<&str> = crate::registry::exceptions::RAISABLE
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| h.mask >> i & 1 == 1)
                            .map(|(_, n)| *n)
                            .collect();
                        let _ = if h.mask == u64::MAX {
                            writeln!(out, "{pad}except:")
                        } else {
                            writeln!(out, "{pad}except ({}):", names.join(", "))
                        };
                        self.block(out, &h.body, depth + 1);
                    }
                    for (word, b) in [("else", orelse), ("finally", finalbody)] {
                        if !b.is_empty() {
                            let _ = writeln!(out, "{pad}{word}:");
                            self.block(out, b, depth + 1);
                        }
                    }
                }
                S::Reraise => {
                    let _ = writeln!(out, "{pad}raise");
                }
                S::Raise { class, message, .. } => {
                    let class = crate::registry::exceptions::RAISABLE[*class as usize];
                    let _ =
                        writeln!(out, "{pad}raise {class}({})", message.as_ref().map(|m| format!("{m:?}")).unwrap_or_default());
                }
            }
        }
    }

    fn local(&self, id: u32) -> String {
        self.hir_fn.locals[id as usize].name.clone()
    }

    fn target(&self, t: &hir::Target) -> String {
        match t {
            hir::Target::Local(id, _) => self.local(*id),
            hir::Target::Tuple(ts, _) => format!("({})", ts.iter().map(|t| self.target(t)).collect::<Vec<_>>().join(", ")),
            hir::Target::Index { array, index, .. } => format!("{}[{}]", self.expr(array), self.expr(index)),
        }
    }

    /// An expression with its type: `(a + b : float64)`.
    fn expr(&self, e: &hir::Expr) -> String {
        let ty = &self.spec.expr_types[e.id as usize];
        let body = match &e.kind {
            H::Int(i) => i.to_string(),
            H::UInt(u) => u.to_string(),
            H::Float(f) => format!("{f:?}"),
            H::Complex(re, im) => format!("complex({re:?}, {im:?})"),
            H::Dtype(d) => format!("np.{}", d.row().numpy_attr),
            H::Str(s) => format!("{s:?}"),
            H::FString { texts, values, formats } => {
                let mut out = String::from("f\"");
                for (k, text) in texts.iter().enumerate() {
                    out.push_str(text);
                    if let (Some(v), Some((conversion, spec))) = (values.get(k), formats.get(k)) {
                        let conv = if *conversion == 0 { String::new() } else { format!("!{}", *conversion as char) };
                        let spec = if spec.is_empty() { String::new() } else { format!(":{spec}") };
                        out.push_str(&format!("{{{}{conv}{spec}}}", self.expr(v)));
                    }
                }
                out + "\""
            }
            H::Bool(b) => {
                if *b {
                    "True".into()
                } else {
                    "False".into()
                }
            }
            H::None => "None".into(),
            H::Local { id, check_bound } => {
                format!("{}{}", self.local(*id), if *check_bound { "?" } else { "" })
            }
            H::Binary { op, left, right } => format!("{} {} {}", self.expr(left), binop(*op), self.expr(right)),
            H::Unpack(t) => format!("*{}", self.expr(t)),
            H::MethodOr { value, record } => format!("({} | {})", self.expr(value), self.expr(record)),
            H::Field { value, name } => format!("{}.{name}", self.expr(value)),
            H::Unary { op, operand } => {
                let o = match op {
                    UnaryOp::Neg => "-",
                    UnaryOp::Pos => "+",
                    UnaryOp::Not => "not ",
                    UnaryOp::Invert => "~",
                };
                format!("{o}{}", self.expr(operand))
            }
            H::BoolOp { op, values } => {
                let sep = if *op == BoolOpKind::And { " and " } else { " or " };
                values.iter().map(|v| self.expr(v)).collect::<Vec<_>>().join(sep)
            }
            H::Compare { left, ops, comparators } => {
                let mut s = self.expr(left);
                for (op, c) in ops.iter().zip(comparators) {
                    let _ = write!(s, " {} {}", op.symbol(), self.expr(c));
                }
                s
            }
            H::IfExp { test, body, orelse } => {
                format!("{} if {} else {}", self.expr(body), self.expr(test), self.expr(orelse))
            }
            H::Intrinsic { f: hir::Intrinsic::Ufunc(k), args } => {
                // A @vectorize object's call: its name, and the kernel's specialization.
                let target = self.spec.call_targets.get(&e.id).map(|t| format!("#{t}")).unwrap_or_default();
                let name = &self.hir_fn.ufuncs[*k as usize].name;
                format!("ufunc {name}{target}({})", args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", "))
            }
            H::Intrinsic { f: hir::Intrinsic::UfuncReduce { k, axis, accumulate }, args } => {
                let target = self.spec.call_targets.get(&e.id).map(|t| format!("#{t}")).unwrap_or_default();
                let name = &self.hir_fn.ufuncs[*k as usize].name;
                let axis = axis.map(|a| a.to_string()).unwrap_or_else(|| "None".to_string());
                let method = if *accumulate { "accumulate" } else { "reduce" };
                format!("ufunc {name}{target}.{method}({}, axis={axis})", self.expr(&args[0]))
            }
            H::Intrinsic { f, args } => {
                format!("{}({})", f.qualified_name(), args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", "))
            }
            H::Call { func, args } => {
                let target = self.spec.call_targets.get(&e.id).map(|t| format!("#{t}")).unwrap_or_default();
                format!(
                    "{}{target}({})",
                    self.prog.funcs[*func as usize].name,
                    args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")
                )
            }
            H::FunctionValue(func) => self.prog.funcs[*func as usize].name.clone(),
            H::Closure { func, captures } => format!(
                "{}[captures {}]",
                self.prog.funcs[*func as usize].name,
                captures.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")
            ),
            H::CallValue { callee, args } => {
                let target = self.spec.call_targets.get(&e.id).map(|t| format!("#{t}")).unwrap_or_default();
                format!("{}{target}({})", self.expr(callee), args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", "))
            }
            H::Tuple(items) => format!("({})", items.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")),
            H::List(items) => format!("[{}]", items.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")),
            H::Set(items) => format!("{{{}}}", items.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")),
            H::ListMethod { alt: Some(alt), list, .. }
                if !matches!(self.spec.expr_types[list.id as usize], Type::List(_) | Type::Dict(..)) =>
            {
                return self.expr(alt)
            }
            H::ListMethod { method, list, args, .. } => format!(
                "{}.{}({})",
                self.expr(list),
                method.name(),
                args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")
            ),
            H::Dict(pairs) => format!(
                "{{{}}}",
                pairs.iter().map(|(k, v)| format!("{}: {}", self.expr(k), self.expr(v))).collect::<Vec<_>>().join(", ")
            ),
            // What a loop iterates over is the value itself unless it is a dict.
            H::DictMethod { method: hir::DictMethod::Iter, dict, .. }
                if !matches!(self.spec.expr_types[dict.id as usize], Type::Dict(..) | Type::Set(_)) =>
            {
                return self.expr(dict)
            }
            H::DictMethod { method, dict, args } => format!(
                "{}.{}({})",
                self.expr(dict),
                method.name(),
                args.iter().map(|a| self.expr(a)).collect::<Vec<_>>().join(", ")
            ),
            H::Subscript { value, index } => format!("{}[{}]", self.expr(value), self.expr(index)),
            H::Attr { value, attr } => format!("{}.{}", self.expr(value), attr.name()),
            H::Reduce { f, value, axis: None } => format!("{}.{}()", self.expr(value), f.name()),
            H::Reduce { f, value, axis: Some(hir::Axis::Const(k)) } => format!("{}.{}(axis={k})", self.expr(value), f.name()),
            H::Reduce { f, value, axis: Some(hir::Axis::Var(k)) } => {
                format!("{}.{}(axis={})", self.expr(value), f.name(), self.expr(k))
            }
            H::Reshape { value, shape } => format!("{}.reshape({})", self.expr(value), self.expr(shape)),
            H::Unravel { flat, shape } => format!("unravel({}, {})", self.expr(flat), self.expr(shape)),
            H::ShapeSize(shape) => format!("size({})", self.expr(shape)),
            H::Out { value, out } => format!("({} -> out={})", self.expr(value), self.expr(out)),
            H::Transpose { value, axes: None } => format!("{}.T", self.expr(value)),
            H::Transpose { value, axes: Some(axes) } => format!("{}.transpose({axes:?})", self.expr(value)),
            H::New(n) => format!("new({})", n.operands().iter().map(|e| self.expr(e)).collect::<Vec<_>>().join(", ")),
            H::Slice { lower, upper, step } => {
                let part = |e: &Option<Box<hir::Expr>>| e.as_ref().map(|e| self.expr(e)).unwrap_or_default();
                format!("{}:{}:{}", part(lower), part(upper), part(step))
            }
        };
        format!("({body} : {ty})")
    }
}

fn binop(op: BinOp) -> &'static str {
    op.symbol()
}
