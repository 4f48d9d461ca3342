"""What Starlette and FastAPI share: Starlette's request, responses, HTTP
error, exception handlers and session middleware, as behaviours use them.

FastAPI is built on Starlette: its Request, Response classes, exception
handler tiers and middleware stack are Starlette's, so the adapters of both
probe and answer the same way, and differ in how they build the app.
"""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Callable, Mapping
from typing import Any, NoReturn

from starlette.endpoints import HTTPEndpoint
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import NoMatchFound

from conformance import kit


class StarletteNative(kit.Native):
    """What behaviours do with Starlette's request, responses and HTTPException."""

    http_error: type[HTTPException] = HTTPException

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if request is None:  # Starlette hands every endpoint and handler the request
            raise kit.Unsupported(f"probe {name!r} without the request")
        scope = request.scope
        if name == "session":  # reads a key, as using a session does
            return "session" in scope and request.session.get("probe") is None
        if name == "session.data":
            return dict(request.session) if "session" in scope else None
        if name == "g":  # State keeps its attributes in _state, and lists them nowhere else
            return dict(request.state._state)
        if name == "endpoint":  # the route the router matched (a partial match too)
            return getattr(scope.get("route"), "name", None)
        if name == "view_args":  # the router sets path_params when a route matched
            return None if "path_params" not in scope else dict(scope["path_params"])
        if name in ("method", "path"):
            return str(request.method if name == "method" else request.url.path)
        if name == "url_for":  # url_path_for: Flask's url_for builds a path too
            try:
                return str(scope["app"].url_path_for("index"))
            except NoMatchFound as exc:
                return f"<{type(exc).__name__}>"
        raise kit.Unsupported(f"probe {name!r}")

    def response(
        self, form: str, body: Any, status: int | None, headers: Mapping[str, str]
    ) -> Response:
        kw: dict[str, Any] = {"status_code": status or 200, "headers": dict(headers)}
        if form == "text":
            return PlainTextResponse(body, **kw)
        if form == "binary":
            return Response(body, media_type="application/octet-stream", **kw)
        if form == "json":
            return JSONResponse(body, **kw)
        return StreamingResponse(body, media_type="text/plain", **kw)

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def abort(self, status: int) -> NoReturn:
        raise self.http_error(status_code=status)

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, HTTPException) else None

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request.state, key, value)

    def set_session(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.session[key] = value

    def url_for(self, endpoint: str, values: Mapping[str, kit.JSON], external: bool,
                anchor: str | None, method: str | None, request: Any = None) -> str:  # fmt: skip
        """urls: the app's url_path_for, or request.url_for for an absolute URL
        (https://www.starlette.io/routing/#reverse-url-lookups)."""
        if anchor is not None or method is not None:  # url-building-anchor-method: missing
            raise kit.Unsupported("url_for with _anchor or _method")
        if external:
            return str(request.url_for(endpoint, **values))
        return str(request.scope["app"].url_path_for(endpoint, **values))

    def g_op(self, op: str, name: str, args: tuple[kit.JSON, ...], request: Any = None) -> Any:
        """urls: 'in' and iteration, which request.state (a State) takes."""
        if op == "iter":
            return sorted(request.state)
        if op == "contains":
            return name in request.state
        raise kit.Unsupported(f"g.{op}: State has no such method")  # declared missing

    # HTTP exceptions: HTTPException(status_code, detail); a 405's allowed methods
    # travel in its Allow header.
    def abort_description(self, status: int, description: str) -> NoReturn:
        raise self.http_error(status_code=status, detail=description)

    def error_detail(self, exc: BaseException, name: str) -> kit.JSON:
        if not isinstance(exc, HTTPException):
            return None
        if name == "description":
            return str(exc.detail)
        allow = (exc.headers or {}).get("Allow")
        return None if allow is None else sorted(m.strip() for m in allow.split(","))

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        base = self.http_error

        def init(self: Any) -> None:
            base.__init__(self, status_code=status, detail=description)

        return type(name, (base,), {"__init__": init})


Function = Callable[..., Any]


def handler(does: kit.Behaviour, hid: str, stage: str, recorder: kit.Recorder,
            native: kit.Native, mode: str | None = None) -> Function:  # fmt: skip
    """An endpoint or exception handler: handed the request (and the exception);
    an ``async def`` unless ``mode`` is "sync": a plain function, which Starlette
    runs in its threadpool (https://www.starlette.io/threadpool/)."""
    # An endpoint is handed the request only: its path parameters are request.path_params.
    handed: dict[str, Any] | None = {"kwargs": {}, "instance": None} if stage == "view" else None
    if mode == "sync":

        def function(request: Request, exc: Exception | None = None) -> Any:
            return kit.perform(
                does, hook=hid, stage=stage, recorder=recorder, native=native,
                request=request, exception=exc, view=handed,
            )  # fmt: skip

        return function

    async def endpoint(request: Request, exc: Exception | None = None) -> Any:
        return await kit.aperform(
            does, hook=hid, stage=stage, recorder=recorder, native=native,
            request=request, exception=exc, view=handed,
        )  # fmt: skip

    return endpoint


def exception_handlers(scenario: kit.Scenario, recorder: kit.Recorder,
                       native: kit.Native) -> dict[Any, Function]:  # fmt: skip
    """The scenario's error handlers, keyed by status or exception class (or, where
    the hook says ``instance``, an instance of it: what registering takes or refuses)."""
    return {
        _handler_key(h, native): handler(h.does, h.id, h.stage, recorder, native, h.mode)
        for h in scenario.hooks
        if h.stage == "error_handler"
    }


def _handler_key(h: kit.Hook, native: kit.Native) -> Any:
    if isinstance(h.handles, int):
        return h.handles
    by = (
        HTTPException
        if h.handles == "HTTPException"
        else kit.exception_class(str(h.handles), native)
    )
    return by() if h.instance else by  # the base of its HTTP errors, or the user's class


def session() -> Middleware:
    """Starlette's SessionMiddleware: innermost, as Flask's session is inside its WSGI app."""
    return Middleware(SessionMiddleware, secret_key="lifecycle-conformance")


def route_path(path: str) -> str:
    """A neutral path in Starlette's syntax (the same as the neutral one)."""
    return kit.route_path(path, lambda name: f"{{{name}}}")


def endpoint_class(route: kit.Route, recorder: kit.Recorder, native: kit.Native) -> type:
    """views: the route's class-based view as an HTTPEndpoint, which dispatches
    by method name, HEAD to get, and answers 405 for a method it does not define
    (https://www.starlette.io/endpoints/).  A MethodView's methods become its
    own (events ``endpoint.get``...); a View's dispatch_request answers under
    the name of each method it lists.  Starlette makes the class anew for every
    request and hands each method the request only, no keyword arguments."""
    serial = itertools.count(1)

    def init(self: Any, scope: Any, receive: Any, send: Any) -> None:
        HTTPEndpoint.__init__(self, scope, receive, send)
        self.conformance_serial = next(serial)

    def method(hid: str) -> Function:
        def handed(self: Any) -> dict[str, Any]:
            return {"kwargs": {}, "instance": self.conformance_serial}

        if route.mode == "sync":

            def plain(self: Any, request: Request) -> Any:
                return kit.perform(route.does, hook=hid, stage="view", recorder=recorder,
                                   native=native, request=request, view=handed(self))  # fmt: skip

            return plain

        async def coroutine(self: Any, request: Request) -> Any:
            return await kit.aperform(route.does, hook=hid, stage="view", recorder=recorder,
                                      native=native, request=request,
                                      view=handed(self))  # fmt: skip

        return coroutine

    namespace: dict[str, Any] = {"__init__": init}
    for name in (m.lower() for m in route.methods):
        hid = route.endpoint if route.view_class == "view" else f"{route.endpoint}.{name}"
        namespace[name] = method(hid)
    return type(f"{route.endpoint}_endpoint", (HTTPEndpoint,), namespace)


class LateClient(kit.AsgiClient):
    """The kit's ASGI client, taking a ``register`` step (steps area): ``register``
    registers the hook on the app with the framework's own call, now."""

    def __init__(self, app: Any, register: Callable[[kit.Hook], None],
                 recorder: kit.Recorder) -> None:  # fmt: skip
        super().__init__(app)
        self.register, self.recorder = register, recorder

    async def step(self, step: kit.Step) -> None:
        if step.kind != "register" or step.hook is None:  # the other steps' features are missing
            raise kit.Unsupported(f"step {step.kind!r}")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.register(step.hook)
                error = None
            except Exception as exc:  # what the framework raised
                error = type(exc).__name__
        seen: dict[str, kit.JSON] = {"error": error}
        if caught:
            seen["warning"] = caught[0].category.__name__
        self.recorder.record(kit.Event(step.id, "step", seen))


def late_registration(app: Any, recorder: kit.Recorder, native: kit.Native) -> None:
    """Keep on ``app.state`` what a LateClient takes a register step with: an
    exception handler added with the app's add_exception_handler, now (its other
    hooks are fixed once it is made)."""

    def register(hook: kit.Hook) -> None:
        if hook.stage != "error_handler":
            raise kit.Unsupported(f"registering a {hook.stage!r} hook")
        for key, f in exception_handlers(kit.Scenario(hooks=(hook,)), recorder, native).items():
            app.add_exception_handler(key, f)

    app.state.conformance_late = (register, recorder)
