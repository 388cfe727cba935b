"""Project fact tables: small CSV tables authored by the project, each row citing its source.

They live in the repository's top-level ``data/`` folder (``data/communes/``, ``data/cites/``,
``data/friches/``) and are shipped inside the wheel as ``erbm_geo/_facts``. Unlike the third-party
datasets of :mod:`erbm_geo.data.catalogue`, they are part of the project.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from erbm_geo._memory import MEMORY
from erbm_geo.errors import DataNotFoundError, UnknownOptionError

__all__ = ["FACT_TABLES", "facts_dir", "read_fact_table"]

#: Fact tables: name -> (relative path, columns to read as text).
FACT_TABLES: dict[str, tuple[str, tuple[str, ...]]] = {
    "bassin_minier_communes": (
        "communes/bassin_minier_communes.csv",
        ("code_insee", "departement", "siren_epci"),
    ),
    "erbm_epci": ("communes/erbm_epci.csv", ("siren_epci",)),
    "programme_cites": ("cites/programme_cites.csv", ("code_insee",)),
    "programme_milestones": ("cites/programme_milestones.csv", ()),
    "inventory_figures": ("cites/inventory_figures.csv", ()),
    "strategic_sites": ("friches/strategic_sites.csv", ("location_key",)),
    "main_centralities": ("communes/main_centralities.csv", ("code_insee",)),
}


def facts_dir() -> Path:
    """Return the folder holding the fact tables (packaged copy, else the checkout's ``data/``).

    Returns
    -------
    pathlib.Path
        The folder of the committed fact tables (each with a ``source`` column).

    Raises
    ------
    DataNotFoundError
        If neither the packaged copy nor the checkout's ``data/`` exists (a broken install).

    Examples
    --------
    >>> (facts_dir() / "communes").is_dir()
    True
    """
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "_facts", here.parent / "data"):
        if (candidate / "communes").is_dir():
            return candidate
    raise DataNotFoundError(
        "the project fact tables (data/communes, data/cites…) were not found next to the package; "
        "reinstall erbm_geo."
    )


def _read(name: str) -> pd.DataFrame:
    def build() -> pd.DataFrame:
        rel, text_cols = FACT_TABLES[name]
        path = facts_dir() / rel
        return pd.read_csv(path, dtype={c: str for c in text_cols}, keep_default_na=True)

    return MEMORY.get(("fact_table", name), build)


def read_fact_table(name: str) -> pd.DataFrame:
    """Return a copy of the fact table *name*.

    Parameters
    ----------
    name : str
        One of :data:`FACT_TABLES`.

    Returns
    -------
    pandas.DataFrame
        The table, codes as text, with its ``source`` column.

    Raises
    ------
    UnknownOptionError
        If *name* is not a fact table.
    DataNotFoundError
        If the fact tables are not installed.

    Examples
    --------
    >>> t = read_fact_table("erbm_epci")
    >>> len(t), "source" in t.columns
    (8, True)
    """
    if name not in FACT_TABLES:
        raise UnknownOptionError(
            f"unknown fact table {name!r}; known tables: {', '.join(sorted(FACT_TABLES))}"
        )
    return _read(name).copy()
