"""The report's "Moving from Flask to ..." sections: for each framework in the
results, its newest release set against Flask's newest, clause by clause of
Flask's lifecycle, keeping only the rules that change under the move.

What is compared is read here (:func:`moves`); :func:`index` and
:func:`sections` write it down.  Everything is in registry order or sorted, so
the same results give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from packaging.version import InvalidVersion, Version

from .._spec import Registry
from ._escape import code, text
from ._results import OUTCOMES, ClauseResult, Results

FLASK = "flask"
# The suite's own reference framework implements every clause: nobody moves an app to it.
NOT_COMPARED = frozenset({FLASK, "reference"})
# Where SPEC.md is from REPORT.md, which lives at the repository's root.
SPEC_LINK = "conformance/spec/SPEC.md"
# How a framework is named in prose, where its lower-case name will not do.
NAMES = {"apiflask": "APIFlask", "fastapi": "FastAPI"}
# The clause's text is cut to this many characters, at a word; SPEC.md has it whole.
CLAUSE_TEXT = 120
REASON_LIMIT = 1000  # a declared divergence's reason, or an n/a reason, as the report shows it
EVIDENCE_TEXT = 200  # an undeclared failure's or an error's message
_VALUE = 60  # an expected or observed value shown inline

Kind = Literal["changed", "missing", "gained", "error", "flask-n/a", "no-result"]


@dataclass(frozen=True)
class Rule:
    """A clause of Flask's lifecycle whose outcome is not the same under the move."""

    clause: str
    area: str  # the area's title
    text: str  # the clause's, shortened
    kind: Kind
    flask: ClauseResult | None
    other: ClauseResult | None


@dataclass(frozen=True)
class Move:
    """One framework's newest run set against Flask's newest, on Flask's lifecycle."""

    framework: str
    anchor: str
    run: Results
    flask: Results
    compared: int  # clauses of Flask's lifecycle
    kept: int  # the same outcome in both, n/a in both excepted
    neither: int  # not applicable in both
    rules: tuple[Rule, ...]  # the others, in registry order
    # Other faces of the same release and transport, with the clauses on which they differ.
    faces: tuple[tuple[str, tuple[str, ...]], ...] = ()
    own: dict[str, int] = field(default_factory=dict)  # outcomes of its own promises

    @property
    def name(self) -> str:
        return NAMES.get(self.framework, self.framework.capitalize())

    def of(self, kind: Kind) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def moves(runs: Sequence[Results], reg: Registry) -> list[Move] | None:
    """A move for each framework in ``runs`` but Flask (and the reference
    framework), by name; None when no run is of Flask."""
    if not any(r.framework == FLASK for r in runs):
        return None
    lifecycle = [c for c in reg.clauses if not c.only and not c.retired]
    titles = {a.id: a.title for a in reg.areas}
    found: list[Move] = []
    anchors: set[str] = set()
    for framework in sorted({r.framework for r in runs} - NOT_COMPARED):
        run = _newest(runs, framework)
        flask = _newest(runs, FLASK, python=run.python)
        mine, theirs = _by_id(run), _by_id(flask)
        rules, kept, neither = [], 0, 0
        for clause in lifecycle:
            f, o = theirs.get(clause.id), mine.get(clause.id)
            kind = _kind(f, o)
            if kind is not None:
                area = titles.get(clause.area, clause.area)
                rules.append(Rule(clause.id, area, _shortened(clause.text), kind, f, o))
            elif _outcome(f) == "not-applicable":
                neither += 1
            else:
                kept += 1
        faces = []
        for face in _other_faces(runs, run):
            other = _by_id(face)
            differ = [
                c.id for c in lifecycle if _outcome(mine.get(c.id)) != _outcome(other.get(c.id))
            ]
            faces.append((face.label, tuple(differ)))
        own: dict[str, int] = {}
        for clause in reg.clauses:
            if framework in clause.only and clause.id in mine:
                outcome = mine[clause.id].outcome
                own[outcome] = own.get(outcome, 0) + 1
        anchor = _anchor(framework, anchors)
        found.append(
            Move(
                framework, anchor, run, flask, len(lifecycle), kept, neither, tuple(rules),
                tuple(faces), own,
            )
        )  # fmt: skip
    return found


def _other_faces(runs: Sequence[Results], run: Results) -> list[Results]:
    """The runs of ``run``'s release and transport by the framework's other
    adapters (Falcon's ASGI face beside its WSGI one), one each, by name."""
    faces: dict[str, Results] = {}
    for face in sorted(runs, key=lambda r: _preference(r, r.framework, run.python)):
        same = (face.framework, face.framework_version, face.transport)
        if same == (run.framework, run.framework_version, run.transport):
            faces.setdefault(face.adapter, face)
    return [face for adapter, face in sorted(faces.items()) if adapter != run.adapter]


def _kind(flask: ClauseResult | None, other: ClauseResult | None) -> Kind | None:
    """How the clause changes from ``flask`` to ``other``; None when it does not."""
    if flask is None or other is None:
        return "no-result"
    before, after = flask.outcome, other.outcome
    if "error" in (before, after):
        return "error"
    if before == after:
        return None
    if after == "not-applicable":
        return "missing"
    if before == "not-applicable":
        return "flask-n/a"
    return "changed" if after == "fail" else "gained"


def _newest(runs: Sequence[Results], framework: str, python: str = "") -> Results:
    """The run of ``framework``'s newest release that says most about it."""
    mine = [r for r in runs if r.framework == framework]
    newest = max(_version(r.framework_version) for r in mine)
    release = [r for r in mine if _version(r.framework_version) == newest]
    return min(release, key=lambda r: _preference(r, framework, python))


def _preference(run: Results, framework: str, python: str) -> tuple[object, ...]:
    """Complete before incomplete, in process before over http, the adapter
    named after the framework before its other faces, on ``python`` if one
    is, else on the newest Python; the rest only to be deterministic."""
    return (
        not run.complete,
        run.transport != "in-process",
        run.adapter != framework,
        run.python != python,
        tuple(-n for n in _version(run.python)[1].release),
        run.transport,
        run.adapter,
        run.python,
        run.started,
        run.suite_version,
    )


def _version(value: str) -> tuple[int, Version, str]:
    try:
        return (1, Version(value), "")
    except InvalidVersion:  # not PEP 440: older than any that is, then by text
        return (0, Version("0"), value)


def _by_id(run: Results) -> dict[str, ClauseResult]:
    return {c.id: c for c in run.clauses}


def _outcome(clause: ClauseResult | None) -> str:
    return clause.outcome if clause is not None else "no result"


def _anchor(framework: str, taken: set[str]) -> str:
    """``moving-to-<framework>``, made of safe characters, unique in the report."""
    slug = re.sub(r"[^a-z0-9]+", "-", framework.lower())[:40].strip("-") or "framework"
    anchor, n = f"moving-to-{slug}", 1
    while anchor in taken:
        n += 1
        anchor = f"moving-to-{slug}-{n}"
    taken.add(anchor)
    return anchor


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
            f"- [Moving from Flask to {text(move.name)}](#{move.anchor}), {text(move.run.label)}:"
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
    name = text(move.name)
    flask = move.flask
    lines = [
        f'<a id="{move.anchor}"></a>',
        "",
        f"## Moving from Flask to {name}",
        "",
        f"{text(move.run.label)} on Python {text(move.run.python)}, against"
        f" {text(flask.label)} on Python {text(flask.python)}.",
        "",
        _counts(move),
        "",
    ]
    for face, differ in move.faces:
        if differ:
            shown = ", ".join(_link(cid) for cid in differ)
            lines += [f"Its other face, {text(face)}, differs on {len(differ)}: {shown}.", ""]
        else:
            lines += [f"Its other face, {text(face)}, has the same outcome on every rule.", ""]
    for run in (move.run, flask):
        if not run.complete:
            lines += [
                f"{text(run.label)} is incomplete: a clause it lacks was not compared.",
                "",
            ]
    if move.own:
        counts = ", ".join(f"{move.own[o]} {o}" for o in OUTCOMES if o in move.own)
        own = sum(move.own.values())
        lines += [
            f"Beside Flask's lifecycle, {name} is held to {own}"
            f" {'promise' if own == 1 else 'promises'} of its own documentation"
            f" (in *Clauses*): {counts}.",
            "",
        ]
    changed = move.of("changed")
    if changed:
        lines += [f"**Changed**: Flask passes, {name} fails ({len(changed)}).", ""]
        lines += _by_area(changed, _changed)
    missing = move.of("missing")
    if missing:
        lines += _missing(missing, name)
    gained = move.of("gained")
    if gained:
        lines += [f"**The other way round**: {name} passes, Flask fails ({len(gained)}).", ""]
        lines += _by_area(gained, _gained)
    flask_na = move.of("flask-n/a")
    if flask_na:
        lines += [
            f"**Measured in {name} only**: not applicable to {text(flask.label)}"
            f" ({len(flask_na)}).",
            "",
        ]
        lines += _by_area(flask_na, _flask_na)
    errors = move.of("error")
    if errors:
        lines += [f"**Not compared**: an error in either run ({len(errors)}).", ""]
        lines += _by_area(errors, _error)
    absent = move.of("no-result")
    if absent:
        shown = ", ".join(_link(r.clause) for r in absent)
        lines += [f"**No result** in one of the two runs ({len(absent)}): {shown}.", ""]
    return lines


def _counts(move: Move) -> str:
    changed = move.of("changed")
    declared = sum(1 for r in changed if r.other is not None and r.other.expected is not None)
    missing = move.of("missing")
    groups = len({frozenset(r for _, r in _concepts(x.other)) for x in missing})
    if not changed or declared == len(changed):
        said = "all declared" if changed else ""
    else:
        undeclared = len(changed) - declared
        said = f"{declared} declared, {undeclared} not" if declared else "none declared"
    parts = [
        f"**{move.kept} kept**",
        f"**{len(changed)} changed**" + (f" ({said})" if said else ""),
        f"**{len(missing)} about a concept {text(move.name)} lacks**"
        + (f" ({groups} {'reason' if groups == 1 else 'reasons'})" if missing else ""),
    ]
    extra = [
        (len(move.of("gained")), "passing where Flask fails"),
        (move.neither, "not applicable in either"),
        (len(move.of("flask-n/a")), "not applicable to Flask only"),
        (len(move.of("error")), "erring"),
        (len(move.of("no-result")), "without a result"),
    ]
    parts += [f"{n} {what}" for n, what in extra if n]
    return (
        f"Of the {move.compared} rules of Flask's lifecycle every framework is held to: "
        + ", ".join(parts)
        + "."
    )


def _by_area(rules: Sequence[Rule], line: Callable[[Rule], str]) -> list[str]:
    """A list by area (in registry order, as ``rules`` are), one item per rule."""
    lines: list[str] = []
    area = None
    for rule in rules:
        if rule.area != area:
            area = rule.area
            lines.append(f"- **{text(area)}**")
        lines.append(f"  - {_link(rule.clause)}: {text(rule.text)} — {line(rule)}")
    return [*lines, ""]


def _changed(rule: Rule) -> str:
    assert rule.other is not None
    if rule.other.expected is not None:
        return f"declared: {text(rule.other.expected, REASON_LIMIT)} ({_evidence(rule.clause)})"
    return f"not declared: {_failure(rule.other)} ({_evidence(rule.clause)})"


def _gained(rule: Rule) -> str:
    assert rule.flask is not None
    if rule.flask.expected is not None:
        shown = f"Flask's declared divergence: {text(rule.flask.expected, REASON_LIMIT)}"
    else:
        shown = f"Flask fails, not declared: {_failure(rule.flask)}"
    return f"{shown} ({_evidence(rule.clause)})"


def _flask_na(rule: Rule) -> str:
    assert rule.flask is not None
    assert rule.other is not None
    return f"{text(rule.other.outcome)}; Flask: {text(_reason(rule.flask), REASON_LIMIT)}"


def _error(rule: Rule) -> str:
    runs = (("Flask's run", rule.flask), ("its run", rule.other))
    parts = [f"error in {who}: {_failure(c)}" for who, c in runs if c and c.outcome == "error"]
    return "; ".join(parts) + f" ({_evidence(rule.clause)})"


def _missing(rules: Sequence[Rule], name: str) -> list[str]:
    """One item per reason the adapter gave for lacking a concept, with the
    concepts it names and the clauses about them."""
    groups: dict[tuple[str, ...], list[Rule]] = {}
    for rule in rules:
        reasons = tuple(sorted({reason for _, reason in _concepts(rule.other)}))
        groups.setdefault(reasons, []).append(rule)
    lines = [
        f"**About a concept {name} lacks**: not applicable, grouped by the adapter's reason"
        f" ({len(rules)} in {len(groups)} {'group' if len(groups) == 1 else 'groups'}).",
        "",
    ]
    for reasons, in_group in groups.items():
        kinds: dict[str, list[str]] = {}
        for rule in in_group:
            for concept, _ in _concepts(rule.other):
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
        shown = ", ".join(_link(r.clause) for r in in_group)
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


def _reason(clause: ClauseResult) -> str:
    return "; ".join(sorted({t.detail for t in clause.tests if t.detail})) or "no reason given"


def _failure(clause: ClauseResult) -> str:
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


def _shortened(sentence: str) -> str:
    """``sentence`` cut at a word to at most CLAUSE_TEXT characters, "…" marking the cut."""
    if len(sentence) <= CLAUSE_TEXT:
        return sentence
    cut = sentence[: CLAUSE_TEXT - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _link(cid: str) -> str:
    return f"[{code(cid)}]({SPEC_LINK}#{cid})"


def _evidence(cid: str) -> str:
    return f"[evidence](#divergence-{cid})"
