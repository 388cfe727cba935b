"""Raster surfaces on maps: a Folium overlay (reprojected to Web Mercator) and a matplotlib figure."""

from __future__ import annotations

import base64
import io
from typing import Any

import folium
import numpy as np

from erbm_geo.errors import UnknownOptionError
from erbm_geo.maps.interactive.folium_map import add_legend, map_state
from erbm_geo.maps.style import INERT_TEXT, escape, fmt_number
from erbm_geo.raster.grid import Grid

__all__ = ["add_raster", "plot_raster"]


def _colormap(cmap: str) -> Any:
    """Return the matplotlib colormap named *cmap*, or raise :class:`UnknownOptionError`."""
    from matplotlib import colormaps

    try:
        return colormaps[cmap]
    except KeyError:
        raise UnknownOptionError(
            f"unknown colormap {cmap!r}; use a matplotlib colormap name, e.g. 'viridis' or 'YlOrRd'"
        ) from None


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

    Parameters
    ----------
    m : folium.Map
        The map.
    array : numpy.ndarray of float
        The surface; NaN is transparent.
    grid : Grid
        Its grid.
    name : str
        The layer's name in the layer control and legend.
    cmap : str, default "viridis"
        A matplotlib colormap.
    opacity : float, default 0.7
        The overlay's opacity.
    unit : str, default ""
        The unit shown in the legend.
    max_pixels : int, default 1500000
        Larger arrays are downsampled to about this many pixels.

    Returns
    -------
    folium.Map
        *m*, for chaining.

    Raises
    ------
    UnknownOptionError
        If *cmap* is not a colormap, or *m* already has a layer called *name*.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.maps import new_map, to_html
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> grid = basin_grid(resolution=200, area=example_communes().union_all())
    >>> d = distance_surface(example_centres(), grid=grid)
    >>> m = add_raster(new_map(basemap=None), d, grid, name="Distance", unit="m")
    >>> "data:image/png;base64" in to_html(m)
    True
    """
    from matplotlib.image import imsave
    from rasterio.warp import Resampling, calculate_default_transform, reproject

    colormap = _colormap(cmap)
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
    rgba = colormap(np.nan_to_num(norm, nan=0.0))
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
    cols = [to_hex(colormap(f)) for f in np.linspace(0, 1, 5)]
    suffix = f" {unit}" if unit else ""
    add_legend(m, name, [(fmt_number(float(s)) + suffix, c) for s, c in zip(stops, cols, strict=True)])
    return m


def plot_raster(
    array: np.ndarray, grid: Grid, *, title: str = "", cmap: str = "viridis", unit: str = "", ax: Any = None
) -> Any:
    """Return a matplotlib figure of the surface in Lambert-93 with a colour bar.

    Parameters
    ----------
    array : numpy.ndarray of float
        The surface; NaN is left blank.
    grid : Grid
        Its grid.
    title : str, default ""
        The figure's title.
    cmap : str, default "viridis"
        A matplotlib colormap.
    unit : str, default ""
        The colour bar's label.
    ax : matplotlib.axes.Axes, optional
        Draw there (default: a new figure).

    Returns
    -------
    matplotlib.figure.Figure
        The figure.

    Raises
    ------
    UnknownOptionError
        If *cmap* is not a colormap.

    Examples
    --------
    >>> from erbm_geo.examples import example_centres, example_communes
    >>> from erbm_geo.raster import basin_grid, distance_surface
    >>> grid = basin_grid(resolution=200, area=example_communes().union_all())
    >>> fig = plot_raster(distance_surface(example_centres(), grid=grid), grid, unit="m")
    >>> len(fig.axes)  # the map and its colour bar
    2
    """
    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    colormap = _colormap(cmap)
    with plt.rc_context(INERT_TEXT):  # title and unit are shown as given, never as mathtext
        if ax is None:  # outside pyplot's registry (no window, no "more than 20 figures")
            fig = plt.figure(figsize=(11.69, 8.27))
            plt.close(fig)
            FigureCanvasAgg(fig)
            ax = fig.add_subplot()
        else:
            fig = ax.figure
        left, bottom, right, top = grid.bounds
        im = ax.imshow(array, extent=(left, right, bottom, top), cmap=colormap, origin="upper")
        fig.colorbar(im, ax=ax, shrink=0.6, label=unit)
        ax.set_title(title, loc="left")
        ax.set_axis_off()
    return fig
