"""The atlas's map data is inert inside its page: data text cannot close the script element nor
reach a template engine (the only value the templates insert unescaped)."""

from __future__ import annotations

import json

import numpy as np
import shapely

from erbm_geo.atlas.mapdata import Features, MapSpec
from erbm_geo.maps.interactive.webjson import geometry_json

HOSTILE = "</script><script>alert(1)</script>{{7*7}}{% raw %}<!--"


def test_map_json_is_inert_and_round_trips() -> None:
    g = Features(geometry_json(np.array([shapely.Point(3.0, 50.4)])), np.zeros((1, 4)))
    spec = MapSpec(HOSTILE, base="communes", base_props={HOSTILE: {"t": [HOSTILE]}})
    spec.layer(HOSTILE, g.collection([0], [{"t": [HOSTILE]}]), style={"color": "#000000"})
    spec.legende(HOSTILE, [(HOSTILE, "#123456", "fill")], note=HOSTILE)
    spec.palette = ["#ffffff"]
    text = spec.to_json()
    for bad in ("<", ">", "&", "{{", "{%", "{#"):  # no tag, no comment, no template opener
        assert bad not in text, bad
    back = json.loads(text)
    assert back["titre"] == HOSTILE and back["layers"][0]["opts"]["name"] == HOSTILE
    assert back["layers"][0]["data"]["features"][0]["properties"]["t"] == [HOSTILE]
    assert back["legendes"][0]["items"][0][0] == HOSTILE and back["palette"] == ["#ffffff"]
