"""Litestar, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

pytest.importorskip("litestar", reason="Litestar is not installed (pip install litestar)")

from litestar import Controller  # after the skip

from adapters.litestar import LitestarAdapter  # after the skips: it imports Litestar
from conformance.kit import Recorder
from conformance.scenarios import class_view, scenario, view
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.litestar:LitestarAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_litestar_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed Litestar, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (Litestar lacks the concept) or because it is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), LitestarAdapter())


# -- What the adapter translates into Litestar's own constructs --


def built(*parts: Any, **options: Any) -> Any:
    """The Litestar app the adapter builds for a scenario of ``parts``."""
    return LitestarAdapter().build(scenario(*parts, **options), Recorder())


def handler_of(app: Any, path: str = "/") -> Any:
    (route,) = [r for r in app.routes if r.path == path]
    return next(h for h in route.route_handlers if "GET" in h.http_methods)


@pytest.mark.parametrize("debug", [True, False])
def test_the_debug_setting_reaches_litestars_own_debug_flag(debug: bool) -> None:
    """config debug is Litestar(debug=True); a scenario that leaves it out runs with debug off."""
    assert built(view(), config={"debug": True} if debug else {}).debug is debug


@pytest.mark.parametrize(("mode", "coroutine"), [("sync", False), ("async", True), (None, True)])
def test_a_view_is_the_kind_of_function_the_scenario_asks_for(mode: Any, coroutine: bool) -> None:
    """A view written plain is a plain route handler, run on the event loop (sync_to_thread False,
    Litestar's default, stated); async def is the adapter's own choice when the scenario leaves it
    open."""
    handler = handler_of(built(view(mode=mode)))
    assert inspect.iscoroutinefunction(handler.fn) is coroutine
    assert handler.sync_to_thread is (False if mode == "sync" else None)


def test_a_view_class_is_a_controller_whose_handler_declares_the_path_parameters() -> None:
    """A class-based view is a Litestar Controller; its handler method declares the request and
    the path parameters, which Litestar hands it as keyword arguments."""
    handler = handler_of(built(class_view("item", "/items/{id}")), "/items/{id:str}")
    assert isinstance(handler.fn.__self__, Controller)  # a method of the Controller's instance
    assert list(inspect.signature(handler.fn).parameters) == ["request", "id"]
