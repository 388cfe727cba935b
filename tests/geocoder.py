"""A stand-in for the Géoplateforme's geocoding service on 127.0.0.1 (a helper module, not a test module).

It answers as the address API documents its two endpoints (addok and its addok-csv plugin, which
the Géoplateforme's service runs): ``GET /search?q=…`` gives a GeoJSON FeatureCollection whose
features carry ``label``, ``score``, ``type`` and ``id``; ``POST /search/csv`` (multipart, the file
in ``data``, the address columns in ``columns``) gives the file back with ``latitude``,
``longitude``, ``result_label``, ``result_score``, ``result_type``, ``result_id`` and
``result_housenumber`` appended, empty where nothing matched. The addresses it knows and their
points are invented for the tests.
"""

from __future__ import annotations

import csv
import io
import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

#: Invented addresses: (label matched, score, type, lon, lat).
KNOWN: dict[str, tuple[str, float, str, float, float]] = {
    "1 rue de l'essai 62300 lens": ("1 Rue de l'Essai 62300 Lens", 0.93, "housenumber", 2.8319, 50.4322),
    "rue incertaine lens": ("Rue Incertaine 62300 Lens", 0.31, "street", 2.83, 50.43),
    "=cmd|' /c calc'!a0": ('=HYPERLINK("http://x","clic")', 0.9, "street", 2.8319, 50.4322),
}
_RESULT = [
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_type",
    "result_id",
    "result_housenumber",
]


def _match(q: str) -> tuple[str, float, str, float, float] | None:
    return KNOWN.get(" ".join(q.lower().split()))


def _parts(body: bytes, content_type: str) -> dict[str, list[bytes]]:
    boundary = content_type.split("boundary=", 1)[1].encode()
    out: dict[str, list[bytes]] = {}
    for part in body.split(b"--" + boundary):
        if b"\r\n\r\n" not in part:
            continue
        head, value = part.split(b"\r\n\r\n", 1)
        name = head.decode().split('name="', 1)[1].split('"', 1)[0]
        out.setdefault(name, []).append(value[:-2] if value.endswith(b"\r\n") else value)
    return out


class _Handler(BaseHTTPRequestHandler):
    mode: ClassVar[dict[str, Any]] = {}

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _send(self, code: int, body: bytes, ctype: str) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # http.server's name
        url = urllib.parse.urlparse(self.path)
        if url.path != "/search":
            self._send(404, b"not found", "text/plain")
            return
        q = urllib.parse.parse_qs(url.query).get("q", [""])[0]
        m = _match(q)
        feats = (
            []
            if m is None
            else [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [m[3], m[4]]},
                    "properties": {"label": m[0], "score": m[1], "type": m[2], "id": "essai_1"},
                }
            ]
        )
        self._send(
            200, json.dumps({"type": "FeatureCollection", "features": feats}).encode(), "application/json"
        )

    def do_POST(self) -> None:
        self.mode.setdefault("requests", []).append(self.path)
        if self.mode.get("status"):
            self._send(int(self.mode["status"]), b"Too Many Requests", "text/plain")
            return
        if self.path != "/search/csv":
            self._send(404, b"not found", "text/plain")
            return
        body = self.rfile.read(int(self.headers["Content-Length"]))
        parts = _parts(body, self.headers["Content-Type"])
        columns = [c.decode() for c in parts.get("columns", [])]
        rows = list(csv.DictReader(io.StringIO(parts["data"][0].decode("utf-8-sig"))))
        if self.mode.get("garbage"):
            self._send(200, b"\x00\x01 not a csv", "text/csv")
            return
        if self.mode.get("drop_last"):
            rows = rows[:-1]
        out = io.StringIO()
        names = list(rows[0].keys()) if rows else []
        w = csv.DictWriter(out, [*names, *_RESULT], lineterminator="\r\n")
        w.writeheader()
        for r in rows:
            m = _match(" ".join(r[c] for c in columns))
            extra = dict.fromkeys(_RESULT, "")
            if m is not None:
                extra.update(
                    latitude=str(m[4]),
                    longitude=str(m[3]),
                    result_label=m[0],
                    result_score=str(m[1]),
                    result_type=m[2],
                    result_id="essai_1",
                    result_housenumber="",
                )
            w.writerow({**r, **extra})
        self._send(200, out.getvalue().encode("utf-8"), "text/csv; charset=utf-8")


@contextmanager
def service(**mode: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Run the stand-in on a free port of 127.0.0.1; yield its base URL and what it was asked."""
    handler = type("Handler", (_Handler,), {"mode": dict(mode)})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", handler.mode
    finally:
        server.shutdown()
        server.server_close()
