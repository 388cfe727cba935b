"""Open GeoPackages and QGIS projects in real QGIS and say what it sees (run by Debian's python3).

Run by :mod:`tests.qgis_tools` in a subprocess with the system python3 and Debian's ``python3-qgis``
(never the project's venv: QGIS's bindings belong to the system python). It imports nothing of
erbm_geo: it reports what QGIS reads, as JSON on stdout, and renders PNGs for people to look at.

    python3 tests/qgis_probe.py layer FILE.gpkg LAYER OUT.png
    python3 tests/qgis_probe.py project FILE.qgz OUTDIR
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (
    QgsApplication,
    QgsExpression,
    QgsExpressionContextUtils,
    QgsLayoutExporter,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
    QgsRenderContext,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def _rules(layer: QgsVectorLayer) -> list[dict[str, object]]:
    r = layer.renderer()
    if r is None or r.type() != "RuleRenderer":
        return []
    out = []
    for rule in r.rootRule().children():
        sym = rule.symbol()
        out.append(
            {
                "label": rule.label(),
                "filter": rule.filterExpression(),
                "else": rule.isElse(),
                "colour": sym.color().name() if sym is not None else None,
                "key": rule.ruleKey(),
            }
        )
    return out


def _classes(layer: QgsVectorLayer, id_field: str | None) -> dict[str, list[str]]:
    """The legend entries QGIS draws each feature with, by the value of *id_field* (or fid)."""
    r = layer.renderer().clone()
    ctx = QgsRenderContext()
    ctx.expressionContext().appendScopes(QgsExpressionContextUtils.globalProjectLayerScopes(layer))
    labels = {rule.ruleKey(): rule.label() for rule in r.rootRule().children()}
    r.startRender(ctx, layer.fields())
    out: dict[str, list[str]] = {}
    for f in layer.getFeatures():
        ctx.expressionContext().setFeature(f)
        key = str(f[id_field]) if id_field else str(f.id())
        out[key] = sorted(labels[k] for k in r.legendKeysForFeature(f, ctx) if k in labels)  # not the root
    r.stopRender(ctx)
    return out


def _render(layers: list[QgsVectorLayer], png: str, width: int = 1000) -> None:
    ms = QgsMapSettings()
    ms.setLayers(layers)
    ext = layers[0].extent()
    for lay in layers[1:]:
        ext.combineExtentWith(lay.extent())
    ext.scale(1.05)
    ms.setDestinationCrs(layers[0].crs())
    ms.setExtent(ext)
    ms.setOutputSize(QSize(width, max(1, int(width * ext.height() / max(ext.width(), 1e-9)))))
    ms.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(ms)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(png, "PNG")


def layer(path: str, name: str, png: str, id_field: str | None) -> dict[str, object]:
    """What QGIS reads of one layer of a GeoPackage, opened as a user opens it."""
    lay = QgsVectorLayer(f"{path}|layername={name}", name, "ogr")
    out: dict[str, object] = {"valid": lay.isValid()}
    if not lay.isValid():
        return out
    _n, _ids, names, descriptions, _err = lay.listStylesInDatabase()
    md = lay.metadata()
    out |= {
        "type": QgsWkbTypes.displayString(lay.wkbType()),
        "count": lay.featureCount(),
        "crs": lay.crs().authid(),
        "title": md.title(),
        "abstract": md.abstract(),
        "styles": list(names),
        "style_descriptions": list(descriptions),
        "renderer": lay.renderer().type() if lay.renderer() else None,
        "rules": _rules(lay),
        "aliases": {f.name(): f.alias() for f in lay.fields() if f.alias()},
        "classes": _classes(lay, id_field) if lay.renderer().type() == "RuleRenderer" else {},
    }
    _render([lay], png)
    return out


def _legend(item: object) -> list[list[object]]:
    """The legend's layer titles and entries as QGIS prints them (its expressions evaluated)."""
    model = item.model()  # type: ignore[attr-defined]
    ctx = item.createExpressionContext()  # type: ignore[attr-defined]
    out: list[list[object]] = []
    for node in model.rootGroup().findLayers():
        title = node.customProperty("legend/title-label") or node.name()
        entries = [n.evaluateLabel(ctx) for n in model.layerLegendNodes(node)]
        out.append([QgsExpression.replaceExpressionText(title, ctx), entries])
    return out


def project(path: str, outdir: str) -> dict[str, object]:
    """What QGIS reads of a project: layers, themes, layouts; every layout exported to PNG."""
    prj = QgsProject.instance()
    ok = prj.read(path)
    out: dict[str, object] = {"read": ok, "title": prj.title(), "crs": prj.crs().authid()}
    layers = []
    for node in prj.layerTreeRoot().findLayers():
        lay = node.layer()
        layers.append(
            {
                "name": node.name(),
                "valid": lay is not None and lay.isValid(),
                "visible": node.isVisible(),
                "source": lay.source() if lay is not None else None,
                "renderer": lay.renderer().type() if lay is not None and lay.isValid() else None,
                "rules": _rules(lay) if lay is not None and lay.isValid() else [],
                "styles": lay.styleManager().styles() if lay is not None else [],
                "title": lay.metadata().title() if lay is not None else "",
            }
        )
    out["layers"] = layers
    themes = prj.mapThemeCollection()
    out["themes"] = {
        t: sorted(
            [r.layer().name(), r.currentStyle]
            for r in themes.mapThemeState(t).layerRecords()
            if r.layer() is not None
        )
        for t in themes.mapThemes()
    }
    layouts = []
    for lo in prj.layoutManager().printLayouts():
        items = sorted(
            type(i).__name__
            for i in lo.items()
            if hasattr(i, "uuid") and type(i).__name__ != "QgsLayoutItemPage"
        )
        png = os.path.join(outdir, f"{os.path.basename(path)}-layout-{len(layouts)}.png")
        settings = QgsLayoutExporter.ImageExportSettings()
        settings.dpi = 100
        status = QgsLayoutExporter(lo).exportToImage(png, settings)
        page = lo.pageCollection().page(0)
        layouts.append(
            {
                "name": lo.name(),
                "items": items,
                "export": int(status),
                "png": png,
                "page_mm": [page.pageSize().width(), page.pageSize().height()],
                "texts": sorted(
                    i.currentText() for i in lo.items() if type(i).__name__ == "QgsLayoutItemLabel"
                ),
                "legend": [_legend(i) for i in lo.items() if type(i).__name__ == "QgsLayoutItemLegend"],
            }
        )
    out["layouts"] = layouts
    return out


def main(argv: list[str]) -> int:
    app = QgsApplication([], False)
    app.initQgis()
    try:
        if argv[1] == "layer":
            result = layer(argv[2], argv[3], argv[4], argv[5] if len(argv) > 5 else None)
        else:
            result = project(argv[2], argv[3])
        print(json.dumps(result, ensure_ascii=False))
    finally:
        QgsProject.instance().clear()
        app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
