#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests (unit, integration, doc) and the Python
# package's tests. Run from anywhere; needs ../shared beside the checkout for the tests on the
# shared data sets.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/thematic/target}"

cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# default-members: everything but the Python bindings, which maturin builds below.
cargo test --locked
# Benchmarks must keep compiling even though CI does not time them.
cargo bench --no-run --locked
bash scripts/python-tests.sh
