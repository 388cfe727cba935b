"""Raster surfaces on maps: a Folium overlay (reprojected to Web Mercator) and a matplotlib figure."""

from __future__ import annotations

import base64
import io
from typing import Any

import folium
import numpy as np

from erbm_geo.maps.interactive import add_legend, map_state
from erbm_geo.maps.style import INERT_TEXT, escape, fmt_number
from erbm_geo.raster.grid import Grid

__all__ = ["add_raster", "plot_raster"]


def add_raster(
    m: folium.Map,
    array: np.ndarray,
    grid: Grid,
    *,
    name: str,
    cmap: str = "viridis",
    opacity: float = 0.7,
    unit: str = "",
    max_pixels: int = 1_500_000,
) -> folium.Map:
    """Overlay a raster surface on *m*, with a legend of five colour stops.

    The array is reprojected to EPSG:3857 (the projection Leaflet draws in) before being
    embedded as a PNG, so it lines up with the vector layers; large arrays are downsampled to
    about *max_pixels* pixels to keep the HTML light.
    """
    from matplotlib import colormaps
    from matplotlib.image import imsave
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    map_state(m).claim(name)
    h, w = array.shape
    scale = max(1.0, float(np.sqrt(h * w / max_pixels)))
    left, bottom, right, top = grid.bounds
    dst_t, dw, dh = calculate_default_transform(
        grid.crs, "EPSG:3857", w, h, left, bottom, right, top, resolution=grid.resolution * scale * 1.4
    )
    dst = np.full((dh, dw), np.nan, dtype="float32")
    reproject(
        array.astype("float32"),
        dst,
        src_transform=grid.transform,
        src_crs=grid.crs,
        dst_transform=dst_t,
        dst_crs="EPSG:3857",
        src_nodata=np.nan,
        dst_nodata=np.nan,
        resampling=Resampling.bilinear,
    )
    lo, hi = float(np.nanmin(array)), float(np.nanmax(array))
    norm = (dst - lo) / (hi - lo if hi > lo else 1.0)
    rgba = colormaps[cmap](np.nan_to_num(norm, nan=0.0))
    rgba[..., 3] = np.where(np.isnan(dst), 0.0, opacity)
    buf = io.BytesIO()
    imsave(buf, rgba, format="png")
    uri = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    from pyproj import Transformer

    tr = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    x0, y1 = dst_t.c, dst_t.f
    x1, y0 = x0 + dw * dst_t.a, y1 + dh * dst_t.e
    (lon0, lon1), (lat0, lat1) = tr.transform([x0, x1], [y0, y1])
    # the layer control inserts the name as HTML (and folium renders it through a template)
    folium.raster_layers.ImageOverlay(
        uri,
        bounds=[[lat0, lon0], [lat1, lon1]],
        name=escape(name),
        opacity=1.0,
        interactive=False,
        cross_origin=False,
        zindex=1,
    ).add_to(m)
    from matplotlib.colors import to_hex

    stops = np.linspace(lo, hi, 5)
    cols = [to_hex(colormaps[cmap](f)) for f in np.linspace(0, 1, 5)]
    suffix = f" {unit}" if unit else ""
    add_legend(m, name, [(fmt_number(float(s)) + suffix, c) for s, c in zip(stops, cols, strict=True)])
    return m


def plot_raster(
    array: np.ndarray, grid: Grid, *, title: str = "", cmap: str = "viridis", unit: str = "", ax: Any = None
) -> Any:
    """Return a matplotlib figure of the surface in Lambert-93 with a colour bar."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    with plt.rc_context(INERT_TEXT):  # title and unit are shown as given, never as mathtext
        if ax is None:
            fig, ax = plt.subplots(figsize=(11.69, 8.27))
        else:
            fig = ax.figure
        left, bottom, right, top = grid.bounds
        im = ax.imshow(array, extent=(left, right, bottom, top), cmap=cmap, origin="upper")
        fig.colorbar(im, ax=ax, shrink=0.6, label=unit)
        ax.set_title(title, loc="left")
        ax.set_axis_off()
    return fig
