"""The publishable atlas of the Bassin minier: a static, offline, French site for partners.

:func:`build_atlas` writes the home page, 250 commune portraits, the 8 EPCI pages, one page per
indicator, downloads and sources, rendered from Jinja2 templates (autoescaped) with one
stylesheet and one shared map runtime. The reader-facing vocabulary (shared with the static
maps) lives in :mod:`erbm_geo.maps.vocabulary`; charts in :mod:`~erbm_geo.atlas.charts`; maps
as data in :mod:`~erbm_geo.atlas.mapdata`.
"""

from erbm_geo.atlas.build import BASEMAPS, build_atlas
from erbm_geo.maps.vocabulary import INDICATEURS

#: Indicators with a page of their own (commune level), in page order.
ATLAS_INDICATORS: tuple[str, ...] = tuple(INDICATEURS)

__all__ = ["ATLAS_INDICATORS", "BASEMAPS", "build_atlas"]
