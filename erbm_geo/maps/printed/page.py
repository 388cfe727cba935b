"""Paper sizes and the layout of a printed map page.

A page is cut into frames, in inches from the bottom-left corner of the sheet: a header (title
and subtitle), the map, a panel beside or below the map (legend, inset, notes) and a footer
(sources, vintages, build date). The panel goes where it leaves the map the larger scale for the
area drawn: beside an area that is taller than the page's map space, below one that is wider —
so the elongated basin fills a landscape sheet and a compact EPCI a portrait one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from erbm_geo.errors import UnknownOptionError

__all__ = ["PAPERS", "Frame", "Frames", "Page", "layout"]

#: Sheet sizes in inches, portrait (ISO 216: A4 210 × 297 mm, A3 297 × 420 mm).
PAPERS: dict[str, tuple[float, float]] = {"A4": (210 / 25.4, 297 / 25.4), "A3": (297 / 25.4, 420 / 25.4)}

Paper = Literal["A4", "A3"]
Orientation = Literal["landscape", "portrait"]


@dataclass(frozen=True)
class Page:
    """A sheet of paper: ``Page("A4", "portrait")``.

    Parameters
    ----------
    paper : {"A4", "A3"}
    orientation : {"landscape", "portrait"}

    Examples
    --------
    >>> Page().size
    (11.69, 8.27)
    >>> Page.parse("A3-portrait")
    Page(paper='A3', orientation='portrait')
    """

    paper: Paper = "A4"
    orientation: Orientation = "landscape"

    def __post_init__(self) -> None:
        """Check the paper and the orientation."""
        if self.paper not in PAPERS:
            raise UnknownOptionError(f"unknown paper {self.paper!r}; use one of {', '.join(PAPERS)}")
        if self.orientation not in ("landscape", "portrait"):
            raise UnknownOptionError(
                f"unknown orientation {self.orientation!r}; use 'landscape' or 'portrait'"
            )

    @classmethod
    def parse(cls, text: str) -> Page:
        """Read a page from its name, e.g. ``"A4-landscape"`` or ``"a3-portrait"``."""
        paper, _, orientation = text.strip().partition("-")
        return cls(paper.upper(), (orientation or "landscape").lower())  # type: ignore[arg-type]

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in inches, rounded to 0.01 in."""
        w, h = PAPERS[self.paper]
        if self.orientation == "landscape":
            w, h = h, w
        return round(w, 2), round(h, 2)

    @property
    def scale(self) -> float:
        """Return text size relative to A4 (1.0 on A4, √2 on A3)."""
        return min(self.size) / PAPERS["A4"][0]


@dataclass(frozen=True)
class Frame:
    """A rectangle on the sheet, in inches from its bottom-left corner.

    Parameters
    ----------
    x, y : float
        The bottom-left corner, in inches from the sheet's.
    w, h : float
        Width and height, in inches.

    Examples
    --------
    >>> Frame(1.0, 1.0, 4.0, 2.0).w
    4.0
    """

    x: float
    y: float
    w: float
    h: float

    def fraction(self, size: tuple[float, float]) -> tuple[float, float, float, float]:
        """Return the rectangle as fractions of a sheet of *size* (for ``fig.add_axes``)."""
        return self.x / size[0], self.y / size[1], self.w / size[0], self.h / size[1]


@dataclass(frozen=True)
class Frames:
    """Where each part of a map page goes.

    Parameters
    ----------
    header, map, panel, footer : Frame
        The title block, the map, the legend panel and the footer.
    side : bool
        True when the panel is beside the map, False when below.

    Examples
    --------
    >>> f = layout(Page("A4", "landscape"), 2.8)
    >>> f.side, f.map.w > f.map.h
    (False, True)
    """

    header: Frame
    map: Frame
    panel: Frame
    footer: Frame
    side: bool


def layout(
    page: Page,
    aspect: float,
    *,
    footer_lines: int = 3,
    subtitle_lines: int = 2,
    legend_rows: int = 6,
    title_lines: int = 1,
) -> Frames:
    """Cut *page* into frames for an area of width/height ratio *aspect*.

    Parameters
    ----------
    page : Page
        The paper and orientation.
    aspect : float
        Width over height of the area to map (in metres, Lambert-93).
    footer_lines, subtitle_lines : int, default 3, 2
        Lines of text the footer and the subtitle need.
    legend_rows : int, default 6
        Rows of the legend (classes or categories, missing values): a panel below the map is
        made tall enough for them in two columns.
    title_lines : int, default 1
        Lines of text the title needs.

    Returns
    -------
    Frames
        The frames of the page, the map as large as the sheet allows.

    Raises
    ------
    UnknownOptionError
        If *aspect* is not a positive number.

    Examples
    --------
    >>> layout(Page("A4", "landscape"), 2.8).side   # the basin: panel below the map
    False
    >>> layout(Page("A4", "portrait"), 0.9).side    # a compact EPCI on a portrait sheet
    False
    >>> layout(Page("A4", "landscape"), 0.9).side
    True
    """
    if not aspect > 0:
        raise UnknownOptionError(f"layout: the area's aspect must be positive, got {aspect!r}")
    w, h = page.size
    s = page.scale
    margin = 0.4 * s
    header_h = (0.42 + 0.27 * (title_lines - 1) + 0.17 * subtitle_lines + 0.1) * s
    footer_h = (0.13 * footer_lines + 0.08) * s
    gap = 0.15 * s
    body_y = margin + footer_h + gap
    body_h = h - margin - header_h - body_y
    body_w = w - 2 * margin
    header = Frame(margin, h - margin - header_h, body_w, header_h)
    footer = Frame(margin, margin, body_w, footer_h)

    side_w = min(max(2.7 * s, 0.27 * body_w), 3.4 * s)
    legend_h = (0.45 + 0.235 * -(-legend_rows // 2)) * s
    below_h = min(max(1.8 * s, 0.22 * body_h, legend_h), 2.6 * s, 0.4 * body_h)

    def fit(bw: float, bh: float) -> float:  # drawn scale of the area in a bw × bh box
        return min(bw / aspect, bh)

    side_fit = fit(body_w - side_w - gap, body_h)
    below_fit = fit(body_w, body_h - below_h - gap)
    if side_fit > below_fit:
        return Frames(
            header,
            Frame(margin, body_y, body_w - side_w - gap, body_h),
            Frame(margin + body_w - side_w, body_y, side_w, body_h),
            footer,
            True,
        )
    return Frames(
        header,
        Frame(margin, body_y + below_h + gap, body_w, body_h - below_h - gap),
        Frame(margin, body_y, body_w, below_h),
        footer,
        False,
    )
