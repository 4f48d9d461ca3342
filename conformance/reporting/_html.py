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
from importlib.resources import files
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
    return _asset("report.html").format(
        title=html.escape(TITLE),
        css=_asset("report.css"),
        data=script_json(data),
        js=_asset("report.js"),
    )


def _asset(name: str) -> str:
    """One of the page's own files (conformance/reporting/page/): its
    template, its style sheet, its script."""
    return (files(__package__) / "page" / name).read_text(encoding="utf-8")


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
