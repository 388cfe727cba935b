"""What QGIS reads in a GeoPackage: its ``layer_styles`` table and the layer's QGIS metadata.

The table is QGIS's own (``QgsOgrProviderUtils::saveStyle`` creates it the same way, and GDAL,
GeoServer and ArcGIS Pro know it): one row per style with its QML and SLD, the default one
flagged ``useAsDefault``. It is registered in ``gpkg_contents`` as an attribute table, as QGIS
registers it; ``ogrinfo`` therefore lists it after the layer, and ``geopandas.read_file`` warns
that the file holds two tables unless it is given the layer's name.

The layer's title and abstract are also written as QGIS layer metadata (a ``gpkg_metadata`` row
in QGIS's format, which QGIS reads when it opens the layer), besides ``gpkg_contents``.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from erbm_geo.errors import DataFormatError
from erbm_geo.export.metadata import build_date
from erbm_geo.export.qgis.style import LayerStyle, to_qml, to_sld

__all__ = ["embed_metadata", "embed_styles", "read_styles"]

_CREATE = """
CREATE TABLE "layer_styles" (
 "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
 "f_table_catalog" TEXT(256), "f_table_schema" TEXT(256), "f_table_name" TEXT(256),
 "f_geometry_column" TEXT(256), "styleName" TEXT(30), "styleQML" TEXT, "styleSLD" TEXT,
 "useAsDefault" BOOLEAN, "description" TEXT, "owner" TEXT(30), "ui" TEXT(30),
 "update_time" DATETIME DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))
"""
_TRIGGERS = (
    'CREATE TRIGGER "trigger_insert_feature_count_layer_styles" AFTER INSERT ON "layer_styles" '
    "BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count + 1 "
    "WHERE lower(table_name) = lower('layer_styles'); END",
    'CREATE TRIGGER "trigger_delete_feature_count_layer_styles" AFTER DELETE ON "layer_styles" '
    "BEGIN UPDATE gpkg_ogr_contents SET feature_count = feature_count - 1 "
    "WHERE lower(table_name) = lower('layer_styles'); END",
)


def embed_styles(path: str | Path, layer: str, styles: Sequence[LayerStyle], *, geometry_column: str) -> None:
    """Write *styles* into the ``layer_styles`` table of the GeoPackage *path*, the first as default.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoPackage the library is writing (the table is created; one already there is an error).
    layer : str
        The styled layer.
    styles : sequence of LayerStyle
        Its styles; the first is the one QGIS applies when it opens the layer.
    geometry_column : str
        The layer's geometry column.

    Raises
    ------
    DataFormatError
        If the file already has a ``layer_styles`` table, or two styles share a name.
    InvalidOptionError
        If ``SOURCE_DATE_EPOCH`` (the build date) is not a whole number of seconds.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo import export
    >>> from erbm_geo.examples import example_communes
    >>> p = export.write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "c.gpkg")
    >>> read_styles(p)[["name", "default"]].values.tolist()
    [['Surface en QPV', True]]
    """
    names = [s.name for s in styles]
    if len(set(names)) != len(names):
        raise DataFormatError(f"two styles share a name in {names}; give each style its own name")
    when = build_date().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con = sqlite3.connect(str(path))
    try:
        with con:
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone():
                raise DataFormatError(f"{path} already has a layer_styles table; write a new file")
            con.execute(_CREATE)
            con.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) "
                "VALUES ('layer_styles', 'attributes', 'layer_styles', '', ?)",
                (when,),
            )
            counted = con.execute("SELECT 1 FROM sqlite_master WHERE name = 'gpkg_ogr_contents'").fetchone()
            if counted:
                con.execute(
                    "INSERT INTO gpkg_ogr_contents (table_name, feature_count) VALUES ('layer_styles', 0)"
                )
                for t in _TRIGGERS:
                    con.execute(t)
            con.executemany(
                'INSERT INTO layer_styles ("f_table_catalog", "f_table_schema", "f_table_name", '
                '"f_geometry_column", "styleName", "styleQML", "styleSLD", "useAsDefault", "description", '
                "\"owner\", \"ui\", \"update_time\") VALUES ('', '', ?, ?, ?, ?, ?, ?, ?, '', '', ?)",
                [
                    (layer, geometry_column, s.name, to_qml(s), to_sld(s, layer), int(i == 0), s.title, when)
                    for i, s in enumerate(styles)
                ],
            )
    finally:
        con.close()


def read_styles(path: str | Path) -> pd.DataFrame:
    """Return the styles a GeoPackage carries in its ``layer_styles`` table.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoPackage.

    Returns
    -------
    pandas.DataFrame
        One row per style: ``layer``, ``name``, ``default`` (QGIS applies it on opening),
        ``description``, ``qml``, ``sld``; empty when the file has none.

    Raises
    ------
    DataFormatError
        If the file is not an SQLite database (not a GeoPackage).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo import export
    >>> from erbm_geo.examples import example_communes
    >>> p = export.write(example_communes(), pathlib.Path(tempfile.mkdtemp()) / "c.gpkg")
    >>> bool(read_styles(p)["qml"].str.contains("RuleRenderer").all())
    True
    """
    cols = ["layer", "name", "default", "description", "qml", "sld"]
    try:
        con = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
        try:
            if not con.execute("SELECT 1 FROM sqlite_master WHERE name = 'layer_styles'").fetchone():
                return pd.DataFrame(columns=cols)
            rows = con.execute(
                'SELECT "f_table_name", "styleName", "useAsDefault", "description", "styleQML", "styleSLD" '
                "FROM layer_styles ORDER BY id"
            ).fetchall()
        finally:
            con.close()
    except sqlite3.DatabaseError as e:
        raise DataFormatError(f"{path} is not a GeoPackage ({e}); give a .gpkg file") from None
    out = pd.DataFrame(rows, columns=cols)
    out["default"] = out["default"].astype(bool)
    return out


def embed_metadata(path: str | Path, layer: str, *, title: str, abstract: str) -> None:
    """Write the layer's title and abstract as QGIS layer metadata into the GeoPackage *path*.

    QGIS shows them in the layer's properties (Information, Metadata) and its browser.

    Parameters
    ----------
    path : str or pathlib.Path
        A GeoPackage the library is writing.
    layer : str
        The layer.
    title, abstract : str
        Its French title and its description (sources, vintages).

    Raises
    ------
    InvalidOptionError
        If ``SOURCE_DATE_EPOCH`` (the build date) is not a whole number of seconds.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from erbm_geo import export
    >>> from erbm_geo.examples import example_communes
    >>> g = example_communes()
    >>> g.attrs["title"] = "Communes inventées"
    >>> p = export.write(g, pathlib.Path(tempfile.mkdtemp()) / "c.gpkg")
    >>> "<title>Communes inventées</title>" in p.read_bytes().decode("utf-8", "replace")
    True
    """
    root = ET.Element("qgis", {"version": "3.22.0"})
    for tag, text in (
        ("identifier", layer),
        ("parentidentifier", ""),
        ("language", "fra"),
        ("type", "dataset"),
    ):
        ET.SubElement(root, tag).text = text
    ET.SubElement(root, "title").text = title
    ET.SubElement(root, "abstract").text = abstract
    for tag in ("links", "fees", "encoding"):
        ET.SubElement(root, tag)
    ET.indent(root, " ")
    doc = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(root, "unicode") + "\n"
    when = build_date().strftime("%Y-%m-%dT%H:%M:%S.000Z")
    con = sqlite3.connect(str(path))
    try:
        with con:
            cur = con.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES ('dataset', 'http://mrcc.com/qgis.dtd', 'text/xml', ?)",
                (doc,),
            )
            con.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, "
                "row_id_value, timestamp, md_file_id, md_parent_id) "
                "VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (layer, when, cur.lastrowid),
            )
    finally:
        con.close()
