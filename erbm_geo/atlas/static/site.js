/* Atlas du Bassin minier : recherche d'une commune et tableaux triables (amélioration progressive). */
(function () {
  "use strict";
  var racine = document.body.getAttribute("data-racine") || "";
  var communes = window.ERBM_COMMUNES || [];
  var liste = document.getElementById("liste-communes");
  var parNom = new Map();  /* a Map, not an object: "constructor" or "__proto__" find nothing */
  function cle(s) { return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim(); }
  communes.forEach(function (c) {
    parNom.set(cle(c[0]), c[1]);
    if (liste) { var o = document.createElement("option"); o.value = c[0]; liste.appendChild(o); }
  });
  /* « 50.4322, 2.8319 » (latitude, longitude, comme les cartes en ligne les donnent), aussi
     « 50,4322 ; 2,8319 » ; une paire inversée (hors de France, en France dans l'autre ordre)
     est lue dans l'autre ordre, et la réponse le dit */
  function nombre(s) { s = s.replace("\u2212", "-").replace(",", "."); return /^-?\d+(\.\d+)?$/.test(s) ? parseFloat(s) : NaN; }
  function enFrance(lat, lon) { return lat >= 41 && lat <= 51.5 && lon >= -5.5 && lon <= 10; }
  function point(texte) {
    var t = texte.trim().replace(/^\(|\)$/g, ""), parts;
    if (t.indexOf(";") >= 0) { parts = t.split(";"); }
    else if ((t.match(/,/g) || []).length === 1) { parts = t.split(","); }
    else { parts = t.split(/,?\s+/); }
    if (parts.length !== 2) { return null; }
    var lat = nombre(parts[0].trim()), lon = nombre(parts[1].trim());
    if (isNaN(lat) || isNaN(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) { return null; }
    if (!enFrance(lat, lon) && enFrance(lon, lat)) { return [lon, lat, true]; }
    return [lat, lon, false];
  }
  /* Sur petit écran, la légende commence repliée : dès le premier affichage, sans attendre la carte. */
  if (window.matchMedia && window.matchMedia("(max-width: 700px)").matches) {
    document.querySelectorAll("details.legende").forEach(function (d) { d.removeAttribute("open"); });
  }
  /* La carte de la page (ses données, le contexte partagé, Leaflet) vient de scripts insérés ici
     une fois le texte de la page peint (« first-contentful-paint ») : ils ne retardent ni ne
     disputent son premier affichage. L'événement « load » attend pourtant la carte dessinée
     (l'impression et les captures faites à « load » l'ont) : en attendant la peinture, il est
     retenu par de petits scripts vides (data:), chacun une tâche, l'un après l'autre ; puis par
     les scripts de la carte, insérés avant lui ; puis par les étapes du dessin (carte.js), chacune
     après un de ces scripts vides. On n'attend pas la peinture dans un onglet caché (il ne peint
     pas), ni là où le navigateur ne la mesure pas, ni plus d'une seconde ou de 2 000 tours (le
     temps virtuel d'un navigateur sans écran peut ne pas avancer). Ce qui a besoin de la carte
     (« Ici » depuis la recherche) attend « load ». */
  var carte = document.querySelector(".carte[data-scripts]");
  function apresCarte(fn) {
    if (!carte || document.readyState === "complete") { fn(); } else { window.addEventListener("load", fn); }
  }
  function plusTard(fn) {  /* fn dans une tâche suivante, « load » retenu jusque-là */
    var s = document.createElement("script");
    s.src = "data:text/javascript,";
    s.onload = s.onerror = function () { s.remove(); fn(); };
    document.head.appendChild(s);
  }
  window.ERBM_PLUS_TARD = plusTard;
  var mesure = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes &&
    PerformanceObserver.supportedEntryTypes.indexOf("paint") >= 0;
  function peint() { return performance.getEntriesByName("first-contentful-paint").length > 0; }
  function apresPeinture(fn, debut, tours) {
    if (!mesure || document.visibilityState !== "visible" || peint() || tours > 2000 ||
        performance.now() - debut > 1000) { fn(); return; }
    plusTard(function () { apresPeinture(fn, debut, tours + 1); });
  }
  function chargerCarte() {
    var srcs = carte.getAttribute("data-scripts").split(" ");
    srcs.forEach(function (src) {
      var s = document.createElement("script");
      s.src = src;
      s.async = false;  /* dans l'ordre : données, contexte, puis le dessin */
      document.body.appendChild(s);
    });
  }
  if (carte) { apresPeinture(chargerCarte, performance.now(), 0); }
  var form = document.querySelector("form.recherche");
  if (form) {
    var champ = form.querySelector("input");
    function aller() {
      var code = parNom.get(cle(champ.value));
      if (typeof code === "string" && /^[0-9AB]{5}$/.test(code)) { window.location.href = racine + "communes/" + code + ".html"; return true; }
      var p = point(champ.value);
      if (!p) { return false; }
      apresCarte(function () {
        if (window.ERBM && window.ERBM.ici && window.ERBM.ici(p[0], p[1], p[2])) { return; }
        window.location.href = racine + "index.html#ici=" + p[0] + "," + p[1] + (p[2] ? ",inverse" : "");
      });
      return true;
    }
    champ.addEventListener("change", aller);
    form.addEventListener("submit", function (e) { if (aller()) { e.preventDefault(); } });
  }
  var comparer = new Intl.Collator("fr", { sensitivity: "base", numeric: true }).compare;
  function valeur(cell) {
    var t = cell.getAttribute("data-tri");
    if (t !== null) { return t === "" ? null : parseFloat(t); }
    var n = cell.textContent.trim().replace(/\s|\u202f|\u00a0/g, "").replace(",", ".");
    return /^-?\d+(\.\d+)?$/.test(n) ? parseFloat(n) : cell.textContent.trim();
  }
  document.querySelectorAll("table.triable").forEach(function (table) {
    var heads = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(heads, function (th, col) {
      var b = document.createElement("button");
      b.type = "button"; b.className = "tri";
      while (th.firstChild) { b.appendChild(th.firstChild); }
      th.appendChild(b);
      b.addEventListener("click", function () {
        var asc = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(heads, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", asc ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b2) {
          var x = valeur(a.cells[col]), y = valeur(b2.cells[col]);
          if (x === null && y === null) { return 0; }
          if (x === null) { return 1; }   /* valeurs manquantes toujours en fin de tableau */
          if (y === null) { return -1; }
          var r = (typeof x === "number" && typeof y === "number") ? x - y : comparer(String(x), String(y));
          return asc ? r : -r;
        });
        rows.forEach(function (r) { body.appendChild(r); });
      });
    });
  });
  /* filters of a table: each <select data-filtre="N"> keeps the rows whose cell N has its text,
     the empty value keeps them all; the count of rows shown is said in [data-compte] */
  document.querySelectorAll("form.filtres").forEach(function (form) {
    var table = document.getElementById(form.getAttribute("data-table"));
    var compte = form.querySelector("[data-compte]");
    if (!table) { return; }
    function filtrer() {
      var choix = Array.prototype.map.call(form.querySelectorAll("select[data-filtre]"), function (s) {
        return [parseInt(s.getAttribute("data-filtre"), 10), s.value];
      });
      var n = 0;
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        var garde = choix.every(function (c) { return !c[1] || row.cells[c[0]].textContent.trim() === c[1]; });
        row.hidden = !garde; if (garde) { n += 1; }
      });
      if (compte) { compte.textContent = n + (n > 1 ? " sites affichés" : " site affiché"); }
    }
    form.addEventListener("change", filtrer);
    form.addEventListener("submit", function (e) { e.preventDefault(); });
  });
})();
