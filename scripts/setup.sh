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
# Headless Chromium for the annotation app's browser test (Debian's package; never a download
# by playwright). Skipped where it is already there or apt is not ours to use.
if [[ ! -x /usr/bin/chromium ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "setup: could not install chromium; the browser test will be skipped" >&2
fi
echo "setup: .venv ready ($(.venv/bin/python -c 'import spacy, torch; print("spacy", spacy.__version__, "torch", torch.__version__)'))" >&2
