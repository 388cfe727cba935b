"""Robustness 2: fuzzed source files raise only the library's documented errors."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import random
from pathlib import Path

import pytest

import erbm_geo as eg
from erbm_geo import settings
from erbm_geo.data import clear_memory
from erbm_geo.data.catalogue import CATALOGUE
from erbm_geo.errors import (
    ErbmGeoError,
)

LOADERS = {
    "communes_59": lambda: eg.layers.communes(),
    "cog_communes": lambda: eg.layers.communes(),
    "cog_epci": lambda: eg.layers.communes(),
    "bien_inscrit": lambda: eg.layers.bien_inscrit(),
    "cites_erbm": lambda: eg.layers.cites(),
    "qpv": lambda: eg.layers.qpv(),
    "mairies": lambda: eg.layers.centres(),
    "acv_pvd_ort": lambda: eg.layers.centres(),
    "cartofriches_communes": lambda: eg.layers.friches_communes(),
    "filosofi_communes": lambda: eg.layers.income_communes(),
    "filosofi_iris": lambda: eg.layers.income_iris(),
    "gares_voyageurs": lambda: eg.layers.stations(),
    "osm_stations": lambda: eg.layers.stations(),
    "rfn_lignes": lambda: eg.layers.rail_lines(),
    "puits_de_mines": lambda: eg.layers.puits_de_mines(),
}


#: Inputs no loader may accept: each must raise a library error, never return a layer.
INVALID = [
    b"",
    b"{}",
    b"[]",
    b"null",
    b'{"type":"FeatureCollection","features":[{}]}',
    b'{"communes": [1, 2]}',
    b'{"qpvs": [{"code": 1}]}',
    b"insee;x\n1;2\n",
    b"\xff\xfe\x00garbage",
]


def _random_damage(data: bytes, rnd: random.Random) -> list[bytes]:
    """Two truncations and 20 flipped bytes: damage a loader may or may not detect (a flipped
    byte inside a name is still a valid file), but must never answer with a foreign error."""
    n = len(data)
    out = [data[: rnd.randrange(1, n)] for _ in range(2)]
    flipped = bytearray(data)
    for _ in range(20):
        flipped[rnd.randrange(n)] = rnd.randrange(256)
    return [*out, bytes(flipped)]


def _feed(dataset: str, blob: bytes, tmp_path: Path, k: int, monkeypatch: pytest.MonkeyPatch) -> None:
    import erbm_geo.layers._io as io_mod

    src = settings.data_dir / eg.data.get(dataset).path  # type: ignore[operator]
    bad = tmp_path / f"{k}{src.suffix}"
    bad.write_bytes(blob)
    real = io_mod.dataset_path
    monkeypatch.setattr(
        io_mod, "dataset_path", lambda name, bad=bad, real=real: bad if name == dataset else real(name)
    )
    # a checksum of its own for each damaged file: the layers built from it are keyed anew and
    # rebuilt, while the others (communes…) stay in memory — no need to rebuild everything
    fake = dataclasses.replace(CATALOGUE[dataset], sha256=hashlib.sha256(blob + bytes([k])).hexdigest())
    monkeypatch.setitem(CATALOGUE, dataset, fake)
    try:
        LOADERS[dataset]()
    finally:
        monkeypatch.setattr(io_mod, "dataset_path", real)


@pytest.mark.parametrize("dataset", sorted(LOADERS))
def test_fuzzed_sources_raise_only_library_errors(
    dataset: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each loader fed malformed versions of its file (the checksum check bypassed, as if a
    damaged file had the right sum): an invalid file raises a library error — an empty
    GeoJSON, ``{}`` for the EPCI list once gave a layer without them —, random damage raises
    nothing but a library error."""
    src = settings.data_dir / eg.data.get(dataset).path  # type: ignore[operator]
    monkeypatch.setattr(settings, "use_cache", False)
    for k, blob in enumerate(INVALID):
        with pytest.raises(ErbmGeoError):
            _feed(dataset, blob, tmp_path, k, monkeypatch)
    for k, blob in enumerate(_random_damage(src.read_bytes(), random.Random(dataset))):
        with contextlib.suppress(ErbmGeoError):  # anything else fails the test
            _feed(dataset, blob, tmp_path, 100 + k, monkeypatch)
    clear_memory()


def test_checksum_guards_every_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the bypass, a damaged source never reaches a parser: ChecksumError."""
    from erbm_geo.errors import ChecksumError

    data = tmp_path / "data"
    (data / "qpv").mkdir(parents=True)
    src = settings.data_dir / "qpv/qpv-2024.json"  # type: ignore[operator]
    (data / "qpv/qpv-2024.json").write_bytes(src.read_bytes()[:1000])
    monkeypatch.setattr(settings, "data_dir", data)
    monkeypatch.setattr(settings, "use_cache", False)
    clear_memory()
    with pytest.raises(ChecksumError):
        eg.layers.qpv()
    clear_memory()
