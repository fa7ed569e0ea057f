//! Criterion bench of the parse stage: source lines → `ast::FunctionDef` (rustpython-parser).

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("parse");
    for (name, src, _) in common::KERNELS {
        let lines = jit_core::testing::lines_of(src);
        g.bench_function(*name, |b| {
            b.iter(|| {
                let s = jit_core::parse::SourceFunction { lines: &lines, first_line: 1, filename: jit_core::testing::FILENAME };
                black_box(jit_core::parse::parse_function(&s).unwrap())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
