"""Sanic's own promises: the order of its request and response middleware, what a
response returned early skips, and which requests a blueprint's middleware sees."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import after, before, blueprint, call, response, scenario, view


@clause("sanic.middleware.request-declared-order")
def test_request_middleware_runs_before_the_handler_in_declared_order(observe):
    """Request middleware runs before the route handler, in the order it was declared."""
    x = observe(scenario(before("m1"), before("m2"), before("m3"), view())).only
    same(x.order(), ["m1", "m2", "m3", "index"], "call order")


@clause("sanic.middleware.response-reverse-order")
def test_response_middleware_runs_after_the_handler_in_reverse_declared_order(observe):
    """Response middleware runs after the route handler, in the reverse of the order it was
    declared."""
    x = observe(scenario(after("m1"), after("m2"), after("m3"), view())).only
    same(x.order(), ["index", "m3", "m2", "m1"], "call order")


@clause("sanic.responding-early.request-middleware-skips-handler")
def test_response_from_request_middleware_skips_the_handler_and_later_request_middleware(observe):
    """A response returned by request middleware is the response sent: the route handler is not
    called and no later request middleware runs."""
    # m2 answers; m3, declared after it, and the handler never run.
    x = observe(
        scenario(
            before("m1"),
            before("m2", returns=response("early", 203)),
            before("m3"),
            view(returns=response("handler")),
        )
    ).only
    same(x.order(), ["m1", "m2"], "call order")
    same((x.status, x.text), (203, "early"), "response sent")


@clause("sanic.responding-early.response-middleware-ends-middleware")
def test_response_from_response_middleware_is_sent_and_ends_the_response_middleware(observe):
    """A response returned by response middleware is the response sent, and no later response
    middleware runs."""
    # Response middleware runs m3, m2, m1: m2 answers, so m1 never runs.
    x = observe(
        scenario(
            after("m1"),
            after("m2", returns=response("late", 202)),
            after("m3"),
            view(returns=response("handler")),
        )
    ).only
    same(x.order(), ["index", "m3", "m2"], "call order")
    same((x.status, x.text), (202, "late"), "response sent")


@clause("sanic.blueprints.middleware-own-routes-only")
@pytest.mark.parametrize(
    ("path", "order"),
    [
        pytest.param("/", ["index"], id="app-route"),
        pytest.param("/q/w", ["w"], id="other-blueprints-route"),
        pytest.param("/p/v", ["bp-request", "v", "bp-response"], id="own-route"),
    ],
)
def test_blueprint_middleware_runs_only_for_the_blueprints_routes(observe, path, order):
    """A blueprint's request and response middleware run for requests to that blueprint's routes
    only, not for the app's routes or another blueprint's."""
    x = observe(
        scenario(
            blueprint("bp", "/p"),
            blueprint("other", "/q"),
            before("bp-request", scope="bp"),
            after("bp-response", scope="bp"),
            view("index", "/"),
            view("v", "/v", blueprint="bp"),
            view("w", "/w", blueprint="other"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), order, "call order")
