"""The wire between the suite and the dispatcher (``_dispatch``), from the
dispatcher's side: the suite's headers and the one the dispatcher answers
with, the control endpoint's path and limits, how a control request's
Content-Length, body and ``timeout`` are read, and how the dispatcher
answers in one JSON line or refuses (:class:`BadRequest`).  Which request is
refused with which status, and why the secret, is said in ``_dispatch``.

The dispatcher's WSGI and ASGI faces use all of it; ``_hosting`` and the
transport (``_http``, ``_process``) import the names and refusals from here.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from .._model import JSON

PREFIX = "/__conformance__/"
CALL_HEADER = "X-Conformance-Call"
SECRET_HEADER = "X-Conformance-Secret"
# On the dispatcher's own error responses, so the suite never takes one for the app's.
ERROR_HEADER = "X-Conformance-Error"
FORBIDDEN = (
    f"this server serves only the run that started it: a request needs that run's"
    f" {SECRET_HEADER} header"
)
_WAIT_LIMIT = 30.0  # no trace request holds a server thread longer than this
# A scenario is a few kilobytes; the endpoint reads no more than this.
BODY_LIMIT = 4 * 1024 * 1024


class BadRequest(Exception):
    """A request the dispatcher refuses: answered ``status`` (400 unless
    said otherwise), with ``allow`` as the Allow header of a 405."""

    def __init__(self, message: str, status: int = 400, allow: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.allow = allow


def trace_timeout(query: str) -> float:
    """The ``timeout`` parameter of a trace request, in seconds (default 5,
    at most ``_WAIT_LIMIT``); BadRequest unless it is a number from 0."""
    for pair in query.split("&"):
        key, _, value = pair.partition("=")
        if key == "timeout":
            try:
                seconds = float(value)
            except ValueError:
                seconds = math.nan
            if not 0 <= seconds < math.inf:
                raise BadRequest(
                    f"'timeout' must be a number of seconds from 0 (got {value!r:.40})"
                )
            return min(seconds, _WAIT_LIMIT)
    return 5.0


def content_length(header: str | None) -> int:
    """A control request's Content-Length; BadRequest unless it is a
    decimal number of at most BODY_LIMIT bytes."""
    if header is None or header == "":
        return 0
    if not header.isdigit() or not header.isascii():
        raise BadRequest(f"Content-Length must be a number of bytes (got {header!r:.40})")
    length = int(header)
    if length > BODY_LIMIT:
        raise BadRequest(f"a control request's body is at most {BODY_LIMIT} bytes (got {length})")
    return length


def wsgi_json(
    start_response: Callable[..., Any],
    status: int,
    payload: JSON,
    more: tuple[tuple[str, str], ...] = (),
) -> list[bytes]:
    body = json.dumps(payload).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body))), *more]
    if status != 200:
        headers.append((ERROR_HEADER, "1"))
    start_response(f"{status} {'OK' if status == 200 else 'Error'}", headers)
    return [body]


def wsgi_refusal(start_response: Callable[..., Any], refused: BadRequest) -> list[bytes]:
    allow = (("Allow", refused.allow),) if refused.allow else ()
    return wsgi_json(start_response, refused.status, {"error": str(refused)}, allow)


async def asgi_json(
    send: Any, status: int, payload: JSON, more: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    body = json.dumps(payload).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    headers.extend(more)
    if status != 200:
        headers.append((ERROR_HEADER.lower().encode("latin-1"), b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def asgi_refusal(send: Any, refused: BadRequest) -> None:
    allow = ((b"allow", refused.allow.encode("latin-1")),) if refused.allow else ()
    await asgi_json(send, refused.status, {"error": str(refused)}, allow)


async def read_body(receive: Any, limit: int | None = None) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if limit is not None and len(body) > limit:
            raise BadRequest(f"a control request's body is at most {limit} bytes")
        if not message.get("more_body", False):
            return body
