"""add_layer's options: grouped in Style and Fields; the former keywords still work for one
release, with a DeprecationWarning that says where they go; unknown ones are refused."""

from __future__ import annotations

import re
import warnings

import geopandas as gpd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import UnknownOptionError
from erbm_geo.maps import Fields, Style


def _squares() -> gpd.GeoDataFrame:
    """Three invented squares (EPSG:2154) with a name and a value."""
    return gpd.GeoDataFrame(
        {"nom": ["A", "B", "C"], "v": [1.0, 2.0, 3.0]},
        crs=2154,
        geometry=[
            shapely.box(700_000 + 1000 * i, 7_000_000, 700_900 + 1000 * i, 7_000_900) for i in range(3)
        ],
    )


def _html(**kwargs: object) -> str:
    m = eg.maps.new_map(basemap=None)
    eg.maps.add_layer(m, _squares(), name="Carrés", **kwargs)  # type: ignore[arg-type]
    return str(m.get_root().render())


def test_grouped_options_reach_the_map() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        html = _html(
            column="v",
            style=Style(cmap="Purples", k=3, scheme="EqualInterval"),
            fields=Fields(tooltip=["nom", "v"], legend_caption="Valeur des carrés"),
        )
    assert "Valeur des carrés" in html and '"palette"' in html


def test_former_keywords_still_work_with_a_deprecation() -> None:
    new = _html(column="v", style=Style(cmap="Purples"), fields=Fields(tooltip=["nom"]))
    with pytest.warns(DeprecationWarning, match=r"style=Style\(cmap\) and fields=Fields\(tooltip\)"):
        old = _html(column="v", cmap="Purples", tooltip=["nom"])
    assert _layers(old) == _layers(new)  # the same data, style and legend, whichever spelling
    assert _layers(new) != _layers(
        _html(column="v", style=Style(cmap="Greens"), fields=Fields(tooltip=["nom"]))
    )
    assert _layers(new) != _layers(_html(style=Style(cmap="Purples"), fields=Fields(tooltip=["nom"])))


def _layers(html: str) -> list[str]:
    """The arguments of each ERBM.layer(...) call and of each legend, element ids left out."""
    calls = re.findall(r"ERBM\.(?:layer|legend)\(\w+, (.*)\);", html)
    assert calls, "no layer on the map"
    return calls


def test_unknown_options_are_refused_with_the_fix() -> None:
    with pytest.raises(UnknownOptionError, match=r"unknown option\(s\) \['colour'\].*Style"):
        _html(colour="red")
    with pytest.raises(UnknownOptionError, match="colour of 'x'"):
        _html(column="nom", style=Style(colors={"x": "url(javascript:alert(1))"}))
