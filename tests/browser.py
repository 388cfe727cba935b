"""Open generated HTML in a real headless Chromium (Debian ``chromium``), with no network.

The page is copied with a probe script that records JavaScript errors and, after load, writes a
JSON report (errors, features drawn per layer, legends, layer control) into the DOM, which
``--dump-dom`` returns.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--hide-scrollbars",
]

PROBE = """<script>
window.__errors = [];
window.addEventListener("error", function (e) { window.__errors.push(String(e.message || e)); });
window.addEventListener("unhandledrejection", function (e) { window.__errors.push(String(e.reason)); });
function __text(c, l) {
  if (typeof c === "function") { c = c(l); }
  return c && c.textContent !== undefined ? c.textContent : String(c);
}
function __texts() {
  var t = { tooltips: [], popups: [], search: [], legend: "", control: "", attribution: "" };
  (window.ERBM ? window.ERBM.layers : []).forEach(function (layer) {
    layer.eachLayer(function (f) {
      if (f.getTooltip && f.getTooltip()) { t.tooltips.push(__text(f.getTooltip()._content, f)); }
      if (f.getPopup && f.getPopup()) { t.popups.push(__text(f.getPopup()._content, f)); }
    });
  });
  document.querySelectorAll(".erbm-search option").forEach(function (o) { t.search.push(o.value); });
  document.querySelectorAll(".erbm-legend").forEach(function (e) { t.legend += e.textContent; });
  document.querySelectorAll(".leaflet-control-layers").forEach(function (e) { t.control += e.textContent; });
  document.querySelectorAll(".leaflet-control-attribution").forEach(function (e) {
    t.attribution += e.textContent; });
  return t;
}
function __exerciseSearch() {
  /* names a reader may type: object-prototype keys, then every real entry */
  document.querySelectorAll(".erbm-search input").forEach(function (inp) {
    var names = ["toString", "constructor", "__proto__", "hasOwnProperty"];
    inp.parentNode.querySelectorAll("option").forEach(function (o) { names.push(o.value); });
    names.forEach(function (n) { inp.value = n; inp.dispatchEvent(new Event("change")); });
  });
}
/* was the page's text painted when the map's data (its first script) ran? null: no map */
window.__dataAfterPaint = null;
(function () {
  var v;
  Object.defineProperty(window, "ERBM_CARTE", { configurable: true, get: function () { return v; },
    set: function (x) { v = x;
      window.__dataAfterPaint = performance.getEntriesByName("first-contentful-paint").length > 0; } });
})();
window.addEventListener("load", function () {
  var atLoad = !!(window.ERBM && window.ERBM.maps.length);  /* what a print at "load" gets */
  setTimeout(function () {
  var r = { layers: window.ERBM ? window.ERBM.report() : null,
            map_at_load: atLoad,
            map_after_paint: window.__dataAfterPaint,
            legends: document.querySelectorAll(".erbm-legend").length,
            layer_control: !!document.querySelector(".leaflet-control-layers"),
            paths: document.querySelectorAll("path.leaflet-interactive").length,
            texts: __texts(),
            text: document.body.innerText.slice(0, 200000),
            overflow: document.documentElement.scrollWidth - window.innerWidth,
            width: window.innerWidth };
  __exerciseSearch();
  setTimeout(function () {  /* after the (animated) moves the search made */
    r.views = (window.ERBM ? window.ERBM.maps : []).map(function (m) {
      var c = m.getCenter(); return [c.lat, c.lng, m.getZoom()]; });
    r.errors = window.__errors;
    var pre = document.createElement("pre"); pre.id = "__report";
    pre.textContent = JSON.stringify(r); document.body.appendChild(pre);
  }, 1000);
}, 300); });
</script>"""


def _run(args: list[str], timeout: int = 60) -> str:
    assert CHROMIUM, "Debian chromium is required for browser tests (apt-get install chromium)"
    with tempfile.TemporaryDirectory() as profile:
        try:
            out = subprocess.run(
                [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(
                "the page never finished loading (a blocking dialog such as alert() — i.e. "
                f"script injected from data — would do that): {args[-1]}"
            ) from exc
    return out.stdout


def _probe(html_path: Path, script: str, args: list[str], marker: str) -> Any:
    """Load *html_path* in a copy (beside it, so relative links work) with *script* injected
    first in <head>, and return the JSON the script writes into ``<pre id=marker>``."""
    text = html_path.read_text("utf-8")
    probed = html_path.with_name(f".probe-{html_path.name}")
    head = re.search(r"<head[^>]*>", text)
    pos = head.end() if head else 0
    probed.write_text(text[:pos] + script + text[pos:], "utf-8")
    try:
        dom = _run([*args, "--dump-dom", probed.as_uri()], timeout=120)
    finally:
        probed.unlink(missing_ok=True)
    m = re.search(rf'<pre id="{marker}">(.*?)</pre>', dom, re.S)
    assert m, f"no report from the page (chromium output: {dom[:500]!r})"
    import html

    return json.loads(html.unescape(m.group(1)))


def inspect(html_path: Path, *, size: str = "1280,900") -> dict[str, Any]:
    """Load *html_path* (in a copy with the probe) at window *size* and return the report:
    JavaScript errors, features drawn per layer, legends, texts, horizontal overflow (px)."""
    return _probe(html_path, PROBE, [f"--window-size={size}", "--virtual-time-budget=10000"], "__report")


AXE = Path(__file__).resolve().parents[1] / "build" / "node" / "node_modules" / "axe-core" / "axe.min.js"


def axe(html_path: Path, *, size: str = "1280,900") -> list[dict[str, Any]]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on *html_path* once its maps are drawn and
    return the violations (rule id, impact, help, targets of the first nodes)."""
    assert AXE.is_file(), f"axe-core is missing: {AXE} (bash scripts/dev.sh test installs it)"
    script = (
        f'<script src="{AXE.as_uri()}"></script><script>'
        'window.addEventListener("load", function () { setTimeout(function () {'
        ' axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa",'
        ' "wcag21a", "wcag21aa"] } }).then(function (r) {'
        "  var out = r.violations.map(function (v) { return { id: v.id, impact: v.impact,"
        "   help: v.help, nodes: v.nodes.slice(0, 5).map(function (n) {"
        '    return n.target.join(" "); }) }; });'
        '  var pre = document.createElement("pre"); pre.id = "__axe";'
        "  pre.textContent = JSON.stringify(out); document.body.appendChild(pre); });"
        " }, 500); });</script>"
    )
    return _probe(html_path, script, [f"--window-size={size}", "--virtual-time-budget=30000"], "__axe")


def screenshot(html_path: Path, png: Path, size: str = "1280,900") -> Path:
    """Save a screenshot of *html_path* to *png*."""
    _run([f"--window-size={size}", "--virtual-time-budget=10000", f"--screenshot={png}", html_path.as_uri()])
    assert png.is_file() and png.stat().st_size > 1000, "chromium wrote no screenshot"
    return png


def phone(html_path: Path, *, width: int = 400, height: int = 860) -> dict[str, Any]:
    """Open *html_path* in a *width* px wide frame (a phone's viewport: its media queries apply;
    headless Chromium windows are never narrower than 500 px) and report the horizontal overflow
    of the page and its JavaScript errors."""
    wrapper = html_path.with_name(f".phone-{html_path.name}")
    wrapper.write_text(
        '<!doctype html><html><body style="margin:0">'
        f'<iframe id="f" src="{html_path.name}" style="width:{width}px;height:{height}px;border:0">'
        "</iframe><script>"
        'var f = document.getElementById("f"), errors = [];'
        'f.addEventListener("load", function () {'
        ' f.contentWindow.addEventListener("error", function (e) { errors.push(String(e.message)); });'
        " setTimeout(function () { var d = f.contentDocument;"
        "  var r = { width: f.contentWindow.innerWidth,"
        "   overflow: d.documentElement.scrollWidth - f.contentWindow.innerWidth, errors: errors,"
        '   legend_open: Array.prototype.map.call(d.querySelectorAll("details.legende"),'
        "    function (x) { return x.open; }) };"
        '  var pre = document.createElement("pre"); pre.id = "__phone";'
        "  pre.textContent = JSON.stringify(r); document.body.appendChild(pre); }, 1500); });"
        "</script></body></html>",
        "utf-8",
    )
    try:
        dom = _run(
            [
                "--allow-file-access-from-files",
                "--window-size=600,900",
                "--virtual-time-budget=10000",
                "--dump-dom",
                wrapper.as_uri(),
            ],
            timeout=120,
        )
    finally:
        wrapper.unlink(missing_ok=True)
    m = re.search(r'<pre id="__phone">(.*?)</pre>', dom, re.S)
    assert m, f"no report from the framed page (chromium output: {dom[:500]!r})"
    import html

    return json.loads(html.unescape(m.group(1)))


def _framed(html_path: Path, marker: str, script: str) -> Any:
    """Run *script* in a page that frames *html_path* (so its navigations can be watched) and
    return the JSON the script writes into ``<pre id=marker>``."""
    wrapper = html_path.with_name(f".frame-{marker}-{html_path.name}")
    wrapper.write_text(
        '<!doctype html><html><body><iframe id="f" style="width:1200px;height:800px"></iframe>'
        f"<script>{script}</script></body></html>",
        "utf-8",
    )
    try:
        dom = _run(
            ["--allow-file-access-from-files", "--virtual-time-budget=20000", "--dump-dom", wrapper.as_uri()],
            timeout=120,
        )
    finally:
        wrapper.unlink(missing_ok=True)
    m = re.search(rf'<pre id="{marker}">(.*?)</pre>', dom, re.S)
    assert m, f"no report from the framed page (chromium output: {dom[:500]!r})"
    import html

    return json.loads(html.unescape(m.group(1)))


def home_search(html_path: Path, names: list[str]) -> list[str]:
    """Type each of *names* into the atlas home page's commune search (in a frame) and return,
    for each, the page the frame shows afterwards (its file name; the home page's when the
    search led nowhere)."""
    report = _framed(
        html_path,
        "__search",
        f"var names = {json.dumps(names)}, seen = [], f = document.getElementById('f'), i = 0;"
        "function next() {"
        " if (i === names.length) { var pre = document.createElement('pre'); pre.id = '__search';"
        "  pre.textContent = JSON.stringify(seen); document.body.appendChild(pre); return; }"
        f" f.onload = function () {{ f.onload = null;"
        "  var inp = f.contentDocument.querySelector('form.recherche input');"
        "  inp.value = names[i]; inp.dispatchEvent(new Event('change'));"
        "  setTimeout(function () { var h = String(f.contentWindow.location.href);"
        "   seen.push(h.slice(h.lastIndexOf('/') + 1)); i += 1; next(); }, 400); };"
        f" f.src = {json.dumps(html_path.name)} + '?' + i; }}"
        "next();",
    )
    return [str(s) for s in report]


def ici(html_path: Path, points: list[tuple[float, float]]) -> list[str]:
    """Open « Ici » on *html_path*'s first map at each (lat, lon) of *points*, through the page's
    own ``ERBM.ici``, and return the text of each answer (the popup) — "" where none opened."""
    script = (
        "<script>window.addEventListener('load', function () { setTimeout(function () {"
        f" var pts = {json.dumps(points)}, out = [];"
        " function read() { var p = document.querySelectorAll('.leaflet-popup-content');"
        "  return p.length ? p[p.length - 1].innerText : ''; }"
        " window.ERBM.ici(pts[0][0], pts[0][1], false);"  # the first answer loads assets/ici.js
        " setTimeout(function () {"
        "  pts.forEach(function (p) { window.ERBM.ici(p[0], p[1], false); out.push(read()); });"
        "  var pre = document.createElement('pre'); pre.id = '__ici';"
        "  pre.textContent = JSON.stringify(out); document.body.appendChild(pre);"
        " }, 1500); }, 300); });</script>"
    )
    return [str(s) for s in _probe(html_path, script, ["--virtual-time-budget=15000"], "__ici")]


def search_from(html_path: Path, text: str) -> dict[str, str]:
    """Type *text* into the search box of *html_path* (in a frame) and return the address the
    frame shows afterwards and the text of any « Ici » answer open there."""
    report = _framed(
        html_path,
        "__from",
        "var f = document.getElementById('f'), done = false;"
        "f.onload = function () { if (done) { return; } done = true;"
        " var inp = f.contentDocument.querySelector('form.recherche input');"
        f" inp.value = {json.dumps(text)}; inp.dispatchEvent(new Event('change'));"
        " setTimeout(function () { var d = f.contentDocument, p = d.querySelector('.leaflet-popup-content');"
        "  var pre = document.createElement('pre'); pre.id = '__from';"
        "  pre.textContent = JSON.stringify({href: String(f.contentWindow.location.href),"
        "   ici: p ? p.innerText : ''}); document.body.appendChild(pre); }, 3000); };"
        f"f.src = {json.dumps(html_path.name)};",
    )
    return {k: str(v) for k, v in report.items()}
