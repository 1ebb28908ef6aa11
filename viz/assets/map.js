/* policykg map page. Plain JS over vis-network; every text goes into the DOM with textContent. */
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("pkg-data").textContent);
  var meta = DATA.meta, C = DATA.colors;
  var SHAPE_CHAR = { dot: "\u25CF", square: "\u25A0", diamond: "\u25C6", triangle: "\u25B2",
    triangleDown: "\u25BC", star: "\u2605", hexagon: "\u2B22", box: "\u25AD" };

  function $(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function typeOf(t) { return DATA.types[t] || { label: t, color: "#7F7F7F", shape: "dot" }; }
  function norm(s) { return String(s).normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase(); }

  /* ---- header ---- */
  $("title").textContent = meta.title;
  document.title = meta.title;
  $("corpus").textContent = meta.articles + " articles \u00B7 newest article: " + (meta.newest || "date unknown") +
    " \u00B7 graph sha256 " + meta.hash.slice(0, 16) + " \u00B7 " + meta.nodes + " nodes, " + meta.edges +
    " lines \u00B7 policykg " + meta.version;
  var notes = meta.notes.slice();
  if (meta.nodes > meta.overview) {
    notes.push("Opened on the " + meta.overview + " most-connected of " + meta.nodes +
      " nodes: search, filters or \u201Cshow all\u201D reveal the rest.");
  }
  $("notes").textContent = notes.join(" ");

  /* ---- indexes ---- */
  var byId = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); });
  var incident = new Map();
  DATA.edges.forEach(function (e, i) {
    [e.from, e.to].forEach(function (id) {
      if (!incident.has(id)) incident.set(id, []);
      incident.get(id).push(i);
    });
  });

  /* ---- filter state ---- */
  var state = { showAll: false, types: {}, rels: {}, article: -1, revealed: new Set() };
  Object.keys(DATA.types).forEach(function (t) { state.types[t] = true; });
  DATA.edges.forEach(function (e) { state.rels[e.relation] = true; });

  function hasArticle(item) { return state.article < 0 || item.articles.indexOf(state.article) >= 0; }
  function nodeVisible(n) {
    if (!n || !state.types[n.type] || !hasArticle(n)) return false;
    return state.showAll || n.rank < meta.overview || state.revealed.has(n.id);
  }
  function edgeVisible(e) {
    return state.rels[e.relation] && hasArticle(e) && nodeVisible(byId.get(e.from)) && nodeVisible(byId.get(e.to));
  }

  /* ---- vis items ---- */
  var nodeItems = DATA.nodes.map(function (n) {
    var t = typeOf(n.type);
    var border = n.contested ? C.conflict : "#4a4a4a";
    return {
      id: n.id, label: n.label, x: n.x, y: n.y, shape: t.shape, value: Math.max(1, n.articles.length),
      borderWidth: n.contested ? 3 : 1,
      shapeProperties: { borderDashes: n.contested && t.shape === "box" ? [5, 3] : false },
      color: { background: t.color, border: border, highlight: { background: t.color, border: "#000" },
               hover: { background: t.color, border: "#000" } }
    };
  });
  var parallel = new Map();
  var edgeItems = DATA.edges.map(function (e, i) {
    var red = e.negated || e.contested || e.relation === "disputes";
    var colour = red ? C.conflict : (e.relation === "supports" ? C.support : C.edge);
    var pair = e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from;
    var k = parallel.get(pair) || 0;
    parallel.set(pair, k + 1);
    var item = {
      id: i, from: e.from, to: e.to, label: e.label, value: Math.max(1, e.articles.length),
      dashes: (e.negated || e.relation === "disputes") ? [8, 6] : (e.relation === "sameEvent" ? [2, 5] : false),
      color: { color: colour, highlight: colour, hover: colour, opacity: 0.85 },
      font: { color: red ? C.conflict : "#444" }
    };
    if (k > 0 && DATA.edges.length <= 3000) {
      item.smooth = { enabled: true, type: k % 2 ? "curvedCW" : "curvedCCW", roundness: 0.2 * Math.ceil(k / 2) };
    }
    return item;
  });
  var nodesDS = new vis.DataSet(nodeItems), edgesDS = new vis.DataSet(edgeItems);
  var nodesView = new vis.DataView(nodesDS, { filter: function (it) { return nodeVisible(byId.get(it.id)); } });
  var edgesView = new vis.DataView(edgesDS, { filter: function (it) { return edgeVisible(DATA.edges[it.id]); } });

  var big = DATA.nodes.length > 1000;
  var network = new vis.Network($("network"), { nodes: nodesView, edges: edgesView }, {
    autoResize: true,
    physics: { enabled: false, solver: "forceAtlas2Based", stabilization: false },
    layout: { improvedLayout: false, randomSeed: 1 },
    interaction: { hover: !big, hideEdgesOnDrag: big, hideEdgesOnZoom: big, tooltipDelay: 300,
                   multiselect: false, keyboard: false },
    nodes: { font: { size: 13, face: "system-ui, sans-serif", multi: false, strokeWidth: 3, strokeColor: "#fff" },
             scaling: { min: 8, max: 34, label: { enabled: true, min: 12, max: 22, drawThreshold: big ? 8 : 3 } } },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.5 } }, smooth: false, selectionWidth: 2,
             font: { size: 11, face: "system-ui, sans-serif", multi: false, strokeWidth: 3, align: "middle" },
             scaling: { min: 1, max: 7, label: { enabled: false } } }
  });
  network.once("afterDrawing", function () {
    requestAnimationFrame(function () {
      performance.mark("policykg-interactive");
      window.policykgReady = true;
    });
  });

  function refresh(fit) {
    nodesView.refresh();
    edgesView.refresh();
    if (fit) network.fit({ animation: false });
  }

  /* ---- side panel ---- */
  var panel = $("panel");
  function clearPanel() {
    panel.replaceChildren(el("p", "Click a node or a line to see its sources.", "hint"));
  }
  function articleHeading(idx) {
    var a = DATA.articles[idx] || { title: "?", id: "?" };
    var h = el("h3", a.title);
    h.title = a.id;
    if (a.date) h.appendChild(el("span", " (" + a.date + ")", "meta"));
    return h;
  }
  function sources(item) {
    var box = el("div");
    box.appendChild(el("h3", "Sources: " + item.articles.length + (item.articles.length === 1 ? " article" : " articles")));
    var quoted = new Set();
    (item.quotes || []).forEach(function (q) {
      quoted.add(q[0]);
      box.appendChild(articleHeading(q[0]));
      q[1].forEach(function (text) { box.appendChild(el("blockquote", text, "quote")); });
    });
    item.articles.forEach(function (idx) {
      if (!quoted.has(idx)) box.appendChild(articleHeading(idx));
    });
    return box;
  }
  function button(text, onClick) {
    var b = el("button", text);
    b.type = "button";
    b.addEventListener("click", onClick);
    return b;
  }
  function showNode(id) {
    var n = byId.get(id);
    if (!n) return;
    var t = typeOf(n.type);
    var parts = [el("h2", n.label), el("p", t.label, "meta type")];
    if (n.contested) parts.push(el("p", "Contested: sources disagree (or the speaker denies or hedges).", "flag"));
    if (n.aliases && n.aliases.length) parts.push(el("p", "Also called: " + n.aliases.join(", "), "meta aliases"));
    (n.detail || []).forEach(function (d) { parts.push(el("p", d[0] + ": " + d[1], "meta")); });
    parts.push(button("Show neighbours", function () { revealNeighbours(id); }));
    var links = incident.get(id) || [];
    if (links.length) {
      parts.push(el("h3", "Connections (" + links.length + ")"));
      var ul = el("ul");
      links.slice(0, 60).forEach(function (i) {
        var e = DATA.edges[i], other = byId.get(e.from === id ? e.to : e.from);
        var li = el("li");
        var text = e.from === id ? "\u2192 " + e.label + " " + other.label : "\u2190 " + other.label + " " + e.label;
        li.appendChild(button(text, function () { showEdge(i); }));
        ul.appendChild(li);
      });
      parts.push(ul);
    }
    parts.push(sources(n));
    panel.replaceChildren.apply(panel, parts);
  }
  function showEdge(i) {
    var e = DATA.edges[i];
    var from = byId.get(e.from), to = byId.get(e.to);
    var parts = [el("h2", from.label + " \u2014 " + e.label + " \u2192 " + to.label), el("p", "relation: " + e.relation, "meta")];
    if (e.negated) parts.push(el("p", "Negated: the source says this does not hold.", "flag"));
    if (e.contested) parts.push(el("p", "Contested: sources disagree about this.", "flag"));
    parts.push(button(from.label, function () { goTo(from.id); }), button(to.label, function () { goTo(to.id); }));
    parts.push(sources(e));
    panel.replaceChildren.apply(panel, parts);
  }
  network.on("click", function (p) {
    if (p.nodes.length) showNode(p.nodes[0]);
    else if (p.edges.length) showEdge(p.edges[0]);
    else clearPanel();
  });

  /* ---- reveal and go to ---- */
  function reveal(id) {
    var n = byId.get(id);
    state.revealed.add(id);
    if (!state.types[n.type]) {
      state.types[n.type] = true;
      var box = document.querySelector('input[data-type="' + CSS.escape(n.type) + '"]');
      if (box) box.checked = true;
    }
    if (!hasArticle(n)) { state.article = -1; $("article").value = "-1"; }
  }
  function revealNeighbours(id) {
    (incident.get(id) || []).forEach(function (i) { reveal(DATA.edges[i].from); reveal(DATA.edges[i].to); });
    refresh(false);
  }
  function goTo(id) {
    reveal(id);
    refresh(false);
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
  }

  /* ---- search ---- */
  var names = DATA.nodes.map(function (n) {
    return { n: n, names: [n.label].concat(n.aliases || []).map(norm), raw: [n.label].concat(n.aliases || []) };
  });
  function search(q) {
    q = norm(q.trim());
    if (!q) return [];
    var hits = [];
    names.forEach(function (entry) {
      var best = 9, via = null;
      entry.names.forEach(function (name, j) {
        var s = name === q ? 0 : name.indexOf(q) === 0 ? 1 : (" " + name).indexOf(" " + q) >= 0 ? 2 : name.indexOf(q) >= 0 ? 3 : 9;
        if (s < best) { best = s; via = j ? entry.raw[j] : null; }
      });
      if (best < 9) hits.push({ n: entry.n, score: best, via: via });
    });
    hits.sort(function (a, b) { return a.score - b.score || a.n.rank - b.n.rank; });
    return hits.slice(0, 20);
  }
  var results = $("results");
  function showResults() {
    var hits = search($("search").value);
    results.replaceChildren.apply(results, hits.map(function (h) {
      var li = el("li");
      var b = button(h.n.label, function () { goTo(h.n.id); });
      b.dataset.id = h.n.id;
      b.appendChild(el("small", " " + typeOf(h.n.type).label + (h.via ? " \u00B7 as \u201C" + h.via + "\u201D" : "")));
      li.appendChild(b);
      return li;
    }));
    return hits;
  }
  $("search").addEventListener("input", showResults);
  $("search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = showResults();
      if (hits.length) goTo(hits[0].n.id);
    }
  });

  /* ---- legend and filters ---- */
  var counts = {};
  DATA.nodes.forEach(function (n) { counts[n.type] = (counts[n.type] || 0) + 1; });
  var legend = $("legend");
  Object.keys(DATA.types).sort(function (a, b) { return typeOf(a).label.localeCompare(typeOf(b).label); })
    .forEach(function (t) {
      var style = typeOf(t), li = el("li"), label = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.dataset.type = t;
      box.addEventListener("change", function () { state.types[t] = box.checked; refresh(false); });
      var sw = el("span", SHAPE_CHAR[style.shape] || "\u25CF", "swatch");
      sw.style.color = style.color;
      label.append(box, sw, el("span", style.label), el("span", counts[t], "count"));
      li.appendChild(label);
      legend.appendChild(li);
    });
  var relCounts = {};
  DATA.edges.forEach(function (e) { relCounts[e.relation] = (relCounts[e.relation] || 0) + 1; });
  var rels = $("relations");
  Object.keys(relCounts).sort().forEach(function (r) {
    var li = el("li"), label = el("label"), box = el("input");
    box.type = "checkbox"; box.checked = true; box.dataset.relation = r;
    box.addEventListener("change", function () { state.rels[r] = box.checked; refresh(false); });
    label.append(box, el("span", r), el("span", relCounts[r], "count"));
    li.appendChild(label);
    rels.appendChild(li);
  });
  [["line", "relation (thicker: more articles)"], ["line neg", "negated or disputed"],
   ["line sup", "supports"]].forEach(function (pair) {
    var li = el("li");
    li.append(el("span", "", pair[0]), el("span", " " + pair[1]));
    rels.appendChild(li);
  });
  var select = $("article");
  var all = el("option", "All articles (" + DATA.articles.length + ")");
  all.value = "-1";
  select.appendChild(all);
  DATA.articles.forEach(function (a, i) {
    var o = el("option", a.title + (a.date ? " (" + a.date + ")" : ""));
    o.value = String(i);
    select.appendChild(o);
  });
  select.addEventListener("change", function () { state.article = Number(select.value); refresh(true); });
  $("showall").addEventListener("change", function (ev) { state.showAll = ev.target.checked; refresh(true); });
  if (meta.physics) {
    $("physics").addEventListener("change", function (ev) {
      network.setOptions({ physics: { enabled: ev.target.checked } });
    });
  } else {
    $("physics-row").hidden = true;
  }

  window.policykgMap = { network: network, nodes: nodesDS, edges: edgesDS, nodesView: nodesView,
                         edgesView: edgesView, data: DATA, goTo: goTo, showNode: showNode, search: search };
})();
