"""Which rules change when an app moves from one framework to another: the
release of one (the source) set against a release of the other (the target),
clause by clause of Flask's lifecycle (:func:`move`), keeping the rules whose
outcome is not the same (:class:`Rule`, by :data:`Kind`).  :func:`moves`
makes the report's: from Flask's newest release to each other framework's.

Which runs are compared is chosen here too: the release asked for (else the
newest), then the run that says most about it, and one run of each of the
framework's other releases, like it, to say for which releases a rule holds
(:meth:`Side.holds`).  ``_migration`` writes moves down as the report's
"Moving from Flask to ..." sections, ``_guide`` as ``migrate``'s guide.
Everything is in registry order or sorted, so the same results give the same
moves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

from packaging.version import InvalidVersion, Version

from .._spec import Clause, Registry
from ._results import ClauseResult, Results

FLASK = "flask"
# The suite's own reference framework implements every clause: nobody moves an app to it.
NOT_COMPARED = frozenset({FLASK, "reference"})
# How a framework is named in prose, where its lower-case name will not do.
NAMES = {"apiflask": "APIFlask", "fastapi": "FastAPI"}
# The clause's text is cut to this many characters, at a word; SPEC.md has it whole.
CLAUSE_TEXT = 120

# By the source's outcome, then the target's: changed (pass, fail), missing
# (measured, n/a), gained (fail, pass), source-n/a (n/a, measured), error (in
# either), no-result (in either).
Kind = Literal["changed", "missing", "gained", "source-n/a", "error", "no-result"]
Faces = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Rule:
    """A clause of Flask's lifecycle whose outcome is not the same under the move."""

    clause: str
    area: str  # the area's title
    text: str  # the clause's, shortened
    kind: Kind
    before: ClauseResult | None  # the source's result
    after: ClauseResult | None  # the target's
    adapters: tuple[str, str] = ("", "")  # of the source's run and of the target's


@dataclass(frozen=True)
class Side:
    """One framework of a move: the run compared, and what else the results say of it."""

    framework: str
    run: Results
    # One run of each release in the results, oldest first, each as like ``run`` as there is.
    releases: tuple[Results, ...]
    # Other faces of the same release and transport, with the clauses on which they differ.
    faces: Faces = ()
    own: dict[str, int] = field(default_factory=dict)  # outcomes of its own promises

    @property
    def name(self) -> str:
        return NAMES.get(self.framework, self.framework.capitalize())

    def holds(self, cid: str) -> tuple[bool, ...]:
        """For each of :attr:`releases`, whether its outcome of clause ``cid``
        is the compared run's."""
        compared = _outcome(_by_id(self.run).get(cid))
        return tuple(_outcome(clauses.get(cid)) == compared for clauses in self._by_release)

    @cached_property
    def _by_release(self) -> tuple[dict[str, ClauseResult], ...]:
        return tuple(_by_id(r) for r in self.releases)


@dataclass(frozen=True)
class Move:
    """The source's run set against the target's, on Flask's lifecycle."""

    source: Side
    target: Side
    compared: int  # clauses of Flask's lifecycle
    kept: int  # the same outcome in both, n/a in both excepted
    neither: int  # not applicable in both
    rules: tuple[Rule, ...]  # the others, in registry order
    anchor: str = ""  # the report section's

    def of(self, kind: Kind) -> list[Rule]:
        return [r for r in self.rules if r.kind == kind]


def moves(runs: Sequence[Results], reg: Registry) -> list[Move] | None:
    """A move from Flask to each framework in ``runs`` but Flask (and the
    reference framework), by name; None when no run is of Flask."""
    if FLASK not in frameworks(runs):
        return None
    anchors: set[str] = set()
    return [
        move(runs, reg, FLASK, framework, anchor=_anchor(framework, anchors))
        for framework in sorted(set(frameworks(runs)) - NOT_COMPARED)
    ]


def frameworks(runs: Sequence[Results]) -> list[str]:
    """The frameworks ``runs`` are of, sorted."""
    return sorted({r.framework for r in runs})


def releases(runs: Sequence[Results], framework: str) -> list[str]:
    """The releases of ``framework`` that ``runs`` are of, oldest first."""
    return sorted({r.framework_version for r in runs if r.framework == framework}, key=version_key)


def move(
    runs: Sequence[Results],
    reg: Registry,
    source: str,
    target: str,
    *,
    source_release: str | None = None,
    target_release: str | None = None,
    anchor: str = "",
) -> Move:
    """From ``source`` to ``target`` (framework names with runs in ``runs``;
    ValueError if either has none), each at the release given, else at its
    newest."""
    before, after = _pair(runs, (source, source_release), (target, target_release))
    lifecycle = [c for c in reg.clauses if not c.only and not c.retired]
    titles = {a.id: a.title for a in reg.areas}
    old, new = _by_id(before), _by_id(after)
    rules, kept, neither = [], 0, 0
    for clause in lifecycle:
        was, now = old.get(clause.id), new.get(clause.id)
        kind = _kind(was, now)
        if kind is not None:
            area = titles.get(clause.area, clause.area)
            adapters = (before.adapter, after.adapter)
            rules.append(Rule(clause.id, area, shortened(clause.text), kind, was, now, adapters))
        elif _outcome(was) == "not-applicable":
            neither += 1
        else:
            kept += 1
    sides = (_side(runs, reg, before, lifecycle), _side(runs, reg, after, lifecycle))
    return Move(*sides, len(lifecycle), kept, neither, tuple(rules), anchor)


Choice = tuple[str, str | None]  # a framework, and its release (None: the newest)


def _pair(runs: Sequence[Results], source: Choice, target: Choice) -> tuple[Results, Results]:
    """The source's run and the target's, on one Python where their
    preferences allow: the target's run, then the source's on its Python;
    failing that, the source's, then the target's on its Python."""
    after = _pick(runs, *target)
    before = _pick(runs, *source, python=after.python)
    if before.python != after.python:
        other_before = _pick(runs, *source)
        other_after = _pick(runs, *target, python=other_before.python)
        if other_after.python == other_before.python:
            return other_before, other_after
    return before, after


def _pick(
    runs: Sequence[Results], framework: str, release: str | None, python: str = ""
) -> Results:
    """The run of ``framework``'s ``release`` (else its newest) that says most about it."""
    mine = [r for r in runs if r.framework == framework]
    if not mine:
        raise ValueError(f"no run of framework {framework!r}")
    if release is None:
        newest = max(version_key(r.framework_version) for r in mine)
        chosen = [r for r in mine if version_key(r.framework_version) == newest]
    else:
        chosen = [r for r in mine if r.framework_version == release]
        if not chosen:
            raise ValueError(f"no run of {framework} {release}")
    return min(chosen, key=lambda r: _preference(r, framework, python))


def _side(runs: Sequence[Results], reg: Registry, run: Results, lifecycle: list[Clause]) -> Side:
    mine = _by_id(run)
    faces = []
    for face in _other_faces(runs, run):
        other = _by_id(face)
        differ = [c.id for c in lifecycle if _outcome(mine.get(c.id)) != _outcome(other.get(c.id))]
        faces.append((face.label, tuple(differ)))
    own: dict[str, int] = {}
    for clause in reg.clauses:
        if run.framework in clause.only and clause.id in mine:
            outcome = mine[clause.id].outcome
            own[outcome] = own.get(outcome, 0) + 1
    return Side(run.framework, run, _releases(runs, run), tuple(faces), own)


def _releases(runs: Sequence[Results], like: Results) -> tuple[Results, ...]:
    """One run of each release of ``like``'s framework, oldest first: the one
    most like ``like`` (its transport, adapter and Python), then as
    :func:`_preference` orders them."""
    found: dict[str, Results] = {}
    for run in sorted(runs, key=lambda r: (*_likeness(r, like), *_preference(r, like.framework))):
        if run.framework == like.framework:
            found.setdefault(run.framework_version, run)
    return tuple(found[v] for v in sorted(found, key=version_key))


def _likeness(run: Results, like: Results) -> tuple[bool, ...]:
    return (
        not run.complete,
        run.transport != like.transport,
        run.adapter != like.adapter,
        run.python != like.python,
    )


def _other_faces(runs: Sequence[Results], run: Results) -> list[Results]:
    """The runs of ``run``'s release and transport by the framework's other
    adapters (Falcon's ASGI face beside its WSGI one), one each, by name."""
    faces: dict[str, Results] = {}
    for face in sorted(runs, key=lambda r: _preference(r, r.framework, run.python)):
        same = (face.framework, face.framework_version, face.transport)
        if same == (run.framework, run.framework_version, run.transport):
            faces.setdefault(face.adapter, face)
    return [face for adapter, face in sorted(faces.items()) if adapter != run.adapter]


def _kind(before: ClauseResult | None, after: ClauseResult | None) -> Kind | None:
    """How the clause changes from ``before`` to ``after``; None when it does not."""
    if before is None or after is None:
        return "no-result"
    was, now = before.outcome, after.outcome
    if "error" in (was, now):
        return "error"
    if was == now:
        return None
    if now == "not-applicable":
        return "missing"
    if was == "not-applicable":
        return "source-n/a"
    return "changed" if now == "fail" else "gained"


def _preference(run: Results, framework: str, python: str = "") -> tuple[object, ...]:
    """Complete before incomplete, in process before over http, the adapter
    named after the framework before its other faces, on ``python`` if one
    is, else on the newest Python; the rest only to be deterministic."""
    return (
        not run.complete,
        run.transport != "in-process",
        run.adapter != framework,
        run.python != python,
        tuple(-n for n in version_key(run.python)[1].release),
        run.transport,
        run.adapter,
        run.python,
        run.started,
        run.suite_version,
    )


def version_key(value: str) -> tuple[int, Version, str]:
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


def shortened(sentence: str, limit: int = CLAUSE_TEXT) -> str:
    """``sentence`` cut at a word to at most ``limit`` characters, "…" marking the cut."""
    if len(sentence) <= limit:
        return sentence
    cut = sentence[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"
