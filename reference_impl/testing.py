"""Test clients: requests without a server or a network.

``WsgiClient`` is Werkzeug's ``Client`` for the WSGI face; ``AsgiClient``
its ASGI counterpart, small on purpose: send one request, collect the
response, keep cookies.  Both are context managers (``with client:``,
``async with client:``): inside the block, the context of the last request
is entered again once it has ended, so the test can read ``request`` and
``g`` after the response; it ends (its teardowns run again) when the next
request begins or the block ends.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from typing import Any

from werkzeug.test import Client

from ._context import PRESERVE_KEY, RequestContext
from ._core import run, run_async

AsgiApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


@dataclass
class AsgiResponse:
    status_code: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)


class WsgiClient(Client):
    """Werkzeug's test client, a context manager that keeps the last
    request's context after the response."""

    preserving = False
    preserved: list[RequestContext]

    def __enter__(self) -> WsgiClient:
        if self.preserving:
            raise RuntimeError("the test client's with block cannot be nested")
        self.preserving, self.preserved = True, []
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.preserving = False
        self._end_preserved()

    def _end_preserved(self) -> None:
        while self.preserved:
            run(self.preserved.pop().pop(None))

    def open(self, *args: Any, **kwargs: Any) -> Any:
        if not self.preserving:
            return super().open(*args, **kwargs)
        self._end_preserved()
        ended: list[RequestContext] = []
        overrides = {**kwargs.pop("environ_overrides", {}), PRESERVE_KEY: ended.append}
        response = super().open(*args, environ_overrides=overrides, **kwargs)
        for ctx in ended:
            run(ctx.repush())
            self.preserved.append(ctx)
        return response


@dataclass
class AsgiClient:
    """Calls an ASGI app in this event loop, as a server would."""

    app: AsgiApp
    cookies: dict[str, str] = field(default_factory=dict)
    preserved: list[RequestContext] | None = None  # inside ``async with``

    async def __aenter__(self) -> AsgiClient:
        if self.preserved is not None:
            raise RuntimeError("the test client's async with block cannot be nested")
        self.preserved = []
        return self

    async def __aexit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        await self._end_preserved()
        self.preserved = None

    async def _end_preserved(self) -> None:
        while self.preserved:
            await run_async(self.preserved.pop().pop(None))

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
        scope: dict[str, Any] = {
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

        ended: list[RequestContext] = []
        if self.preserved is not None:
            await self._end_preserved()
            scope[PRESERVE_KEY] = ended.append
        await self.app(scope, receive, send)
        for ctx in ended:
            await run_async(ctx.repush())
            assert self.preserved is not None
            self.preserved.append(ctx)
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
