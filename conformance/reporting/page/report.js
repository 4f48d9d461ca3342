"use strict";
const DATA = JSON.parse(document.getElementById("report-data").textContent);
const FILTERS = ["framework", "release", "transport", "area", "level", "outcome"];
const SYMBOL = {"pass": "\u2713", "fail": "\u2717", "not-applicable": "\u00b7", "error": "!"};
// The legend's words (from the Markdown report) and how cells show them.
const WORD_CLASS = {"pass": "o-pass", "FAIL": "o-fail", "fail (expected)": "o-fail expected",
  "PASS (unexpected)": "o-pass unexpected", "n/a": "o-not-applicable", "ERROR": "o-error"};
const WORD_SYMBOL = {"pass": "\u2713", "FAIL": "\u2717", "fail (expected)": "\u2717",
  "PASS (unexpected)": "\u2713", "n/a": "\u00b7", "ERROR": "!", "\u2014": "\u2014"};
const $ = (id) => document.getElementById(id);

function el(tag, attrs, ...children) {  // every string becomes text, never markup
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const c of children) node.append(c);
  return node;
}
const unique = (values) => [...new Set(values)].sort();

function readState() {
  const params = new URLSearchParams(location.hash.slice(1));
  const state = {};
  for (const key of [...FILTERS, "compare", "show", "only"]) {
    state[key] = params.get(key) ? params.get(key).split(",") : [];
  }
  return state;
}
function writeState(state) {
  const parts = [];
  for (const [k, v] of Object.entries(state)) {
    if (v.length) parts.push(k + "=" + v.map(encodeURIComponent).join(","));
  }
  history.replaceState(null, "", "#" + parts.join("&"));
  apply(state);
}

function cellOf(run, clause) {
  const c = run.cells[clause.id];
  const td = el("td", {"class": "cell", "data-run": run.key, "data-clause": clause.id});
  if (!c) { td.textContent = "\u2014"; td.setAttribute("data-outcome", "none"); return td; }
  td.setAttribute("data-outcome", c.outcome);
  td.classList.add("o-" + c.outcome);
  if (c.word === "fail (expected)") td.classList.add("expected");
  if (c.word === "PASS (unexpected)") td.classList.add("unexpected");
  td.textContent = SYMBOL[c.outcome];
  td.title = run.name + "\n" + clause.id + ": " + c.word;
  td.addEventListener("click", () => {
    const state = readState(); state.show = [run.key, clause.id]; writeState(state);
  });
  return td;
}

function buildFilters() {
  const values = {
    framework: unique(DATA.runs.map((r) => r.framework)),
    release: unique(DATA.runs.map((r) => r.release)),
    transport: unique(DATA.runs.map((r) => r.transport)),
    area: DATA.areas.map((a) => a.id),
    level: ["MUST", "SHOULD", "MAY"],
    outcome: ["pass", "fail", "not-applicable", "error"],
  };
  const form = $("filters");
  for (const name of FILTERS) {
    const select = el("select", {"id": "filter-" + name}, el("option", {"value": ""}, "all"));
    for (const v of values[name]) select.append(el("option", {"value": v}, v));
    select.addEventListener("change", () => {
      const state = readState();
      state[name] = select.value ? [select.value] : [];
      writeState(state);
    });
    form.append(el("label", {}, name, select));
  }
  for (const side of [0, 1]) {
    const select = el("select", {"id": "compare-" + side}, el("option", {"value": ""}, "\u2014"));
    for (const r of DATA.runs) select.append(el("option", {"value": r.key}, r.name));
    select.addEventListener("change", () => {
      const state = readState();
      const pair = [$("compare-0").value, $("compare-1").value];
      state.compare = pair[0] && pair[1] ? pair : []; writeState(state);
    });
    form.append(el("label", {}, side ? "side by side with" : "compare run", select));
  }
  for (const [word, meaning] of DATA.legend) {
    const sample = el("span", {"class": "sample " + (WORD_CLASS[word] || "")}, WORD_SYMBOL[word]);
    $("legend").append(el("li", {"title": meaning}, sample, " " + word));
  }
}

function buildMatrix() {
  const head = el("tr", {}, el("th", {}, "clause"), el("th", {}, "level"));
  for (const r of DATA.runs) {
    head.append(el("th", {"class": "run", "data-run": r.key, "title": r.name}, r.name));
  }
  const table = $("matrix");
  table.append(el("thead", {}, head));
  const body = el("tbody");
  for (const area of DATA.areas) {
    const clauses = DATA.clauses.filter((c) => c.area === area.id);
    if (!clauses.length) continue;
    body.append(el("tr", {"class": "area", "data-area": area.id},
      el("th", {"colspan": String(DATA.runs.length + 2)}, area.title)));
    for (const clause of clauses) {
      const row = el("tr", {"data-clause": clause.id, "data-area": area.id,
        "data-level": clause.level},
        el("th", {"class": "clause", "title": clause.text}, clause.id), el("td", {}, clause.level));
      for (const r of DATA.runs) row.append(cellOf(r, clause));
      body.append(row);
    }
  }
  table.append(body);
}

const matches = (wanted, value) => !wanted.length || wanted.includes(value);

function apply(state) {
  for (const name of FILTERS) $("filter-" + name).value = state[name][0] || "";
  const runs = DATA.runs.filter((r) => matches(state.framework, r.framework)
    && matches(state.release, r.release) && matches(state.transport, r.transport));
  const shown = new Set(runs.map((r) => r.key));
  for (const node of document.querySelectorAll("#matrix [data-run]")) {
    node.hidden = !shown.has(node.dataset.run);
  }
  const visibleAreas = new Set();
  for (const row of document.querySelectorAll("#matrix tbody tr[data-clause]")) {
    const cells = [...row.querySelectorAll("td.cell")].filter((td) => shown.has(td.dataset.run));
    for (const td of cells) td.classList.toggle("dim", !matches(state.outcome, td.dataset.outcome));
    row.hidden = !(matches(state.area, row.dataset.area) && matches(state.level, row.dataset.level)
      && (!state.outcome.length || cells.some((td) => state.outcome.includes(td.dataset.outcome))));
    if (!row.hidden) visibleAreas.add(row.dataset.area);
  }
  for (const row of document.querySelectorAll("#matrix tr.area")) {
    row.hidden = !visibleAreas.has(row.dataset.area);
  }
  showCompare(state);
  showEvidence(state.show);
}

function showCompare(state) {
  const pair = state.compare.map((key) => DATA.runs.find((r) => r.key === key));
  const on = pair.length === 2 && pair.every(Boolean);
  $("compare-view").hidden = !on; $("matrix-view").hidden = on;
  $("compare-0").value = on ? pair[0].key : ""; $("compare-1").value = on ? pair[1].key : "";
  $("only-diff").checked = state.only.includes("diff");
  const table = $("compare"); table.replaceChildren();
  if (!on) return;
  table.append(el("thead", {}, el("tr", {}, el("th", {}, "clause"), el("th", {}, "level"),
    el("th", {}, pair[0].name), el("th", {}, pair[1].name))));
  const body = el("tbody"); let differ = 0;
  for (const clause of DATA.clauses) {
    const words = pair.map((r) => (r.cells[clause.id] || {}).word || "\u2014");
    const differs = words[0] !== words[1];
    differ += differs;
    const row = el("tr", {"data-compare-clause": clause.id, "class": differs ? "differs" : "same"},
      el("th", {"class": "clause", "title": clause.text}, clause.id), el("td", {}, clause.level));
    for (const [i, r] of pair.entries()) {
      const td = cellOf(r, clause); td.textContent = words[i]; row.append(td);
    }
    row.hidden = !(matches(state.area, clause.area) && matches(state.level, clause.level)
      && (!$("only-diff").checked || differs));
    body.append(row);
  }
  table.append(body);
  $("diff-count").textContent = " " + differ + " of " + DATA.clauses.length + " clauses differ";
}

function showEvidence(show) {
  const aside = $("evidence"); aside.replaceChildren();
  const run = DATA.runs.find((r) => r.key === show[0]);
  const clause = DATA.clauses.find((c) => c.id === show[1]);
  const c = run && clause && run.cells[clause.id];
  aside.hidden = !c;
  if (!c) return;
  const close = el("button", {"type": "button", "id": "close-evidence"}, "close");
  close.addEventListener("click", () => { const s = readState(); s.show = []; writeState(s); });
  aside.append(close, el("h2", {}, clause.id), el("p", {}, clause.text),
    el("p", {}, el("b", {}, run.name), ": " + c.word + " (" + c.passed + " passing tests)"));
  if (c.expected) aside.append(el("p", {}, "Declared divergence: " + c.expected));
  for (const [name, outcome, detailIndex, evidence] of c.tests) {
    aside.append(el("h3", {}, DATA.texts[name] + " \u2014 " + outcome));
    for (const [key, text] of evidence) {
      aside.append(el("h4", {}, key), el("pre", {}, DATA.texts[text]));
    }
    const detail = DATA.texts[detailIndex];
    if (detail) aside.append(el("details", {}, el("summary", {}, "detail"), el("pre", {}, detail)));
  }
}

buildFilters();
buildMatrix();
$("only-diff").addEventListener("change", () => {
  const state = readState(); state.only = $("only-diff").checked ? ["diff"] : []; writeState(state);
});
window.addEventListener("hashchange", () => apply(readState()));
apply(readState());
