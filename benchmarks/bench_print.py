"""Printed maps: drawing the basin's map with one artist per class against geopandas ``.plot()``
(the same picture, asserted), then a page and a map book per EPCI, with their PDF sizes.

Run: ``python -m benchmarks.bench_print`` (writes the ``print`` section of docs/benchmarks.md).
"""

from __future__ import annotations

import tempfile
import time
import warnings
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.image import imread
from matplotlib.testing.compare import calculate_rms

import erbm_geo as eg
from benchmarks._common import best_of, machine, write_section
from erbm_geo.maps.classify import classify
from erbm_geo.maps.printed.cartography import draw_geometries
from erbm_geo.maps.vocabulary import INDICATEURS, couleurs

matplotlib.use("Agg")


def _axes() -> tuple[object, object]:
    fig = plt.figure(figsize=(10.9, 4.4), dpi=100)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    return fig, ax


def main() -> None:
    warnings.simplefilter("ignore")
    t = eg.indicators.indicator_table(of="communes")
    bg = eg.maps.background()
    ind = INDICATEURS["qpv_share"]
    cls, labels = classify(t["qpv_share"].to_numpy(), ind.nombre)
    pal = couleurs(ind.palette, len(labels))
    x0, y0, x1, y1 = t.total_bounds
    cx, cy, w = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) * 1.05
    lim = (cx - w / 2, cx + w / 2), (cy - w / 2 * 4.4 / 10.9, cy + w / 2 * 4.4 / 10.9)
    near = bg.neighbours[bg.neighbours.intersects(shapely.box(lim[0][0], lim[1][0], lim[0][1], lim[1][1]))]
    style = {"edgecolor": "#5a5a5a", "linewidth": 0.25}

    def ours() -> object:
        fig, ax = _axes()
        draw_geometries(ax, near.geometry.values, facecolor="#efefef", edgecolor="#cfcfcf", linewidth=0.3)
        for i, c in enumerate(pal):
            draw_geometries(ax, t.geometry.values[cls == i], color=c, **style)
        draw_geometries(
            ax, shapely.boundary(bg.outlines.geometry.values), color="#333333", linewidth=0.8, zorder=5
        )
        ax.set_xlim(*lim[0])
        ax.set_ylim(*lim[1])
        fig.canvas.draw()
        return fig

    def geopandas_plot() -> object:
        fig, ax = _axes()
        near.plot(ax=ax, facecolor="#efefef", edgecolor="#cfcfcf", linewidth=0.3)
        for i, c in enumerate(pal):
            t[cls == i].plot(ax=ax, color=c, **style)
        bg.outlines.boundary.plot(ax=ax, color="#333333", linewidth=0.8, zorder=5)
        ax.set_xlim(*lim[0])
        ax.set_ylim(*lim[1])
        fig.canvas.draw()
        return fig

    t_ours, f_ours = best_of(ours, 3)
    t_gpd, f_gpd = best_of(geopandas_plot, 3)
    with tempfile.TemporaryDirectory() as d:
        a, b = Path(d) / "ours.png", Path(d) / "gpd.png"
        f_ours.savefig(a)
        f_gpd.savefig(b)
        rms = calculate_rms((imread(a)[..., :3] * 255).astype(int), (imread(b)[..., :3] * 255).astype(int))
        assert rms < 5.0, rms  # the same picture (edges antialiased in another order)
        plt.close("all")

        t0 = time.perf_counter()
        fig = eg.maps.static_map(t, column="qpv_share", background=bg)
        page = Path(d) / "page.pdf"
        eg.maps.save_figure(fig, page)
        t_page = time.perf_counter() - t0
        plt.close("all")
        t0 = time.perf_counter()
        book = eg.maps.map_book(t, Path(d) / "book.pdf", column="qpv_share", background=bg)
        t_book = time.perf_counter() - t0
        n_pages = 1 + t["siren_epci"].nunique()
        kb_page, mb_book = page.stat().st_size / 1e3, book.stat().st_size / 1e6
    print(
        f"draw: ours {t_ours:.3f} s, geopandas {t_gpd:.3f} s; page {t_page:.2f} s; "
        f"book {n_pages} pages {t_book:.1f} s"
    )
    write_section(
        "print",
        f"""## Printed maps ({machine()})

| step | erbm_geo | geopandas `.plot()` | ratio |
|---|---|---|---|
| draw the basin's communes by class, neighbours and EPCI outlines (best of 3) \
| {t_ours:.3f} s | {t_gpd:.3f} s | ×{t_gpd / t_ours:.1f} |

The two pictures are asserted the same: RMS difference {rms:.1f} on a 0–255 scale (< 5), all of
it in the antialiasing of shared edges, drawn in another order.

One A4 page of `qpv_share` with background, legend, inset and footer, written to PDF:
{t_page:.2f} s, {kb_page:.0f} KB. A map book by EPCI ({n_pages} pages, A4 portrait):
{t_book:.1f} s ({t_book / n_pages:.2f} s per page), {mb_book:.1f} MB. Polygons are drawn as one
compound path per class (holes kept by orientation), clipped to the view and simplified to one
dot at 300 dpi.""",
    )


if __name__ == "__main__":
    np.seterr(all="ignore")
    main()
