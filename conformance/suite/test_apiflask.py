"""APIFlask's own promises: HTTP errors answered as JSON, and handlers for a
status code chosen over that JSON error."""

import pytest

from conformance import clause
from conformance.checks import media_type, same
from conformance.scenarios import call, error_handler, response, scenario, view

JSON_TYPE = media_type("application/json")


@clause("apiflask.errors.abort-json")
@pytest.mark.parametrize(
    ("status", "message"),
    [
        pytest.param(404, "Not Found", id="abort-404"),
        pytest.param(403, "Forbidden", id="abort-403"),
        pytest.param(400, "Bad Request", id="abort-400"),
    ],
)
def test_abort_is_answered_with_a_json_error(observe, status, message):
    """An HTTP error raised with APIFlask's abort is answered with its status and a JSON body whose
    message is the status's reason phrase and whose detail is an empty object."""
    x = observe(scenario(view(aborts=status))).only
    same(
        (x.status, media_type(x.content_type), x.json()),
        (status, JSON_TYPE, {"message": message, "detail": {}}),
        "response",
    )


@clause("apiflask.errors.routing-json")
@pytest.mark.parametrize(
    ("request_", "status", "message"),
    [
        pytest.param(call("/missing"), 404, "Not Found", id="no-such-url-404"),
        pytest.param(call("/", "POST"), 405, "Method Not Allowed", id="wrong-method-405"),
    ],
)
def test_routing_errors_are_answered_with_a_json_error(observe, request_, status, message):
    """The 404 and 405 errors of routing are answered with a JSON body whose message is the status's
    reason phrase and whose detail is an empty object."""
    x = observe(scenario(view(), requests=[request_])).only
    same(
        (x.status, media_type(x.content_type), x.json()),
        (status, JSON_TYPE, {"message": message, "detail": {}}),
        "response",
    )


@clause("apiflask.errors.unhandled-json")
def test_an_unhandled_exception_is_answered_with_a_json_500(observe):
    """An unhandled exception is answered with a 500 response whose JSON body has the message
    Internal Server Error and an empty detail."""
    x = observe(scenario(view(raises="ValueError"))).only
    same(
        (x.status, media_type(x.content_type), x.json()),
        (500, JSON_TYPE, {"message": "Internal Server Error", "detail": {}}),
        "response",
    )


@clause("apiflask.errors.status-handler-over-json-error")
@pytest.mark.parametrize(
    ("view_does", "request_", "order"),
    [
        pytest.param({"aborts": 404}, call("/"), ["index", "h"], id="abort-404"),
        pytest.param({}, call("/missing"), ["h"], id="no-such-url-404"),
    ],
)
def test_a_status_code_handler_answers_instead_of_the_json_error(
    observe, view_does, request_, order
):
    """A handler registered for a status code answers the HTTP errors of that status instead of
    APIFlask's JSON error response, both those raised with abort and those of routing."""
    x = observe(
        scenario(
            error_handler("h", 404, returns=response("mine", 404)),
            view(**view_does),
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")
    same((x.status, x.text), (404, "mine"), "response")


@clause("apiflask.errors.json-error-keeps-headers")
def test_the_json_405_keeps_the_allow_header(observe):
    """The JSON response of a 405 error of routing keeps the error's Allow header, listing the
    methods the route serves."""
    x = observe(scenario(view(methods=["GET", "PUT"]), requests=[call("/", "POST")])).only
    allowed = sorted(m.strip() for m in (x.header("Allow") or "").split(","))
    same((x.status, media_type(x.content_type)), (405, JSON_TYPE), "status and content type")
    same(allowed, ["GET", "HEAD", "OPTIONS", "PUT"], "methods in Allow")
