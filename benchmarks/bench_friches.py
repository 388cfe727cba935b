"""Friche sites around the cités: erbm_geo beside plain geopandas, results asserted equal.

Run: ``python -m benchmarks.bench_friches`` (writes docs/benchmarks.md). The 289 cités against
the Cartofriches sites of the Nord and the Pas-de-Calais (latest extract), warm (layers loaded
and cached): the count and surface within 500 m (geopandas: ``sjoin`` with ``dwithin`` and a
groupby) and the nearest site (geopandas: ``sjoin_nearest``).
"""

from __future__ import annotations

import warnings

import geopandas as gpd
import numpy as np
import pandas as pd

import erbm_geo as eg
from benchmarks._common import best_of, machine, write_section
from erbm_geo.indicators.friche_sites import friche_sites_within, nearest_friche_site


def _geopandas_within(cites: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> pd.DataFrame:
    pairs = gpd.sjoin(
        cites[["geometry"]], sites[["site_surface_m2", "geometry"]], predicate="dwithin", distance=500.0
    )
    g = pairs.groupby(level=0)
    out = pd.DataFrame(index=cites.index)
    out["friche_sites_n"] = g.size().reindex(cites.index).fillna(0).astype("int64")
    out["friche_sites_surface_m2"] = g["site_surface_m2"].sum().reindex(cites.index).fillna(0.0)
    return out


def _geopandas_nearest(cites: gpd.GeoDataFrame, sites: gpd.GeoDataFrame) -> pd.Series:
    j = gpd.sjoin_nearest(cites[["geometry"]], sites[["geometry"]], distance_col="d")
    return j.groupby(level=0)["d"].first().reindex(cites.index)


def main() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", eg.errors.DataQualityWarning)
        sites = eg.layers.friches_sites(territory="nord_pas_de_calais")
    cites = eg.layers.cites()
    t_ours, ours = best_of(lambda: friche_sites_within(cites, sites))
    t_gpd, theirs = best_of(lambda: _geopandas_within(cites, sites))
    assert ours["friche_sites_n"].equals(theirs["friche_sites_n"])
    np.testing.assert_allclose(ours["friche_sites_surface_m2"], theirs["friche_sites_surface_m2"], rtol=1e-12)
    t_near, near = best_of(lambda: nearest_friche_site(cites, sites))
    t_gnear, gnear = best_of(lambda: _geopandas_nearest(cites, sites))
    np.testing.assert_allclose(near["friche_site_distance_m"], gnear, atol=1e-6)
    rows = [
        ("count and surface within 500 m", t_ours, t_gpd, "`sjoin(predicate='dwithin')` + groupby"),
        ("nearest site", t_near, t_gnear, "`sjoin_nearest`"),
    ]
    for r in rows:
        print(r)
    table = "\n".join(
        f"| {name} | {a * 1000:.1f} ms | {b * 1000:.1f} ms | {b / a:.1f}× | {how} |"
        for name, a, b, how in rows
    )
    n_sites = format(len(sites), ",").replace(",", "\u202f")
    write_section(
        "friches",
        f"""## Friche sites around the cités ({machine()})

The 289 cités against the {n_sites} Cartofriches sites of the Nord and the Pas-de-Calais
(latest extract), warm, best of 5; results asserted equal (counts exactly, surfaces and distances
to 1e-6).

| step | erbm_geo | plain geopandas | ratio | geopandas route |
|---|---|---|---|---|
{table}""",
    )


if __name__ == "__main__":
    main()
