//! Criterion benches of the optimize stage: the pass pipeline on an unoptimized module
//! (`optimize`), and codegen of the optimized module to an object file (`emit`).

mod common;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};
use inkwell::context::Context;
use jit_core::optimize::{self, OptLevel};

fn bench(c: &mut Criterion) {
    let ctx = Context::create();
    let mut g = c.benchmark_group("optimize");
    for (name, src, args) in common::KERNELS {
        let p = common::typed(src, args);
        g.bench_function(*name, |b| {
            b.iter_batched(
                || common::module(&ctx, &p, "sj_bench"),
                |m| optimize::optimize(&m, OptLevel::O3, common::shape(&p)).unwrap(),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
    let mut g = c.benchmark_group("emit");
    for (name, src, args) in common::KERNELS {
        let p = common::typed(src, args);
        g.bench_function(*name, |b| {
            b.iter_batched(
                || {
                    let m = common::module(&ctx, &p, "sj_bench");
                    optimize::optimize(&m, OptLevel::O3, common::shape(&p)).unwrap();
                    m
                },
                |m| black_box(optimize::emit_object(&m).unwrap()),
                BatchSize::SmallInput,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
