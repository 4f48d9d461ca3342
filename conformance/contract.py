"""The adapter contract, version 3: every type an adapter author touches.

Declarations only, in the manner of pytest's ``hookspec.py``: each member's
docstring is the contract (what it is handed, what it returns, what it must
not do).  docs/ADAPTERS.md is its prose, and a test keeps the member tables
there and the members here in step.  The kit (``conformance.kit``) holds
what adapters are built from; the suite's own logic is elsewhere.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from socket import socket
from typing import TYPE_CHECKING, Any, ClassVar, Literal, NoReturn, Protocol, runtime_checkable

from ._model import FORMS, JSON, PROBES, STAGES, Call, Form, Scenario, Step

if TYPE_CHECKING:
    from ._recorder import Recorder

CONTRACT_VERSION = 4
# What each version changed, for the message that refuses an adapter of another.
CHANGES: Mapping[int, str] = {
    1: "first version: Flask's vocabulary (bare return values, Werkzeug route syntax)",
    2: "neutral vocabulary: native response forms (text, binary, json, stream) beside"
    " Flask's conversion forms, routes written /items/{id}, HTTP errors named by status,"
    " 'wrap' stage with Hook.then, observer hooks, Native.probe(name, request),"
    " Native.response(form, body, status, headers) and Native.error_status(exc)",
    3: "the lifecycle Flask really has: app configuration (Scenario.config), steps"
    " (Scenario.steps, Client.step), sync or async hooks and views (mode) and work started"
    " from them (Behaviour.starts), the url_defaults stage, URL building and g as an API"
    " (Native.url_for, Native.g_op), class-based views, richer return forms (Native.helper),"
    " a handler for the HTTP-error base class; new features, forms, stages and probes an"
    " adapter must claim or declare missing",
    4: "HTTP exceptions as the framework has them (Native.abort_description, abort_response,"
    " error_detail, http_error_class; Behaviour.description, aborts_with; Hook.instance;"
    " register steps before any request), the status line as observed (Reply.reason,"
    " Call.reads_reason, Native.status_line), a stream closed unread (Call.read_chunks),"
    " a blueprint registered again (Blueprint.mounts), work in a contextvars copy, and"
    " features split where frameworks have part of a concept; an adapter of contract 3"
    " would claim all of it by default",
}

Interface = Literal["wsgi", "asgi"]

FEATURES: tuple[str, ...] = (
    "error-handler-by-status",  # a handler registered for an HTTP status
    "error-handler-by-class",  # a handler registered for an exception class
    "automatic-head",  # HEAD served by a GET route that does not list HEAD
    "automatic-options",  # OPTIONS answered for a route that does not list it
    "trailing-slash-redirect",  # /d redirected to the route /d/
    "optional-trailing-slash",  # one route serving /d/ and /d (Route.slash_optional)
    "blueprints",  # groups of routes and hooks under a prefix
    "nested-blueprints",  # blueprints inside blueprints
    "blueprint-app-wide-hooks",  # a blueprint's hooks for every request of the app (app_wide)
    "after_this_request",  # per-request after callbacks
    "copied_context",  # running a function in a copy of the request context
    "stream_with_context",  # a streamed body that keeps the request context
    "session-write",  # setting session keys
    "concurrency",  # requests handled at the same time
    # steps area: what a test does besides sending requests (Scenario.steps)
    "probe-between-requests",  # the test probes the contexts itself, between requests
    "setup-after-first-request",  # registering a hook once the app has served a request
    "pushed-app-context",  # requests sent inside an application context the test pushed
    "client-context",  # the test client used as a context manager (with client:)
    "test-request-context",  # a request context the test makes for a path, with no request
    # area execution: a hook or view written as the scenario's mode says
    "sync-functions",  # a hook or view written as a plain function (mode "sync")
    "async-functions",  # a hook or view written as an async def function (mode "async")
    "url-building",  # urls: url_for of an endpoint with values (Behaviour.build_urls)
    "url-building-options",  # urls: url_for's _external (_anchor, _method: see below)
    "g-api",  # urls: g as an object: in, iteration (Behaviour.g_ops)
    "class-based-views",  # urls: View and MethodView classes (Route.view_class)
    "view-init-every-request",  # urls: a view class that keeps one instance for all requests
    "view-decorators",  # urls: decorators a view class lists (Route.decorators)
    # config area: app configuration (Scenario.config) and HTTP errors
    "config-testing",  # a testing mode (config "testing")
    "config-debug",  # a debug mode (config "debug")
    "config-propagate-exceptions",  # a switch re-raising unhandled exceptions into the server
    "config-trap-http-exceptions",  # a switch sending HTTP errors the way of unhandled ones
    "config-trap-bad-request-errors",  # the same switch for bad-request errors only
    "config-no-secret-key",  # an app without a secret key for its sessions
    "config-server-name",  # the host the app is served at, set in its configuration
    "automatic-options-opt-out",  # a route that turns automatic OPTIONS off
    "error-handler-for-http-errors",  # a handler for the base class of all HTTP errors
    "g-get-pop-setdefault",  # urls: g.get, g.pop, g.setdefault (needs g-api too)
    "url-building-anchor-method",  # urls: url_for's _anchor, _method (needs url-building-options)
    # HTTP exceptions
    "abort-description",  # an HTTP error raised with a description of its own
    "abort-response",  # aborting with a response, which the client gets
    "http-error-classes",  # user-defined HTTP error classes with a status and description
    "registration-errors",  # a handler registration the framework refuses, recorded (a step)
    # response area: the status line as sent (Call.reads_reason)
    "reason-phrase",  # the app's reason phrase reaches the client (WSGI's status; ASGI has none)
    # blueprints: one blueprint registered on the app more than once (Blueprint.mounts)
    "blueprint-registered-twice",  # registered again, under the name it was made with
    "blueprint-registration-name",  # registered again under another name (name=)
)
# config area: the feature each config name needs
CONFIG_FEATURES: Mapping[str, str] = {
    "testing": "config-testing",
    "debug": "config-debug",
    "propagate_exceptions": "config-propagate-exceptions",
    "trap_http_exceptions": "config-trap-http-exceptions",
    "trap_bad_request_errors": "config-trap-bad-request-errors",
    "secret_key": "config-no-secret-key",
    "server_name": "config-server-name",
}


@dataclass(frozen=True)
class Capabilities:
    """What a framework has: stages (signals among them), value forms,
    probes and FEATURES.  A scenario needing anything else is *not
    applicable*; ``missing`` gives the published reason for each absent item,
    keyed ``"stage:teardown_app"``, ``"form:list"``, ``"probe:session"``,
    ``"feature:blueprints"``.  Declare an item missing only when the framework
    lacks the concept: one it has but handles differently must run and fail.
    """

    stages: frozenset[str] = frozenset(STAGES)
    forms: frozenset[str] = frozenset(FORMS)
    probes: frozenset[str] = frozenset(PROBES)
    features: frozenset[str] = frozenset(FEATURES)
    missing: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """A response as the client saw it.  ``escaped`` names the exception the
    app raised into the server instead of answering (a real server then
    sends its own 500); None when the app answered.  ``reason``: the reason
    phrase of the status line as it reached the client (what a WSGI app
    handed start_response after the code, or a server's status line); None
    where the transport carries none (ASGI has no reason phrase), never one
    a client library made up from the code."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    escaped: str | None = None
    reason: str | None = None


class Client(Protocol):
    """An in-process test client for one scenario's app (cookies persist
    from one request to the next)."""

    def send(self, call: Call) -> Reply:
        """Send ``call``; return only after the request's lifecycle has
        ended, teardown included.  Never raise for what the app did: an
        exception the app raised into the server is ``Reply(500, (), b"",
        escaped=<class name>)``."""
        ...


class SteppingClient(Client, Protocol):
    """A client that also takes a scenario's steps (steps area): the
    optional member of an adapter whose framework has the step features."""

    def step(self, step: Step) -> None:
        """Take ``step`` (any kind but "send") now, in the harness's thread,
        between requests: push or pop an application context, enter or leave
        the client as a context manager, register ``step.hook`` on the app
        (recording ``Event(step.id, "step", {"error": <class name or None>})``,
        plus ``"warning"`` when registering warned), or do ``step.does`` with
        ``kit.perform`` (hook ``step.id``, stage "step"), inside
        ``test_request_context(step.path)`` for that kind.  Events go to the
        recorder ``build`` was given.  Never raises for what the app did."""
        ...


class AsyncClient(Protocol):
    """The client of an async framework: the harness runs a scenario's
    requests as tasks of one event loop (all at once when concurrent)."""

    async def send(self, call: Call) -> Reply:
        """As ``Client.send``, awaited."""
        ...


class SteppingAsyncClient(AsyncClient, Protocol):
    """``SteppingClient`` for an async framework."""

    async def step(self, step: Step) -> None:
        """As ``SteppingClient.step``, awaited, in the task the requests are sent from."""
        ...


class ScenarioRequest(Protocol):
    """One request reaching a scenario's app under a hosting server
    (``Server.host``), begun in the task or thread that serves it."""

    refusal: Reply | None  # not None: send this instead of calling the app

    def finish(self, header_names: Iterable[str], escaped: str | None) -> None:
        """The request is over: the framework sent the response and its
        handling returned.  ``header_names``: the headers the framework sent
        (not those the server adds to every response); ``escaped``: the class
        name of an exception that escaped into the server, or None."""
        ...


class ScenarioRequests(Protocol):
    """What the suite hands ``Server.host`` for the scenario it serves."""

    header: str  # the tag header every request carries: remove it before the app sees it
    secret_header: str  # the run's secret, on every request: remove it too

    def begin(self, tag: str | None, secret: str | None) -> ScenarioRequest:
        """A request arrived with ``tag`` and ``secret``, the values of its
        ``header`` and ``secret_header`` (None if absent): called before the
        app sees it, in the task or thread that serves it, so the events it
        records are its own."""
        ...


@dataclass(frozen=True)
class Server:
    """A real server for the http transport: the interface it serves, the
    module that must be importable, and ``serve(app, sock)``, which serves
    ``app`` on the listening ``sock`` (bound to 127.0.0.1) until the process
    ends.  An adapter names one of the suite's servers or supplies its own.

    ``host`` is for a server that serves one app of its own framework for its
    whole life (Sanic's): ``serve`` then gets the suite's control app (ASGI)
    only, and ``await host(app, sock, requests)`` serves each scenario's
    ``app``, as ``build`` made it, on a fresh listening ``sock`` (bound by
    the suite to 127.0.0.1), in the loop ``serve`` runs, returning an async
    function that stops it (the next scenario's, or the run's end)."""

    name: str
    interface: Interface
    module: str
    serve: Callable[[Any, socket], None]
    host: (
        Callable[[Any, socket, ScenarioRequests], Awaitable[Callable[[], Awaitable[None]]]] | None
    ) = None


class Unsupported(NotImplementedError):
    """A Native operation behind a capability the framework lacks was used:
    the adapter's capabilities and its Native disagree (outcome "error")."""


class Native:
    """The framework-specific operations a behaviour needs.  The first five
    are required; the others sit behind a capability and may be left as
    they are here (raising Unsupported) when the adapter declares it missing.
    ``request`` is what the framework handed the hook or view (None where it
    hands nothing, or the request is a global)."""

    def probe(self, name: str, request: Any = None) -> JSON:
        """What probe ``name`` (a context probe of PROBES) sees now.  Never
        raises: outside a context, ``request`` is False, ``endpoint`` None,
        ``request.error`` the class name of what using the request raised."""
        raise Unsupported("probe")

    def response(
        self, form: Form, body: Any, status: int | None, headers: Mapping[str, str]
    ) -> Any:
        """The framework's own response for a native form: ``body`` is a str
        ("text"), bytes ("binary"), JSON data ("json"), or an iterator of
        str ("stream"; an async iterator for async frameworks)."""
        raise Unsupported("response")

    def response_status(self, response: Any) -> int:
        """The status code of one of the framework's responses."""
        raise Unsupported("response_status")

    def abort(self, status: int) -> NoReturn:
        """Raise the framework's HTTP error for ``status``."""
        raise Unsupported("abort")

    def error_status(self, exc: BaseException) -> int | None:
        """The status of ``exc`` if it is one of the framework's HTTP errors,
        else None: probes report an HTTP error by its status."""
        raise Unsupported("error_status")

    def set_g(self, key: str, value: JSON, request: Any = None) -> None:
        """Set ``key`` on the per-request state (probe "g")."""
        raise Unsupported("set_g")

    def set_session(self, key: str, value: JSON, request: Any = None) -> None:
        """Set ``key`` in the session (feature "session-write")."""
        raise Unsupported("set_session")

    def after_this_request(self, callback: Callable[[Any], Any]) -> None:
        """Register ``callback(response) -> response`` for this request only."""
        raise Unsupported("after_this_request")

    def copy_context(self, func: Callable[[], Any]) -> Callable[[], Any]:
        """``func`` wrapped to run in a copy of the current request context
        (a coroutine function for async frameworks); the kit runs it in
        another thread (another task)."""
        raise Unsupported("copy_context")

    def stream_with_context(self, chunks: Any) -> Any:
        """``chunks`` wrapped so the request context stays active while they
        are produced (async iterators for async frameworks)."""
        raise Unsupported("stream_with_context")

    def url_for(
        self,
        endpoint: str,
        values: Mapping[str, JSON],
        external: bool,
        anchor: str | None,
        method: str | None,
        request: Any = None,
    ) -> str:
        """The URL the framework's url_for builds for ``endpoint`` with
        ``values`` and its ``_external``, ``_anchor`` and ``_method`` options
        (feature "url-building"); raise what the framework raises."""
        raise Unsupported("url_for")

    def g_op(self, op: str, name: str, args: tuple[JSON, ...], request: Any = None) -> JSON:
        """Use the per-request state ``g`` as an object (feature "g-api"):
        ``g.get(name, *args)``, ``g.pop(name, *args)``, ``g.setdefault(name,
        *args)``, ``name in g``, or ``sorted(g)`` for "iter"; the result, or
        raise what the framework raises."""
        raise Unsupported("g_op")

    # area returns: the conversion forms a framework builds with its own helpers.
    def helper(
        self, form: Form, body: Any, status: int | str | None, headers: Mapping[str, str]
    ) -> Any:
        """What the framework's own helper makes for a conversion form (form
        ``base_response``, ``make_response`` or ``redirect``): an instance of
        the base response class its own derives from (Werkzeug's), what its
        ``make_response(body, status, headers)`` returns (awaited by
        ``aperform`` where it is a coroutine), or its ``redirect(body)``
        (with ``status`` as the code when given).  ``status`` may be a status
        line, "299 SOMETHING", where the adapter claims "reason-phrase"."""
        raise Unsupported("helper")

    # HTTP exceptions: HTTP errors with a description, a response, a class of the user's.
    def abort_description(self, status: int, description: str) -> NoReturn:
        """Raise the framework's HTTP error for ``status`` carrying ``description``
        (feature "abort-description"; Flask's ``abort(status, description=...)``)."""
        raise Unsupported("abort_description")

    def abort_response(self, response: Any) -> NoReturn:
        """Abort the request with ``response``, one of the framework's own
        (feature "abort-response"; Flask's ``abort(response)``)."""
        raise Unsupported("abort_response")

    def error_detail(self, exc: BaseException, name: str) -> JSON:
        """What the HTTP error ``exc`` carries: its ``description`` (text), or
        its ``valid_methods`` (the methods a 405 lists as allowed, sorted);
        None when it carries none (probes "exception.description" and
        "exception.valid_methods")."""
        raise Unsupported("error_detail")

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        """A new subclass of the framework's base class of HTTP errors, named
        ``name``, whose instances have ``status`` and ``description`` (feature
        "http-error-classes"); the kit calls it once per name and Native."""
        raise Unsupported("http_error_class")

    # response area: the status line as sent
    def status_line(self, response: Any, line: str) -> Any:
        """``response`` (one ``response`` made) with its status set to the
        status line ``line``, such as "299 SOMETHING", with the framework's
        own construct, so that code and reason phrase are sent (feature
        "reason-phrase"); return it."""
        raise Unsupported("status_line")


@runtime_checkable
class Adapter(Protocol):
    r"""What the suite needs from a framework.

    ``framework`` is the lower-case name clause conditions use (``since =
    {flask = "2.2"}``), ``distribution`` the installed package whose version
    is reported, ``interface`` how a real server serves the app.  An adapter
    may also set ``server``, the http transport's default server: a server
    name (werkzeug, gunicorn, uvicorn, hypercorn) or a ``Server`` of its own;
    and ``servers``, more ``Server``\ s of its own that ``--server NAME`` can
    choose (a framework's own server, such as Bottle's).
    """

    contract: ClassVar[int]
    name: ClassVar[str]
    framework: ClassVar[str]
    distribution: ClassVar[str]
    interface: ClassVar[Interface]
    capabilities: ClassVar[Capabilities]
    expectations: ClassVar[Path | None]

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        """A fresh native app doing what ``scenario`` describes; nothing may
        leak from one scenario's app to the next.  Every hook and view calls
        ``kit.perform`` (``kit.aperform``) with its behaviour.  Obligations:
        hooks of a stage are registered in scenario order (``wrap`` hooks
        outermost first); blueprints are mounted after the app's own hooks,
        innermost first; routes are translated from ``{name}`` syntax; the
        app runs with production settings (an unhandled exception becomes
        the framework's error response, not a re-raise into the client); an
        observer hook is registered exactly like any other.  ``build`` makes
        no assertion and never emulates a concept the framework lacks."""
        ...

    def client(self, app: Any) -> Client | AsyncClient:
        """An in-process client for ``app``, one per scenario: the
        framework's own test client where it has one, else the kit's
        ``WsgiClient`` or ``AsgiClient``."""
        ...
