"""Hook ordering: which hooks run, and in what order."""

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    response,
    scenario,
    teardown,
    teardown_app,
    text,
    tuple_,
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
    """After-request hooks run after the view, last registered first."""
    x = observe(scenario(after("a1"), after("a2"), after("a3"), view())).only
    same(x.order(), ["index", "a3", "a2", "a1"], "call order")


@clause("hooks.after.receives-response")
def test_after_request_hook_is_handed_the_views_response(observe):
    """The first after-request hook sees the status the view's response has."""
    x = observe(
        scenario(after("a1", probes=["response.status"]), view(returns=tuple_(text("made"), 201)))
    ).only
    same(x.seen("a1", "response.status"), 201, "status handed to the after-request hook")
    same(x.status, 201, "status sent")


@clause("hooks.after.receives-response")
def test_response_returned_by_an_after_request_hook_is_handed_on(observe):
    """A response returned by an after-request hook is what the next hook gets and what is sent."""
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
    """Teardown hooks run after the after-request hooks, last registered first."""
    x = observe(scenario(teardown("t1"), teardown("t2"), after("a1"), before("b1"), view())).only
    same(x.order(), ["b1", "index", "a1", "t2", "t1"], "call order")


@clause("hooks.teardown.once-per-request")
def test_teardown_runs_once_for_each_request(observe):
    """Three requests, two of them to a missing route, run the teardown hook three times."""
    obs = observe(
        scenario(teardown("t"), view(), requests=[call("/"), call("/missing"), call("/missing")])
    )
    same([x.order().count("t") for x in obs.exchanges], [1, 1, 1], "teardown calls per request")


@clause("hooks.teardown-appcontext.after-teardown-request")
def test_app_context_teardown_runs_after_request_teardown_in_reverse_order(observe):
    """Teardown-appcontext hooks run after every teardown-request hook, last registered first."""
    x = observe(scenario(teardown_app("ta1"), teardown_app("ta2"), teardown("t1"), view())).only
    same(x.order(), ["index", "t1", "ta2", "ta1"], "call order")


@clause("hooks.url-value-preprocessor.before-before-hooks")
def test_url_value_preprocessors_run_first_in_registration_order(observe):
    """URL value preprocessors run in registration order before any before-request hook,
    even one registered earlier."""
    x = observe(
        scenario(
            before("b1"),
            url_value_preprocessor("u1"),
            url_value_preprocessor("u2"),
            view("item", "/items/<name>"),
            requests=[call("/items/x")],
        )
    ).only
    same(x.order(), ["u1", "u2", "b1", "item"], "call order")


@clause("hooks.not-found.hooks-still-run")
def test_hooks_run_for_a_request_that_matches_no_route(observe):
    """A request to a missing route runs before, after and teardown hooks (no view) and gets 404."""
    x = observe(
        scenario(before("b"), after("a"), teardown("t"), view(), requests=[call("/missing")])
    ).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(x.status, 404, "status")


@clause("hooks.not-found.endpoint-is-none")
def test_endpoint_and_url_values_are_none_when_no_route_matches(observe):
    """Before-request hooks see no endpoint and no URL values on a request that matched nothing."""
    x = observe(
        scenario(before("b", probes=["endpoint", "view_args"]), view(), requests=[call("/nope")])
    ).only
    same(
        (x.seen("b", "endpoint"), x.seen("b", "view_args")),
        (None, None),
        "endpoint and URL values",
    )
