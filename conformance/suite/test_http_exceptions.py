"""HTTP exceptions as the framework has them: an abort's description and response, the 405's
valid methods, a handler returning the error it was handed, user-defined HTTP error classes, and
the registrations a framework refuses (clauses of the errors area)."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    handed_exception,
    register,
    response,
    scenario,
    send,
    view,
)

DESCRIPTION = "the description of this error"


def described(status):
    """A view's keywords: abort with ``status`` and DESCRIPTION."""
    return {"aborts": status, "description": DESCRIPTION}


@clause("errors.abort.description-in-default-response")
@pytest.mark.parametrize("status", [403, 404, 410, 503])
def test_the_default_response_of_an_abort_carries_its_description(observe, status):
    """An HTTP error raised with abort and a description, when no handler matches it, gives a
    response with that error's status code whose body carries the description."""
    x = observe(scenario(view(**described(status)))).only
    same((x.status, DESCRIPTION in x.text), (status, True), "status, and description in the body")


@clause("errors.abort.description-handed")
@pytest.mark.parametrize("status", [403, 404, 410])
def test_the_handler_is_handed_the_abort_description(observe, status):
    """The error handler for the status of an HTTP error raised with abort and a description is
    handed an error whose description is that description."""
    x = observe(
        scenario(
            error_handler("h", status, probes=["exception.description"], returns=response("h")),
            view(**described(status)),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception.description"), DESCRIPTION, "description of the handed error")


@clause("errors.method-not-allowed.valid-methods-handed")
@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        pytest.param(["GET"], {"GET", "HEAD", "OPTIONS"}, id="GET"),
        pytest.param(["GET", "POST"], {"GET", "HEAD", "POST", "OPTIONS"}, id="GET-POST"),
        pytest.param(["PUT"], {"PUT", "OPTIONS"}, id="PUT"),
    ],
)
def test_the_405_handler_is_handed_the_valid_methods(observe, features, methods, expected):
    """The 405 error of a request whose method the URL does not allow, handed to the handler for
    405, lists as its valid methods exactly the methods the URL allows."""
    # HEAD and OPTIONS among them only where the framework serves HEAD from a GET
    # route and answers OPTIONS itself (as routing.method-not-allowed.allow-header).
    if "automatic-head" not in features:
        expected = expected - {"HEAD"}
    if "automatic-options" not in features:
        expected = expected - {"OPTIONS"}
    x = observe(
        scenario(
            error_handler(
                "h405", 405, probes=["exception.valid_methods"], returns=response("h", 405)
            ),
            view("page", "/d", methods=methods),
            requests=[call("/d", "DELETE")],
        )
    ).only
    same(x.seen("h405", "exception.valid_methods"), sorted(expected), "valid methods handed")


@clause("errors.handler.returns-handed-http-error")
@pytest.mark.parametrize("status", [403, 410, 503])
def test_a_handler_returning_the_handed_error_gives_its_response(observe, status):
    """An error handler that returns the HTTP error it was handed gives that error's own
    response: its status code, and its description in the body."""
    x = observe(
        scenario(error_handler("h", status, returns=handed_exception()), view(**described(status)))
    ).only
    same(x.order(), ["index", "h"], "call order")
    same((x.status, DESCRIPTION in x.text), (status, True), "status, and description in the body")


# The user-defined HTTP error classes: conformance/_user_exceptions.py.
USER_CLASSES = [
    pytest.param("TeapotError", 418, "short and stout", id="418-TeapotError"),
    pytest.param(
        "UnassignedStatusError", 599, "a status with no class of its own",
        id="599-UnassignedStatusError",
    ),
]  # fmt: skip


@clause("errors.http-error-class.handler-for-class")
@pytest.mark.parametrize(("name", "status", "description"), USER_CLASSES)
def test_a_user_defined_http_error_goes_to_the_handler_for_its_class(
    observe, name, status, description
):
    """An HTTP error of a user-defined class with a status code and a description of its own,
    raised by a view, is handed to the handler registered for that class, with that
    description."""
    x = observe(
        scenario(
            error_handler(
                "h", name, probes=["exception", "exception.description"], returns=response("h")
            ),
            view(raises=name),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(
        (x.seen("h", "exception"), x.seen("h", "exception.description")),
        (status, description),
        "status and description of the handed error",
    )


@clause("errors.http-error-class.default-response")
@pytest.mark.parametrize(("name", "status", "description"), USER_CLASSES)
def test_a_user_defined_http_error_gives_its_own_response(observe, name, status, description):
    """An HTTP error of a user-defined class that no handler takes gives a response with the
    class's status code, even one that has no class of its own, and its description in the
    body."""
    x = observe(scenario(view(raises=name))).only
    same((x.status, description in x.text), (status, True), "status, and description in the body")


@clause("errors.http-error-class.status-handler-not-for-own-class")
def test_a_status_handler_does_not_take_a_user_class_with_that_status(observe):
    """A handler registered for a status code that has an HTTP error class of its own does not
    take an HTTP error of a user-defined class with that status code derived from the base class
    of HTTP errors, not from that code's class."""
    x = observe(
        scenario(error_handler("h418", 418, returns=response("h", 200)), view(raises="TeapotError"))
    ).only
    same(x.order(), ["index"], "call order")
    same(x.status, 418, "status")


ABORTED_WITH = response("from the aborting view", 409)


@clause("errors.abort.response-sent")
@pytest.mark.parametrize("where", ["view", "before"])
def test_abort_with_a_response_sends_it(observe, where):
    """abort with a response sends that response: its status code and its body."""
    if where == "view":
        app = scenario(view(aborts_with=ABORTED_WITH))
    else:
        app = scenario(before("b", aborts_with=ABORTED_WITH), view())
    x = observe(app).only
    same((x.status, x.text), (409, "from the aborting view"), "status and body")


@clause("errors.abort.response-skips-error-handlers")
@pytest.mark.parametrize("handles", [409, "HTTPException", "Exception"])
def test_abort_with_a_response_calls_no_error_handler(observe, handles):
    """abort with a response calls no error handler: not the one for the response's status code,
    nor the one for the base class of HTTP errors, nor the one for Exception."""
    x = observe(
        scenario(
            error_handler("h", handles, returns=response("by the handler", 409)),
            after("a", observer=True),
            view(aborts_with=ABORTED_WITH),
        )
    ).only
    same([e for e in x.order() if e != "a"], ["index"], "call order (no handler)")


def registering(handles, *, instance=False):
    """An app whose error handler for ``handles`` (an instance of that class, if
    ``instance``) is registered as a step before the one request."""
    hook = error_handler("h", handles, instance=instance, returns=response("h"))
    return scenario(view(), steps=[register("reg", hook), send()])


def registration_error(obs):
    """The class name of what registering raised (None: nothing), as the step recorded it."""
    seen = [e.seen for e in obs.steps if e.hook == "reg" and "error" in e.seen]
    return seen[-1]["error"] if seen else "<not recorded>"


@clause("errors.registration.unknown-status-key-error")
@pytest.mark.parametrize("status", [999, 299])
def test_registering_for_an_unknown_status_raises_key_error(observe, status):
    """Registering an error handler for a status code that has no HTTP error class raises a
    KeyError at registration."""
    same(registration_error(observe(registering(status))), "KeyError", "what registering raised")


@clause("errors.registration.unknown-status-value-error")
@pytest.mark.parametrize("status", [999, 299])
def test_registering_for_an_unknown_status_raises_value_error(observe, status):
    """Registering an error handler for a status code that has no HTTP error class raises a
    ValueError at registration."""
    same(registration_error(observe(registering(status))), "ValueError", "what registering raised")


@clause("errors.registration.instance-type-error")
@pytest.mark.parametrize("name", ["ValueError", "AppError"])
def test_registering_for_an_exception_instance_raises_type_error(observe, name):
    """Registering an error handler for an instance of an exception class that is not an HTTP
    error, instead of the class, raises a TypeError at registration."""
    obs = observe(registering(name, instance=True))
    same(registration_error(obs), "TypeError", "what registering raised")


@clause("errors.registration.http-error-instance-value-error")
def test_registering_for_an_http_error_instance_raises_value_error(observe):
    """Registering an error handler for an instance of an HTTP error class, instead of the class,
    raises a ValueError at registration."""
    obs = observe(registering("TeapotError", instance=True))
    same(registration_error(obs), "ValueError", "what registering raised")


@clause("errors.registration.http-error-instance-type-error")
def test_registering_for_an_http_error_instance_raises_type_error(observe):
    """Registering an error handler for an instance of an HTTP error class, instead of the class,
    raises a TypeError at registration."""
    obs = observe(registering("TeapotError", instance=True))
    same(registration_error(obs), "TypeError", "what registering raised")
