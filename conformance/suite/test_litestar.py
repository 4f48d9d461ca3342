"""Litestar's own promises: its lifecycle hooks, layers, middleware and exception
handlers, as its documentation states them (clauses only for Litestar)."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    blueprint,
    call,
    error_handler,
    response,
    route,
    scenario,
    stream,
    teardown,
    view,
    wrap,
)


@clause("litestar.before-request.value-bypasses-handler")
def test_before_request_value_bypasses_the_route_handler(observe):
    """A before_request hook that returns a value other than None bypasses the route handler: the
    value is used for the response."""
    x = observe(scenario(before("b", returns=response("early", 201)), view())).only
    same(x.order(), ["b"], "call order (no route handler)")
    same((x.status, x.text), (201, "early"), "response sent")


@clause("litestar.after-response.after-the-response-was-sent")
def test_after_response_runs_after_the_response_was_sent(observe):
    """An after_response hook runs after the response has been sent: after the route handler, the
    after_request hook and the last chunk of a streamed body."""
    x = observe(scenario(teardown("t"), after("a"), view(returns=stream("x", "y")))).only
    same(x.order(), ["index", "a", "chunk0", "chunk1", "t"], "call order")
    same(x.text, "xy", "body sent")


@clause("litestar.layers.closest-hook-takes-precedence")
@pytest.mark.parametrize(
    ("hook", "order"),
    [
        pytest.param(before, ["router-hook", "v"], id="before_request"),
        pytest.param(after, ["v", "router-hook"], id="after_request"),
        pytest.param(teardown, ["v", "router-hook"], id="after_response"),
    ],
)
def test_the_routers_hook_replaces_the_applications(observe, hook, order):
    """When a lifecycle hook is set on several layers, only the one of the layer closest to the
    route handler runs: a router's before_request, after_request and after_response replace the
    application's for the router's routes."""
    x = observe(
        scenario(
            blueprint("bp", "/bp"),
            hook("app-hook"),
            hook("router-hook", scope="bp"),
            route("v", "/v", blueprint="bp"),
            requests=[call("/bp/v")],
        )
    ).only
    same(x.order(), order, "call order")


@clause("litestar.middleware.not-for-routing-errors")
@pytest.mark.parametrize(
    ("request_", "status"),
    [
        pytest.param(call("/missing"), 404, id="no-such-url-404"),
        pytest.param(call("/", "POST"), 405, id="wrong-method-405"),
    ],
)
def test_no_middleware_runs_for_a_routing_error(observe, request_, status):
    """A request that matches no route, or no method of its route, is answered by the application's
    exception handling before the middleware stack is called: no middleware runs for it."""
    x = observe(scenario(wrap("m"), view(), requests=[request_])).only
    same((x.order(), x.status), ([], status), "middleware called, and status")


@clause("litestar.exception-handlers.status-before-class")
def test_the_status_code_handler_takes_an_http_error_before_a_class_handler(observe):
    """An HTTP error is handed to the exception handler registered for its status code, in
    preference to one registered for an exception class it belongs to."""
    # The handler for Exception is registered first; the 403 handler still takes abort(403).
    x = observe(
        scenario(
            error_handler("by-class", "Exception", returns=response("class", 418)),
            error_handler("by-status", 403, probes=["exception"], returns=response("status", 403)),
            view(aborts=403),
        )
    ).only
    same(x.order(), ["index", "by-status"], "call order")
    same((x.seen("by-status", "exception"), x.status), (403, 403), "error handed, and status")
