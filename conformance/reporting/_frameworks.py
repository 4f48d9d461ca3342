"""REPORT.md by framework: the findings at its top, the matrix of each
framework's newest release, and one section per framework with its releases,
faces and transports as columns.

A framework is the results' ``framework`` name; its faces are its adapters
(Falcon's WSGI and ASGI).  Flask comes first, being the spec, and the suite's
own reference framework last.  Every table keeps to about ten columns: a
framework with more runs is shown in several tables of at most
``RUN_COLUMNS`` runs each.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from .._spec import Registry
from ._analysis import sort_runs
from ._escape import row, text
from ._evidence import (
    evidence_anchor,
    in_registry_order,
    is_finding,
    linked,
    not_applicable_anchor,
    slug,
    spec_link,
    word,
)
from ._moves import NAMES, shortened, version_key
from ._results import ClauseResult, Results

FLASK = "flask"
REFERENCE = "reference"  # the suite's own framework: not a column of the cross-framework matrix
RUN_COLUMNS = 8
FINDING_TEXT = 100  # a clause's text in a findings line; SPEC.md has it whole
# How a findings line says what kind of finding it is.
_STATE = {
    "fail": "declared",
    "**FAIL**": "**undeclared**",
    "**ERROR**": "**error**",
    "**PASS**": "**stale declaration**",
}
_COUNTS = ("pass", "fail", "not-applicable", "error", "expected-fail", "unexpected-pass")


@dataclass(frozen=True)
class Framework:
    """One framework's runs, sorted, and those of its newest release."""

    name: str
    runs: tuple[Results, ...]
    python: str  # the Python most runs of the report use

    @property
    def title(self) -> str:
        return NAMES.get(self.name, self.name.capitalize())

    @property
    def anchor(self) -> str:
        return f"framework-{slug(self.name)}"

    @property
    def newest(self) -> tuple[Results, ...]:
        top = max(version_key(r.framework_version) for r in self.runs)
        return tuple(r for r in self.runs if version_key(r.framework_version) == top)

    @property
    def faces(self) -> list[str]:
        return sorted({r.adapter for r in self.runs}, key=lambda a: (a != self.name, a))

    def face_run(self, adapter: str) -> Results:
        """The run of ``adapter`` that stands for the newest release: complete,
        in process, on the Python most runs of the report use."""
        return min(
            (r for r in self.newest if r.adapter == adapter),
            key=lambda r: (
                not r.complete,
                r.transport != "in-process",
                r.python != self.python,
                r.transport,
                r.python,
                r.started,
            ),
        )


def frameworks(runs: Sequence[Results]) -> list[Framework]:
    """The frameworks of ``runs``: Flask first, the reference framework last."""
    by_name: dict[str, list[Results]] = {}
    for run in sort_runs(runs):
        by_name.setdefault(run.framework, []).append(run)
    for group in by_name.values():  # each release's runs in process first
        versions = list(dict.fromkeys(r.framework_version for r in group))
        group.sort(key=lambda r: (versions.index(r.framework_version), r.transport != "in-process"))
    pythons = [r.python for r in runs]
    common = max(sorted(set(pythons)), key=pythons.count, default="")
    order = sorted(by_name, key=lambda n: (n != FLASK, n == REFERENCE, n))
    return [Framework(name, tuple(by_name[name]), common) for name in order]


def findings(fws: Sequence[Framework], reg: Registry, moving: dict[str, str]) -> list[str]:
    """Per framework, its newest release's rules it does not keep, one line each;
    ``moving`` has the anchor of each framework's "Moving from Flask" section."""
    lines = [
        "## Findings",
        "",
        "For each framework's newest release, every rule it does not keep, in process or"
        " over a server: the rules of Flask's lifecycle, wherever the framework has the"
        " concept, and those of its own documentation. Each line has its clause (linked to"
        " SPEC.md), whether the adapter declares the divergence, and a link to the evidence.",
        "",
        *_attention(fws),
    ]
    for fw in fws:
        for adapter in fw.faces:
            runs = [r for r in fw.newest if r.adapter == adapter]
            rep = fw.face_run(adapter)
            counts = rep.summary()
            rules = _rules(runs)
            name = fw.title if adapter == fw.name else adapter
            links = [f"[all its runs](#{fw.anchor})"]
            if fw.name in moving:
                links.append(f"[moving from Flask](#{moving[fw.name]})")
            lines += [
                f"### {text(name)} {text(rep.framework_version)}: {_not_kept(len(rules))}"
                + ("" if all(r.complete for r in runs) else ", of those that ran (incomplete)"),
                "",
                f"In {text(rep.label)}: {counts['pass']} pass, {counts['fail']} fail"
                f" ({counts['expected-fail']} declared), {counts['not-applicable']} n/a,"
                f" {counts['error']} error; " + ", ".join(links) + ".",
                "",
            ]
            for cid in in_registry_order(rules, reg):
                lines.append(_finding(adapter, cid, rules[cid], runs, reg))
            lines.append("")
    return lines


def _not_kept(n: int) -> str:
    return "every rule kept" if n == 0 else f"{n} rule{'' if n == 1 else 's'} not kept"


def _attention(fws: Sequence[Framework]) -> list[str]:
    """The runs (of any release) with an undeclared failure, an error, a stale
    declaration or an end before every clause ran: what a maintainer acts on."""
    lines = []
    for fw in fws:
        for run in fw.runs:
            counts = run.summary()
            said = []
            undeclared = counts["fail"] - counts["expected-fail"]
            if undeclared:
                said.append(f"{undeclared} undeclared failures")
            if counts["error"]:
                said.append(f"{counts['error']} errors")
            if counts["unexpected-pass"]:
                said.append(f"{counts['unexpected-pass']} stale declarations")
            if not run.complete:
                said.append("incomplete: " + text(run.interruption or "no reason given"))
            if said:
                lines.append(f"- [{text(run.label)}](#{fw.anchor}): " + ", ".join(said))
    if not lines:
        return [
            "Every run is complete, and has no undeclared failure, no error and no stale"
            " declaration: every failure below is a divergence its adapter declares.",
            "",
        ]
    return ["**Needs attention**:", "", *lines, ""]


def _rules(runs: Sequence[Results]) -> dict[str, list[tuple[Results, ClauseResult]]]:
    found: dict[str, list[tuple[Results, ClauseResult]]] = {}
    for run in runs:
        for c in run.clauses:
            if is_finding(c):
                found.setdefault(c.id, []).append((run, c))
    return found


def _finding(
    adapter: str,
    cid: str,
    where: list[tuple[Results, ClauseResult]],
    runs: Sequence[Results],
    reg: Registry,
) -> str:
    said = "(not in this suite's registry)"
    if cid in reg:
        said = shortened(reg[cid].text, FINDING_TEXT)
    words = sorted({_STATE[word(c)] for _, c in where})
    only = ""
    if len(where) < len(runs):
        only = " (" + ", ".join(sorted({text(r.transport) for r, _ in where})) + " only)"
    level = where[0][1].level
    shown_level = "" if level == "MUST" else f" {text(level)}:"
    return (
        f"- {spec_link(cid, in_table=False)}:{shown_level} {text(said)}"
        f" — {', '.join(words)}{only}, [evidence](#{evidence_anchor(adapter, cid)})"
    )


def matrix(fws: Sequence[Framework], reg: Registry) -> list[str]:
    """The newest release of each framework, one column per face, by area."""
    columns = [(a, fw.face_run(a)) for fw in fws if fw.name != REFERENCE for a in fw.faces]
    lines = [
        "## Matrix",
        "",
        "Each framework's newest release, in process where it was run so (the run each column"
        " stands for is named below its table); every other cell links to its evidence or its"
        " reason. The reference framework, the suite's own, is in its own section.",
        "",
    ]
    if not columns:
        return [*lines, "No framework but the reference was run.", ""]
    by_run = [{c.id: c for c in run.clauses} for _, run in columns]
    titles = {a.id: a.title for a in reg.areas}
    for area, ids in _areas(reg, by_run):
        lines += [f"### {text(titles.get(area, area))}", ""]
        header = [f"{text(a)} {text(run.framework_version)}" for a, run in columns]
        lines.append(row(["Clause", *header]))
        lines.append(row(["---"] * (1 + len(columns))))
        for cid in ids:
            cells = [linked(m.get(cid), a) for (a, _), m in zip(columns, by_run, strict=True)]
            lines.append(row([spec_link(cid), *cells]))
        lines.append("")
    lines += ["Columns: " + "; ".join(text(run.label) for _, run in columns) + ".", ""]
    return lines


def sections(fws: Sequence[Framework], reg: Registry) -> list[str]:
    """One section per framework: its runs' counts, then its clauses over its runs."""
    lines = ["## Frameworks", ""]
    lines += [f"- [{text(fw.title)}](#{fw.anchor}): {len(fw.runs)} runs" for fw in fws]
    lines.append("")
    for fw in fws:
        lines += [f'<a id="{fw.anchor}"></a>', "", f"### {text(fw.title)}", ""]
        labels = short_labels(fw)
        # area depth: what each run's framework is built on, where any run says
        built = any(run.dependencies for run in fw.runs)
        extra = ["Built on"] if built else []
        lines.append(row(["Run", *extra, "Python", *(k.replace("-", " ") for k in _COUNTS)]))
        lines.append(row(["---"] * (2 + len(extra)) + ["---:"] * len(_COUNTS)))
        for run in fw.runs:
            counts = run.summary()
            shown = text(run.label) + ("" if run.complete else " **(incomplete)**")
            on = [built_on_cell(run)] if built else []
            cells = [shown, *on, text(run.python), *(str(counts[k]) for k in _COUNTS)]
            lines.append(row(cells))
        lines += ["", "*fail* counts expected failures too.", ""]
        by_run = [{c.id: c for c in run.clauses} for run in fw.runs]
        ids = [cid for _, in_area in _areas(reg, by_run) for cid in in_area]
        shown_ids = [cid for cid in ids if any(_applies(m.get(cid)) for m in by_run)]
        chunks = _chunks(len(fw.runs))
        for start, stop in chunks:
            runs, maps = fw.runs[start:stop], by_run[start:stop]
            lines.append(row(["Clause", *(text(label) for label in labels[start:stop])]))
            lines.append(row(["---"] * (1 + len(runs))))
            for cid in shown_ids:
                cells = [linked(m.get(cid), r.adapter) for r, m in zip(runs, maps, strict=True)]
                lines.append(row([spec_link(cid), *cells]))
            lines.append("")
        hidden = len(ids) - len(shown_ids)
        if hidden:
            where = ", ".join(f"[{text(a)}](#{not_applicable_anchor(a)})" for a in fw.faces)
            lines += [
                f"{hidden} more clauses are not applicable in any run (reasons: {where}).",
                "",
            ]
    return lines


def _applies(clause: ClauseResult | None) -> bool:
    return clause is not None and clause.outcome != "not-applicable"


def short_labels(fw: Framework) -> list[str]:
    """Each run's column title within its framework's section: its release, and
    its face, transport and Python where those tell it from the others."""
    faces = len(fw.faces) > 1
    base = []
    for run in fw.runs:
        parts = [run.framework_version]
        if faces:
            parts.append(run.adapter)
        if run.transport != "in-process":
            parts.append(run.transport)
        base.append(" ".join(parts))
    labels = []
    for i, (run, label) in enumerate(zip(fw.runs, base, strict=True)):
        same = [n for n, b in enumerate(base) if b == label]
        if len(same) > 1:
            label += f" py {run.python}"
            twins = [n for n in same if fw.runs[n].python == run.python]
            if len(twins) > 1:
                label += f" run {twins.index(i) + 1}"
        labels.append(label)
    return labels


def _chunks(n: int) -> list[tuple[int, int]]:
    """``n`` run columns cut into the fewest tables of at most RUN_COLUMNS, evenly."""
    size = math.ceil(n / math.ceil(n / RUN_COLUMNS))  # a framework has one run at least
    return [(start, min(n, start + size)) for start in range(0, n, size)]


def _areas(reg: Registry, by_run: Sequence[dict[str, ClauseResult]]) -> list[tuple[str, list[str]]]:
    """The areas, in the registry's order, with their clauses that some run has
    or the registry keeps; a clause the registry does not know, under its area."""
    reported = {cid: c for m in by_run for cid, c in m.items()}
    rows = [(c.area, c.id) for c in reg.clauses if not c.retired or c.id in reported]
    rows += sorted((c.area, c.id) for c in reported.values() if c.id not in reg)
    areas = [a.id for a in reg.areas] + sorted(
        {area for area, _ in rows} - {a.id for a in reg.areas}
    )
    found = [(area, [cid for a, cid in rows if a == area]) for area in areas]
    return [(area, ids) for area, ids in found if ids]


# area depth: how a framework's runs table names what each run is built on.
_BUILT_ON_NAMES = {"flask": "Flask", "werkzeug": "Werkzeug", "starlette": "Starlette"}


def built_on_cell(run: Results) -> str:
    """``Flask 3.0.3, Werkzeug 3.0.6``: the installed frameworks ``run``'s
    framework is built on, or "none"."""
    parts = [f"{_BUILT_ON_NAMES.get(n, n)} {v}" for n, v in sorted(run.dependencies.items())]
    return text(", ".join(parts)) if parts else "none"
