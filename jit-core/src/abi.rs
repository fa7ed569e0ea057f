//! The calling convention of compiled code, the one place that says it: how the exported entry
//! takes its arguments and gives its result in 8-byte slots (scalars, flattened tuples, the array
//! descriptor), its signature and status word, and the shape of values passed between compiled
//! functions. Codegen builds from it and `jit-py` packs and unpacks with it.
//!
//! The entry is `status = entry(args, result)`:
//! * `args` holds one slot per parameter, in order. A scalar is passed in its slot
//!   ([`Passing::Direct`]); a tuple or an array is passed as a pointer, in its slot, to its value
//!   flattened into a buffer of its own ([`Passing::Indirect`]).
//! * `result` receives the returned value flattened, from slot 0 ([`result_slots`] slots).
//! * A complex number is passed like a tuple of two floats: its real and imaginary parts.
//! * `status` is 0 ([`STATUS_OK`]) on success, else a `runtime::Status` (the result is then
//!   unspecified).
//!
//! A value *flattened* takes [`slots_of`] consecutive slots: a scalar one ([`Scalar`] says how its
//! bits sit in the slot), None none, a tuple its elements' one after the other (nested tuples
//! inline, [`tuple_offsets`]), an array its [`ArrayDesc`]: the data address, the size of each
//! axis, then the byte stride of each axis.

use crate::types::Type;

/// One slot of the argument or result buffer.
pub type Slot = u64;

/// The size of a slot in bytes.
pub const SLOT_BYTES: u64 = 8;

// A slot holds a u64, an i64, an f64 or a pointer, bit for bit.
const _: () = assert!(std::mem::size_of::<Slot>() as u64 == SLOT_BYTES);
const _: () = assert!(std::mem::size_of::<f64>() == std::mem::size_of::<Slot>());
const _: () = assert!(std::mem::size_of::<usize>() == std::mem::size_of::<Slot>());
const _: () = assert!(std::mem::size_of::<*const u8>() == std::mem::size_of::<Slot>());

/// What the entry returns: [`STATUS_OK`] or a `runtime::Status`.
pub type StatusWord = u32;

/// The width of the status word in compiled code (an LLVM `i32`).
pub const STATUS_BITS: u32 = StatusWord::BITS;

/// The status of a call that succeeded.
pub const STATUS_OK: StatusWord = 0;

/// The exported entry of a compiled program: `status = entry(args, result)`.
pub type EntryFn = unsafe extern "C" fn(args: *const Slot, result: *mut Slot) -> StatusWord;

/// The entry's parameter that points to the argument slots.
pub const ENTRY_ARGS_PARAM: u32 = 0;
/// The entry's parameter that points to the result slots.
pub const ENTRY_RESULT_PARAM: u32 = 1;
/// How many parameters the entry takes (both pointers).
pub const ENTRY_PARAMS: u32 = 2;

/// The slot of the argument buffer that holds parameter `i`.
pub const fn arg_slot(i: usize) -> usize {
    i
}

/// How a parameter occupies its argument slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Passing {
    /// The value itself, encoded as [`Scalar`] says.
    Direct,
    /// The address of the value flattened into a buffer of its own (a tuple, an array's descriptor).
    Indirect,
}

/// How a parameter of type `t` is passed.
pub fn passing(t: &Type) -> Passing {
    match t {
        // A complex number takes two slots: its parts, as a tuple of two floats would.
        Type::Tuple(_) | Type::Array(_) | Type::Complex128 | Type::Complex64 | Type::Optional(_) => Passing::Indirect,
        _ => Passing::Direct,
    }
}

/// How a scalar's bits sit in its slot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// Two's complement (int64).
    Int64,
    /// The unsigned value (uint64).
    UInt64,
    /// The IEEE bits of a double (float64, and float32 carried as the double holding it).
    Float64,
    /// 0 or 1; a nonzero slot reads as true.
    Bool,
}

impl Scalar {
    /// How a value of type `t` sits in a slot, when it takes one slot of its own.
    pub fn of(t: &Type) -> Option<Scalar> {
        Some(match t {
            Type::Int64 => Scalar::Int64,
            Type::UInt64 => Scalar::UInt64,
            Type::Float64 | Type::Float32 => Scalar::Float64,
            Type::Bool => Scalar::Bool,
            Type::None
            | Type::Unknown
            | Type::Dtype(_)
            | Type::Tuple(_)
            | Type::Array(_)
            | Type::Complex128
            | Type::Complex64
            | Type::List(_)
            | Type::Dict(..)
            | Type::Set(_)
            | Type::Str
            | Type::Generator
            | Type::Function(_)
            | Type::Closure(..)
            | Type::Optional(_)
            | Type::Range
            | Type::Iter(_)
            | Type::Pointer(_) => return None,
        })
    }
}

/// The slot holding an int64.
#[inline(always)]
pub const fn int_slot(v: i64) -> Slot {
    v as Slot
}
/// The slot holding a uint64.
#[inline(always)]
pub const fn uint_slot(v: u64) -> Slot {
    v
}
/// The slot holding a double.
#[inline(always)]
pub const fn float_slot(v: f64) -> Slot {
    v.to_bits()
}
/// The slot holding a bool.
#[inline(always)]
pub const fn bool_slot(v: bool) -> Slot {
    v as Slot
}
/// The slot holding an address.
#[inline(always)]
pub fn ptr_slot<T>(p: *const T) -> Slot {
    p as usize as Slot
}
/// The int64 in a slot.
#[inline(always)]
pub const fn slot_int(s: Slot) -> i64 {
    s as i64
}
/// The double in a slot.
#[inline(always)]
pub const fn slot_float(s: Slot) -> f64 {
    f64::from_bits(s)
}
/// The bool in a slot.
#[inline(always)]
pub const fn slot_bool(s: Slot) -> bool {
    s != 0
}

/// How many slots a value of type `t` takes flattened.
pub fn slots_of(t: &Type) -> usize {
    match t {
        Type::Tuple(items) | Type::Closure(_, items) => items.iter().map(slots_of).sum(),
        Type::Array(a) => ArrayDesc::new(a.ndim).slots(),
        // Whether the value is present (0 or 1), then its slots.
        Type::Optional(t) => 1 + slots_of(t),
        Type::None | Type::Unknown | Type::Dtype(_) | Type::Function(_) => 0,
        // The real part, then the imaginary part, each a double (complex64 carried as complex128).
        Type::Complex128 | Type::Complex64 => 2,
        // Start, stop and step (a range never crosses the boundary with Python).
        Type::Range => 3,
        // The sequence, then the address of the position's block (never crosses the boundary
        // with Python either).
        Type::Iter(t) => slots_of(t) + 1,
        // A list: the address of its block (only returned, never passed in); a Generator: the
        // address of its `bitgen_t`; a pointer: the address.
        Type::Int64
        | Type::UInt64
        | Type::Float64
        | Type::Float32
        | Type::Bool
        | Type::List(_)
        | Type::Dict(..)
        | Type::Set(_)
        | Type::Str
        | Type::Generator
        | Type::Pointer(_) => 1,
    }
}

/// The slot where each element of a flattened tuple of `items` starts, from the tuple's first slot.
pub fn tuple_offsets(items: &[Type]) -> Vec<usize> {
    let mut at = 0;
    items
        .iter()
        .map(|t| {
            let here = at;
            at += slots_of(t);
            here
        })
        .collect()
}

/// How many slots the result buffer of an entry returning `t` must have (at least one, so that
/// it is never empty).
pub fn result_slots(t: &Type) -> usize {
    slots_of(t).max(1)
}

/// The flattened array descriptor of an array of `ndim` axes: where each field lies, in slots
/// from its first. Sizes and strides are signed (strides in bytes, as NumPy keeps them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArrayDesc {
    ndim: usize,
}

impl ArrayDesc {
    /// The slot of the address of the first element.
    pub const DATA: usize = 0;

    pub const fn new(ndim: u8) -> ArrayDesc {
        ArrayDesc { ndim: ndim as usize }
    }
    /// The slot of the size of axis `k`.
    pub const fn shape(self, k: usize) -> usize {
        Self::DATA + 1 + k
    }
    /// The slot of the byte stride of axis `k`.
    pub const fn stride(self, k: usize) -> usize {
        Self::DATA + 1 + self.ndim + k
    }
    /// The slot of axis `k`'s entry of the array value's field `which` ([`array_value::SHAPE`]
    /// or [`array_value::STRIDES`]).
    pub const fn axis(self, which: u32, k: usize) -> usize {
        match which {
            array_value::SHAPE => self.shape(k),
            array_value::STRIDES => self.stride(k),
            _ => panic!("only the shape and the strides have one entry per axis"),
        }
    }
    /// How many slots the descriptor takes.
    pub const fn slots(self) -> usize {
        1 + 2 * self.ndim
    }

    /// Appends the descriptor of an array at `data` with these sizes and strides (one per
    /// axis each) to `out`.
    pub fn push(
        out: &mut Vec<Slot>,
        data: Slot,
        shape: impl ExactSizeIterator<Item = i64>,
        strides: impl ExactSizeIterator<Item = i64>,
    ) {
        assert_eq!(shape.len(), strides.len(), "a size and a stride per axis");
        let d = ArrayDesc { ndim: shape.len() };
        let start = out.len();
        out.resize(start + d.slots(), 0);
        out[start + Self::DATA] = data;
        for (k, (n, s)) in shape.zip(strides).enumerate() {
            out[start + d.shape(k)] = int_slot(n);
            out[start + d.stride(k)] = int_slot(s);
        }
    }

    /// The address, sizes and strides of the descriptor at the start of `slots`.
    pub fn read(self, slots: &[Slot]) -> (usize, Vec<isize>, Vec<isize>) {
        let data = slots[Self::DATA] as usize;
        let shape = (0..self.ndim).map(|k| slot_int(slots[self.shape(k)]) as isize).collect();
        let strides = (0..self.ndim).map(|k| slot_int(slots[self.stride(k)]) as isize).collect();
        (data, shape, strides)
    }
}

/// An array value inside compiled code (passed between compiled functions, held in locals): an
/// LLVM struct `{ptr data, [ndim x i64] shape, [ndim x i64] strides, ptr meminfo}`. Its field
/// numbers.
pub mod array_value {
    /// The address of the first element.
    pub const DATA: u32 = 0;
    /// The size of each axis.
    pub const SHAPE: u32 = 1;
    /// The byte stride of each axis.
    pub const STRIDES: u32 = 2;
    /// The header of the block of compiled code's memory the elements lie in (`memory::Header`),
    /// null for memory the caller owns.
    pub const MEMINFO: u32 = 3;
    /// How many fields.
    pub const FIELDS: u32 = 4;
}

/// An inner (not exported) compiled function: it takes its arguments as values followed by the
/// stack limit (an i64, see codegen's `check_stack`) and returns the struct `{value, status}`.
pub mod inner {
    /// The field of the returned struct holding the value.
    pub const VALUE: u32 = 0;
    /// The field of the returned struct holding the status word.
    pub const STATUS: u32 = 1;
}

/// The size and alignment of a list item of type `t` in memory (LLVM's layout of the item's
/// type on x86-64 and AArch64: C's struct rules; a bool is one byte, float32 travels as a double).
pub fn item_layout(t: &Type) -> (usize, usize) {
    match t {
        Type::Bool => (1, 1),
        Type::Complex128 | Type::Complex64 => (16, 8),
        // The descriptor: data, shape, strides, meminfo (`ArrayDesc`), eight bytes each.
        Type::Array(a) => (8 * (2 + 2 * a.ndim as usize), 8),
        Type::Tuple(items) => {
            let (mut size, mut align) = (0usize, 1usize);
            for it in items {
                let (s, a) = item_layout(it);
                size = size.next_multiple_of(a) + s;
                align = align.max(a);
            }
            (size.next_multiple_of(align), align)
        }
        _ => (8, 8),
    }
}

/// Where each element of a tuple list item of `items` starts, in bytes ([`item_layout`]).
pub fn item_offsets(items: &[Type]) -> Vec<usize> {
    let mut at = 0usize;
    items
        .iter()
        .map(|it| {
            let (s, a) = item_layout(it);
            let here = at.next_multiple_of(a);
            at = here + s;
            here
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{ArrayType, Dtype, Layout};

    fn array(ndim: u8) -> Type {
        Type::Array(ArrayType { dtype: Dtype::Float64, ndim, layout: Layout::C, readonly: false })
    }

    #[test]
    fn scalars_take_one_slot_and_none_takes_none() {
        for t in [Type::Int64, Type::UInt64, Type::Float64, Type::Float32, Type::Bool] {
            assert_eq!(slots_of(&t), 1, "{t:?}");
            assert_eq!(passing(&t), Passing::Direct);
            assert!(Scalar::of(&t).is_some());
        }
        assert_eq!(slots_of(&Type::None), 0);
        assert_eq!(result_slots(&Type::None), 1);
        assert_eq!(Scalar::of(&Type::Float32), Some(Scalar::Float64));
    }

    #[test]
    fn nested_tuple_with_an_array_inside() {
        // (int, (float, 2-d array), bool): 1 + (1 + 5) + 1 slots.
        let inner = Type::tuple(vec![Type::Float64, array(2)]);
        let t = Type::tuple(vec![Type::Int64, inner.clone(), Type::Bool]);
        assert_eq!(slots_of(&t), 8);
        assert_eq!(result_slots(&t), 8);
        assert_eq!(tuple_offsets(&[Type::Int64, inner.clone(), Type::Bool]), vec![0, 1, 7]);
        assert_eq!(tuple_offsets(&[Type::Float64, array(2)]), vec![0, 1]);
        assert_eq!(passing(&t), Passing::Indirect);
        assert_eq!(passing(&array(0)), Passing::Indirect);
        assert_eq!(slots_of(&Type::tuple(vec![])), 0);
    }

    #[test]
    fn array_descriptor_offsets() {
        let d = ArrayDesc::new(3);
        assert_eq!(ArrayDesc::DATA, 0);
        assert_eq!((d.shape(0), d.shape(1), d.shape(2)), (1, 2, 3));
        assert_eq!((d.stride(0), d.stride(1), d.stride(2)), (4, 5, 6));
        assert_eq!(d.slots(), 7);
        assert_eq!((d.axis(array_value::SHAPE, 2), d.axis(array_value::STRIDES, 0)), (3, 4));
        assert_eq!(ArrayDesc::new(0).slots(), 1);
        assert_eq!(slots_of(&array(3)), 7);
    }

    #[test]
    fn array_descriptor_round_trips() {
        let mut out = vec![99];
        ArrayDesc::push(&mut out, 0x1000, [3, 4].into_iter(), [32, -8].into_iter());
        assert_eq!(out, vec![99, 0x1000, 3, 4, 32, (-8i64) as u64]);
        assert_eq!(ArrayDesc::new(2).read(&out[1..]), (0x1000, vec![3, 4], vec![32, -8]));
    }

    #[test]
    fn scalar_encodings() {
        assert_eq!(slot_int(int_slot(-5)), -5);
        assert_eq!(slot_float(float_slot(-0.5)), -0.5);
        assert_eq!(float_slot(1.0), 1.0f64.to_bits());
        assert_eq!((bool_slot(true), bool_slot(false)), (1, 0));
        assert!(slot_bool(2) && !slot_bool(0));
        assert_eq!(uint_slot(u64::MAX), u64::MAX);
    }

    #[test]
    fn value_and_entry_shapes() {
        assert_eq!(
            [array_value::DATA, array_value::SHAPE, array_value::STRIDES, array_value::MEMINFO, array_value::FIELDS],
            [0, 1, 2, 3, 4]
        );
        assert_eq!([inner::VALUE, inner::STATUS], [0, 1]);
        assert_eq!((ENTRY_ARGS_PARAM, ENTRY_RESULT_PARAM, ENTRY_PARAMS, STATUS_BITS), (0, 1, 2, 32));
        assert_eq!(arg_slot(3), 3);
    }
}
