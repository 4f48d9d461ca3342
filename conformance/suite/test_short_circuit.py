"""Short-circuiting: a before-request hook that answers the request itself."""

import pytest

from conformance import Exchange, clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    bytes_,
    call,
    json_dict,
    none,
    response,
    scenario,
    string,
    teardown,
    tuple_,
    url_value_preprocessor,
    view,
)


@clause("short-circuit.before.skips-view")
def test_before_request_hook_returning_a_value_skips_the_view(observe):
    """When a before-request hook returns a value other than None, the view is not called."""
    x = observe(scenario(before("b", returns=response("from before")), view())).only
    same(x.order(), ["b"], "call order")


@clause("short-circuit.before.value-is-response")
def test_value_returned_by_a_before_request_hook_is_the_response(observe):
    """When a before-request hook returns a value other than None, that value, not the view's,
    becomes the response."""
    # The hook returns "from before" with status 203; the view would return "view".
    x = observe(
        scenario(before("b", returns=response("from before", 203)), view(returns=response("view")))
    ).only
    same((x.status, x.text), (203, "from before"), "response sent")


@clause("short-circuit.before.skips-later-before-hooks")
def test_before_request_hooks_after_the_short_circuiting_one_are_not_called(observe):
    """Before-request hooks registered after one that returned a value other than None are not
    called for that request."""
    x = observe(
        scenario(
            before("b1"), before("b2", returns=response("stop")), before("b3"), before("b4"), view()
        )
    ).only
    same(x.order(), ["b1", "b2"], "call order")


@clause("short-circuit.before.none-continues")
@pytest.mark.parametrize(
    "does",
    [
        pytest.param({}, id="falls-off-the-end"),
        pytest.param({"returns": none()}, id="returns-none-explicitly"),
    ],
)
def test_before_request_hook_returning_none_lets_the_request_continue(observe, does):
    """A before-request hook that returns None lets the remaining before-request hooks and then the
    view run."""
    x = observe(scenario(before("b1", **does), before("b2"), view(returns=response("view")))).only
    same(x.order(), ["b1", "b2", "index"], "call order")
    same(x.text, "view", "body sent")


def sent(x: Exchange) -> tuple[int, list[tuple[str, str]], bytes]:
    """What the client got: status, headers (in a stable order) and body."""
    return x.status, sorted(x.headers), x.body


@clause("short-circuit.before.value-converted-like-view")
@pytest.mark.parametrize(
    "returned",
    [
        pytest.param(string("made"), id="str"),
        pytest.param(bytes_("made"), id="bytes"),
        pytest.param(json_dict({"answer": 42}), id="dict"),
        pytest.param(response("made", 201), id="body-status"),
        pytest.param(tuple_(string("made"), "203 NON-AUTHORITATIVE"), id="body-status-string"),
        pytest.param(tuple_(string("made"), {"X-Hook": "b"}), id="body-headers"),
        pytest.param(tuple_(json_dict({"a": 1}), 202, [["X-Hook", "b"]]), id="dict-status-pairs"),
        pytest.param(response("own", 202, {"X-Own": "yes"}), id="response-object"),
    ],
)
def test_before_request_hook_value_gives_the_response_a_view_would(observe, returned):
    """A value returned by a before-request hook is turned into a response by the same rules as a
    view's return value, so a dict becomes JSON and a tuple can set the status and headers."""
    # The hook's value is sent exactly as the same value returned by a view would be.
    from_view = observe(scenario(view(returns=returned))).only
    from_hook = observe(scenario(before("b", returns=returned), view(returns=string("view")))).only
    same(sent(from_hook), sent(from_view), "response sent (before-request hook vs view)")


@clause("short-circuit.before.after-hooks-run")
def test_after_request_hook_runs_on_a_short_circuit_response(observe):
    """The response made from a before-request hook's value is handed through the after-request
    hooks, in reverse registration order, as a view's would be."""
    # An after-request hook runs on, and is handed, the 201 a before-request hook made.
    x = observe(
        scenario(
            after("a", probes=["response.status"]),
            before("b", returns=response("early", 201)),
            view(),
        )
    ).only
    same(x.order(), ["b", "a"], "call order")
    same(x.seen("a", "response.status"), 201, "status handed to the after-request hook")


@clause("short-circuit.before.after-hooks-run")
def test_after_request_hook_can_replace_a_short_circuit_response(observe):
    """The response made from a before-request hook's value is handed through the after-request
    hooks, in reverse registration order, as a view's would be."""
    # The response an after-request hook returns replaces the one a before-request hook made.
    x = observe(
        scenario(
            after("a", returns=response("replaced", 202)),
            before("b", returns=response("early")),
            view(),
        )
    ).only
    same((x.status, x.text), (202, "replaced"), "response sent")


@clause("short-circuit.before.teardown-runs")
def test_teardown_runs_without_an_exception_after_a_short_circuit(observe):
    """Teardown-request hooks still run after a before-request hook short-circuits the request, and
    are handed no exception."""
    x = observe(
        scenario(
            teardown("t", probes=["exception"]),
            after("a"),
            before("b", returns=response("early")),
            view(),
        )
    ).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(x.seen("t", "exception"), None, "exception handed to the teardown hook")


@clause("short-circuit.before.preempts-routing-error")
@pytest.mark.parametrize(
    "request_",
    [
        pytest.param(call("/missing"), id="no-such-url-404"),
        pytest.param(call("/", "POST"), id="wrong-method-405"),
    ],
)
def test_before_request_hook_value_preempts_the_routing_error(observe, request_):
    """On a request that matches no route, a before-request hook that returns a value produces the
    response, and the routing error (404 or 405) is never raised."""
    x = observe(
        scenario(before("b", returns=response("early")), after("a"), view(), requests=[request_])
    ).only
    same(x.order(), ["b", "a"], "call order")
    same((x.status, x.text), (200, "early"), "response sent")


@clause("short-circuit.url-value-preprocessor.return-ignored")
@pytest.mark.parametrize(
    "returned",
    [
        pytest.param(response("ignored"), id="str"),
        pytest.param(json_dict({"ignored": True}), id="dict"),
        pytest.param(response("ignored", 418), id="tuple-with-status"),
    ],
)
def test_url_value_preprocessor_return_value_is_ignored(observe, returned):
    """The return value of a URL value preprocessor is ignored: it never replaces the response, and
    the before-request hooks and the view still run."""
    x = observe(
        scenario(
            url_value_preprocessor("u", returns=returned),
            before("b"),
            view("item", "/items/{name}", returns=response("view")),
            requests=[call("/items/x")],
        )
    ).only
    same(x.order(), ["u", "b", "item"], "call order")
    same((x.status, x.text), (200, "view"), "response sent")
