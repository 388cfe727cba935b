"""``import erbm_geo`` stays light: no heavy module is imported until it is used."""

from __future__ import annotations

import subprocess
import sys


def test_import_is_light() -> None:
    """``import erbm_geo`` loads none of the heavy libraries (asserted by what is imported, not by
    a timing that a busy machine would break)."""
    heavy = ["geopandas", "shapely", "pandas", "matplotlib", "folium", "rasterio", "pyproj", "dask"]
    code = f"import erbm_geo, sys; print([m for m in {heavy!r} if m in sys.modules])"
    mods = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert mods.stdout.strip() == "[]"
