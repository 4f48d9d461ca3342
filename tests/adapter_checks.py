"""What every framework's own test asserts about a run of the whole suite on
its adapter: each clause passes, or fails as the adapter declares for the
installed release and the transport, or is not applicable for a reason the
adapter gives (the framework lacks the concept) or because the clause is
about other frameworks or releases.  Nothing else: no error, no undeclared
failure, no stale declaration."""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

from conformance import registry
from conformance._expectations import load_expectations
from conformance.contract import Adapter


def expected_outcomes(run: Any, adapter: Adapter) -> dict[str, tuple[str, str | None]]:
    """Each active clause's outcome (and declared reason) as ``adapter`` promises it."""
    results = run.results
    assert results is not None, run.stderr
    installed = version(adapter.distribution)
    assert results.framework_version == installed
    assert adapter.expectations is not None
    reg = registry()
    declared = {
        e.clause: e.describe()
        for e in load_expectations(adapter.expectations, reg)
        if e.applies_to(installed, results.transport)
    }
    reasons = set(adapter.capabilities.missing.values())

    def lacking(cid: str) -> bool:
        clause = reg[cid]
        if not clause.about(adapter.framework) or not clause.holds_for(
            adapter.framework, installed
        ):
            return True
        got = next((c for c in results.clauses if c.id == cid), None)
        return (
            got is not None
            and got.outcome == "not-applicable"
            and all(t.detail.partition(": ")[2] in reasons for t in got.tests)
        )

    return {
        c.id: ("fail", declared[c.id])
        if c.id in declared
        else ("not-applicable", None)
        if lacking(c.id)
        else ("pass", None)
        for c in reg.active()
    }


def assert_keeps_its_declarations(run: Any, adapter: Adapter) -> None:
    """The run's clause outcomes are exactly those ``adapter`` declares, every
    not-applicable clause carries its reason, and the run exits 0."""
    assert run.results is not None, run.stderr
    outcomes = {c.id: (c.outcome, c.expected) for c in run.results.clauses}
    assert outcomes == expected_outcomes(run, adapter)
    lacking = [c for c in run.results.clauses if c.outcome == "not-applicable"]
    assert all(t.detail for c in lacking for t in c.tests), "a not-applicable clause without reason"
    assert run.code == 0, run.stdout[-3000:]
