// lljit.cpp: the process's ORC LLJIT, made for the host identity stickyjit already knows.
//
// LLVMOrcCreateLLJIT with a default builder detects the host again (cpuid), creates a target
// machine to learn the data layout and another for an IR compile layer; stickyjit adds only
// object files, so none of that is needed: about 0.7 ms of every process's first compile or
// cache hit. Here the builder is given the triple, CPU and features, the data layout computed
// from the triple, and an IR compiler that refuses (nothing ever sends it IR).

#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/IRCompileLayer.h>
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/IR/DataLayout.h>
#include <llvm/Support/Error.h>
#include <llvm/TargetParser/SubtargetFeature.h>
#include <llvm/TargetParser/Triple.h>

using namespace llvm;
using namespace llvm::orc;

namespace {
class NoIRCompiler : public IRCompileLayer::IRCompiler {
  public:
    NoIRCompiler() : IRCompiler(IRSymbolMapper::ManglingOptions()) {}
    Expected<std::unique_ptr<MemoryBuffer>> operator()(Module &) override {
        return make_error<StringError>("stickyjit's JIT takes object files only", inconvertibleErrorCode());
    }
};
} // namespace

extern "C" LLVMErrorRef sj_create_lljit(LLVMOrcLLJITRef *out, const char *triple, const char *cpu, const char *features) {
    Triple tt(triple);
    JITTargetMachineBuilder jtmb(tt);
    jtmb.setCPU(cpu);
    jtmb.addFeatures(SubtargetFeatures(features).getFeatures());
    jtmb.setRelocationModel(Reloc::PIC_);
    jtmb.setCodeModel(CodeModel::Small);
    auto jit = LLJITBuilder()
                   .setJITTargetMachineBuilder(std::move(jtmb))
                   .setDataLayout(DataLayout(tt.computeDataLayout()))
                   .setCompileFunctionCreator([](JITTargetMachineBuilder) -> Expected<std::unique_ptr<IRCompileLayer::IRCompiler>> {
                       return std::make_unique<NoIRCompiler>();
                   })
                   .create();
    if (!jit) {
        *out = nullptr;
        return wrap(jit.takeError());
    }
    *out = reinterpret_cast<LLVMOrcLLJITRef>(jit->release());
    return nullptr;
}
