//! Test support: builds a program the way jit-py would (source lines, globals, defaults) and
//! renders what each stage makes of it (typed IR, LLVM IR, the error a user sees) as snapshot text.
//!
//! For jit-core's unit tests, its integration tests and the stage benches; not part of the API.
//! One snapshot is one line ([`snapshot!`](crate::snapshot)):
//!
//! ```text
//! jit_core::snapshot!("add_int64", "def f(a, b):\n    return a + b", [Int64, Int64]);
//! ```

use inkwell::context::Context;
use inkwell::module::Module;

use crate::error::CompileError;
use crate::infer::{self, TypedProgram};
use crate::lower::{ConstValue, Env, GlobalValue};
use crate::types::{ArrayType, Dtype, Layout, Type};
use crate::{ast, codegen, hir, optimize, parse, pretty};

/// The file name every test program is parsed as (it appears in error texts).
pub const FILENAME: &str = "t.py";

/// The Python builtins tests may call that the compiler does not support: jit-py binds them as
/// builtins (so the error names them), not as undefined names.
const UNSUPPORTED_BUILTINS: [&str; 6] = ["print", "sum", "sorted", "enumerate", "zip", "divmod"];

/// The `prange` loops that run serially, each with the unit it is in and why.
type SerialLoops = Vec<(usize, CompileError)>;

/// A program under test: one or more functions (`units[0]` is called; the others are the jitted
/// functions it may call by name), each with the environment jit-py would give it.
pub struct TestProgram {
    pub funcs: Vec<ast::FunctionDef>,
    pub envs: Vec<Env>,
    lines: Vec<Vec<String>>,
}

/// Source text as the lines jit-py reads (each ending in a newline).
pub fn lines_of(src: &str) -> Vec<String> {
    src.lines().map(|l| format!("{l}\n")).collect()
}

/// Parses the first function of `src` (line 1 of [`FILENAME`]).
pub fn parse(src: &str) -> Result<ast::FunctionDef, CompileError> {
    parse::parse_function(&parse::SourceFunction { lines: &lines_of(src), first_line: 1, filename: FILENAME })
}

impl TestProgram {
    /// Parses every source and binds each function's globals as jit-py would: `math`, the
    /// builtins, `np`/`numpy` and their functions and dtypes, the functions of the program by
    /// name (itself as [`GlobalValue::SelfFunction`]); anything else is undefined. No defaults.
    pub fn new(sources: &[&str]) -> Result<Self, (usize, CompileError)> {
        let lines: Vec<Vec<String>> = sources.iter().map(|s| lines_of(s)).collect();
        let funcs = sources.iter().enumerate().map(|(i, s)| parse(s).map_err(|e| (i, e))).collect::<Result<Vec<_>, _>>()?;
        let names: Vec<String> = funcs.iter().map(|f| f.name.clone()).collect();
        let envs = funcs
            .iter()
            .map(|f| {
                let mut env = crate::standalone_env(f, FILENAME);
                for (name, v) in env.globals.iter_mut() {
                    if let Some(bound) = bind(name, &names, &f.name) {
                        *v = bound;
                    }
                }
                env
            })
            .collect();
        Ok(TestProgram { funcs, envs, lines })
    }

    /// A program of one function.
    pub fn one(src: &str) -> Result<Self, CompileError> {
        TestProgram::new(&[src]).map_err(|(_, e)| e)
    }

    /// Binds the global `name` to `value` in every function of the program.
    pub fn global(mut self, name: &str, value: GlobalValue) -> Self {
        for env in &mut self.envs {
            env.globals.insert(name.to_string(), value.clone());
        }
        self
    }

    /// Every function decorated `parallel=True`, with `prange` bound to stickyjit's.
    pub fn parallel(mut self) -> Self {
        for env in &mut self.envs {
            env.parallel = true;
            env.globals.insert("prange".to_string(), GlobalValue::Builtin("prange".to_string()));
        }
        self
    }

    /// The default values of the parameters of function `unit` (one entry per parameter).
    pub fn defaults(mut self, unit: usize, defaults: &[Option<ConstValue>]) -> Self {
        self.envs[unit].defaults = defaults.to_vec();
        self
    }

    /// The lower and flow stages over every function, as the pipeline runs them; an error says
    /// which function it is in.
    pub fn lower(&self) -> Result<Vec<hir::Function>, (usize, CompileError)> {
        let units: Vec<(&ast::FunctionDef, &Env)> = self.funcs.iter().zip(&self.envs).collect();
        crate::lower_and_flow(&units)
    }

    /// Lower and infer, the first function called with `args`.
    pub fn infer(&self, args: &[Type]) -> Result<TypedProgram, (usize, CompileError)> {
        self.infer_parallel(args).map(|(typed, _)| typed)
    }

    /// [`TestProgram::infer`], and the `prange` loops that run serially (as `prepare_program`
    /// finds them: [`crate::parallel::demote_racing_loops`]).
    pub fn infer_parallel(&self, args: &[Type]) -> Result<(TypedProgram, SerialLoops), (usize, CompileError)> {
        let mut typed = infer::infer_program(self.lower()?, args.to_vec(), None).map_err(|(f, e)| (f as usize, e))?;
        let serial = crate::parallel::demote_racing_loops(&mut typed);
        Ok((typed, serial))
    }

    /// Why each `prange` loop of the program called with `args` that runs serially does: the
    /// sources and argument types, then each reason as the user's warning shows it.
    pub fn serial_loops(&self, args: &[Type]) -> String {
        let mut out: String = self.lines.iter().map(|l| l.concat()).collect::<Vec<_>>().join("\n");
        let names: Vec<String> = args.iter().map(Type::to_string).collect();
        out.push_str(&format!("args: ({})\n", names.join(", ")));
        match self.infer_parallel(args) {
            Ok((_, serial)) if serial.is_empty() => out.push_str("== every prange loop runs in parallel\n"),
            Ok((_, serial)) => {
                for (unit, why) in serial {
                    let line = why.span().line.checked_sub(1).and_then(|i| self.lines[unit].get(i as usize));
                    out.push_str("== runs serially\n");
                    let at = format!("{FILENAME}:{}:{}", why.span().line, why.span().col);
                    let source = line.map(|l| format!("\n    {}", l.trim())).unwrap_or_default();
                    out.push_str(&format!(
                        "ParallelWarning [{}]\n{at}: this prange loop runs serially (as range): {}{source}\n",
                        why.construct(),
                        why.reason()
                    ));
                }
            }
            Err((unit, e)) => {
                out.push_str("== error\n");
                out.push_str(&self.error_text(unit, &e));
                out.push('\n');
            }
        }
        out
    }

    /// The error as the user sees it ([`CompileError::render`], as jit-py raises it): the
    /// exception's class (`TypeError` for an argument error; `CompileError` with the construct
    /// it carries), then its text.
    pub fn error_text(&self, unit: usize, e: &CompileError) -> String {
        let line = e.span().line.checked_sub(1).and_then(|i| self.lines[unit].get(i as usize));
        let text = e.render(FILENAME, line.map(String::as_str));
        match e {
            CompileError::ArgumentType { .. } => format!("TypeError: {text}"),
            _ => format!("CompileError [{}]\n{text}", e.construct()),
        }
    }

    /// The snapshot of compiling the program for `args`: the sources and argument types, then
    /// the typed IR and the optimized LLVM IR ([`llvm_ir`]), or the error text.
    pub fn snapshot(&self, args: &[Type]) -> String {
        let mut out: String = self.lines.iter().map(|l| l.concat()).collect::<Vec<_>>().join("\n");
        let names: Vec<String> = args.iter().map(Type::to_string).collect();
        out.push_str(&format!("args: ({})\n", names.join(", ")));
        match self.infer(args) {
            Ok(p) => {
                out.push_str("== typed IR\n");
                out.push_str(&pretty::typed_program(&p));
                out.push_str("== LLVM IR, optimized\n");
                out.push_str(&llvm_ir(&p, true));
            }
            Err((unit, e)) => {
                out.push_str("== error\n");
                out.push_str(&self.error_text(unit, &e));
                out.push('\n');
            }
        }
        out
    }
}

/// What jit-py binds a global `name` of function `me` to, where that differs from
/// [`crate::standalone_env`]: NumPy, the program's other functions, unsupported builtins.
/// Every `np.name` that is not a dtype is a NumPy function here, so that lower decides what is
/// compiled (jit-py binds only the names it knows; another NumPy callable is an unsupported
/// function to it).
fn bind(name: &str, program: &[String], me: &str) -> Option<GlobalValue> {
    if let Some((m, attr)) = name.split_once('.') {
        if m != "np" && m != "numpy" {
            return None;
        }
        let dtype = if attr == "bool_" { Some(Dtype::Bool) } else { Dtype::from_name(attr) };
        return Some(match dtype {
            Some(_) => GlobalValue::NumpyDtype(attr.to_string()),
            None => GlobalValue::NumpyFunction(attr.to_string()),
        });
    }
    if name == "np" || name == "numpy" {
        return Some(GlobalValue::Module("numpy".into()));
    }
    if name != me {
        if let Some(unit) = program.iter().position(|n| n == name) {
            return Some(GlobalValue::Jitted { name: name.to_string(), unit: unit as u32 });
        }
    }
    UNSUPPORTED_BUILTINS.contains(&name).then(|| GlobalValue::Builtin(name.to_string()))
}

/// Lowers one function (see [`TestProgram::new`] for its globals; `globals` added or replaced).
pub fn lower_one(src: &str, globals: &[(&str, GlobalValue)]) -> Result<hir::Function, CompileError> {
    let mut p = TestProgram::one(src)?;
    for (name, value) in globals {
        p = p.global(name, value.clone());
    }
    p.lower().map(|mut fs| fs.remove(0)).map_err(|(_, e)| e)
}

/// Lowers and infers one function called with `args`.
pub fn typed(src: &str, args: &[Type]) -> Result<TypedProgram, CompileError> {
    TestProgram::one(src)?.infer(args).map_err(|(_, e)| e)
}

/// The snapshot text of one function called with `args` ([`TestProgram::snapshot`]; a syntax
/// error is its error text).
pub fn snapshot(src: &str, args: &[Type]) -> String {
    match TestProgram::new(&[src]) {
        Ok(p) => p.snapshot(args),
        Err((_, e)) => {
            let p = TestProgram { funcs: Vec::new(), envs: Vec::new(), lines: vec![lines_of(src)] };
            format!("{}== error\n{}\n", lines_of(src).concat(), p.error_text(0, &e))
        }
    }
}

/// The module codegen makes of `p` (entry symbol `sj_snapshot`, bounds checked), verified, and
/// when `optimized`, run through the pass pipeline `compile` runs ([`optimize::pipeline`]) for a
/// generic x86-64 CPU rather than the host's, so that its text is the same on every machine
/// (the host's vector width would otherwise show in every vectorized loop).
pub fn module<'ctx>(ctx: &'ctx Context, p: &TypedProgram, optimized: bool) -> Module<'ctx> {
    module_staged(ctx, p, optimized, true)
}

/// [`module`], optimized with or without the inlining that follows the pipeline
/// ([`optimize::LATE_INLINE_PREFIX`]).
fn module_staged<'ctx>(ctx: &'ctx Context, p: &TypedProgram, optimized: bool, late_inline: bool) -> Module<'ctx> {
    let m = codegen::codegen(ctx, p, "sj_snapshot", &crate::Options::default());
    m.verify().unwrap_or_else(|e| panic!("invalid LLVM IR: {e}"));
    if optimized {
        use inkwell::targets::{CodeModel, RelocMode, Target, TargetMachine};
        // The process-wide codegen flags, as every compile has them, whichever test runs first.
        optimize::init();
        let triple = TargetMachine::get_default_triple();
        let target = Target::from_triple(&triple).unwrap_or_else(|e| panic!("the host triple: {e}"));
        let tm = target
            .create_target_machine(&triple, "x86-64", "", inkwell::OptimizationLevel::Default, RelocMode::PIC, CodeModel::Small)
            .expect("a generic x86-64 target machine");
        m.set_triple(&triple);
        m.set_data_layout(&tm.get_target_data().get_data_layout());
        let shape = if p.is_leaf() { optimize::Shape::Leaf } else { optimize::Shape::Calls };
        if late_inline {
            optimize::run_pipeline(&m, &tm, optimize::OptLevel::O3, shape).unwrap_or_else(|e| panic!("optimize: {e}"));
        } else {
            let pipeline = optimize::pipeline(optimize::OptLevel::O3, shape);
            m.run_passes(&pipeline, &tm, inkwell::passes::PassBuilderOptions::create())
                .unwrap_or_else(|e| panic!("optimize: {e}"));
        }
    }
    m
}

/// The optimized IR of `p` ([`llvm_ir`]) as the pass pipeline leaves it, before the functions of
/// [`optimize::LATE_INLINE_PREFIX`] are inlined: where their calls were hoisted to.
pub fn llvm_ir_before_late_inline(p: &TypedProgram) -> String {
    let ctx = Context::create();
    let m = module_staged(&ctx, p, true, false);
    ir_text(&m)
}

/// The LLVM IR of `p` as text: unoptimized, exactly as codegen names its values; optimized,
/// with every value and block unnamed (LLVM numbers them) and without what depends on the host
/// (triple, data layout, CPU and its features), so that the text records what the code does.
pub fn llvm_ir(p: &TypedProgram, optimized: bool) -> String {
    let ctx = Context::create();
    let m = module(&ctx, p, optimized);
    if !optimized {
        return m.print_to_string().to_string();
    }
    ir_text(&m)
}

/// An optimized module's text, unnamed and host-free ([`llvm_ir`]).
fn ir_text(m: &Module<'_>) -> String {
    let mut f = m.get_first_function();
    while let Some(func) = f {
        f = func.get_next_function();
        if func.get_first_basic_block().is_none() {
            continue; // a declaration (whose parameters may be metadata, not values)
        }
        for param in func.get_param_iter() {
            param.set_name("");
        }
        for block in func.get_basic_block_iter() {
            block.set_name("");
            for inst in block.get_instructions() {
                let _void_has_no_name = inst.set_name("");
            }
        }
    }
    let text = m.print_to_string().to_string();
    text.lines()
        .filter(|l| {
            !(l.starts_with("; ModuleID")
                || l.starts_with("source_filename")
                || l.starts_with("target datalayout")
                || l.starts_with("target triple"))
        })
        .map(host_free)
        .map(|l| phi_sorted(&l))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
        + "\n"
}

/// A `phi` line with its incoming `[ value, %block ]` pairs in sorted order (any other line as
/// it is). Their order means nothing, and the passes that merge blocks leave it depending on
/// where LLVM's objects happen to lie in memory: two processes compiling the same function can
/// print the same phi with its pairs in different orders.
fn phi_sorted(line: &str) -> String {
    let Some(phi) = line.find(" = phi ") else { return line.to_string() };
    // The pairs start at the first "[ " after the type (an array type prints as "[2 x i64]").
    let Some(start) = line[phi..].find("[ ").map(|i| phi + i) else { return line.to_string() };
    let Some(list) = line[start..].strip_prefix("[ ").and_then(|l| l.strip_suffix(" ]")) else {
        return line.to_string();
    };
    let mut pairs: Vec<&str> = list.split(" ], [ ").collect();
    pairs.sort_unstable();
    format!("{}[ {} ]", &line[..start], pairs.join(" ], [ "))
}

/// An attribute line without the host's CPU name and features.
fn host_free(line: &str) -> String {
    if !line.starts_with("attributes #") {
        return line.to_string();
    }
    let mut out = String::new();
    let mut rest = line;
    while let Some(i) = rest.find('"') {
        out.push_str(&rest[..i]);
        let Some(close) = rest[i + 1..].find('"') else { break };
        let key = &rest[i + 1..i + 1 + close];
        let after = &rest[i + 2 + close..];
        if ["target-cpu", "target-features", "tune-cpu"].contains(&key) && after.starts_with("=\"") {
            let value_end = after[2..].find('"').map_or(after.len(), |j| j + 3);
            rest = after[value_end..].trim_start();
            continue;
        }
        out.push_str(&rest[i..i + 2 + close]);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// A C-contiguous, writeable array type (for snapshot argument lists).
pub fn array(dtype: Dtype, ndim: u8) -> Type {
    Type::Array(ArrayType { dtype, ndim, layout: Layout::C, readonly: false })
}

/// One snapshot per line: `snapshot!("name", "def f(a):\n    return a", [Int64])` asserts (with
/// insta, in the calling crate) the text of [`snapshot`] for that source and argument types.
/// The types are [`Type`]'s variants by name, or [`array`]`(Dtype::Float32, 1)`; or, instead of
/// the list, any expression that is a `Vec<Type>`.
#[doc(hidden)]
#[macro_export]
macro_rules! snapshot {
    ($name:expr, $src:expr, [$($t:expr),* $(,)?]) => {{
        #[allow(unused_imports)]
        let args = {
            use $crate::testing::array;
            use $crate::types::Dtype;
            use $crate::Type::*;
            vec![$($t),*]
        };
        let text = $crate::testing::snapshot($src, &args);
        insta::assert_snapshot!($name, text);
    }};
    ($name:expr, $src:expr, $args:expr) => {{
        let text = $crate::testing::snapshot($src, &$args);
        insta::assert_snapshot!($name, text);
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_lines_lose_the_host_cpu_only() {
        let line = r#"attributes #0 = { nounwind "target-cpu"="znver3" "target-features"="+avx,+sse2" "frame-pointer"="none" }"#;
        assert_eq!(host_free(line), r#"attributes #0 = { nounwind "frame-pointer"="none" }"#);
        assert_eq!(host_free(r#"  call void @f() "target-cpu""#), r#"  call void @f() "target-cpu""#);
    }

    #[test]
    fn phi_pairs_are_sorted_and_other_lines_kept() {
        let line = "  %99 = phi i32 [ 393238, %97 ], [ 0, %2 ], [ %61, %60 ]";
        assert_eq!(phi_sorted(line), "  %99 = phi i32 [ %61, %60 ], [ 0, %2 ], [ 393238, %97 ]");
        let agg = "  %5 = phi [2 x i64] [ [i64 1, i64 2], %4 ], [ %3, %1 ]";
        assert_eq!(phi_sorted(agg), "  %5 = phi [2 x i64] [ %3, %1 ], [ [i64 1, i64 2], %4 ]");
        let other = "  %7 = add i64 %5, 1";
        assert_eq!(phi_sorted(other), other);
    }

    #[test]
    fn globals_are_bound_as_jit_py_binds_them() {
        let p = TestProgram::new(&[
            "def f(a):\n    return g(np.sqrt(a), np.float32, math.pi) + f(a)",
            "def g(x, y, z):\n    print(x)",
        ])
        .unwrap();
        let g = &p.envs[0].globals;
        assert_eq!(g["np"], GlobalValue::Module("numpy".into()));
        assert_eq!(g["np.sqrt"], GlobalValue::NumpyFunction("sqrt".into()));
        assert_eq!(g["np.float32"], GlobalValue::NumpyDtype("float32".into()));
        assert_eq!(g["math"], GlobalValue::Module("math".into()));
        assert_eq!(g["g"], GlobalValue::Jitted { name: "g".into(), unit: 1 });
        assert_eq!(g["f"], GlobalValue::SelfFunction);
        assert_eq!(p.envs[1].globals["print"], GlobalValue::Builtin("print".into()));
    }
}
