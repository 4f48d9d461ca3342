"""Adapter for Sanic: request and response middleware, exception handlers by class, blueprints
and http.lifecycle signals.  In process: sanic-testing's SanicASGITestClient (ASGI mode, in the
harness's loop: requests keep their call index and meet; SanicTestClient runs a server and a loop
per request).  Over http: Sanic's own server (the suite's ``transports._sanic``), or uvicorn
(its ASGI mode)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from sanic import Blueprint, Request, Sanic
from sanic.exceptions import SanicException, ServerError
from sanic.response import ResponseStream, json, raw, text
from sanic_testing.testing import SanicASGITestClient  # type: ignore[import-untyped]  # untyped

from conformance import kit
from conformance.transports._sanic import sanic_server

# Sent at the same point and handed the same: before routing (request), before the response
# is sent (request, response), when an exception is handled (request, exception).
_SIGNALS = {"request_started": "http.lifecycle.handle",
            "request_finished": "http.lifecycle.response",
            "got_request_exception": "http.lifecycle.exception"}  # fmt: skip


class SanicNative(kit.Native):  # Sanic's request, responses and SanicException
    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if name in ("request", "request.error"):
            try:
                return Request.get_current() is not None if name == "request" else None
            except ServerError as exc:  # "No current request"
                return False if name == "request" else type(exc).__name__
        if request is None:  # handed none (work a view started): the current one, if any
            try:
                request = Request.get_current()
            except ServerError:
                return None
        if name == "g":  # request.ctx: "arbitrary data may be stored in request context"
            return dict(vars(request.ctx))
        route = request.route
        if name == "endpoint":  # <app>.[<blueprint>.]<handler>; the app's name is ours
            return None if route is None else str(route.name).partition(".")[2]
        if name == "view_args":
            return None if route is None else dict(request.match_info)
        if name in ("method", "path"):
            return str(getattr(request, name))
        if name != "url_for":
            raise kit.Unsupported(f"probe {name!r}")
        try:
            return str(request.app.url_for("index"))
        except Exception as exc:
            return f"<{type(exc).__name__}>"

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        kw: dict[str, Any] = {"status": status or 200, "headers": dict(headers)}
        if form in ("text", "binary", "json"):
            return (text if form == "text" else raw if form == "binary" else json)(body, **kw)

        async def write(response: Any) -> None:
            async for chunk in body:
                await response.write(chunk)

        return ResponseStream(write, content_type="text/plain; charset=utf-8", **kw)

    def response_status(self, response: Any) -> int:
        return int(response.status)

    def abort(self, status: int) -> NoReturn:
        raise SanicException(status_code=status)  # exceptions.html: "Using Sanic exceptions"

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, SanicException) else None

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request.ctx, key, value)

    def url_for(
        self,
        endpoint: str,
        values: Mapping[str, kit.JSON],
        external: bool,
        anchor: str | None,
        method: str | None,
        request: Any = None,
    ) -> str:
        # urls: Sanic's app.url_for takes _external, _anchor and _method as Flask's does
        options = {"_external": external, "_anchor": anchor, "_method": method}
        kept = {k: v for k, v in options.items() if v is not None and v is not False}
        return str(request.app.url_for(endpoint, **kept, **values))


class SanicAdapter:
    contract = kit.CONTRACT_VERSION
    name = framework = distribution = "sanic"
    interface = "asgi"
    server = sanic_server(lambda started: started.app)  # --server uvicorn: its ASGI mode
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    _numbers = itertools.count(1)
    _built: ClassVar[list[Sanic[Any, Any]]] = []

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Started:
        if self._built:  # Sanic's registry of app names forgets the last scenario's
            Sanic.unregister_app(self._built.pop())
        app = Sanic(f"scenario_{next(self._numbers)}", configure_logging=False)
        app.config.TOUCHUP = False  # it rewrites the Sanic class for the first app started
        self._built.append(app)
        native, param = SanicNative(), lambda name: f"<{name}>"

        def function(does: kit.Behaviour, hid: str, stage: str) -> Any:
            async def hook(*args: Any, **kwargs: Any) -> Any:  # what Sanic hands each stage:
                # (request[, response]), (request, exception), (request, **URL values), context
                signal = stage in _SIGNALS
                request = kwargs["request"] if signal else args[0]
                given: Any = kwargs.get("response", kwargs.get("exception")) if signal else (
                    args[1] if len(args) > 1 else None)  # fmt: skip
                handed = {"exception": given}
                if stage in ("after", "request_finished"):
                    handed = {"response_status": given.status}
                return await kit.aperform(does, hook=hid, stage=stage, recorder=recorder,
                                          native=native, request=request, **handed)  # fmt: skip

            return hook

        blueprints = {b.name: Blueprint(b.name, url_prefix=b.url_prefix or None)
                      for b in scenario.blueprints}  # fmt: skip
        for r in scenario.routes:
            owner: Any = app if r.blueprint is None else blueprints[r.blueprint]
            owner.add_route(function(r.does, r.endpoint, "view"), kit.route_path(r.path, param),
                            methods=list(r.methods), name=r.endpoint,
                            strict_slashes=not r.slash_optional)  # fmt: skip
        for h in scenario.hooks:
            owner = app if h.scope is None else blueprints[h.scope]
            f = function(h.does, h.id, h.stage)
            if h.stage in ("before", "after"):
                (owner.on_request if h.stage == "before" else owner.on_response)(f)
            elif h.stage == "error_handler":
                # "HTTPException", the base of the HTTP errors, is SanicException
                by = SanicException if h.handles == "HTTPException" else None
                owner.exception(by or kit.exception_class(str(h.handles)))(f)
            elif h.stage in _SIGNALS:
                owner.signal(_SIGNALS[h.stage])(f)
        for bp in blueprints.values():
            app.blueprint(bp)
        for b in scenario.blueprints:  # registered again: under another name, as a copy of it
            for m in b.mounts:
                bp, prefix = blueprints[b.name], m.url_prefix or None
                again = bp if m.name is None else bp.copy(m.name, url_prefix=prefix)
                kit.mounted(recorder, m.id, app.blueprint, again, url_prefix=prefix)
        return Started(app)

    def client(self, app: Started) -> SanicClient:
        return SanicClient(app.app)


class Started:
    """The app, started by its lifespan protocol (the dispatcher answers the server's)."""

    def __init__(self, app: Sanic[Any, Any]) -> None:
        self.app, self.started = app, asyncio.Event()
        self.lifespan: asyncio.Future[Any] | None = None  # its task waits for a shutdown

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.lifespan is None:  # startup, and then no shutdown ever comes
            given: asyncio.Queue[Any] = asyncio.Queue()
            given.put_nowait({"type": "lifespan.startup"})

            async def sent(message: Any) -> None:  # startup.complete (or .failed)
                self.started.set()

            self.lifespan = asyncio.ensure_future(self.app({"type": "lifespan"}, given.get, sent))
        await self.started.wait()
        await self.app(scope, receive, send)


class SanicClient:
    """sanic-testing's ASGI client, speaking Call and Reply."""

    def __init__(self, app: Sanic[Any, Any]) -> None:
        self.client = SanicASGITestClient(app)

    async def send(self, call: kit.Call) -> kit.Reply:
        try:
            _, response = await self.client.request(
                call.method, call.path, headers=dict(call.headers), gather_request=False
            )
        except Exception as exc:  # the app raised into the server, which answers 500
            return kit.Reply(500, (), b"", escaped=type(exc).__name__)
        return kit.Reply(response.status_code, tuple(response.headers.items()), response.content)
