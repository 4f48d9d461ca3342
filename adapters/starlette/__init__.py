"""Adapter for Starlette: routes (an HTTPEndpoint for a class-based view),
exception handlers and ASGI middleware, each endpoint and handler an ``async
def`` calling ``kit.aperform`` with the request, or a plain function calling
``kit.perform`` where the scenario says so (Starlette runs it in its threadpool).

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
    LateClient,
    StarletteNative,
    endpoint_class,
    exception_handlers,
    handler,
    late_registration,
    route_path,
    session,
)
from conformance import kit

_DOCS = "https://www.starlette.io"


class StarletteAdapter:
    contract = kit.CONTRACT_VERSION
    name = "starlette"
    framework = "starlette"
    distribution = "starlette"
    interface = "asgi"
    server = "uvicorn"  # Starlette's docs run it under uvicorn
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Starlette:
        native = StarletteNative()
        routes = [
            Route(route_path(r.path), endpoint_class(r, recorder, native), name=r.endpoint)
            if r.view_class != "function"  # views: an HTTPEndpoint: its methods say what it accepts
            else Route(route_path(r.path),
                       handler(r.does, r.endpoint, "view", recorder, native, r.mode),
                       methods=list(r.methods), name=r.endpoint)
            for r in scenario.routes
        ]  # fmt: skip
        handlers = exception_handlers(scenario, recorder, native)
        # User middleware (first outermost) sits between ServerErrorMiddleware and
        # ExceptionMiddleware; the session innermost, as Flask's is inside its WSGI app.
        wraps = [h for h in scenario.hooks if h.stage == "wrap"]
        middleware = [Middleware(kit.AsgiLayer, hook=h, recorder=recorder) for h in wraps]
        middleware.append(session())
        app = Starlette(
            routes=routes, middleware=middleware, exception_handlers=handlers,
            debug=bool(scenario.config.get("debug", False)),  # config area: its own debug flag
        )  # fmt: skip

        late_registration(app, recorder, native)  # register steps
        return app

    def client(self, app: Starlette) -> LateClient:
        return LateClient(app, *app.state.conformance_late)
