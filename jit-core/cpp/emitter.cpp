// emitter.cpp: a codegen pass pipeline built once per target machine and run on every module.
//
// LLVM's C API (LLVMTargetMachineEmitToMemoryBuffer) builds the ~150-pass legacy codegen
// pipeline anew for every module: about a quarter of the time it takes to emit a small
// function. The pipeline is made to be reused: MachineModuleInfo resets its MCContext after
// each module and AsmPrinter re-initialises the object-file lowering before the next one.
// jit-core's optimize stage (optimize.rs) is the only user; it holds the target machine's lock.

#include <llvm-c/Core.h>
#include <llvm-c/TargetMachine.h>
#include <llvm/ADT/SmallVector.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <cstddef>
#include <new>

namespace {

struct Emitter {
    llvm::TargetMachine *tm;
    llvm::SmallVector<char, 0> buffer;
    llvm::raw_svector_ostream out{buffer};
    llvm::legacy::PassManager passes;
};

}  // namespace

extern "C" {

// A reusable object-file emitter for `tm`, or null when the target cannot emit objects.
void *sj_emitter_create(LLVMTargetMachineRef tm) {
    auto *e = new (std::nothrow) Emitter{reinterpret_cast<llvm::TargetMachine *>(tm)};
    if (e == nullptr) {
        return nullptr;
    }
    if (e->tm->addPassesToEmitFile(e->passes, e->out, nullptr, llvm::CodeGenFileType::ObjectFile)) {
        delete e;
        return nullptr;
    }
    return e;
}

// Emits `module` as an object file; the bytes stay valid until the next call on `emitter`.
void sj_emitter_run(void *emitter, LLVMModuleRef module, const char **data, size_t *len) {
    auto *e = static_cast<Emitter *>(emitter);
    llvm::Module *m = llvm::unwrap(module);
    e->buffer.clear();
    m->setDataLayout(e->tm->createDataLayout());
    e->passes.run(*m);
    *data = e->buffer.data();
    *len = e->buffer.size();
}

}  // extern "C"
