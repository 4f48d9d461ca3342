"""APIFlask, through its adapter, runs the whole suite with no unexpected outcome,
in process and under Werkzeug's server."""

from __future__ import annotations

from importlib.metadata import version

import pytest

pytest.importorskip("apiflask", reason="APIFlask is not installed (pip install apiflask)")

from adapters.apiflask import APIFlaskAdapter  # after the skip: it imports APIFlask
from conformance import registry
from conformance._expectations import load_expectations

ADAPTER = "adapters.apiflask:APIFlaskAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "werkzeug"), id="http-werkzeug"),
    ],
)
def test_apiflask_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed APIFlask, or fails as its adapter declares for
    that release (with a reason), or is not applicable because it concerns other frameworks
    only: APIFlask is a Flask, and lacks none of Flask's concepts."""
    run = run_suite(ADAPTER, *transport)
    assert run.results is not None, run.stderr
    installed = version("apiflask")
    assert run.results.framework_version == installed
    assert APIFlaskAdapter.expectations is not None
    declared = {
        e.clause: e.describe()
        for e in load_expectations(APIFlaskAdapter.expectations, registry())
        if e.applies_to(installed, run.results.transport)
    }
    outcomes = {c.id: (c.outcome, c.expected) for c in run.results.clauses}
    assert outcomes == {
        c.id: ("fail", declared[c.id])
        if c.id in declared
        else ("pass", None)
        if c.about("apiflask")
        else ("not-applicable", None)
        for c in registry().active()
    }
    assert run.code == 0, run.stdout[-3000:]
