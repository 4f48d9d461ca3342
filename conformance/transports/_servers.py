"""The real servers the http transport runs apps under, and how each is
started on a listening socket handed to it by the suite.

Two halves: ``choose_server`` runs in the suite (which server, and is it
installed?); the ``_serve_*`` functions run in the server process.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from importlib.util import find_spec
from typing import Any

from .._errors import UsageError
from ..contract import Adapter, Server

INSTALL_HINT = "pip install 'lifecycle-conformance[http]'"


def _serve_werkzeug(app: Any, sock: socket.socket) -> None:
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").disabled = True  # a line per request, a traceback per 500
    # threaded: a concurrent scenario's requests must be in the app at once.
    make_server("127.0.0.1", 0, app, threaded=True, fd=sock.fileno()).serve_forever()


def _serve_gunicorn(app: Any, sock: socket.socket) -> None:
    from gunicorn.app.base import BaseApplication  # type: ignore[import-untyped] # no types

    class Embedded(BaseApplication):  # type: ignore[misc] # an untyped base
        def load_config(self) -> None:
            # One worker, so every request finds the scenario it loaded;
            # threads, so a concurrent scenario's requests run at once.
            options = {
                "bind": [f"fd://{sock.fileno()}"],
                "workers": 1,
                "worker_class": "gthread",
                "threads": 16,
                "graceful_timeout": 2,
                "accesslog": None,
                "loglevel": "warning",
                # gunicorn 25+ opens a control socket under the home directory
                # (~/.gunicorn/gunicorn.ctl): a server of the suite leaves no file.
                "control_socket_disable": True,
            }
            for key, value in options.items():
                if key in self.cfg.settings:  # older gunicorns lack the newer settings
                    self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    Embedded().run()


def _serve_uvicorn(app: Any, sock: socket.socket) -> None:
    import uvicorn

    config = uvicorn.Config(app, interface="asgi3", log_level="warning", access_log=False)
    uvicorn.Server(config).run(sockets=[sock])


def _serve_hypercorn(app: Any, sock: socket.socket) -> None:
    from hypercorn.asyncio import serve
    from hypercorn.config import Config

    config = Config()
    config.bind = [f"fd://{sock.fileno()}"]
    config.accesslog = None
    config.loglevel = "WARNING"
    asyncio.run(serve(app, config, mode="asgi"))


SERVERS: dict[str, Server] = {
    s.name: s
    for s in (
        Server("werkzeug", "wsgi", "werkzeug", _serve_werkzeug),
        Server("gunicorn", "wsgi", "gunicorn", _serve_gunicorn),
        Server("uvicorn", "asgi", "uvicorn", _serve_uvicorn),
        Server("hypercorn", "asgi", "hypercorn", _serve_hypercorn),
    )
}
# Werkzeug's server comes with every WSGI framework of the Flask family.
DEFAULT_SERVER: dict[str, str] = {"wsgi": "werkzeug", "asgi": "uvicorn"}


def known_servers(adapter: Adapter) -> dict[str, Server]:
    """The suite's servers and those the adapter supplies: a ``Server`` as its
    ``server``, or in ``servers`` (a framework's own server, such as Bottle's)."""
    own = [*getattr(adapter, "servers", ())]
    default = getattr(adapter, "server", None)
    if isinstance(default, Server):
        own.append(default)
    return {**SERVERS, **{s.name: s for s in own}}


def choose_server(adapter: Adapter, name: str | None = None) -> Server:
    """The server ``name`` (default: the adapter's own choice, else the
    default for its interface), checked to serve the adapter's interface and
    to be installed, as is ``requests``, which drives it."""
    if adapter.interface not in DEFAULT_SERVER:
        raise UsageError(
            f"adapter {adapter.name!r} has interface {adapter.interface!r}; the http transport"
            " serves 'wsgi' or 'asgi' apps: fix the adapter's 'interface'"
        )
    servers = known_servers(adapter)
    default = getattr(adapter, "server", None)
    if isinstance(default, Server):
        default = default.name
    name = name or default or DEFAULT_SERVER[adapter.interface]
    if name not in servers:
        raise UsageError(f"unknown server {name!r}; known servers: {', '.join(sorted(servers))}")
    server = servers[name]
    if server.interface != adapter.interface:
        fitting = sorted(s.name for s in servers.values() if s.interface == adapter.interface)
        raise UsageError(
            f"server {name!r} serves {server.interface.upper()} apps, but adapter"
            f" {adapter.name!r} is {adapter.interface.upper()}; use one of: {', '.join(fitting)}"
        )
    for module in (server.module, "requests"):
        if find_spec(module) is None:
            raise UsageError(
                f"the http transport needs {module!r} (server {name!r}), which is not"
                f" installed; {INSTALL_HINT} and run again"
            )
    return server
