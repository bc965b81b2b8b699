#!/usr/bin/env bash
# Creates (or reuses) the Python virtualenv used by compare_tfidf.py and installs what the
# comparison needs: scikit-learn and numpy. Idempotent; prints the venv's python path.
#
# usage: benches/setup_venv.sh            # venv at $THEMATIC_VENV, default <repo>/.venv
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="${THEMATIC_VENV:-$here/../.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" >&2
fi
if ! "$venv/bin/python" -c 'import sklearn, numpy' 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet --upgrade pip >&2
    "$venv/bin/python" -m pip install --quiet scikit-learn numpy >&2
fi
cd "$venv" && echo "$(pwd)/bin/python"
