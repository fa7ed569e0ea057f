//! The types of the compiled subset, and how two of them unify where control flow merges.

use std::fmt;

pub use crate::registry::Dtype;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    /// Not known yet (only during inference; never reaches codegen).
    Unknown,
    Bool,
    Int64,
    Float64,
    /// A NumPy float32 (an element of a float32 array, or arithmetic between such elements).
    /// Compiled code carries it in a double that always holds a float32 value: every operation
    /// whose type is float32 is computed in double and rounded to float32, which gives
    /// float32 arithmetic's results exactly for + - * / (and is within an ulp for the rest).
    Float32,
    /// A NumPy uint64 (an element of a uint64 array, a `numpy.uint64` argument, an int
    /// argument or literal from 2**63 to 2**64 - 1). With uint64, bool or int64 it stays uint64,
    /// wrapping: an int64 is taken as NumPy 2 takes a Python int beside a uint64 (NEP 50), which
    /// is what nearly every int64 in compiled code is (literals, counters, sizes, accumulators);
    /// with a float it is float64. Shifts keep the left operand's type. Carried in
    /// an i64 whose bits are the value; comparisons, division, conversions to float and the
    /// value returned to Python treat it as unsigned.
    UInt64,
    /// A complex number (Python's `complex`, NumPy's complex128): an LLVM `{double, double}`
    /// in compiled code, two slots at the call boundary.
    Complex128,
    /// A NumPy complex64 (an element of a complex64 array): carried as a complex128 whose
    /// parts always hold float32 values, as [`Type::Float32`] is carried.
    Complex64,
    None,
    /// A dtype used as a value (`np.float64` passed to a jitted function whose parameter is a
    /// `dtype=`): known at compile time, carried as nothing.
    Dtype(Dtype),
    /// A tuple of its items' types; a namedtuple is a tuple whose [`Items`] carry its class's
    /// field names (it is a tuple for every tuple operation, and has its fields as attributes).
    Tuple(Items),
    /// A NumPy array: what its elements are, how many axes, how its memory is laid out, and
    /// whether it may be written (a read-only array is a type of its own, so that a store into
    /// it raises at run time as NumPy does).
    Array(ArrayType),
    /// A Python list of one item type (numbers, or tuples of numbers), typed as Numba types its
    /// lists: the unification of every item put in (`[1, 2.5]` is a list of float64). Carried as
    /// the address of its block (`crate::list`); `List(Unknown)` is a list no item was ever put
    /// in (`[]` returned as it is).
    List(Box<Type>),
    /// A Python dict of one key type and one value type (numbers, or tuples of numbers), each
    /// the unification of what is put in, as Numba types its dicts. Carried as the address of
    /// its block (`crate::dict`); `Dict(Unknown, Unknown)` is a dict nothing was ever put in.
    Dict(Box<Type>, Box<Type>),
    /// A Python set of one item type (numbers, or tuples of numbers): carried as a dict of those
    /// keys whose values take no slots (`crate::dict`).
    Set(Box<Type>),
    /// A Python `str`: carried as the address of its block (`crate::string`), immutable.
    Str,
    /// A NumPy `Generator` (an argument, or `np.random.default_rng(...)` in compiled code):
    /// carried as the address of its bit generator's `bitgen_t` (`random::generator`).
    Generator,
    /// A C pointer (Numba's `CPointer(dtype)`, or `voidptr` when the dtype is `None`): only a
    /// `@cfunc`'s parameter, indexed unchecked (`p[i]`) or viewed as an array (`carray`).
    /// Carried as an LLVM `ptr`, one slot at the call boundary.
    Pointer(Option<Dtype>),
    /// A jitted function used as a value (an argument, a local, an item of a tuple): which
    /// function of the program (its unit), known at compile time and carried as nothing, so a
    /// call through it is a direct call (`infer/functions.rs`). Each function is a type of its
    /// own, as each dispatcher is in Numba.
    Function(u32),
    /// An inner function that reads variables of its parent (a closure): which function, and
    /// the types of the values it captured when it was defined, which it carries (as a tuple
    /// of them) and receives before its own arguments (`lower/closures.rs`).
    Closure(u32, Items),
    /// A value of the inner type, or `None` (Numba's `Optional`): what a variable, a conditional
    /// expression or a return holds when it is `None` on one path and a value on another.
    /// Carried as `{i1 present, inner}` (the inner value zero when absent); read where the inner
    /// type is needed, it is checked (`TypeError` when `None`), and `x is None` tests the flag.
    Optional(Box<Type>),
    /// A Python `range` object used as a value (`r = range(a, b, c)`): its start, stop and
    /// step, carried as an LLVM `{i64, i64, i64}` (`codegen/ranges.rs`); only inside compiled
    /// code (neither an argument from Python nor a value returned to it).
    Range,
    /// An iterator (`iter(x)`, `zip(a, b)` as a value): the sequence it walks (a list, a
    /// homogeneous tuple, an array, a range or a str; a dict's or set's keys and the items of
    /// `enumerate`/`zip`/`reversed` as a list made when the iterator is) and its position,
    /// carried as `{sequence, ptr}` where the pointer is a counted block holding the position
    /// (`codegen/iterators.rs`), so copies of an iterator share it as in CPython; only inside
    /// compiled code.
    Iter(Box<Type>),
}

/// A tuple's item types, and for a namedtuple its class's names. Derefs to the item types, so
/// that a tuple's operations (index, unpack, iterate, `len`) see a namedtuple as the tuple it is.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Items {
    items: Vec<Type>,
    names: Option<std::sync::Arc<TupleNames>>,
}

/// What makes a tuple a namedtuple: its class (`module.qualname`, which the host maps back to
/// the class object to hand a value back to Python) and its field names, in order. A
/// `jitclass` instance is read as such a record too ([`RecordKind::JitClass`]), with its
/// methods: each a function of the program (its unit, or before a program is made the host's
/// number for it) taking the record first; and so is a member of an `enum.Enum` class
/// ([`RecordKind::Enum`]), as the record of its one field `value`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct TupleNames {
    pub class: String,
    pub fields: Vec<String>,
    pub kind: RecordKind,
    pub methods: Vec<(String, u32)>,
}

/// What a named tuple type stands for in Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RecordKind {
    /// A namedtuple: a tuple to every tuple operation, with its fields as attributes.
    NamedTuple,
    /// A jitclass instance's fields (read, not made, changed or handed back).
    JitClass,
    /// A member of an `enum.Enum` class (not an `IntEnum`: those are ints), carried as its
    /// `value`: `==`, `!=`, `is` compare members of one class by value (an `Enum`'s members
    /// have distinct values; an alias is the same member), and members of other classes or
    /// other values are never equal. Handed back to Python as `Class(value)`, the member.
    Enum,
}

impl TupleNames {
    /// A namedtuple class's names.
    pub fn namedtuple(class: String, fields: Vec<String>) -> TupleNames {
        TupleNames { class, fields, kind: RecordKind::NamedTuple, methods: Vec::new() }
    }

    /// The names of the members of the `enum.Enum` class `class`: a record of its `value`.
    pub fn enum_members(class: String) -> TupleNames {
        TupleNames { class, fields: vec!["value".to_string()], kind: RecordKind::Enum, methods: Vec::new() }
    }

    /// Whether these are a jitclass's.
    pub fn is_jitclass(&self) -> bool {
        self.kind == RecordKind::JitClass
    }
}

impl Type {
    /// `np.ndim` of a list or a tuple, as NumPy takes it (`np.array` of it): 1, or 2 for a
    /// list of lists (a tuple of tuples).
    pub fn list_ndim(&self) -> Option<i64> {
        match self {
            Type::List(item) => Some(1 + matches!(**item, Type::List(_)) as i64),
            Type::Tuple(items) if !items.is_record() => Some(1 + matches!(items.first(), Some(Type::Tuple(_))) as i64),
            _ => None,
        }
    }

    /// The (plain) tuple of `items`.
    pub fn tuple(items: Vec<Type>) -> Type {
        Type::Tuple(items.into())
    }
}

impl Items {
    /// The items of a namedtuple of class `names`.
    pub fn named(items: Vec<Type>, names: std::sync::Arc<TupleNames>) -> Items {
        debug_assert_eq!(items.len(), names.fields.len());
        Items { items, names: Some(names) }
    }

    /// The namedtuple class, for a namedtuple (or a jitclass record).
    pub fn names(&self) -> Option<&std::sync::Arc<TupleNames>> {
        self.names.as_ref()
    }

    /// Whether these are a jitclass instance's fields or an Enum member (a record, not a tuple
    /// to Python code).
    pub fn is_record(&self) -> bool {
        self.names.as_ref().is_some_and(|n| n.kind != RecordKind::NamedTuple)
    }

    /// The Enum class, when these are an Enum member's.
    pub fn enum_class(&self) -> Option<&str> {
        self.names.as_ref().filter(|n| n.kind == RecordKind::Enum).map(|n| n.class.as_str())
    }

    /// The one type every item can be read as, where a variable index or a loop picks an item
    /// at run time: the items' type when they are all one, or the general layout of arrays of
    /// one dtype and number of axes (`(np.zeros(1), x[0, :])`: their values are alike). `None`
    /// for an empty tuple or items of other mixed types.
    pub fn common_item(&self) -> Option<Type> {
        let first = self.items.first()?;
        if self.items.iter().all(|t| t == first) {
            return Some(first.clone());
        }
        if !matches!(first, Type::Array(_)) {
            return None;
        }
        let joined = self.items[1..].iter().try_fold(first.clone(), |acc, t| acc.unify(t).ok())?;
        matches!(joined, Type::Array(_)).then_some(joined)
    }

    /// The position of field `name` of a namedtuple.
    pub fn field(&self, name: &str) -> Option<usize> {
        self.names.as_ref()?.fields.iter().position(|f| f == name)
    }

    /// The same kind of tuple (named alike) over other item types.
    pub fn map(&self, f: impl FnMut(&Type) -> Type) -> Items {
        Items { items: self.items.iter().map(f).collect(), names: self.names.clone() }
    }
}

impl std::ops::Deref for Items {
    type Target = Vec<Type>;
    fn deref(&self) -> &Vec<Type> {
        &self.items
    }
}

impl From<Vec<Type>> for Items {
    fn from(items: Vec<Type>) -> Items {
        Items { items, names: None }
    }
}

impl FromIterator<Type> for Items {
    fn from_iter<I: IntoIterator<Item = Type>>(iter: I) -> Items {
        Items { items: iter.into_iter().collect(), names: None }
    }
}

impl<'a> IntoIterator for &'a Items {
    type Item = &'a Type;
    type IntoIter = std::slice::Iter<'a, Type>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl IntoIterator for Items {
    type Item = Type;
    type IntoIter = std::vec::IntoIter<Type>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ArrayType {
    pub dtype: Dtype,
    pub ndim: u8,
    pub layout: Layout,
    pub readonly: bool,
}

/// Memory layout classes (Numba's names): C-contiguous, Fortran-contiguous, or any strides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Layout {
    C,
    F,
    A,
}

impl Type {
    pub fn is_numeric(&self) -> bool {
        matches!(self, Type::Bool | Type::Int64 | Type::UInt64 | Type::Float64 | Type::Float32)
    }

    /// bool, int64 or uint64: what may index, count a range or give a shape (Unknown too,
    /// during inference).
    pub fn is_integer_or_unknown(&self) -> bool {
        matches!(self, Type::Bool | Type::Int64 | Type::UInt64 | Type::Unknown)
    }

    /// Whether values of this type hold references to memory blocks (arrays, lists, dicts,
    /// sets, or tuples of them), which compiled code counts.
    pub fn holds_references(&self) -> bool {
        match self {
            Type::Array(_) | Type::List(_) | Type::Dict(..) | Type::Set(_) | Type::Str | Type::Iter(_) => true,
            Type::Tuple(items) | Type::Closure(_, items) => items.iter().any(Type::holds_references),
            Type::Optional(t) => t.holds_references(),
            _ => false,
        }
    }

    pub fn is_float(&self) -> bool {
        matches!(self, Type::Float64 | Type::Float32)
    }

    pub fn is_complex(&self) -> bool {
        matches!(self, Type::Complex128 | Type::Complex64)
    }

    /// A real number ([`Type::is_numeric`]) or a complex one.
    pub fn is_number(&self) -> bool {
        self.is_numeric() || self.is_complex()
    }

    /// The type of the real and imaginary parts of a complex type (float64, or float32 for
    /// complex64); a real type is its own part.
    pub fn complex_part(&self) -> Type {
        match self {
            Type::Complex64 => Type::Float32,
            Type::Complex128 => Type::Float64,
            t => t.clone(),
        }
    }

    /// The type compiled code carries a value of this type in: float32 travels as float64
    /// (tuples element by element).
    pub fn carrier(&self) -> Type {
        match self {
            Type::Float32 => Type::Float64,
            Type::Complex64 => Type::Complex128,
            Type::Tuple(ts) => Type::Tuple(ts.map(Type::carrier)),
            Type::Closure(f, ts) => Type::Closure(*f, ts.map(Type::carrier)),
            Type::List(t) => Type::List(Box::new(t.carrier())),
            Type::Dict(k, v) => Type::Dict(Box::new(k.carrier()), Box::new(v.carrier())),
            Type::Set(k) => Type::Set(Box::new(k.carrier())),
            Type::Optional(t) => Type::Optional(Box::new(t.carrier())),
            Type::Iter(t) => Type::Iter(Box::new(t.carrier())),
            t => t.clone(),
        }
    }

    /// The item type of a list.
    pub fn list_item(&self) -> Option<&Type> {
        match self {
            Type::List(t) => Some(t),
            _ => None,
        }
    }

    pub fn array(&self) -> Option<ArrayType> {
        match self {
            Type::Array(a) => Some(*a),
            _ => None,
        }
    }

    pub fn is_known(&self) -> bool {
        match self {
            Type::Unknown => false,
            Type::Tuple(ts) | Type::Closure(_, ts) => ts.iter().all(Type::is_known),
            Type::Optional(t) | Type::Iter(t) => t.is_known(),
            _ => true,
        }
    }

    /// Whether a value of this type may be `None` on some path and something else on another
    /// ([`Type::Optional`]): every value a variable holds, but not `None` itself, another
    /// optional, or what is known only at compile time (dtypes, functions).
    pub fn may_be_optional(&self) -> bool {
        !matches!(
            self,
            Type::None
                | Type::Unknown
                | Type::Optional(_)
                | Type::Dtype(_)
                | Type::Function(_)
                | Type::Closure(..)
                | Type::Pointer(_)
        )
    }

    /// The value inside an optional; any other type is its own.
    pub fn unwrapped(&self) -> &Type {
        match self {
            Type::Optional(t) => t,
            t => t,
        }
    }

    /// The type of a variable or expression that may hold a value of `self` or of `other`:
    /// numbers as [`promote`] says. `None` with a value is an optional value
    /// ([`Type::Optional`]); `Err` carries the pair for the message.
    pub fn unify(&self, other: &Type) -> Result<Type, (Type, Type)> {
        use Type::*;
        if let Some(t) = promote(self, other) {
            return Ok(t);
        }
        Ok(match (self, other) {
            (Unknown, t) | (t, Unknown) => t.clone(),
            (a, b) if a == b => a.clone(),
            (None, t) | (t, None) if t.may_be_optional() => Optional(Box::new(t.clone())),
            (Optional(t), None) | (None, Optional(t)) => Optional(t.clone()),
            (Optional(a), b) | (b, Optional(a)) => {
                let inner = a.unify(b.unwrapped()).map_err(|_| (self.clone(), other.clone()))?;
                if !inner.may_be_optional() {
                    return Err((self.clone(), other.clone()));
                }
                Optional(Box::new(inner))
            }
            // Two arrays of one dtype and ndim: the general layout, read-only if either is
            // (Numba's rule).
            (Array(a), Array(b)) if a.dtype == b.dtype && a.ndim == b.ndim => Array(ArrayType {
                layout: if a.layout == b.layout { a.layout } else { Layout::A },
                readonly: a.readonly || b.readonly,
                ..*a
            }),
            // (A namedtuple unifies with a namedtuple of its class only.)
            (Tuple(a), Tuple(b)) if a.len() == b.len() && a.names() == b.names() => {
                let items: Vec<Type> = a
                    .iter()
                    .zip(b.iter())
                    .map(|(x, y)| x.unify(y))
                    .collect::<Result<_, _>>()
                    .map_err(|_| (self.clone(), other.clone()))?;
                Tuple(Items { items, names: a.names().cloned() })
            }
            (List(a), List(b)) => List(Box::new(a.unify_item(b).map_err(|_| (self.clone(), other.clone()))?)),
            (Set(a), Set(b)) => Set(Box::new(a.unify_item(b).map_err(|_| (self.clone(), other.clone()))?)),
            // Iterators over sequences that unify (a list whose item type widened after `iter()`).
            (Iter(a), Iter(b)) => Iter(Box::new(a.unify_item(b).map_err(|_| (self.clone(), other.clone()))?)),
            (Dict(ak, av), Dict(bk, bv)) => {
                let bad = |_| (self.clone(), other.clone());
                Dict(Box::new(ak.unify_item(bk).map_err(bad)?), Box::new(av.unify_item(bv).map_err(bad)?))
            }
            _ => return Err((self.clone(), other.clone())),
        })
    }

    /// [`Type::unify`] of two items of a tuple, list, dict or set: `None` beside a value is an
    /// error there (a container holds no optional values).
    pub fn unify_item(&self, other: &Type) -> Result<Type, (Type, Type)> {
        match self.unify(other)? {
            Type::Optional(_) => Err((self.clone(), other.clone())),
            t => Ok(t),
        }
    }

    /// The type arithmetic is done in when the numbers `self` and `other` meet in
    /// `+ - * // % & | ^`: their [`promote`]d type, except that two bools compute in int64.
    /// Unknown while either is.
    pub fn arith(&self, other: &Type) -> Type {
        match promote(self, other) {
            Some(Type::Bool) => Type::Int64,
            Some(t) => t,
            None if *self == Type::Unknown || *other == Type::Unknown => Type::Unknown,
            None => Type::Int64,
        }
    }
}

/// The promotion table: the one type that holds a value of either of two numeric types
/// (NumPy's and Numba's rules, `bool ⊂ int64 ⊂ float64`, with float32 and uint64 beside them);
/// `None` when either is not a number. [`Type::unify`] (where control flow merges) and
/// [`Type::arith`] (where an operator meets its operands) both read it.
pub fn promote(a: &Type, b: &Type) -> Option<Type> {
    use Type::*;
    if a.is_complex() || b.is_complex() {
        if !(a.is_number() && b.is_number()) {
            return Option::None;
        }
        // complex64 stays complex64 beside itself, a bool or a float32 (all fit its parts);
        // anything else makes complex128, as float32 does.
        return Some(match (a, b) {
            (Complex64, Complex64 | Bool | Float32) | (Bool | Float32, Complex64) => Complex64,
            _ => Complex128,
        });
    }
    if !(a.is_numeric() && b.is_numeric()) {
        return Option::None;
    }
    Some(match (a, b) {
        (a, b) if a == b => a.clone(),
        // float32 with bool stays float32; with an int64, a uint64 or a float64 it is float64.
        (Bool, Float32) | (Float32, Bool) => Float32,
        (Int64 | UInt64 | Float64, Float32) | (Float32, Int64 | UInt64 | Float64) => Float64,
        (Bool, Int64) | (Int64, Bool) => Int64,
        // An int64 beside a uint64 is taken as a Python int (see `Type::UInt64`).
        (Bool | Int64, UInt64) | (UInt64, Bool | Int64) => UInt64,
        (Bool | Int64 | UInt64, Float64) | (Float64, Bool | Int64 | UInt64) => Float64,
        _ => unreachable!("every pair of numeric types is listed"),
    })
}

/// NumPy's `promote_types` for two dtypes: the smallest dtype that holds both (a signed and an
/// unsigned integer of the same size need the next signed size, uint64 with a signed integer
/// float64; an integer of up to 16 bits fits float32).
pub fn promote_dtypes(a: Dtype, b: Dtype) -> Dtype {
    use Dtype::*;
    let (sa, sb) = (a.size(), b.size());
    match (a, b) {
        _ if a == b => a,
        (Bool, x) | (x, Bool) => x,
        (Complex128, _) | (_, Complex128) => Complex128,
        // complex64 holds what float32 holds; beside anything wider, complex128.
        (Complex64, x) | (x, Complex64) => {
            if promote_dtypes(x, Float32) == Float32 {
                Complex64
            } else {
                Complex128
            }
        }
        (Float64, _) | (_, Float64) => Float64,
        (Float32, x) | (x, Float32) => {
            if x.size() <= 2 {
                Float32
            } else {
                Float64
            }
        }
        _ if a.is_signed() == b.is_signed() => {
            if sa >= sb {
                a
            } else {
                b
            }
        }
        // One signed, one unsigned.
        _ => {
            let (signed, unsigned) = if a.is_signed() { (sa, sb) } else { (sb, sa) };
            if unsigned < signed {
                Dtype::signed_of_size(signed).expect("a signed size")
            } else if unsigned == 8 {
                Float64
            } else {
                Dtype::signed_of_size(2 * unsigned).expect("a signed size")
            }
        }
    }
}

impl Dtype {
    /// The dtype of an array holding values of the scalar type `t` (compiled code's bool,
    /// int64, uint64, float32; float64 for anything else).
    pub fn of_scalar(t: &Type) -> Dtype {
        match t {
            Type::Bool => Dtype::Bool,
            Type::Int64 => Dtype::Int64,
            Type::UInt64 => Dtype::UInt64,
            Type::Float32 => Dtype::Float32,
            Type::Complex128 => Dtype::Complex128,
            Type::Complex64 => Dtype::Complex64,
            _ => Dtype::Float64,
        }
    }

    /// The signed integer dtype of `size` bytes.
    pub fn signed_of_size(size: u64) -> Option<Dtype> {
        Dtype::from_kind_size(b'i', size)
    }
}

impl fmt::Display for Type {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Type::Unknown => f.write_str("?"),
            Type::Bool => f.write_str("bool"),
            Type::Int64 => f.write_str("int64"),
            Type::Float64 => f.write_str("float64"),
            Type::Float32 => f.write_str("float32"),
            Type::UInt64 => f.write_str("uint64"),
            Type::Complex128 => f.write_str("complex128"),
            Type::Complex64 => f.write_str("complex64"),
            Type::None => f.write_str("none"),
            Type::Dtype(d) => write!(f, "dtype({})", d.name()),
            Type::Generator => f.write_str("Generator"),
            Type::Str => f.write_str("str"),
            Type::Range => f.write_str("range"),
            Type::Iter(t) => write!(f, "iterator({t})"),
            Type::Function(unit) | Type::Closure(unit, _) => write!(f, "function(#{unit})"),
            // Numba's names: `float64*`, `void*`.
            Type::Pointer(Some(d)) => write!(f, "{}*", d.name()),
            Type::Pointer(None) => f.write_str("void*"),
            Type::Array(a) => {
                let layout = match a.layout {
                    Layout::C => "C",
                    Layout::F => "F",
                    Layout::A => "A",
                };
                write!(f, "array({}, {}d, {layout}{})", a.dtype.name(), a.ndim, if a.readonly { ", readonly" } else { "" })
            }
            Type::List(t) => write!(f, "list({t})"),
            Type::Dict(k, v) => write!(f, "dict({k}, {v})"),
            Type::Optional(t) => write!(f, "optional({t})"),
            Type::Set(k) => write!(f, "set({k})"),
            Type::Tuple(ts) => {
                // A namedtuple as Numba writes one: `Point(x: float64, y: float64)`, its class
                // named in full (the text is part of cache keys).
                match ts.names() {
                    Some(n) if n.kind == RecordKind::JitClass => write!(f, "jitclass {}(", n.class)?,
                    Some(n) if n.kind == RecordKind::Enum => write!(f, "enum {}(", n.class)?,
                    Some(n) => write!(f, "namedtuple {}(", n.class)?,
                    None => f.write_str("tuple(")?,
                }
                for (i, t) in ts.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match ts.names() {
                        Some(n) => write!(f, "{}: {t}", n.fields[i])?,
                        None => write!(f, "{t}")?,
                    }
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
    fn promote_dtypes_is_numpys() {
        use super::promote_dtypes;
        use crate::registry::Dtype;
        // Every pair against NumPy 2's np.promote_types, by name.
        let cases = [
            ("int8", "uint8", "int16"),
            ("int16", "uint8", "int16"),
            ("int32", "uint32", "int64"),
            ("int64", "uint64", "float64"),
            ("uint8", "uint16", "uint16"),
            ("int8", "float32", "float32"),
            ("uint16", "float32", "float32"),
            ("int32", "float32", "float64"),
            ("bool", "int8", "int8"),
            ("bool", "bool", "bool"),
            ("float32", "float64", "float64"),
            ("uint32", "int8", "int64"),
            ("uint64", "int8", "float64"),
            ("complex64", "float32", "complex64"),
            ("complex64", "int16", "complex64"),
            ("complex64", "int32", "complex128"),
            ("complex64", "float64", "complex128"),
            ("complex128", "bool", "complex128"),
            ("complex64", "complex128", "complex128"),
            ("uint64", "complex64", "complex128"),
        ];
        for (a, b, r) in cases {
            let (a, b) = (Dtype::from_name(a).unwrap(), Dtype::from_name(b).unwrap());
            assert_eq!(promote_dtypes(a, b).name(), r, "{a:?} {b:?}");
            assert_eq!(promote_dtypes(b, a).name(), r, "{b:?} {a:?}");
        }
    }

    #[test]
    fn unify_widens_along_bool_int_float() {
        assert_eq!(Bool.unify(&Int64), Ok(Int64));
        assert_eq!(Int64.unify(&Float64), Ok(Float64));
        assert_eq!(Unknown.unify(&Bool), Ok(Bool));
        assert_eq!(None.unify(&Int64), Ok(Optional(Box::new(Int64))));
        assert_eq!(Optional(Box::new(Bool)).unify(&Float64), Ok(Optional(Box::new(Float64))));
        assert_eq!(None.unify(&Optional(Box::new(Int64))), Ok(Optional(Box::new(Int64))));
        assert!(None.unify_item(&Int64).is_err());
        // A tuple's item may be optional (`return None, a` and `return b, a`); a list's may not.
        assert_eq!(Tuple(vec![None].into()).unify(&Tuple(vec![Int64].into())), Ok(Tuple(vec![Optional(Box::new(Int64))].into())));
        assert!(List(Box::new(None)).unify(&List(Box::new(Int64))).is_err());
        assert!(Optional(Box::new(Int64)).unify(&Str).is_err());
    }

    #[test]
    fn float32_promotes_as_in_numpy_and_numba() {
        assert_eq!(Float32.unify(&Float32), Ok(Float32));
        assert_eq!(Float32.unify(&Bool), Ok(Float32));
        assert_eq!(Float32.unify(&Int64), Ok(Float64));
        assert_eq!(Float64.unify(&Float32), Ok(Float64));
        assert_eq!(Float32.arith(&Float32), Float32);
        assert_eq!(Bool.arith(&Float32), Float32);
        assert_eq!(Float32.arith(&Int64), Float64);
        assert_eq!(Float32.arith(&Float64), Float64);
        assert_eq!(Tuple(vec![Float32, Int64].into()).carrier(), Tuple(vec![Float64, Int64].into()));
    }

    #[test]
    fn complex_promotes_as_in_numpy() {
        assert_eq!(Complex128.arith(&Int64), Complex128);
        assert_eq!(Float64.arith(&Complex128), Complex128);
        assert_eq!(Complex64.arith(&Float32), Complex64);
        assert_eq!(Complex64.arith(&Bool), Complex64);
        assert_eq!(Complex64.arith(&Float64), Complex128);
        assert_eq!(Complex64.unify(&Int64), Ok(Complex128));
        assert!(Complex128.unify_item(&None).is_err());
        assert_eq!(Complex64.carrier(), Complex128);
        assert_eq!(Complex64.complex_part(), Float32);
    }

    #[test]
    fn uint64_follows_numpys_promotion() {
        assert_eq!(UInt64.arith(&UInt64), UInt64);
        assert_eq!(UInt64.arith(&Bool), UInt64);
        assert_eq!(UInt64.arith(&Int64), UInt64);
        assert_eq!(Int64.arith(&UInt64), UInt64);
        assert_eq!(UInt64.arith(&Float64), Float64);
        assert_eq!(UInt64.arith(&Float32), Float64);
        assert_eq!(UInt64.unify(&Int64), Ok(UInt64));
        assert_eq!(Bool.unify(&UInt64), Ok(UInt64));
        assert_eq!(UInt64.unify(&Float64), Ok(Float64));
    }

    #[test]
    fn iterators_unify_as_their_sequences() {
        let it = |t: super::Type| Iter(Box::new(t));
        let list = |t: super::Type| List(Box::new(t));
        assert_eq!(it(list(Unknown)).unify(&it(list(Int64))), Ok(it(list(Int64))));
        assert_eq!(it(list(Int64)).unify(&it(list(Float64))), Ok(it(list(Float64))));
        assert!(it(list(Int64)).unify(&it(Range)).is_err());
        assert_eq!(None.unify(&it(Range)), Ok(Optional(Box::new(it(Range)))));
        assert!(it(Range).holds_references(), "the position is a counted block");
        assert!(!it(Unknown).is_known() && it(list(Unknown)).is_known());
        assert_eq!(crate::abi::slots_of(&it(Range)), 4);
    }
}
