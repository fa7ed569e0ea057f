//! Criterion bench of the codegen stage (lowering to LLVM IR): `infer::TypedProgram` → an
//! unoptimized LLVM module, verified.

mod common;

use criterion::{criterion_group, criterion_main, Criterion};
use inkwell::context::Context;

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("codegen");
    let ctx = Context::create();
    for (name, src, args) in common::KERNELS {
        let p = common::typed(src, args);
        g.bench_function(*name, |b| {
            b.iter(|| {
                let m = common::module(&ctx, &p, "sj_bench");
                m.verify().unwrap();
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
