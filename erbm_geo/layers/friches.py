"""Friches (brownfields).

Cartofriches aggregates per commune, the programme's strategic sites, and a loader for the full Cartofriches
sites file for users who have it.

The mirror holds only per-commune aggregates of Cartofriches (Cerema, extract dated in the catalogue):
number of sites, by type, by status, total surface. **Site geometry is not available offline**;
:func:`cartofriches_sites` reads the national sites CSV (with coordinates) when the user provides it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo import settings
from erbm_geo._deprecation import renamed_kwarg
from erbm_geo._text import fold
from erbm_geo._warnings import warn
from erbm_geo.data import cached_layer
from erbm_geo.data.facts import read_fact_table
from erbm_geo.errors import DataFormatError, DataNotFoundError, DataQualityWarning
from erbm_geo.geom.validate import check_columns
from erbm_geo.layers._io import read_json_mapping
from erbm_geo.layers.territory import TerritoryName, codes_from_names
from erbm_geo.layers.territory import communes as _communes

__all__ = [
    "CARTOFRICHES_COLUMNS",
    "cartofriches_sites",
    "friches_communes",
    "strategic_sites",
    "warn_quality",
]


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", fold(s)).strip("_")


@renamed_kwarg("perimeter", "territory")
def friches_communes(*, territory: TerritoryName = "bassin_minier", warn: bool = True) -> gpd.GeoDataFrame:
    """Return the communes of *territory* with their Cartofriches aggregates.

    Parameters
    ----------
    territory : {"bassin_minier", "erbm", "bassin_minier_erbm", "nord_pas_de_calais"}, default "bassin_minier"
        The communes returned.
    warn : bool, default True
        Issue the :class:`~erbm_geo.errors.DataQualityWarning` for the flagged communes.

    Returns
    -------
    geopandas.GeoDataFrame
        The commune layer plus ``friches_n`` (sites referenced), ``friches_surface_m2``,
        ``friches_per_km2``, ``friches_surface_share`` (surface / commune area), one
        ``friches_type_<type>`` and one ``friches_statut_<status>`` count column per category
        present. Communes without any referenced site have 0 (Cartofriches lists only communes
        with sites).

        ``friches_surface_quality`` is ``"ok"`` or ``"surface_exceeds_commune"``: where the
        Cartofriches surface is larger than the commune itself (an upstream surface error, e.g.
        Bruay-sur-l'Escaut: 11 times its area), the surface and the share are NA — a share
        is never published above 1. The source values are kept in ``friches_surface_m2_source``
        and listed in ``attrs["quality"]``; a :class:`~erbm_geo.errors.DataQualityWarning`
        counts them.

    Raises
    ------
    UnknownOptionError
        If *territory* is unknown.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> f = friches_communes()
    >>> int(f["friches_n"].sum()) > 0, len(f)
    (True, 250)
    """
    allf = cached_layer(
        "friches_communes_5962",
        ("cartofriches_communes", "communes_59", "communes_62", "cog_communes", "cog_epci"),
        _build_friches,
    )
    out = allf.loc[_communes(territory=territory).index]
    if warn:
        warn_quality(out)
    return out


def _build_friches() -> gpd.GeoDataFrame:
    c = _communes(territory="nord_pas_de_calais")
    rows = read_json_mapping("cartofriches_communes", "communes")
    recs = []
    for code in c.index:
        r = rows.get(code) or {}
        rec: dict[str, float] = {
            "friches_n": r.get("n", 0),
            "friches_surface_m2": r.get("total_surface_m2", 0) or 0,
        }
        for k, v in (r.get("by_type") or {}).items():
            rec[f"friches_type_{_slug(k)}"] = v
        for k, v in (r.get("by_status") or {}).items():
            rec[f"friches_statut_{_slug(k)}"] = v
        recs.append(rec)
    table = pd.DataFrame(recs, index=c.index).fillna(0)
    table = table.astype({col: "int64" for col in table.columns})
    out = c.join(table)
    out["friches_per_km2"] = out["friches_n"] / out["area_km2"]
    source = out["friches_surface_m2"].astype("float64")
    share = source / (out["area_km2"] * 1e6)
    impossible = (share > 1).to_numpy()
    out["friches_surface_m2_source"] = source
    out["friches_surface_m2"] = source.where(~impossible)
    out["friches_surface_share"] = share.where(~impossible)
    out["friches_surface_quality"] = pd.array(
        np.where(impossible, "surface_exceeds_commune", "ok"), dtype="string"
    )
    quality = [
        {
            "dataset": "cartofriches_communes",
            "code_insee": str(code),
            "nom": str(r["nom"]),
            "column": "friches_surface_m2",
            "value": float(r["friches_surface_m2_source"]),
            "commune_area_m2": float(r["area_km2"]) * 1e6,
            "problem": "surface_exceeds_commune",
        }
        for code, r in out[impossible].iterrows()
    ]
    out.attrs = {
        **c.attrs,
        "sources": [*c.attrs.get("sources", []), "cartofriches_communes"],
        "quality": quality,
    }
    return out


def warn_quality(f: gpd.GeoDataFrame, codes: Iterable[str] | None = None) -> None:
    """Issue one DataQualityWarning for the flagged communes of *f* (among *codes* if given).

    Parameters
    ----------
    f : geopandas.GeoDataFrame
        The result of :func:`friches_communes` (its ``attrs["quality"]``).
    codes : iterable of str, optional
        Only the flagged communes among these (default: all of *f*).

    Examples
    --------
    >>> import warnings
    >>> f = gpd.GeoDataFrame({"nom": ["Commune A"]}, geometry=[None],
    ...                      index=pd.Index(["99001"], name="code_insee"))
    >>> f.attrs["quality"] = [{"code_insee": "99001", "nom": "Commune A"}]
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     warn_quality(f)
    >>> [type(w.message).__name__ for w in caught]
    ['DataQualityWarning']
    """
    keep = set(f.index if codes is None else codes)
    bad = [q for q in f.attrs.get("quality", []) if q["code_insee"] in keep]
    if bad:
        names = ", ".join(f"{q['nom']} {q['code_insee']}" for q in bad)
        warn(
            DataQualityWarning(
                f"cartofriches_communes: {len(bad)} commune(s) have a friche surface larger than the "
                f"commune ({names}); their surface "
                "and share are NA (friches_surface_quality, attrs['quality'])",
                columns=("friches_surface_m2", "friches_surface_share", "friches_surface_quality"),
            )
        )


def strategic_sites() -> gpd.GeoDataFrame:
    """Return the strategic brownfield / mining sites named by the programme documents.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per site with its ``source`` document, ``code_insee``/``codes_insee``, and a
        geometry only where ``location_layer``/``location_key`` name it in an open layer.

    Raises
    ------
    DataFormatError
        If a location key matches several features of its layer.
    DataNotFoundError
        If a source file is neither in the mirror nor downloadable (set ``ERBM_GEO_DATA``).
    ChecksumError
        If a source file does not have its catalogued sha256.
    DataFormatError
        If a source file cannot be parsed as the catalogue describes it.

    Examples
    --------
    >>> s = strategic_sites()
    >>> s.loc["Base 11/19", "code_insee"], bool(s.loc["Base 11/19"].geometry.is_empty)
    ('62528', False)
    """
    from erbm_geo.layers import heritage

    t = read_fact_table("strategic_sites")
    first = t["communes"].str.split(";").str[0]
    t["code_insee"] = codes_from_names(first)
    t["codes_insee"] = [";".join(codes_from_names(s.split(";"))) for s in t["communes"]]
    geoms = np.full(len(t), None, dtype=object)
    for i, (layer, key) in enumerate(zip(t["location_layer"], t["location_key"], strict=True)):
        if isinstance(layer, str) and layer:
            g = heritage.HERITAGE_LAYERS[layer]()
            hit = g[g["id_unesco"] == key]
            if len(hit) != 1:
                raise DataFormatError(f"strategic site location {layer}:{key} matches {len(hit)} rows")
            geoms[i] = hit.geometry.iloc[0].representative_point()
    from shapely import Point

    geoms = np.array([g if g is not None else Point() for g in geoms], dtype=object)
    out = gpd.GeoDataFrame(t.drop(columns=["communes"]), geometry=geoms, crs=settings.crs)
    out["communes"] = t["communes"].to_numpy()
    return out.set_index("site")


#: Columns of the Cartofriches national sites CSV that :func:`cartofriches_sites` needs.
CARTOFRICHES_COLUMNS = (
    "site_id",
    "site_nom",
    "comm_insee",
    "site_type",
    "site_statut",
    "latitude",
    "longitude",
)


def cartofriches_sites(path: str | Path) -> gpd.GeoDataFrame:
    r"""Read the Cartofriches sites CSV (``friches-standard-*.csv``, not in the mirror).

    Parameters
    ----------
    path : str or Path
        The national CSV as downloaded from data.gouv.fr (comma- or semicolon-separated, UTF-8).

    Returns
    -------
    geopandas.GeoDataFrame
        One point per site with coordinates, EPSG:2154, index ``site_id``; ``site_nom``,
        ``code_insee``, ``site_type``, ``site_statut`` and, when present, ``unite_fonciere_surface``.
        Sites without coordinates are listed in ``attrs["without_coordinates"]`` (not dropped
        silently).

    Raises
    ------
    DataNotFoundError, MissingColumnError, DataFormatError

    Examples
    --------
    An invented two-site file in the national CSV's layout:

    >>> import tempfile, pathlib
    >>> csv = pathlib.Path(tempfile.mkdtemp()) / "friches-standard-exemple.csv"
    >>> _ = csv.write_text(
    ...     "site_id;site_nom;comm_insee;site_type;site_statut;latitude;longitude\n"
    ...     "S1;Ancienne fosse;99001;friche industrielle;friche sans projet;50.4;2.8\n"
    ...     "S2;Site sans coordonnées;99002;friche industrielle;friche sans projet;;\n",
    ...     encoding="utf-8")
    >>> sites = cartofriches_sites(csv)
    >>> sites.index.tolist(), sites.attrs["without_coordinates"]
    (['S1'], ['S2'])
    """
    p = Path(path)
    if not p.is_file():
        raise DataNotFoundError(
            f"Cartofriches sites file not found: {p}. Download « friches-standard » CSV from "
            "https://www.data.gouv.fr/fr/datasets/cartofriches-friches-urbaines-et-industrielles/"
        )
    try:
        df = pd.read_csv(p, sep=None, engine="python", dtype={"comm_insee": str, "site_id": str})
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise DataFormatError(f"cannot parse {p} as the Cartofriches CSV: {exc}") from exc
    check_columns(df, CARTOFRICHES_COLUMNS, name=str(p))
    lat = pd.to_numeric(df["latitude"], errors="coerce")
    lon = pd.to_numeric(df["longitude"], errors="coerce")
    ok = lat.notna() & lon.notna() & lat.between(-90, 90) & lon.between(-180, 180)
    keep = ["site_id", "site_nom", "comm_insee", "site_type", "site_statut"]
    if "unite_fonciere_surface" in df:
        keep.append("unite_fonciere_surface")
    out = gpd.GeoDataFrame(
        df.loc[ok, keep].rename(columns={"comm_insee": "code_insee"}),
        geometry=gpd.points_from_xy(lon[ok], lat[ok]),
        crs="EPSG:4326",
    )
    out = out.to_crs(settings.crs).set_index("site_id")
    out.attrs["without_coordinates"] = df.loc[~ok, "site_id"].tolist()
    return out
