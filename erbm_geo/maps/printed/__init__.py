"""Printed maps: A4/A3 pages, map books and their cartography (matplotlib).

:mod:`~erbm_geo.maps.printed.static_maps` (``static_map``, ``save_figure``),
:mod:`~erbm_geo.maps.printed.book` (``map_book``), :mod:`~erbm_geo.maps.printed.page` (sheet
sizes and layout), :mod:`~erbm_geo.maps.printed.sheet` (drawing a page),
:mod:`~erbm_geo.maps.printed.symbology` (classes and legends),
:mod:`~erbm_geo.maps.printed.cartography` (names, scale bar, north arrow, inset) and
:mod:`~erbm_geo.maps.printed.reference` (the background layers). The public names are also
``erbm_geo.maps.static_map``, ``erbm_geo.maps.map_book``…
"""
