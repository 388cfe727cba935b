"""The one vocabulary of erbm_geo: French labels, units, decimals, definitions and formats.

``registry.toml`` (shipped with the package) holds one row per column a reader may see; the
loader gives typed :class:`Column` rows; :func:`nombre` and :func:`date_fr` are the one
French number and date formatter. Every output reads them.
"""

from __future__ import annotations

from erbm_geo.vocabulary.formats import MANQUANT, MOIS, date_fr, decimales_auto, nombre
from erbm_geo.vocabulary.registry import SUMMARIES, Column, column, columns, libelle, registry, render

__all__ = [
    "MANQUANT",
    "MOIS",
    "SUMMARIES",
    "Column",
    "column",
    "columns",
    "date_fr",
    "decimales_auto",
    "libelle",
    "nombre",
    "registry",
    "render",
]
