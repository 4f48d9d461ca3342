"""The report's "Moving from Flask to ..." sections, written in markdown from
the moves ``_moves`` finds: :func:`index` lists them for the top of the
report, :func:`sections` writes one section per framework, with the rules
that change under the move grouped by kind and area, each linked to SPEC.md
and to its evidence.  The parts any move's text has (:func:`counts`,
:func:`by_area`, :func:`failure`...) are ``_guide``'s too.

Every string from a results file is escaped (``_escape``) and bounded here,
and everything is written in the order the moves give, so the same results
give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

from ._escape import code, text
from ._evidence import REASON_LIMIT, evidence_anchor, spec_link
from ._moves import FLASK, Move, Rule, Side
from ._results import OUTCOMES, ClauseResult

# Where SPEC.md is from REPORT.md, which lives at the repository's root.
EVIDENCE_TEXT = 200  # an undeclared failure's or an error's message
_VALUE = 60  # an expected or observed value shown inline


def index(found: list[Move] | None) -> list[str]:
    """The list of the migration sections, for the top of the report."""
    lines = [
        "## Moving from Flask",
        "",
        "For each framework, its newest release set against Flask's newest on the clauses of"
        " Flask's lifecycle: the rules that change when an app moves, each with its clause and"
        " its evidence.",
        "",
    ]
    if found is None:
        return [*lines, "No run of Flask in these results: no framework is compared with it.", ""]
    if not found:
        return [*lines, "No framework other than Flask in these results.", ""]
    for move in found:
        changed, missing = len(move.of("changed")), len(move.of("missing"))
        lines.append(
            f"- [Moving from Flask to {text(move.target.name)}](#{move.anchor}),"
            f" {text(move.target.run.label)}:"
            f" {move.kept} rules kept, {changed} changed, {missing} about a concept it lacks"
        )
    return [*lines, ""]


def sections(found: list[Move] | None) -> list[str]:
    """One "Moving from Flask to ..." section for each move."""
    lines: list[str] = []
    for move in found or []:
        lines += _section(move)
    return lines


def _section(move: Move) -> list[str]:
    name = text(move.target.name)
    run, flask = move.target.run, move.source.run
    lines = [
        f'<a id="{move.anchor}"></a>',
        "",
        f"## Moving from Flask to {name}",
        "",
        f"{text(run.label)} on Python {text(run.python)}, against"
        f" {text(flask.label)} on Python {text(flask.python)}.",
        "",
        counts(move),
        "",
        *faces(move.target),
        *incomplete(move),
        *own(move.target, " (in *Clauses*)"),
    ]
    changed = move.of("changed")
    if changed:
        lines += [f"**Changed**: Flask passes, {name} fails ({len(changed)}).", ""]
        lines += by_area(changed, _item(_changed))
    missing = move.of("missing")
    if missing:
        lines += _missing(missing, name)
    gained = move.of("gained")
    if gained:
        lines += [f"**The other way round**: {name} passes, Flask fails ({len(gained)}).", ""]
        lines += by_area(gained, _item(_gained))
    flask_na = move.of("source-n/a")
    if flask_na:
        lines += [
            f"**Measured in {name} only**: not applicable to {text(flask.label)}"
            f" ({len(flask_na)}).",
            "",
        ]
        lines += by_area(flask_na, _item(_flask_na))
    errors = move.of("error")
    if errors:
        lines += [f"**Not compared**: an error in either run ({len(errors)}).", ""]
        lines += by_area(errors, _item(_error))
    absent = move.of("no-result")
    if absent:
        shown = ", ".join(link(r.clause) for r in absent)
        lines += [f"**No result** in one of the two runs ({len(absent)}): {shown}.", ""]
    return lines


def faces(side: Side, who: str = "Its") -> list[str]:
    """A paragraph for each other face of ``side``'s release, on the rules it differs on."""
    lines = []
    for face, differ in side.faces:
        if differ:
            shown = ", ".join(link(cid) for cid in differ)
            lines += [f"{who} other face, {text(face)}, differs on {len(differ)}: {shown}.", ""]
        else:
            lines += [f"{who} other face, {text(face)}, has the same outcome on every rule.", ""]
    return lines


def incomplete(move: Move) -> list[str]:
    """A paragraph for each of the two runs that is incomplete."""
    lines = []
    for run in (move.target.run, move.source.run):
        if not run.complete:
            lines += [
                f"{text(run.label)} is incomplete: a clause it lacks was not compared.",
                "",
            ]
    return lines


def own(side: Side, where: str = "") -> list[str]:
    """A paragraph counting the outcomes of ``side``'s own promises, if it has any."""
    if not side.own:
        return []
    shown = ", ".join(f"{side.own[o]} {o}" for o in OUTCOMES if o in side.own)
    n = sum(side.own.values())
    if side.framework == FLASK:  # its own are clauses about its older releases
        said = f"{n} {'clause is' if n == 1 else 'clauses are'} held for Flask only"
        return [f"Beside the rules every framework is held to, {said}{where}: {shown}.", ""]
    return [
        f"Beside Flask's lifecycle, {text(side.name)} is held to {n}"
        f" {'promise' if n == 1 else 'promises'} of its own documentation{where}: {shown}.",
        "",
    ]


def counts(move: Move) -> str:
    """One sentence: how many rules of Flask's lifecycle each kind of change has."""
    source, target = text(move.source.name), text(move.target.name)
    changed = move.of("changed")
    declared = sum(1 for r in changed if r.after is not None and r.after.expected is not None)
    missing = move.of("missing")
    groups = len({frozenset(r for _, r in _concepts(x.after)) for x in missing})
    if not changed or declared == len(changed):
        said = "all declared" if changed else ""
    else:
        undeclared = len(changed) - declared
        said = f"{declared} declared, {undeclared} not" if declared else "none declared"
    parts = [
        f"**{move.kept} kept**",
        f"**{len(changed)} changed**" + (f" ({said})" if said else ""),
        f"**{len(missing)} about a concept {target} lacks**"
        + (f" ({groups} {'reason' if groups == 1 else 'reasons'})" if missing else ""),
    ]
    extra = [
        (len(move.of("gained")), f"passing where {source} fails"),
        (move.neither, "not applicable in either"),
        (len(move.of("source-n/a")), f"not applicable to {source} only"),
        (len(move.of("error")), "erring"),
        (len(move.of("no-result")), "without a result"),
    ]
    parts += [f"{n} {what}" for n, what in extra if n]
    return (
        f"Of the {move.compared} rules of Flask's lifecycle every framework is held to: "
        + ", ".join(parts)
        + "."
    )


def by_area(rules: Sequence[Rule], item: Callable[[Rule], list[str]]) -> list[str]:
    """A list by area (in registry order, as ``rules`` are), the lines of an
    item per rule under its area's."""
    lines: list[str] = []
    area = None
    for rule in rules:
        if rule.area != area:
            area = rule.area
            lines.append(f"- **{text(area)}**")
        lines += item(rule)
    return [*lines, ""]


def clause_text(rule: Rule) -> str:
    """The rule's clause: its ID linked to SPEC.md, then its (shortened) text."""
    return f"{link(rule.clause)}: {text(rule.text)}"


def _item(line: Callable[[Rule], str]) -> Callable[[Rule], list[str]]:
    """An item of one line: the clause, then what ``line`` says of the rule."""
    return lambda rule: [f"  - {clause_text(rule)} — {line(rule)}"]


def _changed(rule: Rule) -> str:
    assert rule.after is not None
    if rule.after.expected is not None:
        return f"declared: {text(rule.after.expected, REASON_LIMIT)} ({_evidence(rule, 1)})"
    return f"not declared: {failure(rule.after)} ({_evidence(rule, 1)})"


def _gained(rule: Rule) -> str:
    assert rule.before is not None
    if rule.before.expected is not None:
        shown = f"Flask's declared divergence: {text(rule.before.expected, REASON_LIMIT)}"
    else:
        shown = f"Flask fails, not declared: {failure(rule.before)}"
    return f"{shown} ({_evidence(rule, 0)})"


def _flask_na(rule: Rule) -> str:
    assert rule.before is not None
    assert rule.after is not None
    return f"{text(rule.after.outcome)}; Flask: {text(reason(rule.before), REASON_LIMIT)}"


def _error(rule: Rule) -> str:
    runs = (("Flask's run", rule.before), ("its run", rule.after))
    parts = [
        f"error in {who}: {failure(c)} ({_evidence(rule, side)})"
        for side, (who, c) in enumerate(runs)
        if c and c.outcome == "error"
    ]
    return "; ".join(parts)


def _missing(rules: Sequence[Rule], name: str) -> list[str]:
    """One item per reason the adapter gave for lacking a concept, with the
    concepts it names and the clauses about them."""
    groups: dict[tuple[str, ...], list[Rule]] = {}
    for rule in rules:
        reasons = tuple(sorted({why for _, why in _concepts(rule.after)}))
        groups.setdefault(reasons, []).append(rule)
    lines = [
        f"**About a concept {name} lacks**: not applicable, grouped by the adapter's reason"
        f" ({len(rules)} in {len(groups)} {'group' if len(groups) == 1 else 'groups'}).",
        "",
    ]
    for reasons, in_group in groups.items():
        kinds: dict[str, list[str]] = {}
        for rule in in_group:
            for concept, _ in _concepts(rule.after):
                if concept:
                    kind, names = concept
                    if names not in kinds.setdefault(kind, []):
                        kinds[kind].append(names)
        lacking = "; ".join(
            f"{text(kind)} " + ", ".join(code(n) for n in sorted(names))
            for kind, names in sorted(kinds.items())
        )
        label = f"no {lacking}: " if lacking else ""
        count = f"{len(in_group)} {'clause' if len(in_group) == 1 else 'clauses'}"
        shown = ", ".join(link(r.clause) for r in in_group)
        said = text("; ".join(reasons), REASON_LIMIT)
        lines.append(f"- {label}{said} — {count}: {shown}")
    return [*lines, ""]


# "no stage 'teardown': Bottle has no teardown stage ...": the concept, then why.
_CONCEPT = re.compile(r"no (stage|form|probe|feature) '([^']*)': (.+)", re.DOTALL)


def _concepts(clause: ClauseResult | None) -> list[tuple[tuple[str, str] | None, str]]:
    """The ((kind, name) of the concept, reason) of each not-applicable test of
    ``clause``, sorted; the concept is None where a reason names none."""
    found: set[tuple[tuple[str, str] | None, str]] = set()
    for test in clause.tests if clause is not None else []:
        if test.outcome != "not-applicable":
            continue
        match = _CONCEPT.fullmatch(test.detail)
        if match:
            found.add(((match[1], match[2]), match[3]))
        else:
            found.add((None, test.detail or "no reason given"))
    return sorted(found, key=lambda x: (x[0] or ("", ""), x[1]))


def reason(clause: ClauseResult) -> str:
    """Why ``clause`` is not applicable (its tests' reasons, sorted)."""
    return "; ".join(sorted({t.detail for t in clause.tests if t.detail})) or "no reason given"


def failure(clause: ClauseResult) -> str:
    """What the first failing (or erring) test of ``clause`` saw, in one short line."""
    test = next((t for t in clause.tests if t.outcome in ("fail", "error")), None)
    if test is None:
        return "no test says why"
    evidence = test.evidence or {}
    if "expected" in evidence or "observed" in evidence:
        what = text(evidence.get("what") or "compared", 80)
        expected, observed = (
            code(json.dumps(evidence.get(k), ensure_ascii=False), _VALUE)
            for k in ("expected", "observed")
        )
        return f"{what}: expected {expected}, observed {observed}"
    message = str(evidence.get("message") or test.detail or "no message")
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    # pytest's report of a failure marks the exception's lines with "E"
    marked = [line[1:].strip() for line in lines if line.startswith("E ")]
    return text((marked or lines or [message])[0], EVIDENCE_TEXT)


def link(cid: str) -> str:
    return spec_link(cid)


def _evidence(rule: Rule, side: int) -> str:
    """A link to the report's evidence of the rule's clause in the run of one
    side: 0 the source's, 1 the target's."""
    return f"[evidence](#{evidence_anchor(rule.adapters[side], rule.clause)})"
