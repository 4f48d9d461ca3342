"""Adapter for Litestar: route handlers, the lifecycle hooks before_request,
after_request and after_response, the app's after_exception hooks, exception
handlers by status or class, Routers for blueprints, and ASGI middleware.  A
layer (app, router) holds one callable per hook: a later hook of a stage
replaces an earlier one (app hooks are each set by an on_app_init callable of
their own).  Views are annotated with the type they return, as Litestar
requires.  In process: the kit's AsgiClient, so requests are tasks of the
harness's loop (Litestar's TestClient runs the app on a portal thread)."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator, Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from litestar import Litestar, Request, Response, Router, route
from litestar.exceptions import HTTPException, NoRouteMatchFoundException
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.response import Stream
from litestar.utils.scope.state import CONNECTION_STATE_KEY

from conformance import kit

_DOCS = "https://docs.litestar.dev/2/usage"
_SLOTS = {"before": "before_request", "after": "after_request", "teardown": "after_response"}
_ANNOTATIONS: dict[str, Any] = {"str": str, "bytes": bytes, "dict": dict, "list": list,
    "tuple": tuple, "none": None, "int": int, "generator": AsyncGenerator[str, None],
    "bytearray": bytearray, "iterator": Iterator[str], "typed_json": dict}  # fmt: skip


class LitestarNative(kit.Native):
    """What behaviours do with Litestar's request, Response, Stream and HTTPException."""

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if request is None:  # an after_request hook is handed the response only
            return None
        scope = request.scope
        if name in ("session", "session.data"):
            data = scope.get("session")
            return isinstance(data, dict) if name == "session" else data and dict(data)
        if name == "g":  # less the key where Litestar keeps its own connection state
            return {k: v for k, v in request.state.items() if k != CONNECTION_STATE_KEY}
        if name == "endpoint":
            return getattr(scope.get("route_handler"), "name", None)
        if name == "view_args":
            return None if "path_params" not in scope else dict(scope["path_params"])
        if name in ("method", "path"):
            return str(request.method if name == "method" else request.url.path)
        if name == "url_for":
            try:
                return str(request.app.route_reverse("index"))
            except NoRouteMatchFoundException as exc:
                return f"<{type(exc).__name__}>"
        raise kit.Unsupported(f"probe {name!r}")

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        kw: dict[str, Any] = {"status_code": status or 200, "headers": dict(headers)}
        if form == "stream":
            return Stream(body, media_type="text/plain", **kw)
        kinds = {"text": "text/plain", "binary": "application/octet-stream"}
        return Response(body, media_type=kinds.get(form, "application/json"), **kw)

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def abort(self, status: int) -> NoReturn:
        raise HTTPException(status_code=status)

    def error_status(self, exc: BaseException) -> int | None:
        return exc.status_code if isinstance(exc, HTTPException) else None

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.state[key] = value

    def g_op(self, op: str, name: str, args: tuple[kit.JSON, ...], request: Any = None) -> Any:
        # urls: Litestar's State is a MutableMapping: get, pop, setdefault, in, iteration
        # (the names, as probe "g", less the key of Litestar's own connection state)
        state = request.state
        if op == "iter":
            return sorted(k for k in state if k != CONNECTION_STATE_KEY)
        return name in state if op == "contains" else getattr(state, op)(name, *args)

    def set_session(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.session[key] = value

    def abort_description(self, status: int, description: str) -> NoReturn:  # HTTP exceptions
        raise HTTPException(status_code=status, detail=description)

    def error_detail(self, exc: BaseException, name: str) -> kit.JSON:
        if not isinstance(exc, HTTPException) or name == "description":
            return exc.detail if isinstance(exc, HTTPException) else None
        allow = {k.lower(): v for k, v in (exc.headers or {}).items()}.get("allow")  # a 405's
        return None if allow is None else sorted(m.strip() for m in allow.split(","))

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        init = partial(HTTPException.__init__, status_code=status, detail=description)
        return type(name, (HTTPException,), {"__init__": lambda self: init(self)})


class LitestarAdapter:
    contract = kit.CONTRACT_VERSION
    name = "litestar"
    framework = "litestar"
    distribution = "litestar"
    interface = "asgi"
    server = "uvicorn"  # Litestar's docs and its CLI run it under uvicorn
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Litestar:
        kw: dict[str, Any] = {"recorder": recorder, "native": LitestarNative()}
        layers: dict[str | None, dict[str, Any]] = {b.name: {} for b in scenario.blueprints}
        layers[None], inits = {}, []
        for h in scenario.hooks:
            layer, fn = layers[h.scope], _hook(h, kw)
            if h.stage == "error_handler":
                by = (
                    h.handles if isinstance(h.handles, int)
                    else HTTPException if h.handles == "HTTPException"  # its HTTP errors' base
                    else kit.exception_class(str(h.handles), kw["native"])
                )  # fmt: skip
                layer.setdefault("exception_handlers", {})[by] = fn
            elif h.stage == "got_request_exception":
                layer.setdefault("after_exception", []).append(fn)
            elif h.stage == "wrap":
                wrap = DefineMiddleware(kit.AsgiLayer, hook=h, recorder=recorder)  # type: ignore[arg-type]  # an ASGI app class
                layer.setdefault("middleware", []).append(wrap)
            elif h.scope is None:  # the app's one slot, set by an init callable of its own
                inits.append(partial(replace, **{_SLOTS[h.stage]: fn}))
            else:  # a router's one slot: a later hook of the stage replaces an earlier one
                layer[_SLOTS[h.stage]] = fn
        handlers: dict[str | None, list[Any]] = {name: [] for name in layers}
        for r in scenario.routes:
            handlers[r.blueprint].append(_view(r, kw))

        def router(b: kit.Blueprint) -> Router:  # its routes, then the routers nested in it
            own = handlers[b.name] + [router(c) for c in scenario.blueprints if c.parent == b.name]
            return Router(b.url_prefix or "/", route_handlers=own, **layers[b.name])

        handlers[None] += [router(b) for b in scenario.blueprints if b.parent is None]
        if _uses_session(scenario):  # innermost, after every middleware the scenario lists
            layers[None].setdefault("middleware", []).append(ServerSideSessionConfig().middleware)
        return Litestar(handlers[None], on_app_init=inits, debug=False, **layers[None])

    def client(self, app: Litestar) -> kit.AsgiClient:
        return kit.AsgiClient(app)


def _uses_session(scenario: kit.Scenario) -> bool:
    """Whether the session is used: only then is Litestar's session middleware added."""
    does = [r.does for r in scenario.routes] + [h.does for h in scenario.hooks]
    return any(d.set_session or {"session", "session.data"} & set(d.probes) for d in does)


def _hook(h: kit.Hook, kw: dict[str, Any]) -> Any:
    """The function Litestar calls for hook ``h``, with what Litestar hands it."""
    does, hid, stage = h.does, h.id, h.stage

    async def before(request: Request[Any, Any, Any]) -> Any:
        return await kit.aperform(does, hook=hid, stage=stage, request=request, **kw)

    async def after(response: Response[Any]) -> Response[Any]:  # handed no request
        status = response.status_code
        answer = await kit.aperform(does, hook=hid, stage=stage, response_status=status, **kw)
        if does.returns is not None and does.returns.form == "none":
            return None  # type: ignore[return-value]  # the hook returns None as told
        return answer or response

    async def after_response(request: Request[Any, Any, Any]) -> None:
        await kit.aperform(does, hook=hid, stage=stage, request=request, **kw)

    async def after_exception(exc: Exception, scope: Any) -> None:  # handed the scope
        request = Request[Any, Any, Any](scope)
        await kit.aperform(does, hook=hid, stage=stage, exception=exc, request=request, **kw)

    def handler(request: Request[Any, Any, Any], exc: Exception) -> Any:  # called, not awaited
        return kit.perform(does, hook=hid, stage=stage, request=request, exception=exc, **kw)

    stages = {"before": before, "after": after, "teardown": after_response}
    return {**stages, "got_request_exception": after_exception}.get(stage, handler)


def _view(r: kit.Route, kw: dict[str, Any]) -> Any:
    """A route handler for ``r``, annotated with the type it returns."""

    async def function(request: Request[Any, Any, Any]) -> Any:
        return await kit.aperform(r.does, hook=r.endpoint, stage="view", request=request, **kw)

    function.__annotations__["return"] = _ANNOTATIONS.get(
        r.does.returns.form if r.does.returns else "none", Response
    )
    path = kit.route_path(r.path, lambda name: f"{{{name}:str}}")
    # Litestar defaults DELETE to 204, which refuses a body: 200, as for GET.
    status = 200 if "DELETE" in r.methods else None
    methods: list[Any] = list(r.methods)
    return route(path, http_method=methods, name=r.endpoint, status_code=status)(function)
