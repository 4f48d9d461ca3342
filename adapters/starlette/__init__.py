"""Adapter for Starlette: routes, exception handlers and ASGI middleware, each
endpoint and handler an ``async def`` calling ``kit.aperform`` with the request.

In-process it runs on the kit's AsgiClient, so a scenario's requests are tasks
of the harness's event loop.  Starlette's TestClient is synchronous and runs
each request in an anyio portal's event loop on another thread: contextvars do
reach it (anyio 4.16), but concurrent requests would run in separate loops,
where aperform's rendezvous cannot meet, and on 1.10 it warns when imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.routing import Route

from adapters._starlette_family import (
    StarletteNative,
    exception_handlers,
    handler,
    route_path,
    session,
)
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
# Area execution: the adapter writes every endpoint and handler as async def.
_MISSING["feature:sync-functions"] = (
    "not translated by this adapter: Starlette runs a plain-function endpoint in a"
    " threadpool, but the adapter writes every endpoint, handler and middleware as"
    f" async def ({_DOCS}/endpoints/)"
)


# steps area: what a test does besides sending requests.
_NO_STEPS = {
    **kit.each(
        "feature",
        ("pushed-app-context", "test-request-context", "client-context", "probe-between-requests"),
        _NO_CONTEXT,
    ),
    "feature:setup-after-first-request": (
        "the adapter does not translate a late registration yet: Starlette refuses "
        "add_middleware once the app has started (RuntimeError)"
    ),
}
# urls: URL building, g as an object, class-based views
_MISSING.update({
    "stage:url_defaults": f"Starlette has no url-defaults functions: url_path_for fills a"
    f" route's path parameters from the values it is given and nothing else ({_DOCS}/routing/)",
    "feature:url-building": "Starlette's url_path_for(name, **path_params) takes path"
    " parameters only (another value is NoMatchFound, not a query argument) and has no"
    f" _external, _anchor or _method; request.url_for is always absolute ({_DOCS}/routing/)",
    "feature:g-api": "Starlette's request.state is a State, an attribute namespace with no"
    f" get, pop, setdefault, membership test or iteration ({_DOCS}/requests/#other-state)",
    "feature:class-based-views": "Starlette's HTTPEndpoint dispatches by method name but is"
    " an ASGI app of its own, made for every request: it has no View with dispatch_request,"
    f" no init_every_request and no decorators list ({_DOCS}/endpoints/)",
    "probe:view.instance": "Starlette has no Flask-style class-based views (HTTPEndpoint is an"
    f" ASGI app, not a view that as_view makes) ({_DOCS}/endpoints/)",
})  # fmt: skip


# config area: the configuration and HTTP-error concepts of Flask this framework lacks
_MISSING.update(
    {
        "feature:config-testing": (
            "Starlette has no testing mode in its configuration: its test client is a separate "
            "object and the app behaves the same under it (https://www.starlette.io/)"
        ),
        "feature:config-debug": (
            "Starlette's debug flag (Starlette(debug=True)) only chooses a traceback page for the"
            " 500; this adapter does not translate it yet (https://www.starlette.io/)"
        ),
        "feature:config-propagate-exceptions": (
            "Starlette has no setting that re-raises unhandled exceptions into the server instead"
            " of answering them (https://www.starlette.io/)"
        ),
        "feature:config-trap-http-exceptions": (
            "Starlette has no setting that sends HTTP errors the way of unhandled exceptions "
            "(Flask's TRAP_HTTP_EXCEPTIONS) (https://www.starlette.io/)"
        ),
        "feature:config-trap-bad-request-errors": (
            "Starlette has no setting that sends bad-request errors the way of unhandled "
            "exceptions (Flask's TRAP_BAD_REQUEST_ERRORS) (https://www.starlette.io/)"
        ),
        "feature:config-no-secret-key": (
            "Starlette has no app-wide secret key whose absence its sessions depend on (Flask's "
            "SECRET_KEY and NullSession) (https://www.starlette.io/)"
        ),
        "feature:config-server-name": (
            "Starlette has no server-name setting that routing binds to (Flask's SERVER_NAME) "
            "(https://www.starlette.io/)"
        ),
        "probe:exception.original": (
            "Starlette wraps no unhandled exception in an HTTP 500 error that keeps it as "
            "original_exception (https://www.starlette.io/)"
        ),
        "feature:automatic-options-opt-out": (
            "Starlette has no automatic OPTIONS answer for a route to turn off"
        ),
    }
)


class StarletteAdapter:
    contract = kit.CONTRACT_VERSION
    name = "starlette"
    framework = "starlette"
    distribution = "starlette"
    interface = "asgi"
    server = "uvicorn"  # Starlette's docs run it under uvicorn
    capabilities = kit.lacking({**_MISSING, **_NO_STEPS})
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Starlette:
        native = StarletteNative()
        routes = [
            Route(route_path(r.path), handler(r.does, r.endpoint, "view", recorder, native),
                  methods=list(r.methods), name=r.endpoint)
            for r in scenario.routes
        ]  # fmt: skip
        handlers = exception_handlers(scenario, recorder, native)
        # User middleware (first outermost) sits between ServerErrorMiddleware and
        # ExceptionMiddleware; the session innermost, as Flask's is inside its WSGI app.
        wraps = [h for h in scenario.hooks if h.stage == "wrap"]
        middleware = [Middleware(kit.AsgiLayer, hook=h, recorder=recorder) for h in wraps]
        middleware.append(session())
        return Starlette(routes=routes, middleware=middleware, exception_handlers=handlers)

    def client(self, app: Starlette) -> kit.AsgiClient:
        return kit.AsgiClient(app)
