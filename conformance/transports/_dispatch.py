"""The app a real server runs for the http transport: it builds each
scenario's app when the suite sends the scenario, and hands every other
request to the app loaded last.

Requests under ``/__conformance__/`` are the suite talking to it:

    GET  /__conformance__/ping                 -> {"adapter", "interface", "pid"}
    POST /__conformance__/scenario             scenario JSON -> {"scenario": N}
    GET  /__conformance__/scenario/N/trace     -> per request: events, finished,
                                                  escaped, the app's header names

Every other request carries ``X-Conformance-Call: N/I`` (scenario N, request
I), which becomes the kit's call index, so each request's events stay apart.
A request is *finished* when the server has closed its WSGI iterable or its
ASGI call has returned: what runs after the response is sent (teardown, the
end of a stream) has run by then.  The trace waits, bounded, for that.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._errors import one_line
from .._model import JSON, Scenario
from .._recorder import Recorder, set_current_call
from ..contract import Adapter

PREFIX = "/__conformance__/"
CALL_HEADER = "X-Conformance-Call"
# On the dispatcher's own error responses, so the suite never takes one for the app's.
ERROR_HEADER = "X-Conformance-Error"
_ENVIRON_KEY = "HTTP_" + CALL_HEADER.upper().replace("-", "_")
_SCOPE_KEY = CALL_HEADER.lower().encode("latin-1")
_WAIT_LIMIT = 30.0  # no trace request holds a server thread longer than this
# A scenario is a few kilobytes; the endpoint reads no more than this.
BODY_LIMIT = 4 * 1024 * 1024


class BadRequest(Exception):
    """A request to the control endpoint that is malformed: answered 400."""


class Loaded:
    """One scenario's app in the server, and which of its requests have finished."""

    def __init__(self, number: int, app: Any, recorder: Recorder, calls: int) -> None:
        self.number = number
        self.app = app
        self.recorder = recorder
        self.calls = calls
        self._finished: dict[int, str | None] = {}  # call -> the exception that escaped
        self._changed = threading.Condition()
        # call -> the names of the headers the app sent (lower case); the
        # server may add its own (Date, Server, Connection...).
        self.header_names: dict[int, list[str]] = {}

    def finish(self, call: int, escaped: str | None) -> None:
        with self._changed:
            self._finished[call] = escaped
            self._changed.notify_all()

    def all_finished(self) -> bool:
        return all(n in self._finished for n in range(self.calls))

    def wait(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait_for(self.all_finished, timeout)

    async def await_finished(self, timeout: float) -> None:
        """``wait`` for an event loop: its requests finish in this loop too."""
        deadline = time.monotonic() + timeout
        while not self.all_finished() and time.monotonic() < deadline:
            await asyncio.sleep(0.001)

    def trace(self) -> dict[str, JSON]:
        with self._changed:
            finished = dict(self._finished)
        return {
            "finished": [n in finished for n in range(self.calls)],
            "escaped": [finished.get(n) for n in range(self.calls)],
            "headers": [self.header_names.get(n, []) for n in range(self.calls)],
            "events": [[e.to_json() for e in self.recorder.take(n)] for n in range(self.calls)],
        }


class Dispatcher:
    """Builds scenarios with ``adapter`` and routes requests to them; its
    ``wsgi`` and ``asgi`` methods are the two faces a server calls."""

    def __init__(self, adapter: Adapter) -> None:
        self.adapter = adapter
        self.loaded: dict[int, Loaded] = {}
        self._numbers = itertools.count(1)

    def control(self, method: str, path: str, body: bytes) -> tuple[int, JSON, Loaded | None]:
        """Answer a request to the control endpoint: (status, payload), and
        for a trace request, the scenario to wait for before answering."""
        parts = path[len(PREFIX) :].strip("/").split("/")
        if method == "GET" and parts == ["ping"]:
            ping = {"adapter": self.adapter.name, "interface": self.adapter.interface}
            return 200, {**ping, "pid": os.getpid()}, None
        if method == "POST" and parts == ["scenario"]:
            return (*self._load(body), None)
        if method == "GET" and len(parts) == 3 and parts[::2] == ["scenario", "trace"]:
            if not (parts[1].isdigit() and parts[1].isascii()):
                raise BadRequest(f"a scenario is named by its number (got {parts[1]!r:.40})")
            loaded = self.loaded.get(int(parts[1]))
            if loaded is None:
                return 404, {"error": f"no scenario {parts[1]!r} is loaded"}, None
            return 200, None, loaded
        return 404, {"error": f"no control endpoint {method} {path}"}, None

    def _load(self, body: bytes) -> tuple[int, JSON]:
        try:
            scenario = Scenario.loads(body.decode("utf-8"))
        except Exception as exc:
            return 400, {"error": f"not a scenario: {one_line(exc)}"}
        recorder = Recorder(parties=len(scenario.requests) if scenario.concurrent else 1)
        try:
            app = self.adapter.build(scenario, recorder)
        except Exception as exc:
            return 500, {"error": f"adapter {self.adapter.name!r} failed to build the app: {exc!r}"}
        number = next(self._numbers)
        # Only the newest scenario is kept: the suite runs one at a time.
        self.loaded = {number: Loaded(number, app, recorder, len(scenario.requests))}
        return 200, {"scenario": number}

    def route(self, tag: str | None) -> tuple[Loaded, int] | str:
        """The scenario and call index a request's tag names, or why not."""
        scenario, _, call = (tag or "").partition("/")
        if not (scenario.isdigit() and call.isdigit()):
            return f"a request needs a {CALL_HEADER}: <scenario>/<index> header (got {tag!r})"
        loaded = self.loaded.get(int(scenario))
        if loaded is None:
            return f"scenario {scenario} is not loaded (a request from an earlier scenario?)"
        return loaded, int(call)

    # -- the WSGI face --

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        if path.startswith(PREFIX):
            try:
                length = _content_length(environ.get("CONTENT_LENGTH"))
                body = environ["wsgi.input"].read(length) if length else b""
                timeout = _timeout(environ.get("QUERY_STRING", ""))
                status, payload, loaded = self.control(environ["REQUEST_METHOD"], path, body)
                if loaded is not None:
                    loaded.wait(timeout)
                    payload = loaded.trace()
            except BadRequest as exc:
                status, payload = 400, {"error": str(exc)}
            return _wsgi_json(start_response, status, payload)
        routed = self.route(environ.pop(_ENVIRON_KEY, None))
        if isinstance(routed, str):
            return _wsgi_json(start_response, 409, {"error": routed})
        loaded, call = routed
        set_current_call(call)  # this thread serves this request until it finishes

        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            loaded.header_names[call] = [name.lower() for name, _ in headers]
            return start_response(status, headers, *exc_info)

        try:
            body = loaded.app(environ, start)
        except Exception as exc:
            loaded.finish(call, type(exc).__name__)
            raise  # into the server, which answers as it does
        return _Watched(body, lambda escaped: loaded.finish(call, escaped))

    # -- the ASGI face --

    async def asgi(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            await _lifespan(receive, send)
            return
        path: str = scope["path"]
        if path.startswith(PREFIX):
            try:
                body = await _read_body(receive, BODY_LIMIT)
                timeout = _timeout(scope["query_string"].decode("latin-1"))
                status, payload, loaded = self.control(scope["method"], path, body)
                if loaded is not None:
                    await loaded.await_finished(timeout)
                    payload = loaded.trace()
            except BadRequest as exc:
                status, payload = 400, {"error": str(exc)}
            await _asgi_json(send, status, payload)
            return
        tags = [v.decode("latin-1") for k, v in scope["headers"] if k.lower() == _SCOPE_KEY]
        routed = self.route(tags[0] if tags else None)
        if isinstance(routed, str):
            await _read_body(receive)
            await _asgi_json(send, 409, {"error": routed})
            return
        loaded, call = routed
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != _SCOPE_KEY]
        set_current_call(call)  # the server runs each request in a task of its own

        async def sent(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                # ASGI's headers are any iterable (Sanic sends a generator): read them once.
                message = {**message, "headers": list(message.get("headers", ()))}
                names = [bytes(name).decode("latin-1").lower() for name, _ in message["headers"]]
                loaded.header_names[call] = names
            await send(message)

        escaped = None
        try:
            await loaded.app({**scope, "headers": headers}, receive, sent)
        except Exception as exc:
            escaped = type(exc).__name__
            raise  # into the server, which answers as it does
        finally:
            loaded.finish(call, escaped)


class _Watched:
    """A WSGI body that reports when the server has closed it, and whether an
    exception escaped while the server iterated or closed it."""

    def __init__(self, body: Iterable[bytes], done: Callable[[str | None], None]) -> None:
        self.body = body
        self.done = done
        self.escaped: str | None = None

    def __iter__(self) -> Iterator[bytes]:
        try:
            yield from self.body
        except Exception as exc:
            self.escaped = type(exc).__name__
            raise

    def close(self) -> None:
        try:
            close = getattr(self.body, "close", None)
            if close is not None:
                close()
        except Exception as exc:
            self.escaped = self.escaped or type(exc).__name__
            raise
        finally:
            self.done(self.escaped)


def _timeout(query: str) -> float:
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


def _content_length(header: str | None) -> int:
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


def _wsgi_json(start_response: Callable[..., Any], status: int, payload: JSON) -> list[bytes]:
    body = json.dumps(payload).encode("utf-8")
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
    if status != 200:
        headers.append((ERROR_HEADER, "1"))
    start_response(f"{status} {'OK' if status == 200 else 'Error'}", headers)
    return [body]


async def _asgi_json(send: Any, status: int, payload: JSON) -> None:
    body = json.dumps(payload).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]
    if status != 200:
        headers.append((ERROR_HEADER.lower().encode("latin-1"), b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Any, limit: int | None = None) -> bytes:
    body = b""
    while True:
        message = await receive()
        body += bytes(message.get("body", b""))
        if limit is not None and len(body) > limit:
            raise BadRequest(f"a control request's body is at most {limit} bytes")
        if not message.get("more_body", False):
            return body


async def _lifespan(receive: Any, send: Any) -> None:
    """Acknowledge the server's startup and shutdown: scenario apps are
    built later, one per scenario, and get none."""
    while True:
        kind = (await receive())["type"].rpartition(".")[2]
        await send({"type": f"lifespan.{kind}.complete"})
        if kind == "shutdown":
            return
