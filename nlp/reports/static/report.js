// The claims HTML report: builds every view from the JSON embedded in the page. Text from the
// documents only ever reaches the page through textContent, never as HTML.
(function () {
  "use strict";
  const DATA = JSON.parse(document.getElementById("claims-data").textContent);
  const COLORS = {support: "#1b7f3b", oppose: "#b8321f", qualified: "#c98a00", none: "#8a8a8a"};
  const PLOT = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (key === "class") node.className = value;
      else if (key === "on") for (const [ev, fn] of Object.entries(value)) node.addEventListener(ev, fn);
      else node.setAttribute(key, value);
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined) continue;
      node.appendChild(typeof child === "string" || typeof child === "number"
        ? document.createTextNode(String(child)) : child);
    }
    return node;
  }

  function option(value, label, selected) {
    const node = el("option", {value: value}, label);
    if (selected) node.selected = true;
    return node;
  }

  // ---- tabs ------------------------------------------------------------------------------
  const views = {};
  function show(name) {
    for (const [key, section] of Object.entries(views)) section.hidden = key !== name;
    for (const button of document.querySelectorAll("nav button")) {
      button.classList.toggle("active", button.dataset.view === name);
    }
    window.dispatchEvent(new Event("resize"));  // plotly sizes charts drawn while hidden
  }

  function note(key) {
    const text = DATA.truncated[key];
    return text ? el("p", {class: "truncated"}, "Shown in part: " + text + ".") : document.createTextNode("");
  }

  // ---- overview --------------------------------------------------------------------------
  function overview(root) {
    const c = DATA.overview.counts;
    root.append(el("div", {class: "cards"}, Object.entries(c).map(([k, v]) =>
      el("div", {class: "card"}, el("b", {}, v.toLocaleString()), el("span", {}, k)))));
    const rel = DATA.overview.links_by_relation;
    root.append(el("p", {}, "Links by relation: " + (Object.keys(rel).length
      ? Object.entries(rel).map(([k, v]) => k + " " + v).join(", ") : "none")));
    const charts = el("div", {class: "grid"});
    root.append(charts);
    for (const [key, title] of [["by_kind", "Documents by kind"], ["by_year", "Documents by year"],
                                ["by_site", "Documents by site (30 most frequent)"]]) {
      const div = el("div", {class: "chart", id: "chart-" + key});
      charts.append(div);
      const entries = Object.entries(DATA.overview[key]);
      Plotly.newPlot(div, [{type: "bar", x: entries.map(e => e[0]), y: entries.map(e => e[1]),
                            marker: {color: "#3d6fb6"}}],
                     {title: {text: title}, margin: {t: 40, b: 110}, height: 320}, PLOT);
    }
    const m = DATA.meta;
    root.append(el("h3", {}, "Run"), el("table", {class: "meta"},
      el("tr", {}, el("th", {}, "output folder"), el("td", {}, m.out)),
      el("tr", {}, el("th", {}, "run finished"), el("td", {}, m.run_date)),
      el("tr", {}, el("th", {}, "pipeline"), el("td", {}, (m.run.pipeline || []).join(" > "))),
      el("tr", {}, el("th", {}, "pipeline version"), el("td", {}, m.run.pipeline_version || "")),
      el("tr", {}, el("th", {}, "report made"), el("td", {}, m.generated)),
      Object.entries(m.models).map(([k, v]) => el("tr", {}, el("th", {}, "model " + k), el("td", {}, v)))));
  }

  // ---- stance over time ------------------------------------------------------------------
  function stance(root) {
    const unit = el("select", {id: "stance-unit"}, option("year", "by year", true), option("month", "by month"));
    const split = el("select", {id: "stance-split"}, option("all", "all documents", true),
                     option("kind", "by document kind"), option("speaker", "by speaker or organisation"));
    const group = el("select", {id: "stance-group", hidden: ""});
    const chart = el("div", {class: "chart", id: "stance-chart"});
    const list = el("div", {id: "stance-sentences"});
    root.append(el("div", {class: "controls"}, unit, split, group), note("stance"), chart,
                el("p", {class: "hint"}, "Click a point to list the sentences behind it."), list);

    function groups() {
      const seen = new Set();
      for (const cell of Object.values(DATA.stance.counts[unit.value][split.value])) {
        for (const key of Object.keys(cell)) seen.add(key.split("|")[0]);
      }
      return [...seen].sort();
    }
    function draw() {
      if (split.value === "all") group.hidden = true;
      else {
        const keep = group.value;
        group.replaceChildren(...groups().map(g => option(g, g, g === keep)));
        group.hidden = false;
      }
      const name = split.value === "all" ? "all" : group.value;
      const cells = DATA.stance.counts[unit.value][split.value];
      const periods = Object.keys(cells).filter(p => Object.keys(cells[p]).some(k => k.startsWith(name + "|")));
      const traces = DATA.stance.labels.map(label => {
        const share = periods.map(p => {
          const cell = cells[p];
          let total = 0;
          for (const [k, v] of Object.entries(cell)) if (k.startsWith(name + "|")) total += v;
          return total ? (cell[name + "|" + label] || 0) / total : 0;
        });
        const n = periods.map(p => cells[p][name + "|" + label] || 0);
        return {type: "scatter", mode: "lines+markers", name: label, x: periods, y: share, customdata: n,
                line: {color: COLORS[label]}, hovertemplate: "%{x}: %{y:.1%} (%{customdata} sentences)"};
      });
      Plotly.react(chart, traces, {title: {text: "Share of sentences per period"}, height: 380,
                                   yaxis: {tickformat: ".0%"}, margin: {t: 40}}, PLOT);
    }
    unit.addEventListener("change", draw);
    split.addEventListener("change", draw);
    group.addEventListener("change", draw);
    draw();
    chart.on("plotly_click", event => {
      const point = event.points[0];
      const label = DATA.stance.labels[point.curveNumber];
      const rows = DATA.stance.sentences[unit.value + "|" + point.x + "|" + label] || [];
      const scope = split.value === "all" ? "" : " (listed for all documents)";
      list.replaceChildren(el("h3", {}, label + " in " + point.x + scope + ": " + rows.length + " listed"),
        el("ul", {}, rows.map(r => el("li", {},
          el("a", {href: "#", on: {click: e => { e.preventDefault(); openDocument(r.doc, r.sent); }}}, r.doc),
          " · confidence " + r.confidence.toFixed(2) + " · " + r.speaker + " — ", r.text))));
    });
  }

  // ---- claims table ----------------------------------------------------------------------
  const COLUMNS = ["doc", "date", "text", "value", "unit", "approx", "measure", "entities", "stance", "type"];
  function claims(root) {
    const search = el("input", {type: "search", id: "claims-search", placeholder: "search text, measure, entities"});
    const type = el("select", {id: "claims-type"}, option("", "any type", true),
                    ["numeric", "factual", "evaluative"].map(t => option(t, t)));
    const units = [...new Set(DATA.claims.map(r => r.unit).filter(Boolean))].sort();
    const unit = el("select", {id: "claims-unit"}, option("", "any unit", true), units.map(u => option(u, u)));
    const count = el("span", {id: "claims-count"});
    const body = el("tbody");
    let sortKey = null, ascending = true;
    const head = el("tr", {}, COLUMNS.map(c => el("th", {on: {click: () => {
      ascending = sortKey === c ? !ascending : true; sortKey = c; draw(); }}}, c)));
    root.append(el("div", {class: "controls"}, search, type, unit, count), note("claims"),
                el("table", {class: "claims", id: "claims-table"}, el("thead", {}, head), body));
    function draw() {
      const needle = search.value.trim().toLowerCase();
      let rows = DATA.claims.filter(r => (!type.value || r.type === type.value) && (!unit.value || r.unit === unit.value)
        && (!needle || [r.text, r.measure, r.entities, r.doc].some(v => v && v.toLowerCase().includes(needle))));
      if (sortKey) {
        rows = rows.slice().sort((a, b) => {
          const x = a[sortKey], y = b[sortKey];
          const order = x === y ? 0 : x === null || x === undefined ? 1 : y === null || y === undefined ? -1
            : typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
          return ascending ? order : -order;
        });
      }
      count.textContent = rows.length.toLocaleString() + " of " + DATA.claims.length.toLocaleString() + " rows";
      body.replaceChildren(...rows.slice(0, 1000).map(r => el("tr", {},
        COLUMNS.map(c => c === "doc"
          ? el("td", {}, el("a", {href: "#", on: {click: e => { e.preventDefault(); openDocument(r.doc, r.sent); }}}, r.doc))
          : el("td", {class: c === "stance" && r.stance ? "stance-" + r.stance : ""},
               r[c] === null || r[c] === undefined ? "" : String(r[c]))))));
      if (rows.length > 1000) body.append(el("tr", {}, el("td", {colspan: COLUMNS.length},
        "… the first 1,000 matching rows are shown; narrow the search to see others.")));
    }
    for (const control of [search, type, unit]) control.addEventListener("input", draw);
    draw();
  }

  // ---- measures --------------------------------------------------------------------------
  function measures(root) {
    if (!DATA.measures.length) { root.append(el("p", {}, "No measure is named in two or more dated documents.")); return; }
    const pick = el("select", {id: "measure-pick"}, DATA.measures.map((m, i) =>
      option(String(i), m.measure + " (" + m.unit + ", " + m.points.length + " figures)", i === 0)));
    const chart = el("div", {class: "chart", id: "measure-chart"});
    const legend = el("p", {class: "hint"}, "Dashed grey lines join updates in date order; red lines join figures " +
                      "that contradict each other. Click a point to open its sentence.");
    root.append(el("div", {class: "controls"}, pick), note("measures"), chart, legend);
    function draw() {
      const m = DATA.measures[Number(pick.value)];
      const where = {};
      m.points.forEach(p => { where[p.doc + ":" + p.sent] = p; });
      const bySite = {};
      for (const p of m.points) (bySite[p.site] = bySite[p.site] || []).push(p);
      const traces = Object.entries(bySite).map(([site, pts]) => ({
        type: "scatter", mode: "markers", name: site, x: pts.map(p => p.date), y: pts.map(p => p.value),
        customdata: pts.map(p => [p.doc, p.sent]), text: pts.map(p => p.text), marker: {size: 10},
        hovertemplate: "%{x}: %{y} (%{text})<extra>%{fullData.name}</extra>"}));
      for (const link of m.links) {
        const a = where[link.a], b = where[link.b];
        if (!a || !b) continue;
        const [first, second] = a.date <= b.date ? [a, b] : [b, a];
        traces.push({type: "scatter", mode: "lines", showlegend: false, hoverinfo: "skip",
                     x: [first.date, second.date], y: [first.value, second.value],
                     line: link.relation === "contradict" ? {color: "#d62728", width: 3} : {color: "#999", dash: "dash"}});
      }
      Plotly.react(chart, traces, {title: {text: m.measure + " (" + m.unit + ")"}, height: 420, margin: {t: 40}}, PLOT);
    }
    pick.addEventListener("change", draw);
    draw();
    chart.on("plotly_click", event => {
      const data = event.points[0].customdata;
      if (data) openDocument(data[0], data[1]);
    });
  }

  // ---- document view ---------------------------------------------------------------------
  let pickDocument = null;
  function openDocument(docId, sentId) {
    show("documents");
    if (pickDocument) pickDocument(docId, sentId);
  }

  function marked(text, start, end, spans) {
    const out = [];
    let cursor = start;
    for (const span of spans.filter(s => s.start >= start && s.end <= end).sort((a, b) => a.start - b.start)) {
      if (span.start < cursor) continue;
      out.push(text.slice(cursor, span.start));
      out.push(el("mark", {class: span.kind + " " + span.kind + "-" + span.tag, title: span.title},
                  text.slice(span.start, span.end), el("small", {}, span.tag)));
      cursor = span.end;
    }
    out.push(text.slice(cursor, end));
    return out;
  }

  function gap(text) {  // white space between sentences, blank lines folded for reading
    return text.replace(/[ \t]*\n[\s]*\n\s*/g, "\n\n");
  }

  function documents(root) {
    const pick = el("select", {id: "document-pick"}, DATA.documents.map((d, i) =>
      option(d.id, d.id + " — " + d.title, i === 0)));
    const view = el("div", {id: "document-view"});
    root.append(el("div", {class: "controls"}, pick), note("documents"), view);
    function draw(sentId) {
      const d = DATA.documents.find(x => x.id === pick.value);
      if (!d) return;
      const spans = d.entities.map(e => ({start: e.start, end: e.end, kind: "ent", tag: e.label, title: e.id}))
        .concat(d.quantities.map(q => ({start: q.start, end: q.end, kind: "qty", tag: q.unit, title: String(q.value)})));
      const body = el("div", {class: "doc-text"});
      let cursor = 0;
      for (const s of d.sentences) {
        if (s.start > cursor) body.append(gap(d.text.slice(cursor, s.start)));
        const sentence = el("span", {class: "sent seg-" + s.segment, id: "sent-" + s.sent},
          marked(d.text, s.start, s.end, spans),
          s.stance && s.stance !== "none" ? el("sup", {class: "badge stance-" + s.stance},
            s.stance + " " + (s.confidence || 0).toFixed(2)) : null);
        body.append(sentence);
        if (s.links.length) body.append(el("span", {class: "links"}, s.links.map(l =>
          el("a", {href: "#", title: l.reason, class: "link-" + l.relation, on: {click: e => {
            e.preventDefault(); const [doc, sent] = l.to.split(":"); openDocument(doc, Number(sent)); }}},
            l.relation + " → " + l.to))));
        cursor = s.end;
      }
      body.append(gap(d.text.slice(cursor)));
      view.replaceChildren(el("h3", {}, d.title), el("p", {class: "hint"},
        [d.kind, d.date, d.url].filter(Boolean).join(" · ")), body);
      if (sentId !== undefined) {
        const target = document.getElementById("sent-" + sentId);
        if (target) { target.classList.add("focus"); target.scrollIntoView({block: "center"}); }
      }
    }
    pickDocument = (docId, sentId) => {
      if (!DATA.documents.some(d => d.id === docId)) {
        view.replaceChildren(el("p", {class: "truncated"}, docId + " is not carried in this report (see above)."));
        return;
      }
      pick.value = docId;
      draw(sentId);
    };
    pick.addEventListener("change", () => draw());
    draw();
  }

  // ---- page ------------------------------------------------------------------------------
  const builders = {overview: overview, stance: stance, claims: claims, measures: measures, documents: documents};
  const nav = document.querySelector("nav");
  for (const name of Object.keys(builders)) {
    nav.append(el("button", {"data-view": name, on: {click: () => show(name)}}, name));
    views[name] = el("section", {id: "view-" + name});
    document.querySelector("main").append(views[name]);
  }
  for (const [name, build] of Object.entries(builders)) build(views[name]);
  show("overview");
})();
