"""Data sources: the catalogue of third-party datasets, their resolution and the layer cache."""

from erbm_geo.data.cache import CACHE, Cache, cached_layer, cached_table, clear_memory, memo
from erbm_geo.data.catalogue import CATALOGUE, Dataset, get, names
from erbm_geo.data.resolve import DatasetStatus, fetch, resolve, sha256_file, verify

__all__ = [
    "CACHE",
    "CATALOGUE",
    "Cache",
    "Dataset",
    "DatasetStatus",
    "cached_layer",
    "cached_table",
    "clear_memory",
    "fetch",
    "get",
    "memo",
    "names",
    "resolve",
    "sha256_file",
    "verify",
]
