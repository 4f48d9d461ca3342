"""Adapter for Litestar: route handlers, the lifecycle hooks before_request,
after_request and after_response, the app's after_exception hooks, exception
handlers by status or class, Routers for blueprints, and ASGI middleware.  A
layer (app, router) holds one callable per hook: a later hook of a stage
replaces an earlier one (app hooks are each set by an on_app_init callable of
their own).  Hooks and views are async def functions unless the scenario
says plain, which Litestar runs too; views are route handlers, or Controllers
for class-based views (``_handlers``).  In process: the kit's AsgiClient, so
requests are tasks of the harness's loop (Litestar's TestClient runs the app on a portal thread)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, ClassVar, NoReturn

from litestar import Litestar, Request, Response, Router
from litestar.exceptions import HTTPException, NoRouteMatchFoundException
from litestar.middleware import DefineMiddleware
from litestar.middleware.session.server_side import ServerSideSessionConfig
from litestar.response import Redirect, Stream
from litestar.utils.scope.state import CONNECTION_STATE_KEY

from conformance import kit

from ._handlers import view

_DOCS = "https://docs.litestar.dev/2/usage"
_SLOTS = {"before": "before_request", "after": "after_request", "teardown": "after_response"}


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

    def url_for(self, endpoint: str, values: Mapping[str, kit.JSON], external: bool,
                anchor: str | None, method: str | None, request: Any = None) -> str:  # fmt: skip
        # urls: Litestar's route_reverse(name, **path_parameters) builds a route handler's path
        return str(request.app.route_reverse(endpoint, **values))

    def helper(
        self, form: str, body: Any, status: int | str | None, headers: Mapping[str, str]
    ) -> Any:
        # form "redirect" only: Litestar's Redirect(path, status_code=302) response
        given: dict[str, Any] = {} if status is None else {"status_code": status}
        return Redirect(body, headers=dict(headers), **given)

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
            handlers[r.blueprint].append(view(r, kw))

        def router(b: kit.Blueprint) -> Router:  # its routes, then the routers nested in it
            own = handlers[b.name] + [router(c) for c in scenario.blueprints if c.parent == b.name]
            return Router(b.url_prefix or "/", route_handlers=own, **layers[b.name])

        handlers[None] += [router(b) for b in scenario.blueprints if b.parent is None]
        if _uses_session(scenario):  # innermost, after every middleware the scenario lists
            layers[None].setdefault("middleware", []).append(ServerSideSessionConfig().middleware)
        debug = bool(scenario.config.get("debug", False))  # config area: Litestar(debug=...)
        return Litestar(handlers[None], on_app_init=inits, debug=debug, **layers[None])

    def client(self, app: Litestar) -> kit.AsgiClient:
        return kit.AsgiClient(app)


def _uses_session(scenario: kit.Scenario) -> bool:
    """Whether the session is used: only then is Litestar's session middleware added."""
    does = [r.does for r in scenario.routes] + [h.does for h in scenario.hooks]
    return any(d.set_session or {"session", "session.data"} & set(d.probes) for d in does)


def _hook(h: kit.Hook, kw: dict[str, Any]) -> Any:
    """The function Litestar calls for hook ``h``, with what Litestar hands it: an async def
    function, or a plain one where the scenario says so (Litestar runs a plain hook in a
    worker thread); an exception handler is plain unless told, as Litestar calls it unawaited."""
    does, stage = h.does, h.stage
    common = {"hook": h.id, "stage": stage, **kw}

    def given(args: tuple[Any, ...]) -> dict[str, Any]:
        if stage == "after":  # handed the response only
            return {"response_status": args[0].status_code}
        if stage == "got_request_exception":  # handed the exception and the scope
            return {"exception": args[0], "request": Request[Any, Any, Any](args[1])}
        return {"request": args[0], "exception": args[1] if len(args) > 1 else None}

    def finish(args: tuple[Any, ...], answer: Any) -> Any:
        if stage != "after" or (does.returns is not None and does.returns.form == "none"):
            return answer  # an after hook returning None as told
        return answer or args[0]  # the response it was handed, carried on

    def plain(*args: Any) -> Any:
        return finish(args, kit.perform(does, **common, **given(args)))

    async def coroutine(*args: Any) -> Any:
        return finish(args, await kit.aperform(does, **common, **given(args)))

    sync = h.mode == "sync" or (h.mode is None and stage == "error_handler")
    return plain if sync else coroutine
