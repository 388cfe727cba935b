"""Reference layers of a printed map: what surrounds the mapped data and locates it.

:class:`Background` is plain data (pass your own layers); :func:`background` fills it from the
built-in layers (mirror or upstream download).
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np

from erbm_geo.errors import MissingColumnError
from erbm_geo.geom.validate import check_layer

__all__ = ["Background", "background"]


@dataclass(frozen=True)
class Background:
    """Layers drawn around the data of a static map, all optional.

    Parameters
    ----------
    region : GeoDataFrame, optional
        Polygons that locate the map in the inset (e.g. the départements), with an optional
        ``nom`` column printed in the inset.
    neighbours : GeoDataFrame, optional
        Polygons drawn in light grey under the data (e.g. all communes of the two départements),
        so that the edge of the mapped area reads as an edge.
    outlines : GeoDataFrame, optional
        Boundaries drawn over the data (e.g. the EPCI).
    towns : GeoDataFrame, optional
        Points labelled on the map, with a ``nom`` column and an optional integer ``rang``
        (0 = main town, drawn in bold and placed first).
    outline : GeoDataFrame, optional
        The study area shaded in the inset (e.g. the basin's outline).
    sources : tuple of str
        Catalogue names of these layers, credited in the footer.

    Examples
    --------
    >>> from erbm_geo.examples import example_communes
    >>> bg = Background(neighbours=example_communes(), sources=("cog_communes",))
    >>> bg.towns is None
    True
    """

    region: gpd.GeoDataFrame | None = None
    neighbours: gpd.GeoDataFrame | None = None
    outlines: gpd.GeoDataFrame | None = None
    towns: gpd.GeoDataFrame | None = None
    outline: gpd.GeoDataFrame | None = None
    sources: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Check every layer given (CRS, geometries) and bring it to EPSG:2154."""
        for field in ("region", "neighbours", "outlines", "towns", "outline"):
            layer = getattr(self, field)
            if layer is not None:
                object.__setattr__(self, field, check_layer(layer, name=f"Background.{field}"))
        if self.towns is not None and "nom" not in self.towns.columns:
            raise MissingColumnError(
                "Background.towns needs a 'nom' column (the names to print); "
                f"it has {list(self.towns.columns)}"
            )


def background() -> Background:
    """Return the built-in background.

    Départements (inset), communes of the Nord and Pas-de-Calais (grey surroundings), the 8 EPCI of the
    ERBM (outlines), the centralities — the 8 main ones in bold, then the *Action cœur de ville* and
    *Petites villes de demain* towns — and the basin's outline.

    Returns
    -------
    Background
        The Nord and Pas-de-Calais communes (grey surroundings), the EPCI outlines, the main
        towns and the départements for the inset.

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
    >>> bg = background()
    >>> len(bg.region), int((bg.towns["rang"] == 0).sum())
    (2, 8)
    """
    from erbm_geo import layers

    towns = layers.centres(level="acv_pvd")[["nom", "geometry"]].copy()
    main = layers.centres(level="main").index
    towns["rang"] = np.where(towns.index.isin(main), 0, 1)
    return Background(
        region=layers.departements(),
        neighbours=layers.communes(territory="nord_pas_de_calais")[["nom", "geometry"]],
        outlines=layers.epci()[["nom_epci", "geometry"]],
        towns=towns,
        outline=layers.basin_outline(),
        sources=("communes_59", "communes_62", "cog_epci", "mairies", "acv_pvd_ort"),
    )
