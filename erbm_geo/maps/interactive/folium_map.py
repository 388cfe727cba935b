r"""Interactive maps (Folium), light and offline-safe.

Maps are :class:`folium.Map` objects, so everything Folium offers still works, with three
differences that matter when publishing to partners:

* **Offline**: Leaflet 1.9.4 and erbm_geo's small map runtime (fullscreen, minimap, measure,
  commune search — no third-party plugin CDN) are inlined in the HTML. Vector layers render with
  no network; the basemap tiles are optional (``basemap=None``).
* **Light**: geometries are simplified per layer (coverage-preserving for communes and EPCI,
  ≤ 25 m by default), coordinates rounded to ~1 m, and styles shared per class instead of being
  repeated on each feature.
* **Safe**: text taken from data (names in tooltips, popups, legends, search, layer names) is
  never markup, script or template. It reaches the page as JSON values inserted by the runtime
  with ``textContent``; in that JSON ``<``, ``>``, ``&`` and the braces ``{ }`` are
  ``\u``-escaped, and the scripts of erbm_geo's elements are added to the page verbatim — never
  re-parsed as Jinja templates, which branca does with every rendered script. Names that Leaflet
  inserts as HTML (the layer control) are HTML-escaped, braces included.
"""

from __future__ import annotations

import base64
import re
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Element, MacroElement

from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import MissingColumnError, UnknownOptionError
from erbm_geo.geom.validate import check_layer
from erbm_geo.maps.interactive.webjson import _feature_collection, _js_json, geometry_json, js_json
from erbm_geo.maps.style import (
    CATEGORY_COLORS,
    NA_COLOR,
    css_color,
    escape,
    fmt_number,
    fmt_value,
    is_share,
    label,
    palette,
    web_geometries,
)
from erbm_geo.maps.vocabulary import millesimes

__all__ = [
    "BASEMAPS",
    "DEFAULT_TOLERANCE",
    "Fields",
    "Style",
    "add_attribution",
    "add_layer",
    "add_legend",
    "basin_map",
    "finalize",
    "geometry_json",
    "js_json",
    "new_map",
    "to_html",
]

_STATIC = Path(__file__).resolve().parent / "static"
#: Geometry types a web layer may hold (GeoJSON's, less GeometryCollection).
_WEB_TYPES = frozenset({"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"})
DEFAULT_TOLERANCE = 25.0
#: Optional basemaps (tiles need network access; vector layers do not).
BASEMAPS: dict[str, tuple[str, str]] = {
    "positron": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
}


@cache
def _assets(*, leaflet: bool = True) -> str:
    own_js = (_STATIC / "erbm.js").read_text("utf-8")
    own_css = (_STATIC / "erbm.css").read_text("utf-8")
    if not leaflet:
        return f"<style>{own_css}</style>\n<script>{own_js}</script>"
    import js_lib_leaflet

    root = Path(js_lib_leaflet.__file__).resolve().parent / "static" / "js_lib_leaflet"
    css = (root / "leaflet.css").read_text("utf-8")

    def data_uri(m: re.Match[str]) -> str:
        img = root / m.group(1)
        return "url(data:image/png;base64," + base64.b64encode(img.read_bytes()).decode() + ")"

    css = re.sub(r"url\((images/[\w.-]+\.png)\)", data_uri, css)
    js = (root / "leaflet.js").read_text("utf-8")
    return f"<style>{css}\n{own_css}</style>\n<script>{js}</script>\n<script>{own_js}</script>"


class _OfflineMap(folium.Map):
    """A folium.Map whose Leaflet comes inlined (no CDN)."""

    default_js = []  # noqa: RUF012  (folium's own attribute, emptied: no CDN)
    default_css = []  # noqa: RUF012


class _Verbatim(Element):
    """Text put in the page as it is: never parsed as a Jinja template.

    branca's ``MacroElement.render`` wraps every rendered script in ``Element(text)``, which
    compiles *text* as a template: data text there would be evaluated. erbm_geo's elements add
    this class instead.
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def _render_verbatim(el: Element, code: str, **kwargs: Any) -> str:
    """Render *el* as branca would, but add its script *code* to the page verbatim."""
    el.get_root().script.add_child(_Verbatim(code), name=el.get_name())  # type: ignore[attr-defined]
    for child in el._children.values():
        child.render(**kwargs)
    return ""


class _Script(MacroElement):
    """A call of the erbm_geo runtime: a fixed function name, element references and JSON args.

    ``call`` is the function (e.g. ``"ERBM.legend"``); ``refs`` are folium elements whose JS
    names are resolved at render time; ``args`` are JSON-encoded (escaped for <script>).
    """

    def __init__(self, call: str, *refs: Any, args: Sequence[Any] = (), raw: Sequence[str] = ()) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # branca's MacroElement is untyped
        self._name = "ErbmScript"
        self.call, self.refs, self.args, self.raw = call, refs, list(args), list(raw)

    def code(self) -> str:
        parts = [r.get_name() for r in self.refs] + [_js_json(a) for a in self.args] + self.raw
        return f"{self.call}({', '.join(parts)});"

    def render(self, **kwargs: Any) -> str:
        return _render_verbatim(self, self.code(), **kwargs)


class VectorLayer(folium.map.Layer):
    """A GeoJSON layer rendered by the erbm_geo runtime (shared styles, escaped labels).

    Its script (geometries, texts) is added to the page verbatim, never as template text.
    """

    def __init__(self, data: str, opts: dict[str, Any], *, name: str, show: bool) -> None:
        # Leaflet's layer control inserts names as HTML: the control gets the escaped name
        super().__init__(name=escape(name), overlay=True, control=True, show=show)
        self._name = "ErbmLayer"
        self.data = data
        self.opts = _js_json({**opts, "name": name, "show": show})

    def render(self, **kwargs: Any) -> str:
        code = (
            f"var {self.get_name()} = ERBM.layer({self._parent.get_name()}, {self.data}, "  # type: ignore[union-attr]
            f"{self.opts});"
        )
        return _render_verbatim(self, code, **kwargs)


@dataclass
class _MapState:
    """What erbm_geo records about a map it adds layers to (kept beside the map, not on it)."""

    layers: int = 0
    sources: list[str] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def claim(self, name: str) -> None:
        """Reserve layer name *name*: the layer control keeps one layer per name."""
        if not isinstance(name, str) or not name.strip():
            raise UnknownOptionError(f"a layer needs a non-empty name, got {name!r}")
        if name in self.names:
            raise UnknownOptionError(
                f"this map already has a layer named {name!r}; the layer control would show only "
                "one of them: give each layer a distinct name"
            )
        self.names.add(name)


_STATES: weakref.WeakKeyDictionary[folium.Map, _MapState] = weakref.WeakKeyDictionary()


def map_state(m: folium.Map) -> _MapState:
    """Return the erbm_geo state of *m*; a plain ``folium.Map`` gets the runtime on first use."""
    if not isinstance(m, folium.Map):
        raise TypeError(f"expected a folium.Map (e.g. erbm_geo.maps.new_map()), got {type(m).__name__}")
    st = _STATES.get(m)
    if st is None:
        st = _STATES[m] = _MapState()
        header = m.get_root().header  # type: ignore[attr-defined]
        if "erbm_assets" not in header._children:
            # Leaflet comes from folium's own links on a plain map: add only the runtime
            header.add_child(_Verbatim(_assets(leaflet=False)), name="erbm_assets")
    return st


def new_map(
    *, basemap: str | None = "positron", location: tuple[float, float] = (50.42, 3.0), zoom_start: int = 10
) -> folium.Map:
    """Return an empty offline-safe map centred on the basin.

    Parameters
    ----------
    basemap : {"positron", "osm"} or None, default "positron"
        Tiles drawn under the vector layers when the network allows; ``None`` for none.
    location : (float, float), default (50.42, 3.0)
        The centre, as (latitude, longitude).
    zoom_start : int, default 10
        The initial zoom level.

    Returns
    -------
    folium.Map
        A map with erbm_geo's scripts and styles inlined (no CDN).

    Raises
    ------
    UnknownOptionError
        If *basemap* is not one of :data:`BASEMAPS` or ``None``.

    Examples
    --------
    >>> import re
    >>> re.findall(r'<script[^>]+src="http', to_html(new_map(basemap=None)))  # nothing fetched
    []
    """
    if basemap is not None and basemap not in BASEMAPS:
        raise UnknownOptionError(f"unknown basemap {basemap!r}; choose {sorted(BASEMAPS)} or None")
    m = _OfflineMap(
        location=location, zoom_start=zoom_start, tiles=None, control_scale=False, prefer_canvas=False
    )
    m.get_root().header.add_child(_Verbatim(_assets()), name="erbm_assets")  # type: ignore[attr-defined]
    if basemap is not None:
        url, attr = BASEMAPS[basemap]
        folium.TileLayer(url, attr=attr, name="Fond de carte", control=True, max_zoom=19).add_to(m)
    map_state(m)
    return m


def _classify(values: pd.Series, scheme: str | None, k: int, col: str = "") -> tuple[np.ndarray, list[str]]:
    """Class index per value and the legend labels of the classes.

    Classes that would print alike are merged, none is empty
    (:func:`erbm_geo.maps.classify.class_labels`).
    """
    from erbm_geo.maps.classify import breaks, class_labels

    v = values.astype("float64").to_numpy()
    ok = ~np.isnan(v)
    if not ok.any():
        return np.full(len(v), -1), []
    scheme = scheme or "Quantiles"
    own = {"FisherJenks": "fisher_jenks", "Quantiles": "quantiles"}
    if scheme in own or len(np.unique(v[ok])) <= k:
        bins = breaks(v, scheme=own.get(scheme, "quantiles"), k=k)  # type: ignore[arg-type]
    else:
        import mapclassify

        try:
            classifier = getattr(mapclassify, scheme)
        except AttributeError:
            raise UnknownOptionError(f"unknown mapclassify scheme {scheme!r}") from None
        import warnings

        with warnings.catch_warnings():  # mapclassify's notes on ties and on numba
            warnings.simplefilter("ignore", UserWarning)
            bins = np.asarray(classifier(v[ok], k=k).bins)

    def f(x: float) -> str:
        return fmt_value(col, float(x)) if is_share(col) else fmt_number(float(x))

    _, cls, labels = class_labels(v, bins, f)
    return cls, labels


@dataclass(frozen=True)
class Style:
    """How :func:`add_layer` draws a layer.

    Parameters
    ----------
    scheme : str or None, default "Quantiles"
        For a numeric column, the mapclassify scheme of its classes (e.g. ``"FisherJenks"``).
    k : int, default 5
        The number of classes.
    cmap : str, default "YlOrRd"
        The ColorBrewer palette of the classes.
    categorical : bool, optional
        Force (or refuse) one colour per value; by default text and booleans are categories.
    colors : mapping, optional
        Colour of each category value.
    color : str, default "#3182bd"
        The colour of a layer drawn without *column*.
    fill_opacity : float, default 0.6
        Polygon fill opacity.
    weight : float, default 1.0
        Line and outline width (px).
    radius : float, default 5.0
        Point radius (px).
    tolerance : float, default 25.0
        Simplification in metres before the geometries go to the web page.
    coverage : bool, default False
        The layer tiles space (communes, EPCI): coverage-preserving simplification.
    show : bool, default True
        Visible when the map opens.

    Examples
    --------
    >>> Style(scheme="FisherJenks", k=4, cmap="PuBu").k
    4
    """

    scheme: str | None = "Quantiles"
    k: int = 5
    cmap: str = "YlOrRd"
    categorical: bool | None = None
    colors: dict[str, str] | None = None
    color: str = "#3182bd"
    fill_opacity: float = 0.6
    weight: float = 1.0
    radius: float = 5.0
    tolerance: float = DEFAULT_TOLERANCE
    coverage: bool = False
    show: bool = True


@dataclass(frozen=True)
class Fields:
    """What :func:`add_layer` tells about the features of a layer.

    Parameters
    ----------
    tooltip, popup : sequence of str, optional
        Columns shown on hover / click, labelled in French, numbers formatted (``None``: none).
    search : bool, default False
        Add a search box over the ``nom`` of the layer's features.
    legend : bool, default True
        Show a legend for the column (or for the single colour).
    legend_caption : str, optional
        The legend's title; by default the column's French label, else the layer name.

    Examples
    --------
    >>> Fields(tooltip=["nom", "qpv_share"], search=True).popup is None
    True
    """

    tooltip: Sequence[str] | None = ("nom",)
    popup: Sequence[str] | None = None
    search: bool = False
    legend: bool = True
    legend_caption: str | None = None


_STYLE_KEYS = frozenset(Style.__dataclass_fields__)
_FIELD_KEYS = frozenset(Fields.__dataclass_fields__)


def _options(style: Style | None, fields: Fields | None, legacy: dict[str, Any]) -> tuple[Style, Fields]:
    """Merge keyword arguments of the former signature (deprecated) into *style* and *fields*."""
    import dataclasses

    from erbm_geo._warnings import warn

    style, fields = style or Style(), fields or Fields()
    if not legacy:
        return style, fields
    unknown = sorted(set(legacy) - _STYLE_KEYS - _FIELD_KEYS)
    if unknown:
        raise UnknownOptionError(
            f"add_layer() got unknown option(s) {unknown}; style options go "
            f"in style=Style(...) ({', '.join(sorted(_STYLE_KEYS))}), "
            f"fields in fields=Fields(...) ({', '.join(sorted(_FIELD_KEYS))})"
        )
    s_kw = {k: v for k, v in legacy.items() if k in _STYLE_KEYS}
    f_kw = {k: v for k, v in legacy.items() if k in _FIELD_KEYS}
    warn(
        f"add_layer({', '.join(f'{k}=…' for k in legacy)}) is deprecated since 0.2: use "
        + " and ".join(
            x
            for x in (
                f"style=Style({', '.join(s_kw)})" if s_kw else "",
                f"fields=Fields({', '.join(f_kw)})" if f_kw else "",
            )
            if x
        ),
        DeprecationWarning,
    )
    return dataclasses.replace(style, **s_kw), dataclasses.replace(fields, **f_kw)


def _base_style(geom: str, style: Style, color: str) -> dict[str, Any]:
    """Return the Leaflet path options of a layer of polygons, lines or points."""
    base = {
        "weight": style.weight,
        "opacity": 0.9,
        "color": "#444444" if geom == "polygon" else color,
        "fillColor": color,
        "fillOpacity": style.fill_opacity if geom != "line" else 0.0,
    }
    if geom == "point":
        base.update({"color": "#ffffff", "weight": 1, "fillOpacity": 0.9})
    if geom == "line":
        base.update({"color": color, "weight": max(style.weight, 2.0)})
    return base


def _column_colours(
    df: pd.DataFrame, column: str, style: Style
) -> tuple[np.ndarray, list[str], list[tuple[str, str]]]:
    """Class or category of each row of *column*, the palette and the legend items."""
    col = df[column]
    is_cat = (
        style.categorical
        if style.categorical is not None
        else (not pd.api.types.is_numeric_dtype(col) or pd.api.types.is_bool_dtype(col))
    )
    if is_cat:
        colors = {k: css_color(v, what=f"colour of {k!r}") for k, v in (style.colors or {}).items()}
        values = col.astype("string").fillna("–")
        cats = sorted(values.unique())
        pal = palette("tab10", max(len(cats), 1))
        cols = [colors.get(c, CATEGORY_COLORS.get(c, pal[i % len(pal)])) for i, c in enumerate(cats)]
        code = {c: i for i, c in enumerate(cats)}
        items = [
            (
                fmt_value(column, c) if c not in ("True", "False") else ("oui" if c == "True" else "non"),
                cols[i],
            )
            for i, c in enumerate(cats)
        ]
        return values.map(code).to_numpy(), cols, items
    cls, labels = _classify(col, style.scheme, style.k, column)
    cols = palette(style.cmap, max(len(labels), 1))
    if (cls < 0).any():
        cols = [*cols, NA_COLOR]
        cls = np.where(cls < 0, len(cols) - 1, cls)
        labels = [*labels, "Données manquantes"]
    return cls, cols, list(zip(labels, cols, strict=True))


def _texts(df: pd.DataFrame, props: list[dict[str, Any]], fields: Fields) -> list[str] | None:
    """Put the tooltip, popup and search texts in *props*; return the popup labels.

    Texts travel as plain strings and are inserted with textContent by the runtime.
    """
    if fields.tooltip:
        tip_cols = [[fmt_value(c, v) for v in df[c]] for c in fields.tooltip]
        for j in range(len(df)):
            props[j]["t"] = [
                vals[j] if c == "nom" else f"{label(c)}\u00a0: {vals[j]}"
                for c, vals in zip(fields.tooltip, tip_cols, strict=True)
            ]
    if fields.search and "nom" in df.columns:
        for j, n in enumerate(df["nom"].astype(str)):
            props[j]["n"] = n
    if not fields.popup:
        return None
    pop_cols = [[fmt_value(c, v) for v in df[c]] for c in fields.popup]
    for j in range(len(df)):
        props[j]["v"] = [vals[j] for vals in pop_cols]
    return [label(c) for c in fields.popup]


def add_layer(
    m: folium.Map,
    gdf: gpd.GeoDataFrame,
    *,
    name: str,
    column: str | None = None,
    style: Style | None = None,
    fields: Fields | None = None,
    sources: Sequence[str] = (),
    **legacy: Any,
) -> folium.Map:
    """Add a layer or an indicator to *m* with an ``explore()``-like vocabulary.

    Parameters
    ----------
    m : folium.Map
        A map of :func:`new_map` (or a plain ``folium.Map``).
    gdf : GeoDataFrame
        Any CRS; geometries are simplified (``style.tolerance`` m) and rounded for the web.
    name : str
        Layer name in the layer control (French, shown to people).
    column : str, optional
        Column to colour by: numeric → classes, text/boolean → one colour per value (see
        :class:`Style`).
    style : Style, optional
        Classes, colours, sizes, simplification and visibility.
    fields : Fields, optional
        Tooltip, popup, search box and legend.
    sources : sequence of str
        Catalogue names of the datasets shown, for the attribution line.
    **legacy
        The former keyword arguments (``tooltip=``, ``cmap=``…), deprecated since 0.2: they
        still work, with a ``DeprecationWarning`` naming where they go now.

    Returns
    -------
    folium.Map
        *m*, with the layer.

    Raises
    ------
    MissingColumnError
        If *column*, a tooltip or a popup column is not in *gdf*.
    UnknownOptionError
        For an unknown source, option, colour or a layer name used twice.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes  # invented: runs without the mirror
    >>> m = add_layer(new_map(basemap=None), example_communes(), name="Communes",
    ...               fields=Fields(tooltip=["nom", "nom_epci"]), style=Style(color="#54278f"))
    >>> "ERBM.layer" in m.get_root().render()
    True
    """
    style, fields = _options(style, fields, legacy)
    state = map_state(m)
    _check_sources(sources)
    what = f"layer {name!r}"
    gdf = check_layer(gdf, name=what, types=_WEB_TYPES)
    needed = [c for c in [column, *(fields.tooltip or ()), *(fields.popup or ())] if c]
    missing = [c for c in needed if c not in gdf.columns and c != gdf.index.name]
    if missing:
        raise MissingColumnError(f"{what} lacks column(s) {missing}; available: {list(gdf.columns)}")
    color = css_color(style.color, what="color")
    for key, value in (style.colors or {}).items():  # refused before anything is added
        css_color(value, what=f"colour of {key!r}")
    state.claim(name)
    df = gdf.reset_index() if gdf.index.name in needed else gdf
    geoms = web_geometries(df, tolerance=style.tolerance, coverage=style.coverage)
    dims = shapely.get_dimensions(geoms)
    geom: Literal["polygon", "line", "point"] = (
        "point" if (dims == 0).all() else ("line" if (dims == 1).all() else "polygon")
    )
    opts: dict[str, Any] = {
        "id": state.layers,
        "geom": geom,
        "radius": style.radius,
        "base": _base_style(geom, style, color),
    }
    state.layers += 1
    props: list[dict[str, Any]] = [{} for _ in range(len(df))]
    legend_items: list[tuple[str, str]] = [(name, color)]
    if column is not None:
        cls, opts["palette"], legend_items = _column_colours(df, column, style)
        for p, c in zip(props, cls, strict=True):
            p["c"] = int(c)
    popup = _texts(df, props, fields)
    if popup:
        opts["popup"] = popup
    layer = VectorLayer(_feature_collection(geoms, props), opts, name=name, show=style.show)
    layer.add_to(m)
    if fields.search:
        _Script("ERBM.search", m, layer, args=["Rechercher une commune"]).add_to(m)
    if fields.legend and legend_items:
        add_legend(m, fields.legend_caption or (label(column) if column else name), legend_items, kind=geom)
    state.sources.extend(s for s in sources if s not in state.sources)
    return m


def add_legend(
    m: folium.Map,
    title: str,
    items: Sequence[tuple[str, str]],
    *,
    kind: Literal["polygon", "line", "point"] = "polygon",
) -> folium.Map:
    """Add a legend box (title and colour/label items).

    Parameters
    ----------
    m : folium.Map
        A map made by :func:`new_map`.
    title : str
        The legend's title, shown as text (HTML-escaped, braces included).
    items : sequence of (str, str)
        ``(label, colour)`` pairs; labels are text, colours must be colours
        (:func:`erbm_geo.maps.style.css_color`).
    kind : {"polygon", "line", "point"}, default "polygon"
        The symbol drawn beside each label.

    Returns
    -------
    folium.Map
        *m*, for chaining.

    Raises
    ------
    UnknownOptionError
        If *kind* is not one of the three, or a colour is not a colour.

    Examples
    --------
    >>> m = add_legend(new_map(basemap=None), "Cités", [("UNESCO", "#54278f")], kind="point")
    >>> "Cités" in to_html(m)
    True
    """
    kinds = {"polygon": "", "line": "line", "point": "dot"}
    if kind not in kinds:
        raise UnknownOptionError(f"unknown legend kind {kind!r}; choose polygon, line or point")
    cls = kinds[kind]
    map_state(m)
    cols = [css_color(c, what="legend colour") for _, c in items]
    rows = "".join(
        f'<div><i class="{cls}" style="background:{c if kind != "line" else "none"};'
        f'border-color:{c}"></i>{escape(t)}</div>'
        for (t, _), c in zip(items, cols, strict=True)
    )
    html_ = f"<h4>{escape(title)}</h4>{rows}"
    _Script("ERBM.legend", m, args=[html_]).add_to(m)
    return m


def _check_sources(sources: Sequence[str]) -> None:
    unknown = [s for s in sources if s not in CATALOGUE]
    if unknown:
        raise UnknownOptionError(
            f"unknown dataset(s) {unknown} in sources; use catalogue names, e.g. "
            f"{sorted(CATALOGUE)[:4]} (see erbm_geo.data.CATALOGUE)"
        )


def add_attribution(m: folium.Map, sources: Sequence[str]) -> folium.Map:
    """Add an attribution line naming each dataset's producer and licence.

    Parameters
    ----------
    m : folium.Map
        A map made by :func:`new_map`.
    sources : sequence of str
        Catalogue names (:data:`erbm_geo.data.CATALOGUE`); the line is text only.

    Returns
    -------
    folium.Map
        *m*, for chaining.

    Raises
    ------
    UnknownOptionError
        If a source is not a catalogue name.

    Examples
    --------
    >>> m = add_attribution(new_map(basemap=None), ["qpv"])
    >>> "ANCT" in to_html(m)
    True
    """
    _check_sources(sources)
    parts = []
    for s in sources:
        ds = CATALOGUE[s]
        parts.append(f"{ds.attribution} ({ds.licence}, {ds.vintage})")
    text = " · ".join(dict.fromkeys(parts))
    _Script("ERBM.attribution", m, args=[escape(text)]).add_to(m)
    return m


def finalize(
    m: folium.Map,
    *,
    minimap_layer: gpd.GeoDataFrame | None = None,
    controls: bool = True,
    collapsed: bool = False,
) -> folium.Map:
    """Add the attribution line, the controls and the layer control (after every layer).

    Parameters
    ----------
    m : folium.Map
        A map whose layers are all added.
    minimap_layer : geopandas.GeoDataFrame, optional
        A layer drawn in an overview minimap (none by default).
    controls : bool, default True
        Add the fullscreen and measure controls.
    collapsed : bool, default False
        Fold the layer control into an icon (for maps embedded in pages).

    Returns
    -------
    folium.Map
        *m*, for chaining.

    Raises
    ------
    UnknownOptionError
        If a layer of *m* named a source that is not a catalogue name.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> m = add_layer(new_map(basemap=None), example_communes(), name="Communes")
    >>> "L.control.layers" in to_html(finalize(m, collapsed=True))
    True
    """
    add_attribution(m, map_state(m).sources)
    if controls:
        _Script("ERBM.fullscreen", m).add_to(m)
        _Script("ERBM.measure", m).add_to(m)
        if minimap_layer is not None:
            g = web_geometries(minimap_layer, tolerance=300, decimals=3)
            _Script("ERBM.minimap", m, raw=[_feature_collection(g)]).add_to(m)
    _Script("ERBM.register", m).add_to(m)
    folium.LayerControl(collapsed=collapsed).add_to(m)
    return m


def _deterministic(m: folium.Map) -> None:
    """Give every element a sequential id so that the same map renders to the same bytes."""
    counter = 0

    def walk(el: Any) -> None:
        nonlocal counter
        el._id = f"{counter:05d}"
        counter += 1
        for child in el._children.values():
            walk(child)

    walk(m.get_root())


def to_html(m: folium.Map, path: str | Path | None = None) -> str:
    """Render *m* to HTML (deterministically) and optionally write it atomically to *path*.

    Parameters
    ----------
    m : folium.Map
        The map.
    path : str or pathlib.Path, optional
        Where to write the page (written whole or not at all).

    Returns
    -------
    str
        The page; the same map gives the same bytes.

    Examples
    --------
    >>> m = new_map(basemap=None)
    >>> to_html(m) == to_html(m)
    True
    """
    from erbm_geo.export import write_text_atomic

    _deterministic(m)
    html_ = m.get_root().render()
    if path is not None:
        write_text_atomic(path, html_)
    return html_


def basin_map(
    *, basemap: str | None = "positron", tolerance: float = DEFAULT_TOLERANCE, collapsed: bool = False
) -> folium.Map:
    """Return the default map of the basin.

    Communes, EPCI, UNESCO property and buffer zone, cités by flag, QPV, stations and railway
    lines, with legends, popups, search and attribution.

    Parameters
    ----------
    basemap : {"positron", "osm"} or None, default "positron"
        Passed to :func:`new_map`.
    tolerance : float, default 25.0
        Simplification in metres of the polygons sent to the page.
    collapsed : bool, default False
        Fold the layer control into an icon.

    Returns
    -------
    folium.Map
        The finalized map.

    Raises
    ------
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> m = basin_map(basemap=None)
    >>> len(to_html(m)) < 1_000_000
    True
    """
    m = new_map(basemap=basemap)
    _basin_territory(m, tolerance)
    _basin_heritage(m, tolerance)
    _basin_transport(m, tolerance)
    return finalize(m, collapsed=collapsed)


def _basin_territory(m: folium.Map, tolerance: float) -> None:
    """Add the communes and the EPCI of the ERBM to the basin map."""
    from erbm_geo import layers

    add_layer(
        m,
        layers.communes(),
        name="Communes du Bassin minier",
        style=Style(color="#ffffff", fill_opacity=0.05, weight=0.6, coverage=True, tolerance=tolerance),
        fields=Fields(
            tooltip=["nom", "nom_epci"],
            popup=["code_insee", "nom_epci", "population", "area_km2"],
            search=True,
            legend=False,
        ),
        sources=["communes_59", "communes_62", "cog_communes", "cog_epci"],
    )
    add_layer(
        m,
        layers.epci(),
        name="Intercommunalités (EPCI) de l'ERBM",
        style=Style(color="#000000", fill_opacity=0.0, weight=2.2, coverage=True, tolerance=tolerance),
        fields=Fields(
            tooltip=["nom_epci"],
            popup=["nom_epci", "population", "n_communes", "n_communes_bassin"],
            legend=False,
        ),
    )


def _basin_heritage(m: folium.Map, tolerance: float) -> None:
    """Add the UNESCO buffer zone and property, the QPV and the cités to the basin map."""
    from erbm_geo import layers

    add_layer(
        m,
        layers.zone_tampon(),
        name="Zone tampon UNESCO",
        style=Style(color="#fdd49e", fill_opacity=0.35, weight=0.4, tolerance=tolerance),
        fields=Fields(tooltip=None),
        sources=["zone_tampon"],
    )
    add_layer(
        m,
        layers.bien_inscrit(),
        name="Bien inscrit UNESCO (109 éléments)",
        style=Style(color="#7f2704", fill_opacity=0.55, weight=0.5, tolerance=min(tolerance, 15.0)),
        fields=Fields(tooltip=["nom", "section"]),
        sources=["bien_inscrit"],
    )
    add_layer(
        m,
        layers.qpv(),
        name=f"Quartiers prioritaires ({millesimes()['qpv']})",
        style=Style(color="#6a51a3", fill_opacity=0.35, weight=0.8, tolerance=min(tolerance, 15.0)),
        fields=Fields(tooltip=["nom"]),
        sources=["qpv"],
    )
    c = layers.cites()
    c["categorie"] = np.where(
        c["unesco_inscribed"],
        "Cité inscrite UNESCO",
        np.where(c["erbm_programme"], "Cité du programme ERBM", "Cité de la zone tampon"),
    )
    add_layer(
        m,
        c,
        name="Cités minières",
        column="categorie",
        style=Style(fill_opacity=0.75, weight=0.5, tolerance=min(tolerance, 8.0)),
        fields=Fields(
            tooltip=["nom", "categorie"],
            popup=[
                "nom",
                "type_cite",
                "interet",
                "bailleur",
                "unesco_inscribed",
                "in_buffer_zone",
                "erbm_programme",
                "area_ha",
            ],
            legend_caption="Cités minières",
        ),
        sources=["cites_minieres", "zt_cites_minieres", "cites_erbm"],
    )


def _basin_transport(m: folium.Map, tolerance: float) -> None:
    """Add the railway lines and the stations to the basin map."""
    from erbm_geo import layers

    add_layer(
        m,
        layers.rail_lines(territory="bassin_minier"),
        name="Voies ferrées exploitées",
        style=Style(color="#252525", weight=2.0, tolerance=min(tolerance, 15.0)),
        fields=Fields(tooltip=["nom_ligne", "voie"]),
        sources=["rfn_lignes"],
    )
    add_layer(
        m,
        layers.stations(territory="bassin_minier"),
        name="Gares et stations",
        column="mode",
        style=Style(radius=5, tolerance=0),
        fields=Fields(tooltip=["nom", "mode", "lignes"], legend_caption="Gares et stations"),
        sources=["gares_voyageurs", "osm_stations"],
    )
