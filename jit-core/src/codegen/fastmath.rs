//! Numba's `fastmath` option: LLVM fast-math flags on every float operation of a module.
//!
//! As Numba does it (its `fastmathpass`): after the module is built, each `fadd fsub fmul fdiv
//! frem fneg fcmp` and each call returning a float gets the chosen flags. `pow` call sites are
//! ordinary library calls then (no `nobuiltin`, [`super::FnGen::call_pow`]) when the flags allow
//! approximate functions, so that `x ** 2` becomes `x * x`.

use inkwell::module::Module;
use inkwell::types::AnyTypeEnum;
use inkwell::values::{FastMathFlags, FunctionValue, InstructionOpcode};

use crate::FastMath;

/// LLVM's flag bits for Numba's flag names.
fn llvm_flags(f: FastMath) -> FastMathFlags {
    let mut flags = FastMathFlags::empty();
    for name in f.names() {
        flags |= match name {
            "reassoc" => FastMathFlags::AllowReassoc,
            "nnan" => FastMathFlags::NoNaNs,
            "ninf" => FastMathFlags::NoInfs,
            "nsz" => FastMathFlags::NoSignedZeros,
            "arcp" => FastMathFlags::AllowReciprocal,
            "contract" => FastMathFlags::AllowContract,
            "afn" => FastMathFlags::ApproxFunc,
            other => unreachable!("FastMath::NAMES has no {other}"),
        };
    }
    flags
}

/// Puts the flags of `f` on every float operation and float-returning call in `module`.
pub(super) fn apply(module: &Module<'_>, f: FastMath) {
    apply_except(module, f, &[])
}

/// [`apply`], except in the functions `strict` (implementations that keep IEEE semantics,
/// [`crate::lower::Env::strict_math`]; inlined into a caller, their operations keep no flags).
pub(super) fn apply_except<'ctx>(module: &Module<'ctx>, f: FastMath, strict: &[FunctionValue<'ctx>]) {
    if f.is_empty() {
        return;
    }
    let flags = llvm_flags(f);
    for func in module.get_functions().filter(|g| !strict.contains(g)) {
        for block in func.get_basic_block_iter() {
            let mut inst = block.get_first_instruction();
            while let Some(i) = inst {
                let float_op = match i.get_opcode() {
                    InstructionOpcode::FAdd
                    | InstructionOpcode::FSub
                    | InstructionOpcode::FMul
                    | InstructionOpcode::FDiv
                    | InstructionOpcode::FRem
                    | InstructionOpcode::FNeg
                    | InstructionOpcode::FCmp => true,
                    InstructionOpcode::Call => matches!(i.get_type(), AnyTypeEnum::FloatType(_)),
                    _ => false,
                };
                if float_op && i.can_use_fast_math_flags() {
                    i.set_fast_math_flags(flags).expect("a float operation takes fast-math flags");
                }
                inst = i.get_next_instruction();
            }
        }
    }
}
