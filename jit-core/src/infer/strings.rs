//! Typing of strings: literals, f-strings (their format specs checked against each value's
//! type, with CPython's messages), `str`/`repr`/`ord`/`chr`, operators, indexing and the string
//! methods.

use crate::ast::{BinOp, Span};
use crate::error::{CompileError, Result};
use crate::format::{self, ValueKind};
use crate::hir::{self, Intrinsic, ListMethod, StrMethod};
use crate::types::Type;

use super::{require_integer, type_name, InferCx};

/// How a value of type `t` is formatted (`None`: not formatted by compiled code).
pub(super) fn value_kind(t: &Type) -> Option<ValueKind> {
    Some(match t {
        Type::Int64 | Type::UInt64 => ValueKind::Int,
        Type::Float64 | Type::Float32 => ValueKind::Float,
        Type::Bool => ValueKind::Bool,
        Type::Str => ValueKind::Str,
        _ => return None,
    })
}

impl InferCx<'_> {
    fn made_string(&mut self) -> Type {
        self.specs[self.current].allocates = true;
        Type::Str
    }

    /// An f-string: each value a number or string, its spec valid for its type.
    pub(super) fn fstring(&mut self, values: &[hir::Expr], formats: &[(u8, String)]) -> Result<Type> {
        for (v, (conversion, spec)) in values.iter().zip(formats) {
            let t = self.expr(v)?;
            if t == Type::Unknown {
                continue;
            }
            let Some(kind) = value_kind(&t) else {
                return Err(CompileError::unsupported_because(
                    "f-string value",
                    format!("an f-string formats numbers and strings here, not {}", type_name(&t)),
                    v.span,
                ));
            };
            let kind = if *conversion != 0 { ValueKind::Str } else { kind };
            format::parse(spec, kind).map_err(|m| CompileError::typing("format spec", m, v.span))?;
        }
        Ok(self.made_string())
    }

    /// `str(x)`, `repr(x)`, `ord(c)`, `chr(i)` and the string methods.
    pub(super) fn string_intrinsic(&mut self, f: Intrinsic, args: &[hir::Expr], _span: Span) -> Result<Type> {
        let tys: Vec<Type> = args.iter().map(|a| self.expr(a)).collect::<Result<_>>()?;
        if tys.contains(&Type::Unknown) {
            return Ok(Type::Unknown);
        }
        let need_str = |k: usize, what: &str| -> Result<()> {
            match &tys[k] {
                Type::Str => Ok(()),
                t => Err(CompileError::typing(
                    what.to_string(),
                    format!("{what} takes a string, not {}", type_name(t)),
                    args[k].span,
                )),
            }
        };
        match f {
            Intrinsic::Str | Intrinsic::Repr => {
                if let Some(t) = tys.first() {
                    if value_kind(t).is_none() {
                        let name = if f == Intrinsic::Str { "str()" } else { "repr()" };
                        return Err(CompileError::unsupported_because(
                            name,
                            format!("{name} of {} is not compiled; of numbers and strings it is", type_name(t)),
                            args[0].span,
                        ));
                    }
                }
                Ok(self.made_string())
            }
            Intrinsic::RaiseMessage(_) => {
                if tys[0] != Type::Str {
                    return Err(CompileError::unsupported_because(
                        "exception message",
                        format!("an exception's message is a string here, not {}", type_name(&tys[0])),
                        args[0].span,
                    ));
                }
                Ok(Type::None)
            }
            Intrinsic::Ord => {
                need_str(0, "ord()")?;
                Ok(Type::Int64)
            }
            Intrinsic::Chr => {
                require_integer(&tys[0], "chr()", "chr()", args[0].span)?;
                Ok(self.made_string())
            }
            Intrinsic::StrMethod(m) => {
                let name = format!("str.{}()", m.name());
                if tys[0] != Type::Str {
                    return Err(CompileError::typing(
                        name.clone(),
                        format!("{name} of {}; only strings have it here", type_name(&tys[0])),
                        args[0].span,
                    ));
                }
                match m {
                    StrMethod::Upper | StrMethod::Lower | StrMethod::Title | StrMethod::Capitalize | StrMethod::SwapCase => {
                        Ok(self.made_string())
                    }
                    StrMethod::ZFill | StrMethod::Center | StrMethod::LJust | StrMethod::RJust => {
                        require_integer(&tys[1], &name, "the width", args[1].span)?;
                        if tys.len() == 3 {
                            need_str(2, &name)?;
                        }
                        Ok(self.made_string())
                    }
                    StrMethod::SplitLines => {
                        self.made_string();
                        Ok(Type::List(Box::new(Type::Str)))
                    }
                    StrMethod::Strip | StrMethod::LStrip | StrMethod::RStrip => {
                        if tys.len() == 2 && tys[1] != Type::None {
                            need_str(1, &name)?;
                        }
                        Ok(self.made_string())
                    }
                    StrMethod::StartsWith | StrMethod::EndsWith => {
                        need_str(1, &name)?;
                        Ok(Type::Bool)
                    }
                    StrMethod::Find | StrMethod::RFind => {
                        need_str(1, &name)?;
                        Ok(Type::Int64)
                    }
                    StrMethod::Replace => {
                        need_str(1, &name)?;
                        need_str(2, &name)?;
                        if tys.len() == 4 {
                            require_integer(&tys[3], &name, "the count", args[3].span)?;
                        }
                        Ok(self.made_string())
                    }
                    StrMethod::Split => {
                        if tys.len() >= 2 && tys[1] != Type::None {
                            need_str(1, &name)?;
                        }
                        if tys.len() == 3 {
                            require_integer(&tys[2], &name, "maxsplit", args[2].span)?;
                        }
                        self.made_string();
                        Ok(Type::List(Box::new(Type::Str)))
                    }
                    StrMethod::Join => match &tys[1] {
                        Type::List(item) if matches!(**item, Type::Str | Type::Unknown) => Ok(self.made_string()),
                        t => Err(CompileError::typing(
                            name.clone(),
                            format!("{name} takes a list of strings here, not {}", type_name(t)),
                            args[1].span,
                        )),
                    },
                    _ => Ok(Type::Bool),
                }
            }
            _ => unreachable!("not a string intrinsic: {f:?}"),
        }
    }

    /// `s + t`, `s * n`, `n * s`.
    pub(super) fn string_binary(&mut self, op: BinOp, l: &Type, r: &Type, span: Span) -> Result<Type> {
        match (op, l, r) {
            (_, Type::Unknown, _) | (_, _, Type::Unknown) => Ok(Type::Unknown),
            (BinOp::Add, Type::Str, Type::Str) => Ok(self.made_string()),
            (BinOp::Mul, Type::Str, t) | (BinOp::Mul, t, Type::Str) if t.is_integer_or_unknown() => Ok(self.made_string()),
            _ => Err(CompileError::typing(
                "binary operator",
                format!("unsupported operand types for {}: {} and {}", op.symbol(), type_name(l), type_name(r)),
                span,
            )),
        }
    }

    /// `s[i]`, `s[a:b:c]`: a new string.
    pub(super) fn string_subscript(&mut self, index: &hir::Expr) -> Result<Type> {
        if let hir::ExprKind::Slice { lower, upper, step } = &index.kind {
            for part in [lower, upper, step].into_iter().flatten() {
                let t = self.expr(part)?;
                require_integer(&t, "slice", "slice indices", part.span)?;
            }
        } else {
            let it = self.expr(index)?;
            require_integer(&it, "string index", "string indices", index.span)?;
        }
        Ok(self.made_string())
    }

    /// `sub in s`, `s.count(sub)`, `s.index(sub)` of a string `s`.
    pub(super) fn string_list_method(&mut self, method: ListMethod, args: &[hir::Expr], span: Span) -> Result<Type> {
        let name = format!("str.{}()", method.name());
        let [sub] = args else {
            return Err(CompileError::typing("call with wrong arguments", format!("{name} takes exactly one argument"), span));
        };
        match self.expr(sub)? {
            Type::Str | Type::Unknown => {}
            t => {
                let what = if method == ListMethod::Contains {
                    format!("'in <string>' requires string as left operand, not {}", type_name(&t))
                } else {
                    format!("{name} takes a string, not {}", type_name(&t))
                };
                return Err(CompileError::typing(name, what, sub.span));
            }
        }
        match method {
            ListMethod::Contains => Ok(Type::Bool),
            ListMethod::Count | ListMethod::Index => Ok(Type::Int64),
            _ => Err(CompileError::typing(name.clone(), format!("{name} of a string is not compiled"), span)),
        }
    }
}
