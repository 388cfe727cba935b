/* Atlas du Bassin minier : dessin des cartes des pages à partir de leurs données JSON.
   Les textes des données sont insérés avec textContent : ils ne deviennent jamais du HTML. */
(function () {
  "use strict";
  var ERBM = window.ERBM, C = window.ERBM_CONTEXTE || null;
  var racine = document.body.getAttribute("data-racine") || "";
  var IGN = "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0" +
    "&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png" +
    "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}";
  var CARTO = "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png";
  var NA = "#ffffff";

  function fonds() {
    return {
      ign: ["Plan IGN (en ligne)", L.tileLayer(IGN, { maxZoom: 18, attribution: "Plan IGN © IGN – Géoplateforme" })],
      carto: ["Fond clair CARTO (en ligne)", L.tileLayer(CARTO, { maxZoom: 19, subdomains: "abcd", attribution: "© OpenStreetMap © CARTO" })],
      aucun: ["Sans fond (hors ligne)", L.layerGroup()]
    };
  }

  function lignes(t) {
    var d = document.createElement("div");
    t.forEach(function (s, i) { if (i) { d.appendChild(document.createElement("br")); } d.appendChild(document.createTextNode(s)); });
    return d;
  }

  /* a popup: the lines as text, and the site's page as a link only when it is an http(s) URL
     (checked again here; set with the href property, never as HTML) */
  function fiche(p) {
    var d = lignes(p.t || []);
    var a = document.createElement("a");
    a.href = p.h; a.rel = "noopener noreferrer external"; a.target = "_blank";
    a.textContent = "Fiche du site (nouvel onglet)";
    d.appendChild(document.createElement("br")); d.appendChild(a);
    return d;
  }

  function classe() { return "erbm-l-" + ERBM.layers.length; }
  function enregistrer(layer, nom) { layer.erbmName = nom; ERBM.layers.push(layer); return layer; }

  var nPattern = 0;
  function hachurer(map, layer, couleur, seulement) {
    var id = "erbm-hachures-" + (nPattern++);
    layer.eachLayer(function (l) {
      if (seulement && !seulement(l)) { return; }
      var svg = l._path && l._path.ownerSVGElement;
      if (!svg) { return; }
      if (!svg.querySelector("#" + id)) {
        var ns = "http://www.w3.org/2000/svg";
        var defs = svg.querySelector("defs") || svg.insertBefore(document.createElementNS(ns, "defs"), svg.firstChild);
        var p = document.createElementNS(ns, "pattern");
        p.setAttribute("id", id); p.setAttribute("patternUnits", "userSpaceOnUse");
        p.setAttribute("width", "7"); p.setAttribute("height", "7");
        p.setAttribute("patternTransform", "rotate(45)");
        var ln = document.createElementNS(ns, "line");
        ln.setAttribute("x1", "0"); ln.setAttribute("y1", "0"); ln.setAttribute("x2", "0"); ln.setAttribute("y2", "7");
        ln.setAttribute("stroke", couleur); ln.setAttribute("stroke-width", "2.2");
        p.appendChild(ln); defs.appendChild(p);
      }
      l._path.setAttribute("fill", "url(#" + id + ")");
    });
  }

  function contexte(map, spec, controle) {
    if (!C) { return; }
    var props = spec.base_props || {}, pal = spec.palette || [];
    var cls = classe();
    var communes = L.geoJSON(ERBM.decode(C.communes), {
      style: function (f) {
        var p = props[f.properties.code] || {}, s = { color: "#6b6b6b", weight: 0.6, fillOpacity: 0, className: cls };
        if (p.c !== undefined) { s.fillColor = p.c >= 0 ? pal[p.c] : NA; s.fillOpacity = 0.85; s.color = "#ffffff"; s.weight = 0.7; if (p.c < 0) { s.color = "#8c8c8c"; } }
        if (p.dans) { s.color = "#d7301f"; s.weight = 1.6; s.fillColor = "#fee8c8"; s.fillOpacity = 0.35; }
        if (p.surligne) { s.color = "#d7301f"; s.weight = 3.5; s.fillColor = "#fee8c8"; s.fillOpacity = 0.25; }
        return s;
      },
      onEachFeature: function (f, l) {
        var p = props[f.properties.code] || {};
        var t = [f.properties.nom].concat(p.t || []);
        l.bindTooltip(function () { return lignes(t); }, { sticky: true });
        l.on("click", function () { window.location.href = racine + "communes/" + f.properties.code + ".html"; });
      }
    }).addTo(map);
    enregistrer(communes, "Communes");
    /* données manquantes : hachures grises sur fond blanc, comme dans la légende */
    hachurer(map, communes, "#8c8c8c", function (l) {
      var p = props[l.feature.properties.code] || {}; return p.c !== undefined && p.c < 0; });
    L.geoJSON(ERBM.decode(C.departements), { style: { color: "#3d3d3d", weight: 2, dashArray: "8 4", fill: false }, interactive: false }).addTo(map);
    L.geoJSON(ERBM.decode(C.epci), { style: { color: "#1f1f1f", weight: 1.6, fill: false }, interactive: false }).addTo(map);
    L.geoJSON(ERBM.decode(C.bassin), { style: { color: "#000000", weight: 3, fill: false }, interactive: false }).addTo(map);
    var rail = L.geoJSON(ERBM.decode(C.rail), { style: { color: "#5a5a5a", weight: 1.4, dashArray: "6 3" }, interactive: false }).addTo(map);
    var villes = L.layerGroup(), petites = L.layerGroup();
    C.villes.forEach(function (v) {
      var s = document.createElement("span"); s.textContent = v[0];
      var m = L.marker([v[1], v[2]], { icon: L.divIcon({ className: "erbm-ville" + (v[3] ? " secondaire" : ""), html: s, iconSize: null }), interactive: false, keyboard: false });
      m.addTo(v[3] ? petites : villes);
    });
    villes.addTo(map);
    function echelle() { if (map.getZoom() >= 11) { petites.addTo(map); } else { map.removeLayer(petites); } }
    map.on("zoomend", echelle);
    controle.voies = rail; controle.villes = villes;
    return echelle;
  }

  function couche(map, c) {
    var o = c.opts, st = o.style || {}, pal = o.palette || [];
    var cls = classe();
    var layer = L.geoJSON(ERBM.decode(c.data), {
      style: function (f) {
        var s = Object.assign({}, st, { className: cls });
        var p = f.properties || {};
        if (p.c !== undefined && pal.length) { s.fillColor = pal[p.c]; if (o.kind === "point") { s.fillColor = pal[p.c]; } }
        return s;
      },
      pointToLayer: function (f, latlng) {
        var r = (f.properties || {}).r;
        return L.circleMarker(latlng, Object.assign({}, st, { radius: r || st.radius || 5 }));
      },
      onEachFeature: function (f, l) {
        var p = f.properties || {};
        if (p.t && o.tooltip !== false) { l.bindTooltip(function () { return lignes(p.t); }, { sticky: true }); }
        if (p.h && /^https?:\/\/[^\s"'<>]+$/i.test(p.h)) { l.bindPopup(function () { return fiche(p); }); }
      }
    });
    enregistrer(layer, o.name);
    if (o.show !== false) { layer.addTo(map); }
    if (st.hachures) { hachurer(map, layer, st.color || "#3f007d"); }
    return layer;
  }

  function dessiner(el) {
    var src = document.getElementById(el.getAttribute("data-carte"));
    if (!src) { return; }
    var spec = JSON.parse(src.textContent);
    var map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false });
    L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
    /* a view first: layers added to a map without one are drawn later (no path to hatch) */
    if (spec.bounds) { map.fitBounds(spec.bounds); } else { map.setView([50.45, 2.9], 10); }
    map.attributionControl.setPrefix(false);
    var f = fonds(), choix = el.getAttribute("data-fond") || "aucun";
    if (!f[choix]) { choix = "aucun"; }
    f[choix][1].addTo(map);
    var bases = {};
    ["ign", "carto", "aucun"].forEach(function (k) { bases[f[k][0]] = f[k][1]; });
    var ctl = {};
    var echelle = contexte(map, spec, ctl);
    var surcouches = {};
    (spec.layers || []).forEach(function (c) { surcouches[c.opts.name] = couche(map, c); });
    if (ctl.voies) { surcouches["Voies ferrées"] = ctl.voies; surcouches["Noms des villes"] = ctl.villes; }
    var couches = L.control.layers(bases, surcouches, { collapsed: true }).addTo(map);
    var bouton = couches.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (bouton) { bouton.title = "Fond de carte et couches"; bouton.setAttribute("aria-label", "Fond de carte et couches"); }
    L.control.scale({ imperial: false, maxWidth: 140 }).addTo(map);
    if (spec.sources && spec.sources.length) { map.attributionControl.addAttribution(spec.sources.join(" · ").replace(/[<>&]/g, "")); }
    var att = map.attributionControl.getContainer();
    if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
      att.classList.add("replie");
      att.setAttribute("title", "Sources de la carte (toucher pour afficher)");
      att.addEventListener("click", function () { att.classList.toggle("replie"); });
    }
    if (echelle) { echelle(); }
    ERBM.maps.push(map);
    el.addEventListener("focus", function () { map.scrollWheelZoom.enable(); });
  }

  document.querySelectorAll(".carte[data-carte]").forEach(dessiner);
  /* Sur petit écran, la légende commence repliée. */
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("details.legende").forEach(function (d) { d.removeAttribute("open"); });
  }
})();
