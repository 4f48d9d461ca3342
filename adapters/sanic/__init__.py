"""Adapter for Sanic: request and response middleware (``app.on_request``,
``app.on_response``), exception handlers by class (``app.exception``),
blueprints, and the ``http.lifecycle.*`` signals, each one ``async def``
calling ``kit.aperform`` with the request Sanic hands it.

In process it runs on sanic-testing's SanicASGITestClient: Sanic's ASGI mode
on httpx's transport, in the harness's event loop, so every request's task
keeps its call index and concurrent requests meet.  (sanic-testing's other
client, SanicTestClient, starts Sanic's server and a new event loop for every
request.)  Over http it runs under uvicorn in ASGI mode: the suite hands a
server its dispatcher, an ASGI app building each scenario's app on demand,
and Sanic's own server serves only a Sanic app fixed when it starts.
"""

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

_DOCS = "https://sanic.dev/en/guide"
_NO_CONTEXT = (
    "Sanic has no application context: no current_app and nothing torn down with it; apps"
    f" are looked up by name in a registry (Sanic.get_app) ({_DOCS}/basics/app.html)"
)
_NO_FINALLY = (
    "Sanic has no teardown (finally) stage: a request ends with its response middleware and"
    " the http.lifecycle.response signal; the signal http.lifecycle.complete is sent per"
    f" connection, handed only its connection info ({_DOCS}/advanced/signals.html)"
)
_NO_REQUEST_TOOLS = (
    "Sanic has no {}: the current request is a context variable (Request.get_current()),"
    f" which tasks copy as any context variable ({_DOCS}/basics/request.html)"
)
_MISSING = {
    "stage:wrap": "Sanic has no wrapping middleware: its middleware is split into request"
    " middleware, run before the handler, and response middleware, run after it; none calls"
    f" the next layer ({_DOCS}/basics/middleware.html)",
    "stage:url_value_preprocessor": "Sanic has no URL value preprocessors: request middleware"
    " may change request.match_info, but nothing runs before it with the URL values"
    f" ({_DOCS}/basics/middleware.html#modification)",
    "stage:teardown": _NO_FINALLY,
    "stage:request_tearing_down": _NO_FINALLY,
    "stage:teardown_app": _NO_CONTEXT,
    **kit.each("stage", ("appcontext_pushed", "appcontext_tearing_down", "appcontext_popped"),
               _NO_CONTEXT),
    **kit.each("probe", ("app", "app.error"), _NO_CONTEXT),
    **kit.each("form", kit.CONVERSION_FORMS, "Sanic converts no return value: a handler"
               " returns an HTTPResponse (text, json, raw...), anything else is a ServerError"
               f" 'Invalid response type' ({_DOCS}/basics/response.html)"),
    **kit.each("probe", ("session", "session.data"), "Sanic has no sessions in its core"),
    "feature:session-write": "Sanic has no sessions in its core",
    "probe:blueprints": "a Sanic request does not list its blueprints: a blueprint's route"
    f" is only named <app>.<blueprint>.<handler> ({_DOCS}/best-practices/blueprints.html)",
    "feature:nested-blueprints": "Sanic has no blueprint inside a blueprint: Blueprint.group"
    " groups blueprints under a prefix and middleware, but has no routes or handlers of its"
    f" own and names no endpoint ({_DOCS}/best-practices/blueprints.html#blueprint-groups)",
    "feature:error-handler-by-status": "Sanic registers exception handlers by exception class"
    " only (app.exception(*exceptions), looked up along the class's MRO); a status code is an"
    f" attribute of a SanicException ({_DOCS}/best-practices/exceptions.html#handling)",
    **kit.each("feature", ("automatic-head", "automatic-options"), "Sanic answers HEAD and"
               " OPTIONS only on a route that lists them (app.head, app.options): any other"
               f" route answers them 405 ({_DOCS}/basics/routing.html#http-methods)"),
    "feature:trailing-slash-redirect": "Sanic never redirects to the trailing slash: with"
    f" strict_slashes a route matches its path exactly ({_DOCS}/basics/routing.html)",
    **kit.each("feature", ("after_this_request",), "Sanic has no per-request after-response"
               f" callbacks ({_DOCS}/basics/middleware.html)"),
    "feature:copied_context": _NO_REQUEST_TOOLS.format("copy_current_request_context"),
    "feature:stream_with_context": _NO_REQUEST_TOOLS.format("stream_with_context"),
}
_MISSING["stage:after_this_request"] = _MISSING["feature:after_this_request"]
_MISSING["stage:copied_context"] = _MISSING["feature:copied_context"]
_MISSING["stage:wrap_exit"] = _MISSING["stage:wrap"]
# The suite's signal stages and the Sanic signals sent at the same point of a
# request, handed the same things (signals.html, "Built-in signals").
_SIGNALS = {
    "request_started": "http.lifecycle.handle",  # (request) before routing and middleware
    "request_finished": "http.lifecycle.response",  # (request, response) before it is sent
    "got_request_exception": "http.lifecycle.exception",  # (request, exception)
}


class SanicNative(kit.Native):
    """What behaviours do with Sanic's request, responses and SanicException."""

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if name in ("request", "request.error"):
            try:
                Request.get_current()
            except ServerError as exc:  # "No current request"
                return False if name == "request" else type(exc).__name__
            return name == "request" or None
        if name == "g":  # request.ctx: "arbitrary data may be stored in request context"
            return dict(vars(request.ctx))
        route = request.route
        if name == "endpoint":  # <app>.[<blueprint>.]<handler>; the app's name is ours
            return None if route is None else str(route.name).partition(".")[2]
        if name == "view_args":
            return None if route is None else dict(request.match_info)
        if name in ("method", "path"):
            return str(getattr(request, name))
        if name == "url_for":
            try:
                return str(request.app.url_for("index"))
            except Exception as exc:
                return f"<{type(exc).__name__}>"
        raise kit.Unsupported(f"probe {name!r}")

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        kw: dict[str, Any] = {"status": status or 200, "headers": dict(headers)}
        if form == "text":
            return text(body, **kw)
        if form == "binary":
            return raw(body, **kw)
        if form == "json":
            return json(body, **kw)

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


class SanicAdapter:
    contract = kit.CONTRACT_VERSION
    name = "sanic"
    framework = "sanic"
    distribution = "sanic"
    interface = "asgi"
    server = "uvicorn"  # Sanic's ASGI mode: see the module's docstring
    capabilities = kit.lacking(_MISSING)
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    _numbers = itertools.count(1)
    _built: ClassVar[list[Sanic]] = []

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Started:
        for old in self._built:  # the registry of app names forgets the last scenario's
            Sanic.unregister_app(old)
        app = Sanic(f"scenario_{next(self._numbers)}", configure_logging=False)
        self._built[:] = [app]
        native = SanicNative()

        def function(does: kit.Behaviour, hid: str, stage: str) -> Any:
            async def hook(*args: Any, **kwargs: Any) -> Any:
                # Middleware gets (request[, response]), a handler (request, exception),
                # a view (request, **URL values), a signal its context as keywords.
                request = kwargs["request"] if stage in _SIGNALS else args[0]
                given = kwargs.get("response", kwargs.get("exception")) if stage in _SIGNALS else (
                    args[1] if len(args) > 1 else None)
                kw: dict[str, Any] = {"exception": given}
                if stage in ("after", "request_finished"):
                    kw = {"response_status": given.status}
                return await kit.aperform(
                    does, hook=hid, stage=stage, recorder=recorder, native=native,
                    request=request, **kw,
                )  # fmt: skip

            return hook

        blueprints = {b.name: Blueprint(b.name, url_prefix=b.url_prefix or None)
                      for b in scenario.blueprints}  # fmt: skip
        for r in scenario.routes:
            owner: Any = app if r.blueprint is None else blueprints[r.blueprint]
            path = kit.route_path(r.path, lambda name: f"<{name}>")
            owner.add_route(function(r.does, r.endpoint, "view"), path, methods=list(r.methods),
                            name=r.endpoint, strict_slashes=not r.slash_optional)  # fmt: skip
        for h in scenario.hooks:
            if h.app_wide:  # the contract has no capability for it: the run says "error"
                raise kit.Unsupported("a Sanic blueprint registers nothing for the whole app")
            owner = app if h.scope is None else blueprints[h.scope]
            f = function(h.does, h.id, h.stage)
            if h.stage == "before":
                owner.on_request(f)
            elif h.stage == "after":
                owner.on_response(f)
            elif h.stage == "error_handler":
                owner.exception(kit.exception_class(str(h.handles)))(f)
            elif h.stage in _SIGNALS:
                owner.signal(_SIGNALS[h.stage])(f)
        for bp in blueprints.values():
            app.blueprint(bp)
        return Started(app)

    def client(self, app: Started) -> SanicClient:
        return SanicClient(SanicASGITestClient(app.app))


class Started:
    """The Sanic app as an ASGI app that starts it through its own lifespan
    protocol on its first request: the suite's dispatcher answers the server's
    lifespan itself, and a Sanic app serves no request before its startup."""

    def __init__(self, app: Sanic) -> None:
        self.app, self.started = app, asyncio.Event()
        self.starting: asyncio.Task[None] | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.starting is None:
            messages = [{"type": "lifespan.startup"}]

            async def given() -> Any:
                return messages.pop() if messages else await asyncio.Event().wait()

            async def sent(message: Any) -> None:
                self.started.set()

            self.starting = asyncio.ensure_future(self.app({"type": "lifespan"}, given, sent))
        await self.started.wait()
        await self.app(scope, receive, send)


class SanicClient:
    """sanic-testing's ASGI client, speaking Call and Reply."""

    def __init__(self, client: Any) -> None:
        self.client = client

    async def send(self, call: kit.Call) -> kit.Reply:
        try:
            _, response = await self.client.request(
                call.method, call.path, headers=dict(call.headers), gather_request=False
            )
        except Exception as exc:  # the app raised into the server, which answers 500
            return kit.Reply(500, (), b"", escaped=type(exc).__name__)
        return kit.Reply(response.status_code, tuple(response.headers.multi_items()),
                         response.content)  # fmt: skip
