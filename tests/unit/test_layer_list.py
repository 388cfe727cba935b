"""Every public layer, and every built-in target, is listed for the working-CRS check of
tests/mirror/test_layer_crs.py."""

from __future__ import annotations

from erbm_geo import layers
from tests.public_layers import LAYER_FUNCTIONS


def test_every_layer_is_listed() -> None:
    """A new public layer must be added above (so its CRS is checked). Left out: functions that
    are not layers, ``programme_cites`` (a table without geometry) and ``cartofriches_sites``
    (reads the user's own export: not in the mirror)."""
    public = {
        n
        for n in layers.__all__
        if callable(getattr(layers, n))
        and n
        not in {
            "programme_cites",
            "population_history",  # a table of populations by year, not a layer
            "population_table",  # formats a population history
            "site_url",  # checks a URL
            "cartofriches_sites",
            "as_centres",
            "codes_from_names",
            "erbm_epci_sirens",
            "filter_to_territory",
            "load",
            "overview_by_epci",
            "select_cites",
            "select_communes",
            "territory_communes",
            "user_layer",
            "heritage",
        }
    }
    assert public <= set(LAYER_FUNCTIONS), sorted(public - set(LAYER_FUNCTIONS))
