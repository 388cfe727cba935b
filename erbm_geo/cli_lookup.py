"""The work of ``erbm-geo where``: one place answered in French, or a file of places answered row by row.

The command itself (its options) is in :mod:`erbm_geo.cli`; this module reads the places, calls
:func:`erbm_geo.lookup.lookup` and writes the answers beside every input column, in the input's
order, with the report of the rows that could not be answered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from erbm_geo import settings
from erbm_geo.errors import UnknownOptionError

__all__ = ["FileReport", "answer_file", "answer_point"]

_FORMATS = ("csv", "xlsx", "gpkg")


def answer_point(text: str, *, lonlat: bool = False) -> str:
    """Return the French answer for one place given as « latitude, longitude » text.

    Parameters
    ----------
    text : str
        The coordinates as copied from a map (see :func:`erbm_geo.lookup.parse_point`).
    lonlat : bool, default False
        The longitude comes first.

    Returns
    -------
    str
        The answer of :func:`erbm_geo.lookup.describe`, after a line giving the point read.

    Raises
    ------
    InvalidOptionError
        If the text is not a usable pair of coordinates.

    Examples
    --------
    >>> print(answer_point("50.4322, 2.8319").splitlines()[1])  # doctest: +SKIP
    Commune : Lens (62498), dans le Bassin minier
    """
    from erbm_geo.lookup import describe, lookup, parse_point
    from erbm_geo.vocabulary import nombre

    lon, lat = parse_point(text, lonlat=lonlat)
    row = lookup([(lon, lat)]).iloc[0]
    return f"Point : latitude {nombre(lat, 5)}, longitude {nombre(lon, 5)}\n{describe(row)}"


@dataclass
class FileReport:
    """What happened to the rows of a file: how many, which could not be answered and why."""

    rows: int = 0
    unusable: list[int] = field(default_factory=list)
    outside: list[int] = field(default_factory=list)
    padded: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)
    not_found: list[int] = field(default_factory=list)
    unreliable: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        """Return the warnings to print, one per kind of problem, with line numbers."""
        out = []
        for lines, what in (
            (
                self.unusable,
                "have no usable coordinates (kept with empty answers; see the column 'remarque')",
            ),
            (self.outside, "lie outside the Nord and the Pas-de-Calais (no commune, IRIS or friche site)"),
            (self.not_found, "have an address the geocoding service did not find (kept without answers)"),
            (
                self.unreliable,
                "have an address matched with a score under the threshold (kept without answers; "
                "see geocode_label and geocode_score)",
            ),
            (self.padded, "have fewer fields than the header (the missing ones left empty)"),
            (self.extra, "have more fields than the header (kept in the column 'champs_en_trop')"),
        ):
            if lines:
                shown = ", ".join(map(str, lines[:20])) + (", …" if len(lines) > 20 else "")
                out.append(f"{len(lines)} of {self.rows} rows {what}: lines {shown}")
        for mine, theirs in self.renamed.items():
            out.append(f"the file already has a column {mine!r}: the answer's is named {theirs!r}")
        return out


def _geocoded(
    places: pd.DataFrame, address: Sequence[str], min_score: float, report: FileReport
) -> pd.DataFrame:
    """Return the point of each row's address (its columns joined by spaces), its match and score."""
    from erbm_geo.errors import MissingColumnError
    from erbm_geo.lookup import geocode

    missing = [c for c in address if c not in places.columns]
    if missing:
        raise MissingColumnError(
            f"no column {missing} among {list(places.columns)[:20]}: name the address columns"
        )
    text = places[address[0]].astype(str)
    for c in address[1:]:
        text = text + " " + places[c].astype(str)
    found = geocode(text, min_score=min_score)
    report.not_found = [int(x) for x in found.attrs["not_found"]]
    report.unreliable = [int(x) for x in found.attrs["unreliable"]]
    return found


def _joined(places: pd.DataFrame, answers: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """Every input column first, in order, then the answers (renamed where a name is taken)."""
    taken = set(places.columns)
    renamed = {c: f"{c}_ici" for c in answers.columns if c in taken}
    table = pd.concat([places, answers.rename(columns=renamed)], axis=1)
    table.index.name = None  # the line numbers serve the report; the file keeps its own columns
    return table, renamed


def answer_file(
    path: Path,
    out: Path,
    *,
    lat: str | None = None,
    lon: str | None = None,
    sep: str | None = None,
    dialect: str = "standard",
    address: Sequence[str] = (),
    min_score: float = 0.5,
) -> FileReport:
    """Answer every row of the CSV file *path* and write the table to *out* (.csv, .xlsx, .gpkg).

    Parameters
    ----------
    path : pathlib.Path
        A CSV file of places with latitude and longitude columns (see
        :func:`erbm_geo.lookup.files.read_places`).
    out : pathlib.Path
        The answers: every input column and row in order, then the columns of
        :func:`erbm_geo.lookup.lookup`; an XLSX adds the French dictionary and the sources, a
        GeoPackage the points (EPSG:2154; rows without coordinates have no geometry).
    lat, lon : str, optional
        The coordinate columns (default: the usual names found in the header).
    sep : str, optional
        The CSV separator (default: detected).
    dialect : {"standard", "fr"}, default "standard"
        For a .csv *out*: ``"fr"`` for French spreadsheets.
    address : sequence of str, optional
        Geocode the address held in these columns (joined by spaces) through the
        Géoplateforme's service (online, :func:`erbm_geo.lookup.geocode`) instead of reading
        coordinates; the point found, the label matched and its score are kept beside each row.
    min_score : float, default 0.5
        With *address*: matches scoring below it are flagged and left unanswered.

    Returns
    -------
    FileReport
        The rows read and those that could not be (fully) answered, by line number.

    Raises
    ------
    UnknownOptionError
        If *out* is not .csv, .xlsx or .gpkg, or the dialect does not apply.
    MissingColumnError, EmptyInputError, DataFormatError
        If the file has no usable coordinate columns, no row, or a broken header.
    GeocodingError
        With *address*, if the geocoding service cannot be reached (offline) or misanswers.

    Examples
    --------
    >>> report = answer_file(Path("logements.csv"), Path("reponses.xlsx"))  # doctest: +SKIP
    """
    from erbm_geo.lookup import lookup
    from erbm_geo.lookup.files import guess_coordinates, read_places
    from erbm_geo.lookup.points import to_points

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in _FORMATS:
        raise UnknownOptionError(f"unsupported format {out.suffix!r}; use .csv, .xlsx or .gpkg")
    if dialect == "fr" and fmt != "csv":
        raise UnknownOptionError("--dialect applies to .csv files only")
    places = read_places(path, sep=sep)
    report = FileReport(
        rows=len(places), padded=list(places.attrs["padded"]), extra=list(places.attrs["extra"])
    )
    if address:
        found = _geocoded(places, address, min_score, report)
        pts = to_points(found, lat="geocode_lat", lon="geocode_lon")
        places = pd.concat([places, found], axis=1)
    else:
        lat_col, lon_col = guess_coordinates(places, lat=lat, lon=lon)
        pts = to_points(places, lat=lat_col, lon=lon_col)
    answers = lookup(pts)
    if address:  # a row left without a point says why: not found, or a score under the threshold
        why = np.where(
            places["geocode_score"].isna(),
            "adresse non trouvée",
            "adresse trouvée avec un score sous le seuil",
        )
        answers["remarque"] = answers["remarque"].mask(~places["geocode_fiable"].to_numpy(), why)
    table, renamed = _joined(places, answers)
    report.unusable = [] if address else [int(x) for x in answers.attrs["unusable"]]
    report.outside = [int(x) for x in answers.attrs["outside"]]
    report.renamed = renamed
    geometry = pts.geometry.copy()
    geometry[~pts.ok] = None  # no coordinates, no geometry (the row is kept)
    _write(
        table,
        out,
        fmt,
        dialect,
        answers,
        renamed,
        gpd.GeoSeries(geometry, index=table.index, crs=settings.crs),
    )
    return report


def _write(
    table: pd.DataFrame,
    out: Path,
    fmt: str,
    dialect: str,
    answers: pd.DataFrame,
    renamed: dict[str, str],
    geometry: gpd.GeoSeries,
) -> None:
    from erbm_geo.export import write
    from erbm_geo.maps.vocabulary import dictionnaire, sources_fr
    from erbm_geo.vocabulary import registry

    reg = registry()
    names = sorted({s for c in answers.columns if c in reg for s in reg[c].sources})
    sources = sources_fr(names)
    dico, decimals = dictionnaire(list(table.columns))
    back = {v: k for k, v in renamed.items()}
    for row in dico:  # an answer renamed after a column of the file keeps its label
        if row["colonne"] in back:
            row.update(
                {k: v for k, v in dictionnaire([back[row["colonne"]]])[0][0].items() if k != "colonne"}
            )
    decimals = {renamed.get(k, k): v for k, v in decimals.items() if renamed.get(k, k) in table.columns}
    frame: pd.DataFrame = table
    if fmt == "gpkg":
        frame = gpd.GeoDataFrame(table, geometry=geometry, crs=settings.crs)
        frame.attrs["title"] = f"Qu'y a-t-il ici ? Réponses pour {out.stem}"
    write(
        frame,
        out,
        sources=sources,
        dialect=dialect,  # type: ignore[arg-type]
        decimals=decimals if (fmt == "xlsx" or dialect == "fr") else None,
        dictionary=pd.DataFrame(dico) if fmt == "xlsx" else None,
        missing_geometry="keep",
    )
