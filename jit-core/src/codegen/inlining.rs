//! Which jitted helpers the optimizer may inline: small ones called from one place always,
//! huge ones never (the attributes codegen puts on each helper before the pass pipeline).

use inkwell::attributes::{Attribute, AttributeLoc};
use inkwell::values::FunctionValue;

use super::ModuleGen;
use crate::infer::TypedProgram;

/// The largest helper (in LLVM instructions as codegen makes them) the optimizer may inline
/// ([`ModuleGen::keep_huge_helpers_out_of_line`]). Measured on NPBench (first call, then steady
/// time): over 3,000, `channel_flow`'s two helpers (6,466 and 4,429) and `nbody`'s `getAcc`
/// (3,303) stay out of line, their first calls 13-20% shorter at the same speed; at 2,000,
/// `cavity_flow`'s (2,475 and 2,763) ran 15% slower out of line.
const HUGE_HELPER_INSTRUCTIONS: usize = 3000;

/// The largest helper (in typed expressions) that [`ModuleGen::inline_sole_calls`] inlines.
const SOLE_CALL_INLINE_EXPRS: usize = 200;

impl<'a, 'ctx> ModuleGen<'a, 'ctx> {
    /// Marks `alwaysinline` each small helper called from one place in the program (and not
    /// recursive). LLVM gives such a function a bonus that inlines it whatever its size, but
    /// codegen's loop versioning (`version.rs`) makes two copies of a loop and so of the call,
    /// and the helper's bounds checks then keep it over the threshold (game of life's
    /// `increment_neighbors`: cost 505 against 325).
    pub(super) fn inline_sole_calls(&self, prog: &TypedProgram, funcs: &[FunctionValue<'ctx>], recursive: &[bool]) {
        let mut sites = vec![0usize; prog.specs.len()];
        for spec in &prog.specs {
            for &target in spec.call_targets.values() {
                sites[target] += 1;
            }
        }
        for (i, spec) in prog.specs.iter().enumerate().skip(1) {
            if sites[i] == 1 && !recursive[i] && spec.expr_types.len() <= SOLE_CALL_INLINE_EXPRS {
                let f = funcs[i];
                f.remove_enum_attribute(AttributeLoc::Function, Attribute::get_named_enum_kind_id("inlinehint"));
                f.add_attribute(AttributeLoc::Function, self.fn_attr("alwaysinline"));
            }
        }
    }

    /// Marks `noinline` each helper whose generated code is over [`HUGE_HELPER_INSTRUCTIONS`]:
    /// the optimizer's and code generator's time grows faster than the size of the function
    /// they work on (register allocation most), and such a helper's work dwarfs a call. LLVM would
    /// inline one called from one place whatever its size (NPBench's `channel_flow` made one
    /// function of its own body and its two helpers').
    pub(super) fn keep_huge_helpers_out_of_line(&self, helpers: &[FunctionValue<'ctx>]) {
        for f in helpers {
            let size: usize = f.get_basic_block_iter().map(|b| b.get_instructions().count()).sum();
            if size > HUGE_HELPER_INSTRUCTIONS {
                for hint in ["inlinehint", "alwaysinline"] {
                    f.remove_enum_attribute(AttributeLoc::Function, Attribute::get_named_enum_kind_id(hint));
                }
                f.add_attribute(AttributeLoc::Function, self.fn_attr("noinline"));
            }
        }
    }
}
