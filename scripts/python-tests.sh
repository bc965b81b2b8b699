#!/usr/bin/env bash
# Builds the Python bindings (crates/python) into a virtualenv and runs their pytest suite.
#
#   bash scripts/python-tests.sh [pytest args...]
#
# The virtualenv is ${THEMATIC_VENV:-<repo>/.venv}, made with ${PYTHON:-python3} if missing;
# maturin, pytest, numpy and scipy are installed into it only when one is missing. The
# extension is built with `maturin develop --release` (a debug build of the extension is over
# a gigabyte, see DEPS.md), into CARGO_TARGET_DIR if set. A second run rebuilds nothing that
# has not changed. Exits non-zero if the build or a test fails.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${THEMATIC_VENV:-$REPO/.venv}
PYTHON=${PYTHON:-python3}
REQUIREMENTS=("maturin>=1.9,<2" "pytest" "numpy" "scipy")

log() { printf '==> %s\n' "$*" >&2; }

if [ ! -x "$VENV/bin/python" ]; then
    log "creating virtualenv $VENV"
    "$PYTHON" -m venv "$VENV"
fi
PY=$VENV/bin/python

# Checking is much faster than asking pip, which would resolve every requirement.
if ! "$PY" - <<'EOF' 2>/dev/null; then
import importlib.metadata as md, pytest, numpy, scipy  # noqa: F401
major, minor = (int(p) for p in md.version("maturin").split(".")[:2])
assert (major, minor) >= (1, 9) and major < 2
EOF
    log "installing ${REQUIREMENTS[*]} into $VENV"
    "$PY" -m pip install --quiet --disable-pip-version-check "${REQUIREMENTS[@]}"
fi

cd "$REPO"
export VIRTUAL_ENV=$VENV
export PATH=$VENV/bin:$PATH
unset CONDA_PREFIX
log "maturin develop --release"
"$VENV/bin/maturin" develop --release --quiet -m crates/python/Cargo.toml

log "pytest crates/python/tests"
"$PY" -m pytest crates/python/tests -q "$@"
