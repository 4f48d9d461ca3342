"""Wrapping middleware: the order layers run in, answering early, and what each
layer is handed on the way out."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    response,
    scenario,
    teardown,
    view,
    wrap,
)

SEES_STATUS = {"probes": ["response.status"]}


@clause("wrap.order.first-added-outermost")
def test_wrapping_layers_nest_in_the_order_they_were_added(observe):
    """Wrapping middleware layers run nested in the order they were added: each enters before the
    next one and exits after it, the first added outermost."""
    # Three layers m1, m2, m3 enter in that order around the view and exit in reverse.
    x = observe(scenario(wrap("m1"), wrap("m2"), wrap("m3"), view())).only
    same(
        x.order(),
        ["m1", "m2", "m3", "index", "m3/exit", "m2/exit", "m1/exit"],
        "call order",
    )


@clause("wrap.encloses-the-lifecycle")
def test_a_wrapping_layer_encloses_the_hooks_and_the_view(observe):
    """A wrapping middleware layer enters before any pre-dispatch hook and the view run, and exits
    only after the post-dispatch and finally-stage hooks have run."""
    x = observe(
        scenario(
            wrap("m"),
            before("b", observer=True),
            after("a", observer=True),
            teardown("t", observer=True),
            view(),
        )
    ).only
    same(x.order(), ["m", "b", "index", "a", "t", "m/exit"], "call order")


@clause("wrap.answer.skips-inner-layers")
def test_a_layer_answering_early_skips_everything_inside_it(observe):
    """A wrapping middleware layer that answers without calling the next layer sends its own
    response: no inner layer, hook or view runs, and the layers outside it are handed that
    response."""
    # m2 answers 203 without calling m3: m3, hooks and view never run; m1 and the client get it.
    x = observe(
        scenario(
            wrap("m1", then=SEES_STATUS),
            wrap("m2", returns=response("early", 203)),
            wrap("m3"),
            before("b", observer=True),
            view(),
        )
    ).only
    same(x.order(), ["m1", "m2", "m1/exit"], "call order")
    same(x.seen("m1/exit", "response.status"), 203, "status handed to the outer layer")
    same((x.status, x.text), (203, "early"), "response sent")


@clause("wrap.exit.handed-inner-response")
def test_a_layer_is_handed_the_views_response_on_the_way_out(observe):
    """On the way out, a wrapping middleware layer is handed the response the inner layers
    produced."""
    # A view answering 201 hands its response to both layers' way out.
    x = observe(
        scenario(
            wrap("m1", then=SEES_STATUS),
            wrap("m2", then=SEES_STATUS),
            view(returns=response("made", 201)),
        )
    ).only
    same(
        (x.seen("m2/exit", "response.status"), x.seen("m1/exit", "response.status")),
        (201, 201),
        "status handed to m2, then m1",
    )


@clause("wrap.exit.replaces-response")
def test_a_response_given_on_the_way_out_replaces_the_inner_one(observe):
    """A response a wrapping middleware layer gives on the way out replaces the inner response, for
    the client and for the layers outside it."""
    # m2 replaces the view's response with a 202: m1 is handed the 202, the client gets it.
    x = observe(
        scenario(
            wrap("m1", then=SEES_STATUS),
            wrap("m2", then={"returns": response("replaced", 202)}),
            view(),
        )
    ).only
    same(x.seen("m1/exit", "response.status"), 202, "status handed to the outer layer")
    same((x.status, x.text), (202, "replaced"), "response sent")


@clause("wrap.exit.handed-routing-error-response")
@pytest.mark.parametrize(
    ("request_", "status"),
    [
        pytest.param(call("/missing"), 404, id="no-such-url-404"),
        pytest.param(call("/", "DELETE"), 405, id="wrong-method-405"),
    ],
)
def test_a_layer_is_handed_the_routing_error_response(observe, request_, status):
    """A request that matches no route reaches the wrapping middleware layers' way out as the
    framework's 404 response."""
    # So is a 405 for a refused method: the way out is handed the error response.
    x = observe(scenario(wrap("m", then=SEES_STATUS), view(), requests=[request_])).only
    same(x.order(), ["m", "m/exit"], "call order")
    same((x.seen("m/exit", "response.status"), x.status), (status, status), "status")


@clause("wrap.exit.handed-500-of-unhandled-exception")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError"])
def test_a_layer_is_handed_the_500_of_an_unhandled_exception(observe, exception):
    """An exception no error handler takes reaches the wrapping middleware layers' way out as the
    framework's 500 response, not as the exception."""
    # And nothing escapes to the server.
    x = observe(scenario(wrap("m", then=SEES_STATUS), view(raises=exception))).only
    same(x.order(), ["m", "index", "m/exit"], "call order")
    same(x.seen("m/exit", "response.status"), 500, "status handed to the layer")
    same((x.status, x.escaped), (500, None), "status sent, and nothing escaped")


@clause("wrap.exit.handed-error-handler-response")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(404, {"aborts": 404}, id="status-handler"),
    ],
)
def test_a_layer_is_handed_the_error_handlers_response(observe, handles, view_does):
    """The response an error handler made for an exception is what the wrapping middleware layers
    are handed on the way out."""
    # The 418 an error handler answers with is what the layer's way out is handed.
    x = observe(
        scenario(
            wrap("m", then=SEES_STATUS),
            error_handler("h", handles, returns=response("handled", 418)),
            view(**view_does),
        )
    ).only
    same(x.order(), ["m", "index", "h", "m/exit"], "call order")
    same(x.seen("m/exit", "response.status"), 418, "status handed to the layer")
