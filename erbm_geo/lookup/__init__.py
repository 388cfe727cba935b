"""« Qu'y a-t-il ici ? »: what lies at any point, for one place or a million.

:func:`lookup` answers from the layers (commune, EPCI, IRIS, QPV, UNESCO status, cité, nearest
station, centre and friche site); :func:`to_points` and :func:`parse_point` read the points
(layers, tables from French files, text copied from a map); :func:`describe` says one answer in
French; :func:`geocode` (optional, online) turns addresses into points through the
Géoplateforme's geocoding service.
"""

from erbm_geo.lookup.answer import describe
from erbm_geo.lookup.core import LOOKUP_COLUMNS, OUTSIDE, LookupLayers, builtin_layers, lookup
from erbm_geo.lookup.files import guess_coordinates, read_places
from erbm_geo.lookup.geocoding import GEOCODE_COLUMNS, geocode, geocode_one
from erbm_geo.lookup.points import FRANCE_BOUNDS, REASONS, Points, parse_point, to_points

__all__ = [
    "FRANCE_BOUNDS",
    "GEOCODE_COLUMNS",
    "LOOKUP_COLUMNS",
    "OUTSIDE",
    "REASONS",
    "LookupLayers",
    "Points",
    "builtin_layers",
    "describe",
    "geocode",
    "geocode_one",
    "guess_coordinates",
    "lookup",
    "parse_point",
    "read_places",
    "to_points",
]
