"""Quart, through its adapter, runs the whole suite with no unexpected outcome."""

from __future__ import annotations

from importlib.metadata import version

from adapters.quart import QuartAdapter
from conformance import registry
from conformance._expectations import load_expectations


def test_quart_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(run_suite):
    """Every clause passes on the installed Quart, or fails as its adapter declares for
    that release (with a reason), or is not applicable with a reason: Quart lacks the
    concept, or the clause is specific to other frameworks."""
    run = run_suite("quart")
    assert run.results is not None, run.stderr
    installed = version("quart")
    assert run.results.framework_version == installed
    assert QuartAdapter.expectations is not None
    declared = {
        e.clause: e.describe()
        for e in load_expectations(QuartAdapter.expectations, registry())
        if e.applies_to(installed)
    }
    # Returning a WSGI application is the one form Quart, an ASGI framework, lacks.
    lacking = {c.id for c in registry().active() if not c.about("quart")}
    lacking.add("response.wsgi-callable.called")
    outcomes = {c.id: (c.outcome, c.expected) for c in run.results.clauses}
    assert outcomes == {
        c.id: ("fail", declared[c.id])
        if c.id in declared
        else ("not-applicable", None)
        if c.id in lacking
        else ("pass", None)
        for c in registry().active()
    }
    reasons = [t.detail for c in run.results.clauses for t in c.tests if c.id in lacking]
    assert all(reasons), "a not-applicable clause without its reason"
    assert run.code == 0, run.stdout
