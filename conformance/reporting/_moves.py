"""Which rules change when an app moves from Flask to another framework: for
each framework in the results, its newest release set against Flask's newest,
clause by clause of Flask's lifecycle (:func:`moves`), keeping the rules whose
outcome is not the same (:class:`Rule`, by :data:`Kind`).

Which runs are compared is chosen here too: the newest release, then the run
that says most about it.  ``_migration`` writes the result down as the
report's "Moving from Flask to ..." sections.  Everything is in registry order
or sorted, so the same results give the same moves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from packaging.version import InvalidVersion, Version

from .._spec import Registry
from ._results import ClauseResult, Results

FLASK = "flask"
# The suite's own reference framework implements every clause: nobody moves an app to it.
NOT_COMPARED = frozenset({FLASK, "reference"})
# How a framework is named in prose, where its lower-case name will not do.
NAMES = {"apiflask": "APIFlask", "fastapi": "FastAPI"}
# The clause's text is cut to this many characters, at a word; SPEC.md has it whole.
CLAUSE_TEXT = 120

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


def _shortened(sentence: str) -> str:
    """``sentence`` cut at a word to at most CLAUSE_TEXT characters, "…" marking the cut."""
    if len(sentence) <= CLAUSE_TEXT:
        return sentence
    cut = sentence[: CLAUSE_TEXT - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
