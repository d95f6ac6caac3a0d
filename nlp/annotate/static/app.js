// claims annotate: one sentence at a time, keyboard first. Plain JS, no build step, no CDN.
// Document text is only ever put into the page with textContent (never innerHTML).
"use strict";

const TOKEN = document.querySelector('meta[name="claims-token"]').content;
const ENTITY_KEYS = { c: "CRC", o: "ORG", r: "REGION", p: "PROGRAMME", n: "PERSON", l: "LAW" };
const state = {
  session: null, view: null, key: null, history: [], selection: null, selected: null,
  filters: { doc: "", layer: "", label: "" },
};

// ---- helpers ---------------------------------------------------------------------------------
function $(id) { return document.getElementById(id); }

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, isError) {
  const box = $("message");
  box.textContent = text || "";
  box.className = isError ? "error" : "";
}

async function api(path, body) {
  const options = body === undefined ? { headers: {} } : {
    method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json", "X-Claims-Token": TOKEN },
  };
  const response = await fetch(path, options);
  let payload = null;
  try { payload = await response.json(); } catch (e) { payload = { error: response.statusText }; }
  if (!response.ok) {
    say(payload.error || response.statusText, true);
    const error = new Error(payload.error || response.statusText);
    error.status = response.status;
    throw error;
  }
  return payload;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== "" && v !== null && v !== undefined) search.set(k, v);
  return search.toString();
}

function effective(layer) {
  const view = state.view;
  if (view.labels[layer] !== undefined) return view.labels[layer];
  const suggestion = view.suggestions[layer];
  if (suggestion) return suggestion.value;
  return layer === "entity" || layer === "quantity" ? [] : null;
}

function mine(layer) { return state.view.labels[layer] !== undefined; }

// ---- navigation --------------------------------------------------------------------------------
function filterParams() { return { doc: state.filters.doc, layer: state.filters.layer, label: state.filters.label }; }

async function openSentence(docId, sentId, { remember = true } = {}) {
  const view = await api("/api/sentence?" + query({ doc_id: docId, sent_id: sentId }));
  if (remember && state.key && (state.key.doc_id !== docId || state.key.sent_id !== sentId)) {
    state.history.push(state.key);
  }
  state.key = { doc_id: docId, sent_id: sentId };
  state.view = view;
  state.selection = null;
  state.selected = null;
  const hash = "#/s/" + encodeURIComponent(docId) + "/" + sentId;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  $("empty").hidden = true;
  render();
  updateProgress();
}

async function updateProgress() {
  const queue = await api("/api/queue?" + query({ ...filterParams(), limit: 0 })).catch(() => null);
  if (queue) $("progress").textContent = queue.remaining + " left of " + queue.total;
}

async function refresh() { if (state.key) await openSentence(state.key.doc_id, state.key.sent_id, { remember: false }); }

async function goNext() {
  const current = state.key || {};
  const result = await api("/api/next?" + query({ ...filterParams(), doc_id: current.doc_id, sent_id: current.sent_id }));
  if (!result.item) {
    $("empty").hidden = false;
    say("Queue empty for these filters.");
    return;
  }
  await openSentence(result.item.doc_id, result.item.sent_id);
}

async function goBack() {
  let target = state.history.pop();
  if (!target) {
    const recent = await api("/api/history?limit=5");
    target = recent.items.find((i) => !state.key || i.doc_id !== state.key.doc_id || i.sent_id !== state.key.sent_id);
  }
  if (!target) { say("Nothing to go back to."); return; }
  await openSentence(target.doc_id, target.sent_id, { remember: false });
}

// ---- actions -----------------------------------------------------------------------------------
function sentenceBody(extra) { return { doc_id: state.key.doc_id, sent_id: state.key.sent_id, ...extra }; }

async function setLabel(layer, value) {
  await api("/api/label", sentenceBody({ layer, value }));
  await refresh();
  say("Saved " + layer + ".");
}

async function setStance(label) { await setLabel("stance", label); }

async function saveClaim(flag, type) { await setLabel("claim", { claim: flag, claim_type: flag ? (type || null) : null }); }

async function saveSegment(segment, speaker) { await setLabel("segment", { segment, speaker: speaker || null }); }

async function editSpan(layer, op, span) {
  await api("/api/span", sentenceBody({ layer, op, span }));
  state.selection = null;
  window.getSelection().removeAllRanges();
  await refresh();
  say((op === "remove" ? "Removed " : "Saved ") + layer + ".");
}

async function accept() {
  await api("/api/accept", sentenceBody({}));
  say("Accepted.");
  await goNext();
}

async function skip() {
  await api("/api/skip", sentenceBody({}));
  say("Skipped.");
  await goNext();
}

async function undo() {
  const result = await api("/api/undo", {});
  const event = result.event;
  say("Undid a change to " + event.layer + " of " + event.doc_id + ":" + event.sent_id + ".");
  await openSentence(event.doc_id, event.sent_id);
}

async function linkVerdict(item, relation) {
  await api("/api/label", sentenceBody({ layer: "link", item, value: { relation } }));
  await refresh();
  say("Saved link.");
}

function labelSelection(label) {
  if (state.selected) {
    const span = state.selected;
    return editSpan("entity", "update", { start: span.start, end: span.end, label, entity_id: span.entity_id });
  }
  if (state.selection) {
    const { start, end } = state.selection;
    return editSpan("entity", "add", { start, end, label, entity_id: null });
  }
  return null;
}

function addQuantity() {
  if (!state.selection) return null;
  const { start, end, text } = state.selection;
  const number = parseFloat(text.replace(/[£,%]/g, ""));
  return editSpan("quantity", "add", { start, end, value: Number.isFinite(number) ? number : null, unit: "count",
    approx: "exact" });
}

// ---- selection of text ----------------------------------------------------------------------
function offsetOf(node, offset) {
  const holder = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
  if (!holder || holder.dataset.offset === undefined) return null;
  return Number(holder.dataset.offset) + (node.nodeType === Node.TEXT_NODE ? offset : 0);
}

function onSelectionChange() {
  if (!state.view) return;
  const selection = window.getSelection();
  const box = $("sentence");
  if (!selection.rangeCount || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
  let start = offsetOf(range.startContainer, range.startOffset);
  let end = offsetOf(range.endContainer, range.endOffset);
  if (start === null || end === null) return;
  setSelection(start, end);
}

function setSelection(start, end) {
  const sentence = state.view.sentence;
  const text = sentence.text.slice(start - sentence.start, end - sentence.start);
  const lead = text.length - text.trimStart().length;
  const trail = text.length - text.trimEnd().length;
  if (end - start - lead - trail <= 0) return;
  state.selection = { start: start + lead, end: end - trail, text: text.trim() };
  state.selected = null;
  renderSelectionBar();
}

function findText(needle) {
  const sentence = state.view.sentence;
  let at = sentence.text.indexOf(needle);
  if (at < 0) at = sentence.text.toLowerCase().indexOf(needle.toLowerCase());
  if (!needle || at < 0) { say("Not found in the sentence: " + needle, true); return; }
  setSelection(sentence.start + at, sentence.start + at + needle.length);
  say("Selected “" + state.selection.text + "”.");
}

// ---- rendering ---------------------------------------------------------------------------------
function render() {
  const view = state.view;
  const doc = view.document;
  $("doc-title").textContent = doc.title || doc.doc_id;
  $("doc-kind").textContent = doc.kind || "?";
  $("doc-date").textContent = doc.date || "";
  $("sent-key").textContent = view.sentence.doc_id + ":" + view.sentence.sent_id;
  $("sent-status").textContent = view.status || "to do";
  $("sent-status").className = "pill status-" + (view.status || "todo");
  renderContext();
  renderSentence();
  renderSelectionBar();
  renderStance();
  renderSentenceFields();
  renderEntities();
  renderQuantities();
  renderLinks();
}

function renderContext() {
  $("before").replaceChildren(...state.view.before.map((s) => el("p", {}, s.text)));
  $("after").replaceChildren(...state.view.after.map((s) => el("p", {}, s.text)));
}

function renderSentence() {
  const sentence = state.view.sentence;
  const spans = effective("entity").slice().sort((a, b) => a.start - b.start);
  const parts = [];
  let at = sentence.start;
  const piece = (from, to) => el("span", { dataset: { offset: from } }, sentence.text.slice(from - sentence.start, to - sentence.start));
  for (const span of spans) {
    if (span.start < at) continue;
    if (span.start > at) parts.push(piece(at, span.start));
    const isSelected = state.selected && state.selected.start === span.start && state.selected.end === span.end;
    const mark = el("mark", { class: "ent ent-" + span.label + (isSelected ? " selected" : ""), title: span.label,
      dataset: { offset: span.start, start: span.start, end: span.end, label: span.label } },
      sentence.text.slice(span.start - sentence.start, span.end - sentence.start));
    mark.addEventListener("click", () => selectEntity(span));
    parts.push(mark);
    at = span.end;
  }
  if (at < sentence.end) parts.push(piece(at, sentence.end));
  $("sentence").replaceChildren(...parts);
}

function selectEntity(span) {
  const selection = window.getSelection();
  if (!selection.isCollapsed) return;
  state.selected = state.selected && state.selected.start === span.start ? null : span;
  state.selection = null;
  renderSentence();
  renderSelectionBar();
}

function renderSelectionBar() {
  const info = $("selection-info");
  const buttons = [];
  if (state.selected) {
    info.textContent = "Entity “" + state.selected.text + "” [" + state.selected.label + "]: relabel or remove (x).";
    for (const [key, label] of Object.entries(ENTITY_KEYS)) {
      buttons.push(el("button", { class: "ent-" + label, onclick: () => labelSelection(label) }, label + " ", el("kbd", {}, key)));
    }
    buttons.push(el("button", { onclick: removeSelected }, "remove ", el("kbd", {}, "x")));
  } else if (state.selection) {
    info.textContent = "Selected “" + state.selection.text + "”: ";
    for (const [key, label] of Object.entries(ENTITY_KEYS)) {
      buttons.push(el("button", { class: "ent-" + label, onclick: () => labelSelection(label) }, label + " ", el("kbd", {}, key)));
    }
    buttons.push(el("button", { onclick: addQuantity }, "quantity ", el("kbd", {}, "q")));
  } else {
    info.textContent = "Select text in the sentence (or press / to find it) to add an entity or quantity.";
  }
  if (state.selected || state.selection) buttons.push(el("button", { onclick: clearSelection }, "cancel ", el("kbd", {}, "Esc")));
  $("selection-buttons").replaceChildren(...buttons);
}

function clearSelection() {
  state.selection = null;
  state.selected = null;
  window.getSelection().removeAllRanges();
  renderSentence();
  renderSelectionBar();
}

function removeSelected() {
  if (!state.selected) return null;
  const { start, end } = state.selected;
  return editSpan("entity", "remove", { start, end });
}

function renderStance() {
  const current = effective("stance");
  const suggestion = state.view.suggestions.stance;
  $("stance-model").textContent = suggestion
    ? "model: " + suggestion.value + (suggestion.confidence !== null ? " (" + suggestion.confidence.toFixed(2) + ")" : "")
    : "no model suggestion";
  $("stance-buttons").replaceChildren(...state.session.labels.stance.map((label, i) => el("button", {
    class: "stance" + (current === label ? " active" : "") + (current === label && mine("stance") ? " mine" : ""),
    "aria-pressed": current === label ? "true" : "false", dataset: { stance: label },
    onclick: () => setStance(label),
  }, label + " ", el("kbd", {}, String(i + 1)))));
}

function renderSentenceFields() {
  const claim = effective("claim") || { claim: false, claim_type: null };
  const segment = effective("segment") || { segment: "body", speaker: null };
  $("claim-flag").checked = !!claim.claim;
  $("claim-type").value = claim.claim_type || "";
  $("claim-type").disabled = !claim.claim;
  $("segment").value = segment.segment || "body";
  $("speaker").value = segment.speaker || "";
}

function renderEntities() {
  const items = effective("entity").map((span) => el("li", {},
    el("button", { class: "chip ent-" + span.label, onclick: () => selectEntity(span) }, span.text),
    " ", span.label, " ",
    el("input", { class: "entity-id", size: 18, value: span.entity_id || "", placeholder: "entity_id",
      "aria-label": "entity id of " + span.text,
      onchange: (e) => editSpan("entity", "update", { ...span, entity_id: e.target.value.trim() || null }) }),
    " ", el("button", { class: "small", title: "remove", onclick: () => editSpan("entity", "remove", { start: span.start, end: span.end }) }, "×")));
  if (!items.length) items.push(el("li", { class: "muted" }, "none"));
  $("entity-list").replaceChildren(...items);
}

function quantityRow(span) {
  const labels = state.session.labels;
  const save = (field, value) => editSpan("quantity", "update", { ...span, [field]: value });
  const input = (field, size) => el("input", { value: span[field] === null ? "" : span[field], size, "aria-label": field,
    onchange: (e) => save(field, e.target.value === "" ? null : e.target.value) });
  const select = (field, options) => {
    const node = el("select", { "aria-label": field, onchange: (e) => save(field, e.target.value) },
      ...options.map((o) => el("option", { value: o }, o)));
    node.value = span[field];
    return node;
  };
  return el("tr", {}, el("td", {}, span.text), el("td", {}, input("value", 10)), el("td", {}, input("value_high", 8)),
    el("td", {}, select("unit", labels.unit)), el("td", {}, select("approx", labels.approx)),
    el("td", {}, input("measure", 22)), el("td", {}, input("period", 12)),
    el("td", {}, el("button", { class: "small", title: "remove", onclick: () => editSpan("quantity", "remove", { start: span.start, end: span.end }) }, "×")));
}

function renderQuantities() {
  const rows = effective("quantity").map(quantityRow);
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: 8, class: "muted" }, "none")));
  $("quantity-table").tBodies[0].replaceChildren(...rows);
}

function renderLinks() {
  const cards = state.view.links.map((link) => {
    const verdict = link.label ? link.label.relation : null;
    const relation = el("select", { "aria-label": "relation", onchange: (e) => linkVerdict(link.item, e.target.value) },
      ...state.session.labels.relation.map((r) => el("option", { value: r }, r)));
    relation.value = verdict || link.relation || "none";
    return el("div", { class: "link" + (verdict ? " decided" : "") },
      el("div", { class: "pair" },
        el("div", {}, el("h3", {}, "This sentence"), el("p", {}, state.view.sentence.text)),
        el("div", {}, el("h3", {}, (link.other_document.title || link.other.doc_id) + " · " + link.other.doc_id + ":" + link.other.sent_id),
          el("p", {}, link.other.text || "(sentence not loaded)"))),
      el("p", { class: "muted" }, "model: " + link.relation + " (" + Number(link.score).toFixed(2) + ") — " + (link.reason || "")),
      el("p", {}, "your verdict: ", el("strong", {}, verdict || "not yet"), " ",
        el("button", { onclick: () => linkVerdict(link.item, link.relation) }, "confirm"), " ",
        relation, " ",
        el("button", { onclick: () => linkVerdict(link.item, "none") }, "reject")));
  });
  $("links").hidden = !cards.length;
  $("link-list").replaceChildren(...cards);
}

// ---- adjudication --------------------------------------------------------------------------------
function describe(layer, value) {
  if (value === null || value === undefined) return "–";
  if (layer === "entity") return value.map((s) => s.text + " [" + s.label + "]").join(", ") || "(no entities)";
  if (layer === "quantity") return value.map((s) => s.text + " = " + s.value + " " + s.unit + " " + s.approx).join(", ") || "(no quantities)";
  if (layer === "claim") return value.claim ? "claim: " + (value.claim_type || "?") : "not a claim";
  if (layer === "segment") return value.segment + (value.speaker ? " (" + value.speaker + ")" : "");
  if (layer === "link") return value.relation;
  return String(value);
}

async function showAdjudication() {
  $("annotate-view").hidden = true;
  $("adjudicate-view").hidden = false;
  const report = await api("/api/agreement");
  const rows = Object.entries(report.layers).map(([layer, r]) => el("tr", {}, el("td", {}, layer), el("td", {}, r.items),
    el("td", {}, r.alpha === null ? "n/a" : r.alpha),
    el("td", {}, r.pairs.map((p) => p.a + "–" + p.b + ": κ " + (p.kappa === null ? "n/a" : p.kappa)).join("; "))));
  $("agreement-summary").replaceChildren(el("table", {}, el("thead", {}, el("tr", {}, el("th", {}, "layer"),
    el("th", {}, "items"), el("th", {}, "α"), el("th", {}, "Cohen's κ"))), el("tbody", {}, ...rows)),
    el("p", {}, report.n_disagreements + " disagreements, " + report.n_settled + " settled."));
  const layer = $("adj-layer").value;
  const result = await api("/api/disagreements?" + query({ layer }));
  const cards = result.items.map((d) => {
    const choices = Object.entries(d.values).map(([who, value]) => el("button", {
      onclick: () => adjudicate(d, value) }, "use " + who + ": " + describe(d.layer, value)));
    const given = new Set(Object.values(d.values).map((v) => JSON.stringify(v)));
    const others = d.layer === "stance" ? state.session.labels.stance
      : d.layer === "link" ? state.session.labels.relation.map((relation) => ({ relation })) : [];
    for (const value of others) {
      if (given.has(JSON.stringify(value))) continue;
      choices.push(el("button", { class: "other", onclick: () => adjudicate(d, value) }, "other: " + describe(d.layer, value)));
    }
    return el("div", { class: "disagreement" + (d.adjudicated !== null ? " settled" : "") },
      el("h3", {}, d.layer + " · " + d.doc_id + ":" + d.sent_id),
      el("p", {}, d.text || ""),
      el("p", { class: "muted" }, d.adjudicated !== null ? "settled: " + describe(d.layer, d.adjudicated) : "not settled"),
      el("div", { class: "buttons" }, ...choices));
  });
  if (!cards.length) cards.push(el("p", { class: "muted" }, "No disagreements."));
  $("disagreement-list").replaceChildren(...cards);
}

async function adjudicate(d, value) {
  const body = { layer: d.layer, doc_id: d.doc_id, sent_id: d.sent_id, value };
  if (d.layer === "link") body.item = d.item;
  await api("/api/adjudicate", body);
  await showAdjudication();
}

// ---- keyboard ----------------------------------------------------------------------------------
const KEYS = [
  ["1 2 3 4", "stance: support, oppose, qualified, none"], ["Enter", "accept the sentence as shown and go on"],
  ["s", "skip"], ["u / Ctrl+Z", "undo your last change"], ["b", "back to the previous sentence"],
  ["k", "claim on/off"], ["t", "next claim type"], ["g", "next segment"], ["/", "find text to select"],
  ["c o r p n l", "label the selection CRC, ORG, REGION, PROGRAMME, PERSON, LAW"], ["q", "selection is a quantity"],
  ["x / Delete", "remove the selected entity"], ["Esc", "cancel the selection"], ["a", "adjudication view"],
  ["?", "this help"],
];

function cycle(options, current) { return options[(options.indexOf(current) + 1) % options.length]; }

function onKey(event) {
  const target = event.target;
  if (target.closest && target.closest("input, select, textarea, dialog")) {
    if (event.key === "Escape") target.blur();
    return;
  }
  if (!$("adjudicate-view").hidden) {
    if (event.key === "a" || event.key === "Escape") { location.hash = state.key ? "#/s/" + encodeURIComponent(state.key.doc_id) + "/" + state.key.sent_id : "#/"; }
    return;
  }
  if (!state.view || event.altKey || event.metaKey) return;
  const key = event.key;
  if ((event.ctrlKey && key === "z") || (!event.ctrlKey && key === "u")) { event.preventDefault(); undo().catch(() => {}); return; }
  if (event.ctrlKey) return;
  const spanMode = state.selection || state.selected;
  let action = null;
  if (spanMode && ENTITY_KEYS[key]) action = () => labelSelection(ENTITY_KEYS[key]);
  else if (state.selection && key === "q") action = addQuantity;
  else if (state.selected && (key === "x" || key === "Delete")) action = removeSelected;
  else if (spanMode && key === "Escape") action = clearSelection;
  else if (["1", "2", "3", "4"].includes(key)) action = () => setStance(state.session.labels.stance[Number(key) - 1]);
  else if (key === "Enter" && !(target.closest && target.closest("button, a"))) action = accept;
  else if (key === "s") action = skip;
  else if (key === "b") action = goBack;
  else if (key === "k") { const c = effective("claim") || {}; action = () => saveClaim(!c.claim, c.claim_type); }
  else if (key === "t") {
    const c = effective("claim") || {};
    action = () => saveClaim(true, cycle(state.session.labels.claim_type, c.claim_type));
  } else if (key === "g") {
    const s = effective("segment") || { segment: "body" };
    action = () => saveSegment(cycle(state.session.labels.segment, s.segment), s.speaker);
  } else if (key === "/") action = () => $("find").focus();
  else if (key === "a") action = () => { location.hash = "#/adjudicate"; };
  else if (key === "?") action = () => $("help").showModal();
  if (action) {
    event.preventDefault();
    Promise.resolve(action()).catch(() => {});
  }
}

// ---- start -----------------------------------------------------------------------------------
function fillSelect(node, options, keepFirst) {
  if (!keepFirst) node.replaceChildren();
  for (const option of options) node.append(el("option", { value: option }, option));
}

function wire() {
  const labels = state.session.labels;
  fillSelect($("claim-type"), labels.claim_type, true);
  fillSelect($("segment"), labels.segment, false);
  fillSelect($("filter-layer"), state.session.layers, true);
  fillSelect($("adj-layer"), ["stance", "claim", "segment", "link", "entity", "quantity"], true);
  for (const doc of state.session.documents) $("filter-doc").append(el("option", { value: doc.doc_id }, doc.doc_id + " — " + (doc.title || "")));
  $("who").textContent = state.session.annotator;
  $("help-keys").replaceChildren(...KEYS.flatMap(([k, what]) => [el("dt", {}, k), el("dd", {}, what)]));
  $("btn-accept").addEventListener("click", () => accept().catch(() => {}));
  $("btn-skip").addEventListener("click", () => skip().catch(() => {}));
  $("btn-undo").addEventListener("click", () => undo().catch(() => {}));
  $("btn-back").addEventListener("click", () => goBack().catch(() => {}));
  $("btn-help").addEventListener("click", () => $("help").showModal());
  $("claim-flag").addEventListener("change", (e) => saveClaim(e.target.checked, $("claim-type").value).catch(() => {}));
  $("claim-type").addEventListener("change", (e) => saveClaim(true, e.target.value).catch(() => {}));
  $("segment").addEventListener("change", (e) => saveSegment(e.target.value, $("speaker").value).catch(() => {}));
  $("speaker").addEventListener("change", (e) => saveSegment($("segment").value, e.target.value).catch(() => {}));
  $("find").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); findText(e.target.value); e.target.blur(); } });
  $("adj-layer").addEventListener("change", () => showAdjudication().catch(() => {}));
  $("filters").addEventListener("submit", (e) => {
    e.preventDefault();
    state.filters = { doc: $("filter-doc").value, layer: $("filter-layer").value, label: $("filter-label").value.trim() };
    state.key = null;
    goNext().catch(() => {});
  });
  document.addEventListener("selectionchange", onSelectionChange);
  document.addEventListener("keydown", onKey);
  window.addEventListener("hashchange", route);
}

async function route() {
  const hash = location.hash;
  if (hash === "#/adjudicate") { await showAdjudication(); return; }
  $("adjudicate-view").hidden = true;
  $("annotate-view").hidden = false;
  const match = hash.match(/^#\/s\/([^/]+)\/(\d+)$/);
  if (match) {
    const docId = decodeURIComponent(match[1]);
    const sentId = Number(match[2]);
    if (!state.key || state.key.doc_id !== docId || state.key.sent_id !== sentId) await openSentence(docId, sentId);
    return;
  }
  if (state.key) { await openSentence(state.key.doc_id, state.key.sent_id, { remember: false }); return; }
  await goNext();
}

async function main() {
  state.session = await api("/api/session");
  wire();
  await route().catch(() => {});
  document.body.dataset.ready = "1";
}

main().catch((e) => say("Cannot start: " + e.message, true));
