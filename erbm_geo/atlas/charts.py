"""Small charts of the atlas as inline SVG, authored here (no library, no CDN).

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` and is followed in the
page by the table of its values (its text alternative). Text taken from data is escaped; the
markup is returned as :class:`markupsafe.Markup` for the templates.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

import numpy as np
from markupsafe import Markup

from erbm_geo.maps.vocabulary import Indicateur, nombre

__all__ = ["comparaison", "evolution", "histogramme", "progression"]

_FONT = 'font-family="system-ui, sans-serif"'
_INK = "#1f1f1f"
_MUTED = "#595959"  # 7:1 on white
_ACCENT = "#08519c"
_TARGET = "#b2182b"


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(width: int, height: int, ident: str, title: str, desc: str, body: str) -> Markup:
    return Markup(
        f'<svg class="graphique" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{_e(ident)}-t {_e(ident)}-d" preserveAspectRatio="xMinYMin meet">'
        f'<title id="{_e(ident)}-t">{_e(title)}</title><desc id="{_e(ident)}-d">{_e(desc)}</desc>'
        f"{body}</svg>"
    )


def progression(
    points: Sequence[tuple[str, float, str]], objectif: float, echeance: str, *, ident: str = "progression"
) -> Markup:
    """Return the renovated homes by date against the target.

    One bar per milestone, a dashed target line.

    Parameters
    ----------
    points : sequence of (str, float, str)
        ``(ISO date, value, comparator)`` with comparator ``>``, ``~`` or ``=`` (« plus de »,
        « environ »).
    objectif : float
        The target.
    echeance : str
        The target's ISO date.
    ident : str, default "progression"
        The chart's id prefix in the page.

    Returns
    -------
    markupsafe.Markup
        An accessible SVG.

    Examples
    --------
    >>> svg = progression([("2019-01-01", 1000, ">"), ("2023-06-30", 12000, "~")], 23000, "2027-12-31")
    >>> "Logements miniers réhabilités" in svg
    True
    """
    w, h, left, right, top, bottom = 640, 300, 64, 20, 24, 44
    y0, y1 = date(2017, 1, 1).toordinal(), date(int(echeance[:4]), 12, 31).toordinal()
    vmax = objectif * 1.08

    def x(d: str) -> float:
        t = date.fromisoformat(d[:10]).toordinal()
        return left + (t - y0) / (y1 - y0) * (w - left - right)

    def y(v: float) -> float:
        return top + (1 - v / vmax) * (h - top - bottom)

    parts = []
    for tick in range(0, int(vmax) + 1, 5000):  # horizontal grid
        parts.append(
            f'<line x1="{left}" x2="{w - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#dcdcdc"/>'
        )
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" '
            f'font-size="12" fill="{_MUTED}" {_FONT}>{nombre(tick)}</text>'
        )
    for year in range(2017, int(echeance[:4]) + 1):
        xx = x(f"{year}-07-01")
        parts.append(
            f'<text x="{xx:.1f}" y="{h - bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="{_MUTED}" {_FONT}>{year}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{w - right}" y1="{y(objectif):.1f}" '
        f'y2="{y(objectif):.1f}" stroke="{_TARGET}" stroke-width="2" '
        f'stroke-dasharray="6 4"/>'
    )
    parts.append(
        f'<text x="{left + 6}" y="{y(objectif) - 6:.1f}" font-size="13" '
        f'fill="{_TARGET}" {_FONT}>Objectif : {nombre(objectif)} logements fin '
        f"{_e(echeance[:4])}</text>"
    )
    bar = 26
    for d, v, comp in points:
        xx = x(d)
        mot = {">": "plus de ", "~": "environ "}.get(comp, "")
        parts.append(
            f'<rect x="{xx - bar / 2:.1f}" y="{y(v):.1f}" width="{bar}" '
            f'height="{y(0) - y(v):.1f}" fill="{_ACCENT}"/>'
        )
        parts.append(
            f'<text x="{xx:.1f}" y="{y(v) - 6:.1f}" text-anchor="middle" '
            f'font-size="12" fill="{_INK}" {_FONT}>{_e(mot)}{nombre(v)}</text>'
        )
    parts.append(f'<line x1="{left}" x2="{w - right}" y1="{y(0):.1f}" y2="{y(0):.1f}" stroke="{_INK}"/>')
    desc = "; ".join(
        f"{d[:10]} : {'plus de ' if c == '>' else ('environ ' if c == '~' else '')}{nombre(v)} logements"
        for d, v, c in points
    )
    return _svg(
        w,
        h,
        ident,
        "Logements miniers réhabilités depuis 2017",
        f"{desc}. Objectif : {nombre(objectif)} logements.",
        "".join(parts),
    )


def histogramme(
    values: np.ndarray,
    ind: Indicateur,
    *,
    repere: float | None,
    repere_label: str,
    ident: str,
    bins: int = 12,
) -> Markup:
    """Return the distribution of the communes' values (bars of equal width), with the basin's value marked.

    Missing values are left out (and counted in the description).

    Parameters
    ----------
    values : numpy.ndarray of float
        The communes' values (NaN: missing).
    ind : Indicateur
        The indicator.
    repere : float or None
        The value marked (the basin's), or none.
    repere_label : str
        Its label.
    ident : str
        The chart's id prefix in the page.
    bins : int, default 12
        The number of bars.

    Returns
    -------
    markupsafe.Markup
        An accessible SVG.

    Examples
    --------
    >>> from erbm_geo.maps.vocabulary import INDICATEURS
    >>> svg = histogramme(np.array([0.0, 0.1, 0.2, np.nan]), INDICATEURS["qpv_share"],
    ...                   repere=0.05, repere_label="Bassin minier", ident="h")
    >>> svg.count("<rect") > 0, "Répartition des communes" in svg
    (True, True)
    """
    v = np.asarray(values, dtype=float) * ind.echelle
    ok = v[~np.isnan(v)]
    w, h, left, right, top, bottom = 640, 240, 48, 16, 20, 48
    if len(ok) == 0:
        return _svg(w, 60, ident, f"Répartition des communes — {ind.court}", "Aucune valeur disponible.", "")
    lo, hi = float(ok.min()), float(ok.max())
    if hi == lo:
        hi = lo + 1
    edges = np.linspace(lo, hi, bins + 1)
    counts, _ = np.histogram(ok, bins=edges)
    cmax = max(int(counts.max()), 1)
    bw = (w - left - right) / bins

    def y(c: float) -> float:
        return top + (1 - c / cmax) * (h - top - bottom)

    parts = []
    step = max(1, int(np.ceil(cmax / 4)))
    for tick in range(0, cmax + 1, step):
        parts.append(
            f'<line x1="{left}" x2="{w - right}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#e3e3e3"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" '
            f'text-anchor="end" font-size="12" fill="{_MUTED}" {_FONT}>{tick}</text>'
        )
    for i, c in enumerate(counts):
        if c:
            parts.append(
                f'<rect x="{left + i * bw + 1:.1f}" y="{y(c):.1f}" width="{bw - 2:.1f}" '
                f'height="{y(0) - y(c):.1f}" fill="{_ACCENT}"/>'
            )
    for i in (0, bins // 2, bins):
        parts.append(
            f'<text x="{left + i * bw:.1f}" y="{h - bottom + 18}" text-anchor="middle" '
            f'font-size="12" fill="{_MUTED}" {_FONT}>'
            f"{_e(nombre(edges[i], ind.decimales))}</text>"
        )
    parts.append(
        f'<text x="{(w + left) / 2:.1f}" y="{h - 8}" text-anchor="middle" '
        f'font-size="12" fill="{_MUTED}" {_FONT}>{_e(ind.titre)}'
        f"</text>"
    )
    if repere is not None and not np.isnan(repere):
        r = repere * ind.echelle
        xr = left + (min(max(r, lo), hi) - lo) / (hi - lo) * (w - left - right)
        parts.append(
            f'<line x1="{xr:.1f}" x2="{xr:.1f}" y1="{top - 6}" y2="{y(0):.1f}" '
            f'stroke="{_TARGET}" stroke-width="2" stroke-dasharray="4 3"/>'
            f'<text x="{min(xr + 4, w - 150):.1f}" y="{top + 4}" font-size="12" '
            f'fill="{_TARGET}" {_FONT}>{_e(repere_label)}</text>'
        )
    n_na = int(np.isnan(v).sum())
    desc = (
        f"{len(ok)} communes, de {ind.valeur(lo / ind.echelle)} à "
        f"{ind.valeur(hi / ind.echelle)}" + (f" ; {n_na} sans valeur" if n_na else "") + "."
    )
    return _svg(w, h, ident, f"Répartition des communes — {ind.court}", desc, "".join(parts))


def comparaison(valeur: float, bassin: float, ind: Indicateur, *, nom: str, ident: str) -> Markup:
    """Return two horizontal bars, the territory (*nom*) and the basin, for one indicator.

    Parameters
    ----------
    valeur, bassin : float
        The territory's value and the basin's, in the stored unit.
    ind : Indicateur
        The indicator.
    nom : str
        The territory's name (shown as text).
    ident : str
        The chart's id prefix in the page.

    Returns
    -------
    markupsafe.Markup
        An accessible SVG (title and description in French); data text is escaped.

    Examples
    --------
    >>> from erbm_geo.maps.vocabulary import INDICATEURS
    >>> svg = comparaison(0.12, 0.03, INDICATEURS["qpv_share"], nom="Lens", ident="c1")
    >>> "Lens : 12,0\u202f% ; Bassin minier : 3,0\u202f%" in svg
    True
    """
    w, h = 380, 64
    finite = [abs(v) for v in (valeur, bassin) if v is not None and not np.isnan(v)]
    vmax = max(finite) if finite and max(finite) > 0 else 1.0
    parts = []
    for i, (lab, v, col) in enumerate(((nom, valeur, _ACCENT), ("Bassin minier", bassin, "#737373"))):
        yy = 6 + i * 28
        width = 0.0 if v is None or np.isnan(v) else abs(v) / vmax * 140
        short = lab if len(lab) <= 22 else lab[:21] + "…"
        parts.append(
            f'<text x="0" y="{yy + 14}" font-size="12" fill="{_INK}" {_FONT}>'
            f"{_e(short)}</text>"
            f'<rect x="150" y="{yy + 3}" width="{width:.1f}" height="14" fill="{col}"/>'
            f'<text x="{150 + width + 4:.1f}" y="{yy + 14}" font-size="12" '
            f'fill="{_INK}" {_FONT}>{_e(ind.valeur(v))}</text>'
        )
    return _svg(
        w,
        h,
        ident,
        f"{ind.court} : {nom} et Bassin minier",
        f"{nom} : {ind.valeur(valeur)} ; Bassin minier : {ind.valeur(bassin)}.",
        "".join(parts),
    )


#: Line styles of :func:`evolution`: the territory, its EPCI, the basin (colour, width, dashes).
_LIGNES = ((_ACCENT, 3.0, ""), ("#b35806", 2.0, "7 4"), ("#4d4d4d", 2.0, "2 3"))


def _index_ticks(lo: float, hi: float) -> list[float]:
    """Round ticks of an index axis covering *lo*–*hi* and at least 98–102 (always 100)."""
    lo, hi = min(lo, 98.0), max(hi, 102.0)  # at least ± 2 points: a small change looks small
    span = hi - lo
    step = next((s for s in (0.5, 1, 2, 2.5, 5, 10, 20, 25, 50, 100) if span / s <= 6), 250.0)
    first = np.floor(lo / step) * step
    return [float(first + i * step) for i in range(int(np.ceil((hi - first) / step)) + 1)]


def evolution(
    years: Sequence[int], series: Sequence[tuple[str, Sequence[float]]], *, ident: str, titre: str
) -> Markup:
    """Return an indexed line chart: each series as 100 at the first year.

    Up to three series (a commune, its EPCI, the basin), drawn with distinct colours *and*
    dash patterns (readable without colour), named at the end of their line; the last of several
    series (the basin) is always the grey dotted line.

    Parameters
    ----------
    years : sequence of int
        The years, increasing (the x axis is proportional to time).
    series : sequence of (str, sequence of float)
        Each series' name (data text, escaped) and its values, one per year; the first value
        must be positive.
    ident : str
        The chart's id prefix in the page.
    titre : str
        The chart's title.

    Returns
    -------
    markupsafe.Markup
        An accessible SVG (title, description with every index).

    Examples
    --------
    >>> svg = evolution([2016, 2023], [("Lens", [100, 110]), ("Bassin", [1000, 990])],
    ...                 ident="e", titre="Population")
    >>> "Lens : indice 110,0 en 2023" in svg
    True
    """
    w, h, left, right, top, bottom = 640, 280, 52, 170, 16, 36
    idx = [(n, [100.0 * float(v) / float(vals[0]) for v in vals]) for n, vals in series]
    allv = [v for _, vals in idx for v in vals]
    ticks = _index_ticks(min([*allv, 100.0]), max([*allv, 100.0]))
    lo, hi = ticks[0], ticks[-1]
    y0, y1 = years[0], years[-1]

    def x(yr: float) -> float:
        return left + (yr - y0) / max(y1 - y0, 1) * (w - left - right)

    def y(v: float) -> float:
        return top + (1 - (v - lo) / (hi - lo)) * (h - top - bottom)

    parts = []
    for t in ticks:
        parts.append(
            f'<line x1="{left}" x2="{w - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" '
            f'stroke="{"#8c8c8c" if t == 100 else "#dcdcdc"}"/>'
            f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end" font-size="12" '
            f'fill="{_MUTED}" {_FONT}>{nombre(t, 0 if t == int(t) else 1)}</text>'
        )
    for yr in years:
        parts.append(
            f'<text x="{x(yr):.1f}" y="{h - bottom + 18}" text-anchor="middle" font-size="12" '
            f'fill="{_MUTED}" {_FONT}>{int(yr)}</text>'
        )
    ends: list[float] = []
    # the last of several series is the reference (the basin): always the grey dotted line
    styles = (*_LIGNES[: len(idx) - 1], _LIGNES[2]) if len(idx) > 1 else _LIGNES[:1]
    for (name, vals), (colour, width, dash) in zip(idx, styles, strict=False):
        pts = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in zip(years, vals, strict=True))
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes}/>'
        )
        ly = y(vals[-1]) + 4
        while any(abs(ly - e) < 14 for e in ends):  # names of lines that end close: one below the other
            ly += 14
        ends.append(ly)
        short = name if len(name) <= 24 else name[:23] + "…"
        parts.append(
            f'<text x="{x(y1) + 8:.1f}" y="{ly:.1f}" font-size="12" fill="{colour}" {_FONT}>'
            f"{_e(short)}</text>"
        )
    desc = " ; ".join(f"{n} : indice {nombre(vals[-1], 1)} en {years[-1]}" for n, vals in idx)
    return _svg(w, h, ident, titre, f"Indice 100 en {years[0]}. {desc}.", "".join(parts))
