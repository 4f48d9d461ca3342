"""Hook ordering: which hooks run, and in what order."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    none,
    response,
    route,
    scenario,
    teardown,
    teardown_app,
    url_value_preprocessor,
    view,
)


@clause("hooks.before.registration-order")
def test_before_request_hooks_run_in_registration_order(observe):
    """Before-request hooks run in the order they were registered, before the view."""
    x = observe(scenario(before("b1"), before("b2"), before("b3"), view())).only
    same(x.order(), ["b1", "b2", "b3", "index"], "call order")


@clause("hooks.after.reverse-registration-order")
def test_after_request_hooks_run_in_reverse_registration_order(observe):
    """After-request hooks run after the view, in the reverse of the order they were registered."""
    x = observe(scenario(after("a1"), after("a2"), after("a3"), view())).only
    same(x.order(), ["index", "a3", "a2", "a1"], "call order")


@clause("hooks.after.receives-response")
def test_after_request_hook_is_handed_the_views_response(observe):
    """The first after-request hook to run is handed the response made from the view's return
    value."""
    # It sees the status (201) the view's response has.
    x = observe(
        scenario(after("a1", probes=["response.status"]), view(returns=response("made", 201)))
    ).only
    same(x.seen("a1", "response.status"), 201, "status handed to the after-request hook")
    same(x.status, 201, "status sent")


@clause("hooks.after.returned-response-replaces")
def test_response_returned_by_an_after_request_hook_is_handed_on(observe):
    """The response an after-request hook returns is the one handed to the next after-request hook,
    and the one the last hook returns is the response sent."""
    x = observe(
        scenario(
            after("outer", probes=["response.status"]),
            after("inner", returns=response("replaced", 202)),
            view(),
        )
    ).only
    same(x.seen("outer", "response.status"), 202, "status handed to the next after-request hook")
    same((x.status, x.text), (202, "replaced"), "response sent")


@clause("hooks.teardown.reverse-registration-order")
def test_teardown_hooks_run_last_in_reverse_registration_order(observe):
    """Teardown-request hooks run after the after-request hooks, in the reverse of the order they
    were registered."""
    x = observe(scenario(teardown("t1"), teardown("t2"), after("a1"), before("b1"), view())).only
    same(x.order(), ["b1", "index", "a1", "t2", "t1"], "call order")


@clause("hooks.teardown.once-per-request")
def test_teardown_runs_once_for_each_request(observe):
    """Each teardown-request hook runs exactly once for every request sent outside the test client's
    with block whose body is not a stream_with_context stream, including requests that match no
    route."""
    # Three requests, two of them to a missing route, run the teardown hook three times.
    obs = observe(
        scenario(teardown("t"), view(), requests=[call("/"), call("/missing"), call("/missing")])
    )
    same([x.order().count("t") for x in obs.exchanges], [1, 1, 1], "teardown calls per request")


@clause("hooks.teardown-appcontext.after-teardown-request")
def test_app_context_teardown_runs_after_every_request_teardown(observe):
    """Teardown-appcontext hooks run after every teardown-request hook."""
    # A teardown-appcontext hook registered before two teardown-request hooks runs after both.
    x = observe(scenario(teardown_app("ta"), teardown("t1"), teardown("t2"), view())).only
    # The two teardown-request hooks' own order is another clause's business.
    order = x.order()
    same(
        [*order[:1], *sorted(order[1:3]), *order[3:]],
        ["index", "t1", "t2", "ta"],
        "call order (the teardown-request hooks in either order)",
    )


@clause("hooks.teardown-appcontext.reverse-registration-order")
def test_app_context_teardown_hooks_run_in_reverse_registration_order(observe):
    """Teardown-appcontext hooks run in the reverse of the order they were registered."""
    # Teardown-appcontext hooks ta1, ta2, ta3 run last registered first.
    x = observe(
        scenario(teardown_app("ta1"), teardown_app("ta2"), teardown_app("ta3"), view())
    ).only
    same(x.order(), ["index", "ta3", "ta2", "ta1"], "call order")


@clause("hooks.url-value-preprocessor.before-before-hooks")
def test_url_value_preprocessors_run_first_in_registration_order(observe):
    """URL value preprocessors run in registration order, before any before-request hook."""
    # Even a before-request hook registered before them runs after them.
    x = observe(
        scenario(
            before("b1"),
            url_value_preprocessor("u1"),
            url_value_preprocessor("u2"),
            view("item", "/items/{name}"),
            requests=[call("/items/x")],
        )
    ).only
    same(x.order(), ["u1", "u2", "b1", "item"], "call order")


@clause("hooks.not-found.hooks-still-run")
def test_hooks_run_for_a_request_that_matches_no_route(observe):
    """A request that matches no route still runs the before-request, after-request and teardown
    hooks."""
    # And no view runs.
    x = observe(
        scenario(before("b"), after("a"), teardown("t"), view(), requests=[call("/missing")])
    ).only
    same(x.order(), ["b", "a", "t"], "call order")


@clause("hooks.not-found.status-404")
def test_a_request_that_matches_no_route_gets_404(observe):
    """A request that matches no route gets a 404 response."""
    # Before, after and teardown hooks are registered.
    x = observe(
        scenario(before("b"), after("a"), teardown("t"), view(), requests=[call("/missing")])
    ).only
    same(x.status, 404, "status")


@clause("hooks.not-found.endpoint-is-none")
def test_endpoint_and_url_values_are_none_when_no_route_matches(observe):
    """While a request that matches no route is handled, the request's endpoint and URL values are
    None."""
    # As a before-request hook sees them.
    x = observe(
        scenario(before("b", probes=["endpoint", "view_args"]), view(), requests=[call("/nope")])
    ).only
    same(
        (x.seen("b", "endpoint"), x.seen("b", "view_args")),
        (None, None),
        "endpoint and URL values",
    )


@clause("hooks.after-this-request.before-after-hooks")
def test_after_this_request_callback_runs_before_the_after_request_hooks(observe):
    """Callbacks registered with after_this_request run after the response is made and before any
    after-request hook."""
    # A callback the view registered runs after the view, before the after hook and teardown.
    x = observe(scenario(teardown("t"), after("a"), view(after_this_request=["cb1"]))).only
    same(x.order(), ["index", "cb1", "a", "t"], "call order")


@clause("hooks.after-this-request.registration-order")
def test_after_this_request_callbacks_run_in_registration_order(observe):
    """Callbacks registered with after_this_request run in the order they were registered, unlike
    after-request hooks."""
    # Three callbacks registered by the view run first registered first.
    x = observe(scenario(view(after_this_request=["cb1", "cb2", "cb3"]))).only
    same(x.order(), ["index", "cb1", "cb2", "cb3"], "call order")


@clause("hooks.after-this-request.receives-response")
def test_after_this_request_callbacks_are_handed_the_views_response(observe):
    """Each after_this_request callback is handed the response made from the return value, with the
    status it set."""
    # Each of two callbacks sees the status (201) the view's response has.
    x = observe(
        scenario(view(after_this_request=["cb1", "cb2"], returns=response("made", 201)))
    ).only
    same(
        (x.seen("cb1", "response.status"), x.seen("cb2", "response.status")),
        (201, 201),
        "status handed to each callback",
    )
    same(x.status, 201, "status sent")


@clause("hooks.after-this-request.this-request-only")
def test_after_this_request_callback_runs_only_for_the_request_that_registered_it(observe):
    """A callback registered with after_this_request runs once, for the request that registered it,
    and not for any later request."""
    # Registered while handling /reg, it runs once, not for the next requests to /plain or /reg.
    obs = observe(
        scenario(
            route("reg", "/reg", after_this_request=["cb1"]),
            route("plain", "/plain"),
            requests=[call("/reg"), call("/plain"), call("/reg")],
        )
    )
    same(
        [x.order() for x in obs.exchanges],
        [["reg", "cb1"], ["plain"], ["reg", "cb1"]],
        "call order of each request",
    )


@clause("hooks.after-this-request.from-before-hook")
@pytest.mark.parametrize(
    ("before_does", "order"),
    [
        pytest.param({}, ["b", "index", "cb1", "a"], id="request-goes-on"),
        pytest.param({"returns": response("early")}, ["b", "cb1", "a"], id="short-circuit"),
    ],
)
def test_after_this_request_callback_registered_in_a_before_hook_runs(observe, before_does, order):
    """A callback registered with after_this_request in a before-request hook runs too, whether the
    request goes on to the view or the hook short-circuits it."""
    # It runs before the after-request hooks.
    x = observe(
        scenario(after("a"), before("b", after_this_request=["cb1"], **before_does), view())
    ).only
    same(x.order(), order, "call order")


@clause("hooks.after-this-request.on-error-response")
@pytest.mark.parametrize(
    ("parts", "order", "status"),
    [
        pytest.param(
            [error_handler("h", "ValueError", returns=response("h", 418))],
            ["index", "h", "cb1", "a"],
            418,
            id="class-handler",
        ),
        pytest.param(
            [error_handler("h", 500, returns=response("oops", 500))],
            ["index", "h", "cb1", "a"],
            500,
            id="500-handler",
        ),
        pytest.param([], ["index", "cb1", "a"], 500, id="unhandled"),
    ],
)
def test_after_this_request_callback_runs_on_the_error_response(observe, parts, order, status):
    """A callback registered with after_this_request before an exception was raised still runs, on
    the response an error handler made or on the 500 of an unhandled exception."""
    # The view registers it, then raises.
    x = observe(
        scenario(
            after("a"),
            *parts,
            view(after_this_request=["cb1"], raises="ValueError"),
        )
    ).only
    same(x.order(), order, "call order")
    same(x.seen("cb1", "response.status"), status, "status handed to the callback")


@clause("hooks.after-this-request.needs-request-context")
def test_after_this_request_raises_runtime_error_where_no_request_context_is_active(observe):
    """Registering an after_this_request callback where no request context is active, such as in a
    teardown-appcontext hook, raises RuntimeError."""
    # In a teardown-appcontext hook: RuntimeError escapes, and the callback never runs.
    x = observe(
        scenario(teardown_app("ta", probes=["request"], after_this_request=["cb"]), view())
    ).only
    same(x.order(), ["index", "ta"], "call order")
    same(
        (x.seen("ta", "request"), x.escaped),
        (False, "RuntimeError"),
        "request context in the hook, and exception that escaped to the server",
    )


# -- area returns: an after-request hook that returns None --


@clause("hooks.after.returns-none.next-handed-none")
def test_after_hook_after_one_returning_none_is_handed_none(observe):
    """When an after-request hook returns None instead of a response, the after-request hook that
    runs next is handed None as the response."""
    # a2 runs first (reverse registration order) and returns None; a1 is handed what it returned.
    x = observe(
        scenario(after("a1", probes=["response.status"]), after("a2", returns=none()), view())
    ).only
    same(
        (x.order(), x.seen("a1", "response.status")), (["index", "a2", "a1"], None), "a1's response"
    )


@clause("hooks.after.returns-none.escapes")
@pytest.mark.parametrize("position", ["only", "first-to-run", "last-to-run"])
def test_after_hook_returning_none_sends_no_response(observe, position):
    """When an after-request hook returns None instead of a response, no response is sent: an
    exception escapes the app into the server, which answers 500 itself."""
    hooks = {
        "only": [after("a", returns=none())],
        "first-to-run": [after("a1"), after("a", returns=none())],
        "last-to-run": [after("a", returns=none()), after("a2")],
    }[position]
    x = observe(scenario(*hooks, view(returns=response("made", 201)))).only
    same((x.status, x.escaped is not None), (500, True), "status, and whether an exception escaped")


@clause("hooks.after.returns-none.teardown-handed-none")
def test_teardown_is_handed_none_when_an_after_hook_returns_none(observe):
    """When an after-request hook returns None instead of a response, the teardown-request hooks are
    handed None: the failure comes after the point where they are given the unhandled
    exception."""
    x = observe(
        scenario(teardown("t", probes=["exception"]), after("a", returns=none()), view())
    ).only
    same((x.order(), x.seen("t", "exception")), (["index", "a", "t"], None), "calls, exception")
