"""What stands behind REPORT.md's cells: each failure's evidence and each
not-applicable reason, once per adapter, under stable anchors that every
non-pass cell of the report links to (:func:`linked`).

A cell of a run links to its adapter's entry, so a reader of Bottle's column
lands on Bottle's evidence, never on another framework's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence

from .._model import JSON
from .._spec import Registry
from ._analysis import NOT_RUN, cell
from ._escape import code, scrub, text
from ._results import ClauseResult, Results, TestResult

# Where SPEC.md is from REPORT.md, which lives at the repository's root.
SPEC_LINK = "conformance/spec/SPEC.md"
# A declared divergence's reason or an n/a reason: prose, longer than a cell.
REASON_LIMIT = 1000
# How a not-applicable reason for a clause about other frameworks begins.
OTHER_FRAMEWORKS = "the clause is specific to"
# A clause failing several parametrized cases shows the first piece of evidence
# of each adapter, and names the tests of the others (all are in the results).
EVIDENCE_PER_ENTRY = 1
# A piece of evidence (a trace, a scenario) longer than this is cut.
FENCE_LINES = 40
FENCE_WIDTH = 300
_TABLE_CELL = 60  # longest expected/observed JSON shown in a table cell rather than a block


def slug(value: str) -> str:
    """``value`` as the safe characters of an anchor."""
    return re.sub(r"[^a-z0-9.-]+", "-", value.lower()).strip("-")[:120] or "x"


def evidence_anchor(adapter: str, cid: str) -> str:
    return f"ev-{slug(adapter)}-{slug(cid)}"


def not_applicable_anchor(adapter: str) -> str:
    return f"na-{slug(adapter)}"


def spec_link(cid: str, *, in_table: bool = True) -> str:
    """The clause's ID as a link to its entry in SPEC.md."""
    return f"[{code(cid, in_table=in_table)}]({SPEC_LINK}#{slug(cid)})"


def in_registry_order(ids: Iterable[str], reg: Registry) -> list[str]:
    """Clause IDs in the registry's order; those it does not know last, by ID."""
    order = {c.id: n for n, c in enumerate(reg.clauses)}
    return sorted(ids, key=lambda c: (c not in order, order.get(c, 0), c))


def about_others_only(clause: ClauseResult) -> bool:
    """Not applicable because the clause is one of another framework's own promises."""
    reasons = {t.detail for t in clause.tests if t.detail}
    return bool(reasons) and all(r.startswith(OTHER_FRAMEWORKS) for r in reasons)


def is_finding(clause: ClauseResult) -> bool:
    """A failure (declared or not), an error or a stale declaration: it has evidence."""
    return clause.outcome in ("fail", "error") or clause.unexpected_pass


# A cell's word in REPORT.md's tables: what needs acting on in bold, a declared
# divergence (the common case outside Flask's family) short.
WORDS = {
    "fail (expected)": "fail",
    "FAIL": "**FAIL**",
    "PASS (unexpected)": "**PASS**",
    "ERROR": "**ERROR**",
}
LEGEND = (
    ("pass", "the clause holds"),
    ("fail", "a divergence the adapter declares: the framework behaves differently, and says so"),
    ("**FAIL**", "an undeclared divergence: the framework behaves differently"),
    ("**PASS**", "declared as diverging, yet passing: the declaration is stale"),
    ("n/a", "the framework lacks the concept, or the clause does not hold for its version"),
    ("**ERROR**", "the adapter or the harness broke; not a finding about the framework"),
    (NOT_RUN, "no result: the clause has no test or was not selected"),
)


def word(clause: ClauseResult | None) -> str:
    """The clause's outcome in one run, as a word of :data:`LEGEND`."""
    shown = cell(clause)
    return WORDS.get(shown, shown)


def linked(clause: ClauseResult | None, adapter: str) -> str:
    """The clause's cell in a run of ``adapter``, linked to what stands behind it
    unless it is a pass (or about another framework only)."""
    shown = word(clause)
    if clause is None or (clause.outcome == "pass" and not clause.unexpected_pass):
        return shown
    if clause.outcome == "not-applicable":
        if about_others_only(clause):
            return shown
        return f"[{shown}](#{not_applicable_anchor(adapter)})"
    return f"[{shown}](#{evidence_anchor(adapter, clause.id)})"


def evidence(runs: Sequence[Results], names: Sequence[str], reg: Registry) -> list[str]:
    """Every clause a run fails, errs on or passes unexpectedly: once per adapter
    and clause, with the runs it concerns, each declared reason once, and the
    first distinct piece of evidence."""
    lines = [
        "## Evidence",
        "",
        "For each adapter, every clause one of its runs does not keep: the runs, the"
        " declared reason where there is one, and what the test saw. Every piece is in the"
        " runs' results files whole.",
        "",
    ]
    by_adapter: dict[str, dict[str, list[tuple[str, ClauseResult]]]] = {}
    for run, name in zip(runs, names, strict=True):
        for c in run.clauses:
            if is_finding(c):
                by_adapter.setdefault(run.adapter, {}).setdefault(c.id, []).append((name, c))
    if not by_adapter:
        return [*lines, "None.", ""]
    for adapter in sorted(by_adapter):
        lines += [f"### {text(adapter)}", ""]
        found = by_adapter[adapter]
        for cid in in_registry_order(found, reg):
            lines += _entry(adapter, cid, found[cid], reg)
    return lines


def _entry(
    adapter: str, cid: str, entries: list[tuple[str, ClauseResult]], reg: Registry
) -> list[str]:
    said = text(reg[cid].text, REASON_LIMIT) if cid in reg else "(not in this suite's registry)"
    level = text(entries[0][1].level)
    lines = [f'<a id="{evidence_anchor(adapter, cid)}"></a>', ""]
    lines += [f"#### {code(cid, in_table=False)} ({level})", ""]
    lines += [f"> {said} ([SPEC.md]({SPEC_LINK}#{slug(cid)}))", ""]
    lines += ["Runs: " + "; ".join(f"{text(name)}: {word(c)}" for name, c in entries), ""]
    reasons: dict[str, list[str]] = {}
    for name, c in entries:
        if c.expected is not None:
            reasons.setdefault(c.expected, []).append(name)
    for reason, where in reasons.items():
        shown = "" if len(reasons) == 1 else f" ({'; '.join(map(text, where))})"
        lines += [f"Declared divergence{shown}: {text(reason, REASON_LIMIT)}", ""]
    stale = [name for name, c in entries if c.unexpected_pass]
    if stale:
        lines += [
            f"The declared divergence did not occur in {'; '.join(map(text, stale))}: remove it"
            " from the adapter's expectations file for those releases.",
            "",
        ]
    shown_pieces: dict[tuple[str, ...], tuple[TestResult, list[str]]] = {}
    for name, c in entries:
        for test in c.tests:
            if test.outcome in ("fail", "error"):
                shown_pieces.setdefault(_evidence_key(test), (test, []))[1].append(name)
    pieces = list(shown_pieces.values())
    for test, where in pieces[:EVIDENCE_PER_ENTRY]:
        if len(entries) > 1 and len(where) < len(entries):
            lines += [f"Seen in: {'; '.join(map(text, where))}", ""]
        lines += _piece(test)
    rest = sorted({test.name for test, _ in pieces[EVIDENCE_PER_ENTRY:]})
    if rest:
        lines += [
            f"{len(pieces) - EVIDENCE_PER_ENTRY} more pieces of evidence, from these tests,"
            " are in the runs' results files: "
            + ", ".join(code(name, in_table=False) for name in rest),
            "",
        ]
    return lines


def _evidence_key(test: TestResult) -> tuple[str, ...]:
    evidence = test.evidence or {}
    return (
        test.name,
        test.outcome,
        str(evidence.get("message") or test.detail),
        _json(evidence.get("expected"), indent=None),
        _json(evidence.get("observed"), indent=None),
    )


def _piece(test: TestResult) -> list[str]:
    evidence = test.evidence or {}
    lines = [f"Test {code(test.name, in_table=False)}: {text(test.outcome)}", ""]
    message = evidence.get("message") or test.detail
    compared = "expected" in evidence or "observed" in evidence
    if message and not compared:  # else the message is the comparison below, as prose
        lines += [fence(str(message)), ""]
    if compared:
        what = evidence.get("what")
        if what:
            lines += [f"{text(what)}:", ""]
        expected, observed = (_json(evidence.get(k), indent=None) for k in ("expected", "observed"))
        if max(len(expected), len(observed)) <= _TABLE_CELL:
            lines += [
                "| expected | observed |",
                "| --- | --- |",
                f"| {code(expected)} | {code(observed)} |",
            ]
        else:
            lines += ["Expected:", "", fence(_json(evidence.get("expected")), "json"), ""]
            lines += ["Observed:", "", fence(_json(evidence.get("observed")), "json")]
        lines.append("")
    if "scenario" in evidence:  # what to run to see it again; the observation is in the results
        lines += [
            "<details><summary>Scenario (JSON)</summary>",
            "",
            fence(_scenario(evidence["scenario"]), "json"),
            "",
            "</details>",
            "",
        ]
    return lines


def not_applicable(runs: Sequence[Results], names: Sequence[str]) -> list[str]:
    """Why clauses are not applicable, per adapter, once for every group of its
    runs that give the same reasons (its releases and transports, usually); the
    clauses about other frameworks only are counted, not listed."""
    lines = ["## Not applicable", ""]
    by_adapter: dict[str, dict[tuple[tuple[str, tuple[str, ...]], ...], list[str]]] = {}
    others: dict[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], int] = {}
    for run, name in zip(runs, names, strict=True):
        by_reason: dict[str, list[str]] = {}
        elsewhere = 0
        for clause in run.clauses:
            if clause.outcome != "not-applicable":
                continue
            if about_others_only(clause):
                elsewhere += 1
                continue
            reasons = sorted({t.detail for t in clause.tests if t.detail}) or ["no test ran"]
            by_reason.setdefault("; ".join(reasons), []).append(clause.id)
        key = tuple(sorted((reason, tuple(sorted(ids))) for reason, ids in by_reason.items()))
        if key or elsewhere:
            by_adapter.setdefault(run.adapter, {}).setdefault(key, []).append(name)
            others[(run.adapter, key)] = elsewhere
    if not by_adapter:
        return [*lines, "None.", ""]
    for adapter in sorted(by_adapter):
        groups = by_adapter[adapter]
        lines += [f'<a id="{not_applicable_anchor(adapter)}"></a>', "", f"### {text(adapter)}", ""]
        for key, where in groups.items():
            lines += [f"Runs: {text('; '.join(where))}", ""]
            for reason, ids in key:
                shown = ", ".join(code(cid, in_table=False) for cid in ids)
                lines.append(f"- {text(reason, REASON_LIMIT)}: {shown}")
            if others[(adapter, key)]:
                lines.append(f"- {others[(adapter, key)]} clauses about other frameworks only")
            lines.append("")
    return lines


def _json(value: JSON, indent: int | None = 2) -> str:
    return json.dumps(value, indent=indent, ensure_ascii=False)


def _scenario(value: JSON) -> str:
    """A scenario as JSON that is short to read: a line per key, and a line per
    item of a list (a route, a hook), each item on one line."""
    if not isinstance(value, dict):
        return _json(value)
    members = []
    for key, member in value.items():
        if isinstance(member, list) and member:
            items = ",\n    ".join(_json(item, indent=None) for item in member)
            members.append(f"  {_json(key)}: [\n    {items}\n  ]")
        else:
            members.append(f"  {_json(key)}: {_json(member, indent=None)}")
    return "{\n" + ",\n".join(members) + "\n}"


def fence(content: str, lang: str = "") -> str:
    """A fenced code block that the text cannot close early, cut after
    FENCE_LINES lines of at most FENCE_WIDTH characters (the whole text is in
    the results file)."""
    lines = [
        line if len(line) <= FENCE_WIDTH else f"{line[:FENCE_WIDTH]} [... {len(line)} characters]"
        for line in scrub(content).splitlines()
    ]
    content = "\n".join(lines)
    if len(lines) > FENCE_LINES:
        cut = len(lines) - FENCE_LINES
        content = "\n".join([*lines[:FENCE_LINES], f"[... {cut} more lines in the results file]"])
    longest = max((len(m) for m in re.findall(r"`+", content)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{content}\n{ticks}"
