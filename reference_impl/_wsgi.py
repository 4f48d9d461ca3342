"""The WSGI face's IO shell: an environ in, the shared lifecycle driven
synchronously, the response's WSGI iterable out.  Nothing lifecycle is
decided here."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ._context import RequestContext
from ._core import run

if TYPE_CHECKING:
    from ._app import App
    from .testing import WsgiClient


def serve(app: App, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
    """Serve one WSGI request; the server iterates the body after the request
    context has ended (unless a stream keeps it)."""
    from ._app import Request

    ctx = RequestContext(app, Request(environ))
    app_iter: Iterable[bytes] = run(
        app.handle_request(ctx, lambda response: response(environ, start_response))
    )
    return app_iter


def client(app: App) -> WsgiClient:
    """Werkzeug's test client for ``app``'s WSGI face (inside its middleware):
    requests without a server."""
    from .testing import WsgiClient

    return WsgiClient(app)
