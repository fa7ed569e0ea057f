//! Typed compile errors: every one carries the source span of the construct it names.

use crate::ast::Span;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    /// Syntax outside the compiled subset; `construct` names it ("list literal", "try statement", ...).
    #[error("unsupported construct: {construct}{}", detail_suffix(.detail))]
    Unsupported { construct: String, detail: String, span: Span },
    /// The source itself does not parse.
    #[error("syntax error: {message}")]
    Syntax { message: String, span: Span },
    /// Types that do not fit together (a number returned on one path and None on another, ...).
    #[error("{construct}: {message}")]
    Typing { construct: String, message: String, span: Span },
    /// LLVM refused the module or the object (a compiler bug, reported rather than crashing).
    #[error("internal compiler error: {message}")]
    Internal { message: String, span: Span },
    /// A parameter used as an array was given something else (the dispatcher raises TypeError:
    /// the call's argument is wrong, not the code).
    #[error("{message}")]
    ArgumentType { message: String, span: Span },
    /// A name that is neither a local, a parameter, nor a global the compiler understands.
    #[error("{construct}: {message}")]
    Name { construct: String, message: String, span: Span },
}

fn detail_suffix(detail: &str) -> String {
    if detail.is_empty() {
        String::new()
    } else {
        format!(" ({detail})")
    }
}

impl CompileError {
    pub fn unsupported(construct: impl Into<String>, span: Span) -> Self {
        CompileError::Unsupported { construct: construct.into(), detail: String::new(), span }
    }
    pub fn unsupported_because(construct: impl Into<String>, detail: impl Into<String>, span: Span) -> Self {
        CompileError::Unsupported { construct: construct.into(), detail: detail.into(), span }
    }
    pub fn typing(construct: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        CompileError::Typing { construct: construct.into(), message: message.into(), span }
    }
    pub fn name(construct: impl Into<String>, message: impl Into<String>, span: Span) -> Self {
        CompileError::Name { construct: construct.into(), message: message.into(), span }
    }

    pub fn span(&self) -> Span {
        match self {
            CompileError::Unsupported { span, .. }
            | CompileError::Syntax { span, .. }
            | CompileError::Typing { span, .. }
            | CompileError::Name { span, .. }
            | CompileError::ArgumentType { span, .. }
            | CompileError::Internal { span, .. } => *span,
        }
    }

    /// What went wrong without the "unsupported construct" heading: the construct and why (a
    /// warning's text, where nothing is refused).
    pub fn reason(&self) -> String {
        match self {
            CompileError::Unsupported { construct, detail, .. } => format!("{construct}{}", detail_suffix(detail)),
            other => other.to_string(),
        }
    }

    /// The short name of what went wrong, exposed to Python as `CompileError.construct`.
    pub fn construct(&self) -> &str {
        match self {
            CompileError::Unsupported { construct, .. }
            | CompileError::Typing { construct, .. }
            | CompileError::Name { construct, .. } => construct,
            CompileError::Syntax { .. } => "syntax error",
            CompileError::ArgumentType { .. } => "argument type",
            CompileError::Internal { .. } => "internal compiler error",
        }
    }

    /// The error's text as the user reads it, `source_line` being the line of `filename` it
    /// points at (when known). An [`CompileError::ArgumentType`] (raised as a TypeError: the
    /// call's argument is wrong, not the code) reads `message (used as one at file:line:col)`;
    /// any other `file:line:col: message`, then the source line and a caret under the column.
    pub fn render(&self, filename: &str, source_line: Option<&str>) -> String {
        let span = self.span();
        if let CompileError::ArgumentType { message, .. } = self {
            return format!("{message} (used as one at {filename}:{}:{})", span.line, span.col);
        }
        let mut msg = format!("{filename}:{}:{}: {self}", span.line, span.col);
        if let Some(line) = source_line {
            let line = line.trim_end_matches(['\n', '\r']);
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            let caret = (span.col as usize).saturating_sub(indent);
            msg.push_str(&format!("\n    {trimmed}\n    {}^", " ".repeat(caret)));
        }
        msg
    }
}

pub type Result<T, E = CompileError> = std::result::Result<T, E>;
