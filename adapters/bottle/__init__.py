"""Adapter for Bottle, run through the kit's WSGI client (Bottle has none).
Bottle's cycle: before_request hooks (before routing), the route callback,
after_request hooks (reversed, whatever the outcome), then error handlers by
status as the return value is cast.  A hook answers by raising HTTPResponse;
request and response are thread-local globals."""

from __future__ import annotations

import json
import socket
import socketserver
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn
from wsgiref.simple_server import WSGIServer

import bottle  # type: ignore[import-untyped]  # Bottle ships no type information

from conformance import kit
from conformance.kit import JSON

_EXT = "bottle.request.ext."  # where Bottle keeps attributes set on the request
_KINDS = {"json": "application/json", "binary": "application/octet-stream"}


class BottleNative(kit.Native):
    def probe(self, name: str, request: Any = None) -> JSON:
        try:
            environ: dict[str, Any] = bottle.request.environ
        except RuntimeError as exc:  # the thread never had a request bound
            unbound: dict[str, JSON] = {"request": False, "request.error": type(exc).__name__}
            return unbound.get(name)
        if name in ("request", "request.error"):
            return name == "request" or None
        if name == "g":
            return {k.removeprefix(_EXT): v for k, v in environ.items() if k.startswith(_EXT)}
        if name == "endpoint":
            route = environ.get("bottle.route")
            return None if route is None else str(route.name)
        if name == "view_args":
            args = environ.get("route.url_args")
            return None if args is None else dict(args)
        if name == "url_for":
            try:
                return str(bottle.request.app.get_url("index"))
            except Exception as exc:
                return f"<{type(exc).__name__}>"
        if name in ("method", "path"):
            return str(getattr(bottle.request, name))
        raise KeyError(f"unknown probe {name!r}")

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        if form == "json":
            body = json.dumps(body)
        answer = bottle.HTTPResponse(body, status or 200, dict(headers))
        if form in _KINDS and "Content-Type" not in headers:
            answer.content_type = _KINDS[form]
        return answer

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def abort(self, status: int) -> NoReturn:
        bottle.abort(status)
        raise AssertionError("abort() returned")  # pragma: no cover

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, bottle.HTTPError) else None

    def set_g(self, key: str, value: JSON, request: Any = None) -> None:
        # BaseRequest: attributes set on the request, kept in its environ, are
        # "the recommended way to store and access request-specific data".
        setattr(bottle.request, key, value)


_NO_APP_CONTEXT = (
    "Bottle has no application context: no current_app and no teardown-appcontext"
    " hooks (its hooks are before_request, after_request, app_reset and config)"
)
_MISSING = {
    "stage:url_value_preprocessor": "Bottle has no URL value preprocessors: before_request"
    " hooks run before routing, and nothing else is handed the URL values before the view",
    "stage:teardown": "Bottle has no teardown (finally) stage: its request hooks are"
    " before_request and after_request, and nothing runs after the response is sent",
    "stage:teardown_app": _NO_APP_CONTEXT,
    "probe:app": _NO_APP_CONTEXT,
    "probe:app.error": _NO_APP_CONTEXT,
    **kit.each("stage", kit.SIGNALS, "Bottle sends no signals"),
    **kit.each("probe", ("session", "session.data"), "Bottle has no sessions in its core"),
    "feature:session-write": "Bottle has no sessions in its core",
    **kit.each(
        "feature",
        ("blueprints", "nested-blueprints"),
        "Bottle has no blueprints: it mounts whole apps (Bottle.mount), with no app-wide"
        " hooks, dotted endpoints or request.blueprints; since 0.13 a mounted app's routes"
        " are merged into the parent's and its own hooks and error handlers never run",
    ),
    "feature:error-handler-by-class": "Bottle registers error handlers by HTTP status only"
    " (Bottle.error(code)); an exception of any class becomes an HTTP 500 error",
    "feature:automatic-options": "Bottle does not answer OPTIONS by itself: only a route"
    " that lists OPTIONS does, and any other OPTIONS request gets 405",
    "feature:trailing-slash-redirect": "Bottle's routes are strict about the trailing"
    " slash and never redirect: /d and /d/ are different routes",
    "feature:optional-trailing-slash": "Bottle has no slash-optional routes: /d and /d/"
    " are different routes, each registered on its own",
    **kit.each(
        "feature",
        ("after_this_request", "copied_context", "stream_with_context"),
        "Bottle has no request context object to copy, keep or attach callbacks to:"
        " request and response are thread-local globals",
    ),
}
_MISSING["probe:blueprints"] = _MISSING["feature:blueprints"]
_MISSING["stage:after_this_request"] = _MISSING["feature:after_this_request"]
_MISSING["stage:copied_context"] = _MISSING["feature:copied_context"]
# Area execution: Bottle's callbacks are plain functions, its default.
_MISSING["feature:async-functions"] = (
    "Bottle has no async support: it calls every route callback and hook synchronously,"
    " so an async def one returns a coroutine nothing awaits (bottle.py: Route.call)"
)


# steps area: what a test does besides sending requests.
_NO_CONTEXT_TO_STEP = (
    "Bottle has no request context to push, keep or find ended: its request global is a"
    " thread-local that each request rebinds (bottle.LocalRequest)"
)
_NO_STEPS = {
    "feature:pushed-app-context": _NO_APP_CONTEXT,
    "feature:test-request-context": _NO_CONTEXT_TO_STEP,
    "feature:client-context": _NO_CONTEXT_TO_STEP,
    "feature:probe-between-requests": _NO_CONTEXT_TO_STEP,
    "feature:setup-after-first-request": (
        "Bottle has no end of setup: hooks and routes are added to an app at any time, with no "
        "check against the first request"
    ),
}
# urls: URL building, g as an object, class-based views
_MISSING.update({
    "stage:url_defaults": "Bottle has no url-defaults functions: Bottle.get_url fills a"
    " route's wildcards from the values it is given and nothing else",
    "feature:url-building": "Bottle.get_url(routename, **values) builds a path with a query"
    " string, but has none of url_for's options: no _external, _anchor or _method",
    "feature:g-api": "Bottle keeps request state as attributes of bottle.request (stored in"
    " its environ): no get, pop, setdefault, membership test or iteration of their own",
    **kit.each("feature", ("class-based-views",), "Bottle routes plain callables: it has no"
        " View or MethodView class, no dispatch by method name, no per-request instance"),
    "probe:view.instance": "Bottle has no class-based views: no instance answers a request",
})  # fmt: skip


# config area: the configuration and HTTP-error concepts of Flask this framework lacks
_MISSING.update(
    {
        "feature:config-testing": (
            "Bottle has no testing mode in its configuration: its test client is a separate "
            "object and the app behaves the same under it (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-debug": (
            "Bottle's debug mode (bottle.debug) only adds tracebacks to its error pages; this "
            "adapter does not translate it yet (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-propagate-exceptions": (
            "Bottle has no setting that re-raises unhandled exceptions into the server instead of"
            " answering them (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-trap-http-exceptions": (
            "Bottle has no setting that sends HTTP errors the way of unhandled exceptions "
            "(Flask's TRAP_HTTP_EXCEPTIONS) (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-trap-bad-request-errors": (
            "Bottle has no setting that sends bad-request errors the way of unhandled exceptions "
            "(Flask's TRAP_BAD_REQUEST_ERRORS) (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-no-secret-key": (
            "Bottle has no app-wide secret key whose absence its sessions depend on (Flask's "
            "SECRET_KEY and NullSession) (https://bottlepy.org/docs/dev/)"
        ),
        "feature:config-server-name": (
            "Bottle has no server-name setting that routing binds to (Flask's SERVER_NAME) "
            "(https://bottlepy.org/docs/dev/)"
        ),
        "probe:exception.original": (
            "Bottle wraps no unhandled exception in an HTTP 500 error that keeps it as "
            "original_exception (https://bottlepy.org/docs/dev/)"
        ),
        "feature:error-handler-for-http-errors": (
            "Bottle registers error handlers by HTTP status only, not for its HTTPError class"
        ),
        "feature:automatic-options-opt-out": (
            "Bottle has no automatic OPTIONS answer for a route to turn off"
        ),
    }
)


# area returns: the return values made with Flask's and Werkzeug's helpers.
_MISSING["form:base_response"] = (
    "Bottle is not built on Werkzeug: it has no base response class of another library"
    " beneath its own (a view answers with Bottle's HTTPResponse)"
)
_MISSING["form:make_response"] = (
    "Bottle has no make_response helper: a view builds its HTTPResponse itself"
)
_MISSING["form:redirect"] = (
    "Bottle's redirect() raises an HTTPResponse instead of returning one: a redirect is an"
    " early exit, never a return value (bottle.redirect)"
)


class BottleAdapter:
    contract = kit.CONTRACT_VERSION
    name = "bottle"
    framework = "bottle"
    distribution = "bottle"
    interface = "wsgi"
    server = "gunicorn"
    servers: ClassVar[tuple[kit.Server, ...]] = ()  # Bottle's own: set below
    capabilities = kit.lacking({**_MISSING, **_NO_STEPS})
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Any:
        app = bottle.Bottle()
        app.config["catchall"] = True  # production: an exception becomes a 500 response
        native = BottleNative()

        def hook(does: kit.Behaviour, hid: str, stage: str) -> Callable[..., Any]:
            kw: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder}

            def function(*args: Any, **url_args: Any) -> Any:
                handed: dict[str, Any] = {}
                if stage == "after":
                    handed["response_status"] = bottle.response.status_code
                elif stage == "error_handler":
                    handed["exception"] = args[0]
                answer = kit.perform(does, native=native, **kw, **handed)
                # A hook answers only by raising HTTPResponse; what it returns is ignored.
                if stage in ("before", "after") and isinstance(answer, bottle.HTTPResponse):
                    raise answer
                return answer

            return function

        for r in scenario.routes:
            view = hook(r.does, r.endpoint, "view")
            path = kit.route_path(r.path, lambda name: f"<{name}>")
            app.route(path, method=list(r.methods), callback=view, name=r.endpoint)
        for h in scenario.hooks:
            if h.stage == "error_handler" and isinstance(h.handles, int):
                app.error(h.handles)(hook(h.does, h.id, h.stage))  # 0.12: a decorator only
            elif h.stage in ("before", "after"):
                app.add_hook(f"{h.stage}_request", hook(h.does, h.id, h.stage))
        # WSGI middleware wraps the app, as Bottle's FAQ shows (StripPathMiddleware).
        return kit.wsgi_layers(app, [h for h in scenario.hooks if h.stage == "wrap"], recorder)

    def client(self, app: Any) -> kit.WsgiClient:
        return kit.WsgiClient(app)


def serve_bottle(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on the listening ``sock`` with ``bottle.run`` and Bottle's
    wsgiref adapter, whose ``server_class`` adopts the socket and serves each
    request in a thread of its own (a concurrent scenario's requests meet)."""

    class Adopted(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

        def server_bind(self) -> None:
            self.socket.close()
            self.socket = sock
            host, port = sock.getsockname()[:2]
            self.server_address = (host, port)
            self.server_name, self.server_port = host, port
            self.setup_environ()

        def server_activate(self) -> None:
            pass  # the suite's socket is listening already

    server = bottle.WSGIRefServer(host="127.0.0.1", port=0, server_class=Adopted)
    bottle.run(app, server=server, quiet=True)


BOTTLE_SERVER = kit.Server("bottle", "wsgi", "bottle", serve_bottle)
BottleAdapter.servers = (BOTTLE_SERVER,)  # --server bottle
