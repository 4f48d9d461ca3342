"""What Starlette and FastAPI share: Starlette's request, responses, HTTP
error, exception handlers and session middleware, as behaviours use them.

FastAPI is built on Starlette: its Request, Response classes, exception
handler tiers and middleware stack are Starlette's, so the adapters of both
probe and answer the same way, and differ in how they build the app.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

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
            native: kit.Native) -> Function:  # fmt: skip
    """An endpoint or exception handler: handed the request (and the exception)."""

    async def endpoint(request: Request, exc: Exception | None = None) -> Any:
        return await kit.aperform(
            does, hook=hid, stage=stage, recorder=recorder, native=native,
            request=request, exception=exc,
        )  # fmt: skip

    return endpoint


def exception_handlers(scenario: kit.Scenario, recorder: kit.Recorder,
                       native: kit.Native) -> dict[Any, Function]:  # fmt: skip
    """The scenario's error handlers, keyed by status or exception class."""
    return {
        h.handles if isinstance(h.handles, int)
        else HTTPException if h.handles == "HTTPException"  # the base of its HTTP errors
        else kit.exception_class(str(h.handles), native):
        handler(h.does, h.id, h.stage, recorder, native)
        for h in scenario.hooks
        if h.stage == "error_handler"
    }  # fmt: skip


def session() -> Middleware:
    """Starlette's SessionMiddleware: innermost, as Flask's session is inside its WSGI app."""
    return Middleware(SessionMiddleware, secret_key="lifecycle-conformance")


def route_path(path: str) -> str:
    """A neutral path in Starlette's syntax (the same as the neutral one)."""
    return kit.route_path(path, lambda name: f"{{{name}}}")
