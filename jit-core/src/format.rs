//! Python's format-specification mini-language (`f"{x:>8.3f}"`, `format(x, spec)`) for the
//! values compiled code formats: ints, floats, bools and strings. A spec is parsed (and checked
//! against the value's kind, with CPython's `ValueError` messages) when the function is
//! compiled; the runtime formats with the parsed spec.

use crate::output::float_repr;

/// What is formatted, as far as the spec's rules go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValueKind {
    Int,
    Float,
    Str,
    /// `bool`: `str(b)` with an empty spec, else formatted as the int it is.
    Bool,
}

impl ValueKind {
    fn python_name(self) -> &'static str {
        match self {
            ValueKind::Int => "int",
            ValueKind::Float => "float",
            ValueKind::Str => "str",
            ValueKind::Bool => "bool",
        }
    }
}

/// A parsed format spec: `[[fill]align][sign][z][#][0][width][grouping][.precision][type]`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub fill: Option<char>,
    pub align: Option<char>,
    pub sign: Option<char>,
    pub no_neg_zero: bool,
    pub alternate: bool,
    pub zero: bool,
    pub width: Option<usize>,
    pub grouping: Option<char>,
    pub precision: Option<usize>,
    pub ty: Option<char>,
}

/// Parses `text` as CPython's `parse_internal_render_format_spec` does, and checks it against
/// `kind` as `int.__format__`, `float.__format__` and `str.__format__` do: the spec, or
/// CPython's `ValueError` message.
pub fn parse(text: &str, kind: ValueKind) -> Result<Spec, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut s = Spec::default();
    let mut i = 0;
    let is_align = |c: char| matches!(c, '<' | '>' | '=' | '^');
    if chars.len() >= 2 && is_align(chars[1]) {
        s.fill = Some(chars[0]);
        s.align = Some(chars[1]);
        i = 2;
    } else if !chars.is_empty() && is_align(chars[0]) {
        s.align = Some(chars[0]);
        i = 1;
    }
    if i < chars.len() && matches!(chars[i], '+' | '-' | ' ') {
        s.sign = Some(chars[i]);
        i += 1;
    }
    if i < chars.len() && chars[i] == 'z' {
        s.no_neg_zero = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '#' {
        s.alternate = true;
        i += 1;
    }
    if i < chars.len() && chars[i] == '0' {
        s.zero = true;
        if s.fill.is_none() {
            s.fill = Some('0');
        }
        if s.align.is_none() {
            s.align = Some('=');
        }
        i += 1;
    }
    let digits = |i: &mut usize| -> Result<Option<usize>, String> {
        let start = *i;
        while *i < chars.len() && chars[*i].is_ascii_digit() {
            *i += 1;
        }
        if *i == start {
            return Ok(None);
        }
        let t: String = chars[start..*i].iter().collect();
        t.parse().map(Some).map_err(|_| "Too many decimal digits in format string".to_string())
    };
    s.width = digits(&mut i)?;
    if i < chars.len() && matches!(chars[i], ',' | '_') {
        s.grouping = Some(chars[i]);
        i += 1;
        if i < chars.len() && matches!(chars[i], ',' | '_') {
            return Err("Cannot specify both ',' and '_'.".into());
        }
    }
    if i < chars.len() && chars[i] == '.' {
        i += 1;
        s.precision = digits(&mut i)?;
        if s.precision.is_none() {
            return Err("Format specifier missing precision".into());
        }
    }
    if chars.len() - i > 1 {
        return Err("Invalid format specifier".into());
    }
    if i < chars.len() {
        s.ty = Some(chars[i]);
    }
    check(&s, kind)?;
    Ok(s)
}

fn check(s: &Spec, kind: ValueKind) -> Result<(), String> {
    let ty = s.ty;
    if let Some(g) = s.grouping {
        let ok = match ty {
            None | Some('d' | 'e' | 'f' | 'g' | 'E' | 'G' | '%' | 'F') => true,
            Some('b' | 'o' | 'x' | 'X') => g == '_',
            _ => false,
        };
        if !ok {
            let t = ty.unwrap_or(' ');
            return Err(format!("Cannot specify '{g}' with '{t}'."));
        }
    }
    let unknown = |t: char| format!("Unknown format code '{t}' for object of type '{}'", kind.python_name());
    match kind {
        ValueKind::Str => {
            if let Some(t) = ty.filter(|t| *t != 's') {
                return Err(unknown(t));
            }
            if s.sign.is_some() {
                return Err("Sign not allowed in string format specifier".into());
            }
            if s.alternate {
                return Err("Alternate form (#) not allowed in string format specifier".into());
            }
            if s.no_neg_zero {
                return Err("Negative zero coercion (z) not allowed in format specifier".into());
            }
            if s.align == Some('=') {
                return Err("'=' alignment not allowed in string format specifier".into());
            }
            if s.grouping.is_some() {
                return Err(format!("Cannot specify '{}' with 's'.", s.grouping.unwrap_or(',')));
            }
        }
        ValueKind::Int | ValueKind::Bool => match ty {
            None | Some('b' | 'c' | 'd' | 'o' | 'x' | 'X') => {
                if s.precision.is_some() {
                    return Err("Precision not allowed in integer format specifier".into());
                }
                if ty == Some('c') && s.sign.is_some() {
                    return Err("Sign not allowed with integer format specifier 'c'".into());
                }
                if ty == Some('c') && s.alternate {
                    return Err("Alternate form (#) not allowed with integer format specifier 'c'".into());
                }
                if s.no_neg_zero {
                    return Err("Negative zero coercion (z) not allowed in integer format specifier".into());
                }
            }
            Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {}
            Some('n') => return Err("format code 'n' (locale-aware) is not compiled".into()),
            Some(t) => return Err(unknown(t)),
        },
        ValueKind::Float => match ty {
            None | Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {}
            Some('n') => return Err("format code 'n' (locale-aware) is not compiled".into()),
            Some(t) => return Err(unknown(t)),
        },
    }
    Ok(())
}

/// `value` padded to the spec's width with its fill and alignment (`default` when none is
/// given); `=` puts the padding after the sign and prefix (`prefix_len` characters).
fn pad(body: String, spec: &Spec, default: char, prefix_len: usize) -> String {
    let width = spec.width.unwrap_or(0);
    let len = body.chars().count();
    if len >= width {
        return body;
    }
    let fill = spec.fill.unwrap_or(' ');
    let n = width - len;
    let fills = |k: usize| std::iter::repeat_n(fill, k).collect::<String>();
    match spec.align.unwrap_or(default) {
        '<' => body + &fills(n),
        '^' => fills(n / 2) + &body + &fills(n - n / 2),
        '=' => {
            let split = body.char_indices().nth(prefix_len).map_or(body.len(), |(b, _)| b);
            let (head, tail) = body.split_at(split);
            format!("{head}{}{tail}", fills(n))
        }
        _ => fills(n) + &body,
    }
}

/// Digits grouped by `sep` every `every` from the right.
fn group(digits: &str, sep: char, every: usize) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / every);
    for (k, c) in digits.chars().enumerate() {
        if k > 0 && (n - k).is_multiple_of(every) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// With zero padding and grouping, the digits themselves take the width (CPython pads the
/// digits with grouped zeros: `f"{1234:08,}"` is `0,001,234`).
fn zero_pad_grouped(digits: &str, sep: char, every: usize, width: usize) -> String {
    let mut d = digits.to_string();
    loop {
        let g = group(&d, sep, every);
        if g.chars().count() >= width {
            return g;
        }
        d.insert(0, '0');
    }
}

fn sign_text(negative: bool, spec: &Spec) -> &'static str {
    match (negative, spec.sign) {
        (true, _) => "-",
        (false, Some('+')) => "+",
        (false, Some(' ')) => " ",
        _ => "",
    }
}

/// `format(x, spec)` of an int (`unsigned`: the bits of a uint64).
pub fn format_int(x: i64, unsigned: bool, spec: &Spec) -> String {
    let (negative, magnitude) = if unsigned { (false, x as u64) } else { (x < 0, x.unsigned_abs()) };
    match spec.ty {
        Some('e' | 'E' | 'f' | 'F' | 'g' | 'G' | '%') => {
            let v = if unsigned { magnitude as f64 } else { x as f64 };
            return format_float(v, spec);
        }
        Some('c') => {
            let c = char::from_u32(magnitude as u32).unwrap_or('\u{fffd}');
            return pad(c.to_string(), spec, '<', 0);
        }
        _ => {}
    }
    let (digits, prefix, every) = match spec.ty {
        Some('b') => (format!("{magnitude:b}"), "0b", 4),
        Some('o') => (format!("{magnitude:o}"), "0o", 4),
        Some('x') => (format!("{magnitude:x}"), "0x", 4),
        Some('X') => (format!("{magnitude:X}"), "0X", 4),
        _ => (magnitude.to_string(), "", 3),
    };
    let prefix = if spec.alternate { prefix } else { "" };
    let head = format!("{}{prefix}", sign_text(negative, spec));
    let digits = match spec.grouping {
        Some(sep) if spec.zero && spec.align == Some('=') && spec.fill == Some('0') => {
            let width = spec.width.unwrap_or(0).saturating_sub(head.chars().count());
            zero_pad_grouped(&digits, sep, every, width)
        }
        Some(sep) => group(&digits, sep, every),
        None => digits,
    };
    let n = head.chars().count();
    pad(head + &digits, spec, '>', n)
}

/// `format(b, spec)` of a bool: `True`/`False` for an empty spec, else the int's format.
pub fn format_bool(b: bool, spec: &Spec) -> String {
    if *spec == Spec::default() {
        return if b { "True" } else { "False" }.into();
    }
    format_int(b as i64, false, spec)
}

/// `format(s, spec)` of a string.
pub fn format_str(s: &str, spec: &Spec) -> String {
    let body: String = match spec.precision {
        Some(p) => s.chars().take(p).collect(),
        None => s.to_string(),
    };
    pad(body, spec, '<', 0)
}

/// Rust's `{:.Ne}` exponent (`e5`, `e-7`) written as Python's (`e+05`, `e-07`).
fn python_exponent(s: &str, upper: bool) -> String {
    let (m, e) = s.split_once('e').expect("an exponent");
    let e: i32 = e.parse().expect("an integer exponent");
    let sign = if e < 0 { '-' } else { '+' };
    format!("{m}{}{sign}{:02}", if upper { 'E' } else { 'e' }, e.abs())
}

/// The digits of a finite non-negative `v` in the notation of `ty` (no sign).
fn float_body(v: f64, ty: Option<char>, precision: Option<usize>, alternate: bool) -> String {
    match ty {
        Some('f' | 'F') => {
            let p = precision.unwrap_or(6);
            let s = format!("{v:.p$}");
            if alternate && p == 0 {
                s + "."
            } else {
                s
            }
        }
        Some('%') => {
            let p = precision.unwrap_or(6);
            let s = format!("{:.p$}", v * 100.0);
            let s = if alternate && p == 0 { s + "." } else { s };
            s + "%"
        }
        Some('e' | 'E') => {
            let p = precision.unwrap_or(6);
            let s = format!("{v:.p$e}");
            let s = if alternate && p == 0 { s.replacen('e', ".e", 1) } else { s };
            python_exponent(&s, ty == Some('E'))
        }
        Some('g' | 'G') | None => {
            if ty.is_none() && precision.is_none() {
                return float_repr(v, None);
            }
            let p = precision.unwrap_or(6).max(1);
            // The exponent of v rounded to p significant digits decides the notation.
            let sci = format!("{v:.prec$e}", prec = p - 1);
            let exp: i32 = sci.split_once('e').map_or(0, |(_, e)| e.parse().unwrap_or(0));
            let upper = ty == Some('G');
            // No type: like 'g', except that scientific notation starts at exp >= p - 1 and
            // fixed notation keeps a digit after the point (`repr`'s trailing ".0").
            let top = if ty.is_none() { p as i32 - 1 } else { p as i32 };
            let mut s = if (-4..top).contains(&exp) {
                let decimals = (p as i32 - 1 - exp).max(0) as usize;
                format!("{v:.decimals$}")
            } else {
                python_exponent(&sci, upper)
            };
            if !alternate {
                s = strip_zeros(&s);
                if ty.is_none() && !s.contains(['.', 'e', 'E']) {
                    s.push_str(".0");
                }
            } else if !s.contains('.') {
                s = match s.find(['e', 'E']) {
                    Some(at) => format!("{}.{}", &s[..at], &s[at..]),
                    None => s + ".",
                };
            }
            s
        }
        Some(t) => unreachable!("float type {t} checked at compile time"),
    }
}

/// Trailing zeros after a decimal point removed (and the point when nothing follows it),
/// keeping an exponent.
fn strip_zeros(s: &str) -> String {
    let (mant, exp) = match s.find(['e', 'E']) {
        Some(at) => s.split_at(at),
        None => (s, ""),
    };
    if !mant.contains('.') {
        return s.to_string();
    }
    let m = mant.trim_end_matches('0').trim_end_matches('.');
    format!("{m}{exp}")
}

/// `format(x, spec)` of a float.
pub fn format_float(x: f64, spec: &Spec) -> String {
    let upper = matches!(spec.ty, Some('E' | 'F' | 'G'));
    let mut negative = x.is_sign_negative() && !x.is_nan();
    let v = x.abs();
    let mut body = if x.is_nan() {
        "nan".to_string()
    } else if x.is_infinite() {
        "inf".to_string()
    } else {
        float_body(v, spec.ty, spec.precision, spec.alternate)
    };
    if x.is_finite() && spec.ty == Some('%') {
        // NaN and inf keep their '%' too.
    } else if !x.is_finite() && spec.ty == Some('%') {
        body.push('%');
    }
    if upper {
        body = body.to_uppercase();
    }
    if negative && spec.no_neg_zero && body.chars().all(|c| matches!(c, '0' | '.' | '%' | 'e' | 'E' | '+' | '-')) {
        negative = false;
    }
    let head = sign_text(negative, spec).to_string();
    if let Some(sep) = spec.grouping {
        if x.is_finite() {
            let split = body.find(|c: char| !c.is_ascii_digit()).unwrap_or(body.len());
            let (int_part, rest) = body.split_at(split);
            let grouped = if spec.zero && spec.align == Some('=') && spec.fill == Some('0') {
                let width = spec.width.unwrap_or(0).saturating_sub(head.len() + rest.chars().count());
                zero_pad_grouped(int_part, sep, 3, width)
            } else {
                group(int_part, sep, 3)
            };
            body = grouped + rest;
        }
    }
    let n = head.chars().count();
    pad(head + &body, spec, '>', n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(x: f64, spec: &str) -> String {
        format_float(x, &parse(spec, ValueKind::Float).unwrap())
    }
    fn i(x: i64, spec: &str) -> String {
        format_int(x, false, &parse(spec, ValueKind::Int).unwrap())
    }

    #[test]
    fn floats_as_cpython_formats_them() {
        assert_eq!(f(2.5125, ".3f"), "2.513");
        assert_eq!(f(-0.0, ".1f"), "-0.0");
        assert_eq!(f(-0.0001, "z.1f"), "0.0");
        assert_eq!(f(1234567.891, ",.2f"), "1,234,567.89");
        assert_eq!(f(12345.678, "e"), "1.234568e+04");
        assert_eq!(f(0.000012345, ".3g"), "1.23e-05");
        assert_eq!(f(123456789.0, "g"), "1.23457e+08");
        assert_eq!(f(100.0, "g"), "100");
        assert_eq!(f(0.5, ".0%"), "50%");
        assert_eq!(f(2.5, "+08.2f"), "+0002.50");
        assert_eq!(f(f64::INFINITY, "F"), "INF");
        assert_eq!(f(1.5, ""), "1.5");
        assert_eq!(f(1e16, ""), "1e+16");
        assert_eq!(f(1.0, ".3"), "1.0");
        assert_eq!(f(1234.5, ".2"), "1.2e+03");
        assert_eq!(f(3.0, "*^9.1f"), "***3.0***");
    }

    #[test]
    fn ints_as_cpython_formats_them() {
        assert_eq!(i(255, "#x"), "0xff");
        assert_eq!(i(-42, "05d"), "-0042");
        assert_eq!(i(1234567, ","), "1,234,567");
        assert_eq!(i(1234, "08,"), "0,001,234");
        assert_eq!(i(5, "b"), "101");
        assert_eq!(i(7, "<4"), "7   ");
        assert_eq!(i(65, "c"), "A");
        assert_eq!(i(3, ".2f"), "3.00");
    }

    #[test]
    fn bad_specs_have_cpythons_messages() {
        assert_eq!(parse(".2d", ValueKind::Int).unwrap_err(), "Precision not allowed in integer format specifier");
        assert_eq!(parse("d", ValueKind::Float).unwrap_err(), "Unknown format code 'd' for object of type 'float'");
        assert_eq!(parse("+", ValueKind::Str).unwrap_err(), "Sign not allowed in string format specifier");
    }
}
