"""Error handling: which handler takes an exception, and what the other hooks then see."""

import pytest

from conformance import Exchange, clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    json_dict,
    response,
    scenario,
    signal,
    string,
    teardown,
    teardown_app,
    tuple_,
    view,
)


@clause("errors.unhandled.internal-server-error")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError", "ZeroDivisionError", "Exception"])
def test_exception_no_handler_takes_gives_500(observe, exception):
    """An exception that no error handler takes gives a 500 Internal Server Error response."""
    # The view raises it, and no error handler is registered for it.
    x = observe(
        scenario(error_handler("h", "TypeError", observer=True), view(raises=exception))
    ).only
    same(x.order(), ["index"], "call order")
    same(x.status, 500, "status")


@clause("errors.abort.status-without-handler")
@pytest.mark.parametrize("status", [400, 403, 404, 410, 500])
def test_abort_without_a_handler_sends_its_status(observe, status):
    """An HTTP error raised with abort, when no handler matches it, becomes a response with that
    error's status code."""
    # abort(status) in a view, with no handler for it.
    x = observe(scenario(view(aborts=status))).only
    same(x.status, status, "status")


@clause("errors.handler.by-status-code")
@pytest.mark.parametrize(
    ("code", "view_does", "request_", "order"),
    [
        pytest.param(404, {"aborts": 404}, call("/"), ["index", "h"], id="abort-404"),
        pytest.param(403, {"aborts": 403}, call("/"), ["index", "h"], id="abort-403"),
        pytest.param(404, {}, call("/missing"), ["h"], id="no-such-url-404"),
        pytest.param(405, {}, call("/", "POST"), ["h"], id="wrong-method-405"),
    ],
)
def test_handler_registered_for_a_status_code_handles_errors_with_that_code(
    observe, code, view_does, request_, order
):
    """An error handler registered for an HTTP status code handles every HTTP error with that code,
    whether raised with abort or by routing."""
    x = observe(
        scenario(
            error_handler("other", 410, returns=response("other"), observer=True),
            error_handler("h", code, returns=response("handled", code)),
            view(**view_does),
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")
    same((x.status, x.text), (code, "handled"), "response sent")


@clause("errors.handler.by-exception-class")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError", "ZeroDivisionError"])
def test_handler_registered_for_an_exception_class_handles_it(observe, exception):
    """An error handler registered for an exception class handles that exception when a view raises
    it, and is handed the exception."""
    x = observe(
        scenario(
            error_handler("other", "TypeError", returns=response("other"), observer=True),
            error_handler("h", exception, probes=["exception"], returns=response("handled")),
            view(raises=exception),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception"), exception, "exception handed to the handler")
    same(x.text, "handled", "body sent")


@clause("errors.handler.by-class-mro")
@pytest.mark.parametrize(
    ("registered", "raised"),
    [
        pytest.param("LookupError", "KeyError", id="LookupError-catches-KeyError"),
        pytest.param("LookupError", "IndexError", id="LookupError-catches-IndexError"),
        pytest.param("Exception", "ValueError", id="Exception-catches-ValueError"),
    ],
)
def test_handler_for_a_base_class_handles_its_subclasses(observe, registered, raised):
    """An error handler registered for an exception class also handles exceptions of its
    subclasses."""
    x = observe(
        scenario(
            error_handler("h", registered, probes=["exception"], returns=response("handled")),
            view(raises=raised),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception"), raised, "exception handed to the handler")
    same(x.text, "handled", "body sent")


@clause("errors.handler.most-specific-class")
@pytest.mark.parametrize(
    "registered",
    [
        pytest.param(("Exception", "LookupError", "KeyError"), id="general-first"),
        pytest.param(("KeyError", "LookupError", "Exception"), id="specific-first"),
        pytest.param(("LookupError", "KeyError", "Exception"), id="specific-in-the-middle"),
    ],
)
def test_most_specific_class_handler_wins_whatever_the_registration_order(observe, registered):
    """When handlers exist for several classes in an exception's hierarchy, the one for the class
    nearest the exception's own handles it, whatever the registration order."""
    # With handlers for KeyError, LookupError and Exception, the KeyError one takes a KeyError.
    handlers = [error_handler(f"on-{name}", name, returns=response(name)) for name in registered]
    x = observe(scenario(*handlers, view(raises="KeyError"))).only
    same(x.order(), ["index", "on-KeyError"], "call order")
    same(x.text, "KeyError", "body sent")


@clause("errors.handler.code-before-class")
@pytest.mark.parametrize(
    "code_first",
    [pytest.param(True, id="code-handler-first"), pytest.param(False, id="class-handler-first")],
)
def test_status_code_handler_is_chosen_over_a_class_handler(observe, code_first):
    """For an HTTP error, a handler registered for its status code is chosen over any handler
    registered for an exception class, whatever the registration order."""
    # For abort(404), a handler for 404 is chosen over a handler for Exception.
    by_code = error_handler("by-code", 404, returns=response("by code"))
    by_class = error_handler("by-class", "Exception", returns=response("by class"))
    handlers = (by_code, by_class) if code_first else (by_class, by_code)
    x = observe(scenario(*handlers, view(aborts=404))).only
    same(x.order(), ["index", "by-code"], "call order")
    same(x.text, "by code", "body sent")


@clause("errors.handler.generic-exception-catches-http-errors")
@pytest.mark.parametrize(
    ("view_does", "request_", "exception", "order"),
    [
        pytest.param({"aborts": 404}, call("/"), 404, ["index", "h"], id="abort-404"),
        pytest.param({"aborts": 400}, call("/"), 400, ["index", "h"], id="abort-400"),
        pytest.param({}, call("/missing"), 404, ["h"], id="no-such-url-404"),
        pytest.param({}, call("/", "POST"), 405, ["h"], id="wrong-method-405"),
    ],
)
def test_handler_for_exception_also_handles_http_errors(
    observe, view_does, request_, exception, order
):
    """An error handler registered for Exception also handles HTTP errors, both those raised with
    abort and the 404 and 405 errors of routing."""
    x = observe(
        scenario(
            error_handler("h", "Exception", probes=["exception"], returns=response("caught")),
            view(**view_does),
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")
    same(x.seen("h", "exception"), exception, "exception handed to the handler")
    same(x.text, "caught", "body sent")


def sent(x: Exchange) -> tuple[int, list[tuple[str, str]], bytes]:
    """What the client got: status, headers (in a stable order) and body."""
    return x.status, sorted(x.headers), x.body


@clause("errors.handler.return-value-is-response")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(404, {"aborts": 404}, id="status-code-handler"),
        pytest.param(500, {"raises": "ValueError"}, id="500-handler"),
    ],
)
@pytest.mark.parametrize(
    "returned",
    [
        pytest.param(response("teapot", 418), id="body-status"),
        pytest.param(tuple_(string("teapot"), 418, {"X-Handler": "h"}), id="body-status-headers"),
        pytest.param(tuple_(json_dict({"error": "teapot"}), 418), id="dict-status"),
        pytest.param(response("teapot", 418, {"X-Handler": "h"}), id="response-object"),
    ],
)
def test_error_handler_value_gives_the_response_a_view_would(observe, handles, view_does, returned):
    """The value an error handler returns is turned into the response by the same rules as a view's
    return value, so a (body, status) tuple sets the status."""
    # The handler's value is sent exactly as the same value returned by a view would be.
    from_view = observe(scenario(view(returns=returned))).only
    from_handler = observe(
        scenario(error_handler("h", handles, returns=returned), view(**view_does))
    ).only
    same(sent(from_handler), sent(from_view), "response sent (error handler vs view)")


@clause("errors.handler.status-not-implied")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param(404, {"aborts": 404}, id="404-handler"),
        pytest.param(403, {"aborts": 403}, id="403-handler"),
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(500, {"raises": "ValueError"}, id="500-handler"),
    ],
)
def test_error_handler_returning_only_a_body_gives_status_200(observe, handles, view_does):
    """The response of an error handler that returns only a body has status 200, not the status of
    the error it handled."""
    x = observe(
        scenario(error_handler("h", handles, returns=response("sorry")), view(**view_does))
    ).only
    same(x.order(), ["index", "h"], "call order")
    same((x.status, x.text), (200, "sorry"), "response sent")


@clause("errors.handler.raising-is-unhandled")
def test_exception_raised_by_an_error_handler_is_not_handled_again(observe):
    """An exception raised by an error handler is not handed to the handler for its own class; it is
    treated as unhandled and gives a 500 response."""
    # A KeyError raised by the ValueError handler skips the KeyError handler and gives a 500.
    x = observe(
        scenario(
            error_handler("on-value", "ValueError", raises="KeyError"),
            error_handler("on-key", "KeyError", returns=response("second chance")),
            view(raises="ValueError"),
        )
    ).only
    same(x.order(), ["index", "on-value"], "call order")
    same(x.status, 500, "status")


@clause("errors.before.exception-handled")
@pytest.mark.parametrize(
    ("handles", "before_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="raises"),
        pytest.param(403, {"aborts": 403}, id="aborts"),
    ],
)
def test_exception_in_a_before_request_hook_goes_to_the_handler_and_skips_the_view(
    observe, handles, before_does
):
    """An exception raised by a before-request hook goes to the error handlers like one from a view,
    and the view is not called."""
    # Later before-request hooks are not called either.
    x = observe(
        scenario(
            before("b1", **before_does),
            before("b2"),
            error_handler("h", handles, returns=response("handled", 409)),
            after("a"),
            view(),
        )
    ).only
    same(x.order(), ["b1", "h", "a"], "call order")
    same((x.status, x.text), (409, "handled"), "response sent")


def unhandled_with_a_500_handler(exception):
    """A view raising ``exception``, a 500 handler, and a TypeError handler that must not
    be called."""
    return scenario(
        error_handler("other", "TypeError", returns=response("other"), observer=True),
        error_handler("h500", 500, probes=["exception"], returns=response("oops", 500)),
        view(raises=exception),
    )


@clause("errors.internal-server-error.handler")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError", "Exception"])
def test_500_handler_is_called_for_an_unhandled_exception(observe, exception):
    """A handler registered for status 500 is called for an exception no other handler takes."""
    # Its response is sent.
    x = observe(unhandled_with_a_500_handler(exception)).only
    same(x.order(), ["index", "h500"], "call order")
    same((x.status, x.text), (500, "oops"), "response sent")


@clause("errors.internal-server-error.handler-handed-http-500")
@pytest.mark.parametrize("exception", ["ValueError", "KeyError", "Exception"])
def test_500_handler_is_handed_an_internal_server_error(observe, exception):
    """A handler registered for status 500, called for an exception no other handler takes, is
    handed the HTTP 500 error rather than the original exception."""
    x = observe(unhandled_with_a_500_handler(exception)).only
    same(x.seen("h500", "exception"), 500, "exception handed to the 500 handler")


@clause("errors.after.run-on-handler-response")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(404, {"aborts": 404}, id="status-code-handler"),
        pytest.param(500, {"raises": "ValueError"}, id="500-handler"),
    ],
)
def test_after_request_hooks_run_on_the_error_handlers_response(observe, handles, view_does):
    """After-request hooks run on the response made from an error handler's return value."""
    x = observe(
        scenario(
            after("a", probes=["response.status"]),
            error_handler("h", handles, returns=response("handled", 418)),
            view(**view_does),
        )
    ).only
    same(x.order(), ["index", "h", "a"], "call order")
    same(x.seen("a", "response.status"), 418, "status handed to the after-request hook")


@clause("errors.after.run-on-internal-server-error")
@pytest.mark.parametrize(
    ("before_does", "view_does", "order"),
    [
        pytest.param({}, {"raises": "ValueError"}, ["b", "index", "a"], id="raised-by-view"),
        pytest.param({"raises": "ValueError"}, {}, ["b", "a"], id="raised-by-before-hook"),
    ],
)
def test_after_request_hooks_run_on_the_500_of_an_unhandled_exception(
    observe, before_does, view_does, order
):
    """After-request hooks run on the 500 response given for an exception no error handler took."""
    x = observe(
        scenario(
            before("b", **before_does),
            after("a", probes=["response.status"]),
            view(**view_does),
        )
    ).only
    same(x.order(), order, "call order")
    same(x.seen("a", "response.status"), 500, "status handed to the after-request hook")
    same(x.status, 500, "status sent")


@clause("errors.teardown.receives-unhandled-exception")
@pytest.mark.parametrize(
    ("before_does", "view_does", "order"),
    [
        pytest.param({}, {"raises": "KeyError"}, ["b", "index", "t"], id="raised-by-view"),
        pytest.param({"raises": "KeyError"}, {}, ["b", "t"], id="raised-by-before-hook"),
    ],
)
def test_teardown_is_handed_the_unhandled_exception(observe, before_does, view_does, order):
    """Teardown-request hooks are handed the exception that no error handler took."""
    x = observe(
        scenario(
            teardown("t", probes=["exception"]),
            before("b", **before_does),
            view(**view_does),
        )
    ).only
    same(x.order(), order, "call order")
    same(x.seen("t", "exception"), "KeyError", "exception handed to the teardown hook")


@clause("errors.teardown.handled-exception-not-passed")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(404, {"aborts": 404}, id="status-code-handler"),
    ],
)
def test_teardown_is_handed_none_when_a_handler_took_the_exception(observe, handles, view_does):
    """Teardown-request hooks are handed None when an error handler took the exception."""
    x = observe(
        scenario(
            teardown("t", probes=["exception"]),
            error_handler("h", handles, returns=response("handled")),
            view(**view_does),
        )
    ).only
    same(x.seen("t", "exception"), None, "exception handed to the teardown hook")


@clause("errors.teardown.http-error-not-passed")
@pytest.mark.parametrize(
    ("view_does", "request_", "order"),
    [
        pytest.param({"aborts": 403}, call("/"), ["index", "t"], id="abort-403"),
        pytest.param({}, call("/missing"), ["t"], id="no-such-url-404"),
    ],
)
def test_teardown_is_handed_none_for_an_http_error_without_handler(
    observe, view_does, request_, order
):
    """Teardown-request hooks are handed None for an HTTP error that no handler took, since the
    error itself is the response."""
    x = observe(
        scenario(teardown("t", probes=["exception"]), view(**view_does), requests=[request_])
    ).only
    same(x.order(), order, "call order")
    same(x.seen("t", "exception"), None, "exception handed to the teardown hook")


@clause("errors.teardown.original-exception-despite-500-handler")
def test_teardown_is_handed_the_original_exception_when_a_500_handler_answered(observe):
    """Teardown-request hooks are handed the original exception even when a handler for status 500
    produced the response for it."""
    # When a 500 handler answers an unhandled ValueError, teardown still gets the ValueError.
    x = observe(
        scenario(
            teardown("t", probes=["exception"]),
            error_handler("h500", 500, returns=response("oops", 500)),
            view(raises="ValueError"),
        )
    ).only
    same(x.order(), ["index", "h500", "t"], "call order")
    same(x.seen("t", "exception"), "ValueError", "exception handed to the teardown hook")


# How an after-request hook fails, and the exception class that makes.
AFTER_HOOK_FAILURES = [
    pytest.param({"raises": "ValueError"}, "ValueError", id="raises-ValueError"),
    pytest.param({"aborts": 403}, 403, id="aborts-403"),
]


# How an after-request hook fails, and a handler registered for what it raises.
AFTER_HOOK_FAILURES_AND_HANDLERS = [
    pytest.param({"raises": "ValueError"}, "ValueError", id="raises-ValueError"),
    pytest.param({"raises": "KeyError"}, "LookupError", id="raises-under-LookupError"),
    pytest.param({"aborts": 403}, 403, id="aborts-403"),
]


def failing_after_hook(fails, handles):
    """An after-request hook failing as ``fails`` says, and handler "h" for ``handles``."""
    return scenario(
        after("a", **fails),
        error_handler("h", handles, returns=response("handled", 409)),
        view(),
    )


@clause("errors.after.exception-gives-500")
@pytest.mark.parametrize(("fails", "handles"), AFTER_HOOK_FAILURES_AND_HANDLERS)
def test_exception_in_an_after_request_hook_gives_500(observe, fails, handles):
    """An exception raised by an after-request hook, even an HTTP error raised with abort, is
    treated as unhandled and gives a 500 response."""
    # A handler is registered for what the after-request hook raises (or aborts with).
    x = observe(failing_after_hook(fails, handles)).only
    same(x.status, 500, "status")


@clause("errors.after.exception-skips-error-handlers")
@pytest.mark.parametrize(("fails", "handles"), AFTER_HOOK_FAILURES_AND_HANDLERS)
def test_exception_in_an_after_request_hook_is_not_handed_to_its_handler(observe, fails, handles):
    """An exception raised by an after-request hook, even an HTTP error raised with abort, is not
    handed to the error handler registered for its class or status code."""
    # Neither a handler for its class, nor one for a base class, nor one for its status code.
    x = observe(failing_after_hook(fails, handles)).only
    same([h for h in x.order() if h == "h"], [], "error handler called")


@clause("errors.after.exception-skips-remaining-hooks")
@pytest.mark.parametrize(("fails", "exception"), AFTER_HOOK_FAILURES)
def test_after_request_hooks_due_after_a_failing_one_are_not_called(observe, fails, exception):
    """When an after-request hook raises an exception, the after-request hooks due to run after it
    are not called on the response it was handed."""
    # a3 runs, a2 raises, a1 is never called: not on the view's response nor on the 500 after.
    x = observe(
        scenario(
            after("a1"),
            after("a2", **fails),
            after("a3"),
            view(),
        )
    ).only
    same(x.order()[:3], ["index", "a3", "a2"], "call order up to the failing hook")
    same("a1" in x.order(), False, "a1 called")


@clause("errors.after.hooks-rerun-on-500")
@pytest.mark.parametrize(
    ("extra", "order", "sent"),
    [
        pytest.param((), ["index", "a2", "a1", "a2", "a1"], 500, id="no-500-handler"),
        pytest.param(
            (error_handler("h500", 500, returns=response("oops", 503)),),
            ["index", "a2", "a1", "h500", "a2", "a1"],
            503,
            id="500-handler",
        ),
    ],
)
def test_after_request_hooks_run_again_on_the_500_after_one_raised(observe, extra, order, sent):
    """After an after-request hook raised, the 500 response is passed through the after-request
    hooks again from the first; if a hook fails again on that pass, the failure is ignored and the
    500 response is sent as it stood."""
    # a1 raises; a2 and a1 run again on the 500, where a1's second failure is ignored.
    x = observe(
        scenario(
            after("a1", probes=["response.status"], raises="ValueError"),
            after("a2", probes=["response.status"]),
            *extra,
            view(),
        )
    ).only
    same(x.order(), order, "call order")
    same(
        [e.seen["response.status"] for e in x.trace if e.hook in ("a1", "a2")],
        [200, 200, sent, sent],
        "status handed to a2, a1, then a2, a1 again",
    )
    same((x.status, x.escaped), (sent, None), "status sent, and nothing escaped")


def teardowns_after_a_failing_after_hook(fails):
    """Teardown-request hook t and teardown-appcontext hook ta, probing the exception they
    are handed, after an after-request hook that fails as ``fails`` says."""
    return scenario(
        teardown_app("ta", probes=["exception"]),
        teardown("t", probes=["exception"]),
        after("a", **fails),
        view(),
    )


@clause("errors.teardown.receives-after-hook-exception")
@pytest.mark.parametrize(("fails", "exception"), AFTER_HOOK_FAILURES)
def test_teardown_hooks_are_handed_the_after_hook_exception(observe, fails, exception):
    """Teardown-request hooks are handed the exception an after-request hook raised."""
    x = observe(teardowns_after_a_failing_after_hook(fails)).only
    same(x.seen("t", "exception"), exception, "exception handed to the teardown-request hook")


@clause("errors.teardown-appcontext.receives-after-hook-exception")
@pytest.mark.parametrize(("fails", "exception"), AFTER_HOOK_FAILURES)
def test_teardown_appcontext_hooks_are_handed_the_after_hook_exception(observe, fails, exception):
    """Teardown-appcontext hooks are handed the exception an after-request hook raised."""
    x = observe(teardowns_after_a_failing_after_hook(fails)).only
    same(x.seen("ta", "exception"), exception, "exception handed to the teardown-appcontext hook")


@clause("errors.teardown-appcontext.receives-unhandled-exception")
@pytest.mark.parametrize(
    ("extra", "view_does", "order", "exception"),
    [
        pytest.param((), {"raises": "KeyError"}, ["index", "t", "ta"], "KeyError", id="unhandled"),
        pytest.param(
            (error_handler("h", "KeyError", returns=response("handled")),),
            {"raises": "KeyError"},
            ["index", "h", "t", "ta"],
            None,
            id="handled",
        ),
        pytest.param((), {"aborts": 404}, ["index", "t", "ta"], None, id="http-error"),
        pytest.param((), {}, ["index", "t", "ta"], None, id="no-error"),
    ],
)
def test_teardown_appcontext_is_handed_what_teardown_request_is(
    observe, extra, view_does, order, exception
):
    """Teardown-appcontext hooks are handed the same exception as the teardown-request hooks: the
    one no error handler took, or None when a handler took it."""
    x = observe(
        scenario(
            teardown_app("ta", probes=["exception"]),
            teardown("t", probes=["exception"]),
            *extra,
            view(**view_does),
        )
    ).only
    same(x.order(), order, "call order")
    same(
        {"t": x.seen("t", "exception"), "ta": x.seen("ta", "exception")},
        {"t": exception, "ta": exception},
        "exception handed to the teardown hooks",
    )


# An error handler that takes what the view raises, and the view.
HANDLER_ABORTS = [
    pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler-aborts"),
    pytest.param(404, {"aborts": 404}, id="404-handler-aborts"),
]


def handler_aborting_403(handles, view_does):
    """Handler "h" for what the view raises calls abort(403); a 403 handler, an after-request
    hook and a teardown hook look on."""
    return scenario(
        teardown("t", probes=["exception"]),
        after("a", probes=["response.status"]),
        error_handler("h403", 403, returns=response("forbidden", 403)),
        error_handler("h", handles, aborts=403),
        view(**view_does),
    )


@clause("errors.handler.abort-gives-500")
@pytest.mark.parametrize(("handles", "view_does"), HANDLER_ABORTS)
def test_abort_inside_an_error_handler_gives_500(observe, handles, view_does):
    """An HTTP error raised with abort inside an error handler is treated as unhandled and gives a
    500 response."""
    # A handler calls abort(403): the after-request hooks are handed the 500 the client gets.
    x = observe(handler_aborting_403(handles, view_does)).only
    same(
        {"sent": x.status, "after-hook": x.seen("a", "response.status")},
        {"sent": 500, "after-hook": 500},
        "status sent and handed to the after-request hook",
    )


@clause("errors.handler.abort-skips-error-handlers")
@pytest.mark.parametrize(("handles", "view_does"), HANDLER_ABORTS)
def test_abort_inside_an_error_handler_does_not_reach_the_status_code_handler(
    observe, handles, view_does
):
    """An HTTP error raised with abort inside an error handler is not handed to the handler for its
    status code."""
    # An error handler calling abort(403) does not reach the 403 handler.
    x = observe(handler_aborting_403(handles, view_does)).only
    same([h for h in x.order() if h == "h403"], [], "403 handler called")


@clause("errors.teardown.receives-error-handler-abort")
@pytest.mark.parametrize(("handles", "view_does"), HANDLER_ABORTS)
def test_teardown_is_handed_the_http_error_an_error_handler_aborted_with(
    observe, handles, view_does
):
    """When an error handler raises an HTTP error with abort, teardown-request hooks are handed that
    HTTP error."""
    # When an error handler calls abort(403), the teardown hook gets the 403 error.
    x = observe(handler_aborting_403(handles, view_does)).only
    same(x.seen("t", "exception"), 403, "exception handed to the teardown hook")


def failing_500_handler():
    """The view raises ValueError and the 500 handler raises KeyError, which has a handler
    of its own; an after-request hook and a teardown hook look on."""
    return scenario(
        teardown("t", probes=["exception"]),
        after("a"),
        error_handler("on-key", "KeyError", returns=response("second chance")),
        error_handler("h500", 500, raises="KeyError"),
        view(raises="ValueError"),
    )


@clause("errors.internal-server-error.handler-raising-escapes")
def test_exception_raised_by_the_500_handler_escapes_to_the_server(observe):
    """An exception raised by the handler for status 500 is not handled again: it propagates to the
    server, and no after-request hook runs."""
    # The 500 handler raises KeyError; neither the KeyError handler nor an after hook runs.
    x = observe(failing_500_handler()).only
    same([h for h in x.order() if h in ("on-key", "a")], [], "KeyError handler and after hook")
    same(x.escaped, "KeyError", "exception that escaped to the server")


@clause("errors.teardown.original-exception-when-500-handler-raises")
def test_teardown_is_handed_the_original_exception_when_the_500_handler_raised(observe):
    """When the handler for status 500 raises an exception, teardown-request hooks are handed the
    original unhandled exception, not the handler's."""
    # When the 500 handler raises a KeyError, teardown gets the view's ValueError.
    x = observe(failing_500_handler()).only
    same(x.seen("t", "exception"), "ValueError", "exception handed to the teardown hook")


def failing_teardown(*extra):
    """Teardown hooks t1, t2 (registered in that order, so t2 runs first) where t2
    raises ValueError, with handlers that must not be called."""
    return scenario(
        teardown("t1"),
        teardown("t2", raises="ValueError"),
        error_handler("h", "ValueError", returns=response("handled")),
        error_handler("h500", 500, returns=response("oops")),
        *extra,
        view(),
    )


@clause("errors.teardown.exception-escapes")
def test_exception_raised_by_a_teardown_hook_escapes_to_the_server(observe):
    """An exception raised by a teardown-request hook propagates to the server in place of the
    response."""
    # A ValueError raised by teardown hook t2 reaches the server.
    x = observe(failing_teardown()).only
    same(x.escaped, "ValueError", "exception that escaped to the server")


@clause("errors.teardown.exception-skips-error-handlers")
def test_exception_raised_by_a_teardown_hook_goes_to_no_error_handler(observe):
    """An exception raised by a teardown-request hook is not handled by the application: no error
    handler is called for it."""
    # Neither the ValueError handler nor the 500 handler is called for t2's ValueError.
    x = observe(failing_teardown()).only
    same([h for h in x.order() if h in ("h", "h500")], [], "error handlers called")


@clause("errors.teardown.exception-skips-remaining-teardown-hooks")
def test_teardown_hooks_due_after_a_failing_one_are_not_called(observe):
    """When a teardown-request hook raises an exception, the teardown-request hooks due to run after
    it are not called."""
    # t2 runs first and raises; t1, due after it, is not called.
    x = observe(failing_teardown()).only
    same(x.order(), ["index", "t2"], "call order")


def teardown_raising_before_app_teardown(view_does):
    """Teardown hook t2 raises ValueError; a teardown-appcontext hook and an
    appcontext_popped receiver look on."""
    return scenario(
        teardown("t2", raises="ValueError"),
        teardown_app("ta", probes=["exception", "app"]),
        signal("popped", "appcontext_popped", probes=["app"]),
        view(**view_does),
    )


@clause("errors.teardown.exception-app-context-still-ends")
@pytest.mark.parametrize(
    "view_does",
    [
        pytest.param({}, id="request-without-error"),
        pytest.param({"raises": "KeyError"}, id="request-with-unhandled-KeyError"),
    ],
)
def test_app_context_still_ends_after_a_teardown_hook_raised(observe, view_does):
    """When a teardown-request hook raises an exception, the application context still ends: the
    teardown-appcontext hooks run and the application context is left."""
    # After t2 raised, the teardown-appcontext hook runs, then the application context is left.
    x = observe(teardown_raising_before_app_teardown(view_does)).only
    same(x.order(), ["index", "t2", "ta", "popped"], "call order")
    same(
        {"ta": {"app": x.seen("ta", "app")}, "popped": {"app": x.seen("popped", "app")}},
        {"ta": {"app": True}, "popped": {"app": False}},
        "application context in the teardown-appcontext hook and the appcontext_popped receiver",
    )


@clause("errors.teardown.exception-appcontext-handed-request-exception")
@pytest.mark.parametrize(
    ("view_does", "exception"),
    [
        pytest.param({}, None, id="request-without-error"),
        pytest.param({"raises": "KeyError"}, "KeyError", id="request-with-unhandled-KeyError"),
    ],
)
def test_app_teardown_is_handed_the_requests_exception_after_a_teardown_hook_raised(
    observe, view_does, exception
):
    """When a teardown-request hook raises an exception, the teardown-appcontext hooks are handed
    the request's own unhandled exception, or None, rather than the teardown's."""
    # After t2 raised ValueError, ta is handed the request's KeyError (or None), not the ValueError.
    x = observe(teardown_raising_before_app_teardown(view_does)).only
    same(x.seen("ta", "exception"), exception, "exception handed to the teardown-appcontext hook")
