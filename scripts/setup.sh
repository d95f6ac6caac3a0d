#!/usr/bin/env bash
# Create .venv and install everything the project needs, pinned. Offline but for the package
# registries. torch comes first, from its CPU build on local disk, so nothing pulls CUDA.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
[[ -x .venv/bin/python ]] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q torch==2.13.0
.venv/bin/python -m pip install -q -r requirements.txt
.venv/bin/python -m pip install -q --no-deps -e .
echo "setup: .venv ready ($(.venv/bin/python -c 'import spacy, torch; print("spacy", spacy.__version__, "torch", torch.__version__)'))" >&2
