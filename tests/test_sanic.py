"""Sanic, through its adapter, runs the whole suite with no unexpected outcome,
in process (sanic-testing's ASGI client) and under uvicorn (Sanic's ASGI mode)."""

from __future__ import annotations

from importlib.metadata import version
from importlib.util import find_spec

import pytest

from conformance import registry
from conformance._expectations import load_expectations
from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(
    find_spec("sanic") is None or find_spec("sanic_testing") is None,
    reason="Sanic is not installed: pip install sanic sanic-testing",
)
ADAPTER = "adapters.sanic:SanicAdapter"
EXPECTATIONS = ROOT / "adapters" / "sanic" / "expectations.toml"
# A blueprint's hooks for the whole app (Flask's before_app_request, app_errorhandler):
# Sanic's blueprint middleware and handlers apply to its own routes only, and the
# contract has no capability to say so, so the adapter refuses them (outcome "error").
APP_WIDE = {
    "blueprints.app-wide.ordered-as-app-hooks",
    "blueprints.errors.app-errorhandler-every-request",
}


@pytest.mark.parametrize(
    "transport",
    [(), ("--transport", "http", "--server", "uvicorn")],
    ids=["in-process", "http-uvicorn"],
)
def test_sanic_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed Sanic, or fails as its adapter declares, or is
    not applicable with a reason; the only errors are the blueprint's app-wide hooks."""
    run = run_suite(ADAPTER, *transport)
    assert run.results is not None, run.stderr
    installed = version("sanic")
    assert run.results.framework_version == installed
    declared = {
        e.clause: e.describe()
        for e in load_expectations(EXPECTATIONS, registry())
        if e.applies_to(installed, run.results.transport)
    }
    observed = {c.id: (c.outcome, c.expected) for c in run.results.clauses}
    assert observed == {
        cid: ("fail", declared[cid])
        if cid in declared
        else ("error", None)
        if cid in APP_WIDE
        else (outcome if outcome == "not-applicable" else "pass", None)
        for cid, (outcome, _) in observed.items()
    }
    assert {c.id for c in run.results.clauses} == {c.id for c in registry().active()}
    errors = [t.detail for c in run.results.clauses if c.id in APP_WIDE for t in c.tests]
    assert all("registers nothing for the whole app" in d for d in errors if "Unsupported" in d)
    lacking = [
        t.detail for c in run.results.clauses if c.outcome == "not-applicable" for t in c.tests
    ]
    assert all(lacking), "a not-applicable clause without its reason"


def test_sanic_keeps_its_own_promises(run_suite):
    """Every clause of Sanic's own documentation passes."""
    run = run_suite(ADAPTER)
    assert run.results is not None, run.stderr
    own = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("sanic.")}
    assert len(own) >= 3, own
    assert set(own.values()) == {"pass"}, own


def test_a_405_lists_head_only_where_the_framework_answers_head_itself(run_suite):
    """Sanic answers HEAD only on a route that lists it: the Allow header of a 405 is
    expected to leave HEAD out, as it leaves OPTIONS out where OPTIONS is not automatic."""
    run = run_suite(ADAPTER, "--clause", "routing.method-not-allowed.allow-header")
    assert run.results is not None, run.stderr
    assert [(c.id, c.outcome) for c in run.results.clauses] == [
        ("routing.method-not-allowed.allow-header", "pass")
    ]
