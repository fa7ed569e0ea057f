//! Criterion bench of the normalize stage: `ast::FunctionDef` → the sticky and code fingerprints.

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("normalize");
    for (name, src, _) in common::KERNELS {
        let f = jit_core::testing::parse(src).unwrap();
        g.bench_function(*name, |b| b.iter(|| black_box(jit_core::normalize::fingerprint(&f))));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
