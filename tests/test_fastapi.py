"""FastAPI, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="FastAPI is not installed (pip install fastapi)")
pytest.importorskip("itsdangerous", reason="the session middleware needs itsdangerous")

from adapters.fastapi import FastAPIAdapter  # after the skips: it imports FastAPI
from conformance import run_scenario
from conformance.kit import Recorder
from conformance.scenarios import before, scenario, teardown, view
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.fastapi:FastAPIAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_fastapi_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed FastAPI, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (FastAPI lacks the concept) or because it is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), FastAPIAdapter())


def test_debug_mode_reaches_fastapi():
    """config debug is FastAPI(debug=True): the app's flag is set, and the 500 of an
    unhandled exception is Starlette's traceback page instead of its plain error page."""
    raising = scenario(view(raises="ValueError"), config={"debug": True})
    assert FastAPIAdapter().build(raising, Recorder()).debug is True
    x = run_scenario(FastAPIAdapter(), raising).only
    assert (x.status, x.escaped) == (500, "ValueError")
    assert b"Traceback" in x.body
    assert b"ValueError" in x.body
    plain = run_scenario(FastAPIAdapter(), scenario(view(raises="ValueError"))).only
    assert plain.body == b"Internal Server Error"


@pytest.mark.parametrize(("mode", "thread"), [("sync", "other"), ("async", "request")])
def test_plain_functions_run_in_fastapis_threadpool(mode, thread):
    """mode "sync" writes a plain path operation, dependency and generator dependency,
    which FastAPI runs in its threadpool (a worker thread); async def ones run on the
    request's event loop."""
    where = {"mode": mode, "probes": ["thread"]}
    x = run_scenario(
        FastAPIAdapter(), scenario(before("b", **where), teardown("t", **where), view(**where))
    ).only
    assert x.order() == ["b", "index", "t"]
    assert {h: x.seen(h, "thread") for h in ("b", "index", "t")} == dict.fromkeys(
        ["b", "index", "t"], thread
    )
