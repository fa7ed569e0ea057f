//! The types of the compiled subset, and how two of them unify where control flow merges.

use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// Not known yet (only during inference; never reaches codegen).
    Unknown,
    Bool,
    Int,
    Float,
    None,
    Tuple(Vec<Type>),
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Bool | Type::Int | Type::Float)
    }

    pub fn is_known(&self) -> bool {
        match self {
            Type::Unknown => false,
            Type::Tuple(ts) => ts.iter().all(Type::is_known),
            _ => true,
        }
    }

    /// The type of a variable or expression that may hold a value of `self` or of `other`:
    /// bool ⊂ int ⊂ float. `None` mixes with nothing but itself; `Err` carries the pair for the message.
    pub fn unify(&self, other: &Type) -> Result<Type, (Type, Type)> {
        use Type::*;
        Ok(match (self, other) {
            (Unknown, t) | (t, Unknown) => t.clone(),
            (a, b) if a == b => a.clone(),
            (Bool, Int) | (Int, Bool) => Int,
            (Bool | Int, Float) | (Float, Bool | Int) => Float,
            (Tuple(a), Tuple(b)) if a.len() == b.len() => Tuple(
                a.iter().zip(b).map(|(x, y)| x.unify(y)).collect::<Result<_, _>>().map_err(|_| (self.clone(), other.clone()))?,
            ),
            _ => return Err((self.clone(), other.clone())),
        })
    }

    /// The type arithmetic is done in when `self` and `other` meet in `+ - * // %`.
    pub fn arith(&self, other: &Type) -> Type {
        match (self, other) {
            (Type::Unknown, _) | (_, Type::Unknown) => Type::Unknown,
            (Type::Float, _) | (_, Type::Float) => Type::Float,
            _ => Type::Int,
        }
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Unknown => f.write_str("?"),
            Type::Bool => f.write_str("bool"),
            Type::Int => f.write_str("int64"),
            Type::Float => f.write_str("float64"),
            Type::None => f.write_str("none"),
            Type::Tuple(ts) => {
                f.write_str("tuple(")?;
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{t}")?;
                }
                f.write_str(")")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Type::*;

    #[test]
    fn unify_widens_along_bool_int_float() {
        assert_eq!(Bool.unify(&Int), Ok(Int));
        assert_eq!(Int.unify(&Float), Ok(Float));
        assert_eq!(Unknown.unify(&Bool), Ok(Bool));
        assert!(None.unify(&Int).is_err());
    }
}
