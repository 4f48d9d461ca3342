"""The kit's in-process clients give what an HTTP client of a real server sees."""

from __future__ import annotations

import asyncio
from typing import Any

from conformance.kit import AsgiClient, Call, WsgiClient


def wsgi_app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    start_response("200 OK", [("Set-Cookie", " session=abc; Path=/"), ("X-Pad", "\tv ")])
    return [b"ok"]


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    headers = [(b"set-cookie", b" session=abc; Path=/"), (b"x-pad", b"\tv ")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"ok"})


def test_wsgi_client_header_values_have_no_surrounding_whitespace():
    """A header value a WSGI app hands over with whitespace around it reads as an HTTP client
    reads it: without that whitespace (RFC 9110, field values exclude it)."""
    reply = WsgiClient(wsgi_app).send(Call())
    assert [(k.lower(), v) for k, v in reply.headers if k.lower() != "content-length"] == [
        ("set-cookie", "session=abc; Path=/"),
        ("x-pad", "v"),
    ]


def test_asgi_client_header_values_have_no_surrounding_whitespace():
    """The same for an ASGI app."""
    reply = asyncio.run(AsgiClient(asgi_app).send(Call()))
    assert [(k.lower(), v) for k, v in reply.headers if k.lower() != "content-length"] == [
        ("set-cookie", "session=abc; Path=/"),
        ("x-pad", "v"),
    ]
