#!/usr/bin/env bash
# Set up a virtual environment with everything erbm_geo needs, then run one job.
#   bash scripts/dev.sh atlas   -> builds the basin atlas from the mirror into build/atlas
#   bash scripts/dev.sh test    -> ruff, mypy, the test suite (incl. headless Chromium), docs
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-test}"

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
.venv/bin/python -m pip install --quiet -e ".[dev]" 2>&1 | grep -v "^WARNING: Location" || true
.venv/bin/python -c "import erbm_geo, geopandas, folium, rasterio" # fail early if the install broke

need_chromium() {
  if command -v chromium >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian chromium for the browser tests…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package (browser tests need it)" >&2
    exit 1
  fi
}

case "$job" in
  atlas)
    .venv/bin/erbm-geo atlas --out build/atlas
    ;;
  test)
    need_chromium
    .venv/bin/ruff check erbm_geo tests scripts benchmarks
    .venv/bin/mypy
    .venv/bin/python -m pytest
    ;;
  *)
    echo "usage: bash scripts/dev.sh {atlas|test}" >&2
    exit 2
    ;;
esac
