"""Rasters: distance surfaces, densities, zonal statistics, COG output, map overlays."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import EmptyInputError, UnknownOptionError
from erbm_geo.raster import (
    basin_grid,
    commune_density,
    distance_surface,
    distance_to,
    kernel_density,
    read_raster,
    validate_cog,
    write_cog,
    zonal_stats,
)
from tests.checks import every

RES = 100.0


@pytest.fixture(scope="module")
def surface() -> tuple[np.ndarray, eg.raster.Grid, dict[str, str]]:
    return distance_to("centres_main", resolution=RES)


def test_distance_at_centre_cells(surface: tuple) -> None:
    arr, grid, _ = surface
    centres = eg.layers.centres(level="main")
    xy = shapely.get_coordinates(centres.geometry.values)
    cols = ((xy[:, 0] - grid.transform.c) // grid.resolution).astype(int)
    rows = ((grid.transform.f - xy[:, 1]) // grid.resolution).astype(int)
    v = arr[rows, cols]
    half_diag = grid.resolution * np.sqrt(2) / 2
    assert every(v <= half_diag)


def test_surface_against_vector_distances(surface: tuple) -> None:
    """At random cell centres, the raster distance is within half a cell diagonal of the exact
    distance to the nearest centre."""
    arr, grid, _ = surface
    rng = np.random.default_rng(1)
    rows, cols = np.nonzero(grid.mask)
    pick = rng.choice(len(rows), 300, replace=False)
    x = grid.transform.c + (cols[pick] + 0.5) * grid.resolution
    y = grid.transform.f - (rows[pick] + 0.5) * grid.resolution
    centres = np.asarray(eg.layers.centres(level="main").geometry.values, dtype=object)
    exact = shapely.distance(shapely.points(x, y)[:, None], centres[None, :]).min(axis=1)
    assert np.abs(arr[rows[pick], cols[pick]] - exact).max() <= grid.resolution * np.sqrt(2) / 2


def test_nodata_outside_basin(surface: tuple) -> None:
    arr, grid, _ = surface
    assert every(np.isnan(arr[~grid.mask]))
    assert not np.isnan(arr[grid.mask]).any()
    assert grid.mask.sum() * (grid.resolution / 1000) ** 2 == pytest.approx(1795, rel=0.01)


def test_zonal_agrees_with_vector_indicator(surface: tuple) -> None:
    arr, grid, _ = surface
    cites = eg.layers.cites()
    z = zonal_stats(arr, grid, cites, stats=("mean", "min", "max", "area_m2"), percentiles=(50,))
    edge = eg.indicators.distance_to_centres(cites, eg.indicators.builtin.centres("main"))["distance_m"]
    point = eg.indicators.distance_to_centres(
        cites, eg.indicators.builtin.centres("main"), measure_from="point"
    )["distance_m"]
    # the minimum over the cité's cells ≈ the distance from its edge, within one cell size
    assert (z["min"] - edge).abs().max() <= grid.resolution * np.sqrt(2)
    # for cités smaller than 4 cells, the zonal mean ≈ the distance from a point inside
    small = cites.area < 4 * grid.resolution**2
    assert (z.loc[small, "mean"] - point[small]).abs().max() <= 2 * grid.resolution
    assert every(z["min"] <= z["p50"]) and every(z["p50"] <= z["max"])
    # exact partial cells: the weights add up to the polygon areas
    np.testing.assert_allclose(z["area_m2"], cites.area, rtol=1e-5)


def test_zonal_communes_exact_areas(surface: tuple) -> None:
    _, grid, _ = surface
    ones = np.ones((grid.height, grid.width))  # data everywhere: weights x cell area = area
    c = eg.layers.communes().iloc[:20]
    z = zonal_stats(ones, grid, c, stats=("area_m2", "mean", "count"))
    np.testing.assert_allclose(z["area_m2"], c.area, rtol=1e-5)
    assert every(z["mean"] == 1)


def test_cog_valid(tmp_path: Path, surface: tuple) -> None:
    arr, grid, tags = surface
    p = write_cog(arr, grid, tmp_path / "centres.tif", tags=tags)
    assert validate_cog(p) == []
    back, g2, t2 = read_raster(p)
    np.testing.assert_array_equal(np.isnan(back), np.isnan(arr))
    np.testing.assert_allclose(back[~np.isnan(back)], arr[~np.isnan(arr)])
    assert t2["unit"] == "m" and "mairies" in t2["sources"]
    assert g2.transform == grid.transform
    assert not list(tmp_path.glob(".*"))


@pytest.mark.parametrize("target", eg.raster.SURFACE_TARGETS)
def test_every_builtin_surface(target: str) -> None:
    arr, _grid, tags = distance_to(target, resolution=400)
    assert np.nanmin(arr) == 0.0 and tags["unit"] == "m"


def test_densities() -> None:
    g = basin_grid(resolution=200, margin=10_000)
    shafts = eg.layers.puits_de_mines()
    d = kernel_density(shafts, grid=g, bandwidth=800)
    total = np.nansum(d) * (g.resolution / 1000) ** 2
    inside = shapely.covers(eg.layers.basin_outline().geometry.iloc[0], shafts.geometry.values).sum()
    assert total == pytest.approx(inside, rel=0.1)
    f = eg.layers.friches_communes()
    cd = commune_density(f["friches_n"], f, grid=g)
    assert np.nanmax(cd) == pytest.approx(f["friches_per_km2"].max(), rel=1e-3)


def test_errors() -> None:
    g = basin_grid(resolution=400)
    with pytest.raises(UnknownOptionError):
        distance_to("hospitals")
    with pytest.raises(UnknownOptionError):
        basin_grid(resolution=0)
    with pytest.raises(EmptyInputError):
        distance_surface(eg.layers.centres().iloc[:0], grid=g)
    with pytest.raises(UnknownOptionError):
        zonal_stats(np.zeros((2, 2)), g, eg.layers.communes())
    with pytest.raises(UnknownOptionError):
        zonal_stats(np.zeros((g.height, g.width)), g, eg.layers.communes(), stats=("median",))


@pytest.mark.browser
def test_raster_overlay_in_browser(tmp_path: Path, surface: tuple, artifacts: Path) -> None:
    from tests import browser

    arr, grid, _ = surface
    m = eg.maps.new_map(basemap=None)
    eg.maps.add_raster(m, arr, grid, name="Distance (m)", cmap="magma_r", unit="m")
    out = tmp_path / "raster.html"
    eg.maps.to_html(eg.maps.finalize(m), out)
    r = browser.inspect(out)
    assert r["errors"] == [] and r["legends"] == 1
    browser.screenshot(out, artifacts / "raster_overlay.png")
    fig = eg.maps.plot_raster(arr, grid, title="Distance", unit="m")
    eg.maps.save_figure(fig, artifacts / "raster_static.png", dpi=60)
