"""Robustness 1: bad inputs are rejected with specific library errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

import erbm_geo as eg
from erbm_geo.errors import (
    DuplicateIndexError,
    EmptyInputError,
    InvalidGeometryError,
)

#: A self-intersecting polygon in the basin (Lambert-93).
BOWTIE = shapely.Polygon(
    [(680_000, 7_030_000), (680_100, 7_030_100), (680_100, 7_030_000), (680_000, 7_030_100)]
)


def test_indicators_reject_bad_features() -> None:
    c = eg.layers.communes().iloc[:5]
    dup = pd.concat([c, c.iloc[:1]])
    with pytest.raises(DuplicateIndexError, match="reset_index"):
        eg.indicators.qpv_overlap(dup, eg.indicators.builtin.qpv())
    bowtie = c.copy()
    bowtie.loc[bowtie.index[0], "geometry"] = BOWTIE
    with pytest.raises(InvalidGeometryError):
        eg.indicators.area_share(bowtie, eg.layers.bien_inscrit())
    with pytest.raises(EmptyInputError):
        eg.indicators.distance_to_centres(c.iloc[:0], eg.indicators.builtin.centres("main"))


def test_remembered_checks_follow_in_place_edits() -> None:
    """Checks remembered for a geometry array never vouch for a geometry replaced in place."""
    c = eg.layers.communes().iloc[:5].copy()
    eg.indicators.area_share(c, eg.layers.bien_inscrit())  # checks now remembered
    c.loc[c.index[0], "geometry"] = BOWTIE
    with pytest.raises(InvalidGeometryError):
        eg.indicators.area_share(c, eg.layers.bien_inscrit())
    c.loc[c.index[1], "geometry"] = shapely.LineString([(np.nan, 7_030_000), (680_001, 7_030_001)])
    with pytest.raises(InvalidGeometryError, match="NaN"):
        eg.indicators.distance_to_centres(c, eg.indicators.builtin.centres("main"))
