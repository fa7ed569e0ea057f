//! Criterion benches of name resolution and type inference: `ast::FunctionDef` → `hir::Function`
//! (`lower`, with the definite-assignment check) → `infer::TypedProgram` (`infer`).

mod common;

use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("lower");
    for (name, src, _) in common::KERNELS {
        let p = common::program(src);
        let (f, env) = (&p.funcs[0], &p.envs[0]);
        g.bench_function(*name, |b| b.iter(|| black_box(jit_core::lower::lower(f, env).unwrap())));
    }
    g.finish();
    let mut g = c.benchmark_group("infer");
    for (name, src, args) in common::KERNELS {
        let h = common::lowered(src);
        g.bench_function(*name, |b| b.iter(|| black_box(jit_core::infer::infer(vec![h.clone()], args.to_vec()).unwrap())));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
