// metadata.cpp: the metadata nodes LLVM's C API cannot make: a distinct node without operands,
// which is what an access group (`!llvm.access.group`, named by a loop's
// `llvm.loop.parallel_accesses`) must be. codegen's annotation of elementwise loops is the only
// user.

#include <llvm-c/Core.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Metadata.h>

extern "C" LLVMMetadataRef sj_distinct_empty_node(LLVMContextRef ctx) {
    return llvm::wrap(llvm::MDNode::getDistinct(*llvm::unwrap(ctx), {}));
}
