"""HTTP errors as the framework has them: a handler for their base class, status codes
without a class, and the 500 error's original exception (clauses of the errors area)."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import call, error_handler, response, scenario, view


@clause("errors.http-base.handles-every-http-error")
@pytest.mark.parametrize(
    ("view_does", "request_", "status", "order"),
    [
        pytest.param({"aborts": 403}, call("/"), 403, ["index", "h"], id="abort-403"),
        pytest.param({"aborts": 410}, call("/"), 410, ["index", "h"], id="abort-410"),
        pytest.param({"aborts": 503}, call("/"), 503, ["index", "h"], id="abort-503"),
        pytest.param({}, call("/missing"), 404, ["h"], id="no-such-url-404"),
        pytest.param({}, call("/", "POST"), 405, ["h"], id="wrong-method-405"),
        pytest.param({}, call("/", "DELETE"), 405, ["h"], id="wrong-method-DELETE-405"),
    ],
)
def test_a_handler_for_the_http_error_base_class_handles_every_http_error(
    observe, view_does, request_, status, order
):
    """An error handler registered for the base class of HTTP errors handles every HTTP error,
    whether raised with abort or by routing, and is handed it."""
    x = observe(
        scenario(
            error_handler("h", "HTTPException", probes=["exception"], returns=response("h")),
            view(**view_does),
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")
    same((x.seen("h", "exception"), x.text), (status, "h"), "error handed, and body sent")


@clause("errors.http-base.status-handler-first")
@pytest.mark.parametrize(
    "status_first",
    [pytest.param(True, id="status-handler-first"), pytest.param(False, id="base-handler-first")],
)
@pytest.mark.parametrize(
    ("code", "view_does", "request_"),
    [
        pytest.param(403, {"aborts": 403}, call("/"), id="abort-403"),
        pytest.param(404, {}, call("/missing"), id="no-such-url-404"),
    ],
)
def test_a_status_handler_takes_an_http_error_before_the_base_class_handler(
    observe, status_first, code, view_does, request_
):
    """A handler registered for an HTTP error's status code takes that error before a handler
    registered for the base class of HTTP errors."""
    handlers = [
        error_handler("by-status", code, returns=response("by-status", code)),
        error_handler("by-base", "HTTPException", returns=response("by-base", code)),
    ]
    x = observe(
        scenario(*(handlers if status_first else handlers[::-1]), view(**view_does),
                 requests=[request_])
    ).only  # fmt: skip
    same(x.text, "by-status", "handler whose body was sent")


@clause("errors.http-base.handed-internal-server-error")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError"])
def test_an_unhandled_exception_reaches_the_base_class_handler_as_a_500(observe, exception):
    """An exception no handler takes reaches a handler registered for the base class of HTTP
    errors as a 500 error."""
    x = observe(
        scenario(
            error_handler("h", "HTTPException", probes=["exception"], returns=response("h", 500)),
            view(raises=exception),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same((x.seen("h", "exception"), x.text), (500, "h"), "error handed, and body sent")


@clause("errors.abort.unknown-status-lookup-error")
@pytest.mark.parametrize("status", [419, 499, 599])
def test_abort_with_a_status_without_a_class_raises_lookup_error(observe, status):
    """abort with a status code that has no HTTP error class raises a LookupError, which error
    handlers can take."""
    x = observe(
        scenario(
            error_handler("h", "LookupError", probes=["exception"], returns=response("h")),
            view(aborts=status),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception"), "LookupError", "exception handed to the handler")


@clause("errors.internal.original-exception")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError", "ZeroDivisionError"])
def test_the_500_error_carries_the_unhandled_exception(observe, exception):
    """The 500 error handed to a 500 handler for an unhandled exception carries that exception
    as its original exception."""
    x = observe(
        scenario(
            error_handler("h", 500, probes=["exception.original"], returns=response("h", 500)),
            view(raises=exception),
        )
    ).only
    same(x.seen("h", "exception.original"), exception, "original exception of the 500 error")


@clause("errors.internal.no-original-for-abort")
def test_the_500_error_of_abort_carries_no_original_exception(observe):
    """The 500 error raised with abort(500) and handed to a 500 handler carries no original
    exception."""
    x = observe(
        scenario(
            error_handler("h", 500, probes=["exception.original"], returns=response("h", 500)),
            view(aborts=500),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception.original"), None, "original exception of the 500 error")
