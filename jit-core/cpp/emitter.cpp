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
#include <llvm/Analysis/TargetLibraryInfo.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/CodeGen.h>
#include <llvm/Support/CommandLine.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>

#include <cstddef>
#include <mutex>
#include <new>

namespace {

struct Emitter {
    llvm::TargetMachine *tm;
    llvm::SmallVector<char, 0> buffer;
    llvm::raw_svector_ostream out{buffer};
    llvm::legacy::PassManager passes;
};

// Guards LLVM's `-disable-machine-licm` option, which a pipeline reads while it is built.
std::mutex options_lock;

// Adds to `passes` the codegen of `tm` writing `type` to `out`, with the C library of the
// target's triple as llc has it (without it, instruction selection does not know `sin` and
// `cos` and cannot pair them into one `sincos`). False when the target cannot emit `type`.
// For a `huge` module (a block of thousands of instructions: optimize.rs) the pipeline has no
// machine LICM, which hoists thousands of constants out of such a loop body and leaves the
// register allocator their live ranges: superlinear in the block's length.
bool add_codegen(llvm::legacy::PassManager &passes, llvm::TargetMachine *tm, llvm::raw_pwrite_stream &out,
                 llvm::CodeGenFileType type, bool huge) {
    passes.add(new llvm::TargetLibraryInfoWrapperPass(llvm::TargetLibraryInfoImpl(tm->getTargetTriple())));
    std::lock_guard<std::mutex> guard(options_lock);
    auto &options = llvm::cl::getRegisteredOptions();
    auto found = options.find("disable-machine-licm");
    auto *licm = found == options.end() ? nullptr : static_cast<llvm::cl::opt<bool> *>(found->second);
    bool before = licm != nullptr && licm->getValue();
    if (licm != nullptr) {
        licm->setValue(huge || before);
    }
    bool ok = !tm->addPassesToEmitFile(passes, out, nullptr, type);
    if (licm != nullptr) {
        licm->setValue(before);
    }
    return ok;
}

}  // namespace

extern "C" {

// A reusable object-file emitter for `tm` (for huge modules when `huge` is not 0: add_codegen),
// or null when the target cannot emit objects.
void *sj_emitter_create(LLVMTargetMachineRef tm, int huge) {
    auto *e = new (std::nothrow) Emitter{reinterpret_cast<llvm::TargetMachine *>(tm)};
    if (e == nullptr) {
        return nullptr;
    }
    if (!add_codegen(e->passes, e->tm, e->out, llvm::CodeGenFileType::ObjectFile, huge != 0)) {
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

// Emits `module` through a codegen pipeline built for this call alone (the reference the reusable
// one is tested against, and the assembly `inspect_asm` shows), with the same target library
// info: as an object file, or as assembly text when `assembly` is not 0 (for a huge module when
// `huge` is not 0). Returns the buffer holding the bytes (free it with sj_emit_free), or null on
// failure.
void *sj_emit_fresh(LLVMTargetMachineRef tm, LLVMModuleRef module, int assembly, int huge, const char **data,
                    size_t *len) {
    auto *target = reinterpret_cast<llvm::TargetMachine *>(tm);
    auto *buffer = new (std::nothrow) llvm::SmallVector<char, 0>();
    if (buffer == nullptr) {
        return nullptr;
    }
    llvm::raw_svector_ostream out(*buffer);
    llvm::legacy::PassManager passes;
    auto type = assembly != 0 ? llvm::CodeGenFileType::AssemblyFile : llvm::CodeGenFileType::ObjectFile;
    if (!add_codegen(passes, target, out, type, huge != 0)) {
        delete buffer;
        return nullptr;
    }
    llvm::Module *m = llvm::unwrap(module);
    m->setDataLayout(target->createDataLayout());
    passes.run(*m);
    *data = buffer->data();
    *len = buffer->size();
    return buffer;
}

void sj_emit_free(void *buffer) {
    delete static_cast<llvm::SmallVector<char, 0> *>(buffer);
}

}  // extern "C"
