"""Comparing two results files: what regressed, what was fixed, what went stale.

Two runs of one framework (the same ``framework.name``, whichever adapter
or face of it ran) are a before and an after: a clause that got worse is a regression, and CI
fails.  Runs of different frameworks may be compared too (it is how a team
moving from Flask to Quart sees what changes for them): then every clause
whose result differs is a *difference*, nothing is a regression, and the
header line says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ._analysis import cell
from ._escape import code, plain, text
from ._results import ClauseResult, Results

Kind = Literal[
    "regression", "error", "unexpected pass", "fix", "new", "missing", "changed", "difference"
]
# The order lines are printed in: what needs action first.
KINDS: tuple[Kind, ...] = (
    "regression",
    "error",
    "unexpected pass",
    "fix",
    "new",
    "missing",
    "changed",
    "difference",
)
# A pull-request comment lists this many changes at most, then counts the rest.
MARKDOWN_ROWS = 50
_COUNTED: tuple[tuple[str, Kind], ...] = (
    ("regressions", "regression"),
    ("errors", "error"),
    ("unexpected passes", "unexpected pass"),
    ("fixes", "fix"),
)


@dataclass(frozen=True)
class Change:
    """One clause whose result differs between the runs (or needs action in the new one)."""

    kind: Kind
    clause: str
    old: str  # the report's cell for the clause in the old run ("—" when absent)
    new: str

    def render(self) -> str:
        return f"{self.kind + ':':<17}{plain(self.clause)}: {self.old} -> {self.new}"


@dataclass(frozen=True)
class Comparison:
    old: Results
    new: Results
    changes: list[Change] = field(default_factory=list)

    def of_kind(self, kind: Kind) -> list[str]:
        """The clause IDs of the changes of ``kind``."""
        return [c.clause for c in self.changes if c.kind == kind]

    @property
    def regressions(self) -> list[str]:
        """Clauses that passed in the old run and fail or error in the new."""
        return self.of_kind("regression")

    @property
    def fixes(self) -> list[str]:
        """Clauses that failed or errored in the old run and pass in the new."""
        return self.of_kind("fix")

    @property
    def unexpected_passes(self) -> list[str]:
        """Clauses declared as diverging in the new run, yet passing."""
        return self.of_kind("unexpected pass")

    @property
    def differences(self) -> list[str]:
        """Clauses whose result differs between runs of different frameworks."""
        return self.of_kind("difference")

    @property
    def same_framework(self) -> bool:
        """Whether the runs are a before and an after of one framework."""
        return same_framework(self.old, self.new)

    @property
    def regressed(self) -> bool:
        """Whether CI should fail: a regression, an error or an unexpected pass
        in the new run of the same framework (never for different frameworks)."""
        return any(c.kind in ("regression", "error", "unexpected pass") for c in self.changes)

    def _counts(self) -> list[tuple[str, int]]:
        if self.same_framework:
            return [(label, len(self.of_kind(kind))) for label, kind in _COUNTED]
        return [("differences", len(self.differences))]

    def _warnings(self) -> list[str]:
        return [
            f"the {which} run is incomplete: {run.interruption or 'no reason given'}"
            for which, run in (("old", self.old), ("new", self.new))
            if not run.complete
        ]

    def render_text(self) -> str:
        """A header line, then one line per change, most urgent first (no final newline)."""
        old, new = self.old, self.new
        header = f"comparing {plain(old.label)} -> {plain(new.label)}"
        if not self.same_framework:
            header += (
                f" (different frameworks: {plain(old.framework)} -> {plain(new.framework)};"
                " differences, not regressions)"
            )
        counts = ", ".join(f"{label} {n}" for label, n in self._counts())
        lines = [f"{header}: {counts}"]
        lines += [f"warning: {plain(w)}" for w in self._warnings()]
        lines += [c.render() for c in self.changes] or ["no change"]
        return "\n".join(lines)

    def render_markdown(self) -> str:
        """A short summary for a pull-request comment: a heading, the verdict
        in one line, and a table of at most MARKDOWN_ROWS changes, most urgent
        first.  Every string from the files is escaped."""
        old, new = self.old, self.new
        lines = [
            f"### lifecycle-conformance: {code(old.label, in_table=False)}"
            f" \u2192 {code(new.label, in_table=False)}",
            "",
        ]
        counts = ", ".join(f"{label} {n}" for label, n in self._counts())
        if not self.same_framework:
            verdict = (
                f"Different frameworks ({text(old.framework)} \u2192 {text(new.framework)}):"
                f" {counts}, listed as differences, not regressions."
            )
        elif self.regressed:
            verdict = f"**Regressed**: {counts}."
        else:
            verdict = f"No regression: {counts}."
        lines.append(verdict)
        lines += [f"\n> **Warning**: {text(w)}" for w in self._warnings()]
        lines.append("")
        if not self.changes:
            lines.append("No clause changed.")
        else:
            lines += ["| change | clause | old | new |", "| --- | --- | --- | --- |"]
            for c in self.changes[:MARKDOWN_ROWS]:
                lines.append(f"| {c.kind} | {code(c.clause)} | {text(c.old)} | {text(c.new)} |")
            rest = len(self.changes) - MARKDOWN_ROWS
            if rest > 0:
                lines += ["", f"\u2026 and {rest} more (run `lifecycle-conformance compare`)."]
        return "\n".join(lines) + "\n"


def same_framework(old: Results, new: Results) -> bool:
    """Two runs of one framework (by ``framework.name``): a before and an after."""
    return old.framework == new.framework


def compare(old: Results, new: Results) -> Comparison:
    """The changes from ``old`` to ``new``, clause by clause."""
    before = {c.id: c for c in old.clauses}
    after = {c.id: c for c in new.clauses}
    changes = []
    same = same_framework(old, new)
    for cid in sorted(before.keys() | after.keys()):
        kind = _kind(before.get(cid), after.get(cid))
        if kind is not None and not same:
            if cell(before.get(cid)) == cell(after.get(cid)):
                continue  # an error (or a stale declaration) on both sides is no difference
            kind = "difference"
        if kind is not None:
            changes.append(Change(kind, cid, cell(before.get(cid)), cell(after.get(cid))))
    changes.sort(key=lambda c: (KINDS.index(c.kind), c.clause))
    return Comparison(old, new, changes)


def _kind(old: ClauseResult | None, new: ClauseResult | None) -> Kind | None:
    """What the change of one clause is; the first that applies, in the order of KINDS."""
    if new is None:
        return "missing"
    if old is not None and old.outcome == "pass" and new.outcome in ("fail", "error"):
        return "regression"
    if new.outcome == "error":
        return "error"
    if new.unexpected_pass:
        return "unexpected pass"
    if old is None:
        return "new"
    if old.outcome in ("fail", "error") and new.outcome == "pass":
        return "fix"
    if cell(old) != cell(new):
        return "changed"
    return None
