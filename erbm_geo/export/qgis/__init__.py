"""QGIS: the styles every GeoPackage carries, and projects that open the layers styled.

* :mod:`~erbm_geo.export.qgis.style`: a layer's style (the atlas's classes and colours) as QML
  and SLD.
* :mod:`~erbm_geo.export.qgis.gpkg`: the styles written into a GeoPackage's standard
  ``layer_styles`` table, and the layer's title and abstract as QGIS metadata, which QGIS reads
  when it opens the layer.
* :mod:`~erbm_geo.export.qgis.project`: a project (``.qgz``) over GeoPackages, with a map theme
  per style and A4 print layouts.
"""

from __future__ import annotations

from erbm_geo.export.qgis.gpkg import embed_metadata, embed_styles, read_styles
from erbm_geo.export.qgis.project import ProjectLayer, qgis_project
from erbm_geo.export.qgis.style import (
    MISSING_COLOUR,
    Condition,
    LayerStyle,
    StyleRule,
    default_styles,
    expression,
    inert,
    layer_style,
    layout_text,
    to_qml,
    to_sld,
)

__all__ = [
    "MISSING_COLOUR",
    "Condition",
    "LayerStyle",
    "ProjectLayer",
    "StyleRule",
    "default_styles",
    "embed_metadata",
    "embed_styles",
    "expression",
    "inert",
    "layer_style",
    "layout_text",
    "qgis_project",
    "read_styles",
    "to_qml",
    "to_sld",
]
