"""The ASGI face's IO shell: ASGI messages in, the shared lifecycle, ASGI
messages out.  Nothing lifecycle is decided here."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from ._context import PRESERVE_KEY, RequestContext
from ._core import run_async
from .testing import AsgiClient

if TYPE_CHECKING:
    from ._app import App, Response

_NO_BODY = (204, 304)


async def serve(app: App, scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Serve one ASGI connection: a lifespan (acknowledged) or an HTTP request."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            kind = message["type"].rpartition(".")[2]  # startup / shutdown
            await send({"type": f"lifespan.{kind}.complete"})
            if kind == "shutdown":
                return
    if scope["type"] != "http":
        raise ValueError(f"the reference framework serves HTTP only, not {scope['type']!r}")
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body", False):
            break
    from ._app import Request

    request = Request(environ_from_scope(scope, body))
    if PRESERVE_KEY in scope:  # the test client's ``with`` block (``testing``)
        request.environ[PRESERVE_KEY] = scope[PRESERVE_KEY]

    async def start(response: Response) -> Response:
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [
                    (k.lower().encode("latin-1"), v.encode("latin-1"))
                    for k, v in response.headers.items()
                ],
            }
        )
        return response

    # Headers go out before the request context ends; the body after it, so
    # a stream without stream_with_context runs with no request context.
    response: Response = await run_async(app.handle_request(RequestContext(app, request), start))
    await _send_body(response, request.method, send)


async def _send_body(response: Response, method: str, send: Any) -> None:
    chunks = response.response
    try:
        if method != "HEAD" and response.status_code not in _NO_BODY:
            if isinstance(chunks, AsyncIterator):
                async for chunk in chunks:
                    await send(
                        {"type": "http.response.body", "body": _bytes(chunk), "more_body": True}
                    )
            else:
                for chunk in response.iter_encoded():
                    await send({"type": "http.response.body", "body": chunk, "more_body": True})
    finally:
        closer = getattr(chunks, "aclose", None)
        if closer is not None:
            await closer()
        else:
            response.close()
    await send({"type": "http.response.body", "body": b"", "more_body": False})


def _bytes(chunk: str | bytes) -> bytes:
    return chunk.encode("utf-8") if isinstance(chunk, str) else chunk


def environ_from_scope(scope: dict[str, Any], body: bytes) -> dict[str, Any]:
    """The WSGI environ Werkzeug's Request and routing read, built from an
    ASGI HTTP scope."""
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", ""),
        "PATH_INFO": scope["path"],
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": server[0],
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": False,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
        "asgi.scope": scope,
    }
    for raw_name, raw_value in scope.get("headers", []):
        name, value = (
            raw_name.decode("latin-1").upper().replace("-", "_"),
            raw_value.decode("latin-1"),
        )
        if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            environ[name] = value
        else:
            key = f"HTTP_{name}"
            environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def client(app: App) -> AsgiClient:
    """A test client for ``app``'s ASGI face: requests without a server."""
    return AsgiClient(app)
