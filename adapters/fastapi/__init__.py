"""Adapter for FastAPI: path operations, app-level dependencies (pre-dispatch),
dependencies with ``yield`` (the finally stage), exception handlers and
``@app.middleware("http")``, each an ``async def`` calling ``kit.aperform``.

FastAPI is Starlette underneath (adapters/_starlette_family.py): the request,
the responses, the exception handler tiers and the middleware stack are
Starlette's.  What it adds is what a path operation returns being converted
(to JSON, by jsonable_encoder), and dependencies.  In-process it runs on the
kit's AsgiClient, as Starlette's adapter does (its TestClient is Starlette's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Depends, FastAPI, HTTPException, Request, Response

from adapters._starlette_family import (
    StarletteNative,
    exception_handlers,
    route_path,
    session,
)
from conformance import kit

_DOCS = "https://fastapi.tiangolo.com"
_NO_CONTEXT = (
    "FastAPI has no request context, request global or application context: a path"
    " operation, dependency, middleware or exception handler declares a Request parameter"
    f" ({_DOCS}/advanced/using-request-directly/)"
)
_NO_BLUEPRINTS = (
    "FastAPI has no blueprints: an APIRouter groups path operations under a prefix with"
    " dependencies of their own, but is merged into the app's routes when included, and"
    " has no hooks or exception handlers of its own, as a Flask blueprint has"
    f" ({_DOCS}/tutorial/bigger-applications/)"
)
_NO_SIGNALS = (
    "FastAPI sends no signals: its only events are the lifespan's, at startup and shutdown"
    f" ({_DOCS}/advanced/events/)"
)
_MISSING = {
    "stage:url_value_preprocessor": "FastAPI has no URL value preprocessors: path"
    " parameters are handed to the path operation as its arguments"
    f" ({_DOCS}/tutorial/path-params/)",
    "stage:after": "FastAPI has no post-dispatch hooks handed the response: only middleware"
    " sees it, and a dependency with yield runs its exit code without the response"
    f" ({_DOCS}/tutorial/middleware/, {_DOCS}/tutorial/dependencies/dependencies-with-yield/)",
    "stage:teardown_app": _NO_CONTEXT,
    **kit.each("stage", kit.SIGNALS, _NO_SIGNALS),
    "form:wsgi": "FastAPI is an ASGI framework: a WSGI application is mounted with"
    f" WSGIMiddleware, never run as a path operation's return value ({_DOCS}/advanced/wsgi/)",
    **kit.each("probe", ("request", "app", "request.error", "app.error"), _NO_CONTEXT),
    "probe:blueprints": _NO_BLUEPRINTS,
    "feature:automatic-head": "A FastAPI path operation answers only the methods it is"
    " declared for: a GET path operation does not serve HEAD (a 405), unlike a Starlette"
    f" Route ({_DOCS}/tutorial/first-steps/#operation)",
    "feature:automatic-options": "FastAPI does not answer OPTIONS for a path operation that"
    f" does not declare it: any other method gets a 405 ({_DOCS}/tutorial/first-steps/#operation)",
    "feature:optional-trailing-slash": "a FastAPI path operation matches its path exactly: no"
    " route serves both /d/ and /d (the router redirects to the one it has)"
    f" ({_DOCS}/reference/fastapi/#fastapi.FastAPI--redirect_slashes)",
    "feature:blueprints": _NO_BLUEPRINTS,
    "feature:nested-blueprints": _NO_BLUEPRINTS,
    "feature:after_this_request": "FastAPI has no per-request after-response callbacks that"
    " are handed the response: BackgroundTasks run once it was sent, and are handed nothing"
    f" ({_DOCS}/tutorial/background-tasks/)",
    "feature:copied_context": _NO_CONTEXT,
    "feature:stream_with_context": _NO_CONTEXT,
    # area returns: the return values made with Flask's and Werkzeug's helpers
    "form:base_response": "FastAPI is not built on Werkzeug: its responses are Starlette's,"
    f" with no base class of another library beneath them ({_DOCS}/advanced/custom-response/)",
    "form:make_response": "FastAPI has no make_response helper: a path operation returns a"
    f" Response it builds, or data to serialise ({_DOCS}/advanced/response-directly/)",
    "form:redirect": "FastAPI has no redirect() helper: a path operation returns a"
    f" RedirectResponse it builds ({_DOCS}/advanced/custom-response/#redirectresponse)",
    "form:http_exception": "FastAPI's HTTPException is raised, never returned: a returned"
    f" one is data to serialise like any other value ({_DOCS}/tutorial/handling-errors/)",
}
# Area execution: the adapter writes every path operation and dependency as async def.
_MISSING["feature:sync-functions"] = (
    "not translated by this adapter: FastAPI runs a plain-function path operation or"
    " dependency in a threadpool, but the adapter writes each as async def"
    " (https://fastapi.tiangolo.com/async/#path-operation-functions)"
)
# urls: URL building, g as an object, class-based views
_MISSING.update({
    "stage:url_defaults": "FastAPI has no url-defaults functions: url_path_for fills a route's"
    f" path parameters from the values it is given and nothing else ({_DOCS}/reference/fastapi/)",
    "feature:url-building": "FastAPI's url_path_for(name, **path_params) (Starlette's) takes"
    " path parameters only and has no _external, _anchor or _method"
    f" ({_DOCS}/reference/fastapi/)",
    "feature:g-api": "FastAPI's request.state is Starlette's State, an attribute namespace"
    f" with no get, pop, setdefault, membership test or iteration ({_DOCS}/reference/request/)",
    **kit.each("feature", ("class-based-views",), "FastAPI's path operations are functions:"
        f" it has no View or MethodView class ({_DOCS}/tutorial/first-steps/)"),
    "probe:view.instance": "FastAPI has no class-based views: no instance answers a request",
})  # fmt: skip


class FastAPINative(StarletteNative):
    """Starlette's Native, raising FastAPI's own HTTPException."""

    http_error = HTTPException


Next = Callable[[Request], Awaitable[Response]]


# steps area: what a test does besides sending requests.
_NO_STEPS = {
    **kit.each(
        "feature",
        ("pushed-app-context", "test-request-context", "client-context", "probe-between-requests"),
        _NO_CONTEXT,
    ),
    "feature:setup-after-first-request": (
        "the adapter does not translate a late registration yet: Starlette, under FastAPI, "
        "refuses add_middleware once the app has started (RuntimeError)"
    ),
}
# config area: the configuration and HTTP-error concepts of Flask this framework lacks
_MISSING.update(
    {
        "feature:config-testing": (
            "FastAPI has no testing mode in its configuration: its test client is a separate "
            "object and the app behaves the same under it (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-debug": (
            "FastAPI's debug flag (FastAPI(debug=True)) only chooses a traceback page for the "
            "500; this adapter does not translate it yet (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-propagate-exceptions": (
            "FastAPI has no setting that re-raises unhandled exceptions into the server instead "
            "of answering them (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-trap-http-exceptions": (
            "FastAPI has no setting that sends HTTP errors the way of unhandled exceptions "
            "(Flask's TRAP_HTTP_EXCEPTIONS) (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-trap-bad-request-errors": (
            "FastAPI has no setting that sends bad-request errors the way of unhandled exceptions"
            " (Flask's TRAP_BAD_REQUEST_ERRORS) (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-no-secret-key": (
            "FastAPI has no app-wide secret key whose absence its sessions depend on (Flask's "
            "SECRET_KEY and NullSession) (https://fastapi.tiangolo.com/)"
        ),
        "feature:config-server-name": (
            "FastAPI has no server-name setting that routing binds to (Flask's SERVER_NAME) "
            "(https://fastapi.tiangolo.com/)"
        ),
        "probe:exception.original": (
            "FastAPI wraps no unhandled exception in an HTTP 500 error that keeps it as "
            "original_exception (https://fastapi.tiangolo.com/)"
        ),
        "feature:automatic-options-opt-out": (
            "FastAPI has no automatic OPTIONS answer for a route to turn off"
        ),
    }
)


class FastAPIAdapter:
    contract = kit.CONTRACT_VERSION
    name = "fastapi"
    framework = "fastapi"
    distribution = "fastapi"
    interface = "asgi"
    server = "uvicorn"  # FastAPI's docs run it under uvicorn (fastapi run, too)
    capabilities = kit.lacking({**_MISSING, **_NO_STEPS})
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> FastAPI:
        native = FastAPINative()
        kw: dict[str, Any] = {"recorder": recorder, "native": native}

        def view(does: kit.Behaviour, hid: str) -> Callable[[Request], Awaitable[Any]]:
            async def endpoint(request: Request) -> Any:  # its value goes to jsonable_encoder
                return await kit.aperform(does, hook=hid, stage="view", request=request, **kw)

            return endpoint

        def before(hook: kit.Hook) -> Any:  # Depends(...): typed Any by FastAPI
            async def dependency(request: Request) -> Any:  # FastAPI ignores what it returns
                return await kit.aperform(hook.does, hook=hook.id, stage="before",
                                          request=request, **kw)  # fmt: skip

            return Depends(dependency)

        def teardown(hook: kit.Hook) -> Any:
            async def dependency(request: Request) -> AsyncIterator[None]:
                exception: Exception | None = None
                try:  # FastAPI throws the request's exception in at the yield
                    yield
                except Exception as exc:
                    exception = exc
                    raise  # as FastAPI's docs ask: re-raised, it reaches the handlers
                finally:  # the exit code: after the response was sent (scope "request")
                    await kit.aperform(hook.does, hook=hook.id, stage="teardown",
                                       request=request, exception=exception, **kw)  # fmt: skip

            return Depends(dependency)

        def middleware(hook: kit.Hook) -> Callable[[Request, Next], Awaitable[Response]]:
            async def dispatch(request: Request, call_next: Next) -> Response:
                early = await kit.aperform(hook.does, hook=hook.id, stage="wrap",
                                           request=request, **kw)  # fmt: skip
                if early is not None:
                    return early  # type: ignore[no-any-return]  # one of FastAPI's responses
                response = await call_next(request)
                late = await kit.aperform(
                    hook.then or kit.Behaviour(), hook=kit.exit_id(hook), stage="wrap_exit",
                    request=request, response_status=response.status_code, **kw,
                )  # fmt: skip
                return response if late is None else late

            return dispatch

        # Dependencies with yield first: entered before the pre-dispatch ones, their
        # exit code runs whatever those do (in reverse order of entry).
        hooks = [h for h in scenario.hooks if h.stage == "teardown"]
        dependencies = [teardown(h) for h in hooks]
        dependencies += [before(h) for h in scenario.hooks if h.stage == "before"]
        app = FastAPI(
            dependencies=dependencies, middleware=[session()],
            exception_handlers=exception_handlers(scenario, recorder, native),
        )  # fmt: skip
        for r in scenario.routes:
            app.add_api_route(route_path(r.path), view(r.does, r.endpoint), name=r.endpoint,
                              methods=list(r.methods), response_model=None)  # fmt: skip
        # Each @app.middleware("http") wraps those added before it: the last is outermost.
        for hook in reversed([h for h in scenario.hooks if h.stage == "wrap"]):
            app.middleware("http")(middleware(hook))
        return app

    def client(self, app: FastAPI) -> kit.AsgiClient:
        return kit.AsgiClient(app)
