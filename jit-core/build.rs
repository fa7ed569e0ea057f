//! Build script: compiles the C++ parts of jit-core, the codegen emitter (cpp/emitter.cpp), the
//! recursion guard (cpp/guard.cpp), the metadata the C API cannot make (cpp/metadata.cpp) and
//! the LLJIT made for the known host (cpp/lljit.cpp),
//! against the LLVM that llvm-sys links (found through `LLVM_SYS_221_PREFIX`, or an
//! `llvm-config-22` / `llvm-config` of LLVM 22 on the PATH).

use std::process::Command;

fn llvm_config() -> String {
    if let Ok(prefix) = std::env::var("LLVM_SYS_221_PREFIX") {
        return format!("{prefix}/bin/llvm-config");
    }
    // Only an LLVM 22 llvm-config: the C++ must see the headers of the LLVM that is linked.
    for candidate in ["llvm-config-22", "llvm-config"] {
        if let Ok(out) = Command::new(candidate).arg("--version").output() {
            if String::from_utf8_lossy(&out.stdout).starts_with("22.") {
                return candidate.to_string();
            }
        }
    }
    panic!("llvm-config for LLVM 22 not found: set LLVM_SYS_221_PREFIX (the Makefile does)");
}

fn main() {
    println!("cargo:rerun-if-changed=cpp/emitter.cpp");
    println!("cargo:rerun-if-changed=cpp/guard.cpp");
    println!("cargo:rerun-if-changed=cpp/metadata.cpp");
    println!("cargo:rerun-if-changed=cpp/lljit.cpp");
    println!("cargo:rerun-if-env-changed=LLVM_SYS_221_PREFIX");
    let config = llvm_config();
    let out = Command::new(&config).arg("--cxxflags").output().expect("run llvm-config --cxxflags");
    let flags = String::from_utf8(out.stdout).expect("llvm-config prints UTF-8");
    let mut build = cc::Build::new();
    build.cpp(true).file("cpp/emitter.cpp").file("cpp/guard.cpp").file("cpp/metadata.cpp").file("cpp/lljit.cpp").warnings(false);
    for flag in flags.split_whitespace() {
        // LLVM's own flags (include path, -std=c++17, -fno-exceptions, defines); drop the
        // optimisation and debug choices of LLVM's build.
        if !(flag.starts_with("-O") || flag == "-g" || flag.starts_with("-W")) {
            build.flag(flag);
        }
    }
    build.compile("sj_cpp");
}
