"""assets/ici.js: the layers « Ici » answers from — inert text, lowest code first, stations in reach."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely

from erbm_geo.atlas.ici import RAYON_STATIONS, ici_js
from tests.payloads import PAYLOADS
from tests.unit.layers import COMMUNES, X0, Y0, at


def _data(js: str) -> dict[str, object]:
    body = js.split("window.ERBM_ICI = ", 1)[1].rstrip().rstrip(";")
    return json.loads(body)  # type: ignore[no-any-return]


def _poly(index: list[str], name: str, **cols: list[object]) -> gpd.GeoDataFrame:
    geoms = [shapely.box(X0 + 100 * i, Y0 + 100, X0 + 100 * i + 300, Y0 + 400) for i in range(len(index))]
    return gpd.GeoDataFrame(cols, geometry=geoms, index=pd.Index(index, name=name), crs=2154)


def test_hostile_names_stay_inert_and_codes_come_sorted() -> None:
    names = [PAYLOADS["html"], PAYLOADS["script-end"], PAYLOADS["expression"]]
    js = ici_js(
        bien=_poly(["12", "3", "7"], "no_element", section=names),
        zone_tampon=_poly(["z"], "id"),
        cites=_poly(
            ["L9", "L10", "L1"],
            "cite_id",
            nom=names,
            type_cite=["corons"] * 3,
            erbm_programme=[True, False, True],
        ),
        qpv=_poly(["QN2", "QN1", "QN3"], "code_qpv", nom=names),
        stations=gpd.GeoDataFrame(
            {"nom": ["Près", "Loin"], "mode": ["train", "metro"]},
            geometry=[at(0, -RAYON_STATIONS + 10), at(0, -RAYON_STATIONS - 10)],
            crs=2154,
        ),
        basin=COMMUNES,
    )
    assert "</script" not in js.lower() and "<" not in js.split("*/", 1)[1]
    d = _data(js)
    assert [f["properties"]["k"] for f in d["qpv"]["features"]] == ["QN1", "QN2", "QN3"]
    assert [f["properties"]["k"] for f in d["cites"]["features"]] == ["L1", "L10", "L9"]  # as text
    assert [f["properties"]["k"] for f in d["bien"]["features"]] == ["12", "3", "7"]
    assert {f["properties"]["n"] for f in d["qpv"]["features"]} == set(names)  # kept whole, as data
    assert [f["properties"] for f in d["stations"]["features"]] == [{"n": "Près", "m": "gare SNCF"}]
    assert d["rayon"] == RAYON_STATIONS
