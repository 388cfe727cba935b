"""geocode() against a local stand-in of the Géoplateforme's service (tests/geocoder.py)."""

from __future__ import annotations

import socket

import numpy as np
import pandas as pd
import pytest

from erbm_geo.errors import EmptyInputError, GeocodingError, InvalidOptionError
from erbm_geo.lookup import GEOCODE_COLUMNS, geocode, geocode_one
from erbm_geo.lookup import geocoding as geocode_module
from tests.geocoder import service

ADDRESSES = pd.Series(
    ["1 rue de l'Essai 62300 Lens", "nulle part", "", "Rue incertaine  Lens", "1 RUE DE L'ESSAI 62300 LENS"],
    index=[10, 11, 12, 13, 14],
)


def test_points_labels_scores_and_flags_keep_every_row() -> None:
    with service() as (url, asked):
        got = geocode(ADDRESSES, url=url)
    assert asked["requests"] == ["/search/csv"] and list(got.columns) == list(GEOCODE_COLUMNS)
    assert got.index.equals(ADDRESSES.index)
    assert got.loc[10, ["geocode_lat", "geocode_lon"]].tolist() == [50.4322, 2.8319]
    assert (
        got.at[10, "geocode_label"] == "1 Rue de l'Essai 62300 Lens" and got.at[10, "geocode_score"] == 0.93
    )
    assert got["geocode_fiable"].tolist() == [True, False, False, False, True]
    assert got.attrs["not_found"] == [11, 12] and got.attrs["unreliable"] == [13]
    assert np.isnan(got.at[13, "geocode_lat"]) and got.at[13, "geocode_label"] == "Rue Incertaine 62300 Lens"
    assert pd.isna(got.at[11, "geocode_label"]) and np.isnan(got.at[11, "geocode_score"])
    with service() as (url, _):
        strict = geocode(ADDRESSES, url=url, min_score=0.95)
    assert not strict["geocode_fiable"].any()


def test_batches_keep_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geocode_module, "_BATCH", 2)
    with service() as (url, asked):
        got = geocode(ADDRESSES, url=url)
    assert len(asked["requests"]) == 3 and got["geocode_fiable"].tolist() == [True, False, False, False, True]


@pytest.mark.parametrize(
    ("mode", "match"),
    [
        ({"status": 429}, "HTTP 429.*try again later"),
        ({"status": 500}, "HTTP 500"),
        ({"garbage": True}, "does not answer as the address API documents|not CSV"),
        ({"drop_last": True}, "sent back 4 rows for 5 addresses"),
    ],
)
def test_a_service_that_misanswers_is_named(mode: dict[str, object], match: str) -> None:
    with service(**mode) as (url, _), pytest.raises(GeocodingError, match=match):
        geocode(ADDRESSES, url=url)


def test_offline_says_so_and_how_to_go_on() -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(GeocodingError, match="cannot be reached.*needs a network.*coordinates instead"):
        geocode(["1 rue de l'Essai 62300 Lens"], url=f"http://127.0.0.1:{port}", timeout=5)


def test_bad_options() -> None:
    with pytest.raises(EmptyInputError):
        geocode([])
    for bad in (-0.1, 1.5, True, "0.5"):
        with pytest.raises(InvalidOptionError, match="min_score"):
            geocode(["x"], min_score=bad)  # type: ignore[arg-type]
    with pytest.raises(InvalidOptionError, match="http"):
        geocode(["x"], url="file:///etc/passwd")


def test_one_address_at_search() -> None:
    with service() as (url, _):
        assert geocode_one("1 rue de l'Essai  62300 Lens", url=url) == {
            "lon": 2.8319,
            "lat": 50.4322,
            "label": "1 Rue de l'Essai 62300 Lens",
            "score": 0.93,
            "type": "housenumber",
        }
        assert geocode_one("nulle part", url=url) is None
    with pytest.raises(EmptyInputError):
        geocode_one("  ")
