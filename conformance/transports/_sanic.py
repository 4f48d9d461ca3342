"""Sanic's own server for the http transport (``--server sanic``, the Sanic adapter's
default, which gets it from ``sanic_server``):
"Sanic ships with its own internal web server. Under most circumstances, this is the
preferred method for deployment" (https://sanic.dev/en/guide/deployment/running.html).

It serves one Sanic app, so it is a hosting server (``Server.host``): a control app serves
the suite's control endpoints on the suite's socket, and each scenario's app is served on a
socket of its own, in the same loop and process, both through Sanic's low-level API for a
server in a running loop (``Sanic.create_server``, then ``AsyncioServer.startup``,
``start_serving``, ``close``: https://sanic.dev/api/sanic.server.html): no worker manager
forks, no banner or motd is printed.  Requests are tagged by a protocol of Sanic's own kind
(``create_server(protocol=...)``), not by changing the app; one is finished when Sanic's
request handler, the app's ``handle_request``, has returned: the response was sent.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from sanic import Request, Sanic
from sanic.response import raw
from sanic.server.protocols.http_protocol import HttpProtocol

from ..contract import ScenarioRequests, Server
from ._hosting import call_asgi

# What Sanic's HTTP/1 writer adds to every response's headers (Http.http1_response_header),
# as a server does: not the app's headers.
_WRITER = frozenset(("content-length", "transfer-encoding", "connection", "alt-svc"))


def serve_sanic(control: Any, sock: socket.socket) -> None:
    """Serve ``control``, the suite's ASGI control app, on ``sock`` with a Sanic app under
    Sanic's server until the process ends; each scenario's app runs in this loop too."""
    app = _quiet(Sanic("conformance_control", configure_logging=False))

    async def forward(request: Request, path: str) -> Any:
        status, headers, body = await call_asgi(
            control, request.method, request.path, request.query_string,
            request.headers.items(), request.body)  # fmt: skip
        return raw(body, status=status, headers=dict(headers))  # its own Content-Type

    app.add_route(forward, "/<path:path>", methods=["GET", "POST"])

    async def main() -> None:
        await _start(app, sock, HttpProtocol)
        await asyncio.Event().wait()  # until the process ends

    loop: asyncio.AbstractEventLoop
    try:  # Sanic's runner uses uvloop where it is installed (config USE_UVLOOP)
        import uvloop

        loop = uvloop.new_event_loop()
    except ImportError:
        loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    loop.run_until_complete(main())


def sanic_server(sanic_app: Callable[[Any], Sanic[Any, Any]]) -> Server:
    """Sanic's server, for an adapter whose ``build`` returns what ``sanic_app``
    turns into the scenario's Sanic app."""

    async def host(app: Any, sock: socket.socket, requests: ScenarioRequests) -> Any:
        return await host_sanic(sanic_app(app), sock, requests)

    return Server("sanic", "asgi", "sanic", serve_sanic, host)


async def host_sanic(app: Sanic[Any, Any], sock: socket.socket, requests: ScenarioRequests) -> Any:
    """Serve one scenario's Sanic ``app`` on ``sock``; the function that stops it."""

    class Tagging(HttpProtocol):
        __slots__ = ()

        def _setup(self) -> None:
            super()._setup()  # type: ignore[no-untyped-call]  # untyped in Sanic
            self.request_handler = partial(_handle, self.request_handler, requests)

    server = await _start(_quiet(app), sock, Tagging)

    async def stop() -> None:
        await server.before_stop()
        server.close()  # no new connections
        for connection in list(server.connections):
            connection.close_if_idle()
        deadline = time.monotonic() + 1.0  # the suite's requests have all ended by now
        while server.connections and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        for connection in list(server.connections):
            connection.abort()
        await server.wait_closed()
        await server.after_stop()

    return stop


async def _start(app: Sanic[Any, Any], sock: socket.socket, protocol: type) -> Any:
    server: Any = await app.create_server(  # an AsyncioServer, whose methods are untyped
        sock=sock, protocol=protocol, access_log=False, return_asyncio_server=True
    )
    await server.startup()  # what Sanic's worker does: the app's startup, then its listeners
    await server.before_start()
    await server.start_serving()
    await server.after_start()
    return server


def _quiet(app: Sanic[Any, Any]) -> Sanic[Any, Any]:
    app.config.TOUCHUP = False  # it rewrites HttpProtocol itself, for the first app started
    app.config.MOTD = False
    return app


async def _handle(inner: Any, requests: ScenarioRequests, request: Request) -> None:
    """Sanic's request handler for one request, tagged: ``inner`` is the app's."""
    headers = request.headers
    begun = requests.begin(headers.get(requests.header), headers.get(requests.secret_header))
    if begun.refusal is not None:  # not the scenario's request: answered without the app
        refusal = begun.refusal
        response = raw(refusal.body, refusal.status, headers=dict(refusal.headers))
        request.stream.respond(response)  # type: ignore[union-attr]  # the HTTP/1 stream
        await response.send(end_stream=True)
        return
    del request.headers[requests.header]
    del request.headers[requests.secret_header]
    escaped = None
    try:
        await inner(request)
    except Exception as exc:  # into Sanic's server, which answers as it does
        escaped = type(exc).__name__
        raise
    finally:
        sent = getattr(getattr(request.stream, "response", None), "headers", ())
        begun.finish([n for n in sent if n.lower() not in _WRITER], escaped)
