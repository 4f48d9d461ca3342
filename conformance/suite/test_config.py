"""App configuration: what testing and debug modes, exception propagation, trapping of
HTTP errors, a missing secret key, the server name and automatic OPTIONS turned off do
to the lifecycle."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    call,
    error_handler,
    response,
    scenario,
    signal,
    teardown,
    view,
)

# The ways an app is told to let unhandled exceptions through.
PROPAGATING = [
    pytest.param({"testing": True}, id="testing"),
    pytest.param({"debug": True}, id="debug"),
    pytest.param({"propagate_exceptions": True}, id="propagate-exceptions"),
]


@clause("config.testing.propagates-unhandled-exception")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError"])
def test_testing_mode_reraises_an_unhandled_exception(observe, exception):
    """In testing mode, an exception no error handler takes is re-raised into the server or test
    client instead of becoming a 500 response."""
    x = observe(scenario(view(raises=exception), config={"testing": True})).only
    same(x.escaped, exception, "exception that escaped to the server")


@clause("config.debug.propagates-unhandled-exception")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError"])
def test_debug_mode_reraises_an_unhandled_exception(observe, exception):
    """In debug mode, an exception no error handler takes is re-raised into the server or test
    client instead of becoming a 500 response."""
    x = observe(scenario(view(raises=exception), config={"debug": True})).only
    same(x.escaped, exception, "exception that escaped to the server")


@clause("config.propagate.on-propagates-unhandled-exception")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError"])
def test_propagation_on_reraises_an_unhandled_exception(observe, exception):
    """With exception propagation switched on, outside testing and debug modes, an exception no
    error handler takes is re-raised into the server or test client."""
    config = {"propagate_exceptions": True, "testing": False, "debug": False}
    x = observe(scenario(view(raises=exception), config=config)).only
    same(x.escaped, exception, "exception that escaped to the server")


@clause("config.propagate.off-overrides-testing")
@pytest.mark.parametrize("mode", ["testing", "debug"])
def test_propagation_off_gives_a_500_in_testing_mode(observe, mode):
    """With exception propagation switched off, an exception no error handler takes gives a 500
    response even in testing mode."""
    config = {mode: True, "propagate_exceptions": False}
    x = observe(scenario(view(raises="ValueError"), config=config)).only
    same((x.status, x.escaped), (500, None), "status sent, and nothing escaped")


@clause("config.propagate.skips-500-handler")
@pytest.mark.parametrize("config", PROPAGATING)
def test_a_propagating_exception_is_not_handed_to_the_500_handler(observe, config):
    """When an unhandled exception propagates, no handler for 500 errors is called."""
    x = observe(
        scenario(
            error_handler("h500", 500, returns=response("handled", 500)),
            view(raises="ValueError"),
            config=config,
        )
    ).only
    same(x.order(), ["index"], "call order")


@clause("config.propagate.signal-still-sent")
@pytest.mark.parametrize("config", PROPAGATING)
def test_got_request_exception_is_sent_for_a_propagating_exception(observe, config):
    """When an unhandled exception propagates, got_request_exception is still sent, handed that
    exception."""
    x = observe(
        scenario(
            signal("s", "got_request_exception", probes=["exception"]),
            view(raises="KeyError"),
            config=config,
        )
    ).only
    same(x.order(), ["index", "s"], "call order")
    same(x.seen("s", "exception"), "KeyError", "exception handed to the receiver")


@clause("config.propagate.teardown-handed-exception")
@pytest.mark.parametrize("config", PROPAGATING)
def test_teardown_is_handed_a_propagating_exception(observe, config):
    """When an unhandled exception propagates, the teardown-request hooks still run and are
    handed that exception."""
    x = observe(
        scenario(teardown("t", probes=["exception"]), view(raises="KeyError"), config=config)
    ).only
    same(x.order(), ["index", "t"], "call order")
    same(x.seen("t", "exception"), "KeyError", "exception handed to the teardown hook")


@clause("config.propagate.debug-teardown-deferred")
def test_debug_mode_keeps_the_context_of_a_propagating_exception(observe):
    """In debug mode, when an unhandled exception propagates, the request context is kept: the
    teardown-request hooks are not called by the end of the request."""
    x = observe(scenario(teardown("t"), view(raises="KeyError"), config={"debug": True})).only
    same((x.order(), x.escaped), (["index"], "KeyError"), "call order, and what escaped")


@clause("config.propagate.http-errors-still-answered")
@pytest.mark.parametrize("config", PROPAGATING)
@pytest.mark.parametrize(
    ("view_does", "request_", "status"),
    [
        pytest.param({"aborts": 403}, call("/"), 403, id="abort-403"),
        pytest.param({"aborts": 500}, call("/"), 500, id="abort-500"),
        pytest.param({}, call("/missing"), 404, id="no-such-url-404"),
        pytest.param({}, call("/", "DELETE"), 405, id="wrong-method-405"),
    ],
)
def test_http_errors_are_answered_when_exceptions_propagate(
    observe, config, view_does, request_, status
):
    """When exceptions propagate, an HTTP error raised with abort or by routing is still
    answered with its own status, not re-raised."""
    x = observe(scenario(view(**view_does), requests=[request_], config=config)).only
    same((x.status, x.escaped), (status, None), "status sent, and nothing escaped")


@clause("config.trap-http.unhandled-gives-500")
@pytest.mark.parametrize(
    ("view_does", "request_"),
    [
        pytest.param({"aborts": 403}, call("/"), id="abort-403"),
        pytest.param({"aborts": 404}, call("/"), id="abort-404"),
        pytest.param({}, call("/missing"), id="no-such-url-404"),
        pytest.param({}, call("/", "PUT"), id="wrong-method-405"),
    ],
)
def test_a_trapped_http_error_without_a_handler_gives_500(observe, view_does, request_):
    """With trapping of HTTP errors on and exceptions not propagating, an HTTP error no handler
    takes is handled as an unhandled exception: the response is a 500."""
    x = observe(
        scenario(view(**view_does), requests=[request_], config={"trap_http_exceptions": True})
    ).only
    same((x.status, x.escaped), (500, None), "status sent, and nothing escaped")


@clause("config.trap-http.escapes-in-testing")
@pytest.mark.parametrize(
    ("view_does", "request_"),
    [
        pytest.param({"aborts": 403}, call("/"), id="abort-403"),
        pytest.param({}, call("/missing"), id="no-such-url-404"),
    ],
)
def test_a_trapped_http_error_escapes_in_testing_mode(observe, view_does, request_):
    """With trapping of HTTP errors on in testing mode, an HTTP error no handler takes is
    re-raised into the server or test client."""
    config = {"trap_http_exceptions": True, "testing": True}
    x = observe(scenario(view(**view_does), requests=[request_], config=config)).only
    same((x.status, x.escaped is not None), (500, True), "status, and whether it escaped")


@clause("config.trap-http.handler-still-handles")
@pytest.mark.parametrize(
    ("code", "view_does", "request_", "order"),
    [
        pytest.param(403, {"aborts": 403}, call("/"), ["index", "h"], id="abort-403"),
        pytest.param(404, {}, call("/missing"), ["h"], id="no-such-url-404"),
        pytest.param(405, {}, call("/", "POST"), ["h"], id="wrong-method-405"),
    ],
)
def test_a_trapped_http_error_still_goes_to_its_status_handler(
    observe, code, view_does, request_, order
):
    """With trapping of HTTP errors on, a handler registered for the error's status code still
    handles it."""
    x = observe(
        scenario(
            error_handler("h", code, returns=response("handled", code)),
            view(**view_does),
            requests=[request_],
            config={"trap_http_exceptions": True},
        )
    ).only
    same(x.order(), order, "call order")
    same((x.status, x.text), (code, "handled"), "response sent")


@clause("config.trap-bad-request.gives-500")
def test_a_trapped_bad_request_gives_500(observe):
    """With trapping of bad-request errors on, a 400 error no handler takes is handled as an
    unhandled exception: the response is a 500."""
    x = observe(scenario(view(aborts=400), config={"trap_bad_request_errors": True})).only
    same((x.status, x.escaped), (500, None), "status sent, and nothing escaped")


@clause("config.trap-bad-request.other-errors-answered")
@pytest.mark.parametrize(
    ("view_does", "request_", "status"),
    [
        pytest.param({"aborts": 401}, call("/"), 401, id="abort-401"),
        pytest.param({"aborts": 404}, call("/"), 404, id="abort-404"),
        pytest.param({}, call("/", "POST"), 405, id="wrong-method-405"),
    ],
)
def test_trapping_bad_requests_leaves_other_http_errors(observe, view_does, request_, status):
    """With trapping of bad-request errors on, HTTP errors other than 400 are still answered
    with their own status."""
    x = observe(
        scenario(view(**view_does), requests=[request_], config={"trap_bad_request_errors": True})
    ).only
    same(x.status, status, "status sent")


@clause("config.secret-key.missing-session-write-raises")
def test_setting_a_session_key_without_a_secret_key_raises(observe):
    """Without a secret key, setting a session key raises a RuntimeError, which error handlers
    can take."""
    x = observe(
        scenario(
            error_handler("h", "RuntimeError", probes=["exception"], returns=response("h")),
            view(set_session={"k": "v"}, returns=response("ok")),
            config={"secret_key": None},
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same((x.seen("h", "exception"), x.text), ("RuntimeError", "h"), "exception handled")


@clause("config.secret-key.missing-session-readable")
def test_the_session_is_readable_and_empty_without_a_secret_key(observe):
    """Without a secret key, the session can still be read, and it is empty."""
    x = observe(
        scenario(
            view(probes=["session.data"]),
            config={"secret_key": None},
            requests=[call("/", headers={"Cookie": "session=abc.def"})],
        )
    ).only
    same((x.status, x.seen("index", "session.data")), (200, {}), "status, and session read")


SERVER = "example.test"


@clause("config.server-name.own-host-served")
@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "DELETE"])
def test_a_request_for_the_server_name_is_routed(observe, method):
    """With a server name set, a request whose Host is that server name is routed as usual."""
    x = observe(
        scenario(
            view(methods=[method], probes=["endpoint"]),
            requests=[call("/", method, headers={"Host": SERVER})],
            config={"server_name": SERVER},
        )
    ).only
    same((x.status, x.seen("index", "endpoint")), (200, "index"), "status, and endpoint")


@clause("config.server-name.other-host-not-found")
def test_a_request_for_another_host_is_not_found(observe):
    """With a server name set, a request whose Host is another name matches no route: the
    response is a 404."""
    x = observe(
        scenario(
            view(),
            requests=[call("/", headers={"Host": "other.test"})],
            config={"server_name": SERVER},
        )
    ).only
    same((x.order(), x.status), ([], 404), "call order, and status")


@clause("config.server-name.other-host-served")
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_for_another_host_is_routed(observe, method):
    """With a server name set, a request whose Host is another name is still routed as usual:
    the server name does not restrict the hosts served."""
    x = observe(
        scenario(
            view(methods=[method], probes=["endpoint"]),
            requests=[call("/", method, headers={"Host": "other.test"})],
            config={"server_name": SERVER},
        )
    ).only
    same((x.status, x.seen("index", "endpoint")), (200, "index"), "status, and endpoint")


@clause("config.options.opt-out-gives-405")
@pytest.mark.parametrize("methods", [["GET"], ["POST"], ["PUT", "DELETE"]], ids="-".join)
def test_options_on_a_route_without_automatic_options_is_not_allowed(observe, methods):
    """A route that turns automatic OPTIONS off answers an OPTIONS request with 405 Method Not
    Allowed, without calling its view."""
    x = observe(
        scenario(view(methods=methods, automatic_options=False), requests=[call("/", "OPTIONS")])
    ).only
    same((x.order(), x.status), ([], 405), "call order, and status")


@clause("config.options.opt-out-allow-header")
@pytest.mark.parametrize(
    ("methods", "allowed"),
    [
        pytest.param(["GET"], {"GET", "HEAD"}, id="GET"),
        pytest.param(["POST"], {"POST"}, id="POST"),
        pytest.param(["PUT", "DELETE"], {"PUT", "DELETE"}, id="PUT-DELETE"),
    ],
)
def test_the_405_to_options_lists_the_route_methods(observe, methods, allowed):
    """The 405 answer to OPTIONS on a route that turns automatic OPTIONS off lists in Allow the
    route's methods (and HEAD with GET), without OPTIONS."""
    x = observe(
        scenario(view(methods=methods, automatic_options=False), requests=[call("/", "OPTIONS")])
    ).only
    allow = {m.strip() for m in (x.header("Allow") or "").split(",") if m.strip()}
    same(allow, allowed, "methods in the Allow header")
