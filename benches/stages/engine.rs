//! Criterion bench of the engine stage: an object file → loaded into the process's ORC JIT,
//! its entry symbol looked up. Each iteration loads a fresh object under a new symbol (the
//! engine would otherwise find it already loaded).

mod common;

use std::cell::Cell;

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine");
    let counter = Cell::new(0u64);
    for (name, src, args) in common::KERNELS {
        let p = common::typed(src, args);
        g.bench_function(*name, |b| {
            b.iter_batched(
                || {
                    counter.set(counter.get() + 1);
                    let symbol = format!("sj_bench_{name}_{}", counter.get());
                    (common::object(&p, &symbol), symbol)
                },
                |(object, symbol)| black_box(jit_core::engine::load(&object, &symbol).unwrap()),
                BatchSize::PerIteration,
            )
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
