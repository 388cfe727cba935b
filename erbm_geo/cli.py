"""The ``erbm-geo`` command line.

Exit codes: 0 success; 2 user or environment error — bad option, missing data, bad input (an
:class:`erbm_geo.errors.ErbmGeoError`), or a file that cannot be read or written (read-only
folder, a path under a regular file, disk full: the path and the cause are printed); 1 an
unexpected failure (a bug: ``ERBM_GEO_DEBUG=1`` shows the traceback).

Warnings (a defect found in a source dataset, a cache entry rebuilt…) are printed as one line
each on standard error: ``warning: <what, where, consequence>``; library users get them as
Python warnings.
"""

from __future__ import annotations

import io
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from erbm_geo import settings
from erbm_geo._warnings import concerns
from erbm_geo.errors import ErbmGeoError, ErbmGeoWarning

__all__ = ["cli", "main", "run"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--quiet", "-q", is_flag=True, help="Only print errors and warnings.")
@click.option(
    "--data-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Folder of the erbm-data mirror (default: ERBM_GEO_DATA or ../shared/erbm-data).",
)
@click.version_option(package_name="erbm_geo")
def cli(quiet: bool, data_dir: Path | None) -> None:
    """erbm_geo: layers, indicators, maps and the atlas of the Bassin minier."""
    from erbm_geo._epoch import build_datetime

    build_datetime()  # a SOURCE_DATE_EPOCH that is not a date is refused before any work
    if quiet:
        settings.verbose = False
    if data_dir is not None:
        settings.data_dir = data_dir


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Return *text* safe for a terminal: control characters (escape sequences…) shown escaped.

    Paths, names and messages may hold characters that a terminal would obey (an escape sequence
    in a file name can rewrite the screen or the window title): they are printed visibly instead.
    Newlines and tabs are kept.
    """
    return _CONTROL.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), str(text))


def _echo(msg: str) -> None:
    if settings.verbose:
        click.echo(printable(msg))


def _progress(msg: str) -> None:
    if settings.verbose:
        click.echo(printable(f"… {msg}"), err=True)


def _announce_data() -> None:
    """Say where the data comes from (a wrong --data-dir must not go unnoticed)."""
    where = (
        str(settings.data_dir)
        if settings.data_dir is not None
        else "none (datasets are downloaded into the cache)"
    )
    _progress(f"data: {where}; prepared layers cached in {settings.cache_dir}")


#: The --dialect option of the commands that write CSV.
_DIALECT = click.option(
    "--dialect",
    type=click.Choice(["standard", "fr"]),
    default="standard",
    show_default=True,
    help="CSV only: 'fr' for French spreadsheets (BOM, semicolons, decimal comma, oui/non, "
    "values rounded per column).",
)


@cli.command()
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the atlas into.",
)
@click.option(
    "--basemap",
    type=click.Choice(["ign", "carto", "none"]),
    default="ign",
    show_default=True,
    help="Background the maps open with when the reader is online (IGN Plan or CARTO; "
    "every map offers all); 'none' opens them on the offline context alone.",
)
def atlas(out: Path, basemap: str) -> None:
    """Build the publishable HTML atlas of the basin into OUT."""
    from erbm_geo.atlas import build_atlas

    _announce_data()
    index = build_atlas(out, basemap=None if basemap == "none" else basemap, progress=_progress)
    _echo(f"atlas written: {index}")


@cli.command()
def layers() -> None:
    """List the built-in layers with their feature counts and sources."""
    from erbm_geo.layers import LAYERS

    _announce_data()
    items = list(LAYERS.values())
    with click.progressbar(
        items, label="loading layers", file=sys.stderr, hidden=not settings.verbose
    ) as bar:
        rows = [(info, len(info.loader())) for info in bar]
    for info, n in rows:
        click.echo(f"{info.name:24} {n:6d}  {info.title}  [{', '.join(info.sources)}]")


@cli.command()
@click.option(
    "--of",
    "of",
    default="communes",
    show_default=True,
    help="'communes' or 'cites' (one row per commune or cité of --territory), or the PATH of "
    "your own layer: a file GDAL reads, or a GeoParquet file or folder (--engine dask).",
)
@click.option(
    "--territory",
    default="bassin_minier",
    show_default=True,
    help="A territory name (bassin_minier, erbm, bassin_minier_erbm, nord_pas_de_calais) or "
    "comma-separated INSEE codes of communes and SIREN codes of EPCI of the Nord "
    "and Pas-de-Calais, e.g. 200093201 for the Métropole Européenne de Lille.",
)
@click.option("--perimeter", default=None, hidden=True, help="Former name of --territory.")
@click.option(
    "--out",
    required=True,
    type=click.Path(path_type=Path),
    help="Output file: .csv, .gpkg, .parquet or .xlsx (with the data sources; .xlsx "
    "adds a French dictionary of the columns). With --engine dask: a folder of GeoParquet files.",
)
@_DIALECT
@click.option(
    "--engine",
    type=click.Choice(["memory", "dask"]),
    default="memory",
    show_default=True,
    help="'dask': read the layer of --of partition by partition and write the table the same way, "
    "never holding the whole layer (needs pip install 'erbm_geo[dask]').",
)
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="With --engine dask: the address of a running dask scheduler (e.g. tcp://10.0.0.5:8786); "
    "by default the work runs on this machine's cores.",
)
@click.option(
    "--year",
    type=int,
    default=None,
    help="With --of communes: the population of this INSEE vintage (column population_YEAR, on "
    "today's communes) instead of the current one; the other indicators have one vintage each.",
)
def indicators(
    of: str,
    territory: str,
    perimeter: str | None,
    out: Path,
    dialect: str,
    engine: str,
    scheduler: str | None,
    year: int | None,
) -> None:
    """Compute the indicator table and write it to OUT."""
    from erbm_geo.errors import UnknownOptionError
    from erbm_geo.layers.population import POPULATION_YEARS

    if year is not None and year not in POPULATION_YEARS:
        raise UnknownOptionError(
            f"--year {year}: no population vintage for that year; available: "
            f"{', '.join(map(str, POPULATION_YEARS))}"
        )
    if year is not None and of != "communes":
        raise UnknownOptionError("--year applies with --of communes (the population of each commune)")

    if scheduler is not None:
        _check_scheduler(scheduler)
    if engine == "dask":
        if of in ("communes", "cites"):
            raise UnknownOptionError(
                "--engine dask is for your own large layer: give its path with --of (a GeoParquet "
                "file or folder); the communes and cités fit in memory"
            )
        _announce_data()
        _indicators_partitioned(Path(of), out, scheduler)
        return
    if scheduler is not None:
        raise UnknownOptionError("--scheduler applies with --engine dask only")
    _indicators_in_memory(of, perimeter or territory, out, dialect, year)


_SCHEDULER = re.compile(
    r"(?P<scheme>tcp|tls)://(?P<host>[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])"
    r":(?P<port>[0-9]{1,5})"
)


def _check_scheduler(address: str) -> None:
    """Refuse a --scheduler value that is not a dask scheduler address, before any work."""
    from erbm_geo.errors import InvalidOptionError

    m = _SCHEDULER.fullmatch(address.strip())
    if m is None or not 0 < int(m["port"]) < 65536:
        raise InvalidOptionError(
            f"--scheduler {address!r} is not the address of a dask scheduler; give it as "
            "tcp://HOST:PORT (e.g. tcp://10.0.0.5:8786, as `dask scheduler` prints it), or tls://…"
        )


def _indicators_in_memory(of: str, territory: str, out: Path, dialect: str, year: int | None = None) -> None:
    import pandas as pd

    from erbm_geo.errors import UnknownOptionError
    from erbm_geo.export import FORMATS, write
    from erbm_geo.indicators import indicator_table
    from erbm_geo.layers import user_layer
    from erbm_geo.maps.vocabulary import dictionnaire, sources_fr

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise UnknownOptionError(
            f"unsupported export format {out.suffix!r}; use .csv, .gpkg, .parquet or .xlsx"
        )
    if dialect == "fr" and fmt != "csv":
        raise UnknownOptionError("--dialect applies to .csv files only")
    _announce_data()
    if of in ("communes", "cites"):
        _progress(f"computing the {of} indicators for {territory}")
        table = indicator_table(territory=territory, of=of)  # type: ignore[arg-type]
        if year is not None:  # the population of that vintage, said by its column name
            from erbm_geo.layers import population_history

            history = population_history(territory=territory)[year].reindex(table.index)
            at = list(table.columns).index("population")
            table = table.drop(columns="population")
            table.insert(at, f"population_{year}", history.to_numpy())
    else:
        _progress(f"computing the indicators of {of}")
        table = indicator_table(user_layer(Path(of), name=Path(of).name))
    quoi = {"communes": "des communes", "cites": "des cités minières"}.get(of, f"de {Path(of).name}")
    table.attrs["title"] = (
        f"Indicateurs {quoi} ({territory})" if of in ("communes", "cites") else f"Indicateurs {quoi}"
    )
    dico, decimals = dictionnaire([c for c in table.reset_index().columns if c != table.geometry.name])
    write(
        table,
        out,
        sources=sources_fr(),  # in French, as the atlas's downloads
        dialect=dialect,  # type: ignore[arg-type]
        decimals=decimals if (fmt == "xlsx" or dialect == "fr") else None,
        dictionary=pd.DataFrame(dico) if fmt == "xlsx" else None,
    )
    _echo(f"{len(table)} rows written: {out}")


def _indicators_partitioned(path: Path, out: Path, scheduler: str | None) -> None:
    """Read *path* partition by partition, compute the table lazily, write it to the folder *out*."""
    from erbm_geo.export import write, write_partitioned
    from erbm_geo.indicators import indicator_table
    from erbm_geo.layers.partitioned import read_partitioned
    from erbm_geo.maps.vocabulary import sources_fr

    layer = read_partitioned(path, name=path.name)
    _progress(f"{path}: {layer.npartitions} partition(s); computing the indicators partition by partition")
    table = indicator_table(layer)
    with _dask_runner(scheduler) as run:
        write_partitioned(table, out, spatial_order=None, run=run)
    write(sources_fr(), out / "_sources.csv")  # beside the parts (Parquet readers skip "_" files)
    _echo(f"{table.npartitions} partition(s) written: {out}")


@contextmanager
def _dask_runner(scheduler: str | None) -> Iterator[Callable[[Any], object]]:
    """Give a function that runs dask work with a progress bar, locally or on *scheduler*."""
    from erbm_geo.geom.partitioned import require_dask

    require_dask()
    if scheduler is None:
        from dask.diagnostics.progress import ProgressBar

        def local(work: Any) -> object:
            if not settings.verbose:
                return work.compute()
            with ProgressBar(dt=1.0, out=sys.stderr):
                return work.compute()

        yield local
        return
    from distributed import Client, progress

    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, ValueError, TypeError) as exc:
        raise ErbmGeoError(
            f"cannot reach the dask scheduler at {scheduler} ({exc}); check the address "
            "(tcp://host:8786) and that the scheduler is running"
        ) from exc

    def remote(work: Any) -> object:
        future = client.compute(work)
        if settings.verbose:
            progress(future)  # a text bar on standard error, until the work is done
        return future.result()

    with client:
        yield remote


@cli.command()
@click.option("--from", "start", type=int, default=None, help="First vintage compared [default: the first].")
@click.option("--to", "end", type=int, default=None, help="Last vintage compared [default: the last].")
@click.option(
    "--territory",
    default="bassin_minier",
    show_default=True,
    help="A territory name or comma-separated INSEE / SIREN codes of the Nord and Pas-de-Calais.",
)
@click.option(
    "--by",
    type=click.Choice(["commune", "epci", "territory"]),
    default="commune",
    show_default=True,
    help="One row per commune, per EPCI (sums of its communes of the territory), or one for the "
    "whole territory.",
)
@click.option("--long", "long_form", is_flag=True, help="With --by commune: one row per commune and vintage.")
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file: .csv, .parquet or .xlsx (with a French dictionary saying each vintage).",
)
@_DIALECT
def evolution(
    start: int | None, end: int | None, territory: str, by: str, long_form: bool, out: Path, dialect: str
) -> None:
    """Write the population of every vintage and its change from --from to --to to OUT."""
    from erbm_geo.errors import UnknownOptionError
    from erbm_geo.layers.population import POPULATION_YEARS

    years = list(POPULATION_YEARS)
    for flag, year in (("--from", start), ("--to", end)):
        if year is not None and year not in years:
            raise UnknownOptionError(
                f"{flag} {year}: no population vintage for that year; available: {', '.join(map(str, years))}"
            )
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("csv", "parquet", "xlsx"):
        raise UnknownOptionError(f"unsupported format {out.suffix!r}; use .csv, .parquet or .xlsx")
    if dialect == "fr" and fmt != "csv":
        raise UnknownOptionError("--dialect applies to .csv files only")
    if long_form and by != "commune":
        raise UnknownOptionError("--long applies with --by commune only")
    _announce_data()
    table = _evolution_table(start or years[0], end or years[-1], territory, by, long_form)
    _write_table(table, out, dialect)
    _echo(f"{len(table)} rows written: {out}")


def _evolution_table(start: int, end: int, territory: str, by: str, long_form: bool) -> Any:
    """Return the populations of *territory* by commune, EPCI or whole, with their change."""
    import pandas as pd

    from erbm_geo.indicators import population_change
    from erbm_geo.layers import population_history, population_table, territory_communes

    history = population_history(territory=territory)
    who = territory_communes(territory)[["nom", "siren_epci", "nom_epci"]]
    if long_form:
        long = population_table(history, form="long")
        long.insert(1, "nom", who["nom"].reindex(long["code_insee"]).to_numpy())
        return long.set_index("code_insee")
    if by == "commune":
        return who.join(population_table(history)).join(population_change(history, start=start, end=end))
    epci = who["siren_epci"].astype(str)
    groups: pd.Series | str = epci if by == "epci" else "all"
    sums = history.groupby(epci.to_numpy()).sum() if by == "epci" else history.sum().to_frame("ensemble").T
    sums.attrs = dict(history.attrs)
    out = population_table(sums).join(population_change(history, start=start, end=end, groups=groups))
    if by == "epci":
        names = who.drop_duplicates("siren_epci").set_index("siren_epci")["nom_epci"]
        out.insert(0, "nom_epci", names.reindex(out.index).to_numpy())
        out.index.name = "siren_epci"
    else:
        out.index = pd.Index([territory], name="territoire")
    return out


def _write_table(table: Any, out: Path, dialect: str) -> None:
    """Write a table without geometry with its sources and French dictionary."""
    import pandas as pd

    from erbm_geo.export import write
    from erbm_geo.maps.vocabulary import dictionnaire, sources_fr

    dico, decimals = dictionnaire(list(table.reset_index().columns))
    fmt = out.suffix.lower().lstrip(".")
    srcs = sources_fr()
    names = set(table.attrs.get("sources", []))
    write(
        table,
        out,
        sources=srcs[srcs.index.isin(names)] if names else srcs,
        dialect=dialect,  # type: ignore[arg-type]
        decimals=decimals if (fmt == "xlsx" or dialect == "fr") else None,
        dictionary=pd.DataFrame(dico) if fmt == "xlsx" else None,
    )


_PAGES = ("A4-landscape", "A4-portrait", "A3-landscape", "A3-portrait")


@cli.command("map")
@click.option("--layer", "layer_name", help="A built-in layer (see `erbm-geo layers`).")
@click.option(
    "--indicator",
    help="A commune indicator column, e.g. qpv_share (numbers: classes), or centre_nom (categories).",
)
@click.option(
    "--out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output: .html (interactive) or .png/.svg/.pdf (static, printable).",
)
@click.option("--title", default=None, help="Title (static maps).")
@click.option(
    "--page",
    type=click.Choice(list(_PAGES)),
    default=None,
    help="Sheet of a static map [default: A4-landscape; A4-portrait with --by-epci or --commune].",
)
@click.option(
    "--by-epci", is_flag=True, help="With --indicator and a .pdf: an overview page, then one page per EPCI."
)
@click.option(
    "--commune",
    "communes",
    default=None,
    help="With --indicator and a .pdf: an overview page, then one page per commune; "
    "comma-separated INSEE codes or names, or 'all'.",
)
def map_(
    layer_name: str | None,
    indicator: str | None,
    out: Path,
    title: str | None,
    page: str | None,
    by_epci: bool,
    communes: str | None,
) -> None:
    """Map one layer or one indicator (communes of the basin) to HTML, an image or a PDF book."""
    from erbm_geo.errors import InvalidOptionError, UnknownOptionError
    from erbm_geo.layers import LAYERS, load
    from erbm_geo.maps import (
        Fields,
        Style,
        add_layer,
        finalize,
        new_map,
        save_figure,
        static_map,
        to_html,
    )
    from erbm_geo.maps.printed.book import map_book
    from erbm_geo.maps.printed.reference import background
    from erbm_geo.maps.style import label
    from erbm_geo.vocabulary import column as column_of

    if (layer_name is None) == (indicator is None):
        raise UnknownOptionError("give exactly one of --layer or --indicator")
    suffix = out.suffix.lower()
    book = by_epci or communes is not None
    if book and (indicator is None or suffix != ".pdf" or (by_epci and communes is not None)):
        raise InvalidOptionError(
            "--by-epci or --commune (not both) make a multi-page PDF of an --indicator: use --out NAME.pdf"
        )
    if suffix not in (".html", ".png", ".svg", ".pdf"):
        raise UnknownOptionError(f"unsupported map format {out.suffix!r}; use .html, .png, .svg or .pdf")
    _announce_data()
    column: str | None
    if indicator is not None and indicator in _CHANGE_COLUMNS:
        gdf, period, sources = _change_for_map()
        column = indicator
        title = title or f"{column_of(indicator).label} {period}"
        name = title
    elif indicator is not None:
        gdf, column = _indicator_for_map(indicator), indicator
        name = title or label(indicator)
        sources = ["communes_59", "communes_62", "cog_communes"]
    else:
        assert layer_name is not None
        gdf, column = load(layer_name), LAYERS[layer_name].column
        name = title or LAYERS[layer_name].title
        sources = list(LAYERS[layer_name].sources)
    if suffix == ".html":
        m = new_map()
        tooltip = ["nom"] if "nom" in gdf.columns else None
        add_layer(
            m,
            gdf,
            name=name,
            column=column,
            style=Style(coverage=layer_name in (None, "communes", "communes_erbm", "epci")),
            fields=Fields(tooltip=tooltip),
            sources=sources,
        )
        to_html(finalize(m), out)
    elif book:
        assert column is not None
        pages: str | list[str] = "epci" if by_epci else _commune_codes(str(communes), gdf)
        map_book(
            gdf,
            out,
            column=column,
            pages=pages,
            page=page or "A4-portrait",
            background=background(),
            sources=sources,
        )
    else:
        fig = static_map(
            gdf,
            column=column,
            title=name if (column is None or layer_name is not None) else title,
            sources=sources,
            page=page or "A4-landscape",
            background=background(),
        )
        save_figure(fig, out)
    _echo(f"map written: {out}")


#: The change columns `map --indicator` draws (first to last population vintage, diverging).
_CHANGE_COLUMNS = ("population_change", "population_change_pct", "population_growth_rate_pct")


def _change_for_map() -> tuple[Any, str, list[str]]:
    """Return the basin's communes with the population change, the period and the sources."""
    from erbm_geo.indicators import population_change
    from erbm_geo.layers import communes, population_history

    history = population_history()
    first, last = int(history.columns[0]), int(history.columns[-1])
    gdf = communes().join(population_change(history))
    sources = ["communes_59", "communes_62", "cog_communes", f"populations_{first}", f"populations_{last}"]
    return gdf, f"de {first} à {last}", sources


def _indicator_for_map(indicator: str) -> Any:
    """Return the basin's communes with *indicator*, refused when it cannot be mapped."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    from erbm_geo.errors import InvalidOptionError, UnknownOptionError
    from erbm_geo.indicators import INDICATOR_DOC, indicator_table
    from erbm_geo.maps.printed.symbology import MAX_CATEGORIES

    if indicator not in INDICATOR_DOC:
        raise UnknownOptionError(
            f"unknown indicator {indicator!r}; known: {', '.join(sorted(INDICATOR_DOC))}"
        )
    with warnings.catch_warnings(record=True) as caught:  # said again below if it concerns the map
        warnings.simplefilter("always")
        gdf = indicator_table(of="communes")
    for w in caught:
        if not isinstance(w.message, Warning) or concerns(w.message, {indicator}):
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    s = gdf[indicator]
    if not is_numeric_dtype(s) or is_bool_dtype(s):
        n = s.nunique()
        if n > MAX_CATEGORIES:
            numeric = sorted(
                c
                for c in INDICATOR_DOC
                if c in gdf.columns and is_numeric_dtype(gdf[c]) and not is_bool_dtype(gdf[c])
            )
            raise InvalidOptionError(
                f"--indicator {indicator} holds text with {n} distinct values: a map needs "
                f"numbers (a choropleth, e.g. {', '.join(numeric[:6])}…) or at most "
                f"{MAX_CATEGORIES} categories (e.g. centre_nom)"
            )
    return gdf


def _commune_codes(text: str, table: Any) -> list[str]:
    """Turn ``"62498, Douai"`` into INSEE codes of communes of *table* (``"all"``: every one)."""
    from erbm_geo.errors import EmptyInputError, UnknownCodeError
    from erbm_geo.layers import codes_from_names

    if text.strip().lower() == "all":
        return [str(c) for c in table.index]
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise EmptyInputError(
            f"--commune {text!r} names no commune; give INSEE codes or names separated by commas "
            "(e.g. --commune \"Lens, 59178\"), or 'all'"
        )
    codes = [t if t[:2].isdigit() else codes_from_names([t])[0] for t in items]
    outside = [c for c in codes if c not in table.index]
    if outside:
        raise UnknownCodeError(f"--commune: {outside} not among the {len(table)} communes of the basin")
    return list(dict.fromkeys(codes))  # a commune named twice (by code and by name) gets one page


@cli.command()
@click.argument("point", required=False)
@click.option("--lonlat", is_flag=True, help="POINT gives the longitude first (« 2.8319 50.4322 »).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A CSV file of places (one per line, with latitude and longitude columns).",
)
@click.option("--lat", help="The file's latitude column [default: lat, latitude…].")
@click.option("--lon", help="The file's longitude column [default: lon, lng, longitude…].")
@click.option("--sep", help="The file's separator [default: detected among ; , tab |].")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --csv: the answers, .csv, .xlsx or .gpkg (every input column and row kept, in order).",
)
@_DIALECT
@click.option(
    "--geocode",
    "address",
    multiple=True,
    metavar="COLUMN",
    help="With --csv: find each row's point from its address in COLUMN (repeat for several columns, "
    "joined by spaces) through the Géoplateforme's geocoding service (online; nothing is sent otherwise).",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=0.5,
    show_default=True,
    help="With --geocode: matches scoring below this are flagged and left unanswered.",
)
def where(point: str | None, lonlat: bool, csv_path: Path | None, **file_options: Any) -> None:
    """Say what lies at POINT ("50.4322, 2.8319": latitude, longitude), or at every place of --csv.

    The answer: commune, EPCI, IRIS, QPV, UNESCO status, cité minière, nearest station, main
    centre and friche site (in French). With --csv and --out, every row of the file is answered
    and kept; rows without usable coordinates are reported by line number.
    """
    from erbm_geo.cli_lookup import answer_file, answer_point
    from erbm_geo.errors import UnknownOptionError

    given = {k for k, v in file_options.items() if v and k not in ("dialect", "min_score")}
    if (point is None) == (csv_path is None):
        raise UnknownOptionError('give either a POINT ("50.4322, 2.8319") or --csv FILE --out FILE')
    if point is not None:
        if given:
            raise UnknownOptionError("--out, --lat, --lon, --sep and --geocode apply with --csv only")
        click.echo(printable(answer_point(point, lonlat=lonlat)))
        return
    out = file_options.pop("out")
    if out is None:
        raise UnknownOptionError("--csv needs --out FILE (.csv, .xlsx or .gpkg)")
    if lonlat:
        raise UnknownOptionError(
            "--lonlat applies to a POINT; with --csv, name the columns with --lat and --lon"
        )
    if file_options["address"] and (file_options["lat"] or file_options["lon"]):
        raise UnknownOptionError("--geocode finds the points from addresses: leave out --lat and --lon")
    if csv_path is None:  # pragma: no cover - excluded by the first check
        return
    _announce_data()
    if file_options["address"]:
        _progress(f"geocoding the addresses through {settings.geocoder_url}")
    report = answer_file(csv_path, out, **file_options)
    for line in report.lines():
        click.echo(printable(f"warning: {line}"), err=True)
    _echo(f"{report.rows} rows answered: {out}")


@cli.group()
def data() -> None:
    """Show where the data is, verify checksums, fetch missing files."""


@data.command("where")
def data_where() -> None:
    """Print the data and cache directories."""
    click.echo(f"data_dir:  {settings.data_dir}")
    click.echo(f"cache_dir: {settings.cache_dir}")
    click.echo(f"mirror_url: {settings.mirror_url}")


@data.command("verify")
def data_verify() -> None:
    """Check the sha256 of every dataset found locally (exit 2 if any is missing or corrupt)."""
    from erbm_geo.data import verify

    bad = 0
    for s in verify():
        bad += s.status != "ok"
        click.echo(printable(f"{s.status:18} {s.name:24} {s.path or ''}"))
    if bad:
        raise click.ClickException(f"{bad} dataset(s) missing or corrupt")


@data.command("fetch")
@click.argument("names", nargs=-1)
def data_fetch(names: tuple[str, ...]) -> None:
    """Download (checksum verified) the datasets NAMES (default: all) into the cache."""
    from erbm_geo.data import fetch

    for name, path in fetch(list(names) or None).items():
        _echo(f"ok {name:24} {path}")


def _one_line(message: Warning | str, category: type[Warning], filename: str) -> str:
    """Return a warning as one clean line: its text, and the library it comes from if not erbm_geo."""
    text = " ".join(str(message).split())
    if issubclass(category, ErbmGeoWarning):
        return f"warning: {text}"  # ours, whatever frame it points at (the user's, here click's)
    parts = Path(filename).parts
    origin = next((parts[i + 1] for i, p in enumerate(parts[:-1]) if p == "site-packages"), None)
    if origin is not None and origin != "erbm_geo":
        return f"warning ({origin.split('.')[0]}): {text}"
    return f"warning: {text}"


@contextmanager
def _clean_warnings() -> Iterator[None]:
    """Show each distinct warning once, as one line on stderr (no file paths, no source line)."""
    seen: set[str] = set()

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: Any = None,
        line: str | None = None,
    ) -> None:
        text = printable(_one_line(message, category, filename))
        if text not in seen:
            seen.add(text)
            click.echo(text, err=True)

    with warnings.catch_warnings():
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


def _os_error(exc: OSError) -> str:
    """Return what an OS error means for the user: the path and the cause, in one line."""
    path = exc.filename if exc.filename is not None else None
    cause = exc.strerror or str(exc)
    where = f" {path}" if path is not None else ""
    extra = f" → {exc.filename2}" if getattr(exc, "filename2", None) else ""
    return (
        f"error: cannot read or write{where}{extra}: {cause}. Check that the folder exists, "
        "is writable and has free space, and that no part of the path is a file."
    )


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; map user and environment errors to exit code 2, bugs to 1."""
    saved = (settings.verbose, settings.data_dir)  # options of one run do not outlive it
    try:
        with _clean_warnings():
            cli.main(args=argv, standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        buf = io.StringIO()
        exc.show(file=buf)  # usage and message, as click words them
        click.echo(printable(buf.getvalue()), err=True, nl=False)
        return 2
    except click.Abort:
        click.echo("aborted", err=True)
        return 1
    except ErbmGeoError as exc:
        click.echo(printable(f"error: {exc}"), err=True)
        return 2
    except OSError as exc:  # the environment, not a bug: unwritable folder, disk full…
        click.echo(printable(_os_error(exc)), err=True)
        return 2
    except Exception as exc:  # a bug, not a user error: say so, keep the traceback available
        click.echo(printable(f"internal error ({type(exc).__name__}): {exc}"), err=True)
        if os.environ.get("ERBM_GEO_DEBUG"):
            raise
        return 1
    finally:
        settings.verbose, settings.data_dir = saved
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
