"""Falcon, through its two adapters (falcon.App and falcon.asgi.App), runs the whole
suite with no unexpected outcome, in process and under a real server."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

from conformance import registry
from tests.adapter_checks import assert_keeps_declarations
from tests.conftest import ROOT

# The suite runs in a process of its own; this one never imports Falcon.
pytestmark = pytest.mark.skipif(
    find_spec("falcon") is None, reason="Falcon is not installed: pip install falcon"
)
WSGI, ASGI = "adapters.falcon:FalconAdapter", "adapters.falcon:FalconAsgiAdapter"
EXPECTATIONS = ROOT / "adapters" / "falcon" / "expectations.toml"
RUNS = [
    pytest.param((WSGI,), id="wsgi-in-process"),
    pytest.param((WSGI, "--transport", "http", "--server", "gunicorn"), id="wsgi-http-gunicorn"),
    pytest.param((ASGI,), id="asgi-in-process"),
    pytest.param((ASGI, "--transport", "http", "--server", "uvicorn"), id="asgi-http-uvicorn"),
]


@pytest.mark.parametrize("args", RUNS)
def test_falcon_fails_only_its_declared_divergences(run_suite, args):
    """Every clause passes on the installed Falcon, or fails as its adapter declares for that
    release, or is not applicable with a reason; no error."""
    assert_keeps_declarations(run_suite(*args), expectations=EXPECTATIONS, distribution="falcon")


@pytest.mark.parametrize("args", RUNS)
def test_falcon_keeps_its_own_promises(run_suite, args):
    """Every clause of Falcon's own area (conformance/spec/falcon.toml) passes."""
    run = run_suite(*args)
    assert run.results is not None, run.stderr
    own = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("falcon.")}
    assert own == dict.fromkeys((c.id for c in registry().active() if c.area == "falcon"), "pass")


def test_a_405_names_no_head_where_get_routes_do_not_serve_head(run_suite):
    """Falcon answers HEAD only with an on_head responder (a GET route gets 405 for it), so the
    Allow header of its 405, naming GET and OPTIONS, lists the methods the URL allows."""
    run = run_suite(WSGI)
    assert run.results is not None, run.stderr
    outcome = {c.id: c.outcome for c in run.results.clauses}
    assert outcome["routing.method-not-allowed.allow-header"] == "pass"


@pytest.mark.parametrize("face", [WSGI, ASGI], ids=["wsgi", "asgi"])
def test_resources_are_judged_as_class_based_views(run_suite, face):
    """A route's resource is Falcon's class-based view: it dispatches by method, and the one
    instance add_route is given answers every request; Falcon has no decorators list."""
    run = run_suite(face)
    assert run.results is not None, run.stderr
    outcome = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("views.")}
    assert {
        "by method": outcome["views.method-view.dispatch-by-method"],
        "one instance": outcome["views.init-every-request.false-one-instance"],
        "an instance a request": outcome["views.init-every-request.new-instance-by-default"],
        "decorators": outcome["views.decorators.last-outermost"],
    } == {"by method": "pass", "one instance": "pass", "an instance a request": "fail",
          "decorators": "not-applicable"}  # fmt: skip
