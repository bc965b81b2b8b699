#!/usr/bin/env bash
# The whole test suite: formatting, lints, Rust tests (unit, integration, doc) and the Python
# package's tests. Run from anywhere; needs ../shared beside the checkout for the tests on the
# shared data sets.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/thematic/target}"

cargo fmt --all -- --check
# linfa needs ndarray 0.16; numpy would pull in 0.17 unless the lock pins it (DEPS.md 2.A).
if cargo tree --locked -i ndarray@0.17.2 >/dev/null 2>&1; then
    echo "ndarray 0.17.2 is in the lock: run cargo update -p ndarray@0.17.2 --precise 0.16.1" >&2
    exit 1
fi
cargo clippy --workspace --all-targets --locked -- -D warnings
# default-members: everything but the Python bindings, which maturin builds below.
cargo test --locked
# Documentation builds without a warning (broken links, missing docs).
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --locked
# Benchmarks must keep compiling even though CI does not time them.
cargo bench --no-run --locked
bash scripts/python-tests.sh
