"""A test client for the ASGI face: requests without a server or a network.

Werkzeug's ``Client`` tests the WSGI face; this is its ASGI counterpart,
small on purpose: send one request, collect the response, keep cookies.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

AsgiApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


@dataclass
class AsgiResponse:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


@dataclass
class AsgiClient:
    """Calls an ASGI app in this event loop, as a server would."""

    app: AsgiApp
    cookies: dict[str, str] = field(default_factory=dict)

    async def open(
        self,
        path: str,
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> AsgiResponse:
        path, _, query = path.partition("?")
        sent_headers = {"host": "localhost", **{k.lower(): v for k, v in (headers or {}).items()}}
        if self.cookies:
            sent_headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method.upper(),
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [
                (k.encode("latin-1"), v.encode("latin-1")) for k, v in sent_headers.items()
            ],
            "client": ("127.0.0.1", 50000),
            "server": ("localhost", 80),
        }
        inbox = [{"type": "http.request", "body": body, "more_body": False}]
        outbox: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return inbox.pop(0) if inbox else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            outbox.append(message)

        await self.app(scope, receive, send)
        start = next(m for m in outbox if m["type"] == "http.response.start")
        response = AsgiResponse(
            start["status"],
            [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", [])],
            b"".join(m.get("body", b"") for m in outbox if m["type"] == "http.response.body"),
        )
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    self.cookies[morsel.key] = morsel.value
        return response
