//! Tabs in indentation, as CPython's tokenizer reads them: a tab moves to the next multiple of
//! 8, and the indentation must be consistent with tabs counted as one column too (else
//! `TabError`). The parser only takes spaces, so lines that start a logical line have their
//! indentation rewritten into spaces here, and spans are mapped back to the original bytes.

/// One line's indentation before and after the rewrite, in bytes, and whether the line starts
/// a logical line (not inside brackets, a string or after a backslash).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Indent {
    pub original: u32,
    pub expanded: u32,
    pub logical: bool,
}

impl Indent {
    /// The original column of column `col` of the rewritten line.
    pub fn original_col(self, col: u32) -> u32 {
        if col >= self.expanded {
            col - self.expanded + self.original
        } else {
            col.min(self.original)
        }
    }
}

/// CPython's message for indentation that reads differently with tabs of 8 and of 1.
pub const TAB_ERROR: &str = "inconsistent use of tabs and spaces in indentation";

/// Lines with the indentation of every logical line written in spaces, and each line's
/// [`Indent`]; or the index of the first line CPython's tokenizer rejects with `TabError`.
pub fn expand(lines: &[String]) -> Result<(Vec<String>, Vec<Indent>), usize> {
    let mut out = Vec::with_capacity(lines.len());
    let mut indents = Vec::with_capacity(lines.len());
    let mut scan = Scanner::default();
    // CPython's indentation stack: (column with tabs of 8, column with tabs of 1).
    let mut stack: Vec<(u32, u32)> = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        let ws_len = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
        let rest = &line[ws_len..];
        let starts_logical = scan.at_line_start();
        let blank = rest.trim().is_empty() || rest.starts_with('#');
        if starts_logical && !blank {
            let (col, alt) = columns(&line[..ws_len]);
            match stack.last().copied() {
                None => stack.push((col, alt)),
                Some((c, a)) if col == c => {
                    if alt != a {
                        return Err(i);
                    }
                }
                Some((c, a)) if col > c => {
                    if alt <= a {
                        return Err(i);
                    }
                    stack.push((col, alt));
                }
                Some(_) => {
                    while stack.len() > 1 && stack.last().is_some_and(|&(c, _)| col < c) {
                        stack.pop();
                    }
                    if let Some(&(c, a)) = stack.last() {
                        if col == c && alt != a {
                            return Err(i);
                        }
                    }
                }
            }
        }
        if starts_logical && line[..ws_len].contains(['\t', '\x0c']) {
            let (col, _) = columns(&line[..ws_len]);
            out.push(format!("{}{rest}", " ".repeat(col as usize)));
            indents.push(Indent { original: ws_len as u32, expanded: col, logical: true });
        } else {
            out.push(line.clone());
            indents.push(Indent { original: ws_len as u32, expanded: ws_len as u32, logical: starts_logical });
        }
        scan.line(line);
    }
    Ok((out, indents))
}

/// `lines` with the inside of every f-string replaced by `x`s of the same byte length (quotes,
/// prefixes and line breaks kept). stickyjit compiles no f-string, so this changes no result:
/// it lets the parser reach the f-string (and report it as such) where its own f-string parser
/// rejects what CPython accepts (an f-string holding a triple-quoted string).
pub fn blank_fstrings(lines: &[String]) -> Vec<String> {
    let text: Vec<char> = lines.concat().chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let blank = |out: &mut String, c: char| {
        if c == '\n' || c == '\r' {
            out.push(c);
        } else {
            out.extend(std::iter::repeat_n('x', c.len_utf8()));
        }
    };
    while i < text.len() {
        let c = text[i];
        if c == '#' {
            while i < text.len() && text[i] != '\n' {
                out.push(text[i]);
                i += 1;
            }
            continue;
        }
        if c != '\'' && c != '"' {
            out.push(c);
            i += 1;
            continue;
        }
        // The string's prefix: the letters just before the quote.
        let mut p = i;
        while p > 0 && text[p - 1].is_ascii_alphabetic() {
            p -= 1;
        }
        let is_f = text[p..i].iter().any(|&ch| ch == 'f' || ch == 'F');
        let triple = text.get(i + 1) == Some(&c) && text.get(i + 2) == Some(&c);
        let q = if triple { 3 } else { 1 };
        out.extend(&text[i..i + q]);
        i += q;
        while i < text.len() {
            if text[i] == '\\' && i + 1 < text.len() {
                for &ch in &text[i..i + 2] {
                    if is_f {
                        blank(&mut out, ch)
                    } else {
                        out.push(ch)
                    }
                }
                i += 2;
                continue;
            }
            let closes = if triple {
                text[i] == c && text.get(i + 1) == Some(&c) && text.get(i + 2) == Some(&c)
            } else {
                text[i] == c || text[i] == '\n'
            };
            if closes {
                break;
            }
            if is_f {
                blank(&mut out, text[i])
            } else {
                out.push(text[i])
            }
            i += 1;
        }
        let end = (i + if triple && i < text.len() && text[i] != '\n' { 3 } else { 1 }).min(text.len());
        out.extend(&text[i..end]);
        i = end;
    }
    out.split_inclusive('\n').map(String::from).collect()
}

/// The column of the end of `ws` with tabs to the next multiple of 8, and with tabs of 1; a
/// form feed resets both (CPython's tokenizer).
fn columns(ws: &str) -> (u32, u32) {
    let (mut col, mut alt) = (0u32, 0u32);
    for c in ws.chars() {
        match c {
            ' ' => {
                col += 1;
                alt += 1;
            }
            '\t' => {
                col = (col / 8 + 1) * 8;
                alt += 1;
            }
            _ => {
                col = 0;
                alt = 0;
            }
        }
    }
    (col, alt)
}

/// Just enough of the tokenizer to know whether a line starts a logical line: open brackets,
/// strings (triple-quoted ones span lines) and backslash continuations.
#[derive(Default)]
struct Scanner {
    depth: u32,
    /// The quote of an open triple-quoted string.
    triple: Option<char>,
    /// The quote of a one-line string continued by a backslash at the end of the line.
    single: Option<char>,
    continued: bool,
}

impl Scanner {
    fn at_line_start(&self) -> bool {
        self.depth == 0 && self.triple.is_none() && self.single.is_none() && !self.continued
    }

    fn line(&mut self, line: &str) {
        let line = line.strip_suffix('\n').unwrap_or(line);
        let line = line.strip_suffix('\r').unwrap_or(line);
        let chars: Vec<char> = line.chars().collect();
        self.continued = false;
        let mut i = 0;
        if let Some(q) = self.single.take() {
            i = self.one_line_string(&chars, 0, q) + 1;
        }
        while i < chars.len() {
            let c = chars[i];
            if let Some(q) = self.triple {
                if c == '\\' {
                    i += 2;
                    continue;
                }
                if c == q && chars.get(i + 1) == Some(&q) && chars.get(i + 2) == Some(&q) {
                    self.triple = None;
                    i += 3;
                    continue;
                }
                i += 1;
                continue;
            }
            match c {
                '#' => break,
                '(' | '[' | '{' => self.depth += 1,
                ')' | ']' | '}' => self.depth = self.depth.saturating_sub(1),
                '\\' if i + 1 == chars.len() => self.continued = true,
                '\'' | '"' => {
                    if chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c) {
                        self.triple = Some(c);
                        i += 3;
                        continue;
                    }
                    i = self.one_line_string(&chars, i + 1, c);
                }
                _ => {}
            }
            i += 1;
        }
    }

    /// Scans a one-line string from `i` (after its opening quote) to its closing quote (a
    /// backslash escapes the next character); a backslash at the end of the line continues it
    /// on the next. Returns the index of the closing quote (or the line's length).
    fn one_line_string(&mut self, chars: &[char], mut i: usize, q: char) -> usize {
        while i < chars.len() && chars[i] != q {
            if chars[i] == '\\' {
                if i + 1 == chars.len() {
                    self.single = Some(q);
                }
                i += 1;
            }
            i += 1;
        }
        i
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split_inclusive('\n').map(String::from).collect()
    }

    #[test]
    fn tabs_go_to_the_next_multiple_of_eight() {
        let (out, ind) = expand(&lines("def f():\n    \tx = 1\n    \treturn x\n")).unwrap();
        assert_eq!(out[1], format!("{}x = 1\n", " ".repeat(8)));
        assert_eq!(ind[1], Indent { original: 5, expanded: 8, logical: true });
        assert_eq!(ind[1].original_col(8), 5);
    }

    #[test]
    fn inconsistent_tabs_are_a_tab_error() {
        // 8 spaces, then a tab: the same column with tabs of 8, not with tabs of 1.
        assert_eq!(expand(&lines("def f():\n        x = 1\n\ty = 2\n")), Err(2));
    }

    #[test]
    fn strings_and_brackets_are_left_alone() {
        let src = "def f():\n    s = '''\n\tkept'''\n    t = (1,\n\t2)\n    return t\n";
        let (out, _) = expand(&lines(src)).unwrap();
        assert_eq!(out[2], "\tkept'''\n");
        assert_eq!(out[4], "\t2)\n");
    }

    #[test]
    fn fstrings_are_blanked_to_their_length() {
        let src = "def f():\n    return f\"{'''a'''}\" + 'b'  # f'c'\n";
        let out = blank_fstrings(&lines(src));
        assert_eq!(out[1], "    return f\"xxxxxxxxx\" + 'b'  # f'c'\n");
    }

    #[test]
    fn a_string_continued_by_a_backslash_is_not_a_logical_line() {
        let src = "def f():\n\tg(r'\"a\\\nde\\\n\tfg\"', 1)\n\treturn 1\n";
        let (out, ind) = expand(&lines(src)).unwrap();
        assert!(!ind[2].logical && !ind[3].logical && ind[4].logical, "{ind:?}");
        assert_eq!(out[4], format!("{}return 1\n", " ".repeat(8)));
    }
}
