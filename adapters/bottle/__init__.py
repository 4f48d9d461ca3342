"""Adapter for Bottle, run through the kit's WSGI client (Bottle has none).
Bottle's cycle: before_request hooks (before routing), the route callback (inside
the plugins installed, as url_value_preprocessor: handed its URL values),
after_request hooks (reversed, whatever the outcome), then error handlers by
status as the return value is cast.  A hook answers by raising HTTPResponse;
request and response are thread-local globals.  Config: debug is bottle.debug
(module-wide, set anew by every build), propagate_exceptions is the app's
catchall switch turned off.  A hook registered late is add_hook called then."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import bottle  # type: ignore[import-untyped]  # Bottle ships no type information

from adapters.bottle._server import serve_bottle
from conformance import kit
from conformance.kit import JSON

_EXT = "bottle.request.ext."  # where Bottle keeps attributes set on the request
_KINDS = {"json": "application/json", "binary": "application/octet-stream"}


class BottleNative(kit.Native):
    def url_for(self, endpoint: str, values: Mapping[str, JSON], *_: Any, **__: Any) -> str:
        # urls: Bottle.get_url(routename, **values); values the route does not take go in
        # the query string
        return str(bottle.request.app.get_url(endpoint, **values))

    def probe(self, name: str, request: Any = None) -> JSON:
        try:
            environ: dict[str, Any] = bottle.request.environ
        except RuntimeError as exc:  # the thread never had a request bound
            unbound: dict[str, JSON] = {"request": False, "request.error": type(exc).__name__}
            return unbound.get(name)
        if name in ("request", "request.error"):
            return name == "request" or None
        if name == "g":
            return {k.removeprefix(_EXT): v for k, v in environ.items() if k.startswith(_EXT)}
        if name == "endpoint":
            route = environ.get("bottle.route")
            return None if route is None else str(route.name)
        if name == "view_args":
            args = environ.get("route.url_args")
            return None if args is None else dict(args)
        if name == "url_for":
            try:
                return self.url_for("index", {})
            except Exception as exc:
                return f"<{type(exc).__name__}>"
        if name in ("method", "path"):
            return str(getattr(bottle.request, name))
        raise KeyError(f"unknown probe {name!r}")

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        if form == "json":
            body = json.dumps(body)
        answer = bottle.HTTPResponse(body, status or 200, dict(headers))
        if form in _KINDS and "Content-Type" not in headers:
            answer.content_type = _KINDS[form]
        return answer

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def status_line(self, response: Any, line: str) -> Any:
        response.status = line  # BaseResponse.status: a code or a status line
        return response

    def abort(self, status: int) -> NoReturn:
        bottle.abort(status)
        raise AssertionError("abort() returned")  # pragma: no cover

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, bottle.HTTPError) else None

    # HTTP exceptions: abort(code, text), HTTPError's body; an HTTPResponse raised.
    def abort_description(self, status: int, description: str) -> NoReturn:
        bottle.abort(status, description)
        raise AssertionError("abort() returned")  # pragma: no cover

    def abort_response(self, response: Any) -> NoReturn:
        raise response  # a raised HTTPResponse is sent as it is

    def error_detail(self, exc: BaseException, name: str) -> JSON:
        if not isinstance(exc, bottle.HTTPError):
            return None
        if name == "description":
            return str(exc.body)
        allow = exc.get_header("Allow")  # Bottle's 405 lists the allowed methods there
        return None if allow is None else sorted(m.strip() for m in allow.split(","))

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        def init(self: Any) -> None:
            bottle.HTTPError.__init__(self, status, description)

        return type(name, (bottle.HTTPError,), {"__init__": init})

    def set_g(self, key: str, value: JSON, request: Any = None) -> None:
        # BaseRequest: attributes set on the request, kept in its environ, are
        # "the recommended way to store and access request-specific data".
        setattr(bottle.request, key, value)


class BottleAdapter:
    contract = kit.CONTRACT_VERSION
    name = "bottle"
    framework = "bottle"
    distribution = "bottle"
    interface = "wsgi"
    server = "gunicorn"
    servers: ClassVar[tuple[kit.Server, ...]] = ()  # Bottle's own: set below
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    late: tuple[Callable[[kit.Hook], None], kit.Recorder]  # the last build's, for its client

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Any:
        app = bottle.Bottle()
        # production: an exception becomes a 500 response, unless propagate_exceptions
        app.config["catchall"] = not scenario.config.get("propagate_exceptions", False)
        with warnings.catch_warnings():  # bottle.debug(True) also resets the warning filters
            bottle.debug(bool(scenario.config.get("debug", False)))
        native = BottleNative()

        def hook(does: kit.Behaviour, hid: str, stage: str) -> Callable[..., Any]:
            kw: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder}

            def function(*args: Any, **url_args: Any) -> Any:
                handed: dict[str, Any] = {}
                if stage == "after":
                    handed["response_status"] = bottle.response.status_code
                elif stage == "error_handler":
                    handed["exception"] = args[0]
                elif stage == "view":  # urls: probe view.kwargs
                    handed["view"] = {"kwargs": url_args, "instance": None}
                answer = kit.perform(does, native=native, **kw, **handed)
                # A hook answers only by raising HTTPResponse; what it returns is ignored.
                if stage in ("before", "after") and isinstance(answer, bottle.HTTPResponse):
                    raise answer
                return answer

            return function

        for r in scenario.routes:
            view = hook(r.does, r.endpoint, "view")
            path = kit.route_path(r.path, lambda name: f"<{name}>")
            app.route(path, method=list(r.methods), callback=view, name=r.endpoint)

        def plugin(h: kit.Hook) -> Callable[[Any], Any]:  # a decorator of every route callback
            def apply(callback: Any) -> Any:
                def wrapper(**url_args: Any) -> Any:  # urls: the values the callback is given
                    answer = kit.perform(h.does, hook=h.id, stage=h.stage, recorder=recorder,
                                         native=native, values=url_args)  # fmt: skip
                    return callback(**url_args) if answer is None else answer

                return wrapper

            return apply

        def register(h: kit.Hook) -> None:
            if h.stage == "url_value_preprocessor":  # a plugin: routing is done, the view next
                app.install(plugin(h))
            elif h.stage == "error_handler" and isinstance(h.handles, int):
                app.error(h.handles)(hook(h.does, h.id, h.stage))  # 0.12: a decorator only
            elif h.stage in ("before", "after"):
                app.add_hook(f"{h.stage}_request", hook(h.does, h.id, h.stage))

        for h in scenario.hooks:
            register(h)
        self.late = (register, recorder)  # steps: what client() hands a register step
        # WSGI middleware wraps the app, as Bottle's FAQ shows (StripPathMiddleware).
        return kit.wsgi_layers(app, [h for h in scenario.hooks if h.stage == "wrap"], recorder)

    def client(self, app: Any) -> kit.WsgiClient:
        return Client(app, *self.late)


class Client(kit.WsgiClient):  # steps: a register step's hook added now, with add_hook
    def __init__(self, app: Any, register: Callable[[kit.Hook], None], recorder: Any) -> None:
        super().__init__(app)
        self.register, self.recorder = register, recorder

    def step(self, step: kit.Step) -> None:  # only "register": Bottle lacks the other kinds
        kit.register_late(step, self.register, self.recorder)


BOTTLE_SERVER = kit.Server("bottle", "wsgi", "bottle", serve_bottle)
BottleAdapter.servers = (BOTTLE_SERVER,)  # --server bottle
