"""Context layers from caller data: user-given centres, and the Cartofriches sites loader on an
invented file."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

import erbm_geo as eg
from erbm_geo.errors import CRSError, DataNotFoundError, UnknownOptionError


def test_user_centres() -> None:
    pts = gpd.GeoDataFrame(
        {"nom": ["A", "B"]}, geometry=gpd.points_from_xy([2.83, 3.1], [50.43, 50.37]), crs="EPSG:4326"
    )
    assert eg.layers.as_centres(pts).crs.to_epsg() == 2154
    with pytest.raises(CRSError):
        eg.layers.as_centres(pts.set_crs(None, allow_override=True))
    with pytest.raises(UnknownOptionError):
        eg.layers.centres(level="capital")  # type: ignore[arg-type]


def test_cartofriches_sites_loader(tmp_path: Path) -> None:
    csv = tmp_path / "friches.csv"
    csv.write_text(
        "site_id;site_nom;comm_insee;site_type;site_statut;latitude;longitude\n"
        "A1;Usine;59172;friche industrielle;friche sans projet;50.33;3.39\n"
        "A2;Sans coord;59172;autre;friche avec projet;;\n",
        encoding="utf-8",
    )
    s = eg.layers.cartofriches_sites(csv)
    assert list(s.index) == ["A1"] and s.attrs["without_coordinates"] == ["A2"]
    assert s["code_insee"].iloc[0] == "59172"
    with pytest.raises(DataNotFoundError):
        eg.layers.cartofriches_sites(tmp_path / "none.csv")
