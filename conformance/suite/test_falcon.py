"""Falcon's own promises: its middleware stack (process_request before routing,
process_resource after it, process_response in reverse), resp.complete, and how
the stack unwinds after an exception.  In the neutral vocabulary: before is
process_request, url_value_preprocessor process_resource, after process_response."""

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    response,
    scenario,
    url_value_preprocessor,
    view,
)


def item(*parts, path="/items/x"):
    """``parts`` and the route /items/{name} (endpoint ``item``), and one GET for ``path``."""
    return scenario(*parts, view("item", "/items/{name}"), requests=[call(path)])


@clause("falcon.middleware.stack-order")
def test_middleware_methods_run_as_a_stack_in_the_order_listed(observe):
    """Middleware methods run as a stack, in the order the components were listed: every
    process_request method, then every process_resource method, then the responder, then every
    process_response method in reverse order."""
    # Listed b1, u1, a1, b2, u2, a2: the kinds of method apart, each kind in list order.
    x = observe(
        item(
            before("b1"),
            url_value_preprocessor("u1"),
            after("a1"),
            before("b2"),
            url_value_preprocessor("u2"),
            after("a2"),
        )
    ).only
    same(x.order(), ["b1", "b2", "u1", "u2", "item", "a2", "a1"], "call order")


@clause("falcon.short-circuit.process-request-complete")
def test_process_request_setting_complete_skips_the_rest_but_not_process_response(observe):
    """A process_request method that sets resp.complete skips the remaining process_request
    methods, every process_resource method and the responder, while every process_response method
    still runs, and the response it set is sent."""
    # process_response runs for components listed both before and after the one that answered.
    x = observe(
        item(
            after("a1"),
            before("b1"),
            before("b2", returns=response("early", 201)),
            before("b3"),
            url_value_preprocessor("u"),
            after("a2", probes=["response.status"]),
        )
    ).only
    same(x.order(), ["b1", "b2", "a2", "a1"], "call order")
    same((x.status, x.text, x.seen("a2", "response.status")), (201, "early", 201), "response")


@clause("falcon.short-circuit.process-resource-complete")
def test_process_resource_setting_complete_skips_the_responder_but_not_process_response(observe):
    """A process_resource method that sets resp.complete skips the remaining process_resource
    methods and the responder, while every process_response method still runs, and the response it
    set is sent."""
    x = observe(
        item(
            url_value_preprocessor("u1", returns=response("early", 202)),
            url_value_preprocessor("u2"),
            after("a", probes=["response.status"]),
        )
    ).only
    same(x.order(), ["u1", "a"], "call order")
    same((x.status, x.text, x.seen("a", "response.status")), (202, "early", 202), "response")


@clause("falcon.process-resource.only-when-routed")
def test_process_resource_is_not_called_when_no_route_matches(observe):
    """process_resource methods are called only when the request matches a route: for a request
    that matches none, the process_request and process_response methods run, and the request gets a
    404."""
    x = observe(item(before("b"), url_value_preprocessor("u"), after("a"), path="/missing")).only
    same(x.order(), ["b", "a"], "call order")
    same(x.status, 404, "status")


@clause("falcon.exceptions.process-request-raises-unwinds")
def test_process_request_raising_goes_to_its_handler_and_unwinds_every_process_response(observe):
    """When a process_request method raises, the error handler for the exception's class is
    called, the remaining process_request and process_resource methods and the responder are
    skipped, and every process_response method still runs."""
    # Also the process_response of components listed after the one that raised.
    x = observe(
        item(
            after("a1"),
            before("b1"),
            before("b2", raises="ValueError"),
            before("b3"),
            url_value_preprocessor("u"),
            after("a2"),
            error_handler("h", "ValueError", returns=response("handled", 409)),
        )
    ).only
    same(x.order(), ["b1", "b2", "h", "a2", "a1"], "call order")
    same(x.status, 409, "status")


@clause("falcon.exceptions.process-response-raises-continues")
def test_process_response_raising_goes_to_its_handler_and_the_rest_still_run(observe):
    """When a process_response method raises, the error handler for the exception's class is
    called, and then the remaining process_response methods run, handed the response the handler
    made."""
    x = observe(
        item(
            after("a1", probes=["response.status"]),
            after("a2", raises="ValueError"),
            error_handler("h", "ValueError", returns=response("handled", 409)),
        )
    ).only
    same(x.order(), ["item", "a2", "h", "a1"], "call order")
    same((x.seen("a1", "response.status"), x.status), (409, 409), "status handed on and sent")
