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

#: French labels of the columns shown to people (tooltips, popups, legends, tables).
LABELS: dict[str, str] = {
    "nom": "Nom",
    "nom_2": "Autre nom",
    "code_insee": "Code INSEE",
    "codes_insee": "Communes",
    "nom_epci": "EPCI",
    "siren_epci": "SIREN de l'EPCI",
    "departement": "Département",
    "population": "Population municipale 2022 (en vigueur en 2025)",
    "area_km2": "Superficie (km²)",
    "area_ha": "Superficie (ha)",
    "type_cite": "Type de cité",
    "interet": "Intérêt patrimonial",
    "bailleur": "Bailleur",
    "compagnie": "Compagnie minière",
    "unesco_inscribed": "Inscrite UNESCO",
    "in_buffer_zone": "En zone tampon",
    "erbm_programme": "Programme ERBM",
    "mode": "Mode",
    "lignes": "Lignes",
    "nom_ligne": "Ligne",
    "voie": "Voie",
    "section": "Section",
    "no_element": "Élément",
    "n_communes": "Communes",
    "n_communes_bassin": "dont Bassin minier",
    "statut": "Statut",
    "categorie": "Catégorie",
    "n_unesco_inscribed": "Cités inscrites",
    "n_erbm_programme": "Cités ERBM",
    "n_in_buffer_zone": "Cités en zone tampon",
    "title": "Jeu de données",
    "attribution": "Producteur",
    "licence": "Licence",
    "vintage": "Millésime",
    "n_cites": "Cités minières",
}


def label(col: str) -> str:
    """French label of column *col* (from :data:`LABELS` and the indicator documentation)."""
    from erbm_geo.indicators.table import INDICATOR_DOC

    if col in LABELS:
        return LABELS[col]
    if col in INDICATOR_DOC:
        name, unit, _ = INDICATOR_DOC[col]
        return f"{name} ({unit})" if unit and unit not in ("0–1",) else name
    return col.replace("_", " ")


def fmt_number(x: float, decimals: int | None = None) -> str:
    r"""Format a number the French way: narrow no-break space for thousands, comma for decimals.

    Examples
    --------
    >>> fmt_number(1234567.891, 1)
    '1\u202f234\u202f567,9'
    >>> fmt_number(0.25)
    '0,25'
    """
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if decimals is None:
        ax = abs(x)
        decimals = 0 if ax >= 100 or float(x).is_integer() else (1 if ax >= 10 else 2)
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "\u202f").replace(".", ",")


def is_share(col: str) -> bool:
    """Columns holding a share in [0, 1], shown to people as a percentage."""
    return col.endswith("_share") or col.startswith("share_")


#: French labels of categorical values.
VALUE_LABELS: dict[str, str] = {
    "train": "Gare (train)",
    "tram": "Station de tram",
    "metro": "Station de métro",
}


def fmt_value(col: str, v: Any) -> str:
    """Format one value of column *col* for people (shares as %, booleans oui/non)."""
    if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, (bool, np.bool_)):
        return "oui" if v else "non"
    if isinstance(v, (int, np.integer)):
        return fmt_number(int(v), 0)
    if isinstance(v, (float, np.floating)):
        if is_share(col):
            return fmt_number(100 * float(v), 1) + "\u202f%"
        return fmt_number(float(v))
    return VALUE_LABELS.get(str(v), str(v))


_BRACES = str.maketrans({"{": "&#123;", "}": "&#125;"})


def escape(text: Any) -> str:
    """HTML-escape any text taken from data: ``< > & " '`` and the template braces ``{ }``.

    Braces are encoded too (``&#123;``, ``&#125;``), so that text which later passes through a
    Jinja/branca template (Folium re-parses rendered scripts as templates) can never open a
    ``{{ … }}``, ``{% … %}`` or ``{# … #}`` block. Browsers show the text unchanged.

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
    """*value* as a ``#rrggbb`` (or ``#rrggbbaa``) colour, or :class:`UnknownOptionError`.

    Colours end up in style attributes and scripts: only colours matplotlib understands are
    accepted, and they are written in hexadecimal, so no other text can get through.

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
    """*k* hex colours sampled from a matplotlib colormap."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cm = colormaps[cmap]
    if k == 1:
        return [to_hex(cm(0.7))]
    return [to_hex(cm(0.15 + 0.8 * i / (k - 1))) for i in range(k)]


def web_geometries(
    gdf: gpd.GeoDataFrame, *, tolerance: float = 20.0, decimals: int = 5, coverage: bool = False
) -> np.ndarray:
    """Light geometries for web maps: simplified in EPSG:2154, then lon/lat rounded.

    Parameters
    ----------
    tolerance : float
        Simplification tolerance in metres (0 to keep every vertex).
    decimals : int
        Decimals kept in degrees (5 ≈ 1 m).
    coverage : bool
        The layer tiles space (communes, EPCI): use ``shapely.coverage_simplify`` so that shared
        edges stay matched (no gaps or slivers between neighbours).
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
