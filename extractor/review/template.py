"""The review page: HTML, CSS and script in one string (filled in by :mod:`extractor.review.page`)."""

PAGE = r"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>extractor review: {{TITLE}}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f6f8}
header{position:sticky;top:0;background:#fff;border-bottom:1px solid #ddd;padding:8px 16px;z-index:2}
h1{font-size:16px;margin:0 0 6px}
#counts span{margin-right:14px}
.rec{background:#fff;margin:8px 16px;border:1px solid #ddd;border-radius:6px}
.rec>summary{padding:6px 10px;cursor:pointer;display:flex;gap:10px;align-items:baseline}
.rec.error>summary{background:#fde8e8}
.rec.unsup>summary{background:#fff4e0}
.badge{font-size:12px;padding:1px 6px;border-radius:8px;background:#eee}
.badge.error{background:#d33;color:#fff}.badge.unsup{background:#e8910c;color:#fff}
.badge.note{background:#666;color:#fff}
.body{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:12px;padding:10px}
.text{white-space:pre-wrap;font:13px/1.5 ui-monospace,monospace;max-height:70vh;overflow:auto;border:1px solid #eee;padding:8px}
.hl{border-radius:2px;cursor:pointer}
.hl.dim{background:none!important;outline:none}
.fields{max-height:70vh;overflow:auto}
.fields table{border-collapse:collapse;width:100%}
.fields td{border-bottom:1px solid #eee;padding:2px 4px;vertical-align:top;word-break:break-word}
.fields td.path{white-space:nowrap;font-family:ui-monospace,monospace;font-size:12px}
.fields td.match{white-space:nowrap;color:#555;font-size:12px}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px}
.problem{color:#b00;font-weight:600}
.notes li{color:#555}
#tip{position:fixed;display:none;background:#222;color:#fff;padding:4px 8px;border-radius:4px;font-size:12px;max-width:420px;z-index:3;pointer-events:none}
#picked{font-size:12px;color:#333;min-height:1.4em}
</style></head>
<body>
<header><h1>extractor review: {{TITLE}}</h1>
<div id="counts"></div>
<label>field <select id="field"><option value="">all fields</option></select></label>
<label>status <select id="status">
<option value="">all</option><option value="ok">ok</option><option value="error">errors</option>
<option value="unsupported">records with unsupported values</option><option value="note">source problems</option>
</select></label>
<button id="openall" type="button">open shown</button> <button id="closeall" type="button">close all</button>
<span id="shown"></span>
<span class="hint">link with #open=all to open every record, #status=error or #field=skills to filter</span>
<div id="picked"></div>
</header>
<main id="list"></main>
<div id="tip"></div>
<script id="data" type="application/json">/*DATA*/null</script>
<script>
"use strict";
const DATA = JSON.parse(document.getElementById("data").textContent);
const RECORDS = DATA.records;
const el = (tag, cls, text) => { const n = document.createElement(tag); if (cls) n.className = cls; if (text !== undefined) n.textContent = String(text); return n; };
const topOf = p => String(p).split(/[.\[]/)[0];
const hue = name => { let h = 0; for (const c of name) h = (h * 31 + c.codePointAt(0)) % 360; return h; };
const colour = name => `hsla(${hue(name)},85%,62%,0.45)`;
const show = v => (v === null || v === undefined) ? "null" : (typeof v === "object" ? JSON.stringify(v) : String(v));
function valueAt(data, path) {
  let node = data;
  for (const m of String(path).matchAll(/([^.\[\]]+)|\[(\d+)\]/g)) {
    if (node === null || node === undefined) return undefined;
    node = m[2] !== undefined ? node[Number(m[2])] : node[m[1]];
  }
  return node;
}
const isUnsup = r => r.unsupported.length > 0;
const fieldsOf = r => new Set([...r.evidence.map(e => topOf(e.path)), ...r.unsupported.map(u => topOf(u.path))]);
function statusOk(r, s) {
  if (!s) return true;
  if (s === "unsupported") return isUnsup(r);
  if (s === "note") return !!r.note;
  return r.status === s;
}
const state = { field: "", status: "", rows: [] };

function counts() {
  const c = document.getElementById("counts"); c.textContent = "";
  const n = k => RECORDS.filter(k).length;
  const parts = [["records", RECORDS.length], ["ok", n(r => r.status === "ok")], ["errors", n(r => r.status === "error")],
    ["records with unsupported values", n(isUnsup)], ["unsupported values in all", RECORDS.reduce((a, r) => a + r.unsupported.length, 0)],
    ["evidence spans", RECORDS.reduce((a, r) => a + r.evidence.length, 0)], ["source problems", n(r => !!r.note)]];
  for (const [k, v] of parts) { const s = el("span", "count"); s.dataset.count = k; s.textContent = `${k}: ${v}`; c.appendChild(s); }
  const all = new Set(); RECORDS.forEach(r => fieldsOf(r).forEach(f => all.add(f)));
  const sel = document.getElementById("field");
  [...all].sort().forEach(f => { const o = el("option", null, f); o.value = f; sel.appendChild(o); });
}

function summary(r) {
  const s = el("summary");
  s.appendChild(el("span", "badge" + (r.status === "error" ? " error" : ""), r.status));
  s.appendChild(el("span", "src", r.source));
  if (r.status === "error" && r.error) s.appendChild(el("span", "problem", `${r.error.type}: ${r.error.message}`));
  if (isUnsup(r)) s.appendChild(el("span", "badge unsup", `${r.unsupported.length} unsupported`));
  if (r.note) s.appendChild(el("span", "badge note", "source problem"));
  s.appendChild(el("span", "badge", `${r.evidence.length} evidence`));
  return s;
}

function renderBody(r, box) {
  const body = el("div", "body");
  const text = el("div", "text");
  if (r.segments.length) {
    for (const [piece, evs] of r.segments) {
      if (!evs.length) { text.appendChild(document.createTextNode(piece)); continue; }
      const span = el("span", "hl", piece);
      const ev = r.evidence[evs[evs.length - 1]];
      span.style.background = colour(topOf(ev.path));
      span.dataset.fields = evs.map(i => topOf(r.evidence[i].path)).join(" ");
      span.dataset.paths = evs.map(i => r.evidence[i].path).join(" ");
      const label = evs.map(i => { const e = r.evidence[i]; return `${e.path} = ${show(valueAt(r.data, e.path))} (${e.match})`; }).join("\n");
      span.title = label;
      span.addEventListener("click", () => { document.getElementById("picked").textContent = `${r.source}: ${label.replace(/\n/g, "; ")}`; });
      text.appendChild(span);
    }
  } else {
    text.appendChild(el("div", "problem", r.note || (r.status === "error" ? "no text: the input failed" : "no text")));
    for (const e of r.evidence) text.appendChild(el("div", null, `${e.path}: “${e.quote}”`));
  }
  body.appendChild(text);
  body.appendChild(fieldsPanel(r));
  box.appendChild(body);
  applyField(box);
}

function fieldsPanel(r) {
  const side = el("div", "fields");
  if (r.note) side.appendChild(el("p", "problem", r.note));
  if (r.error) side.appendChild(el("p", "problem", `${r.error.type}: ${r.error.message}`));
  if (r.unsupported.length) {
    side.appendChild(el("h4", "problem", "Unsupported values (no evidence in the source)"));
    const ul = el("ul", "unsupported");
    for (const u of r.unsupported) ul.appendChild(el("li", "problem", `${u.path} = ${show(u.value)}: ${u.reason}${u.dropped ? " (dropped)" : " (kept)"}`));
    side.appendChild(ul);
  }
  if (r.stale.length) side.appendChild(el("p", "problem", `${r.stale.length} evidence span(s) no longer match the source text`));
  const table = el("table");
  const byPath = new Map(); r.evidence.forEach(e => { if (!byPath.has(e.path)) byPath.set(e.path, e); });
  for (const [path, value] of flatten(r.data || {}, "")) {
    const tr = el("tr"); tr.dataset.field = topOf(path);
    const td = el("td", "path"); const sw = el("span", "swatch"); sw.style.background = colour(topOf(path)); td.appendChild(sw); td.appendChild(document.createTextNode(path));
    tr.appendChild(td); tr.appendChild(el("td", null, show(value)));
    const e = byPath.get(path); tr.appendChild(el("td", "match", e ? e.match : ""));
    table.appendChild(tr);
  }
  side.appendChild(table);
  if (r.warnings.length) { const ul = el("ul", "notes"); r.warnings.forEach(w => ul.appendChild(el("li", null, w))); side.appendChild(ul); }
  return side;
}

function flatten(value, path) {
  const out = [];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...flatten(v, `${path}[${i}]`)));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "text" && path) out.push([path, v]); else out.push(...flatten(v, path ? `${path}.${k}` : k));
    }
  } else if (value !== null && value !== false && value !== "") out.push([path, value]);
  return out;
}

function applyField(box) {
  for (const s of box.querySelectorAll(".hl")) s.classList.toggle("dim", !!state.field && !s.dataset.fields.split(" ").includes(state.field));
  for (const tr of box.querySelectorAll("tr[data-field]")) tr.style.display = !state.field || tr.dataset.field === state.field ? "" : "none";
}

function build() {
  const list = document.getElementById("list");
  RECORDS.forEach(r => {
    const d = el("details", "rec" + (r.status === "error" ? " error" : "") + (isUnsup(r) ? " unsup" : ""));
    d.dataset.index = r.i; d.appendChild(summary(r));
    d.addEventListener("toggle", () => { if (d.open && !d.dataset.drawn) { d.dataset.drawn = "1"; renderBody(r, d); } });
    list.appendChild(d); state.rows.push([r, d]);
  });
}

function filter() {
  let shown = 0;
  for (const [r, d] of state.rows) {
    const ok = statusOk(r, state.status) && (!state.field || fieldsOf(r).has(state.field));
    d.style.display = ok ? "" : "none"; shown += ok;
    if (d.dataset.drawn) applyField(d);
  }
  const s = document.getElementById("shown"); s.textContent = `${shown} shown`; s.dataset.shown = shown;
}

function fromHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  state.field = p.get("field") || ""; state.status = p.get("status") || "";
  document.getElementById("field").value = state.field; document.getElementById("status").value = state.status;
  filter();
  const open = p.get("open") || "first";  // the first shown record starts open
  if (open === "first") { const row = state.rows.find(([r, d]) => d.style.display !== "none"); if (row) row[1].open = true; }
  else for (const [r, d] of state.rows) if (d.style.display !== "none" && (open === "all" || open.split(",").includes(String(r.i)))) d.open = true;
}

counts(); build();
document.getElementById("field").addEventListener("change", e => { state.field = e.target.value; filter(); });
document.getElementById("status").addEventListener("change", e => { state.status = e.target.value; filter(); });
document.getElementById("openall").addEventListener("click", () => state.rows.forEach(([r, d]) => { if (d.style.display !== "none") d.open = true; }));
document.getElementById("closeall").addEventListener("click", () => state.rows.forEach(([r, d]) => { d.open = false; }));
const tip = document.getElementById("tip");
document.addEventListener("mouseover", e => { const t = e.target.closest && e.target.closest(".hl"); if (!t) { tip.style.display = "none"; return; } tip.textContent = t.title; tip.style.display = "block"; });
document.addEventListener("mousemove", e => { tip.style.left = (e.clientX + 12) + "px"; tip.style.top = (e.clientY + 12) + "px"; });
window.addEventListener("hashchange", fromHash);
fromHash();
</script></body></html>
"""
