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

  /* a layer's features are added in packets, one step each (see dessiner) */
  var PAQUET = 50;
  function paquets(layer, fc, etapes) {
    var fs = fc.features;
    for (var i = 0; i < fs.length; i += PAQUET) {
      (function (lot) {
        etapes.push(function () { layer.addData({ type: "FeatureCollection", features: lot }); });
      })(fs.slice(i, i + PAQUET));
    }
  }

  /* the shared context: the communes, in packets, then the outlines, the rail and the towns */
  function contexte(map, spec, etapes) {
    if (!C) { return; }
    var props = spec.base_props || {}, pal = spec.palette || [];
    var cls = classe();
    var communes = L.geoJSON(null, {
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
      }
    }).addTo(map);
    enregistrer(communes, "Communes");
    paquets(communes, ERBM.decode(C.communes), etapes);
    /* données manquantes : hachures grises sur fond blanc, comme dans la légende */
    etapes.push(function () {
      hachurer(map, communes, "#8c8c8c", function (l) {
        var p = props[l.feature.properties.code] || {}; return p.c !== undefined && p.c < 0; });
    });
  }
  function contexteSuite(map, controle) {
    if (!C) { return null; }
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

  function couche(map, c, etapes) {
    var o = c.opts, st = o.style || {}, pal = o.palette || [];
    var cls = classe();
    var layer = L.geoJSON(null, {
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
        if (p.h && /^https?:\/\/[^\s"'<>]+$/i.test(p.h)) { l.options.bubblingMouseEvents = false; l.bindPopup(function () { return fiche(p); }); }
      }
    });
    enregistrer(layer, o.name);
    if (o.show !== false) { layer.addTo(map); }
    paquets(layer, ERBM.decode(c.data), etapes);
    if (st.hachures) { etapes.push(function () { hachurer(map, layer, st.color || "#3f007d"); }); }
    return layer;
  }


  /* ---- « Ici » : ce qu'il y a à l'endroit cliqué, calculé dans la page (aucune requête) ----
     Communes : le contexte partagé ; le reste : assets/ici.js, chargé au premier clic. Les
     polygones sont triés par code : un point dans deux polygones prend le plus petit code. */
  var ICI = null, attente = [];
  function chargerIci(suite) {
    if (window.ERBM_ICI) { suite(); return; }
    attente.push(suite);
    if (attente.length > 1) { return; }
    var s = document.createElement("script");
    s.src = racine + "assets/ici.js";
    s.onload = function () { var a = attente; attente = []; a.forEach(function (f) { f(); }); };
    s.onerror = function () { var a = attente; attente = []; a.forEach(function (f) { f(); }); };
    document.head.appendChild(s);
  }
  function boite(g) {
    var b = [Infinity, Infinity, -Infinity, -Infinity];
    (function walk(v) {
      if (typeof v[0] === "number") { b[0] = Math.min(b[0], v[0]); b[1] = Math.min(b[1], v[1]); b[2] = Math.max(b[2], v[0]); b[3] = Math.max(b[3], v[1]); return; }
      v.forEach(walk);
    })(g.coordinates);
    return b;
  }
  function preparer(fc) {
    ERBM.decode(fc);
    fc.features.forEach(function (f) { f.boite = boite(f.geometry); });
    return fc.features;
  }
  /* un point sur le bord compte dedans, comme dans erbm_geo.lookup */
  function surSegment(x, y, a, b) {
    var cross = (b[0] - a[0]) * (y - a[1]) - (b[1] - a[1]) * (x - a[0]);
    if (Math.abs(cross) > 1e-12) { return false; }
    return x >= Math.min(a[0], b[0]) && x <= Math.max(a[0], b[0]) && y >= Math.min(a[1], b[1]) && y <= Math.max(a[1], b[1]);
  }
  function dansPolygone(x, y, anneaux) {
    var dedans = false;
    for (var r = 0; r < anneaux.length; r++) {
      var a = anneaux[r];
      for (var i = 0, j = a.length - 1; i < a.length; j = i++) {
        if (surSegment(x, y, a[j], a[i])) { return true; }
        if ((a[i][1] > y) !== (a[j][1] > y) && x < (a[j][0] - a[i][0]) * (y - a[i][1]) / (a[j][1] - a[i][1]) + a[i][0]) { dedans = !dedans; }
      }
    }
    return dedans;
  }
  function contient(f, x, y) {
    var b = f.boite, g = f.geometry;
    if (x < b[0] || x > b[2] || y < b[1] || y > b[3]) { return false; }
    if (g.type === "Polygon") { return dansPolygone(x, y, g.coordinates); }
    if (g.type === "MultiPolygon") { return g.coordinates.some(function (p) { return dansPolygone(x, y, p); }); }
    return false;
  }
  function premier(liste, x, y) {
    var trouves = liste.filter(function (f) { return contient(f, x, y); });
    return { f: trouves[0] || null, n: trouves.length };
  }
  function distance(lat1, lon1, lat2, lon2) {  /* haversine, en mètres */
    var R = 6371008.8, r = Math.PI / 180;
    var dp = (lat2 - lat1) * r, dl = (lon2 - lon1) * r;
    var h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * R * Math.asin(Math.min(1, Math.sqrt(h)));
  }
  var nf = { c: new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
             p: new Intl.NumberFormat("fr-FR", { minimumFractionDigits: 5, maximumFractionDigits: 5 }) };
  function lignesIci(lat, lon, inverse) {
    var x = lon, y = lat, t = [];
    if (!ICI) { ICI = {}; }
    if (!ICI.qpv && window.ERBM_ICI) {
      var D = window.ERBM_ICI;
      ICI.bien = preparer(D.bien); ICI.zone = preparer(D.zone); ICI.cites = preparer(D.cites);
      ICI.qpv = preparer(D.qpv); ICI.stations = ERBM.decode(D.stations).features; ICI.rayon = D.rayon;
    }
    if (!ICI.communes && C) {
      ICI.communes = preparer(C.communes).slice().sort(function (a, b) { return a.properties.code < b.properties.code ? -1 : 1; });
    }
    t.push(["Ici", "latitude " + nf.p.format(lat) + ", longitude " + nf.p.format(lon) + (inverse ? " (lues dans l'ordre longitude, latitude)" : "")]);
    var c = ICI.communes ? premier(ICI.communes, x, y).f : null;
    if (!c) {
      t.push(["Commune", "hors des communes du Bassin minier"]);
      return t;
    }
    t.push(["Commune", c.properties.nom, /^[0-9AB]{5}$/.test(c.properties.code) ? racine + "communes/" + c.properties.code + ".html" : null]);
    if (!ICI.qpv) { t.push(["", "Les autres réponses n'ont pas pu être chargées (fichier assets/ici.js absent)."]); return t; }
    var q = premier(ICI.qpv, x, y).f;
    t.push(["Quartier prioritaire", q ? q.properties.n : "aucun"]);
    var b = premier(ICI.bien, x, y).f, z = premier(ICI.zone, x, y).f;
    t.push(["Patrimoine mondial", b ? "élément du bien inscrit (" + b.properties.n + ")" : z ? "zone tampon du bien inscrit" : "ni bien inscrit ni zone tampon"]);
    var ct = premier(ICI.cites, x, y);
    t.push(["Cité minière", ct.f ? ct.f.properties.n + " (" + ct.f.properties.t + ")" + (ct.f.properties.e ? ", programme ERBM" : "") + (ct.n > 1 ? " ; " + ct.n + " cités se chevauchent ici" : "") : "aucune"]);
    var best = null, d = Infinity;
    ICI.stations.forEach(function (s) {
      var k = distance(lat, lon, s.geometry.coordinates[1], s.geometry.coordinates[0]);
      if (k < d) { d = k; best = s; }
    });
    t.push(["Gare ou station la plus proche", best && d <= ICI.rayon ? best.properties.n + (best.properties.m ? " (" + best.properties.m + ")" : "") + ", à " + nf.c.format(d / 1000) + " km" : "aucune à moins de " + nf.c.format(ICI.rayon / 1000) + " km"]);
    return t;
  }
  function panneauIci(lat, lon, inverse) {
    var d = document.createElement("div"); d.className = "ici";
    var h = document.createElement("p"); h.className = "ici-titre"; h.textContent = "Qu'y a-t-il ici ?"; d.appendChild(h);
    var dl = document.createElement("dl");
    lignesIci(lat, lon, inverse).forEach(function (l) {
      var dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = l[0];
      if (l[2]) { var a = document.createElement("a"); a.href = l[2]; a.textContent = l[1]; dd.appendChild(a); } else { dd.textContent = l[1]; }
      dl.appendChild(dt); dl.appendChild(dd);
    });
    d.appendChild(dl);
    var n = document.createElement("p"); n.className = "note";
    n.textContent = "Calculé dans la page à partir des contours simplifiés de l'atlas : près d'une limite, la réponse peut différer.";
    d.appendChild(n);
    return d;
  }
  function ici(map, latlng, inverse) {
    chargerIci(function () {
      L.popup({ maxWidth: 320, autoPanPadding: [20, 20] }).setLatLng(latlng).setContent(panneauIci(latlng.lat, latlng.lng, inverse)).openOn(map);
    });
  }
  ERBM.ici = function (lat, lon, inverse) {
    var map = ERBM.maps[0];
    if (!map) { return false; }
    var ll = L.latLng(lat, lon);
    map.setView(ll, Math.max(map.getZoom(), 14), { animate: false });
    map.getContainer().scrollIntoView({ block: "center" });
    ici(map, ll, inverse);
    return true;
  };

  /* A map is drawn in steps, each a task of its own (the view; each packet of features; the
     outlines; the controls), so that the page answers while it is drawn. site.js
     holds the « load » event until the last step (ERBM_PLUS_TARD); without it, every step runs
     at once. */
  var plusTard = window.ERBM_PLUS_TARD || function (fn) { fn(); };
  function enEtapes(etapes, fin) {
    var i = 0;
    plusTard(function suivante() { if (i < etapes.length) { etapes[i++](); plusTard(suivante); } else { fin(); } });
  }

  function dessiner(el, fin) {
    /* la carte de la page arrive dans son propre script (assets/cartes/…), chargé avant celui-ci */
    var spec = window.ERBM_CARTE;
    if (!spec) { fin(); return; }
    var map, bases = {}, ctl = {}, echelle = null, surcouches = {};
    var etapes = [function () {
      map = L.map(el, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false });
      L.control.zoom({ zoomInTitle: "Zoom avant", zoomOutTitle: "Zoom arrière" }).addTo(map);
      /* a view first: layers added to a map without one are drawn later (no path to hatch) */
      if (spec.bounds) { map.fitBounds(spec.bounds); } else { map.setView([50.45, 2.9], 10); }
      map.attributionControl.setPrefix(false);
      var f = fonds(), choix = el.getAttribute("data-fond") || "aucun";
      if (!f[choix]) { choix = "aucun"; }
      f[choix][1].addTo(map);
      ["ign", "carto", "aucun"].forEach(function (k) { bases[f[k][0]] = f[k][1]; });
      /* each step adds the steps that follow it: the layers come in the order of the spec */
      contexte(map, spec, etapes);
      etapes.push(function () { echelle = contexteSuite(map, ctl); });
      (spec.layers || []).forEach(function (c) { surcouches[c.opts.name] = couche(map, c, etapes); });
      etapes.push(function () { controles(el, map, spec, bases, surcouches, ctl, echelle); });
    }];
    enEtapes(etapes, fin);
  }

  function controles(el, map, spec, bases, surcouches, ctl, echelle) {
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
    /* printed, the map is narrower than on screen: fit its whole territory again, and back */
    function refaire() { map.invalidateSize({ animate: false }); if (spec.bounds) { map.fitBounds(spec.bounds, { animate: false }); } }
    window.addEventListener("beforeprint", refaire);
    window.addEventListener("afterprint", refaire);
    if (window.matchMedia) { window.matchMedia("print").addEventListener("change", refaire); }
    el.addEventListener("focus", function () { map.scrollWheelZoom.enable(); });
    map.on("click", function (e) { ici(map, e.latlng); });
    /* au clavier : la carte sélectionnée, Entrée dit ce qu'il y a en son centre */
    el.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && e.target === el) { e.preventDefault(); ici(map, map.getCenter()); }
    });
  }

  var cartes = Array.prototype.slice.call(document.querySelectorAll(".carte[data-carte]"));
  (function suivante() {
    if (cartes.length) { dessiner(cartes.shift(), suivante); return; }
    /* #ici=lat,lon (depuis la recherche d'une autre page) : ouvrir « Ici » à ce point */
    var m = /^#ici=(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(,inverse)?$/.exec(window.location.hash);
    if (m && ERBM.maps.length) { ERBM.ici(parseFloat(m[1]), parseFloat(m[2]), !!m[3]); }
  })();
})();
