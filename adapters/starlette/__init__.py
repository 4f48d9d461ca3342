"""Adapter for Starlette, an ASGI toolkit: routes, exception handlers and
ASGI middleware are its whole lifecycle.  Every endpoint and handler is an
``async def`` calling ``kit.aperform`` with the request Starlette hands it.

In-process it runs through the kit's AsgiClient (httpx's ASGITransport), so a
scenario's requests are tasks of the harness's one event loop.  Starlette's
TestClient is synchronous: each request runs in an anyio portal's event loop
on another thread (checked: the caller's contextvars do reach it, with anyio
4.16), so concurrent requests would run in separate loops, where aperform's
rendezvous cannot meet; and on 1.10 importing it with httpx warns
(StarletteDeprecationWarning), which the project's tests make an error.
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

_NO_CONVERSION = (
    "Starlette converts no return value: an endpoint or exception handler returns a"
    " Response (docs: Endpoints, Responses)"
)
_NO_CONTEXT = (
    "Starlette has no request context, request global or application context: the"
    " request is handed to each endpoint and handler (docs: Requests)"
)
_NO_HOOKS = (
    "Starlette has no {} hooks: its request lifecycle is the middleware stack, the"
    " router, the endpoint and exception handlers (docs: Middleware, Exceptions)"
)
_MISSING = {
    "stage:url_value_preprocessor": "Starlette has no URL value preprocessors: path"
    " parameters reach the endpoint as request.path_params (docs: Routing)",
    "stage:before": _NO_HOOKS.format("before-request"),
    "stage:after": _NO_HOOKS.format("after-request"),
    "stage:teardown": _NO_HOOKS.format("teardown (finally)") + "; background tasks run after"
    " a response is sent, only if it was, and are handed no exception (docs: Background Tasks)",
    "stage:teardown_app": _NO_CONTEXT,
    **{
        f"stage:{s}": "Starlette sends no signals (blinker or other): only lifespan events"
        " at startup and shutdown (docs: Lifespan)"
        for s in kit.SIGNALS
    },
    **{f"form:{f}": _NO_CONVERSION for f in kit.CONVERSION_FORMS},
    **{f"probe:{p}": _NO_CONTEXT for p in ("request", "app", "request.error", "app.error")},
    "probe:blueprints": "Starlette has no blueprints (see feature 'blueprints')",
    "feature:automatic-options": "Starlette does not answer OPTIONS for a route: a route that"
    " does not list OPTIONS answers it 405, like any method it does not allow (docs: Routing)",
    "feature:optional-trailing-slash": "a Starlette route matches its path exactly: no route"
    " serves both /d/ and /d; the router's redirect_slashes redirects to the other (docs: Routing)",
    "feature:blueprints": "Starlette's Mount groups routes under a prefix, but registers no hooks"
    " or exception handlers of its own for them (only ASGI middleware): Flask's blueprints scope"
    " hooks and error handlers to their routes (docs: Routing, Submounting routes)",
    "feature:nested-blueprints": "Starlette has no blueprints (see feature 'blueprints')",
    "feature:after_this_request": "Starlette has no per-request after-response callbacks",
    "feature:copied_context": _NO_CONTEXT,
    "feature:stream_with_context": _NO_CONTEXT,
}


def _has(kind: str, names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(n for n in names if f"{kind}:{n}" not in _MISSING)


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
        status: int = response.status_code
        return status

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
    capabilities = kit.Capabilities(
        stages=_has("stage", kit.STAGES),
        forms=_has("form", kit.FORMS),
        probes=_has("probe", kit.PROBES),
        features=_has("feature", kit.FEATURES),
        missing=_MISSING,
    )
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
            Route(
                kit.route_path(r.path, lambda name: f"{{{name}}}"),
                function(r.does, r.endpoint, "view"),
                methods=list(r.methods),
                name=r.endpoint,
            )
            for r in scenario.routes
        ]
        handlers = {
            h.handles if isinstance(h.handles, int) else kit.exception_class(str(h.handles)):
            function(h.does, h.id, h.stage)
            for h in scenario.hooks
            if h.stage == "error_handler"
        }  # fmt: skip
        # The user's middleware, first outermost, sits between Starlette's
        # ServerErrorMiddleware and its ExceptionMiddleware; the session
        # middleware innermost of it, as Flask opens the session inside its
        # WSGI middleware.
        middleware = [
            *(
                Middleware(kit.AsgiLayer, hook=h, recorder=recorder)
                for h in scenario.hooks
                if h.stage == "wrap"
            ),
            Middleware(SessionMiddleware, secret_key="lifecycle-conformance"),
        ]
        return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)

    def client(self, app: Starlette) -> kit.AsgiClient:
        return kit.AsgiClient(app)
