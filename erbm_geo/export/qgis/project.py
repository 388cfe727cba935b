"""A QGIS project (``.qgz``) over GeoPackages: layers styled, a map theme per style, print layouts.

:func:`qgis_project` reads what each GeoPackage carries (written by :func:`erbm_geo.export.write`:
its styles in ``layer_styles``, its title and description, its extent and CRS) and writes a
project that references the files by relative path — the folder can be moved or zipped whole —
with:

* the layers in the order given (the first drawn on top), each in its default style, its other
  styles beside it in QGIS's style manager;
* a map theme per style of a layer that has several (the atlas's indicators on the communes);
* a print layout per theme (or one without themes): A4 landscape with the title, the map, its
  legend, a scale bar, a north arrow and the sources, as the library's printed maps.

The project is XML written by ElementTree from values: names, titles and labels are escaped, and a
layout's text reaches QGIS as a string literal inside ``[% … %]`` (QGIS evaluates what a label
holds between those brackets), so nothing from the data becomes markup or an expression.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyogrio
from pyproj import CRS, Transformer

from erbm_geo._atomic import write_atomic
from erbm_geo.errors import DataFormatError, DataNotFoundError, UnknownOptionError
from erbm_geo.export.metadata import build_date
from erbm_geo.export.qgis.gpkg import read_styles
from erbm_geo.export.qgis.style import inert, layout_text

__all__ = ["ProjectLayer", "qgis_project"]

_A4 = (297.0, 210.0)
_KINDS = {"Point": "Point", "LineString": "Line", "Polygon": "Polygon"}


@dataclass(frozen=True)
class ProjectLayer:
    """A GeoPackage layer of a project, with the name QGIS's layers panel and legends show.

    Parameters
    ----------
    path : str or pathlib.Path
        The GeoPackage (best written by :func:`erbm_geo.export.write`, which styles it).
    layer : str, optional
        The layer in the file (by default its stem).
    name : str, optional
        The name shown (by default the layer's title in the file).
    visible : bool, default True
        Shown when the project opens.
    themes : bool, default True
        A map theme (and print layout) per style of the layer, when it has several.
    in_themes : bool, default False
        Shown in every map theme, beside the theme's own layer (a context layer); the others
        are hidden there, as on the library's printed map of an indicator.

    Examples
    --------
    >>> ProjectLayer("communes.gpkg").layer
    'communes'
    """

    path: str | Path
    layer: str | None = None
    name: str | None = None
    visible: bool = True
    themes: bool = True
    in_themes: bool = False

    def __post_init__(self) -> None:
        """Default the layer to the file's stem."""
        if self.layer is None:
            object.__setattr__(self, "layer", Path(self.path).stem)


@dataclass(frozen=True)
class _Style:
    """One style of a layer, as its GeoPackage stores it."""

    name: str
    title: str  # the legend's title
    qml: ET.Element  # the QML's <qgis>
    heading: str = ""  # a printed page's title and subtitle, and how the classes were drawn
    subtitle: str = ""
    method: str = ""


def _style(name: str, title: str, qml: str) -> _Style:
    root = ET.fromstring(qml.split("\n", 1)[1])
    props = {
        str(o.get("name")): str(o.get("value") or "")
        for o in root.findall("./customproperties/Option/Option")
        if str(o.get("name", "")).startswith("erbm_geo/")
    }
    return _Style(
        name,
        title or name,
        root,
        props.get("erbm_geo/heading", ""),
        props.get("erbm_geo/subtitle", ""),
        props.get("erbm_geo/method", ""),
    )


@dataclass
class _Layer:
    """What the project needs to know of one layer."""

    id: str
    name: str
    source: str
    geometry: str
    wkb: str
    crs: CRS
    bounds: tuple[float, float, float, float]
    title: str
    abstract: str
    styles: list[_Style]  # the first is the default
    visible: bool
    themes: bool
    in_themes: bool


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", text)[:40] or "couche"


def _uuid(*parts: object) -> str:
    return "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "|".join(map(str, parts)))) + "}"


def _contents(path: Path, layer: str) -> tuple[str, str]:
    """Return the layer's title and description from ``gpkg_contents`` (QGIS's layer metadata)."""
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = con.execute(
            "SELECT identifier, description FROM gpkg_contents WHERE table_name = ?", (layer,)
        ).fetchone()
    finally:
        con.close()
    return (str(row[0] or layer), str(row[1] or "")) if row else (layer, "")


def _read_layer(spec: ProjectLayer, folder: Path, i: int) -> _Layer:
    path = Path(spec.path)
    layer = str(spec.layer)
    if not path.is_file():
        raise DataNotFoundError(f"no GeoPackage at {path}; write the layer first with erbm_geo.export.write")
    try:
        info = pyogrio.read_info(path, layer=layer)
    except Exception as e:  # pyogrio's errors vary with GDAL: say what to do
        raise DataFormatError(
            f"cannot read layer {layer!r} of {path} ({e}); give a GeoPackage and its layer"
        ) from None
    if info["crs"] is None:
        raise DataFormatError(f"layer {layer!r} of {path} has no CRS; write it with its CRS")
    kind = str(info["geometry_type"]).removeprefix("Multi").removesuffix(" Z")
    if kind not in _KINDS:
        raise DataFormatError(
            f"layer {layer!r} of {path} has geometry type {info['geometry_type']!r}; "
            "a project layer holds points, lines or polygons of one type"
        )
    styles = read_styles(path)
    styles = styles[styles["layer"] == layer].sort_values("default", ascending=False, kind="stable")
    parsed = [
        _style(str(n), str(d or ""), str(q))
        for n, d, q in zip(styles["name"], styles["description"], styles["qml"], strict=True)
    ]
    title, abstract = _contents(path, layer)
    rel = Path(_relative(path, folder)).as_posix()
    return _Layer(
        # QGIS keeps a layer's id only if it is longer than 10 characters (else it makes one up)
        id=f"{_slug(layer)}_{uuid.uuid5(uuid.NAMESPACE_URL, f'{i}|{path.name}|{layer}').hex}",
        name=spec.name or title,
        source=f"{rel if rel.startswith('..') else './' + rel}|layername={layer}",
        geometry=_KINDS[kind],
        wkb=str(info["geometry_type"]).replace(" ", ""),
        crs=CRS.from_user_input(info["crs"]),
        bounds=tuple(float(b) for b in info["total_bounds"]),  # type: ignore[arg-type]
        title=title,
        abstract=abstract,
        styles=parsed,
        visible=spec.visible,
        themes=spec.themes,
        in_themes=spec.in_themes,
    )


def _relative(path: Path, folder: Path) -> str:
    import os

    return os.path.relpath(path.resolve(), folder.resolve())


def _srs(parent: ET.Element, crs: CRS) -> None:
    srs = ET.SubElement(parent, "spatialrefsys")
    ET.SubElement(srs, "wkt").text = crs.to_wkt()
    code = crs.to_authority()
    ET.SubElement(srs, "srid").text = code[1] if code else ""
    ET.SubElement(srs, "authid").text = f"{code[0]}:{code[1]}" if code else ""
    ET.SubElement(srs, "description").text = crs.name
    ET.SubElement(srs, "geographicflag").text = "true" if crs.is_geographic else "false"


def _extent(layers: Sequence[_Layer], crs: CRS) -> tuple[float, float, float, float]:
    xs, ys = [], []
    for lay in layers:
        b = lay.bounds
        if lay.crs != crs:
            b = Transformer.from_crs(lay.crs, crs, always_xy=True).transform_bounds(*b)
        xs += [b[0], b[2]]
        ys += [b[1], b[3]]
    return min(xs), min(ys), max(xs), max(ys)


def _maplayer(parent: ET.Element, lay: _Layer) -> None:
    ml = ET.SubElement(
        parent,
        "maplayer",
        {
            "type": "vector",
            "geometry": lay.geometry,
            "wkbType": lay.wkb,
            "styleCategories": "AllStyleCategories",
        },
    )
    ET.SubElement(ml, "id").text = lay.id
    ET.SubElement(ml, "datasource").text = lay.source
    ET.SubElement(ml, "title").text = lay.title
    ET.SubElement(ml, "abstract").text = lay.abstract
    ET.SubElement(ml, "layername").text = inert(lay.name)
    _srs(ET.SubElement(ml, "srs"), lay.crs)
    meta = ET.SubElement(ml, "resourceMetadata")
    for tag, text in (
        ("identifier", lay.id),
        ("language", "fra"),
        ("type", "dataset"),
        ("title", lay.title),
        ("abstract", lay.abstract),
    ):
        ET.SubElement(meta, tag).text = text
    ET.SubElement(ml, "provider", {"encoding": "UTF-8"}).text = "ogr"
    current = lay.styles[0].name if lay.styles else "défaut"
    manager = ET.SubElement(ml, "map-layer-style-manager", {"current": current})
    for st in lay.styles:
        style = ET.SubElement(manager, "map-layer-style", {"name": st.name})
        if st.name != current:
            style.append(st.qml)
    if not lay.styles:
        ET.SubElement(manager, "map-layer-style", {"name": current})
        return
    for child in lay.styles[0].qml:  # the default style's renderer and aliases, as the layer's own
        ml.append(child)


def _label(
    parent: ET.Element, uid: str, text: str, box: tuple[float, float, float, float], font: str
) -> None:
    item = _item(parent, "65641", uid, box, labelText=layout_text(text), halign="1", valign="32")
    ET.SubElement(item, "LabelFont", {"description": font, "style": ""})
    ET.SubElement(item, "FontColor", {"red": "26", "green": "26", "blue": "26", "alpha": "255"})


def _item(
    parent: ET.Element, kind: str, uid: str, box: tuple[float, float, float, float], **attrs: str
) -> ET.Element:
    x, y, w, h = box
    return ET.SubElement(
        parent,
        "LayoutItem",
        {
            "type": kind,
            "uuid": uid,
            "templateUuid": uid,
            "id": "",
            "position": f"{x:g},{y:g},mm",
            "positionOnPage": f"{x:g},{y:g},mm",
            "size": f"{w:g},{h:g},mm",
            "frame": "false",
            "background": "false",
            "visibility": "1",
            "opacity": "1",
            "referencePoint": "0",
            "zValue": "1",
        }
        | attrs,
    )


def _scale_step(span_m: float) -> float:
    """Return a round segment length (km) so that two segments cover about a fifth of the map."""
    target = span_m / 10 / 1000
    for step in (0.1, 0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100):
        if step >= target:
            return step
    return 100.0


@dataclass(frozen=True)
class _Page:
    """What one print layout shows."""

    name: str
    theme: str | None
    title: str
    subtitle: str
    footer: str
    extent: tuple[float, float, float, float]
    crs: CRS
    legend: tuple[tuple[_Layer, str], ...]  # the theme's layers with their legend headings; () = all


_MAP_BOX = (10.0, 26.0, 200.0, 156.0)  # x, y, width, height in mm on the A4 landscape page


def _layout(parent: ET.Element, page: _Page) -> None:
    """Write one A4 landscape layout: title, subtitle, map, legend, scale bar, north arrow, sources."""
    lo = ET.SubElement(
        parent, "Layout", {"name": page.name, "units": "mm", "printResolution": "300", "worldFileMap": ""}
    )
    pages = ET.SubElement(lo, "PageCollection")
    _item(pages, "65638", _uuid(page.name, "page"), (0, 0, *_A4), background="true", zValue="0")
    mid, width_m = _map(lo, page)
    _label(lo, _uuid(page.name, "title"), page.title, (10, 6, 277, 10), "Sans Serif,15,-1,5,75,0,0,0,0,0")
    _label(
        lo, _uuid(page.name, "subtitle"), page.subtitle, (10, 16, 277, 9), "Sans Serif,8,-1,5,50,0,0,0,0,0"
    )
    _legend(lo, page, mid)
    step = _scale_step(width_m)
    scale = {"style": "Single Box", "unitType": "kilometers", "unitLabel": "km", "numSegments": "2"}
    scale |= {
        "numSegmentsLeft": "0",
        "numUnitsPerSegment": repr(step * 1000),
        "numMapUnitsPerScaleBarUnit": "1000",
    }
    scale |= {"segmentSizeMode": "0", "height": "2", "background": "true", "zValue": "4"}
    _item(lo, "65646", _uuid(page.name, "scale"), (14, 168, 60, 11), mapUuid=mid, **scale)
    north = {
        "file": ":/images/north_arrows/layout_default_north_arrow.svg",
        "northMode": "0",
        "northOffset": "0",
    }
    north |= {"mode": "2", "resizeMode": "0", "zValue": "5"}
    _item(lo, "65640", _uuid(page.name, "north"), (196, 30, 10, 12), mapUuid=mid, **north)
    _label(lo, _uuid(page.name, "sources"), page.footer, (10, 185, 277, 20), "Sans Serif,7,-1,5,50,0,0,0,0,0")


def _map(lo: ET.Element, page: _Page) -> tuple[str, float]:
    """Write the map item (following the page's theme); return its id and its width on the ground."""
    mid = _uuid(page.name, "map")
    mx, my, mw, mh = _MAP_BOX
    attrs = {"followPreset": "true" if page.theme else "false", "followPresetName": page.theme or ""}
    attrs |= {"keepLayerSet": "false", "frame": "true", "background": "true", "mapRotation": "0"}
    m = _item(lo, "65639", mid, (mx, my, mw, mh), drawCanvasItems="true", **attrs)
    from erbm_geo.maps.printed.sheet import _fill  # the printed maps' fit of an extent to a frame

    x0, y0, x1, y1 = page.extent  # with a 2 % margin, fitted to the frame's proportions, centred
    dx, dy = (x1 - x0) * 0.02, (y1 - y0) * 0.02
    box = dict(
        zip(
            ("xmin", "ymin", "xmax", "ymax"),
            _fill(mw / mh, (x0 - dx, y0 - dy, x1 + dx, y1 + dy)),
            strict=True,
        )
    )
    w = box["xmax"] - box["xmin"]
    ET.SubElement(m, "Extent", {k: repr(v) for k, v in box.items()})
    _srs(ET.SubElement(m, "crs"), page.crs)
    ET.SubElement(m, "LayerSet")
    return mid, w


def _legend(lo: ET.Element, page: _Page, mid: str) -> None:
    """Write the legend: the theme's layers only, headed by what they show (as the printed map's)."""
    attrs = {
        "title": "",
        "resizeToContents": "0",
        "symbolWidth": "7",
        "symbolHeight": "4",
        "columnCount": "1",
    }
    attrs |= {"wrapChar": "", "legendFilterByAtlas": "0"}
    legend = _item(lo, "65642", _uuid(page.name, "legend"), (215, 26, 72, 156), map_uuid=mid, **attrs)
    ET.SubElement(legend, "styles")
    if not page.legend:  # every layer of the project, as the layers panel
        return
    tree = ET.SubElement(legend, "layer-tree-group")
    for lay, heading in page.legend:
        node = ET.SubElement(
            tree,
            "layer-tree-layer",
            {
                "id": lay.id,
                "name": inert(lay.name),
                "source": lay.source,
                "providerKey": "ogr",
                "checked": "Qt::Checked",
            },
        )
        props = ET.SubElement(ET.SubElement(node, "customproperties"), "Option", {"type": "Map"})
        ET.SubElement(
            props, "Option", {"name": "legend/title-label", "value": inert(heading), "type": "QString"}
        )


def qgis_project(
    layers: Sequence[ProjectLayer | str | Path],
    path: str | Path,
    *,
    title: str,
    sources: Sequence[str] | Mapping[str, Sequence[str]] = (),
    themes: bool = True,
    layouts: bool = True,
) -> Path:
    """Write a QGIS project over GeoPackages: styled layers, a theme per style, print layouts.

    Parameters
    ----------
    layers : sequence of ProjectLayer, str or pathlib.Path
        The GeoPackages (a path: its layer named like the file), the first drawn on top. Written
        by :func:`erbm_geo.export.write`, they carry their styles; a layer without any is drawn
        in QGIS's default style.
    path : str or pathlib.Path
        The project (``.qgz``, or ``.qgs`` for the bare XML). The layers are referenced by paths
        relative to its folder.
    title : str
        The project's title, and the layouts' title before the theme's name.
    sources : sequence of str, or mapping of str to sequence of str, default ()
        Catalogue names credited at the foot of the layouts (by default the layers'
        descriptions); a mapping gives them per style name (a theme's layout credits its
        style's), ``""`` for the others.
    themes : bool, default True
        A map theme per style of each layer that has several.
    layouts : bool, default True
        A print layout (A4 landscape) per theme, or one without themes.

    Returns
    -------
    pathlib.Path
        The project written.

    Raises
    ------
    DataNotFoundError
        If a GeoPackage is missing.
    DataFormatError
        If a layer cannot be read, has no CRS, or mixes geometry types.
    UnknownOptionError
        If *path* is not a .qgz or .qgs file, or a source is not in the catalogue.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo import export
    >>> from erbm_geo.examples import example_communes
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> gpkg = export.write(example_communes(), d / "communes.gpkg")
    >>> qgis_project([gpkg], d / "essai.qgz", title="Essai").name
    'essai.qgz'
    """
    from erbm_geo.maps.printed.sheet import footer_text

    path = Path(path)
    if path.suffix.lower() not in (".qgz", ".qgs"):
        raise UnknownOptionError(f"a QGIS project is a .qgz or .qgs file, not {path.name!r}")
    specs = [x if isinstance(x, ProjectLayer) else ProjectLayer(x) for x in layers]
    if not specs:
        raise DataNotFoundError("no layer for the project; give at least one GeoPackage")
    lays = [_read_layer(s, path.parent, i) for i, s in enumerate(specs)]
    own = "\n".join(dict.fromkeys(x.abstract for x in lays if x.abstract))
    by_style = dict(sources) if isinstance(sources, Mapping) else {"": sources}
    general = by_style.get("", ())
    footers = {"": footer_text(general) if general else own}
    for st in (
        st for lay in lays for st in lay.styles
    ):  # a style's page credits its sources, says its method
        srcs = by_style.get(st.name, general)
        extra = [st.method] if st.method else []
        footers[st.name] = footer_text(srcs, extra) if srcs else "\n".join([own, *extra])
    xml = _project_xml(lays, title=title, footers=footers, themes=themes, layouts=layouts)
    data = xml.encode("utf-8")
    if path.suffix.lower() == ".qgs":
        write_atomic(path, lambda p: p.write_bytes(data))
        return path
    stamp = build_date().timetuple()[:6]

    def qgz(p: Path) -> None:
        with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
            info = zipfile.ZipInfo(path.with_suffix(".qgs").name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)

    write_atomic(path, qgz)
    return path


def _themes(lays: Sequence[_Layer]) -> list[tuple[str, _Layer, str]]:
    """Return (theme name, its layer, the layer's style) for every style of multi-style layers."""
    out = []
    themed = [lay for lay in lays if lay.themes and len(lay.styles) > 1]
    names = [st.name for lay in themed for st in lay.styles]
    for lay in themed:
        for st in lay.styles:
            out.append((st.name if names.count(st.name) == 1 else f"{st.name} ({lay.name})", lay, st.name))
    return out


def _project_xml(
    lays: Sequence[_Layer], *, title: str, footers: Mapping[str, str], themes: bool, layouts: bool
) -> str:
    footer = footers[""]
    crs = lays[0].crs if lays[0].crs.is_projected else CRS.from_epsg(2154)
    root = ET.Element("qgis", {"projectname": title, "version": "3.22.0"})
    ET.SubElement(root, "homePath", {"path": ""})
    ET.SubElement(root, "title").text = title
    _srs(ET.SubElement(root, "projectCrs"), crs)
    _layer_tree(root, lays)
    props = ET.SubElement(root, "properties")
    ET.SubElement(ET.SubElement(props, "Paths"), "Absolute", {"type": "bool"}).text = "false"
    # QGIS 3.22 reads the project's CRS only when this says projections are on
    ET.SubElement(ET.SubElement(props, "SpatialRefSys"), "ProjectionsEnabled", {"type": "int"}).text = "1"
    chosen = _themes(lays) if themes else []
    _presets(root, lays, chosen)
    meta = ET.SubElement(root, "projectMetadata")
    for tag, text in (("language", "fra"), ("type", "dataset"), ("title", title), ("abstract", footer)):
        ET.SubElement(meta, tag).text = text
    ET.SubElement(meta, "creation").text = build_date().strftime("%Y-%m-%dT%H:%M:%S")
    los = ET.SubElement(root, "Layouts")
    if layouts:
        ext = _extent(lays, crs)
        for name, lay, style in chosen:
            st = next(x for x in lay.styles if x.name == style)
            head = st.heading or f"{title} : {st.title}"
            shown = tuple(
                (x, _legend_title(x, style) if x is lay else x.name) for x in lays if x is lay or x.in_themes
            )
            page = _Page(f"Carte A4 — {name}", name, head, st.subtitle, footers[style], ext, crs, shown)
            _layout(los, page)
        if not chosen:
            _layout(los, _Page("Carte A4", None, title, "", footer, ext, crs, ()))
    ET.indent(root, " ")
    return (
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, "unicode") + "\n"
    )


def _layer_tree(root: ET.Element, lays: Sequence[_Layer]) -> None:
    """Write the layers panel, the layers themselves and their drawing order (first on top)."""
    tree = ET.SubElement(root, "layer-tree-group")
    for lay in lays:
        checked = "Qt::Checked" if lay.visible else "Qt::Unchecked"
        ET.SubElement(
            tree,
            "layer-tree-layer",
            {
                "id": lay.id,
                "name": inert(lay.name),
                "source": lay.source,
                "providerKey": "ogr",
                "checked": checked,
            },
        )
    project_layers = ET.SubElement(root, "projectlayers")
    for lay in lays:
        _maplayer(project_layers, lay)
    order = ET.SubElement(root, "layerorder")
    for lay in lays:
        ET.SubElement(order, "layer", {"id": lay.id})


def _presets(root: ET.Element, lays: Sequence[_Layer], chosen: Sequence[tuple[str, _Layer, str]]) -> None:
    """Write a map theme per style: its layer in that style, and the layers shown in every theme."""
    presets = ET.SubElement(root, "visibility-presets")
    for name, lay, style in chosen:
        p = ET.SubElement(
            presets,
            "visibility-preset",
            {"name": name, "has-expanded-info": "0", "has-checked-group-info": "0"},
        )
        for other in lays:
            if other.in_themes or other is lay:
                own = style if other is lay else (other.styles[0].name if other.styles else "défaut")
                ET.SubElement(p, "layer", {"id": other.id, "visible": "1", "style": own, "expanded": "1"})


def _legend_title(lay: _Layer, style: str) -> str:
    """Return the style's legend title (the indicator's label and unit), else its name."""
    return next((st.title for st in lay.styles if st.name == style), style)
