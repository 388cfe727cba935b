"""Write tables and layers to CSV, GeoPackage and GeoParquet — atomically, with their sources.

Every writer writes to a temporary file in the target folder, then renames it: an interrupted
export never leaves a half-written file that looks complete. INSEE codes and other identifiers
stay text (leading zeros kept).

* CSV: geometry dropped (or as WKT with ``geometry="wkt"``); the data-sources sheet is written
  next to it as ``<name>.sources.csv``, with the build date in a last column (``built``;
  ``construit_le`` for ``dialect="fr"``). Text cells (and headers) that a spreadsheet would take
  for a formula — starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return — are
  prefixed with ``'`` (OWASP's CSV-injection guidance), also when blanks come first (spaces,
  no-break or zero-width spaces, a byte-order mark, a line feed, a vertical tab, a form feed);
  numbers stay numbers. :func:`read`
  removes the prefix again (the rule is reversible: text already starting with quotes before
  such a character gets one more).
* GeoPackage: one layer, so that QGIS and ``geopandas.read_file`` open it without asking which;
  its pandas dtypes, index, sources sheet and build date travel in the GeoPackage metadata
  extension (``gpkg_metadata``, read back by :func:`read` and :func:`read_sources`). The file's
  timestamps are the build date (:func:`build_date`), so that the same table gives the same
  bytes. QGIS styles travel in its ``layer_styles`` table (:mod:`erbm_geo.export.qgis`), and
  :func:`qgis_project` gathers such files into a QGIS project.
* GeoParquet (1.1 metadata): the sources as JSON and the build date in the file's key-value
  metadata (``erbm_geo:sources``, ``erbm_geo:built``).
* CSV for French spreadsheets (``dialect="fr"``): UTF-8 with a byte-order mark, ``;`` between
  fields, a decimal comma, ``oui``/``non`` for booleans, numbers rounded per column
  (*decimals*) — what LibreOffice Calc and Excel in French open without an import dialog.
* XLSX: a ``donnees`` sheet (text cells are stored as text, never as formulas), a
  ``dictionnaire`` sheet (column, label, definition, unit, source: *dictionary*) and a
  ``sources`` sheet ending with a ``construit_le`` column; the file's dates are pinned to the
  build date, so the same table gives the same bytes.

Text holding a NUL character is refused for CSV and GeoPackage, which would cut it.
"""

from __future__ import annotations

from erbm_geo._atomic import write_atomic, write_text_atomic
from erbm_geo.export.files import FORMATS, read, read_parquet_sources, read_sources, write
from erbm_geo.export.metadata import build_date
from erbm_geo.export.partitioned import write_partitioned
from erbm_geo.export.qgis import qgis_project
from erbm_geo.export.spreadsheet import FORMULA_TRIGGERS, neutralise_formulas

__all__ = [
    "FORMATS",
    "FORMULA_TRIGGERS",
    "build_date",
    "neutralise_formulas",
    "qgis_project",
    "read",
    "read_parquet_sources",
    "read_sources",
    "write",
    "write_atomic",
    "write_partitioned",
    "write_text_atomic",
]
