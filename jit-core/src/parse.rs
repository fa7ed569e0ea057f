//! Parse stage: source text of one `def` (as `linecache` holds it) → [`ast::FunctionDef`].
//!
//! The only module that touches rustpython-parser. It also finds where the `def` ends, so the
//! caller can hand it the file's lines from `co_firstlineno` on without knowing the length.

use rustpython_parser::ast::{self as py, Ranged};
use rustpython_parser::{parse, Mode};

use crate::ast::*;
use crate::error::{CompileError, Result};

/// The text handed to the parser: lines starting at the function's first line (decorators
/// included), possibly running past its end.
#[derive(Clone, Debug)]
pub struct SourceFunction<'a> {
    pub lines: &'a [String],
    /// 1-based line number of `lines[0]` in its file.
    pub first_line: u32,
    pub filename: &'a str,
}

/// Parses the first function definition in `src`.
pub fn parse_function(src: &SourceFunction<'_>) -> Result<FunctionDef> {
    // Tabs in indentation become spaces (CPython's columns); spans map back to the bytes.
    let (lines, indents) = crate::tabs::expand(src.lines).map_err(|i| CompileError::Syntax {
        message: crate::tabs::TAB_ERROR.to_string(),
        span: Span { line: src.first_line + i as u32, col: 0 },
    })?;
    let base = indent_of(lines.first().map(String::as_str).unwrap_or(""));
    let ends = candidate_ends(&lines, &indents, base);
    let mut first_err = None;
    // The text as it is; then with f-strings blanked (the parser rejects some CPython accepts).
    for lines in [lines.clone(), crate::tabs::blank_fstrings(&lines)] {
        for &end in &ends {
            let text = dedented(&lines[..end], base);
            match parse(&text, Mode::Module, src.filename) {
                Ok(module) => {
                    let conv = Converter::new(&text, src.first_line, base as u32, &indents);
                    return conv.module(module);
                }
                Err(e) => {
                    first_err.get_or_insert((text, e));
                }
            }
        }
    }
    let (text, e) = first_err.expect("at least one candidate end");
    let conv = Converter::new(&text, src.first_line, base as u32, &indents);
    Err(CompileError::Syntax { message: e.error.to_string(), span: conv.span_at(e.offset.to_usize()) })
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

fn is_blank_or_comment(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

/// Line counts at which the `def` may end, shortest first: the first line after the header
/// that starts a logical line at the def's own indentation or less, then (for safety) the whole
/// text.
fn candidate_ends(lines: &[String], indents: &[crate::tabs::Indent], base: usize) -> Vec<usize> {
    // The `def` after the decorators; none (a lambda's line) when another statement at the
    // base indentation comes first.
    let mut def_line = 0;
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        if is_blank_or_comment(l) || indent_of(l) > base || !indents[i].logical {
            continue;
        }
        if t.starts_with("def ") || t.starts_with("async def ") {
            def_line = i;
            break;
        }
        if !t.starts_with('@') {
            break;
        }
    }
    let mut ends = Vec::new();
    for (i, line) in lines.iter().enumerate().skip(def_line + 1) {
        if indents[i].logical && !is_blank_or_comment(line) && indent_of(line) <= base {
            ends.push(i);
            break;
        }
    }
    ends.push(lines.len());
    ends.dedup();
    ends
}

fn dedented(lines: &[String], base: usize) -> String {
    let mut out = String::new();
    for line in lines {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let cut = indent_of(line).min(base);
        out.push_str(&line[cut..]);
        out.push('\n');
    }
    out
}

struct Converter {
    text: String,
    line_starts: Vec<usize>,
    first_line: u32,
    base: u32,
    /// Each line's indentation before and after tabs were expanded.
    indents: Vec<crate::tabs::Indent>,
}

type PyExpr = py::Expr;
type PyStmt = py::Stmt;

impl Converter {
    fn new(text: &str, first_line: u32, base: u32, indents: &[crate::tabs::Indent]) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Converter { text: text.to_string(), line_starts, first_line, base, indents: indents.to_vec() }
    }

    fn span_at(&self, offset: usize) -> Span {
        let idx = self.line_starts.partition_point(|&s| s <= offset).saturating_sub(1);
        let col = (offset - self.line_starts[idx]) as u32 + self.base;
        let col = self.indents.get(idx).map_or(col, |i| i.original_col(col));
        Span { line: self.first_line + idx as u32, col }
    }

    fn span(&self, node: &impl Ranged) -> Span {
        self.span_at(node.range().start().to_usize())
    }

    fn module(&self, module: py::Mod) -> Result<FunctionDef> {
        let py::Mod::Module(m) = module else { unreachable!("parsed in module mode") };
        for stmt in m.body {
            match stmt {
                PyStmt::FunctionDef(f) => return self.function(f),
                PyStmt::AsyncFunctionDef(f) => return Err(CompileError::unsupported("async function", self.span(&f))),
                // `f = jit(lambda x: ...)`, `g = lambda x: ...`: the one lambda of the statement.
                PyStmt::Assign(a) if find_lambda(&a.value).is_some() => return self.top_lambda(&a.value),
                PyStmt::Expr(e) if find_lambda(&e.value).is_some() => return self.top_lambda(&e.value),
                PyStmt::ClassDef(c) => return Err(CompileError::unsupported("class definition", self.span(&c))),
                _ => {}
            }
        }
        Err(CompileError::unsupported_because(
            "function source",
            "no `def` statement found where the function's code says it starts",
            Span { line: self.first_line, col: self.indents.first().map_or(self.base, |i| i.original) },
        ))
    }

    fn function(&self, f: py::StmtFunctionDef) -> Result<FunctionDef> {
        let args = *f.args;
        if let Some(k) = &args.kwarg {
            return Err(CompileError::unsupported("**kwargs", self.span(&**k)));
        }
        let mut params: Vec<Param> = args
            .posonlyargs
            .iter()
            .chain(args.args.iter())
            .map(|a| Param {
                name: a.def.arg.to_string(),
                has_default: a.default.is_some(),
                keyword_only: false,
                span: self.span(&a.def),
            })
            .collect();
        // Keyword-only parameters (`def f(x, *, axis=-1)`) after the positional ones, in
        // CPython's order (`co_varnames`).
        params.extend(args.kwonlyargs.iter().map(|a| Param {
            name: a.def.arg.to_string(),
            has_default: a.default.is_some(),
            keyword_only: true,
            span: self.span(&a.def),
        }));
        // `*args`: a last parameter holding the extra positional arguments as a tuple.
        let vararg = args.vararg.is_some();
        if let Some(v) = &args.vararg {
            params.push(Param { name: v.arg.to_string(), has_default: false, keyword_only: false, span: self.span(&**v) });
        }
        let mut body = f.body;
        if let Some(PyStmt::Expr(e)) = body.first() {
            if matches!(&*e.value, PyExpr::Constant(c) if matches!(c.value, py::Constant::Str(_))) {
                body.remove(0);
            }
        }
        let span = self.span_at(f.range.start().to_usize());
        Ok(FunctionDef { name: f.name.to_string(), params, vararg, body: self.block(body)?, span })
    }

    /// A `def` inside the function: no decorators, no defaults (compiled with its parent).
    fn nested_function(&self, f: py::StmtFunctionDef, span: Span) -> Result<FunctionDef> {
        if let Some(d) = f.decorator_list.first() {
            return Err(CompileError::unsupported_because(
                "nested function definition",
                "a decorated inner function is not compiled; an inner function is compiled with its parent without one",
                self.span(d),
            ));
        }
        if let Some(a) = f.args.args.iter().chain(f.args.posonlyargs.iter()).find(|a| a.default.is_some()) {
            return Err(CompileError::unsupported_because(
                "nested function definition",
                "a default value of an inner function's parameter is not compiled",
                self.span(&a.def),
            ));
        }
        if let Some(v) = &f.args.vararg {
            return Err(CompileError::unsupported_because(
                "*args",
                "an inner function's *args is not compiled; a jitted function's is",
                self.span(&**v),
            ));
        }
        if let Some(k) = f.args.kwonlyargs.first() {
            return Err(CompileError::unsupported_because(
                "keyword-only parameter",
                "an inner function's keyword-only parameters are not compiled; a jitted function's are",
                self.span(&k.def),
            ));
        }
        let mut def = self.function(f)?;
        def.span = span;
        Ok(def)
    }

    /// The function a statement's one lambda (`jit(lambda x: x + 1)`) is; two lambdas in the
    /// statement are a CompileError (which one was decorated is not known from the source).
    fn top_lambda(&self, e: &PyExpr) -> Result<FunctionDef> {
        let mut found = Vec::new();
        lambdas(e, &mut found);
        match found.as_slice() {
            [PyExpr::Lambda(l)] => {
                let span = self.span(l);
                self.lambda(l.clone(), span)
            }
            _ => Err(CompileError::unsupported_because(
                "lambda",
                "several lambdas in one statement: define the jitted one with `def` (or on a line of its own)",
                self.span(found[0]),
            )),
        }
    }

    /// `lambda params: body` as a function `<lambda>` returning `body`.
    fn lambda(&self, l: py::ExprLambda, span: Span) -> Result<FunctionDef> {
        let args = *l.args;
        if args.vararg.is_some() || args.kwarg.is_some() || !args.kwonlyargs.is_empty() {
            return Err(CompileError::unsupported_because("lambda", "only positional parameters are compiled", span));
        }
        let mut params = Vec::new();
        for a in args.posonlyargs.iter().chain(args.args.iter()) {
            if a.default.is_some() {
                return Err(CompileError::unsupported_because(
                    "lambda",
                    "a default value of a lambda's parameter is not compiled",
                    self.span(&a.def),
                ));
            }
            params.push(Param { name: a.def.arg.to_string(), has_default: false, keyword_only: false, span: self.span(&a.def) });
        }
        let value = self.expr(*l.body)?;
        let body = vec![Stmt { span: value.span, kind: StmtKind::Return(Some(value)) }];
        Ok(FunctionDef { name: "<lambda>".to_string(), params, vararg: false, body, span })
    }

    fn block(&self, stmts: Vec<PyStmt>) -> Result<Vec<Stmt>> {
        stmts.into_iter().filter_map(|s| self.stmt(s).transpose()).collect()
    }

    fn stmt(&self, s: PyStmt) -> Result<Option<Stmt>> {
        let span = self.span(&s);
        let kind = match s {
            PyStmt::Assign(a) => StmtKind::Assign {
                targets: a.targets.into_iter().map(|t| self.target(t)).collect::<Result<_>>()?,
                value: self.expr(*a.value)?,
            },
            PyStmt::AnnAssign(a) => match a.value {
                Some(v) => StmtKind::Assign { targets: vec![self.target(*a.target)?], value: self.expr(*v)? },
                None => return Ok(None),
            },
            PyStmt::AugAssign(a) => {
                StmtKind::AugAssign { target: self.target(*a.target)?, op: binop(a.op), value: self.expr(*a.value)? }
            }
            PyStmt::Expr(e) => {
                // A bare string is a comment in disguise (e.g. a second docstring); it computes nothing.
                if matches!(&*e.value, PyExpr::Constant(c) if matches!(c.value, py::Constant::Str(_))) {
                    return Ok(None);
                }
                StmtKind::Expr(self.expr(*e.value)?)
            }
            PyStmt::If(i) => StmtKind::If { test: self.expr(*i.test)?, body: self.block(i.body)?, orelse: self.block(i.orelse)? },
            PyStmt::While(w) => {
                StmtKind::While { test: self.expr(*w.test)?, body: self.block(w.body)?, orelse: self.block(w.orelse)? }
            }
            PyStmt::For(f) => StmtKind::For {
                target: self.target(*f.target)?,
                iter: self.expr(*f.iter)?,
                body: self.block(f.body)?,
                orelse: self.block(f.orelse)?,
            },
            PyStmt::Return(r) => StmtKind::Return(r.value.map(|v| self.expr(*v)).transpose()?),
            PyStmt::Break(_) => StmtKind::Break,
            PyStmt::Continue(_) => StmtKind::Continue,
            PyStmt::Pass(_) => StmtKind::Pass,
            PyStmt::Raise(r) => self.raise(r, span)?,
            PyStmt::Try(t) => {
                let mut handlers = Vec::with_capacity(t.handlers.len());
                for h in t.handlers {
                    let py::ExceptHandler::ExceptHandler(h) = h;
                    let hspan = self.span(&h);
                    let classes =
                        match h.type_.map(|t| *t) {
                            None => None,
                            Some(PyExpr::Name(n)) => Some(vec![n.id.to_string()]),
                            Some(PyExpr::Tuple(t)) if t.elts.iter().all(|e| matches!(e, PyExpr::Name(_))) => Some(
                                t.elts
                                    .into_iter()
                                    .map(|e| if let PyExpr::Name(n) = e { n.id.to_string() } else { unreachable!("checked") })
                                    .collect(),
                            ),
                            Some(_) => return Err(CompileError::unsupported_because(
                                "except clause",
                                "name the exception classes directly: `except ValueError:` or `except (ValueError, IndexError):`",
                                hspan,
                            )),
                        };
                    handlers.push(Handler {
                        classes,
                        name: h.name.map(|n| n.to_string()),
                        body: self.block(h.body)?,
                        span: hspan,
                    });
                }
                StmtKind::Try {
                    body: self.block(t.body)?,
                    handlers,
                    orelse: self.block(t.orelse)?,
                    finalbody: self.block(t.finalbody)?,
                }
            }
            // `del x[i]`: the item deleted, as `x.__delitem__(i)` (`hir::ListMethod::DelItem`).
            PyStmt::Delete(d) if d.targets.len() == 1 && matches!(d.targets[0], PyExpr::Subscript(_)) => {
                let Some(PyExpr::Subscript(sub)) = d.targets.into_iter().next() else { unreachable!("matched above") };
                let value = self.expr(*sub.value)?;
                let index = self.expr(*sub.slice)?;
                let func = Expr { kind: ExprKind::Attribute { value: Box::new(value), attr: "__delitem__".into() }, span };
                StmtKind::Expr(Expr {
                    kind: ExprKind::Call { func: Box::new(func), args: vec![index], keywords: Vec::new() },
                    span,
                })
            }
            PyStmt::Assert(a) => {
                let (message, dynamic) = match a.msg {
                    Some(m) => self.message(*m)?,
                    None => (None, None),
                };
                StmtKind::Assert { test: self.expr(*a.test)?, message, dynamic }
            }
            PyStmt::FunctionDef(f) => StmtKind::FunctionDef(Box::new(self.nested_function(f, span)?)),
            // Numba's `with objmode(...)`: Python code inside a jitted function.
            PyStmt::With(w) if w.items.iter().any(|i| is_objmode(&i.context_expr)) => {
                return Err(CompileError::unsupported_because(
                    "with statement",
                    "an objmode block runs Python inside a jitted function, which compiled code does not: compute that part in Python, before or after the call",
                    span,
                ))
            }
            other => return Err(CompileError::unsupported(stmt_name(&other), span)),
        };
        Ok(Some(Stmt { kind, span }))
    }

    /// The `for ... in ... if ...` parts of a comprehension, outermost first.
    fn generators(&self, gens: Vec<py::Comprehension>, span: Span) -> Result<Vec<crate::ast::Comprehension>> {
        let mut out = Vec::with_capacity(gens.len());
        for g in gens {
            if g.is_async {
                return Err(CompileError::unsupported("async comprehension", span));
            }
            out.push(crate::ast::Comprehension {
                target: self.target(g.target)?,
                iter: self.expr(g.iter)?,
                ifs: self.exprs(g.ifs)?,
            });
        }
        Ok(out)
    }

    /// `raise Name`, `raise Name()`, `raise Name("message")`.
    fn raise(&self, r: py::StmtRaise, span: Span) -> Result<StmtKind> {
        let unsupported = |why: &str| Err(CompileError::unsupported_because("raise statement", why.to_string(), span));
        if r.cause.is_some() {
            return unsupported("'raise ... from ...' is not compiled");
        }
        let Some(exc) = r.exc else {
            return Ok(StmtKind::Reraise);
        };
        match *exc {
            PyExpr::Name(n) => Ok(StmtKind::Raise { class: n.id.to_string(), message: None, called: false, dynamic: None }),
            PyExpr::Call(c) if c.keywords.is_empty() && c.args.len() <= 1 => {
                let PyExpr::Name(n) = *c.func else {
                    return unsupported("the exception must be a builtin exception class named directly (ValueError(...))");
                };
                let (message, dynamic) = match c.args.into_iter().next() {
                    Some(m) => self.message(m)?,
                    None => (None, None),
                };
                Ok(StmtKind::Raise { class: n.id.to_string(), message, called: true, dynamic })
            }
            _ => unsupported("the exception must be a builtin exception class, raised with at most one message"),
        }
    }

    /// The message an exception is raised with: a string literal (constant), or any other
    /// expression (computed when raised; inference checks it is a string).
    fn message(&self, e: PyExpr) -> Result<(Option<String>, Option<Box<Expr>>)> {
        match e {
            PyExpr::Constant(py::ExprConstant { value: py::Constant::Str(s), .. }) => Ok((Some(s.to_string()), None)),
            other => Ok((None, Some(Box::new(self.expr(other)?)))),
        }
    }

    fn target(&self, t: PyExpr) -> Result<Target> {
        let span = self.span(&t);
        match t {
            PyExpr::Name(n) => Ok(Target::Name(n.id.to_string(), span)),
            PyExpr::Tuple(tp) => Ok(Target::Tuple(tp.elts.into_iter().map(|e| self.target(e)).collect::<Result<_>>()?, span)),
            PyExpr::List(_) => Err(CompileError::unsupported("list unpacking target", span)),
            PyExpr::Subscript(s) => {
                Ok(Target::Subscript { value: Box::new(self.expr(*s.value)?), index: Box::new(self.expr(*s.slice)?), span })
            }
            PyExpr::Attribute(_) => Err(CompileError::unsupported("attribute assignment", span)),
            PyExpr::Starred(_) => Err(CompileError::unsupported("starred assignment", span)),
            other => Err(CompileError::unsupported(expr_name(&other), span)),
        }
    }

    fn exprs(&self, es: Vec<PyExpr>) -> Result<Vec<Expr>> {
        es.into_iter().map(|e| self.expr(e)).collect()
    }

    /// The parts of an f-string: constant text between formatted values, each with its
    /// conversion and constant format spec.
    fn fstring(&self, parts: Vec<PyExpr>, span: Span) -> Result<ExprKind> {
        let mut texts = vec![String::new()];
        let mut values = Vec::new();
        let mut formats = Vec::new();
        for p in parts {
            match p {
                PyExpr::Constant(py::ExprConstant { value: py::Constant::Str(s), .. }) => {
                    texts.last_mut().expect("one text per value and one more").push_str(&s)
                }
                PyExpr::FormattedValue(f) => {
                    let conversion = f.conversion.to_byte().unwrap_or(0);
                    let spec = match f.format_spec {
                        None => String::new(),
                        Some(spec) => self.constant_spec(*spec, span)?,
                    };
                    values.push(self.expr(*f.value)?);
                    formats.push((conversion, spec));
                    texts.push(String::new());
                }
                other => return Err(CompileError::unsupported("f-string part", self.span(&other))),
            }
        }
        Ok(ExprKind::FString { texts, values, formats })
    }

    /// A format spec written as constant text (`.3f`); one with a replacement field inside
    /// (`{x:{width}}`) is not compiled.
    fn constant_spec(&self, spec: PyExpr, span: Span) -> Result<String> {
        let parts = match spec {
            PyExpr::JoinedStr(j) => j.values,
            other => vec![other],
        };
        let mut out = String::new();
        for p in parts {
            match p {
                PyExpr::Constant(py::ExprConstant { value: py::Constant::Str(s), .. }) => out.push_str(&s),
                _ => {
                    return Err(CompileError::unsupported_because(
                        "f-string format spec",
                        "a format spec with a replacement field inside ({x:{width}}) is not compiled",
                        span,
                    ))
                }
            }
        }
        Ok(out)
    }

    fn expr(&self, e: PyExpr) -> Result<Expr> {
        let span = self.span(&e);
        let kind = match e {
            PyExpr::Constant(c) => match c.value {
                py::Constant::Int(i) => {
                    let digits = i.to_string();
                    match (digits.parse::<i64>(), digits.parse::<u64>()) {
                        (Ok(v), _) => ExprKind::Int(v),
                        (_, Ok(v)) => ExprKind::UInt(v),
                        _ => return Err(CompileError::unsupported_because("integer literal", "outside the 64-bit range", span)),
                    }
                }
                py::Constant::Float(f) => ExprKind::Float(f),
                py::Constant::Bool(b) => ExprKind::Bool(b),
                py::Constant::None => ExprKind::None,
                py::Constant::Str(s) => ExprKind::Str(s.to_string()),
                py::Constant::Bytes(_) => return Err(CompileError::unsupported("bytes literal", span)),
                py::Constant::Complex { real: 0.0, imag } => ExprKind::Imag(imag),
                py::Constant::Complex { .. } => return Err(CompileError::unsupported("complex literal", span)),
                py::Constant::Ellipsis => ExprKind::Ellipsis,
                py::Constant::Tuple(_) => return Err(CompileError::unsupported("constant tuple", span)),
            },
            PyExpr::JoinedStr(j) => self.fstring(j.values, span)?,
            PyExpr::FormattedValue(f) => self.fstring(vec![PyExpr::FormattedValue(f)], span)?,
            PyExpr::Name(n) => ExprKind::Name(n.id.to_string()),
            PyExpr::Attribute(a) => ExprKind::Attribute { value: Box::new(self.expr(*a.value)?), attr: a.attr.to_string() },
            PyExpr::BinOp(b) => {
                ExprKind::Binary { op: binop(b.op), left: Box::new(self.expr(*b.left)?), right: Box::new(self.expr(*b.right)?) }
            }
            PyExpr::UnaryOp(u) => ExprKind::Unary {
                op: match u.op {
                    py::UnaryOp::USub => UnaryOp::Neg,
                    py::UnaryOp::UAdd => UnaryOp::Pos,
                    py::UnaryOp::Not => UnaryOp::Not,
                    py::UnaryOp::Invert => UnaryOp::Invert,
                },
                operand: Box::new(self.expr(*u.operand)?),
            },
            PyExpr::BoolOp(b) => ExprKind::BoolOp {
                op: match b.op {
                    py::BoolOp::And => BoolOpKind::And,
                    py::BoolOp::Or => BoolOpKind::Or,
                },
                values: self.exprs(b.values)?,
            },
            PyExpr::Compare(c) if matches!(c.ops.as_slice(), [py::CmpOp::In | py::CmpOp::NotIn]) => {
                let negated = matches!(c.ops[0], py::CmpOp::NotIn);
                let container = c.comparators.into_iter().next().expect("one comparator");
                ExprKind::In { item: Box::new(self.expr(*c.left)?), container: Box::new(self.expr(container)?), negated }
            }
            PyExpr::Compare(c) if matches!(c.ops.as_slice(), [py::CmpOp::Is | py::CmpOp::IsNot]) => {
                let negated = matches!(c.ops[0], py::CmpOp::IsNot);
                let right = c.comparators.into_iter().next().expect("one comparator");
                let is_none = |e: &PyExpr| matches!(e, PyExpr::Constant(k) if matches!(k.value, py::Constant::None));
                let operand = match (is_none(&c.left), is_none(&right)) {
                    (_, true) => *c.left,
                    (true, false) => right,
                    (false, false) => {
                        return Ok(Expr {
                            kind: ExprKind::Is {
                                left: Box::new(self.expr(*c.left)?),
                                right: Box::new(self.expr(right)?),
                                negated,
                            },
                            span,
                        })
                    }
                };
                ExprKind::IsNone { operand: Box::new(self.expr(operand)?), negated }
            }
            PyExpr::Compare(c) => {
                let ops = c
                    .ops
                    .iter()
                    .map(|op| {
                        Ok(match op {
                            py::CmpOp::Eq => CmpOp::Eq,
                            py::CmpOp::NotEq => CmpOp::Ne,
                            py::CmpOp::Lt => CmpOp::Lt,
                            py::CmpOp::LtE => CmpOp::Le,
                            py::CmpOp::Gt => CmpOp::Gt,
                            py::CmpOp::GtE => CmpOp::Ge,
                            py::CmpOp::Is | py::CmpOp::IsNot => return Err(CompileError::unsupported("'is' comparison", span)),
                            py::CmpOp::In | py::CmpOp::NotIn => return Err(CompileError::unsupported("'in' comparison", span)),
                        })
                    })
                    .collect::<Result<_>>()?;
                ExprKind::Compare { left: Box::new(self.expr(*c.left)?), ops, comparators: self.exprs(c.comparators)? }
            }
            PyExpr::IfExp(i) => ExprKind::IfExp {
                test: Box::new(self.expr(*i.test)?),
                body: Box::new(self.expr(*i.body)?),
                orelse: Box::new(self.expr(*i.orelse)?),
            },
            PyExpr::Call(c) => {
                let mut keywords = Vec::new();
                for k in c.keywords {
                    let kspan = self.span(&k);
                    let Some(name) = k.arg else {
                        return Err(CompileError::unsupported("**kwargs", kspan));
                    };
                    keywords.push(Keyword { name: name.to_string(), value: self.expr(k.value)?, span: kspan });
                }
                // `sum(x * x for x in a)`, `max(...)`, `min`, `sorted`, `list`, `set` of a
                // generator expression: the same as of the list (or set) comprehension, whose
                // items these builtins consume whole anyway (only memory differs); `any` and
                // `all` of one: a loop that stops at the first true (false) item
                // (`lower::comprehensions`).
                let consumer = matches!(&*c.func, PyExpr::Name(n) if matches!(n.id.as_str(), "sum" | "min" | "max" | "sorted" | "list" | "set" | "any" | "all"));
                if let (true, [PyExpr::GeneratorExp(_)]) = (consumer, c.args.as_slice()) {
                    let mut args = c.args;
                    let Some(PyExpr::GeneratorExp(g)) = args.pop() else { unreachable!("matched above") };
                    let gspan = self.span(&g);
                    let is_set = matches!(&*c.func, PyExpr::Name(n) if n.id.as_str() == "set");
                    let comp = ExprKind::ListComp {
                        kind: if is_set { CompKind::Set } else { CompKind::Generator },
                        elt: Box::new(self.expr(*g.elt)?),
                        value: None,
                        generators: self.generators(g.generators, gspan)?,
                    };
                    let arg = Expr { kind: comp, span: gspan };
                    return Ok(Expr {
                        kind: ExprKind::Call { func: Box::new(self.expr(*c.func)?), args: vec![arg], keywords },
                        span,
                    });
                }
                if let [g @ PyExpr::GeneratorExp(_)] = c.args.as_slice() {
                    // `sum(i for i in x)`: CPython's ast starts the generator expression at the
                    // call's `(`; rustpython starts it at the element (unless it has its own
                    // parentheses, `sum((i for i in x))`).
                    let (start, end) = (g.range().start().to_usize(), g.range().end().to_usize());
                    let own_parens = self.text.as_bytes()[start] == b'(' && matching_paren(&self.text, start) == Some(end - 1);
                    let after_func = c.func.range().end().to_usize();
                    let paren =
                        if own_parens { start } else { self.text[after_func..].find('(').map_or(start, |i| after_func + i) };
                    return Err(CompileError::unsupported("generator expression", self.span_at(paren)));
                }
                let mut args = Vec::with_capacity(c.args.len());
                for a in c.args {
                    args.push(match a {
                        // `f(x, *t)`: the one place a starred expression is compiled.
                        PyExpr::Starred(s) => {
                            let span = self.span(&s);
                            Expr { kind: ExprKind::Starred(Box::new(self.expr(*s.value)?)), span }
                        }
                        a => self.expr(a)?,
                    });
                }
                ExprKind::Call { func: Box::new(self.expr(*c.func)?), args, keywords }
            }
            PyExpr::Tuple(t) => ExprKind::Tuple(self.exprs(t.elts)?),
            PyExpr::List(l) => ExprKind::List(self.exprs(l.elts)?),
            PyExpr::Dict(d) => {
                let mut pairs = Vec::with_capacity(d.keys.len());
                for (k, v) in d.keys.into_iter().zip(d.values) {
                    let Some(k) = k else { return Err(CompileError::unsupported("'**' in a dict literal", span)) };
                    pairs.push((self.expr(k)?, self.expr(v)?));
                }
                ExprKind::Dict(pairs)
            }
            PyExpr::Set(s) => ExprKind::Set(self.exprs(s.elts)?),
            PyExpr::ListComp(c) => ExprKind::ListComp {
                kind: CompKind::List,
                elt: Box::new(self.expr(*c.elt)?),
                value: None,
                generators: self.generators(c.generators, span)?,
            },
            PyExpr::SetComp(c) => ExprKind::ListComp {
                kind: CompKind::Set,
                elt: Box::new(self.expr(*c.elt)?),
                value: None,
                generators: self.generators(c.generators, span)?,
            },
            PyExpr::DictComp(c) => ExprKind::ListComp {
                kind: CompKind::Dict,
                elt: Box::new(self.expr(*c.key)?),
                value: Some(Box::new(self.expr(*c.value)?)),
                generators: self.generators(c.generators, span)?,
            },
            PyExpr::Slice(s) => {
                let part = |e: Option<Box<PyExpr>>| e.map(|e| self.expr(*e).map(Box::new)).transpose();
                ExprKind::Slice { lower: part(s.lower)?, upper: part(s.upper)?, step: part(s.step)? }
            }
            PyExpr::Subscript(s) => {
                ExprKind::Subscript { value: Box::new(self.expr(*s.value)?), index: Box::new(self.expr(*s.slice)?) }
            }
            PyExpr::Lambda(l) => ExprKind::Lambda(Box::new(self.lambda(l, span)?)),
            other => return Err(CompileError::unsupported(expr_name(&other), span)),
        };
        Ok(Expr { kind, span })
    }
}

/// The offset of the `)` that closes the `(` at `open` (strings are not looked into: they are
/// outside the subset anyway).
fn matching_paren(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in text.bytes().enumerate().skip(open) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// The lambda a `jit(lambda ...)` line defines, if the statement holds one.
/// Every lambda [`find_lambda`] would look at, in order.
fn lambdas<'e>(e: &'e PyExpr, out: &mut Vec<&'e PyExpr>) {
    match e {
        PyExpr::Lambda(_) => out.push(e),
        PyExpr::Call(c) => {
            lambdas(&c.func, out);
            c.args.iter().for_each(|a| lambdas(a, out));
        }
        _ => {}
    }
}

/// Whether `e` is a call of `objmode` (or `m.objmode`).
fn is_objmode(e: &PyExpr) -> bool {
    let PyExpr::Call(c) = e else { return false };
    match &*c.func {
        PyExpr::Name(n) => n.id.as_str() == "objmode",
        PyExpr::Attribute(a) => a.attr.as_str() == "objmode",
        _ => false,
    }
}

fn find_lambda(e: &PyExpr) -> Option<&PyExpr> {
    match e {
        PyExpr::Lambda(_) => Some(e),
        PyExpr::Call(c) => find_lambda(&c.func).or_else(|| c.args.iter().find_map(find_lambda)),
        _ => None,
    }
}

fn stmt_name(s: &PyStmt) -> &'static str {
    match s {
        PyStmt::FunctionDef(_) | PyStmt::AsyncFunctionDef(_) => "nested function definition",
        PyStmt::ClassDef(_) => "class definition",
        PyStmt::Delete(_) => "del statement",
        PyStmt::TypeAlias(_) => "type alias",
        PyStmt::AsyncFor(_) => "async for",
        PyStmt::With(_) => "with statement",
        PyStmt::AsyncWith(_) => "async with",
        PyStmt::Match(_) => "match statement",
        PyStmt::Raise(_) => "raise statement",
        PyStmt::Try(_) | PyStmt::TryStar(_) => "try statement",
        PyStmt::Assert(_) => "assert statement",
        PyStmt::Import(_) | PyStmt::ImportFrom(_) => "import statement",
        PyStmt::Global(_) => "global statement",
        PyStmt::Nonlocal(_) => "nonlocal statement",
        _ => "statement",
    }
}

fn expr_name(e: &PyExpr) -> &'static str {
    match e {
        PyExpr::NamedExpr(_) => "assignment expression ':='",
        PyExpr::Lambda(_) => "lambda",
        PyExpr::Dict(_) => "dict literal",
        PyExpr::Set(_) => "set literal",
        PyExpr::ListComp(_) => "list comprehension",
        PyExpr::SetComp(_) => "set comprehension",
        PyExpr::DictComp(_) => "dict comprehension",
        PyExpr::GeneratorExp(_) => "generator expression",
        PyExpr::Await(_) => "await",
        PyExpr::Yield(_) | PyExpr::YieldFrom(_) => "yield",
        PyExpr::FormattedValue(_) | PyExpr::JoinedStr(_) => "f-string",
        PyExpr::Subscript(_) => "subscript",
        PyExpr::Starred(_) => "starred expression",
        PyExpr::List(_) => "list literal",
        PyExpr::Slice(_) => "slice",
        _ => "expression",
    }
}

/// Python's binary operator `op`.
fn binop(op: py::Operator) -> BinOp {
    match op {
        py::Operator::Add => BinOp::Add,
        py::Operator::Sub => BinOp::Sub,
        py::Operator::Mult => BinOp::Mul,
        py::Operator::Div => BinOp::Div,
        py::Operator::FloorDiv => BinOp::FloorDiv,
        py::Operator::Mod => BinOp::Mod,
        py::Operator::Pow => BinOp::Pow,
        py::Operator::LShift => BinOp::LShift,
        py::Operator::RShift => BinOp::RShift,
        py::Operator::BitAnd => BinOp::BitAnd,
        py::Operator::BitOr => BinOp::BitOr,
        py::Operator::BitXor => BinOp::BitXor,
        py::Operator::MatMult => BinOp::MatMul,
    }
}

#[cfg(test)]
mod tests;
