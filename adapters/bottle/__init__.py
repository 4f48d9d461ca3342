"""Adapter for Bottle, run through the kit's WSGI client (Bottle has none).
Bottle's cycle: before_request hooks (before routing), the route callback,
after_request hooks (reversed, whatever the outcome), then error handlers by
status as the return value is cast.  A hook answers by raising HTTPResponse;
request and response are thread-local globals."""

from __future__ import annotations

import json
import socket
import socketserver
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn
from wsgiref.simple_server import WSGIServer

import bottle  # type: ignore[import-untyped]  # Bottle ships no type information

from conformance import kit
from conformance.kit import JSON

_EXT = "bottle.request.ext."  # where Bottle keeps attributes set on the request
_KINDS = {"json": "application/json", "binary": "application/octet-stream"}


class BottleNative(kit.Native):
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
                return str(bottle.request.app.get_url("index"))
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

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> Any:
        app = bottle.Bottle()
        app.config["catchall"] = True  # production: an exception becomes a 500 response
        native = BottleNative()

        def hook(does: kit.Behaviour, hid: str, stage: str) -> Callable[..., Any]:
            kw: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder}

            def function(*args: Any, **url_args: Any) -> Any:
                handed: dict[str, Any] = {}
                if stage == "after":
                    handed["response_status"] = bottle.response.status_code
                elif stage == "error_handler":
                    handed["exception"] = args[0]
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
        for h in scenario.hooks:
            if h.stage == "error_handler" and isinstance(h.handles, int):
                app.error(h.handles)(hook(h.does, h.id, h.stage))  # 0.12: a decorator only
            elif h.stage in ("before", "after"):
                app.add_hook(f"{h.stage}_request", hook(h.does, h.id, h.stage))
        # WSGI middleware wraps the app, as Bottle's FAQ shows (StripPathMiddleware).
        return kit.wsgi_layers(app, [h for h in scenario.hooks if h.stage == "wrap"], recorder)

    def client(self, app: Any) -> kit.WsgiClient:
        return kit.WsgiClient(app)


def serve_bottle(app: Any, sock: socket.socket) -> None:
    """Serve ``app`` on the listening ``sock`` with ``bottle.run`` and Bottle's
    wsgiref adapter, whose ``server_class`` adopts the socket and serves each
    request in a thread of its own (a concurrent scenario's requests meet)."""

    class Adopted(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

        def server_bind(self) -> None:
            self.socket.close()
            self.socket = sock
            host, port = sock.getsockname()[:2]
            self.server_address = (host, port)
            self.server_name, self.server_port = host, port
            self.setup_environ()

        def server_activate(self) -> None:
            pass  # the suite's socket is listening already

    server = bottle.WSGIRefServer(host="127.0.0.1", port=0, server_class=Adopted)
    bottle.run(app, server=server, quiet=True)


BOTTLE_SERVER = kit.Server("bottle", "wsgi", "bottle", serve_bottle)
BottleAdapter.servers = (BOTTLE_SERVER,)  # --server bottle
