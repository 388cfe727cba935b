"""The one vocabulary (``erbm_geo/vocabulary/registry.toml``) and the one French formatter."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from erbm_geo.errors import DataFormatError, UnknownOptionError
from erbm_geo.vocabulary import SUMMARIES, column, columns, libelle, nombre, registry, render
from erbm_geo.vocabulary.registry import _row

NNBSP = "\u202f"


def _parse(text: str) -> float:
    return float(text.replace(NNBSP, "").replace(",", "."))


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(min_value=0, max_value=4))
def test_nombre_is_the_rounded_value_written_the_french_way(x: float, d: int) -> None:
    text = nombre(x, d)
    assert re.fullmatch(
        rf"-?\d{{1,3}}({NNBSP}\d{{3}})*(,\d{{{d}}})?" if d else rf"-?\d{{1,3}}({NNBSP}\d{{3}})*", text
    )
    assert math.isclose(_parse(text), round(x, d), abs_tol=10**-d)
    assert text != "-0" and not re.fullmatch(r"-0(,0+)?", text)  # no minus on a rounded zero


@given(st.integers(min_value=-(2**63), max_value=2**63))
def test_integers_are_written_exactly(n: int) -> None:
    assert int(nombre(n).replace(NNBSP, "")) == n


@pytest.mark.parametrize("missing", [None, float("nan"), "texte"])
def test_a_missing_value_is_nd(missing: object) -> None:
    assert nombre(missing) == "n.d."


def test_both_former_formatters_now_agree() -> None:
    """fmt_number (maps) and nombre (atlas) disagreed: -0.04 gave '-0,0' and '0,0', NaN '–' and 'n.d.'."""
    from erbm_geo.maps.style import fmt_number
    from erbm_geo.maps.vocabulary import nombre as atlas_nombre

    for x, d in [(-0.04, 1), (float("nan"), 1), (1234.5, 1), (0.25, 2)]:
        assert fmt_number(x, d) == atlas_nombre(x, d) == nombre(x, d)


def test_every_row_is_complete_and_consistent() -> None:
    reg = registry()
    assert len(reg) >= 70
    for c in reg.values():
        assert c.label and c.short, c.name
        if c.atlas:
            assert c.summary in SUMMARIES and c.palette and c.definition and c.vintage and c.sources, c.name
            assert (c.summary not in ("densite", "part_surface")) or c.count in reg, c.name
        if c.scale == 100.0:
            assert c.unit == "%", c.name
    atlas = [c.name for c in columns(atlas=True)]
    assert atlas[0] == "qpv_share" and len(atlas) == 13


def test_one_label_per_column_everywhere() -> None:
    """The three registries disagreed: "Distance au tram" (table) and "Distance au tramway" (exports)."""
    from erbm_geo.indicators import INDICATOR_DOC
    from erbm_geo.maps.style import LABELS, label
    from erbm_geo.maps.vocabulary import COLONNES, INDICATEURS, dictionnaire

    assert INDICATOR_DOC["tram_distance_m"][0] == COLONNES["tram_distance_m"][0] == "Distance au tramway"
    for name, c in registry().items():
        assert label(name) == LABELS[name] == c.titled
        if name in INDICATOR_DOC:
            assert INDICATOR_DOC[name][0] == c.label
        if name in INDICATEURS:
            assert (INDICATEURS[name].nom, INDICATEURS[name].court) == (c.label, c.short)
        assert dictionnaire([name])[0][0]["libellé"] == c.label


def test_vintages_are_rendered_from_the_catalogue() -> None:
    from erbm_geo.data import get

    assert column("qpv_share").vintage.startswith(f"QPV {get('qpv').reference_year} ")
    assert render("{cog_communes:cog}") == str(get("cog_communes").cog)
    with pytest.raises(UnknownOptionError):
        render("{nope}")
    with pytest.raises(DataFormatError, match="has no extrait"):
        render("{qpv:extrait}")
    assert render("{ pas un jeu } et {{ rien }}") == "{ pas un jeu } et {{ rien }}"  # not a template language


def test_bad_rows_are_refused() -> None:
    with pytest.raises(DataFormatError, match="unknown fields"):
        _row({"name": "x", "label": "X", "colour": "red"})
    with pytest.raises(DataFormatError, match="unknown summary"):
        _row({"name": "x", "label": "X", "summary": "moyenne"})
    with pytest.raises(UnknownOptionError, match="not in the vocabulary"):
        column("nope")
    assert libelle("ma_colonne") == "ma colonne"


def test_summaries_use_the_registry_rule() -> None:
    import pandas as pd

    from erbm_geo.indicators.summary import summarise

    t = pd.DataFrame(
        {
            "qpv_share": [0.5, 0.0],
            "revenu_median_commune": [20_000.0, 30_000.0],
            "friches_per_km2": [1.0, 9.0],
            "friches_n": [2, 6],
            "area_km2": [1.0, 3.0],
            "population": [100, 300],
        }
    )
    assert summarise(t, "qpv_share") == 0.125  # area-weighted
    assert summarise(t, "revenu_median_commune") == 25_000.0  # median of communes
    assert summarise(t, "friches_per_km2") == 2.0  # total over the summed area
    with pytest.raises(UnknownOptionError, match="no summary rule"):
        summarise(t, "area_km2")


def test_a_unit_already_in_the_label_is_not_repeated() -> None:
    """Legends said "Friches par km² (par km²)"."""
    from erbm_geo.maps.vocabulary import INDICATEURS

    assert column("friches_per_km2").titled == INDICATEURS["friches_per_km2"].titre == "Friches par km²"
    assert column("qpv_share").titled == INDICATEURS["qpv_share"].titre == "Surface en QPV (%)"
