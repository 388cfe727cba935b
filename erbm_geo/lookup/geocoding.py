"""Addresses to points through the Géoplateforme's geocoding service (optional, online).

The IGN/Etalab address API (``https://data.geopf.fr/geocodage``, :data:`erbm_geo.settings.geocoder_url`)
answers one address at ``/search`` (a GeoJSON FeatureCollection whose features carry ``label``,
``score``, ``type``, ``id``…) and a file of addresses at ``/search/csv`` (the file sent back with
``latitude``, ``longitude``, ``result_label``, ``result_score``, ``result_type`` and
``result_id`` appended). :func:`geocode` sends the addresses in batches to the second and keeps,
beside each row, the point found, the label the service matched and its score; a row below the
score threshold is flagged, never silently trusted. Nothing is sent unless it is called; without
a network it says so and names the way to go on offline (coordinates in the file).
"""

from __future__ import annotations

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Sequence

import numpy as np
import pandas as pd

from erbm_geo import settings
from erbm_geo.errors import EmptyInputError, GeocodingError, InvalidOptionError

__all__ = ["GEOCODE_COLUMNS", "geocode", "geocode_one"]

#: The columns :func:`geocode` returns.
GEOCODE_COLUMNS = (
    "geocode_lat",
    "geocode_lon",
    "geocode_label",
    "geocode_score",
    "geocode_type",
    "geocode_fiable",
)

_RESULT = ("latitude", "longitude", "result_label", "result_score", "result_type")
_BATCH = 5_000
_MAX_BYTES = 200 * 10**6  # an answer larger than this is not the file sent back


def _multipart(
    fields: list[tuple[str, str]], file_field: str, filename: str, data: bytes
) -> tuple[bytes, str]:
    boundary = f"erbm-geo-{uuid.uuid4().hex}"
    out = io.BytesIO()
    for name, value in fields:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    out.write(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
        "Content-Type: text/csv; charset=utf-8\r\n\r\n".encode()
    )
    out.write(data)
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def _post(url: str, body: bytes, content_type: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type}, method="POST")
    return _open(req, url, timeout)


def _open(req: urllib.request.Request | str, url: str, timeout: float) -> bytes:
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = bytes(resp.read(_MAX_BYTES + 1))
    except urllib.error.HTTPError as exc:
        raise GeocodingError(
            f"the geocoding service at {url} answered HTTP {exc.code} ({exc.reason}); "
            + ("it limits requests per second: try again later" if exc.code == 429 else "check the addresses")
        ) from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise GeocodingError(
            f"the geocoding service at {url} cannot be reached ({reason}): geocoding needs a network. "
            "Offline, give the places' coordinates instead (latitude and longitude columns)"
        ) from None
    if len(raw) > _MAX_BYTES:
        raise GeocodingError(
            f"the geocoding service at {url} sent more than {_MAX_BYTES // 10**6} MB: refused"
        )
    return raw


def _batch(addresses: list[str], url: str, timeout: float) -> pd.DataFrame:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["erbm_rang", "adresse"])
    for i, a in enumerate(addresses):
        w.writerow([i, a])
    body, ctype = _multipart([("columns", "adresse")], "data", "adresses.csv", buf.getvalue().encode("utf-8"))
    raw = _post(f"{url}/search/csv", body, ctype, timeout)
    try:
        table = pd.read_csv(io.BytesIO(raw), dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError) as exc:
        raise GeocodingError(
            f"the geocoding service at {url} sent back a file that is not CSV ({exc})"
        ) from None
    missing = [c for c in ("erbm_rang", *_RESULT) if c not in table.columns]
    if missing or len(table) != len(addresses):
        raise GeocodingError(
            f"the geocoding service at {url} sent back {len(table)} rows for {len(addresses)} addresses"
            + (f", without the columns {missing}" if missing else "")
            + ": it does not answer as the address API documents /search/csv"
        )
    table.index = pd.to_numeric(table["erbm_rang"], errors="coerce")
    if not table.index.equals(pd.Index(np.arange(len(addresses)), dtype=table.index.dtype)):
        raise GeocodingError(f"the geocoding service at {url} changed the order or the rows of the file sent")
    return table


def _base(url: str | None) -> str:
    base = url or settings.geocoder_url
    if not str(base).startswith(("http://", "https://")):
        raise InvalidOptionError(f"the geocoding service must be an http(s):// URL, got {base!r}")
    return str(base).rstrip("/")


def _number(s: pd.Series) -> np.ndarray:
    return pd.to_numeric(s.replace("", np.nan), errors="coerce").to_numpy(dtype="float64")


def geocode(
    addresses: Sequence[str] | pd.Series,
    *,
    min_score: float = 0.5,
    url: str | None = None,
    timeout: float = 120.0,
) -> pd.DataFrame:
    """Return a point for each address, with the label matched and its score, by batches.

    Parameters
    ----------
    addresses : sequence of str or pandas.Series
        One address per row (« 10 rue de la Fosse 62300 Lens »); empty rows are kept, unanswered.
    min_score : float, default 0.5
        Below this score (0 to 1) a match is flagged unreliable (``geocode_fiable`` false) and
        its point left out; look at ``geocode_label`` to judge it.
    url : str, optional
        The service; default :data:`erbm_geo.settings.geocoder_url`.
    timeout : float, default 120
        Seconds to wait for each batch of 5,000 addresses.

    Returns
    -------
    pandas.DataFrame
        Aligned on the input's index (a RangeIndex for a sequence): :data:`GEOCODE_COLUMNS` —
        ``geocode_lat``, ``geocode_lon`` (NaN when not found or unreliable), the label and type
        of the match, its score, and ``geocode_fiable``.

    Raises
    ------
    EmptyInputError
        If there is no address.
    InvalidOptionError
        If *min_score* is not between 0 and 1.
    GeocodingError
        If the service cannot be reached (offline), answers an HTTP error, or sends back
        something else than the documented CSV.

    Examples
    --------
    >>> geocode(["10 rue de la Fosse 62300 Lens"])  # doctest: +SKIP
    """
    if not isinstance(min_score, int | float) or isinstance(min_score, bool) or not 0 <= min_score <= 1:
        raise InvalidOptionError(f"min_score must be between 0 and 1, got {min_score!r}")
    series = addresses if isinstance(addresses, pd.Series) else pd.Series(list(addresses), dtype=object)
    if not len(series):
        raise EmptyInputError("geocode: no address given")
    base = _base(url)
    text = ["" if pd.isna(a) else " ".join(str(a).split()) for a in series]
    parts = [_batch(text[i : i + _BATCH], base, timeout) for i in range(0, len(text), _BATCH)]
    t = pd.concat(parts, ignore_index=True)
    score = _number(t["result_score"])
    lat, lon = _number(t["latitude"]), _number(t["longitude"])
    found = np.isfinite(lat) & np.isfinite(lon) & np.isfinite(score)
    reliable = found & (score >= min_score)
    out = pd.DataFrame(
        {
            "geocode_lat": np.where(reliable, lat, np.nan),
            "geocode_lon": np.where(reliable, lon, np.nan),
            "geocode_label": t["result_label"].where(found).astype("string").array,
            "geocode_score": np.where(found, score, np.nan),
            "geocode_type": t["result_type"].where(found).astype("string").array,
            "geocode_fiable": reliable,
        },
        index=series.index,
    )
    out.attrs["unreliable"] = series.index[found & ~reliable].tolist()
    out.attrs["not_found"] = series.index[~found].tolist()
    return out


def geocode_one(address: str, *, url: str | None = None, timeout: float = 30.0) -> dict[str, object] | None:
    """Return the best match of one address at ``/search``: lon, lat, label, score, type; None if none.

    Parameters
    ----------
    address : str
        The address.
    url : str, optional
        The service; default :data:`erbm_geo.settings.geocoder_url`.
    timeout : float, default 30
        Seconds to wait.

    Returns
    -------
    dict or None
        ``{"lon", "lat", "label", "score", "type"}`` of the first feature, None when nothing
        matches.

    Raises
    ------
    EmptyInputError
        If the address is empty.
    GeocodingError
        If the service cannot be reached or does not answer a GeoJSON FeatureCollection.

    Examples
    --------
    >>> geocode_one("Mairie de Lens")  # doctest: +SKIP
    """
    text = " ".join(str(address).split())
    if not text:
        raise EmptyInputError("geocode_one: the address is empty")
    base = _base(url)
    query = urllib.parse.urlencode({"q": text, "limit": 1, "index": "address"})
    raw = _open(f"{base}/search?{query}", f"{base}/search", timeout)
    try:
        feats = json.loads(raw)["features"]
        if not feats:
            return None
        f = feats[0]
        lon, lat = (float(v) for v in f["geometry"]["coordinates"][:2])
        p = f["properties"]
        return {
            "lon": lon,
            "lat": lat,
            "label": str(p["label"]),
            "score": float(p["score"]),
            "type": str(p.get("type", "")),
        }
    except (ValueError, KeyError, TypeError, IndexError) as exc:
        raise GeocodingError(
            f"the geocoding service at {base}/search did not answer a GeoJSON FeatureCollection ({exc!r})"
        ) from None
