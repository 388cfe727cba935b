/* erbm_geo map runtime: vector layers with shared styles, and small offline controls
   (fullscreen, minimap, measure, commune search). Authored for erbm_geo; needs Leaflet 1.9. */
(function () {
  "use strict";
  var ERBM = { layers: [], maps: [] };

  function styleFor(opts, props) {
    var s = Object.assign({}, opts.base || {});
    if (opts.palette && props && props.c !== undefined && props.c !== null) {
      var col = opts.palette[props.c];
      if (opts.geom === "line") { s.color = col; } else { s.fillColor = col; if (opts.geom === "point") { s.color = col; } }
    }
    s.className = "erbm-l-" + opts.id;
    return s;
  }

  function textBlock(lines) {
    var d = document.createElement("div");
    lines.forEach(function (line, i) {
      if (i) { d.appendChild(document.createElement("br")); }
      d.appendChild(document.createTextNode(line));
    });
    return d;
  }

  function table(labels, values) {
    var t = document.createElement("table"); t.className = "erbm-popup";
    labels.forEach(function (lab, i) {
      var tr = t.insertRow(), th = document.createElement("th"), td = document.createElement("td");
      th.textContent = lab; td.textContent = values[i]; tr.appendChild(th); tr.appendChild(td);
    });
    return t;
  }

  /* Geometries arrive quantised (1e-5 degree units) and delta-encoded, ring by ring:
     [x0, y0, dx1, dy1, …]. Decoding restores GeoJSON coordinates. */
  function ring(q) {
    var out = [], x = 0, y = 0;
    for (var i = 0; i < q.length; i += 2) { x += q[i]; y += q[i + 1]; out.push([x / 1e5, y / 1e5]); }
    return out;
  }
  var DEPTH = { Point: 0, LineString: 1, MultiPoint: 1, Polygon: 2, MultiLineString: 2, MultiPolygon: 3 };
  function decode(g) {
    if (!g || !g.q) { return g; }
    function walk(v, d) { return d === 1 ? ring(v) : v.map(function (w) { return walk(w, d - 1); }); }
    var d = DEPTH[g.type];
    var coords = d === 0 ? ring(g.q)[0] : walk(g.q, d);
    return { type: g.type, coordinates: coords };
  }
  ERBM.decode = function (data) {
    data.features.forEach(function (f) { f.geometry = decode(f.geometry); });
    return data;
  };

  ERBM.layer = function (map, data, opts) {
    ERBM.decode(data);
    var layer = L.geoJSON(data, {
      style: function (f) { return styleFor(opts, f.properties); },
      pointToLayer: function (f, latlng) {
        return L.circleMarker(latlng, Object.assign({ radius: opts.radius || 5 }, styleFor(opts, f.properties)));
      },
      onEachFeature: function (f, l) {
        /* Text from data is inserted with textContent only: it can never become markup. */
        var p = f.properties || {};
        if (p.t) { l.bindTooltip(function () { return textBlock(p.t); }, { sticky: true }); }
        if (p.v && opts.popup) { l.bindPopup(function () { return table(opts.popup, p.v); }, { maxWidth: 360 }); }
      }
    });
    layer.erbmName = opts.name;
    layer.erbmSearch = opts.search || null;
    if (opts.show !== false) { layer.addTo(map); }
    ERBM.layers.push(layer);
    return layer;
  };

  /* One legend box per map; each call adds a section (HTML built and escaped by erbm_geo). */
  ERBM.legend = function (map, html) {
    if (!map._erbmLegend) {
      var c = L.control({ position: "bottomright" });
      c.onAdd = function () {
        var d = L.DomUtil.create("div", "erbm-legend");
        L.DomEvent.disableClickPropagation(d);
        L.DomEvent.disableScrollPropagation(d);
        return d;
      };
      c.addTo(map);
      map._erbmLegend = c.getContainer();
    }
    var sec = L.DomUtil.create("section", "erbm-legend-section", map._erbmLegend);
    sec.innerHTML = html;
    return sec;
  };

  ERBM.fullscreen = function (map) {
    var c = L.control({ position: "topleft" });
    c.onAdd = function () {
      var b = L.DomUtil.create("a", "erbm-btn erbm-fullscreen");
      b.href = "#"; b.title = "Plein écran"; b.setAttribute("role", "button"); b.textContent = "\u2922";
      L.DomEvent.on(b, "click", function (e) {
        L.DomEvent.preventDefault(e);
        var el = map.getContainer();
        if (document.fullscreenElement) { document.exitFullscreen(); }
        else if (el.requestFullscreen) { el.requestFullscreen(); }
      });
      var d = L.DomUtil.create("div", "leaflet-bar"); d.appendChild(b); return d;
    };
    c.addTo(map);
    document.addEventListener("fullscreenchange", function () { map.invalidateSize(); });
  };

  ERBM.measure = function (map) {
    var c = L.control({ position: "topleft" }), active = false, pts = [], line = null, out = null;
    function reset() { pts = []; if (line) { map.removeLayer(line); line = null; } if (out) { out.textContent = ""; } }
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "leaflet-bar erbm-measure");
      var b = L.DomUtil.create("a", "erbm-btn", d);
      b.href = "#"; b.title = "Mesurer une distance (clics successifs, double-clic pour finir)"; b.textContent = "\u2194";
      b.setAttribute("role", "button");
      out = L.DomUtil.create("span", "erbm-measure-out", d);
      L.DomEvent.on(b, "click", function (e) {
        L.DomEvent.preventDefault(e); active = !active; reset();
        L.DomUtil[active ? "addClass" : "removeClass"](d, "erbm-active");
        if (active) { map.doubleClickZoom.disable(); } else { map.doubleClickZoom.enable(); }
      });
      return d;
    };
    map.on("click", function (e) {
      if (!active) { return; }
      pts.push(e.latlng);
      if (!line) { line = L.polyline(pts, { color: "#111", weight: 2, dashArray: "4 4" }).addTo(map); }
      else { line.setLatLngs(pts); }
      var m = 0; for (var i = 1; i < pts.length; i++) { m += map.distance(pts[i - 1], pts[i]); }
      out.textContent = m < 1000 ? Math.round(m) + " m" : (m / 1000).toFixed(2).replace(".", ",") + " km";
    });
    map.on("dblclick", function () { if (active) { pts = []; } });
    c.addTo(map);
  };

  ERBM.minimap = function (map, data) {
    var c = L.control({ position: "bottomleft" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "erbm-minimap");
      L.DomEvent.disableClickPropagation(d);
      setTimeout(function () {
        var mm = L.map(d, { attributionControl: false, zoomControl: false, dragging: false,
                            scrollWheelZoom: false, doubleClickZoom: false, boxZoom: false, keyboard: false });
        var o = L.geoJSON(ERBM.decode(data), { style: { color: "#555", weight: 1, fillOpacity: 0.1 } }).addTo(mm);
        mm.fitBounds(o.getBounds());
        var r = L.rectangle(map.getBounds(), { color: "#d7301f", weight: 2, fill: false }).addTo(mm);
        map.on("moveend", function () { r.setBounds(map.getBounds()); });
      }, 0);
      return d;
    };
    c.addTo(map);
  };

  ERBM.search = function (map, layer, placeholder) {
    var c = L.control({ position: "topright" });
    c.onAdd = function () {
      var d = L.DomUtil.create("div", "erbm-search");
      var inp = L.DomUtil.create("input", "", d);
      inp.type = "search"; inp.placeholder = placeholder || "Rechercher une commune";
      inp.setAttribute("aria-label", inp.placeholder);
      var listId = "erbm-search-" + ERBM.maps.length;
      inp.setAttribute("list", listId);
      var dl = L.DomUtil.create("datalist", "", d); dl.id = listId;
      /* A Map, not an object: names typed by readers ("toString", "__proto__"…) are plain keys. */
      var index = new Map();
      layer.eachLayer(function (l) {
        var n = l.feature && l.feature.properties && l.feature.properties.n;
        if (typeof n === "string" && n && !index.has(n)) {
          index.set(n, l); var o = document.createElement("option"); o.value = n; dl.appendChild(o);
        }
      });
      L.DomEvent.disableClickPropagation(d);
      L.DomEvent.on(inp, "change", function () {
        var l = index.get(inp.value);
        if (!l) { return; }
        /* Points have no extent: centre on them (a zero-size fitBounds on a map without tiles,
           hence without maxZoom, zooms to infinity). */
        if (l.getLatLng) { map.setView(l.getLatLng(), Math.max(map.getZoom(), 14), { animate: false }); }
        else { map.fitBounds(l.getBounds(), { maxZoom: 16, animate: false }); }
        if (l.openTooltip) { l.openTooltip(); }
      });
      return d;
    };
    c.addTo(map);
  };

  ERBM.attribution = function (map, text) { map.attributionControl.addAttribution(text); };
  /* Every map: a scale in kilometres only (no miles). */
  ERBM.register = function (map) {
    if (!map._erbmScale) { map._erbmScale = L.control.scale({ imperial: false }).addTo(map); }
    ERBM.maps.push(map);
  };

  /* For tests and embedding: features drawn per layer (DOM elements actually rendered). */
  ERBM.report = function () {
    var out = {};
    ERBM.layers.forEach(function (l, i) {
      out[l.erbmName] = { features: l.getLayers().length,
                          drawn: document.querySelectorAll(".erbm-l-" + i).length,
                          shown: ERBM.maps.some(function (m) { return m.hasLayer(l); }) };
    });
    return out;
  };

  window.ERBM = ERBM;
})();
