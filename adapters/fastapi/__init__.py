"""Adapter for FastAPI: path operations, app-level dependencies (pre-dispatch),
dependencies with ``yield`` (the finally stage), exception handlers and
``@app.middleware("http")``, each an ``async def`` calling ``kit.aperform``,
or, where the scenario says so, a plain function (a generator for ``yield``)
calling ``kit.perform``, which FastAPI runs in its threadpool.

FastAPI is Starlette underneath (adapters/_starlette_family.py): the request,
the responses, the exception handler tiers and the middleware stack are
Starlette's.  What it adds is what a path operation returns being converted
(to JSON, by jsonable_encoder), and dependencies.  In-process it runs on the
kit's AsgiClient, as Starlette's adapter does (its TestClient is Starlette's).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Depends, FastAPI, HTTPException, Request, Response

from adapters._starlette_family import (
    LateClient,
    StarletteNative,
    exception_handlers,
    late_registration,
    route_path,
    session,
)
from conformance import kit

_DOCS = "https://fastapi.tiangolo.com"


class FastAPINative(StarletteNative):
    """Starlette's Native, raising FastAPI's own HTTPException."""

    http_error = HTTPException


Next = Callable[[Request], Awaitable[Response]]


class FastAPIAdapter:
    contract = kit.CONTRACT_VERSION
    name = "fastapi"
    framework = "fastapi"
    distribution = "fastapi"
    interface = "asgi"
    server = "uvicorn"  # FastAPI's docs run it under uvicorn (fastapi run, too)
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> FastAPI:
        native = FastAPINative()
        kw: dict[str, Any] = {"recorder": recorder, "native": native}

        def view(r: kit.Route) -> Callable[[Request], Any]:
            if r.mode == "sync":  # execution: FastAPI runs a plain function in its threadpool

                def function(request: Request) -> Any:
                    return kit.perform(r.does, hook=r.endpoint, stage="view", request=request,
                                       **kw)  # fmt: skip

                return function

            async def endpoint(request: Request) -> Any:  # its value goes to jsonable_encoder
                return await kit.aperform(r.does, hook=r.endpoint, stage="view", request=request,
                                          **kw)  # fmt: skip

            return endpoint

        def before(hook: kit.Hook) -> Any:  # Depends(...): typed Any by FastAPI
            if hook.mode == "sync":

                def function(request: Request) -> Any:  # FastAPI ignores what it returns
                    return kit.perform(hook.does, hook=hook.id, stage="before", request=request,
                                       **kw)  # fmt: skip

                return Depends(function)

            async def dependency(request: Request) -> Any:
                return await kit.aperform(hook.does, hook=hook.id, stage="before",
                                          request=request, **kw)  # fmt: skip

            return Depends(dependency)

        def teardown(hook: kit.Hook) -> Any:
            if hook.mode == "sync":  # a generator, which FastAPI runs in its threadpool

                def generator(request: Request) -> Iterator[None]:
                    exception: Exception | None = None
                    try:
                        yield
                    except Exception as exc:
                        exception = exc
                        raise
                    finally:
                        kit.perform(hook.does, hook=hook.id, stage="teardown",
                                    request=request, exception=exception, **kw)  # fmt: skip

                return Depends(generator)

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
            debug=bool(scenario.config.get("debug", False)),  # config area: its own debug flag
            exception_handlers=exception_handlers(scenario, recorder, native),
        )  # fmt: skip
        for r in scenario.routes:
            app.add_api_route(route_path(r.path), view(r), name=r.endpoint,
                              methods=list(r.methods), response_model=None)  # fmt: skip
        # Each @app.middleware("http") wraps those added before it: the last is outermost.
        for hook in reversed([h for h in scenario.hooks if h.stage == "wrap"]):
            app.middleware("http")(middleware(hook))

        late_registration(app, recorder, native)  # register steps
        return app

    def client(self, app: FastAPI) -> LateClient:
        return LateClient(app, *app.state.conformance_late)
