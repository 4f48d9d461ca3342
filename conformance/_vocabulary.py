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
    "url_defaults",  # urls: called by url_for with the endpoint and values it builds, to fill them
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
    "step",  # steps area: a step the test itself took (Scenario.steps), not a request
    "started",  # area execution: work a hook or view started (Behaviour.starts) ran
    "view_decorator",  # urls: a decorator a class-based view lists, around the view it wraps
    "mounted",  # blueprints: a blueprint registered again (Blueprint.mounts), as the app was built
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
    "url_defaults",  # urls
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
    # area returns:
    "bytearray",  # a bytearray (data is its text, encoded UTF-8)
    "iterator",  # a plain iterator (not a generator) over the strings in data
    "http_exception",  # the framework's HTTP error of status (default 500), returned, not raised
    "base_response",  # the base response class the framework's own derives from (Werkzeug's)
    "make_response",  # the framework's make_response(data, status, headers), called in the view
    "redirect",  # the framework's redirect helper: data the location, status the code if given
    "typed_json",  # a dict of non-JSON values: "decimal"/"datetime"/"date"/"uuid" to their text
    # HTTP exceptions: an error handler returning what it was handed
    "handed_exception",  # the exception the error handler was handed, returned as it is
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
    # area execution: where the code runs, as relations (never a thread or task id)
    "thread",  # "request": the thread that handles the request (an ASGI app's loop), else "other"
    "task",  # None outside an asyncio task, else "task-1", "task-2"... per request, as first seen
    "view.kwargs",  # urls: handed: the names of the keyword arguments the view got, sorted
    "view.instance",  # urls: handed: which instance of a class-based view answered (1, 2...)
    # config area: the exception a 500 error wraps (Werkzeug's original_exception),
    # reported as "exception" reports one, or None
    "exception.original",
    # HTTP exceptions: what the HTTP error handed to the hook carries, or None
    "exception.description",  # its description (Werkzeug's HTTPException.description)
    "exception.valid_methods",  # the methods it lists as allowed (a 405's), sorted
]
PROBES: tuple[str, ...] = get_args(Probe)
HANDED_PROBES: tuple[str, ...] = (
    "exception",
    "response.status",
    "view.kwargs",
    "view.instance",
    "exception.original",
    "exception.description",
    "exception.valid_methods",
)

# steps area: what a scenario does besides sending its requests one after
# another (Scenario.steps, in order; each but "send" behind a feature).
StepKind = Literal[
    "send",  # send the next request of Scenario.requests
    "probe",  # the test does Step.does itself, between requests (feature probe-between-requests)
    "register",  # register Step.hook now, after the requests before it (setup-after-first-request)
    "enter_app_context",  # push an application context (pushed-app-context)
    "exit_app_context",  # pop the application context pushed last
    "enter_client",  # enter the test client as a context manager (client-context)
    "exit_client",  # leave it
    "test_request_context",  # Step.does in a request context for Step.path (test-request-context)
]
STEP_KINDS: tuple[str, ...] = get_args(StepKind)
# -- area execution --
# How a hook or view is written: a plain function or a coroutine function.
# None (the default) leaves it to the adapter: the framework's own kind.
Mode = Literal["sync", "async"]
MODES: tuple[str, ...] = get_args(Mode)
# Work a hook or view starts and waits for: a plain thread, a thread running a
# function wrapped in a copy of the request context, or an asyncio task; or
# (contexts) a thread running a function in contextvars.copy_context() taken
# where the hook or view runs, with no help from the framework.
StartKind = Literal["thread", "copied_thread", "task", "contextvars_thread"]
START_KINDS: tuple[str, ...] = get_args(StartKind)
# Probes the kit answers itself, the same for every framework.
KIT_PROBES: tuple[str, ...] = ("thread", "task")

# urls: what a Behaviour does with ``g`` as an object (``GOp``), and how a
# route's view is written (``Route.view_class``).
GOpName = Literal[
    "get",  # g.get(name, *args)
    "pop",  # g.pop(name, *args)
    "setdefault",  # g.setdefault(name, *args)
    "contains",  # name in g
    "iter",  # list(g): the names set on g, sorted
]
G_OPS: tuple[str, ...] = get_args(GOpName)
ViewClass = Literal[
    "function",  # a view function
    "view",  # a View subclass whose dispatch_request answers; methods from Route.methods
    "method_view",  # a MethodView subclass with one method per Route.methods (get, post...)
]
VIEW_CLASSES: tuple[str, ...] = get_args(ViewClass)

# -- config area: app configuration a scenario sets, and the HTTP-error base class --

ConfigName = Literal[  # Scenario.config keys; unset, the app runs with production settings
    "testing",  # bool: testing mode (Flask's TESTING)
    "debug",  # bool: debug mode (DEBUG)
    "propagate_exceptions",  # bool: re-raise unhandled exceptions into the server
    "trap_http_exceptions",  # bool: HTTP errors go the way of unhandled exceptions
    "trap_bad_request_errors",  # bool: bad-request errors go the way of unhandled exceptions
    "secret_key",  # null only: the app has no secret key
    "server_name",  # str: the host (and port) the app is served at (SERVER_NAME)
]
CONFIG_NAMES: tuple[str, ...] = get_args(ConfigName)
# What an error handler may be registered for besides a status or EXCEPTIONS:
# the framework's base class of all its HTTP errors (Werkzeug's HTTPException).
HttpErrorBase = Literal["HTTPException"]
HTTP_ERROR_BASES: tuple[str, ...] = get_args(HttpErrorBase)

# -- HTTP exceptions: user-defined HTTP error classes (conformance/_user_exceptions.py
# gives each its status and description), derived from the framework's base class --
UserHttpErrorName = Literal[
    "TeapotError",  # status 418, which has a class of its own (Werkzeug's ImATeapot)
    "UnassignedStatusError",  # status 599, which has no class of its own
]
USER_HTTP_ERRORS: tuple[str, ...] = get_args(UserHttpErrorName)
