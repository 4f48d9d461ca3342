"""Reading many runs, before any of it is written down: each clause's cell,
the runs in order, and where outcomes change across releases and transports.

Markdown is ``_report``'s business; ``_compare`` reads cells from here too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from packaging.version import InvalidVersion, Version

from ._results import ClauseResult, Results

NOT_RUN = "—"
LEGEND = (
    ("pass", "the clause holds"),
    ("FAIL", "the framework behaves differently"),
    ("fail (expected)", "a declared divergence, still failing"),
    ("PASS (unexpected)", "declared as diverging, yet passing: the declaration is stale"),
    ("n/a", "the framework lacks the concept, or the clause does not hold for its version"),
    ("ERROR", "the adapter or the harness broke; not a finding about the framework"),
    (NOT_RUN, "no result: the clause has no test or was not selected"),
)


def cell(clause: ClauseResult | None) -> str:
    """A clause's outcome in one run, as a short word from the legend."""
    if clause is None:
        return NOT_RUN
    if clause.unexpected_pass:
        return "PASS (unexpected)"
    if clause.outcome == "fail":
        return "fail (expected)" if clause.expected is not None else "FAIL"
    return {"pass": "pass", "not-applicable": "n/a", "error": "ERROR"}[clause.outcome]


def sort_runs(results: Sequence[Results]) -> list[Results]:
    """By framework, then version (as PEP 440 versions: 2.9 before 2.10), then transport."""

    def version(text: str) -> tuple[int, Version, str]:
        try:
            return (0, Version(text), "")
        except InvalidVersion:  # not PEP 440: after the others, as text
            return (1, Version("0"), text)

    return sorted(
        results,
        key=lambda r: (
            r.framework,
            version(r.framework_version),
            r.transport,
            r.adapter,
            r.python,
            r.suite_version,
            r.started,
        ),
    )


def run_names(runs: Sequence[Results]) -> list[str]:
    """Each run's label, made unique by adapter and Python where labels repeat."""
    names = [r.label for r in runs]
    names = [
        f"{n} [{r.adapter}, py {r.python}]" if names.count(n) > 1 else n
        for n, r in zip(names, runs, strict=True)
    ]
    return [
        f"{n} #{names[:i].count(n) + 1}" if names.count(n) > 1 else n for i, n in enumerate(names)
    ]


@dataclass(frozen=True)
class History:
    """One clause's outcomes across the releases of one framework, oldest first.

    ``outcomes`` pairs each release with the clause's cell there, or None when no
    run of that release has a result for the clause (it is then left out).
    """

    clause: str
    outcomes: tuple[tuple[str, str | None], ...]

    def segments(self) -> list[tuple[str, str, str]]:
        """Runs of equal outcome: (outcome, first release, last release)."""
        spans: list[tuple[str, str, str]] = []
        for release, outcome in self.outcomes:
            if outcome is None:
                continue
            if spans and spans[-1][0] == outcome:
                spans[-1] = (outcome, spans[-1][1], release)
            else:
                spans.append((outcome, release, release))
        return spans

    @property
    def changed_in(self) -> list[str]:
        """The releases whose outcome differs from the release before (that has one)."""
        return [first for _, first, _ in self.segments()[1:]]

    def describe(self) -> str:
        """E.g. "n/a up to 2.1.3, pass from 2.2.5"."""
        spans = self.segments()
        if len(spans) == 1:
            return f"{spans[0][0]} in every release"
        parts = [f"{spans[0][0]} up to {spans[0][2]}"]
        for outcome, first, last in spans[1:-1]:
            parts.append(
                f"{outcome} in {first}" if first == last else f"{outcome} {first} to {last}"
            )
        parts.append(f"{spans[-1][0]} from {spans[-1][1]}")
        return ", ".join(parts)


def release_histories(runs: Sequence[Results]) -> dict[str, tuple[list[str], list[History]]]:
    """For each framework (one face of it, on one transport) run in two releases or
    more: its releases, oldest first, and the history of every clause whose outcome
    is not the same in all of them, ordered by the release it first changed in.

    Runs of one release (on several Pythons, say) are merged: a clause whose
    outcome differs between them is "mixed" there, with the Pythons of each.
    """
    groups: dict[tuple[str, str, str], list[Results]] = {}
    for run in sort_runs(runs):
        groups.setdefault((run.framework, run.adapter, run.transport), []).append(run)
    found: dict[str, tuple[list[str], list[History]]] = {}
    for (_, adapter, transport), group in sorted(groups.items()):
        releases: dict[str, list[Results]] = {}
        for run in group:  # sorted by version
            releases.setdefault(run.framework_version, []).append(run)
        if len(releases) < 2:
            continue
        ids = sorted({c.id for run in group for c in run.clauses})
        histories = [
            History(cid, tuple((v, _merged(rs, cid)) for v, rs in releases.items())) for cid in ids
        ]
        changed = [h for h in histories if len(h.segments()) > 1]
        order = list(releases)
        changed.sort(key=lambda h: (order.index(h.changed_in[0]), h.clause))
        found[f"{adapter} ({transport})"] = (order, changed)
    return found


def _merged(runs: Sequence[Results], cid: str) -> str | None:
    """The cell of ``cid`` in one release's runs, or None when none of them has it."""
    pythons: dict[str, set[str]] = {}
    for run in runs:
        result = next((c for c in run.clauses if c.id == cid), None)
        if result is not None:
            pythons.setdefault(cell(result), set()).add(run.python)
    if len(pythons) <= 1:
        return next(iter(pythons), None)
    return "mixed: " + "; ".join(
        f"{outcome} on py {', '.join(sorted(p))}" for outcome, p in sorted(pythons.items())
    )


def transport_differences(
    runs: Sequence[Results],
) -> dict[str, tuple[str, list[str], list[tuple[str, list[ClauseResult | None]]]]]:
    """For each adapter, release and Python run in process and over a real
    server: the adapter, its transports (in-process first), and each clause
    whose cell is not the same over all of them, with its result over each."""
    groups: dict[tuple[str, str, str], dict[str, dict[str, ClauseResult]]] = {}
    for run in sort_runs(runs):
        key = (run.adapter, run.framework_version, run.python)
        groups.setdefault(key, {})[run.transport] = {c.id: c for c in run.clauses}
    found: dict[str, tuple[str, list[str], list[tuple[str, list[ClauseResult | None]]]]] = {}
    for (adapter, version, python), by_transport in sorted(groups.items()):
        if "in-process" not in by_transport or len(by_transport) < 2:
            continue
        transports = sorted(by_transport, key=lambda t: (t != "in-process", t))
        ids = sorted({cid for clauses in by_transport.values() for cid in clauses})
        rows = []
        for cid in ids:
            results = [by_transport[t].get(cid) for t in transports]
            if len({cell(r) for r in results}) > 1:
                rows.append((cid, results))
        found[f"{adapter} {version} (py {python})"] = (adapter, transports, rows)
    return found
