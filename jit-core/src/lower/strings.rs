//! The other ways Python formats a string, lowered to the f-string they are
//! ([`hir::ExprKind::FString`]): `"...".format(...)` and `format(x, spec)` (Python's format
//! strings), and `"..." % values` (printf-style) with a string literal on the left.

use super::Lowerer;
use crate::ast::{self, ExprKind as A, Span};
use crate::error::{CompileError, Result};
use crate::hir::{self, ExprKind as H};

/// A format string cut into its texts and replacement fields.
struct Parsed {
    texts: Vec<String>,
    /// Each field: which argument (by position, or by keyword), its conversion byte and spec.
    fields: Vec<(Field, u8, String)>,
}

enum Field {
    Index(usize),
    Name(String),
}

fn bad(why: impl Into<String>, span: Span) -> CompileError {
    CompileError::unsupported_because("format string", why.into(), span)
}

/// Python's format-string syntax (`str.format`): `{}`, `{0}`, `{name}`, `!r`, `:spec`, `{{`/`}}`.
fn parse_format(text: &str, span: Span) -> Result<Parsed> {
    let mut texts = vec![String::new()];
    let mut fields = Vec::new();
    let mut auto = 0usize;
    let (mut numbered, mut automatic) = (false, false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                texts.last_mut().expect("a text").push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                texts.last_mut().expect("a text").push('}');
            }
            '}' => return Err(bad("Single '}' encountered in format string", span)),
            '{' => {
                let mut inner = String::new();
                let mut depth = 1;
                for c in chars.by_ref() {
                    match c {
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        _ => {}
                    }
                    if depth == 0 {
                        break;
                    }
                    inner.push(c);
                }
                if depth != 0 {
                    return Err(bad("expected '}' before end of string", span));
                }
                if inner.contains('{') {
                    return Err(bad("a format spec with a replacement field inside is not compiled", span));
                }
                let (head, spec) = match inner.split_once(':') {
                    Some((h, s)) => (h, s.to_string()),
                    None => (inner.as_str(), String::new()),
                };
                let (name, conversion) = match head.split_once('!') {
                    Some((n, c)) if c.len() == 1 && matches!(c, "r" | "s" | "a") => (n, c.as_bytes()[0]),
                    Some(_) => return Err(bad("Unknown conversion specifier (r, s and a are Python's)", span)),
                    None => (head, 0),
                };
                let field = if name.is_empty() {
                    automatic = true;
                    auto += 1;
                    Field::Index(auto - 1)
                } else if let Ok(i) = name.parse::<usize>() {
                    numbered = true;
                    Field::Index(i)
                } else if name.chars().all(|c| c.is_alphanumeric() || c == '_') {
                    Field::Name(name.to_string())
                } else {
                    return Err(bad(format!("the field '{name}' (an attribute or an item) is not compiled"), span));
                };
                if numbered && automatic {
                    return Err(bad("cannot switch from automatic field numbering to manual field specification", span));
                }
                fields.push((field, conversion, spec));
                texts.push(String::new());
            }
            c => texts.last_mut().expect("a text").push(c),
        }
    }
    Ok(Parsed { texts, fields })
}

/// Whether evaluating `e` twice (or out of order) gives what evaluating it once does: a name or
/// a constant.
fn simple(e: &ast::Expr) -> bool {
    matches!(e.kind, A::Name(_) | A::Int(_) | A::UInt(_) | A::Float(_) | A::Bool(_) | A::Str(_) | A::Imag(_))
}

impl Lowerer<'_> {
    /// The f-string of a parsed format string over `args` and `keywords`.
    fn fstring_of(&mut self, p: Parsed, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<H> {
        let mut order = Vec::with_capacity(p.fields.len());
        for (field, _, _) in &p.fields {
            let e = match field {
                Field::Index(i) => args.get(*i).ok_or_else(|| {
                    CompileError::typing(
                        "format string",
                        format!("Replacement index {i} out of range for positional args tuple"),
                        span,
                    )
                })?,
                Field::Name(n) => {
                    &keywords
                        .iter()
                        .find(|k| k.name == *n)
                        .ok_or_else(|| {
                            CompileError::typing("format string", format!("no argument named '{n}' (a KeyError)"), span)
                        })?
                        .value
                }
            };
            order.push(e);
        }
        // Python evaluates each argument once, in order, before formatting: a field list that
        // reorders, repeats or skips arguments is compiled only over names and constants.
        let in_order = order.len() == args.len() + keywords.len()
            && order.iter().zip(args.iter().chain(keywords.iter().map(|k| &k.value))).all(|(a, b)| std::ptr::eq(*a, b));
        if !in_order && !args.iter().chain(keywords.iter().map(|k| &k.value)).all(simple) {
            return Err(bad(
                "fields that repeat, reorder or skip arguments are compiled only when the arguments are names or constants",
                span,
            ));
        }
        let values = order.into_iter().map(|e| self.expr(e)).collect::<Result<Vec<_>>>()?;
        let formats = p.fields.into_iter().map(|(_, c, s)| (c, s)).collect();
        self.allocates = true;
        Ok(H::FString { texts: p.texts, values, formats })
    }

    /// `"...".format(args)` of a string literal.
    pub(super) fn format_method(&mut self, text: &str, args: &[ast::Expr], keywords: &[ast::Keyword], span: Span) -> Result<H> {
        let p = parse_format(text, span)?;
        self.fstring_of(p, args, keywords, span)
    }

    /// `format(x)`, `format(x, spec)` with a literal spec.
    pub(super) fn format_builtin(&mut self, args: &[ast::Expr], span: Span) -> Result<H> {
        let spec = match args.get(1).map(|a| &a.kind) {
            None => String::new(),
            Some(A::Str(s)) => s.clone(),
            Some(_) => return Err(bad("format()'s spec must be a string literal", span)),
        };
        let [x, ..] = args else {
            return Err(CompileError::typing("call with wrong arguments", "format() takes 1 or 2 arguments", span));
        };
        let value = self.expr(x)?;
        self.allocates = true;
        Ok(H::FString { texts: vec![String::new(), String::new()], values: vec![value], formats: vec![(0, spec)] })
    }

    /// `"..." % values`: printf-style formatting of a string literal (`%d`, `%5.2f`, `%s`, `%r`,
    /// `%x`, `%e`, `%g`, `%%`, with flags, width and precision), as the f-string it means.
    pub(super) fn percent_format(&mut self, text: &str, right: &ast::Expr, span: Span) -> Result<H> {
        let items: Vec<&ast::Expr> = match &right.kind {
            A::Tuple(items) => items.iter().collect(),
            _ => vec![right],
        };
        let mut texts = vec![String::new()];
        let mut formats = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c != '%' {
                texts.last_mut().expect("a text").push(c);
                continue;
            }
            let mut flags = String::new();
            while let Some(&f) = chars.peek() {
                if !matches!(f, '-' | '+' | ' ' | '0' | '#') {
                    break;
                }
                flags.push(f);
                chars.next();
            }
            let mut width = String::new();
            while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                width.push(d);
                chars.next();
            }
            let mut precision = None;
            if chars.peek() == Some(&'.') {
                chars.next();
                let mut p = String::new();
                while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    p.push(d);
                    chars.next();
                }
                precision = Some(if p.is_empty() { "0".to_string() } else { p });
            }
            let Some(ty) = chars.next() else {
                return Err(bad("incomplete format", span));
            };
            if ty == '%' {
                texts.last_mut().expect("a text").push('%');
                continue;
            }
            // printf's conversions as format specs: `-` left-aligns, `0` pads with zeros.
            let align = if flags.contains('-') { "<" } else { "" };
            let sign = if flags.contains('+') {
                "+"
            } else if flags.contains(' ') {
                " "
            } else {
                ""
            };
            let zero = if flags.contains('0') && !flags.contains('-') { "0" } else { "" };
            let alt = if flags.contains('#') { "#" } else { "" };
            let prec = precision.map(|p| format!(".{p}")).unwrap_or_default();
            let (conversion, spec) = match ty {
                'd' | 'i' | 'u' => (0, format!("{align}{sign}{zero}{width}d")),
                'f' | 'F' | 'e' | 'E' | 'g' | 'G' => {
                    let prec = if prec.is_empty() && !matches!(ty, 'g' | 'G') { ".6".to_string() } else { prec };
                    (0, format!("{align}{sign}{alt}{zero}{width}{prec}{ty}"))
                }
                'x' | 'X' | 'o' => (0, format!("{align}{sign}{alt}{zero}{width}{ty}")),
                's' => (b's', format!("{align}{width}{prec}")),
                'r' | 'a' => (ty as u8, format!("{align}{width}{prec}")),
                other => return Err(bad(format!("unsupported format character '{other}'"), span)),
            };
            formats.push((conversion, spec));
            texts.push(String::new());
        }
        if formats.len() != items.len() {
            let why = if formats.len() > items.len() {
                "not enough arguments for format string"
            } else {
                "not all arguments converted during string formatting"
            };
            return Err(CompileError::typing("format string", why, span));
        }
        let values = items.into_iter().map(|e| self.expr(e)).collect::<Result<Vec<hir::Expr>>>()?;
        self.allocates = true;
        Ok(H::FString { texts, values, formats })
    }
}

/// The string literal of a `"...".format(...)` call.
pub(super) fn format_receiver(func: &ast::Expr) -> Option<&str> {
    match &func.kind {
        A::Attribute { value, attr } if attr == "format" => match &value.kind {
            A::Str(text) => Some(text),
            _ => None,
        },
        _ => None,
    }
}
