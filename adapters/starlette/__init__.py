"""Adapter for Starlette: routes, exception handlers and ASGI middleware, each
endpoint and handler an ``async def`` calling ``kit.aperform`` with the request.

In-process it runs on the kit's AsgiClient, so a scenario's requests are tasks
of the harness's event loop.  Starlette's TestClient is synchronous and runs
each request in an anyio portal's event loop on another thread: contextvars do
reach it (anyio 4.16), but concurrent requests would run in separate loops,
where aperform's rendezvous cannot meet, and on 1.10 it warns when imported.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import NoMatchFound, Route

from conformance import kit

_DOCS = "https://www.starlette.io"
_NO_CONVERSION = (
    "Starlette converts no return value: an endpoint returns a Response, as does an"
    f" exception handler ({_DOCS}/routing/, {_DOCS}/exceptions/)"
)
_NO_CONTEXT = (
    "Starlette has no request context, request global or application context: each"
    f" endpoint and exception handler is handed the request ({_DOCS}/requests/)"
)
_NO_HOOKS = (
    "Starlette has no {} hooks: a request goes through the middleware stack, the router,"
    f" the endpoint and exception handlers ({_DOCS}/middleware/, {_DOCS}/exceptions/)"
)
_NO_BLUEPRINTS = (
    "Starlette has no blueprints: a Mount groups routes under a prefix and may wrap them in"
    " middleware, but registers no request hooks or exception handlers of its own, as a"
    f" Flask blueprint does for its routes ({_DOCS}/routing/#submounting-routes)"
)
_NO_AFTER_THIS = f"Starlette has no per-request after-response callbacks ({_DOCS}/responses/)"
_MISSING = {
    "stage:url_value_preprocessor": "Starlette has no URL value preprocessors: path"
    f" parameters reach the endpoint as request.path_params ({_DOCS}/routing/)",
    "stage:before": _NO_HOOKS.format("before-request"),
    "stage:after": _NO_HOOKS.format("after-request"),
    "stage:teardown": _NO_HOOKS.format("teardown (finally)")[:-1] + "; a background task runs"
    f" only once a response was sent, and is handed no exception: {_DOCS}/background/)",
    "stage:teardown_app": _NO_CONTEXT,
    **{
        f"stage:{s}": "Starlette sends no signals: its only events are the lifespan's, at"
        f" startup and shutdown ({_DOCS}/lifespan/)"
        for s in kit.SIGNALS
    },
    **kit.each("form", kit.CONVERSION_FORMS, _NO_CONVERSION),
    **kit.each("probe", ("request", "app", "request.error", "app.error"), _NO_CONTEXT),
    "probe:blueprints": _NO_BLUEPRINTS,
    "feature:automatic-options": "Starlette does not answer OPTIONS for a route that does not"
    " list it: a route accepts only its methods (HEAD with GET), any other gets a 405"
    f" ({_DOCS}/routing/#handling-http-methods)",
    "feature:optional-trailing-slash": "a Starlette route matches its path exactly: no route"
    " serves both /d/ and /d (the router redirects to the one it has)"
    f" ({_DOCS}/routing/)",
    "feature:blueprints": _NO_BLUEPRINTS,
    "feature:nested-blueprints": _NO_BLUEPRINTS,
    "feature:after_this_request": _NO_AFTER_THIS,
    "feature:copied_context": _NO_CONTEXT,
    "feature:stream_with_context": _NO_CONTEXT,
}


class StarletteNative(kit.Native):
    """What behaviours do with Starlette's request, responses and HTTPException."""

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
        raise HTTPException(status_code=status)

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, HTTPException) else None

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request.state, key, value)

    def set_session(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.session[key] = value


class StarletteAdapter:
    contract = kit.CONTRACT_VERSION
    name = "starlette"
    framework = "starlette"
    distribution = "starlette"
    interface = "asgi"
    server = "uvicorn"  # Starlette's docs run it under uvicorn
    capabilities = kit.lacking(_MISSING)
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Starlette:
        native = StarletteNative()

        def function(does: kit.Behaviour, hid: str, stage: str) -> Any:
            async def endpoint(request: Request, exc: Exception | None = None) -> Any:
                return await kit.aperform(
                    does, hook=hid, stage=stage, recorder=recorder, native=native,
                    request=request, exception=exc,
                )  # fmt: skip

            return endpoint

        routes = [
            Route(kit.route_path(r.path, lambda name: f"{{{name}}}"), function(r.does, r.endpoint,
                  "view"), methods=list(r.methods), name=r.endpoint)
            for r in scenario.routes
        ]  # fmt: skip
        handlers = {
            h.handles if isinstance(h.handles, int) else kit.exception_class(str(h.handles)):
            function(h.does, h.id, h.stage)
            for h in scenario.hooks
            if h.stage == "error_handler"
        }  # fmt: skip
        # User middleware (first outermost) sits between ServerErrorMiddleware and
        # ExceptionMiddleware; the session innermost, as Flask's is inside its WSGI app.
        wraps = [h for h in scenario.hooks if h.stage == "wrap"]
        middleware = [Middleware(kit.AsgiLayer, hook=h, recorder=recorder) for h in wraps]
        middleware.append(Middleware(SessionMiddleware, secret_key="lifecycle-conformance"))
        return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)

    def client(self, app: Starlette) -> kit.AsgiClient:
        return kit.AsgiClient(app)
