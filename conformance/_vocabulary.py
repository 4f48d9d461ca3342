"""The closed lists of the vocabulary, each declared once and named: stages
(request stages, signals, and the consequences no hook is registered for),
value forms (native answers and Flask's conversion forms), exceptions and
probes.  ``_model`` builds scenarios and observations from them."""

from __future__ import annotations

from typing import Literal, get_args

RequestStage = Literal[
    "wrap",  # wrapping middleware: code before and after the next layer (``then``)
    "url_value_preprocessor",  # sees the endpoint and URL values, before any pre-dispatch hook
    "before",  # pre-dispatch; answering here skips the view
    "view",  # the route's own function
    "after",  # post-dispatch; handed the response, hands one on
    "teardown",  # the finally stage: after the response whatever happened, handed the exception
    "teardown_app",  # end of the application context, after the finally stage
    "error_handler",  # registered for a status code or an exception class
]
Signal = Literal[  # receivers only record
    "request_started",
    "request_finished",  # handed the response
    "got_request_exception",  # handed the unhandled exception
    "request_tearing_down",  # handed the exception the finally stage gets
    "appcontext_pushed",
    "appcontext_tearing_down",  # handed the exception
    "appcontext_popped",
]
Consequence = Literal[  # events no hook is registered for: a behaviour caused them
    "wrap_exit",  # a wrapping layer after the next layer answered
    "after_this_request",  # a callback registered during the request, for it only
    "copied_context",  # a function run in another thread with a copied request context
    "stream",  # a chunk of a streamed body being produced
]
Stage = Literal[RequestStage, Signal, Consequence]
STAGES: tuple[str, ...] = get_args(Stage)
SIGNALS: tuple[str, ...] = get_args(Signal)
CONSEQUENCES: tuple[str, ...] = get_args(Consequence)
HOOK_STAGES: tuple[str, ...] = (*(s for s in get_args(RequestStage) if s != "view"), *SIGNALS)
# What a blueprint can register for its own routes (and, app_wide, for all).
BLUEPRINT_STAGES: tuple[str, ...] = (
    "url_value_preprocessor",
    "before",
    "after",
    "teardown",
    "error_handler",
)

NativeForm = Literal[  # answers built with the framework's own response types
    "text",  # a text response: data is the body
    "binary",  # a binary response: data is its text, encoded UTF-8
    "json",  # a JSON response holding data
    "stream",  # a streamed response of the strings in data, a "stream" event each
]
ConversionForm = Literal[  # Flask's return-value conversion: only the response.* clauses
    "str",  # a bare string
    "bytes",  # bare bytes (data is its text, encoded UTF-8)
    "dict",  # a mapping
    "list",  # a list, JSON since Flask 2.2
    "tuple",  # items: a body Value, then status and/or headers, as JSON
    "none",  # Python's None
    "int",  # an integer: a type no framework accepts as a response
    "generator",  # a bare generator yielding the strings in data, a "stream" event each
    "wsgi",  # a WSGI application answering status (default 200), text/plain, body data
]
Form = Literal[NativeForm, ConversionForm]
NATIVE_FORMS: tuple[str, ...] = get_args(NativeForm)
CONVERSION_FORMS: tuple[str, ...] = get_args(ConversionForm)
FORMS: tuple[str, ...] = get_args(Form)

# Exceptions a behaviour raises or a handler is registered for: builtins, so
# that a handler "for LookupError" catching a KeyError means the same everywhere,
# and a user-defined hierarchy defined once for every adapter.
ExceptionName = Literal[
    "Exception",
    "LookupError",
    "KeyError",
    "IndexError",
    "ValueError",
    "RuntimeError",
    "TypeError",
    "ZeroDivisionError",
    # area depth: a user-defined hierarchy (conformance/_user_exceptions.py),
    # MissingUserError <- NotFoundAppError <- AppError <- Exception
    "AppError",
    "NotFoundAppError",
    "MissingUserError",
]
EXCEPTIONS: tuple[str, ...] = get_args(ExceptionName)

# Context probes ask the framework; handed probes report what it handed the hook.
Probe = Literal[
    "request",  # bool: a request context is active (a request global works)
    "app",  # bool: an application context is active (current_app works)
    "session",  # bool: the session is usable
    "session.data",  # dict: the session's contents, or None when it is not available
    "g",  # dict: the per-request state, or None when it is not available
    "endpoint",  # the matched endpoint name, or None
    "view_args",  # the matched URL values, or None
    "blueprints",  # the blueprints of the matched endpoint, innermost first, or None
    "method",  # the request method
    "path",  # the request path
    "url_for",  # the URL built for endpoint "index", or "<ExceptionName>" if that fails
    "request.error",  # exception class raised by using the request global, or None
    "app.error",  # exception class raised by using the current_app proxy, or None
    "exception",  # handed: None, an HTTP error's status (int), or the exception's class name
    "response.status",  # handed: status code of the response handed to this hook
]
PROBES: tuple[str, ...] = get_args(Probe)
HANDED_PROBES: tuple[str, ...] = ("exception", "response.status")
