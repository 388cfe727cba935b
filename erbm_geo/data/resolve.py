"""Find a catalogued dataset on disk, or download it (checksum verified) into the cache."""

from __future__ import annotations

import hashlib
import http.client
import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from erbm_geo import settings
from erbm_geo.data.catalogue import CATALOGUE, Dataset, get
from erbm_geo.data.reads import note
from erbm_geo.errors import ChecksumError, DataNotFoundError, DownloadError

__all__ = ["DatasetStatus", "fetch", "resolve", "sha256_file", "verify"]

_VERIFIED: dict[tuple[str, int, int], str] = {}


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of *path*, memoised on (path, size, mtime) for this process.

    Parameters
    ----------
    path : pathlib.Path
        The file.

    Returns
    -------
    str
        Its sha256, in hexadecimal.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "vide.txt"
    >>> _ = p.write_bytes(b"")
    >>> sha256_file(p)
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _VERIFIED:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
        _VERIFIED[key] = h.hexdigest()
    return _VERIFIED[key]


def _check(ds: Dataset, path: Path, *, cached: bool = False) -> None:
    got = sha256_file(path)
    if got != ds.sha256:
        size = path.stat().st_size
        if cached:
            fix = "delete it, or run `erbm-geo data fetch " + ds.name + "`, so that it is downloaded again"
        elif ds.url or settings.mirror_url:
            fix = (
                f"restore it from the team mirror (shared/erbm-data/{ds.path}, see "
                "MANIFEST.tsv), or point ERBM_GEO_DATA elsewhere so that it is downloaded again"
            )
        else:
            fix = (
                f"restore it from the team mirror (shared/erbm-data/{ds.path}, see "
                f"MANIFEST.tsv): {ds.name!r} has no upstream download URL, so it cannot be "
                "downloaded again"
            )
        raise ChecksumError(
            f"dataset {ds.name!r}: {path} has sha256 {got} ({size} bytes) but the catalogue expects "
            f"{ds.sha256}. The file is corrupt, truncated or of another vintage. Fix: {fix}."
        )


def _download_dir() -> Path:
    return Path(settings.cache_dir) / "downloads"


def _urls(ds: Dataset) -> list[str]:
    urls = []
    if settings.mirror_url:
        urls.append(settings.mirror_url.rstrip("/") + "/" + ds.path)
    if ds.url:
        urls.append(ds.url)
    return urls


def _download(ds: Dataset, url: str, target: Path) -> None:
    """Download *url* to *target* atomically; verify the checksum before the final rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=target.name + ".", suffix=".part", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        h = hashlib.sha256()
        with os.fdopen(fd, "wb") as out:
            req = urllib.request.Request(url, headers={"User-Agent": "erbm_geo"})
            with urllib.request.urlopen(req, timeout=settings.download_timeout) as resp:
                expected_len = resp.headers.get("Content-Length")
                n = 0
                for chunk in iter(lambda: resp.read(1 << 16), b""):
                    out.write(chunk)
                    h.update(chunk)
                    n += len(chunk)
        if expected_len is not None and int(expected_len) != n:
            raise ChecksumError(
                f"dataset {ds.name!r}: download from {url} was cut ({n} of {expected_len} bytes). "
                "Fix: retry; check your connection or proxy."
            )
        if h.hexdigest() != ds.sha256:
            raise ChecksumError(
                f"dataset {ds.name!r}: the file downloaded from {url} has sha256 {h.hexdigest()} "
                f"({n} bytes), expected {ds.sha256}. The download is corrupt or upstream published "
                "another vintage. Fix: retry, or use the team mirror (set ERBM_GEO_DATA)."
            )
        os.replace(tmp, target)
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        raise DownloadError(f"dataset {ds.name!r}: download from {url} failed: {exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)


def resolve(name: str, *, download: bool = True) -> Path:
    """Return the local path of catalogued dataset *name*, verified against its sha256.

    Looks in :data:`erbm_geo.settings.data_dir` (the mirror layout), then in the download cache,
    then downloads from ``settings.mirror_url`` and from the dataset's own URL.

    Parameters
    ----------
    name : str
        Catalogue key (see :func:`erbm_geo.data.names`).
    download : bool, default True
        Whether a missing file may be downloaded.

    Returns
    -------
    pathlib.Path
        Path of a file whose sha256 matches the catalogue.

    Raises
    ------
    DataNotFoundError
        The file is in no place tried and could not be downloaded; the message lists the places.
    ChecksumError
        A local file exists but its checksum differs (corrupt, truncated, other vintage).

    Examples
    --------
    >>> resolve("bassin_minier").name
    'bassin-minier.geojson'
    """
    ds = get(name)
    note([name])
    tried: list[str] = []
    if settings.data_dir is not None:
        local = Path(settings.data_dir) / ds.path
        if local.is_file():
            _check(ds, local)
            return local
        tried.append(str(local))
    cached = _download_dir() / ds.path
    removed = ""
    if cached.is_file():
        try:
            _check(ds, cached, cached=True)
            return cached
        except ChecksumError as exc:
            if not download:
                raise
            cached.unlink()
            removed = f"\nThe copy in the download cache ({cached}) was corrupt and has been removed: {exc}"
    tried.append(str(cached))
    errors: list[str] = []
    if download:
        for url in _urls(ds):
            try:
                _download(ds, url, cached)
                return cached
            except (DownloadError, ChecksumError) as exc:
                errors.append(str(exc))
                tried.append(url)
    hint = (
        "Fix: set ERBM_GEO_DATA (or erbm_geo.settings.data_dir) to a copy of the erbm-data "
        "mirror, or ERBM_GEO_MIRROR_URL to an HTTP copy of it"
    )
    if not ds.url:
        hint += (
            f"; {ds.name!r} is a conversion published by no upstream URL, so only the mirror "
            f"can provide it (upstream: {ds.upstream})"
        )
    detail = ("\nDownload errors:\n  " + "\n  ".join(errors)) if errors else ""
    if removed or (errors and any("sha256" in e or "was cut" in e for e in errors)):
        raise ChecksumError(
            f"dataset {ds.name!r} ({ds.path}) could not be obtained intact. Tried: "
            f"{', '.join(tried)}.{removed}{detail}\n{hint}."
        )
    raise DataNotFoundError(
        f"dataset {ds.name!r} ({ds.path}) not found. Tried: {', '.join(tried)}.{detail}\n{hint}."
    )


def fetch(names: list[str] | None = None) -> dict[str, Path]:
    """Resolve (downloading where needed) every dataset in *names* (default: all).

    Parameters
    ----------
    names : list of str, optional
        Catalogue names (default: every dataset).

    Returns
    -------
    dict of str to pathlib.Path
        Where each dataset's verified file is.

    Raises
    ------
    UnknownOptionError
        If a name is not in the catalogue.
    DataNotFoundError
        If a file is neither local nor downloadable.
    DownloadError
        If a download fails.
    ChecksumError
        If a file does not have its catalogued sha256.

    Examples
    --------
    >>> fetch(["qpv"])["qpv"].name
    'qpv-2024.json'
    """
    return {n: resolve(n) for n in (names or sorted(CATALOGUE))}


@dataclass(frozen=True)
class DatasetStatus:
    """Where a dataset was found and whether its checksum matches.

    Parameters
    ----------
    name : str
        The catalogue name.
    path : str or None
        Where the file was found, ``None`` when missing.
    status : str
        ``"ok"``, ``"missing"`` or ``"checksum mismatch"``.

    Examples
    --------
    >>> DatasetStatus("qpv", None, "missing").status
    'missing'
    """

    name: str
    path: str | None
    status: str  # "ok", "missing" or "checksum mismatch"


def verify() -> list[DatasetStatus]:
    """Check every catalogued dataset available locally, without downloading.

    Returns
    -------
    list of DatasetStatus
        One entry per dataset: ``ok``, ``missing`` or ``checksum mismatch``.

    Examples
    --------
    >>> statuses = verify()
    >>> sorted({s.status for s in statuses})
    ['ok']
    """
    out = []
    for name in sorted(CATALOGUE):
        try:
            out.append(DatasetStatus(name, str(resolve(name, download=False)), "ok"))
        except ChecksumError:
            ds = CATALOGUE[name]
            local = Path(settings.data_dir) / ds.path if settings.data_dir else None
            out.append(DatasetStatus(name, str(local), "checksum mismatch"))
        except DataNotFoundError:
            out.append(DatasetStatus(name, None, "missing"))
    return out
