"""Starlette, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

import pytest

pytest.importorskip("starlette", reason="Starlette is not installed (pip install starlette)")
pytest.importorskip("itsdangerous", reason="Starlette's SessionMiddleware needs itsdangerous")

from starlette.endpoints import HTTPEndpoint
from starlette.requests import Request

from adapters._starlette_family import StarletteNative
from adapters.starlette import StarletteAdapter  # after the skips: it imports Starlette
from conformance import NotApplicable, run_scenario
from conformance.kit import Recorder
from conformance.scenarios import (
    call,
    class_view,
    error_handler,
    g_op,
    register,
    response,
    scenario,
    send,
    url,
    view,
)
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.starlette:StarletteAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_starlette_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed Starlette, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (Starlette lacks the concept) or because it is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), StarletteAdapter())


def test_debug_mode_reaches_starlette():
    """config debug is Starlette(debug=True): the app's flag is set, and the 500 of an
    unhandled exception is Starlette's traceback page instead of its plain error page."""
    raising = scenario(view(raises="ValueError"), config={"debug": True})
    assert StarletteAdapter().build(raising, Recorder()).debug is True
    x = run_scenario(StarletteAdapter(), raising).only
    assert (x.status, x.escaped) == (500, "ValueError")
    assert b"Traceback" in x.body
    assert b"ValueError" in x.body
    plain = run_scenario(StarletteAdapter(), scenario(view(raises="ValueError"))).only
    assert plain.body == b"Internal Server Error"


@pytest.mark.parametrize(("mode", "thread"), [("sync", "other"), ("async", "request")])
def test_a_plain_function_endpoint_runs_in_starlettes_threadpool(mode, thread):
    """mode "sync" writes a plain function, which Starlette runs in its threadpool (a
    worker thread); an async def endpoint runs on the request's event loop."""
    x = run_scenario(
        StarletteAdapter(),
        scenario(
            error_handler("eh", "ValueError", mode=mode, probes=["thread"], returns=response("h")),
            view(mode=mode, probes=["thread"], raises="ValueError"),
        ),
    ).only
    assert (x.seen("index", "thread"), x.seen("eh", "thread")) == (thread, thread)


def test_a_class_based_view_is_an_http_endpoint():
    """A View or MethodView route is a Starlette HTTPEndpoint subclass: the class is the
    route's endpoint, so Starlette makes it anew for every request."""
    for kind in ("view", "method_view"):
        app = StarletteAdapter().build(scenario(class_view("res", "/res", kind=kind)), Recorder())
        route = next(r for r in app.routes if getattr(r, "name", None) == "res")
        assert issubclass(route.endpoint, HTTPEndpoint)
        assert route.methods is None  # its methods, not the route, say what it accepts


def test_a_late_exception_handler_is_accepted_and_never_used():
    """A register step after the first request calls Starlette's add_exception_handler,
    which accepts the handler but never uses it: the middleware stack, with its handlers,
    was built at the first request."""
    late = error_handler("h404", 404, returns=response("h"))
    obs = run_scenario(
        StarletteAdapter(),
        scenario(
            view(aborts=404),
            requests=[call(), call()],
            steps=[send(), register("late", late), send()],
        ),
    )
    assert [e.seen for e in obs.steps if e.hook == "late"] == [{"error": None}]
    assert (obs[1].order(), obs[1].status) == (["index"], 404)


STATE_USES = [("contains", "a"), ("contains", "z"), ("iter", "")]


def test_request_state_is_judged_on_in_and_iteration_only():
    """Starlette's State takes 'in' and iteration, so those run; it has no get, pop or
    setdefault, so a scenario using one of them is not applicable, for that reason."""
    uses = [g_op("contains", "a"), g_op("iter")]
    x = run_scenario(StarletteAdapter(), scenario(view(g_ops=uses))).only
    assert x.seen("index", "g_ops") == [False, []]  # nothing is set before the endpoint
    state = Request({"type": "http", "state": {"b": 1, "a": 2}})  # as middleware leaves it
    native = StarletteNative()
    assert [native.g_op(op, name, (), state) for op, name in STATE_USES] == [
        True,
        False,
        ["a", "b"],
    ]
    with pytest.raises(NotApplicable, match="g-get-pop-setdefault"):
        run_scenario(StarletteAdapter(), scenario(view(g_ops=[g_op("get", "a", None)])))


def test_external_urls_are_built_but_anchors_and_methods_are_not_applicable():
    """request.url_for is Starlette's absolute URL (Flask's _external=True); it has no
    _anchor or _method, so a scenario using one is not applicable, for that reason."""
    built = scenario(view(build_urls=[url("index", external=True)]))
    assert run_scenario(StarletteAdapter(), built).only.seen("index", "urls") == [
        "http://testserver/"
    ]
    for option in ({"anchor": "top"}, {"method": "GET"}):
        with pytest.raises(NotApplicable, match="url-building-anchor-method"):
            run_scenario(StarletteAdapter(), scenario(view(build_urls=[url("index", **option)])))
