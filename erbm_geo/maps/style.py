"""Shared map vocabulary: French labels, number formatting, palettes, light web geometries."""

from __future__ import annotations

import html
import math
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo import settings
from erbm_geo.errors import UnknownOptionError
from erbm_geo.vocabulary import columns, libelle, nombre, registry

__all__ = [
    "CATEGORY_COLORS",
    "INERT_TEXT",
    "LABELS",
    "NA_COLOR",
    "VALUE_LABELS",
    "css_color",
    "escape",
    "fmt_number",
    "fmt_value",
    "is_share",
    "label",
    "palette",
    "web_geometries",
]

NA_COLOR = "#cccccc"

#: matplotlib settings under which text is drawn as given: ``$…$`` is not parsed as mathtext
#: (data text and titles are inert) and TeX is never called.
INERT_TEXT: Any = {"text.parse_math": False, "text.usetex": False}

#: French labels of the columns shown to people, with their unit (read from the one vocabulary,
#: ``erbm_geo/vocabulary/registry.toml``; kept for compatibility).
LABELS: dict[str, str] = {c.name: c.titled for c in columns()}


def label(col: str) -> str:
    """Return the French label of column *col*, with its unit (from the one vocabulary).

    Parameters
    ----------
    col : str
        A column name.

    Returns
    -------
    str
        The label shown to readers (the name, spaces for underscores, for an unknown column).

    Raises
    ------
    DataFormatError
        If the vocabulary file shipped with the package is damaged.

    Examples
    --------
    >>> label("qpv_share")
    'Surface en QPV (%)'
    """
    return libelle(col)


def fmt_number(x: float, decimals: int | None = None) -> str:
    r"""Format a number the French way: :func:`erbm_geo.vocabulary.nombre` (the one formatter).

    Parameters
    ----------
    x : float
        The number.
    decimals : int, optional
        Decimals shown; by default 0 from 100 up (and for whole numbers), 1 from 10, else 2.

    Returns
    -------
    str
        The number as French readers write it, ``n.d.`` for a missing value.

    Examples
    --------
    >>> fmt_number(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> fmt_number(0.25), fmt_number(-0.04, 1)
    ('0,25', '0,0')
    """
    return nombre(x, decimals)


def is_share(col: str) -> bool:
    """Return whether column *col* holds a share in [0, 1], shown to people as a percentage.

    Parameters
    ----------
    col : str
        A column name.

    Returns
    -------
    bool
        True for a share.

    Examples
    --------
    >>> is_share("qpv_share"), is_share("population")
    (True, False)
    """
    return col.endswith("_share") or col.startswith("share_")


#: French labels of categorical values.
VALUE_LABELS: dict[str, str] = {
    "train": "Gare (train)",
    "tram": "Station de tram",
    "metro": "Station de métro",
}


def fmt_value(col: str, v: Any) -> str:
    r"""Format one value of column *col* for people, in the column's unit (the one vocabulary).

    Parameters
    ----------
    col : str
        The column the value comes from (it decides the unit, scale and decimals).
    v : object
        The value.

    Returns
    -------
    str
        The value in French, ``n.d.`` where it is missing.

    Examples
    --------
    >>> fmt_value("qpv_share", 0.1234), fmt_value("in_basin", True), fmt_value("population", 12345)
    ('12,3\u202f%', 'oui', '12\u202f345')
    """
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return nombre(None)
    if isinstance(v, (bool, np.bool_)):
        return "oui" if v else "non"
    known = registry().get(col)
    if isinstance(v, (int, np.integer, float, np.floating)):
        if known is not None and (known.unit or known.scale != 1.0 or known.decimals is not None):
            return known.valeur(v)
        if isinstance(v, (int, np.integer)):
            return nombre(int(v), 0)
        if is_share(col):
            return nombre(100 * float(v), 1) + "\u202f%"
        return nombre(float(v))
    return VALUE_LABELS.get(str(v), str(v))


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape(text: Any) -> str:
    """HTML-escape any text taken from data: ``< > & " '`` and the template braces ``{ }``.

    Braces are encoded too (``&#123;``, ``&#125;``), so that text which later passes through a
    Jinja/branca template (Folium re-parses rendered scripts as templates) can never open a
    ``{{ … }}``, ``{% … %}`` or ``{# … #}`` block. Browsers show the text unchanged.

    Parameters
    ----------
    text : object
        Any value; it is converted with ``str`` first.

    Returns
    -------
    str
        The escaped text.

    Examples
    --------
    >>> escape("<b>{{7*7}}</b>")
    '&lt;b&gt;&#123;&#123;7*7&#125;&#125;&lt;/b&gt;'
    """
    return html.escape(str(text), quote=True).translate(_BRACES)


#: Colours of the categorical layers (colour-blind-safe where they meet).
CATEGORY_COLORS: dict[str, str] = {
    "Cité inscrite UNESCO": "#b2182b",
    "Cité du programme ERBM": "#2166ac",
    "Cité de la zone tampon": "#f4a582",
    "train": "#1b9e77",
    "tram": "#d95f02",
    "metro": "#7570b3",
}


def css_color(value: Any, *, what: str = "colour") -> str:
    """Return *value* as a ``#rrggbb`` (or ``#rrggbbaa``) colour.

    Colours end up in style attributes and scripts: only colours matplotlib understands are
    accepted, and they are written in hexadecimal, so no other text can get through.

    Parameters
    ----------
    value : object
        A colour name or hex code.
    what : str, default "colour"
        What the colour is for, named in the error message.

    Returns
    -------
    str
        The colour in lowercase hexadecimal.

    Raises
    ------
    UnknownOptionError
        If *value* is not a colour.

    Examples
    --------
    >>> css_color("red"), css_color("#3182BD")
    ('#ff0000', '#3182bd')
    """
    from matplotlib.colors import is_color_like, to_hex

    if not isinstance(value, str) or not is_color_like(value):
        raise UnknownOptionError(
            f"{what} {value!r} is not a colour; give a name ('red') or a hex code ('#3182bd')"
        )
    return to_hex(value, keep_alpha=len(value) in (5, 9) and value.startswith("#"))


def palette(cmap: str, k: int) -> list[str]:
    """Return *k* hex colours sampled from a matplotlib colormap.

    Parameters
    ----------
    cmap : str
        A matplotlib colormap name (e.g. a ColorBrewer one, ``"YlOrRd"``).
    k : int
        The number of colours.

    Returns
    -------
    list of str
        Hex colours, light to dark for a sequential map.

    Examples
    --------
    >>> palette("YlOrRd", 3)
    ['#ffe998', '#fd7435', '#970026']
    """
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cm = colormaps[cmap]
    if k == 1:
        return [to_hex(cm(0.7))]
    return [to_hex(cm(0.15 + 0.8 * i / (k - 1))) for i in range(k)]


def web_geometries(
    gdf: gpd.GeoDataFrame, *, tolerance: float = 20.0, decimals: int = 5, coverage: bool = False
) -> np.ndarray:
    """Return light geometries for web maps: simplified in EPSG:2154, then lon/lat rounded.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, in any projected CRS.
    tolerance : float, default 20.0
        Simplification tolerance in metres (0 to keep every vertex).
    decimals : int, default 5
        Decimals kept in degrees (5 ≈ 1 m).
    coverage : bool, default False
        The layer tiles space (communes, EPCI): use ``shapely.coverage_simplify`` so that shared
        edges stay matched (no gaps or slivers between neighbours).

    Returns
    -------
    numpy.ndarray of shapely.Geometry
        One geometry per feature, in EPSG:4326.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> web_geometries(example_communes(), tolerance=0)[0].wkt
    'POLYGON ((2.88791 50.27785, 2.88787 50.29581, 2.85984 50.29578, 2.85989 50.27782, 2.88791 50.27785))'
    """
    g = np.asarray(gdf.to_crs(settings.crs).geometry.values, dtype=object)
    if tolerance > 0:
        dims = shapely.get_dimensions(g)
        if coverage and (dims == 2).all():
            g = shapely.coverage_simplify(g, tolerance)
        else:
            simplify = dims > 0
            g[simplify] = shapely.simplify(g[simplify], tolerance, preserve_topology=True)
    web = gpd.GeoSeries(g, crs=settings.crs).to_crs(settings.web_crs).values
    rounded = shapely.transform(np.asarray(web, dtype=object), lambda c: np.round(c, decimals))
    return cast("np.ndarray", rounded)
