"""What every framework's own test asserts about a run of the whole suite on
its adapter: each clause passes, or fails as the adapter declares for the
installed release and the transport, or is not applicable (for a reason the
adapter gives, when the test knows them, or because the clause is about
other frameworks or releases).  Nothing else: no error, no undeclared
failure, no stale declaration."""

from __future__ import annotations

from collections.abc import Collection
from importlib.metadata import version
from pathlib import Path
from typing import Any

from conformance import registry
from conformance._expectations import load_expectations
from conformance._run import CLOSES_EARLY_WSGI, STEPS_IN_PROCESS
from conformance.contract import Adapter


def assert_keeps_its_declarations(run: Any, adapter: Adapter) -> None:
    """``assert_keeps_declarations`` with what ``adapter`` itself declares."""
    assert adapter.expectations is not None
    assert_keeps_declarations(
        run,
        expectations=adapter.expectations,
        distribution=adapter.distribution,
        # steps area: the http transport takes no steps, whatever the framework has;
        # streaming area: a response closed early is observed in process on WSGI only
        reasons={*adapter.capabilities.missing.values(), STEPS_IN_PROCESS, CLOSES_EARLY_WSGI},
    )


def assert_keeps_declarations(
    run: Any, *, expectations: Path, distribution: str, reasons: Collection[str] | None = None
) -> None:
    """The run's clause outcomes are exactly those ``expectations`` declare for
    the installed ``distribution``; a not-applicable clause has a reason, one
    of ``reasons`` where given (or the clause is about other frameworks or
    releases); the run covers every active clause and exits 0.  For a test
    that must not import the framework (Bottle 0.12 warns on every later
    import; Django's settings are per process), ``reasons`` may be left out."""
    results = run.results
    assert results is not None, run.stderr
    installed = version(distribution)
    assert results.framework_version == installed
    reg = registry()
    declared = {
        e.clause: e.describe()
        for e in load_expectations(expectations, reg)
        if e.applies_to(installed, results.transport)
    }
    framework = results.framework

    def lacking(clause: Any) -> bool:
        spec = reg[clause.id]
        if not spec.about(framework) or not spec.holds_for(framework, installed):
            return True
        return clause.outcome == "not-applicable" and all(
            t.detail and (reasons is None or t.detail.partition(": ")[2] in reasons)
            for t in clause.tests
        )

    outcomes = {c.id: (c.outcome, c.expected) for c in results.clauses}
    assert outcomes == {
        # A face that lacks the concept (falcon.App: no async def functions) cannot run a
        # divergence declared for the other face in the file both share: not applicable.
        c.id: ("fail", declared[c.id])
        if c.id in declared and not (c.outcome == "not-applicable" and lacking(c))
        else ("not-applicable", declared[c.id])
        if c.id in declared
        else ("not-applicable", None)
        if lacking(c)
        else ("pass", None)
        for c in results.clauses
    }
    assert set(outcomes) == {c.id for c in reg.active()}
    assert all(
        t.detail for c in results.clauses if c.outcome == "not-applicable" for t in c.tests
    ), "a not-applicable clause without its reason"
    assert run.code == 0, run.stdout[-3000:]
