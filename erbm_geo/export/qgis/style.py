"""QGIS styles of a layer: the atlas's and the printed maps' classes and colours, as QML and SLD.

A :class:`LayerStyle` is a list of rules (a French label, a colour, a condition on the layer's
columns) drawn from :func:`erbm_geo.maps.printed.symbology.symbology`: the classes of a numeric
indicator (natural breaks with a « 0 » class, or classes symmetric about 0 for a change), the
categories of a text or boolean column, or one colour. :func:`to_qml` writes it as QGIS's own
style (a rule-based renderer: a class holds exactly the values the atlas puts in it, missing
values included), :func:`to_sld` as an OGC Symbology Encoding 1.1 style for other programs.

Every text (labels, column names, category values) goes into the XML as an escaped value by
ElementTree, and into QGIS expressions as a quoted identifier or string literal: nothing from the
data becomes markup or an expression.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from erbm_geo.errors import UnknownOptionError

__all__ = [
    "MISSING_COLOUR",
    "Condition",
    "LayerStyle",
    "StyleRule",
    "default_styles",
    "expression",
    "inert",
    "layer_style",
    "layout_text",
    "to_qml",
    "to_sld",
]

#: The colour of missing values (as the atlas's maps draw them).
MISSING_COLOUR = "#9e9e9e"

#: QGIS's version the QML says it was written for (read by every QGIS 3).
_QGIS_VERSION = "3.22.0"
_OPS = ("<", "<=", ">", ">=", "=", "is null")
_OGC = {
    "<": "PropertyIsLessThan",
    "<=": "PropertyIsLessThanOrEqualTo",
    ">": "PropertyIsGreaterThan",
    ">=": "PropertyIsGreaterThanOrEqualTo",
    "=": "PropertyIsEqualTo",
}
_PX_PER_MM = 96 / 25.4  # SLD sizes are in pixels


@dataclass(frozen=True)
class Condition:
    """One test on a column: ``column op value`` (``"is null"`` takes no value).

    Parameters
    ----------
    column : str
        The column.
    op : {"<", "<=", ">", ">=", "=", "is null"}
        The comparison.
    value : float, str, bool or None
        What the column is compared with.

    Examples
    --------
    >>> expression((Condition("qpv_share", ">", 0.0), Condition("qpv_share", "<=", 0.25)))
    '"qpv_share" > 0 AND "qpv_share" <= 0.25'
    """

    column: str
    op: str
    value: Any = None

    def __post_init__(self) -> None:
        """Check the comparison."""
        if self.op not in _OPS:
            raise UnknownOptionError(f"unknown comparison {self.op!r}; use one of {', '.join(_OPS)}")


@dataclass(frozen=True)
class StyleRule:
    """One entry of a legend: the features that meet every condition, in one colour.

    Parameters
    ----------
    label : str
        The legend's French label.
    colour : str
        A hex colour (``"#rrggbb"``).
    conditions : tuple of Condition
        All must hold; none: every feature (one colour), or with *otherwise* the features no
        other rule takes.
    otherwise : bool, default False
        The rule of the features that no other rule takes (« Autres »).

    Examples
    --------
    >>> StyleRule("0", "#fff5eb", (Condition("qpv_share", "<=", 0.0),)).label
    '0'
    """

    label: str
    colour: str
    conditions: tuple[Condition, ...] = ()
    otherwise: bool = False


@dataclass(frozen=True)
class LayerStyle:
    """A layer's style: its rules and how it is drawn, with its French name and title.

    Parameters
    ----------
    name : str
        The style's name, as QGIS lists it (« Surface en QPV »).
    title : str
        The legend's title (the indicator's short name and unit).
    geometry : {"polygon", "line", "point"}
        What the layer holds.
    rules : tuple of StyleRule
        The legend, in order.
    method : str, default ""
        How the classes were drawn, as the legend says it.
    outline : str, default "#4d4d4d"
        The outline (polygons, points) or line colour.
    outline_width : float, default 0.2
        In millimetres.
    opacity : float, default 1.0
        Of the fill (0 to 1).
    hatched : bool, default False
        Polygons: hatched in the rule's colour instead of filled (QPV).
    dashed : bool, default False
        A dashed outline.
    size : float, default 2.6
        Points: the marker's diameter in millimetres.
    aliases : mapping of str to str
        French labels of the layer's columns (QGIS shows them in the attribute table and forms).
    heading, subtitle : str, default ""
        The title and subtitle of a printed page of this style (an indicator's label, and its
        definition, unit and data), which a project's print layout shows.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> s = layer_style(example_communes(), "qpv_share")
    >>> s.name, len(s.rules) >= 2, s.geometry
    ('Surface en QPV', True, 'polygon')
    """

    name: str
    title: str
    geometry: Literal["polygon", "line", "point"]
    rules: tuple[StyleRule, ...]
    method: str = ""
    outline: str = "#4d4d4d"
    outline_width: float = 0.2
    opacity: float = 1.0
    hatched: bool = False
    dashed: bool = False
    size: float = 2.6
    aliases: Mapping[str, str] = field(default_factory=dict)
    heading: str = ""
    subtitle: str = ""


def _geometry_kind(gdf: gpd.GeoDataFrame) -> Literal["polygon", "line", "point"]:
    ids = shapely.get_type_id(gdf.geometry.to_numpy())
    ids = ids[ids >= 0]
    if len(ids) and np.isin(ids, (0, 4)).all():
        return "point"
    if len(ids) and np.isin(ids, (1, 2, 5)).all():
        return "line"
    return "polygon"


def _aliases(columns: Sequence[str]) -> dict[str, str]:
    from erbm_geo.vocabulary import registry

    known = registry()
    return {c: known[c].titled for c in columns if c in known}


def _class_rules(column: str, sym: Any) -> list[StyleRule]:
    """Rules of numeric classes: each holds exactly the values the atlas puts in it."""
    lower, upper = (">", "<=") if sym.closed == "right" else (">=", "<")
    edges = list(sym.edges)
    rules = []
    for j, (lab, col) in enumerate(zip(sym.labels, sym.colours[: len(sym.labels)], strict=True)):
        cond = []
        if j > 0:
            cond.append(Condition(column, lower, edges[j - 1]))
        if j < len(sym.labels) - 1:
            cond.append(Condition(column, upper, edges[j]))
        if not cond:  # one class: every value
            cond.append(Condition(column, ">=", -np.inf))
        rules.append(StyleRule(lab, col, tuple(cond)))
    return rules


def _category_rules(column: str, sym: Any, values: pd.Series) -> list[StyleRule]:
    """Rules of categories: one per value kept, « Autres » for the rest."""
    boolean = pd.api.types.is_bool_dtype(values)
    rules = []
    for lab, col in zip(sym.labels, sym.colours, strict=True):
        if sym.notes and lab == sym.labels[-1]:  # « Autres (n valeurs) »
            rules.append(StyleRule(lab, col, (), otherwise=True))
        else:
            v: Any = (lab == "oui") if boolean else lab
            rules.append(StyleRule(lab, col, (Condition(column, "=", v),)))
    return rules


def layer_style(
    gdf: gpd.GeoDataFrame,
    column: str | None = None,
    *,
    classes: Any = None,
    name: str | None = None,
    title: str | None = None,
    colours: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    **drawing: Any,
) -> LayerStyle:
    """Return the style of *gdf* mapped by *column*, in the classes the atlas and printed maps use.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer, as it is written.
    column : str, optional
        The column to map: a numeric indicator (classes), a text or boolean column
        (categories); none: one colour.
    classes : erbm_geo.maps.printed.symbology.Classes, optional
        How a numeric column becomes classes (by default the atlas's: natural breaks, 5
        classes, the indicator's palette).
    name : str, optional
        The style's name (by default the indicator's short name, else the column's label).
    title : str, optional
        The legend's title (by default the indicator's title with its unit).
    colours : mapping of str to str, optional
        Categories: the colour of some values (e.g. the atlas's colours of the cités' kinds).
    labels : mapping of str to str, optional
        Categories: the legend label of some values (by default the value itself).
    **drawing
        :class:`LayerStyle` fields: ``outline``, ``outline_width``, ``opacity``, ``hatched``,
        ``dashed``, ``size``, ``heading``, ``subtitle``.

    Returns
    -------
    LayerStyle
        The style, with the French labels of the layer's columns as aliases.

    Raises
    ------
    UnknownOptionError
        If *column* is not a column of *gdf*, a palette or a colour is unknown, or a text
        column has too many values to map.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> s = layer_style(example_communes(), "qpv_share")
    >>> [(r.label, expression(r.conditions)) for r in s.rules][:2]
    [('0', '"qpv_share" <= 0'), ('5,0 – 12,0', '"qpv_share" > 0 AND "qpv_share" <= 0.12')]
    """
    from erbm_geo.maps.printed.sheet import sheet_texts
    from erbm_geo.maps.printed.symbology import Classes, symbology
    from erbm_geo.maps.style import css_color, label

    if column is not None and column not in gdf.columns:
        raise UnknownOptionError(
            f"no column {column!r} to style; use one of {', '.join(map(str, gdf.columns))}"
        )
    head = title or (label(column) if column else str(gdf.attrs.get("title") or "Entités"))
    sym = symbology(gdf, column, classes or Classes(), head)
    rules: list[StyleRule]
    if sym.kind == "single":
        rules = [StyleRule(head, sym.colours[0])]
    elif sym.kind == "classes":
        rules = _class_rules(str(column), sym)
    else:
        rules = _category_rules(str(column), sym, gdf[column])
        rules = [
            StyleRule(
                (labels or {}).get(r.label, r.label),
                css_color((colours or {}).get(r.label, r.colour), what="colour of a category"),
                r.conditions,
                r.otherwise,
            )
            for r in rules
        ]
    if column is not None and gdf[column].isna().any():
        rules.append(StyleRule("Données manquantes", MISSING_COLOUR, (Condition(str(column), "is null"),)))
    from erbm_geo.vocabulary import registry

    known = registry()
    short = known[column].short if column in known else None
    cols = [str(c) for c in gdf.columns if c != gdf.geometry.name]
    heading, subtitle = sheet_texts(column, title, None) if column in known else (sym.title or head, "")
    drawing.setdefault("heading", heading)
    drawing.setdefault("subtitle", subtitle)
    return LayerStyle(
        name=name or short or (label(column) if column else head),
        title=sym.title or head,
        geometry=_geometry_kind(gdf),
        rules=tuple(rules),
        method=sym.method,
        aliases=_aliases(cols),
        **drawing,
    )


def default_styles(gdf: gpd.GeoDataFrame) -> list[LayerStyle]:
    """Return the styles a GeoPackage of *gdf* carries: one per indicator it holds, else one colour.

    The indicators are the numeric columns the vocabulary gives a palette to, in the table's
    order; the first is the layer's default style.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        The layer.

    Returns
    -------
    list of LayerStyle
        At least one style.

    Raises
    ------
    DataFormatError
        If the vocabulary file shipped with the package is damaged.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> [s.name for s in default_styles(example_communes())]
    ['Surface en QPV']
    >>> [s.name for s in default_styles(example_communes()[["nom", "geometry"]])]
    ['Entités']
    """
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from erbm_geo.vocabulary import registry

    known = registry()
    mapped = [
        str(c)
        for c in gdf.columns
        if c in known
        and known[c].palette is not None
        and is_numeric_dtype(gdf[c])
        and not is_bool_dtype(gdf[c])
        and gdf[c].notna().any()
    ]
    if not mapped:
        return [layer_style(gdf, None, name="Entités")]
    return [layer_style(gdf, c) for c in mapped]


# ---------------------------------------------------------------- QGIS expressions


def _number(v: float) -> str:
    if np.isinf(v):
        return "-1e308" if v < 0 else "1e308"
    return str(np.format_float_positional(float(v), trim="-"))


def _literal(v: Any) -> str:
    if isinstance(v, bool | np.bool_):
        return "true" if v else "false"
    if isinstance(v, int | float | np.integer | np.floating):
        return _number(float(v))
    return "'" + str(v).replace("'", "''") + "'"


def _field(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def expression(conditions: Sequence[Condition]) -> str:
    """Return *conditions* as a QGIS expression (all must hold); names and values quoted.

    Parameters
    ----------
    conditions : sequence of Condition
        The tests.

    Returns
    -------
    str
        The expression (``""`` for none: every feature).

    Examples
    --------
    >>> print(expression([Condition("nom", "=", "L'Escaut")]))
    "nom" = 'L''Escaut'
    >>> expression([Condition("qpv_share", "is null")])
    '"qpv_share" IS NULL'
    """
    parts = []
    for c in conditions:
        if c.op == "is null":
            parts.append(f"{_field(c.column)} IS NULL")
        else:
            parts.append(f"{_field(c.column)} {c.op} {_literal(c.value)}")
    return " AND ".join(parts)


# ---------------------------------------------------------------- text QGIS evaluates


def layout_text(text: str) -> str:
    """Return *text* as QGIS shows it verbatim where it evaluates ``[% … %]``: one string literal.

    QGIS evaluates what stands between ``[%`` and ``%]`` in a layout's labels and in its
    legends' titles and entries; a literal, its quotes doubled and any ``%]`` split across two
    literals, evaluates to the text itself.

    Parameters
    ----------
    text : str
        Any text (a title, sources, a category from the data).

    Returns
    -------
    str
        The text as a QGIS expression template.

    Examples
    --------
    >>> print(layout_text("Taux d'emploi [% 1+1 %]"))
    [% 'Taux d''emploi [% 1+1 ' || '%' || ']' || '' %]
    """
    if not text:
        return ""
    parts = ["'" + p.replace("'", "''") + "'" for p in text.split("%]")]
    return "[% " + " || '%' || ']' || ".join(parts) + " %]"


def inert(text: str) -> str:
    """Return *text* unchanged, or as :func:`layout_text` if QGIS would evaluate part of it.

    For names and legend entries, which QGIS shows as they are in its panels and evaluates in
    print layouts: only a text holding ``[%`` needs the literal.

    Parameters
    ----------
    text : str
        A label or a name.

    Returns
    -------
    str
        What to write in the style or the project.

    Examples
    --------
    >>> inert("Cité des Alouettes"), inert("[% @project_path %]")
    ('Cité des Alouettes', "[% '[% @project_path ' || '%' || ']' || '' %]")
    """
    return layout_text(text) if "[%" in text else text


# ---------------------------------------------------------------- QML


def _rgba(colour: str, alpha: float = 1.0) -> str:
    h = colour.lstrip("#")
    r, g, b = (int(h[i : i + 2], 16) for i in (0, 2, 4))
    a = round(255 * alpha * (int(h[6:8], 16) / 255 if len(h) == 8 else 1.0))
    return f"{r},{g},{b},{a}"


def _symbol_options(style: LayerStyle, colour: str) -> tuple[str, str, dict[str, str]]:
    """Return the QGIS symbol type, symbol-layer class and its options for one rule."""
    outline = {"outline_color": _rgba(style.outline), "outline_width": _number(style.outline_width)}
    outline |= {"outline_width_unit": "MM", "outline_style": "dash" if style.dashed else "solid"}
    if style.geometry == "point":
        return (
            "marker",
            "SimpleMarker",
            {"name": "circle", "color": _rgba(colour, style.opacity), "size": _number(style.size)}
            | {"size_unit": "MM"}
            | outline,
        )
    if style.geometry == "line":
        return (
            "line",
            "SimpleLine",
            {"line_color": _rgba(colour), "line_width": _number(style.outline_width * 3)}
            | {"line_width_unit": "MM", "line_style": "dash" if style.dashed else "solid"},
        )
    fill = {"color": _rgba(colour, style.opacity), "style": "b_diagonal" if style.hatched else "solid"}
    if style.hatched:
        outline["outline_color"] = _rgba(colour)
    return "fill", "SimpleFill", fill | {"joinstyle": "bevel"} | outline


def _symbol(parent: ET.Element, name: str, style: LayerStyle, colour: str) -> None:
    kind, klass, options = _symbol_options(style, colour)
    sym = ET.SubElement(
        parent,
        "symbol",
        {"name": name, "type": kind, "alpha": "1", "clip_to_extent": "1", "force_rhr": "0"},
    )
    layer = ET.SubElement(sym, "layer", {"class": klass, "pass": "0", "enabled": "1", "locked": "0"})
    opts = ET.SubElement(layer, "Option", {"type": "Map"})
    for k, v in options.items():  # both forms: QGIS 3.22+ reads Option, older ones prop
        ET.SubElement(opts, "Option", {"name": k, "value": v, "type": "QString"})
    for k, v in options.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})


def _key(style: LayerStyle, *parts: object) -> str:
    """Return a stable rule key (QGIS wants one per rule; the same style gives the same bytes)."""
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(map(str, (style.name, *parts))))) + "}"


_GEOMETRY_TYPE = {"point": "0", "line": "1", "polygon": "2"}


def qml_element(style: LayerStyle) -> ET.Element:
    """Return the style's ``<qgis>`` element (the QML document's root, or a project's layer part).

    Parameters
    ----------
    style : LayerStyle
        The style.

    Returns
    -------
    xml.etree.ElementTree.Element
        The ``renderer-v2`` (rule-based), the aliases and the geometry type, in a ``qgis`` element.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> qml_element(layer_style(example_communes(), "qpv_share")).find("renderer-v2").get("type")
    'RuleRenderer'
    """
    root = ET.Element("qgis", {"version": _QGIS_VERSION, "styleCategories": "AllStyleCategories"})
    renderer = ET.SubElement(
        root,
        "renderer-v2",
        {"type": "RuleRenderer", "symbollevels": "0", "enableorderby": "0", "forceraster": "0"},
    )
    rules = ET.SubElement(renderer, "rules", {"key": _key(style, "root")})
    symbols = ET.SubElement(renderer, "symbols")
    for i, r in enumerate(style.rules):
        attrs = {"key": _key(style, i, r.label), "symbol": str(i), "label": inert(r.label)}
        if r.otherwise:
            attrs["filter"] = "ELSE"
        elif r.conditions:
            attrs["filter"] = expression(r.conditions)
        ET.SubElement(rules, "rule", attrs)
        _symbol(symbols, str(i), style, r.colour)
    if style.aliases:
        aliases = ET.SubElement(root, "aliases")
        for k, v in style.aliases.items():
            ET.SubElement(aliases, "alias", {"field": k, "name": v})
    ET.SubElement(root, "layerGeometryType").text = _GEOMETRY_TYPE[style.geometry]
    # what a printed page of this style says (read back by a project's print layouts)
    props = ET.SubElement(ET.SubElement(root, "customproperties"), "Option", {"type": "Map"})
    for key, value in (("heading", style.heading), ("subtitle", style.subtitle), ("method", style.method)):
        ET.SubElement(props, "Option", {"name": f"erbm_geo/{key}", "value": value, "type": "QString"})
    return root


def to_qml(style: LayerStyle) -> str:
    """Return *style* as a QGIS style document (QML), as QGIS stores it in ``layer_styles``.

    Parameters
    ----------
    style : LayerStyle
        The style.

    Returns
    -------
    str
        The QML.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> to_qml(layer_style(example_communes(), "qpv_share")).splitlines()[0]
    "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
    """
    root = qml_element(style)
    ET.indent(root, " ")
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, "unicode") + "\n"
    )


# ---------------------------------------------------------------- SLD

_NS = {
    "": "http://www.opengis.net/sld",
    "se": "http://www.opengis.net/se",
    "ogc": "http://www.opengis.net/ogc",
    "xlink": "http://www.w3.org/1999/xlink",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}


def _se(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    ns, _, local = tag.rpartition(":")
    e = ET.SubElement(parent, f"{{{_NS[ns]}}}{local}", attrs)
    if text is not None:
        e.text = text
    return e


def _ogc_filter(parent: ET.Element, conditions: Sequence[Condition]) -> None:
    f = _se(parent, "ogc:Filter")
    where = _se(f, "ogc:And") if len(conditions) > 1 else f
    for c in conditions:
        if c.op == "is null":
            _se(_se(where, "ogc:PropertyIsNull"), "ogc:PropertyName", c.column)
            continue
        e = _se(where, f"ogc:{_OGC[c.op]}")
        _se(e, "ogc:PropertyName", c.column)
        v = c.value
        text = (
            ("1" if v else "0")
            if isinstance(v, bool | np.bool_)
            else (_number(float(v)) if isinstance(v, int | float | np.integer | np.floating) else str(v))
        )
        _se(e, "ogc:Literal", text)


def _sld_param(parent: ET.Element, name: str, value: str) -> None:
    _se(parent, "se:SvgParameter", value, name=name)


def _sld_symbolizer(rule: ET.Element, style: LayerStyle, colour: str) -> None:
    width = _number(round(style.outline_width * _PX_PER_MM, 2))
    if style.geometry == "point":
        graphic = _se(_se(rule, "se:PointSymbolizer"), "se:Graphic")
        mark = _se(graphic, "se:Mark")
        _se(mark, "se:WellKnownName", "circle")
        _sld_param(_se(mark, "se:Fill"), "fill", colour)
        stroke = _se(mark, "se:Stroke")
        _sld_param(stroke, "stroke", style.outline)
        _sld_param(stroke, "stroke-width", width)
        _se(graphic, "se:Size", _number(round(style.size * _PX_PER_MM, 2)))
        return
    if style.geometry == "line":
        stroke = _se(_se(rule, "se:LineSymbolizer"), "se:Stroke")
        _sld_param(stroke, "stroke", colour)
        _sld_param(stroke, "stroke-width", _number(round(style.outline_width * 3 * _PX_PER_MM, 2)))
        return
    sym = _se(rule, "se:PolygonSymbolizer")
    fill = _se(sym, "se:Fill")
    if style.hatched:
        mark = _se(_se(_se(fill, "se:GraphicFill"), "se:Graphic"), "se:Mark")
        _se(mark, "se:WellKnownName", "slash")
        stroke = _se(mark, "se:Stroke")
        _sld_param(stroke, "stroke", colour)
    else:
        _sld_param(fill, "fill", colour)
        if style.opacity < 1:
            _sld_param(fill, "fill-opacity", _number(style.opacity))
    stroke = _se(sym, "se:Stroke")
    _sld_param(stroke, "stroke", colour if style.hatched else style.outline)
    _sld_param(stroke, "stroke-width", width)
    if style.dashed:
        _sld_param(stroke, "stroke-dasharray", "5 3")


def to_sld(style: LayerStyle, layer: str) -> str:
    """Return *style* as an OGC Styled Layer Descriptor 1.1 (Symbology Encoding) document.

    Parameters
    ----------
    style : LayerStyle
        The style.
    layer : str
        The layer's name.

    Returns
    -------
    str
        The SLD.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> "PropertyIsLessThanOrEqualTo" in to_sld(layer_style(example_communes(), "qpv_share"), "c")
    True
    """
    for prefix, uri in _NS.items():
        ET.register_namespace(prefix, uri)
    root = ET.Element(
        f"{{{_NS['']}}}StyledLayerDescriptor",
        {
            "version": "1.1.0",
            f"{{{_NS['xsi']}}}schemaLocation": "http://www.opengis.net/sld "
            "http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd",
        },
    )
    named = _se(root, "NamedLayer")
    _se(named, "se:Name", layer)
    user = _se(named, "UserStyle")
    _se(user, "se:Name", style.name)
    fts = _se(user, "se:FeatureTypeStyle")
    for r in style.rules:
        rule = _se(fts, "se:Rule")
        _se(rule, "se:Name", r.label)
        _se(_se(rule, "se:Description"), "se:Title", r.label)
        if r.otherwise:
            _se(rule, "se:ElseFilter")
        elif r.conditions:
            _ogc_filter(rule, r.conditions)
        _sld_symbolizer(rule, style, r.colour)
    ET.indent(root, " ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
