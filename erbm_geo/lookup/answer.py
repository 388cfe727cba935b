"""One answer of :func:`~erbm_geo.lookup.lookup` said in French, for a person rather than a table."""

from __future__ import annotations

import pandas as pd

from erbm_geo.vocabulary import column, nombre

__all__ = ["describe"]


def libelle(name: str) -> str:
    """Return the full French label of a column (not the short one of narrow places)."""
    return column(name).label


def _has(row: pd.Series, col: str) -> bool:
    return col in row.index and not pd.isna(row[col])


def _km(metres: float) -> str:
    return f"{nombre(metres / 1000, 1)} km"


def _near(row: pd.Series, col: str, dist_col: str, what: str = "") -> str | None:
    if not _has(row, col):
        return None
    dist = row.get(dist_col)
    at = f", à {_km(float(dist))}" if dist is not None and not pd.isna(dist) else ""
    return f"{libelle(col)} : {row[col]}{what}{at}"


def _where(row: pd.Series) -> list[str]:
    if not _has(row, "code_insee"):
        return []
    basin = "dans le Bassin minier" if bool(row.get("in_basin")) else "hors du Bassin minier"
    lines = [
        f"Commune : {row['nom_commune']} ({row['code_insee']}), {basin}",
        f"{libelle('nom_epci')} : {row['nom_epci']} ({row['siren_epci']})",
    ]
    if _has(row, "code_iris"):
        lines.append(f"{libelle('nom_iris')} : {row['nom_iris']} ({row['code_iris']})")
    return lines


def _qpv(row: pd.Series) -> str:
    if _has(row, "qpv_code"):
        return f"{libelle('qpv_nom')} : {row['qpv_nom']} ({row['qpv_code']})"
    if _has(row, "qpv_distance_m"):
        return f"{libelle('qpv_nom')} : aucun, le plus proche à {_km(float(row['qpv_distance_m']))}"
    return f"{libelle('qpv_nom')} : aucun"


def _unesco(row: pd.Series) -> str:
    statut = row["unesco_statut"]
    if statut == "bien inscrit":
        return f"{libelle('unesco_statut')} : dans le bien inscrit, élément n° {row['unesco_element']}"
    if statut == "zone tampon":
        return f"{libelle('unesco_statut')} : dans la zone tampon du bien inscrit"
    return f"{libelle('unesco_statut')} : ni dans le bien inscrit ni dans sa zone tampon"


def _cite(row: pd.Series) -> str:
    if not _has(row, "cite_id"):
        return f"{libelle('cite_nom')} : aucune"
    erbm = "oui" if bool(row["erbm_programme"]) else "non"
    text = f"{libelle('cite_nom')} : {row['cite_nom']} ({row['type_cite']}), programme ERBM : {erbm}"
    n = int(row["cites_n"]) if _has(row, "cites_n") else 1
    return text + (f" ; {n} cités se chevauchent ici" if n > 1 else "")


def describe(row: pd.Series) -> str:
    """Return one row of :func:`~erbm_geo.lookup.lookup` as a few lines of French.

    Parameters
    ----------
    row : pandas.Series
        One row of the table :func:`~erbm_geo.lookup.lookup` returns.

    Returns
    -------
    str
        One line per answer (commune and EPCI, IRIS, QPV, UNESCO, cité, nearest station,
        centre and friche site), the labels from the vocabulary registry, numbers in French; the
        ``remarque`` first when there is one, alone when the row has no usable coordinates.

    Raises
    ------
    KeyError
        If *row* is not a row of :func:`~erbm_geo.lookup.lookup` (no ``unesco_statut``).

    Examples
    --------
    >>> row = pd.Series({"unesco_statut": "aucun", "qpv_distance_m": 1234.0, "remarque": ""})
    >>> print(describe(row))
    Quartier prioritaire (QPV) : aucun, le plus proche à 1,2 km
    Patrimoine mondial UNESCO : ni dans le bien inscrit ni dans sa zone tampon
    Cité minière : aucune
    """
    note = row.get("remarque")
    lines = [f"{libelle('remarque')} : {note}"] if isinstance(note, str) and note else []
    if pd.isna(row["unesco_statut"]):  # no usable coordinates: the remark says why
        return "\n".join(lines)
    lines += [*_where(row), _qpv(row), _unesco(row), _cite(row)]
    statut = f" ({row['friche_site_statut']})" if _has(row, "friche_site_statut") else ""
    for line in (
        _near(row, "station_proche", "station_proche_distance_m"),
        _near(row, "centre_proche", "centre_proche_distance_m"),
        _near(row, "friche_site_nom", "friche_site_distance_m", statut),
    ):
        if line is not None:
            lines.append(line)
    return "\n".join(lines)
