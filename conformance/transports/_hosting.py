"""Scenarios under a server that serves one app of its own framework for its
whole life (Sanic's), for a ``Server`` with ``host`` (see ``contract.Server``).

The dispatcher's control endpoints stay where they are, on the suite's
socket, served by ``Server.serve``.  Each scenario's app gets a server of its
own: when the dispatcher has loaded a scenario, ``Hosting`` stops the last
one's, binds a fresh socket to 127.0.0.1, has ``Server.host`` serve the app
on it, and adds its URL to the answer, as ``"base"``: the suite sends that
scenario's requests there.  The host tags each request through
``ScenarioRequests``, as the dispatcher's own faces do for theirs.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from .._errors import one_line
from .._recorder import set_current_call
from ..contract import Reply, ScenarioRequests
from ._control import (
    CALL_HEADER,
    ERROR_HEADER,
    FORBIDDEN,
    PREFIX,
    SECRET_HEADER,
    BadRequest,
    asgi_json,
)
from ._dispatch import Dispatcher, Loaded

Host = Callable[[Any, socket.socket, ScenarioRequests], Awaitable[Callable[[], Awaitable[None]]]]


class Hosting:
    """The dispatcher's ASGI face, with each loaded scenario's app served by
    ``host`` on a socket of its own; ``asgi`` is what ``Server.serve`` serves."""

    def __init__(self, dispatcher: Dispatcher, host: Host) -> None:
        self.dispatcher = dispatcher
        self.host = host
        self._stop: Callable[[], Awaitable[None]] | None = None

    async def asgi(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        parts = scope.get("path", "")[len(PREFIX) :].strip("/").split("/")
        if not (scope["type"] == "http" and scope["method"] == "POST" and parts == ["scenario"]):
            await self.dispatcher.asgi(scope, receive, send)
            return
        answer: list[dict[str, Any]] = []

        async def keep(message: dict[str, Any]) -> None:
            answer.append(message)

        await self.dispatcher.asgi(scope, receive, keep)
        if answer[0]["status"] != 200:  # refused: nothing to serve, the answer as it is
            for message in answer:
                await send(message)
            return
        payload = json.loads(b"".join(bytes(m.get("body", b"")) for m in answer[1:]))
        status = 200
        try:
            payload["base"] = await self._serve(self.dispatcher.loaded[payload["scenario"]])
        except Exception as exc:
            status, payload = 500, {"error": f"could not serve the scenario: {one_line(exc)}"}
        await asgi_json(send, status, payload)

    async def _serve(self, loaded: Loaded) -> str:
        """Stop the last scenario's server, start this one's; its base URL."""
        await self.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)
            port = sock.getsockname()[1]
            stop = await self.host(loaded.app, sock, _Requests(self.dispatcher, loaded))
        except BaseException:
            sock.close()
            raise

        async def stopped() -> None:
            try:
                await stop()
            finally:
                sock.close()  # whatever the host did with it

        self._stop = stopped
        return f"http://127.0.0.1:{port}"

    async def close(self) -> None:
        """Stop the scenario server running, if any."""
        stop, self._stop = self._stop, None
        if stop is not None:
            await stop()


class _Requests:
    """``ScenarioRequests`` for one loaded scenario."""

    header = CALL_HEADER
    secret_header = SECRET_HEADER

    def __init__(self, dispatcher: Dispatcher, loaded: Loaded) -> None:
        self.dispatcher = dispatcher
        self.loaded = loaded

    def begin(self, tag: str | None, secret: str | None) -> _Request:
        given = [] if secret is None else [secret.encode("latin-1", "replace")]
        if not self.dispatcher.authorized(given):
            return self._refused(FORBIDDEN, 403)
        try:
            loaded, call = self.dispatcher.route([] if tag is None else [tag])
        except BadRequest as exc:
            return self._refused(str(exc), exc.status)
        if loaded is not self.loaded:
            why = f"a request tagged {tag!r} reached the server of scenario {self.loaded.number}"
            return self._refused(why, 409)
        set_current_call(call)  # this task (thread) serves this request until it finishes
        return _Request(self.loaded, call, None)

    def _refused(self, why: str, status: int) -> _Request:
        body = json.dumps({"error": why}).encode("utf-8")
        headers = (("Content-Type", "application/json"), (ERROR_HEADER, "1"))
        return _Request(self.loaded, -1, Reply(status, headers, body))


class _Request:
    """``ScenarioRequest``: one request of a hosted scenario."""

    def __init__(self, loaded: Loaded, call: int, refusal: Reply | None) -> None:
        self.loaded = loaded
        self.call = call
        self.refusal = refusal

    def finish(self, header_names: Iterable[str], escaped: str | None) -> None:
        if self.refusal is None:
            self.loaded.header_names[self.call] = [name.lower() for name in header_names]
            self.loaded.finish(self.call, escaped)


async def call_asgi(
    app: Any, method: str, path: str, query: str, headers: Iterable[tuple[str, str]], body: bytes
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Call the ASGI ``app`` with one whole request: (status, headers, body).
    For a hosting server's ``serve``, which hands its own requests to the
    suite's control app this way."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "scheme": "http",
        "method": method,
        "path": path,
        "raw_path": path.encode("latin-1"),
        "query_string": query.encode("latin-1"),
        "root_path": "",
        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
        "client": None,
        "server": None,
    }
    received = False
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal received
        if received:
            return {"type": "http.disconnect"}
        received = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    got = [(bytes(k).decode("latin-1"), bytes(v).decode("latin-1")) for k, v in sent[0]["headers"]]
    return sent[0]["status"], got, b"".join(bytes(m.get("body", b"")) for m in sent[1:])
