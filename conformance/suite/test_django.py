"""Django's own promises: its middleware stack and its request signals, as
Django's documentation states them (clauses only for Django)."""

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    response,
    scenario,
    signal,
    stream,
    url_value_preprocessor,
    view,
    wrap,
)


@clause("django.middleware.request-phase-top-down")
def test_request_phase_runs_top_down(observe):
    """During the request phase, before the view, middleware run in the order they are listed in
    MIDDLEWARE, top-down."""
    # Three middleware with a request phase (process_request), listed b1, b2, b3.
    x = observe(scenario(before("b1"), before("b2"), before("b3"), view())).only
    same(x.order(), ["b1", "b2", "b3", "index"], "call order")


@clause("django.middleware.response-phase-bottom-up")
def test_response_phase_runs_bottom_up(observe):
    """During the response phase, after the view, middleware run in the reverse of the order they
    are listed in MIDDLEWARE, bottom-up."""
    # Three middleware with a response phase (process_response), listed a1, a2, a3.
    x = observe(scenario(after("a1"), after("a2"), after("a3"), view())).only
    same(x.order(), ["index", "a3", "a2", "a1"], "call order")


@clause("django.middleware.short-circuit-returns-through-outer-layers")
def test_a_short_circuiting_middleware_skips_the_inner_layers(observe):
    """A middleware that returns a response without calling get_response short-circuits the
    request: no middleware inside it and not the view sees the request or the response, and the
    response returns only through the middleware the request passed in through."""
    # m2 answers 203 without calling get_response: m3 and the view never run, m1 gets the 203.
    x = observe(
        scenario(
            wrap("m1", then={"probes": ["response.status"]}),
            wrap("m2", returns=response("early", 203)),
            wrap("m3"),
            view(),
        )
    ).only
    same(x.order(), ["m1", "m2", "m1/exit"], "call order")
    same(x.seen("m1/exit", "response.status"), 203, "status handed to m1 on the way out")
    same((x.status, x.text), (203, "early"), "response sent")


@clause("django.process-view.just-before-the-view")
def test_process_view_runs_after_every_request_phase_just_before_the_view(observe):
    """Middleware's process_view methods are called just before the view, once the request phase
    of every middleware has run and the URL has been resolved, in the order of MIDDLEWARE."""
    # u1 is listed before the request phase b; it still runs after it, and sees the resolved URL.
    x = observe(
        scenario(
            url_value_preprocessor("u1", probes=["endpoint", "view_args"]),
            before("b"),
            url_value_preprocessor("u2"),
            view("item", "/items/{name}"),
            requests=[call("/items/x")],
        )
    ).only
    same(x.order(), ["b", "u1", "u2", "item"], "call order")
    same(
        (x.seen("u1", "endpoint"), x.seen("u1", "view_args")),
        ("item", {"name": "x"}),
        "endpoint and URL values process_view sees",
    )


@clause("django.process-exception.bottom-up-first-response-wins")
def test_process_exception_runs_bottom_up_and_the_first_response_wins(observe):
    """When the view raises an exception, middleware's process_exception methods are called
    bottom-up, and once one returns a response, those of the middleware above it are not
    called."""
    # Both take any exception; h2, listed below h1, answers first, and h1 is never called.
    x = observe(
        scenario(
            error_handler("h1", "Exception", returns=response("h1", 409)),
            error_handler("h2", "Exception", returns=response("h2", 418)),
            view(raises="ValueError"),
        )
    ).only
    same(x.order(), ["index", "h2"], "call order")
    same((x.status, x.text), (418, "h2"), "response sent")


@clause("django.request-finished.after-the-response-is-delivered")
def test_request_finished_is_sent_after_the_response_is_delivered(observe):
    """The request_finished signal is sent once Django has finished delivering the response: after
    every middleware has returned and after the last chunk of a streamed body."""
    x = observe(
        scenario(
            signal("f", "request_finished"),
            wrap("m"),
            view(returns=stream("x", "y")),
        )
    ).only
    same(x.order(), ["m", "index", "m/exit", "chunk0", "chunk1", "f"], "call order")
