#!/usr/bin/env bash
# Set up a virtual environment with everything erbm_geo needs, then run one job.
#   bash scripts/dev.sh atlas   -> builds the basin atlas from the mirror into build/atlas
#   bash scripts/dev.sh test    -> ruff (lint, format), numpydoc validation, mypy, the docs (mkdocs --strict), the test suite
#                                  (incl. headless Chromium and the notebooks)
#   bash scripts/dev.sh lowest  -> the unit tests against the lowest versions pyproject.toml allows
#                                  (ci/lowest.txt), in .venv-lowest: the declared ranges are tested
#   bash scripts/dev.sh mutation -> mutation testing of the geometry core and the indicators
#                                  (mutmut, about 80 minutes on 2 idle cores; not part of CI)
set -euo pipefail
cd "$(dirname "$0")/.."
job="${1:-test}"

PY="${PYTHON:-python3}"
if [ "$job" = "lowest" ]; then
  [ -x .venv-lowest/bin/python ] || "$PY" -m venv .venv-lowest
  .venv-lowest/bin/python -m pip install --quiet --upgrade pip >/dev/null
  if ! .venv-lowest/bin/python -m pip install --quiet -c ci/lowest.txt -e ".[dask]" pytest hypothesis numpydoc \
      > .venv-lowest/pip-install.log 2>&1; then
    grep -v "^WARNING: Location" .venv-lowest/pip-install.log >&2
    echo "pip install (lowest versions) failed" >&2
    exit 1
  fi
  .venv-lowest/bin/python -c "import numpy, pandas, geopandas; print('lowest versions: numpy', numpy.__version__, \
    'pandas', pandas.__version__, 'geopandas', geopandas.__version__)"
  .venv-lowest/bin/python -m pytest -q -p no:cacheprovider tests/unit
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
extras="dev"
[ "$job" = "test" ] && extras="dev,docs"
[ "$job" = "mutation" ] && extras="dev,mutation"
if ! .venv/bin/python -m pip install --quiet -e ".[$extras]" > .venv/pip-install.log 2>&1; then
  grep -v "^WARNING: Location" .venv/pip-install.log >&2
  echo "pip install failed" >&2
  exit 1
fi
.venv/bin/python -c "import erbm_geo, geopandas, folium, rasterio" # fail early if the install broke

need_debian() {  # need_debian COMMAND PACKAGE WHY
  if command -v "$1" >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian $2 for $3…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
  else
    echo "$1 is missing: install Debian's '$2' package ($3 need it)" >&2
    exit 1
  fi
}

need_qgis() {  # QGIS's Python bindings belong to Debian's python3, not to the venv
  if /usr/bin/python3 -c "import qgis.core" >/dev/null 2>&1; then return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian python3-qgis and qgis-providers for the QGIS tests…"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-qgis qgis-providers >/dev/null
  else
    echo "QGIS is missing: install Debian's 'python3-qgis' and 'qgis-providers' (the QGIS tests need them)" >&2
    exit 1
  fi
}

case "$job" in
  atlas)
    .venv/bin/erbm-geo atlas --out build/atlas
    ;;
  test)
    need_debian chromium chromium "the browser tests"
    need_debian pdftoppm poppler-utils "the printed-map tests (pdfinfo, pdftotext, pdftoppm)"
    need_debian ogrinfo gdal-bin "the GeoPackage tests (ogrinfo, as GIS users read the files)"
    need_debian soffice libreoffice-calc-nogui "the spreadsheet tests (Calc, as officials open the tables)"
    need_qgis
    # axe-core and Lighthouse (npm) for the accessibility and Lighthouse tests of the atlas,
    # pinned, into build/node
    [ -f build/node/node_modules/axe-core/axe.min.js ] && [ -x build/node/node_modules/.bin/lighthouse ] || \
      npm install --silent --no-audit --no-fund --prefix build/node axe-core@4.10.2 lighthouse@12.8.2 >/dev/null
    .venv/bin/ruff check .
    .venv/bin/ruff format --check .
    .venv/bin/python scripts/check_docstrings.py
    .venv/bin/mypy
    NO_MKDOCS_2_WARNING=1 .venv/bin/mkdocs build --strict --quiet
    ERBM_GEO_REQUIRE_MIRROR=1 .venv/bin/python -m pytest
    ;;
  mutation)
    rm -rf mutants
    HYPOTHESIS_PROFILE=mutation .venv/bin/mutmut run --max-children "$(nproc)" > mutants.log 2>&1 \
      || { tail -c 2000 mutants.log >&2; exit 1; }
    .venv/bin/python scripts/mutation_report.py
    ;;
  *)
    echo "usage: bash scripts/dev.sh {atlas|test|lowest|mutation}" >&2
    exit 2
    ;;
esac
