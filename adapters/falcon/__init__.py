"""Falcon's two faces, one translation: ``falcon.App`` (WSGI) and ``falcon.asgi.App`` (ASGI, all
async).  A middleware component per hook (before = process_request, url_value_preprocessor =
process_resource, after = process_response; one registered late: add_middleware); error handlers by
class; wrap = WSGI/ASGI middleware around the app (FAQ).  A hook answers by filling resp (and
resp.complete).  Routes are resources.  In process: kit.WsgiClient, falcon's ASGIConductor."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import falcon
import falcon.asgi
import falcon.testing

from adapters.falcon._http import HttpErrors, encoded, error_handlers
from conformance import kit

_code = falcon.http_status_to_code
_HERE = Path(__file__).parent  # lacks.toml: what both faces lack; lacks-<face>.toml: one's
_LACKS = kit.read_lacks(_HERE / "lacks.toml")
_METHODS = {"before": "process_request", "url_value_preprocessor": "process_resource",
            "after": "process_response"}  # fmt: skip


@dataclass
class FalconNative(HttpErrors):
    """req, Response, HTTPError; ``request`` is (req, URL values if handed, else None)."""

    endpoints: Mapping[str, str]
    asynchronous: bool

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if request is None:  # a stream's chunk asks for a request context: Falcon has none
            raise kit.Unsupported(f"probe {name!r} without req")
        req, params = request  # req.context is "for storing request-specific data"
        if name in ("method", "path"):
            return str(getattr(req, name))
        if name == "view_args":
            return None if params is None else dict(params)
        return dict(vars(req.context)) if name == "g" else self.endpoints.get(req.uri_template)

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        """A detached Response of the face's class; ``_fill`` sets it on the live resp."""
        resp = (falcon.asgi.Response if self.asynchronous else falcon.Response)()
        resp.status = status or 200
        if status not in (204, 304):  # typeless, as Falcon sends them (wsgiref.validate checks)
            kinds = {"binary": "application/octet-stream", "json": falcon.MEDIA_JSON}
            resp.content_type = kinds.get(form, falcon.MEDIA_TEXT)
        resp.set_headers(dict(headers))
        if form == "stream":
            body = (c.encode() async for c in body) if self.asynchronous else encoded(body)
        attribute = {"text": "text", "binary": "data", "json": "media", "stream": "stream"}
        setattr(resp, attribute[form], body)
        return resp

    def response_status(self, response: Any) -> int:
        return int(_code(response.status))

    def abort(self, status: int) -> NoReturn:
        raise falcon.HTTPError(status)

    def error_status(self, exc: BaseException) -> int | None:
        return _code(exc.status) if isinstance(exc, falcon.HTTPError) else None

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request[0].context, key, value)

    def g_op(self, op: str, name: str, args: tuple[kit.JSON, ...], request: Any = None) -> Any:
        # urls: falcon.Context is dict-like: get, pop, setdefault, in, iteration
        context = request[0].context
        if op == "iter":
            return sorted(context)
        return name in context if op == "contains" else getattr(context, op)(name, *args)


def _fill(stage: str, resp: Any, answer: Any) -> None:
    """Answer: set the built response on resp; before the responder, resp.complete."""
    if answer is not None:
        for name in ("status", "text", "data", "media", "stream"):
            setattr(resp, name, getattr(answer, name))
        resp.set_headers(answer.headers)
        if stage in ("before", "url_value_preprocessor"):
            resp.complete = True  # skips the later process_* methods and the responder


def _handed(stage: str, args: Any, params: Any) -> tuple[Any, dict[str, Any]]:
    # What Falcon handed: (self, req, resp, ...), or (req, resp, ex, params) to a handler.
    req, resp, *rest = args[stage != "error_handler" :]
    if stage == "after":  # (resource, req_succeeded), and resp, whose status it reads
        return resp, {"request": (req, None), "response_status": _code(resp.status)}
    if stage == "error_handler":  # (ex, params)
        return resp, {"request": (req, rest[1]), "exception": rest[0]}
    if stage == "url_value_preprocessor":  # urls: params, which the responder is then given
        return resp, {"request": (req, rest[1]), "values": rest[1]}
    # process_request: (req, resp); a responder: (req, resp), the URL values as keywords
    handed: dict[str, Any] = {"request": (req, params if stage == "view" else None)}
    if stage == "view":  # urls: probe view.kwargs; a class-based view's instances, numbered
        n = getattr(args[0], "instances", None)  # {id: number}
        instance = None if n is None else n.setdefault(id(args[0]), len(n) + 1)
        handed["view"] = {"kwargs": params, "instance": instance}
    return resp, handed


class Client(kit.WsgiClient):  # the kit's: falcon.testing's reads a body whole
    late: tuple[Callable[[kit.Hook], object], kit.Recorder]  # steps: add_middleware, now

    def step(self, step: kit.Step) -> None:
        kit.register_late(step, *self.late)


class AsyncClient(falcon.testing.ASGIConductor):  # not entered: no lifespan events needed
    late: tuple[Callable[[kit.Hook], object], kit.Recorder]

    async def step(self, step: kit.Step) -> None:
        kit.register_late(step, *self.late)

    async def send(self, call: kit.Call) -> kit.Reply:
        """simulate_request runs the app in a task made from this one: the call index carries."""
        try:
            got = await self.simulate_request(call.method, call.path, headers=dict(call.headers))
        except Exception as exc:  # the app raised into the server, which answers 500
            return kit.Reply(500, (), b"", escaped=type(exc).__name__)
        return kit.Reply(got.status_code, tuple(got.headers.items()), got.content)


class FalconAdapter:
    contract = kit.CONTRACT_VERSION
    name = framework = distribution = "falcon"
    interface = "wsgi"
    server = "gunicorn"
    capabilities = kit.lacking({**_LACKS, **kit.read_lacks(_HERE / "lacks-wsgi.toml")})
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    asynchronous = False
    late: tuple[Callable[[kit.Hook], object], kit.Recorder]  # the last build's, for its client

    def function(self, does: kit.Behaviour, hid: str, stage: str, **kw: Any) -> Any:
        kw.update(hook=hid, stage=stage)

        async def coroutine(*args: Any, **params: Any) -> None:
            resp, handed = _handed(stage, args, params)
            _fill(stage, resp, await kit.aperform(does, **kw, **handed))

        def function(*args: Any, **params: Any) -> None:
            resp, handed = _handed(stage, args, params)
            _fill(stage, resp, kit.perform(does, **kw, **handed))

        return coroutine if self.asynchronous else function

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Any:
        native = FalconNative({r.path: r.endpoint for r in scenario.routes}, self.asynchronous)
        make = partial(self.function, recorder=recorder, native=native)  # Falcon's syntax: {name}

        def component(h: kit.Hook) -> Any:
            return type("Component", (), {_METHODS[h.stage]: make(h.does, h.id, h.stage)})()

        app = (falcon.asgi.App if self.asynchronous else falcon.App)(
            middleware=[component(h) for h in scenario.hooks if h.stage in _METHODS]
        )
        resources: dict[str, dict[str, Any]] = {}
        for r in scenario.routes:  # a resource per URI template, a responder per method
            own = r.view_class == "method_view"  # urls: a MethodView's methods record their own
            resources.setdefault(r.path, {}).update({f"on_{m.lower()}": make(
                r.does, f"{r.endpoint}.{m.lower()}" if own else r.endpoint, "view")
                for m in r.methods})  # fmt: skip
            if r.view_class != "function":  # urls: its instances numbered (add_route is given 1)
                resources[r.path]["instances"] = {}
        for template, resource in resources.items():
            app.add_route(template, type("Resource", (), resource)())
        add = error_handlers(app, scenario, native, make)  # by class: none by status

        def register(h: kit.Hook) -> None:  # a register step, before or after a request
            if h.stage == "error_handler":
                add(h)
            else:
                app.add_middleware(component(h))

        self.late = (register, recorder)  # for client()
        wraps = [h for h in scenario.hooks if h.stage == "wrap"]
        return (kit.asgi_layers if self.asynchronous else kit.wsgi_layers)(app, wraps, recorder)

    def client(self, app: Any) -> Any:
        client = (AsyncClient if self.asynchronous else Client)(app)
        client.late = self.late
        return client


class FalconAsgiAdapter(FalconAdapter):
    name = "falcon-asgi"
    interface = "asgi"
    server = "uvicorn"
    asynchronous = True
    capabilities = kit.lacking({**_LACKS, **kit.read_lacks(_HERE / "lacks-asgi.toml")})
