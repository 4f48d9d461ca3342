"""What a run prints at its end, beside the clause counts: one line for each
clause that makes the run fail, with its reason, shortened."""

from __future__ import annotations

from .reporting import ClauseResult
from .reporting._escape import plain

_REASON_LIMIT, _VALUE_LIMIT = 200, 80


def failure_line(clause: ClauseResult) -> str:
    """One line for a clause that makes the run fail: what went wrong, and why
    (a clause that fails as declared is not one)."""
    if clause.unexpected_pass:
        why = f"the declared divergence did not occur (declared: {clause.expected})"
        return f"UNEXPECTED-PASS {clause.id}: {plain(why, _REASON_LIMIT)}"
    kind = "ERROR" if clause.outcome == "error" else "FAIL"
    test = next(t for t in clause.tests if t.outcome == clause.outcome)
    evidence = test.evidence or {}
    if "what" in evidence:
        why = (
            f"{evidence['what']}: {_difference(evidence.get('expected'), evidence.get('observed'))}"
        )
    else:
        why = str(evidence.get("message") or test.detail or "no reason given")
    return f"{kind} {clause.id}: {plain(why, _REASON_LIMIT)}"


def _difference(expected: object, observed: object) -> str:
    """Expected and observed, shortened; of two sequences of one length
    (a status and a body, say) only the items that differ."""
    if isinstance(expected, list) and isinstance(observed, list) and len(expected) > 1:
        pairs = list(zip(expected, observed, strict=False))
        differ = [f"[{i}] {_values(e, o)}" for i, (e, o) in enumerate(pairs) if e != o]
        if len(expected) == len(observed) and differ:
            return "; ".join(differ)
    return _values(expected, observed)


def _values(expected: object, observed: object) -> str:
    shown = [plain(repr(v), _VALUE_LIMIT) for v in (expected, observed)]
    return f"expected {shown[0]}, observed {shown[1]}"
