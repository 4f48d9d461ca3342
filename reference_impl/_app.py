"""The reference framework's application: the request lifecycle as named steps.

One request goes through these steps, in this order::

    handle_request                push contexts (signal appcontext_pushed);
                                  called by the WSGI face (wsgi_app, _wsgi) or
                                  the ASGI face (asgi_app, _asgi)
      full_dispatch_request       signal request_started
        preprocess_request        url-value preprocessors, then before-hooks:
                                  app's first, then outer to inner blueprint
        dispatch_request          the view (skipped if a before-hook returned)
        handle_user_exception     error handler by status code, then class MRO,
                                  inner blueprint to app
        finalize_request
          make_response           return value -> Response
          process_response        after_this_request, then after-hooks reversed,
                                  inner blueprint to app; save the session;
                                  signal request_finished
      handle_exception            unhandled: signal got_request_exception,
                                  500, its handler, finalize again
      RequestContext.pop          (when its last push ends: streaming can hold it)
        do_teardown_request       teardown-hooks reversed, inner blueprint to
                                  app, handed the exception; signal
                                  request_tearing_down
        do_teardown_appcontext    app teardown-hooks reversed; signal
                                  appcontext_tearing_down; then appcontext_popped

Each step is a method, so a deliberately broken variant (a "mutant") can
replace exactly one of them.  Steps that call user code are generators that
yield the call (see ``_core``): the WSGI face (``_wsgi``) drives them
synchronously, running an ``async def`` hook or view in an event loop of its
own in another thread, as Flask does (``_execution``); the ASGI face
(``_asgi``) in an event loop, awaiting ``async def`` hooks and views.  Both
call URL value preprocessors without awaiting them.  One lifecycle, two
faces, each an IO shell of its own.  Werkzeug does the HTTP parsing, the
routing and the Request/Response objects; everything lifecycle is written
out here.
"""

from __future__ import annotations

import datetime
import decimal
import json
import uuid
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any, cast

from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.http import http_date
from werkzeug.routing import MapAdapter, RequestRedirect, Rule
from werkzeug.wrappers import Request as _BaseRequest
from werkzeug.wrappers import Response as _BaseResponse

from . import _asgi, _config, _execution, _sessions, _wsgi
from . import _signals as signals
from ._context import (
    PRESERVE_KEY,
    AppContext,
    Globals,
    PushedAppContext,
    RequestContext,
    _request_ctx,
)
from ._core import Steps, invoke
from ._setup import AppSetup, View
from ._signals import Signal

if TYPE_CHECKING:
    from .testing import AsgiClient, WsgiClient


class Response(_BaseResponse):
    """A Werkzeug response whose bodies are HTML unless said otherwise, as
    in Flask: a view returning a string is returning a page."""

    default_mimetype = "text/html"


class Request(_BaseRequest):
    """A Werkzeug request that remembers what routing matched."""

    url_rule: Rule | None = None
    view_args: dict[str, Any] | None = None
    routing_exception: HTTPException | None = None

    @property
    def endpoint(self) -> str | None:
        """The matched endpoint, or None when no route matched."""
        return self.url_rule.endpoint if self.url_rule is not None else None

    @property
    def blueprints(self) -> list[str]:
        """The dotted names of the matched endpoint's blueprints, innermost
        first: endpoint ``a.b.view`` gives ``["a.b", "a"]``."""
        name = (self.endpoint or "").rpartition(".")[0]
        parts = name.split(".") if name else []
        return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


class App(AppSetup):
    """A WSGI application, and an ASGI one: the setup of ``AppSetup``
    (``_setup``), then the lifecycle, one step per method.

    >>> app = App("hello")
    >>> @app.route("/")
    ... def index():
    ...     return "Hello"
    >>> # werkzeug.serving.run_simple("127.0.0.1", 8000, app)  serves it for real
    """

    # -- the two faces, whose IO shells are _wsgi and _asgi --------------------

    def __call__(self, *args: Any) -> Any:
        """WSGI ``app(environ, start_response)``, or ASGI ``await app(scope,
        receive, send)``: the number of arguments says which server calls.
        The face runs inside the app's middleware."""
        face = self.asgi_app if len(args) == 3 else self.wsgi_app
        return self.wrap_face(face)(*args)

    def wrap_face(self, face: Any) -> Any:
        """``face`` inside every middleware, the first added outermost."""
        for factory in reversed(self.middleware):
            face = factory(face)
        return face

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        """The WSGI face: the lifecycle driven synchronously (``_wsgi``)."""
        return _wsgi.serve(self, environ, start_response)

    async def asgi_app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """The ASGI face: the same lifecycle, driven in the event loop, so
        hooks and views may be ``async def`` (``_asgi``)."""
        await _asgi.serve(self, scope, receive, send)

    def app_context(self) -> PushedAppContext:
        """An application context for the test to push (``with app.app_context():``)."""
        return PushedAppContext(self)

    def test_request_context(self, path: str = "/") -> RequestContext:
        """A request context for a GET of ``path``, with no request handled:
        ``with`` it, the URL is matched and the session opened; leaving it
        runs the teardowns, as the end of a request does."""
        from werkzeug.test import EnvironBuilder

        return RequestContext(self, Request(EnvironBuilder(path=path).get_environ()))

    def test_client(self) -> WsgiClient:
        """Werkzeug's test client for the WSGI face: requests without a server."""
        return _wsgi.client(self)

    def asgi_test_client(self) -> AsgiClient:
        """A test client for the ASGI face: requests without a server."""
        return _asgi.client(self)

    # -- the lifecycle, one step per method -----------------------------------

    def handle_request(self, ctx: RequestContext, respond: Callable[[Response], Any]) -> Steps[Any]:
        """The whole request, for either face: push the contexts, dispatch,
        turn an unhandled exception into a 500, hand the response to the
        face's ``respond``, and always pop the contexts, which runs the
        teardowns with the unhandled exception (None when there was none)."""
        error: Exception | None = None
        self.got_first_request = True
        try:
            yield from ctx.push()
            try:
                response = yield from self.full_dispatch_request()
            except Exception as exc:
                error = exc
                response = yield from self.handle_exception(exc)
            # the face's respond may be async: the driver awaits it
            return (yield from invoke(respond, response))
        finally:
            yield from ctx.pop(error)
            preserve = ctx.request.environ.get(PRESERVE_KEY)
            if preserve is not None:  # a test client's ``with`` block keeps it
                preserve(ctx)

    def send_signal(self, signal: Signal, **extra: Any) -> Steps[None]:
        """Call ``signal``'s receivers for this app, in connection order."""
        for receiver in signal.receivers_for(self):
            yield from invoke(receiver, self, **extra)

    def match_request(self, request: Request) -> MapAdapter:
        """Match the URL when the request context is pushed, so hooks see the
        endpoint; a routing failure is kept and raised by dispatch_request.
        Returns the bound URL adapter, which url_for builds with."""
        # SERVER_NAME names the app's host, but a request for another host is
        # still matched: the subdomain is given, not derived from the host.
        adapter = self.url_map.bind_to_environ(
            request.environ, server_name=self.config["SERVER_NAME"], subdomain=""
        )
        try:
            rule, view_args = adapter.match(return_rule=True)
            request.url_rule, request.view_args = rule, dict(view_args)
        except HTTPException as exc:
            request.routing_exception = exc
        return adapter

    def url_adapter_outside_request(self) -> MapAdapter | None:
        """What ``url_for`` builds with in an application context with no
        request: the URL map bound to SERVER_NAME (scheme http, at the
        root), or None when no server name is configured."""
        server_name = self.config["SERVER_NAME"]
        if server_name is None:
            return None
        return self.url_map.bind(server_name, script_name="/", url_scheme="http")

    def joins_app_context(self, current: AppContext) -> bool:
        """Whether a request uses the application context already active
        (one the test pushed) instead of pushing its own: when it is this app's."""
        return current.app is self

    def make_globals(self) -> Globals:
        """The per-request scratch ``g``: a new one for every application
        context, so nothing set on it outlives the request."""
        return Globals()

    def open_session(self, request: Request) -> _sessions.Session:
        """The request's session; without a secret key, a NullSession."""
        if self.secret_key is None:
            return _config.NullSession()
        return _sessions.open_session(self.secret_key, request)

    def full_dispatch_request(self) -> Steps[Response]:
        """Signal request_started, before-hooks, the view (unless a
        before-hook returned), error handling for what they raise, then
        finalize into a response."""
        try:
            yield from self.send_signal(signals.request_started)
            rv = yield from self.preprocess_request()
            if rv is None:
                rv = yield from self.dispatch_request()
        except Exception as exc:
            rv = yield from self.handle_user_exception(exc)
        response: Response = yield from self.finalize_request(rv)
        return response

    def preprocess_request(self) -> Steps[Any]:
        """Run the url-value preprocessors (return values ignored), then the
        before-hooks, each in registration order, the app's first and then
        the blueprints' from outer to inner; stop at the first before-hook
        that returns something other than None and return that."""
        request = _request_ctx.get().request
        scopes = (None, *reversed(request.blueprints))
        for scope in scopes:
            for preprocess in self.url_value_preprocessors.get(scope, []):
                # called, not awaited (area execution): a coroutine is discarded
                _execution.discard(preprocess(request.endpoint, request.view_args))
        for scope in scopes:
            for before in self.before_request_funcs.get(scope, []):
                rv = yield from invoke(before)
                if rv is not None:
                    return rv
        return None

    def dispatch_request(self) -> Steps[Any]:
        """Call the matched view with the URL values; raise the routing
        error (404, 405, redirect) if nothing matched."""
        ctx = _request_ctx.get()
        request = ctx.request
        if request.routing_exception is not None:
            raise request.routing_exception
        rule = request.url_rule
        assert rule is not None
        if request.method == "OPTIONS" and getattr(rule, "provide_automatic_options", False):
            return self.make_default_options_response()
        view = self.view_functions[rule.endpoint]
        return (yield from invoke(view, **(request.view_args or {})))

    def make_default_options_response(self) -> Response:
        """The automatic answer to OPTIONS: empty, with the allowed methods."""
        response = Response()
        adapter = _request_ctx.get().url_adapter
        assert adapter is not None  # set when the request context was pushed
        response.allow.update(adapter.allowed_methods())
        return response

    def handle_user_exception(self, exc: Exception) -> Steps[Any]:
        """Give an exception from a hook or view to its error handler.  HTTP
        errors without a handler become their own response; anything else
        without a handler propagates to handle_exception, as does a trapped
        HTTP error (TRAP_HTTP_EXCEPTIONS, TRAP_BAD_REQUEST_ERRORS) without one."""
        if isinstance(exc, HTTPException) and not self.trap_http_exception(exc):
            return (yield from self.handle_http_exception(exc))
        handler = self.find_error_handler(exc)
        if handler is None:
            raise exc
        return (yield from invoke(handler, exc))

    def handle_http_exception(self, exc: HTTPException) -> Steps[Any]:
        """Routing redirects are never handled; other HTTP errors go to their
        handler, or are themselves the response."""
        if exc.code is None or isinstance(exc, RequestRedirect):
            return exc
        handler = self.find_error_handler(exc)
        return exc if handler is None else (yield from invoke(handler, exc))

    def find_error_handler(self, exc: BaseException) -> View | None:
        """Handlers for the exception's status code first, then handlers by
        class, most specific first along the exception's MRO; at each step
        the innermost blueprint's before the outer ones' and the app's."""
        code = exc.code if isinstance(exc, HTTPException) else None
        scopes = (*_request_ctx.get().request.blueprints, None)
        for key in (code, None) if code is not None else (None,):
            for scope in scopes:
                handlers = self.error_handlers.get(scope, {}).get(key, {})
                for cls in type(exc).__mro__:
                    if cls in handlers:
                        return handlers[cls]
        return None

    def handle_exception(self, exc: Exception) -> Steps[Response]:
        """An exception no handler took: signal it; re-raise it into the server
        if exceptions propagate (testing, debug, PROPAGATE_EXCEPTIONS); else
        log it, wrap it in a 500 that keeps the original, pass that to a 500
        handler if any, and finalize the result (an after-hook failing now is
        logged, not raised)."""
        yield from self.send_signal(signals.got_request_exception, exception=exc)
        if self.propagates_exceptions():
            raise exc
        self.logger.error("Exception on %s", _request_ctx.get().request.path, exc_info=exc)
        server_error = InternalServerError(original_exception=exc)
        handler = self.find_error_handler(server_error)
        rv = server_error if handler is None else (yield from invoke(handler, server_error))
        response: Response = yield from self.finalize_request(rv, from_error_handler=True)
        return response

    def finalize_request(self, rv: Any, *, from_error_handler: bool = False) -> Steps[Response]:
        """Turn the return value into a response, run the after-hooks, and
        signal request_finished."""
        response = self.make_response(rv)
        try:
            response = yield from self.process_response(response)
            yield from self.send_signal(signals.request_finished, response=response)
            return response
        except Exception:
            if not from_error_handler:
                raise
            self.logger.exception("an after-request hook failed while handling an error")
            return response

    def make_response(self, rv: Any) -> Response:
        """The return-value rules.

        str, bytes and iterators become the body (text/html); dict and list
        become JSON; a response object is used as is; an HTTP exception gives
        its own response; a WSGI callable is called.  A tuple is ``(body,
        status, headers)``, ``(body, status)`` or ``(body, headers)``, status
        an int or a string, headers a dict or a list of pairs.  None, other
        tuple lengths and other types are a TypeError.
        """
        status: int | str | None = None
        headers: Any = None
        if isinstance(rv, tuple):
            if len(rv) == 3:
                rv, status, headers = rv
            elif len(rv) == 2:
                if isinstance(rv[1], dict | list | tuple):
                    rv, headers = rv
                else:
                    rv, status = rv
            else:
                raise TypeError(
                    f"a view returned a tuple of {len(rv)} items; return (body, status,"
                    " headers), (body, status) or (body, headers)"
                )
        if rv is None:
            raise TypeError("a view returned None; it must return a response value")
        response = self._coerce(rv)
        if isinstance(status, str):
            response.status = status
        elif status is not None:
            response.status_code = status
        if headers:
            # The tuple's headers replace those of the same name; a name
            # repeated in a list of pairs is sent once per pair.
            pairs = list(headers.items() if isinstance(headers, dict) else headers)
            for name in {name.lower() for name, _ in pairs}:
                del response.headers[name]
            response.headers.extend(pairs)
        return response

    def _coerce(self, rv: Any) -> Response:
        if isinstance(rv, Response):
            return rv
        if isinstance(rv, bytearray):
            rv = bytes(rv)  # a WSGI body yields bytes only (PEP 3333)
        if isinstance(rv, str | bytes | Iterator | AsyncIterator):
            # An async iterator is streamed by the ASGI face.
            return Response(rv)  # type: ignore[arg-type]  # an async iterator: the ASGI face streams it
        if isinstance(rv, dict | list):
            return Response(dumps(rv) + "\n", mimetype="application/json")
        environ = _request_ctx.get().request.environ
        if isinstance(rv, HTTPException):
            rv = rv.get_response(environ)
        if isinstance(rv, _BaseResponse) or callable(rv):
            # Another response class, or a WSGI app: run it, keep what it sent.
            return cast(Response, Response.force_type(rv, environ))
        raise TypeError(
            f"a view returned a {type(rv).__name__}; return a str, bytes, dict, list,"
            " tuple, response, iterator or WSGI callable"
        )

    def process_response(self, response: Response) -> Steps[Response]:
        """Run this request's after_this_request callbacks, then the
        after-hooks in reverse registration order, the innermost blueprint's
        first and the app's last, each handed the previous one's response;
        then save the session."""
        ctx = _request_ctx.get()
        for func in ctx.after_request_functions:
            response = yield from invoke(func, response)
        for scope in (*ctx.request.blueprints, None):
            for after in reversed(self.after_request_funcs.get(scope, [])):
                response = yield from invoke(after, response)
        if ctx.session is not None and self.secret_key is not None:
            _sessions.save_session(self.secret_key, ctx.session, response)
        return response

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        """When the request context ends: every teardown-hook, in reverse
        registration order, innermost blueprint first and the app's last,
        handed the unhandled exception or None."""
        for scope in (*_request_ctx.get().request.blueprints, None):
            for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                yield from invoke(teardown, exc)
        yield from self.send_signal(signals.request_tearing_down, exc=exc)

    def do_teardown_appcontext(self, exc: BaseException | None) -> Steps[None]:
        """When the application context ends, after the request teardowns."""
        for teardown in reversed(self.teardown_appcontext_funcs):
            yield from invoke(teardown, exc)
        yield from self.send_signal(signals.appcontext_tearing_down, exc=exc)

    # -- urls: URL building ------------------------------------------------

    def inject_url_defaults(self, endpoint: str, values: dict[str, Any]) -> Steps[None]:
        """Called by ``url_for`` before it builds ``endpoint``: the app's
        url-defaults functions, then those of the endpoint's blueprints from
        outer to inner (the endpoint's, not the request's), each in
        registration order, each handed the values to fill."""
        name = endpoint.rpartition(".")[0]
        parts = name.split(".") if name else []
        scopes = (None, *(".".join(parts[:n]) for n in range(1, len(parts) + 1)))
        for scope in scopes:
            for default in self.url_default_functions.get(scope, []):
                yield from invoke(default, endpoint, values)

    # -- configuration the lifecycle consults (config area) --------------------

    def propagates_exceptions(self) -> bool:
        """Whether an unhandled exception is re-raised into the server:
        PROPAGATE_EXCEPTIONS, or else testing or debug mode."""
        return _config.propagates(self.config)

    def trap_http_exception(self, exc: HTTPException) -> bool:
        """Whether HTTP error ``exc`` goes the way of unhandled exceptions
        (TRAP_HTTP_EXCEPTIONS, TRAP_BAD_REQUEST_ERRORS)."""
        return _config.traps(self.config, exc)


def dumps(data: Any) -> str:
    """JSON as Flask's default provider writes it outside debug mode: keys
    sorted, non-ASCII escaped, no whitespace; dates as HTTP dates, Decimal
    and UUID as strings."""
    return json.dumps(
        data, default=_json_default, sort_keys=True, ensure_ascii=True, separators=(",", ":")
    )


def _json_default(o: Any) -> str:
    if isinstance(o, datetime.date):  # a datetime is a date too
        return http_date(o)
    if isinstance(o, decimal.Decimal | uuid.UUID):
        return str(o)
    raise TypeError(f"Object of type {type(o).__name__} is not JSON serializable")
