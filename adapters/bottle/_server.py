"""Bottle's own server for the http transport: ``bottle.run`` with its wsgiref adapter."""

from __future__ import annotations

import socket
import socketserver
from typing import Any
from wsgiref.simple_server import WSGIServer

import bottle  # type: ignore[import-untyped]  # Bottle ships no type information


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
