"""Comparing two results files: what regressed, what was fixed, what went stale.

Runs of different frameworks may be compared too (it is how a team moving from
Flask to Quart sees what changes for them); the header line says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from ._analysis import cell
from ._escape import plain
from ._results import ClauseResult, Results

Kind = Literal["regression", "error", "unexpected pass", "fix", "new", "missing", "changed"]
# The order lines are printed in: what needs action first.
KINDS: tuple[Kind, ...] = (
    "regression",
    "error",
    "unexpected pass",
    "fix",
    "new",
    "missing",
    "changed",
)
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
    def regressed(self) -> bool:
        """Whether CI should fail: a regression, an error or an unexpected pass in the new run."""
        return any(c.kind in ("regression", "error", "unexpected pass") for c in self.changes)

    def render_text(self) -> str:
        """A header line, then one line per change, most urgent first (no final newline)."""
        old, new = self.old, self.new
        header = f"comparing {plain(old.label)} -> {plain(new.label)}"
        if old.framework != new.framework:
            header += f" (different frameworks: {plain(old.framework)} -> {plain(new.framework)})"
        counts = ", ".join(f"{label} {len(self.of_kind(kind))}" for label, kind in _COUNTED)
        lines = [f"{header}: {counts}"]
        for which, run in (("old", old), ("new", new)):
            if not run.complete:
                lines.append(f"warning: the {which} run is incomplete: {plain(run.interruption)}")
        lines += [c.render() for c in self.changes] or ["no change"]
        return "\n".join(lines)


def compare(old: Results, new: Results) -> Comparison:
    """The changes from ``old`` to ``new``, clause by clause."""
    before = {c.id: c for c in old.clauses}
    after = {c.id: c for c in new.clauses}
    changes = []
    for cid in sorted(before.keys() | after.keys()):
        kind = _kind(before.get(cid), after.get(cid))
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
