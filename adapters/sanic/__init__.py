"""Adapter for Sanic: request and response middleware, exception handlers by class, blueprints,
http.lifecycle signals, HTTPMethodView classes; async def functions unless the scenario says plain.
In process: sanic-testing's SanicASGITestClient (ASGI mode, in the harness's loop: requests keep
their call index and meet; SanicTestClient runs a server and a loop per request).  Over http:
Sanic's own server (the suite's ``transports._sanic``), or uvicorn (its ASGI mode)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from sanic import Blueprint, Request, Sanic
from sanic.application.constants import Mode
from sanic.exceptions import SanicException, ServerError
from sanic.response import ResponseStream, json, raw, redirect, text

from conformance import kit
from conformance.transports._sanic import sanic_server

from ._client import SanicClient, Started
from ._views import view_class

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

    def abort_description(self, status: int, description: str) -> NoReturn:  # HTTP exceptions
        raise SanicException(description, status_code=status)

    def error_detail(self, exc: BaseException, name: str) -> kit.JSON:
        allow = str(getattr(exc, "headers", {}).get("Allow", ""))  # MethodNotAllowed's methods
        methods = sorted(m.strip() for m in allow.split(",") if m.strip()) or None
        return getattr(exc, "message", None) if name == "description" else methods

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        return type(name, (SanicException,), {"status_code": status, "message": description})

    def url_for(self, endpoint: str, values: Mapping[str, kit.JSON], external: bool,
                anchor: str | None, method: str | None, request: Any = None) -> str:  # fmt: skip
        # urls: Sanic's app.url_for takes _external, _anchor and _method as Flask's does
        options = {"_external": external, "_anchor": anchor, "_method": method}
        kept = {k: v for k, v in options.items() if v is not None and v is not False}
        return str(request.app.url_for(endpoint, **kept, **values))

    def helper(
        self, form: str, body: Any, status: int | str | None, headers: Mapping[str, str]
    ) -> Any:
        # form "redirect" only: Sanic's redirect(to, headers=None, status=302) helper
        given: dict[str, Any] = {} if status is None else {"status": status}
        return redirect(body, headers=dict(headers), **given)


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
        if scenario.config.get("debug"):  # what app.run(debug=True) sets; the server keeps it
            app.state.mode = Mode.DEBUG
        self._built.append(app)
        native, param = SanicNative(), lambda name: f"<{name}>"

        def function(does: kit.Behaviour, hid: str, stage: str, mode: str | None) -> Any:
            def handed(args: Any, kw: Any) -> dict[str, Any]:  # what Sanic hands each stage:
                # (request[, response]), (request, exception), (request, **URL values), (self,
                # request, **URL values) to a view class's method, keywords to a signal receiver
                if stage == "view":
                    n = getattr(args[0], "conformance_serial", None)
                    return {"request": args[-1], "view": {"kwargs": kw, "instance": n}}
                signal = stage in _SIGNALS
                request = kw["request"] if signal else args[0]
                given = kw.get("response", kw.get("exception")) if signal else (*args, None)[1]
                if stage in ("after", "request_finished"):
                    return {"request": request, "response_status": given.status}
                return {"request": request, "exception": given}

            common: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder,
                                      "native": native}  # fmt: skip

            def plain(*args: Any, **kw: Any) -> Any:  # Sanic awaits what is awaitable only
                return kit.perform(does, **common, **handed(args, kw))

            async def hook(*args: Any, **kw: Any) -> Any:
                return await kit.aperform(does, **common, **handed(args, kw))

            return plain if mode == "sync" else hook

        blueprints = {b.name: Blueprint(b.name, url_prefix=b.url_prefix or None)
                      for b in scenario.blueprints}  # fmt: skip
        for r in scenario.routes:
            owner: Any = app if r.blueprint is None else blueprints[r.blueprint]
            handler = function(r.does, r.endpoint, "view", r.mode)
            if r.view_class != "function":
                handler = view_class(r, function)
            owner.add_route(handler, kit.route_path(r.path, param), methods=list(r.methods),
                            name=r.endpoint, strict_slashes=not r.slash_optional)  # fmt: skip

        def register(h: kit.Hook) -> None:
            owner = app if h.scope is None else blueprints[h.scope]
            f = function(h.does, h.id, h.stage, h.mode)
            if h.stage in ("before", "after"):
                (owner.on_request if h.stage == "before" else owner.on_response)(f)
            elif h.stage == "error_handler":
                # "HTTPException", the base of the HTTP errors, is SanicException
                by = SanicException if h.handles == "HTTPException" else None
                key = by or kit.exception_class(str(h.handles), native)
                owner.exception(key() if h.instance else key)(f)  # type: ignore[arg-type]  # an instance: what Sanic takes
            elif h.stage in _SIGNALS:
                owner.signal(_SIGNALS[h.stage])(f)

        for h in scenario.hooks:
            register(h)
        for bp in blueprints.values():
            app.blueprint(bp)
        for b in scenario.blueprints:  # registered again: under another name, as a copy of it
            for m in b.mounts:
                bp, prefix = blueprints[b.name], m.url_prefix or None
                again = bp if m.name is None else bp.copy(m.name, url_prefix=prefix)
                kit.mounted(recorder, m.id, app.blueprint, again, url_prefix=prefix)
        return Started(app, register, recorder, native)

    def client(self, app: Started) -> SanicClient:
        return SanicClient(app)
