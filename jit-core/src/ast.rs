//! The syntax tree the parse stage produces: only the constructs stickyjit compiles, with source spans.
//!
//! This is the boundary between the parser crate and the rest of the compiler: nothing after
//! `parse` sees rustpython types.

/// A position in the user's file: 1-based line, 0-based column (UTF-8 bytes, like CPython's `col_offset`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub line: u32,
    pub col: u32,
}

#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    pub name: String,
    pub params: Vec<Param>,
    /// The last of `params` is `*name`: it receives the extra positional arguments as a tuple.
    pub vararg: bool,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub name: String,
    /// The default's syntax; its value comes from the live function object.
    pub has_default: bool,
    /// Written after `*` (or `*args`): bound by keyword only.
    pub keyword_only: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

/// A statement of the tree, by kind. Modules that match on it import it as `S` (one letter, as nearly
/// every match arm names it).
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `def name(...): ...` inside the function: binds `name` to an inner function, compiled
    /// with its parent (`lower/closures.rs`).
    FunctionDef(Box<FunctionDef>),
    /// `a = b = value` (targets in source order).
    Assign {
        targets: Vec<Target>,
        value: Expr,
    },
    /// `a += value`
    AugAssign {
        target: Target,
        op: BinOp,
        value: Expr,
    },
    Expr(Expr),
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    While {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    For {
        target: Target,
        iter: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    Return(Option<Expr>),
    Break,
    Continue,
    Pass,
    /// `raise Name`, `raise Name()`, `raise Name("message")`: an exception class by its name
    /// (lower checks it is a builtin exception) and a constant message.
    Raise {
        class: String,
        /// `raise Name` (None) or `raise Name(...)` with the message or nothing.
        message: Option<String>,
        /// `raise Name` without a call: Python's `Name()`; kept apart only for the fingerprint.
        called: bool,
        /// A message that is not a string literal (an f-string, a string variable).
        dynamic: Option<Box<Expr>>,
    },
    /// `assert test` or `assert test, "message"` (`dynamic`: a message computed at run time).
    Assert {
        test: Expr,
        message: Option<String>,
        dynamic: Option<Box<Expr>>,
    },
    /// `try: body`, its `except` clauses, `else:` and `finally:`.
    Try {
        body: Vec<Stmt>,
        handlers: Vec<Handler>,
        orelse: Vec<Stmt>,
        finalbody: Vec<Stmt>,
    },
    /// A bare `raise`: the exception being handled, raised again.
    Reraise,
}

/// One `except [Class | (Class, ...)] [as name]:` clause of a `try` statement.
#[derive(Clone, Debug, PartialEq)]
pub struct Handler {
    /// The classes it catches by name (None: a bare `except:`).
    pub classes: Option<Vec<String>>,
    /// `as name`.
    pub name: Option<String>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    Name(String, Span),
    Tuple(Vec<Target>, Span),
    /// `value[index] = ...` (an array element).
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
        span: Span,
    },
}

impl Target {
    pub fn span(&self) -> Span {
        match self {
            Target::Name(_, s) | Target::Tuple(_, s) | Target::Subscript { span: s, .. } => *s,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

/// An expression of the tree, by kind. Modules that match on it import it as `A` (one letter, as nearly
/// every match arm names it).
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    Int(i64),
    /// An integer literal from 2**63 to 2**64 - 1: a uint64 (Numba types such constants so).
    UInt(u64),
    Float(f64),
    /// An imaginary literal (`2.5j`): the complex number with this imaginary part and real
    /// part 0.
    Imag(f64),
    Bool(bool),
    None,
    /// A string literal (also a dtype's name: `dtype='float32'`).
    Str(String),
    /// An f-string: `texts[0]`, `values[0]` formatted, `texts[1]`, ... (`texts` is one longer
    /// than `values`); each value's conversion (`b'r'`, `b's'`, `b'a'`, 0 for none) and format
    /// spec (constant text).
    FString {
        texts: Vec<String>,
        values: Vec<Expr>,
        formats: Vec<(u8, String)>,
    },
    Name(String),
    /// `x is None` (`negated`: `x is not None`; `None is x` is the same): the one `is`
    /// comparison compiled, a test of an optional value.
    IsNone {
        operand: Box<Expr>,
        negated: bool,
    },
    /// `left is right` (`negated`: `is not`) where neither is the literal `None`: compiled for
    /// Enum members and bools, by value (as Numba does), and as a constant for operands of
    /// different types.
    Is {
        left: Box<Expr>,
        right: Box<Expr>,
        negated: bool,
    },
    /// `value.attr` (only a module's attribute is compiled; `lower` checks that).
    Attribute {
        value: Box<Expr>,
        attr: String,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    BoolOp {
        op: BoolOpKind,
        values: Vec<Expr>,
    },
    Compare {
        left: Box<Expr>,
        ops: Vec<CmpOp>,
        comparators: Vec<Expr>,
    },
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    Call {
        func: Box<Expr>,
        args: Vec<Expr>,
        keywords: Vec<Keyword>,
    },
    Tuple(Vec<Expr>),
    /// `*t` among a call's positional arguments (only there): the items of `t` as arguments.
    Starred(Box<Expr>),
    /// `[a, b, c]`: a list (or the contents of `np.array([...])`).
    List(Vec<Expr>),
    /// `{k: v, ...}`: a dict (the pairs in order).
    Dict(Vec<(Expr, Expr)>),
    /// `{a, b, ...}`: a set.
    Set(Vec<Expr>),
    /// `item in container` (`not in` when `negated`).
    In {
        item: Box<Expr>,
        container: Box<Expr>,
        negated: bool,
    },
    /// `[elt for target in iter if cond ...]`, `{elt for ...}` or `{elt: value for ...}` (by
    /// `kind`): the generators outermost first.
    ListComp {
        kind: CompKind,
        elt: Box<Expr>,
        /// A dict comprehension's value (`elt` is its key).
        value: Option<Box<Expr>>,
        generators: Vec<Comprehension>,
    },
    /// `...` (Ellipsis): compiled only as an item of an array's index (`a[..., 0]`).
    Ellipsis,
    /// `lower:upper:step` inside a subscript (each part optional).
    Slice {
        lower: Option<Box<Expr>>,
        upper: Option<Box<Expr>>,
        step: Option<Box<Expr>>,
    },
    /// `value[index]` (`value[i, j]` has a tuple index).
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    /// `lambda params: body`, as a function named `<lambda>` whose body returns it.
    Lambda(Box<FunctionDef>),
}

/// What a comprehension makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompKind {
    List,
    Set,
    Dict,
    /// A generator expression, the one argument of `sum`, `min`, `max`, `sorted`, `list`,
    /// `any` or `all`: made as a list comprehension, except that `any` and `all` stop at their
    /// answer (`lower::comprehensions`).
    Generator,
}

/// One `for target in iter if cond ...` of a comprehension.
#[derive(Clone, Debug, PartialEq)]
pub struct Comprehension {
    pub target: Target,
    pub iter: Expr,
    pub ifs: Vec<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Keyword {
    pub name: String,
    pub value: Expr,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    LShift,
    RShift,
    BitAnd,
    BitOr,
    BitXor,
    /// `a @ b` (and `np.matmul`).
    MatMul,
    /// `np.dot(a, b)` and `a.dot(b)`: no Python operator; the matrix product with np.dot's
    /// messages.
    Dot,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::FloorDiv => "//",
            BinOp::Mod => "%",
            BinOp::Pow => "**",
            BinOp::LShift => "<<",
            BinOp::RShift => ">>",
            BinOp::BitAnd => "&",
            BinOp::BitOr => "|",
            BinOp::BitXor => "^",
            BinOp::MatMul => "@",
            BinOp::Dot => "np.dot",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    Neg,
    Pos,
    Not,
    Invert,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BoolOpKind {
    And,
    Or,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    /// The operator with its operands exchanged: `a < b` is `b > a`.
    pub fn swapped(self) -> CmpOp {
        match self {
            CmpOp::Lt => CmpOp::Gt,
            CmpOp::Le => CmpOp::Ge,
            CmpOp::Gt => CmpOp::Lt,
            CmpOp::Ge => CmpOp::Le,
            o => o,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}
