"""In-process clients for any WSGI or any ASGI app, on httpx's transports,
for frameworks without a test client of their own (or whose own client
cannot keep a scenario's requests apart).  No Werkzeug, no Flask."""

from __future__ import annotations

import contextvars
import itertools
from typing import Any

import httpx

from ._model import Call
from .contract import Reply

_BASE = "http://testserver"


def reason_phrase(status: str) -> str:
    """The reason phrase of a status line such as ``"201 CREATED"``: what
    follows the code and its space, "" when the code comes alone."""
    return status.split(" ", 1)[1] if " " in status else ""


def _reply(response: httpx.Response) -> Reply:
    # A header's value is what follows the colon less the whitespace around it
    # (RFC 9110, 5.5), as an HTTP client reads it: a WSGI app may hand the
    # server " name=value" (Django's Set-Cookie does), which the wire then carries.
    headers = tuple((name, value.strip(" \t")) for name, value in response.headers.multi_items())
    return Reply(response.status_code, headers, response.content)


class WsgiClient:
    """Send a scenario's requests to a WSGI app, cookies kept between them.
    The body is read and the app's iterable closed before ``send`` returns,
    so what runs at close (teardown, the end of a stream) has run."""

    def __init__(self, app: Any) -> None:
        # raise_app_exceptions=False: an app that answers an error with
        # start_response(..., exc_info) has answered (PEP 3333: the server
        # re-raises only if headers were already sent); an exception raised
        # out of the app itself still propagates to ``send``.
        self.status = ""  # the status line the app last handed start_response

        def watched(environ: Any, start_response: Any) -> Any:
            # httpx keeps only the code of the status: the reason phrase is kept here.
            def start(status: str, headers: Any, exc_info: Any = None) -> Any:
                self.status = status
                return start_response(status, headers, exc_info)

            return app(environ, start)

        transport = httpx.WSGITransport(app=watched, raise_app_exceptions=False)
        self.http = httpx.Client(transport=transport, base_url=_BASE, follow_redirects=False)

    def send(self, call: Call) -> Reply:
        self.status = ""
        try:
            if call.read_chunks is None:
                response = self.http.request(call.method, call.path, headers=dict(call.headers))
            else:
                response = self._closed_early(call, call.read_chunks)
        except Exception as exc:  # the app raised into the server, which answers 500
            return Reply(500, (), b"", escaped=type(exc).__name__)
        reply = _reply(response)
        return Reply(reply.status, reply.headers, reply.body, reason=reason_phrase(self.status))

    def _closed_early(self, call: Call, chunks: int) -> httpx.Response:
        """Streaming area: read ``chunks`` chunks of the body as the app
        yielded them, then close the response (and so the app's iterable)."""
        request = self.http.build_request(call.method, call.path, headers=dict(call.headers))
        response = self.http.send(request, stream=True)
        try:
            body = b"".join(itertools.islice(response.iter_raw(), chunks))
        finally:
            response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=body)


class AsgiClient:
    """Send a scenario's requests to an ASGI app in the harness's event loop
    (so each request's task carries its call index), cookies kept between
    them.  ``send`` returns once the app's call has returned: background
    work the app does after its response is sent has run by then.  An app
    that raises after it answered (Starlette's ServerErrorMiddleware does)
    gets what a server sends: that answer, with ``escaped`` set."""

    def __init__(self, app: Any) -> None:
        async def watched(scope: Any, receive: Any, send: Any) -> None:
            try:
                await app(scope, receive, send)
            except Exception as exc:  # into the server: it sends what was answered, or a 500
                _ESCAPED.get([]).append(type(exc).__name__)
                raise

        transport = httpx.ASGITransport(app=watched, raise_app_exceptions=False)
        self.http = httpx.AsyncClient(transport=transport, base_url=_BASE, follow_redirects=False)

    async def send(self, call: Call) -> Reply:
        escaped: list[str] = []
        token = _ESCAPED.set(escaped)  # the app runs in this task: it sees the list
        try:
            response = await self.http.request(call.method, call.path, headers=dict(call.headers))
        finally:
            _ESCAPED.reset(token)
        # Nothing answered: httpx gives the 500 with no headers and no body a server sends.
        reply = _reply(response)
        return Reply(reply.status, reply.headers, reply.body, escaped[0] if escaped else None)


# The exceptions that escaped the app during the request being sent.
_ESCAPED: contextvars.ContextVar[list[str]] = contextvars.ContextVar("escaped")
