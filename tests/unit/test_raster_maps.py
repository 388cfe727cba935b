"""Raster surfaces on maps, on invented layers: a bad colormap is a library error, and a figure
is not left in pyplot's registry."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from erbm_geo.errors import UnknownOptionError
from erbm_geo.examples import example_centres, example_communes
from erbm_geo.maps import add_raster, new_map, plot_raster
from erbm_geo.raster import basin_grid, distance_surface


@pytest.fixture(scope="module")
def surface() -> tuple[np.ndarray, object]:
    grid = basin_grid(resolution=200, area=example_communes().union_all())
    return distance_surface(example_centres(), grid=grid), grid


def test_unknown_colormap_is_named(surface: tuple[np.ndarray, object]) -> None:
    array, grid = surface
    with pytest.raises(UnknownOptionError, match="'viridsi'"):
        add_raster(new_map(basemap=None), array, grid, name="Distance", cmap="viridsi")
    with pytest.raises(UnknownOptionError, match="'viridsi'"):
        plot_raster(array, grid, cmap="viridsi")


def test_plot_raster_leaves_no_figure_in_pyplot(surface: tuple[np.ndarray, object]) -> None:
    array, grid = surface
    before = plt.get_fignums()
    figs = [plot_raster(array, grid, title="Distance", unit="m") for _ in range(3)]
    assert plt.get_fignums() == before
    assert all(len(f.axes) == 2 for f in figs)  # the map and its colour bar
