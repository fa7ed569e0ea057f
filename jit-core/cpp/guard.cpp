// guard.cpp: recursion deeper than the stack allows becomes a RecursionError, not a crash.
//
// The entry point of compiled code that may recurse runs its body through sj_rt_call_guarded,
// which marks the spot with __builtin_setjmp. A function about to run out of stack (it compares
// the stack pointer with the limit the entry got from sj_rt_stack_limit) calls
// sj_rt_stack_overflow, which jumps back there; the entry then returns the RecursionError
// status. Compiled frames are nounwind and own nothing, so skipping them frees nothing that
// needed freeing; and because the overflow path does not return, it is not a status every
// caller has to check (the optimizer still proves `fib` cannot fail).

#include <cstdint>
#include <cstdlib>

namespace {
using Body = int32_t (*)(const uint64_t *, uint64_t *);
// The innermost guarded call's jump buffer on this thread (kept as a chain, so that guarded
// calls may nest).
thread_local void **current_guard = nullptr;
}  // namespace

extern "C" {

int32_t sj_rt_call_guarded(Body body, const uint64_t *args, uint64_t *ret, int32_t overflow_status) {
    void *buf[5];
    void **const outer = current_guard;
    if (__builtin_setjmp(buf) != 0) {
        current_guard = outer;
        return overflow_status;
    }
    current_guard = buf;
    const int32_t status = body(args, ret);
    current_guard = outer;
    return status;
}

[[noreturn]] void sj_rt_stack_overflow() {
    if (current_guard == nullptr) {
        std::abort();  // a compiled function that checks its stack was entered unguarded: a bug
    }
    __builtin_longjmp(current_guard, 1);
}

}  // extern "C"
