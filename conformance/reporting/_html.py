"""The HTML report: one self-contained page (inline CSS and JavaScript, no
network) with the clause-by-run matrix, its filters, each non-pass cell's
evidence a click away, and any two runs side by side.

Everything a results file says reaches the page in one place: the JSON of
the ``<script type="application/json">`` block, written so that no string
in it can end the block (``<``, ``>`` and ``&`` are ``\\u`` escapes there),
and shown by the script as text (``textContent``, never markup).  The page's
state (filters, the runs compared, the evidence open) lives in the URL's
fragment, e.g. ``#framework=quart&outcome=fail`` or ``#compare=RUN1,RUN2``,
so a view can be shared as a link.  The same results give the same bytes.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from typing import Any

from .._spec import Registry
from ._analysis import LEGEND, cell, run_names, sort_runs
from ._escape import scrub
from ._results import ClauseResult, Results

TITLE = "Request-lifecycle conformance report"
# Bounds on what a results file can put in the page (scrubbed, then cut).
NAME_LIMIT = 300
DETAIL_LIMIT = 3000
EVIDENCE_LIMIT = 8000
_CUT = " [...]"
# The evidence keys the suite writes, in the order they are shown.
_EVIDENCE_ORDER = ("message", "what", "expected", "observed", "scenario", "observation")


def render_html(results: Sequence[Results], reg: Registry) -> str:
    """The HTML page for ``results``, described by the clauses of ``reg``."""
    data = page_data(results, reg)
    return _PAGE.format(
        title=html.escape(TITLE),
        css=_CSS,
        data=script_json(data),
        js=_JS,
    )


def script_json(data: Any) -> str:
    """``data`` as JSON that is safe as the content of a ``<script>`` block:
    ASCII only, and no ``<``, ``>`` or ``&`` (so no ``</script>`` nor
    ``<!--``) anywhere in it."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def page_data(results: Sequence[Results], reg: Registry) -> dict[str, Any]:
    """What the page's script is given: runs, areas, clauses and, per run,
    the cell of every clause it has a result for."""
    runs = sort_runs(results)
    names = run_names(runs)
    known = {c.id for c in reg.clauses}
    extra: dict[str, ClauseResult] = {}  # clauses the registry lacks, by id
    for run in runs:
        for c in run.clauses:
            if c.id not in known:
                extra.setdefault(c.id, c)
    areas = [{"id": _bound(a.id), "title": _bound(a.title)} for a in reg.areas]
    area_ids = {a.id for a in reg.areas}
    for c in sorted(extra.values(), key=lambda c: c.id):
        if c.area not in area_ids:
            area_ids.add(c.area)
            areas.append({"id": _bound(c.area), "title": _bound(c.area)})
    clauses = [
        {"id": c.id, "area": c.area, "level": c.level, "basis": c.basis, "text": c.text}
        for c in reg.clauses
        if not c.retired or any(c.id in {r.id for r in run.clauses} for run in runs)
    ]
    clauses += [
        {
            "id": _bound(c.id),
            "area": _bound(c.area),
            "level": c.level,
            "basis": c.basis,
            "text": "(not in this suite's clause registry)",
        }
        for c in sorted(extra.values(), key=lambda c: c.id)
    ]
    texts = _Texts()
    keyed = zip(runs, names, _keys(names), strict=True)
    shown_runs = [_run(run, name, key, texts) for run, name, key in keyed]
    return {
        "legend": [[word, meaning] for word, meaning in LEGEND],
        "areas": areas,
        "clauses": clauses,
        "runs": shown_runs,
        "texts": texts.texts,
    }


class _Texts:
    """Texts of tests (names, details, evidence), each kept once: runs of many
    releases repeat the same tests, scenarios and failures, and refer to
    each by its index."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        if value not in self._index:
            self._index[value] = len(self.texts)
            self.texts.append(value)
        return self._index[value]


def _run(run: Results, name: str, key: str, texts: _Texts) -> dict[str, Any]:
    return {
        "key": key,
        "name": _bound(name),
        "framework": _bound(run.framework),
        "release": _bound(run.framework_version),
        "transport": _bound(run.transport),
        "python": _bound(run.python),
        "complete": run.complete,
        "interruption": _bound(run.interruption),
        "summary": run.summary(),
        "cells": {_bound(c.id): _cell(c, texts) for c in run.clauses},
    }


def _cell(clause: ClauseResult, texts: _Texts) -> dict[str, Any]:
    shown: dict[str, Any] = {"outcome": clause.outcome, "word": cell(clause)}
    if clause.expected is not None:
        shown["expected"] = _bound(clause.expected, DETAIL_LIMIT)
    # Passing tests say nothing a reader needs; the others carry the why.
    # Each test as [name, outcome, detail, evidence], texts by index: compact,
    # as a page of many runs has many thousand of them.
    shown["tests"] = [
        [
            texts(_bound(t.name)),
            t.outcome,
            texts(_bound(t.detail, DETAIL_LIMIT)),
            _evidence(t.evidence or {}, texts),
        ]
        for t in clause.tests
        if t.outcome != "pass" or t.detail
    ]
    shown["passed"] = sum(1 for t in clause.tests if t.outcome == "pass")
    return shown


def _evidence(evidence: dict[str, Any], texts: _Texts) -> list[tuple[str, int]]:
    """The evidence as (key, text) pairs: the suite's keys in their order,
    then any others by name; every value as text (JSON, indented), by its
    index in ``texts``."""
    keys = [k for k in _EVIDENCE_ORDER if k in evidence]
    keys += sorted(k for k in evidence if k not in _EVIDENCE_ORDER)
    shown = []
    for key in keys:
        value = evidence[key]
        as_text = value if isinstance(value, str) else json.dumps(value, indent=2, sort_keys=True)
        shown.append((_bound(key, 80), texts(_bound(as_text, EVIDENCE_LIMIT))))
    return shown


def _bound(value: str, limit: int = NAME_LIMIT) -> str:
    """``value`` without this or another machine's absolute paths, cut to ``limit``."""
    value = scrub(value)
    return value if len(value) <= limit else value[: limit - len(_CUT)] + _CUT


def _keys(names: Sequence[str]) -> list[str]:
    """A short, unique, URL-safe key for each run, from its name."""
    keys: list[str] = []
    for name in names:
        key = re.sub(r"[^a-z0-9.]+", "-", name.lower()).strip("-")[:80] or "run"
        unique, n = key, 1
        while unique in keys:
            n += 1
            unique = f"{key}-{n}"
        keys.append(unique)
    return keys


_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header><h1>{title}</h1>
<p>Generated by <code>lifecycle-conformance report --html</code>; do not edit.
Click a cell for its evidence. The filters and the runs compared are kept in
the address, so a view can be shared as a link.</p>
<form id="filters"></form>
<ul id="legend"></ul>
</header>
<main>
<section id="matrix-view"><table id="matrix"></table></section>
<section id="compare-view" hidden>
<h2>Side by side</h2>
<p><label><input type="checkbox" id="only-diff"> only clauses that differ</label>
<span id="diff-count"></span></p>
<table id="compare"></table></section>
<aside id="evidence" hidden></aside>
</main>
<script type="application/json" id="report-data">{data}</script>
<script>{js}</script>
</body>
</html>
"""

_CSS = """
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 16px; background: #f4f4f6; border-bottom: 1px solid #ccc; }
h1 { font-size: 18px; margin: 4px 0; } h2 { font-size: 15px; }
header p { margin: 4px 0; color: #555; }
form { display: flex; flex-wrap: wrap; gap: 8px; align-items: end; margin: 6px 0; }
form label { display: flex; flex-direction: column; font-size: 11px; color: #555; }
#legend { display: flex; flex-wrap: wrap; gap: 12px; list-style: none; padding: 0; margin: 4px 0; }
main { display: flex; align-items: flex-start; }
main > section { padding: 8px 16px; overflow: auto; flex: 1; max-height: calc(100vh - 150px); }
table { border-collapse: collapse; }
th, td { border: 1px solid #ddd; padding: 1px 4px; white-space: nowrap; }
thead th { position: sticky; top: 0; background: #fff; vertical-align: bottom; }
#matrix thead th.run { writing-mode: vertical-rl; transform: rotate(180deg); font-weight: normal; }
th.clause { text-align: left; font-weight: normal; font-family: monospace; }
tr.area th { text-align: left; background: #eef; position: sticky; left: 0; }
td.cell { text-align: center; cursor: pointer; min-width: 16px; }
.sample { display: inline-block; width: 18px; text-align: center; border: 1px solid #ccc; }
.o-pass { background: #dfd; } .o-fail { background: #fbb; } .o-error { background: #e6c8ff; }
.o-not-applicable { background: #eee; color: #777; } .o-fail.expected { background: #fed; }
.o-pass.unexpected { background: #ff8; } td.dim { opacity: .25; }
tr.differs th.clause { background: #ffe8a0; }
#evidence { width: 40%; max-height: calc(100vh - 150px); overflow: auto; padding: 8px 16px;
  border-left: 2px solid #ccc; background: #fcfcfc; }
pre { white-space: pre-wrap; word-break: break-word; background: #f6f6f6; padding: 6px; }
#evidence h3 { font-size: 13px; word-break: break-all; }
"""

_JS = r"""
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
"""
