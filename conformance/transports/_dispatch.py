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

Every request, to the control endpoint or to an app, must carry the run's
secret in ``X-Conformance-Secret``: a random token the suite makes for each
server process and hands it on its stdin (never on the command line, which
every user of the machine can read).  The server listens on 127.0.0.1 only,
but anything on the machine can connect there: another user, a second run,
a web page in a local browser (a form can POST text to 127.0.0.1).  Without
the secret such a client could load a scenario (run adapter code on input of
its choice), read traces, or send requests tagged with the running
scenario's number and so put events into its trace or mark its requests
finished, poisoning the results.  So a request without the secret, or with
a wrong one (compared in constant time), is answered 403 before anything
else is read or run, and both suite headers are removed before an app sees
the request.  The secret protects against other clients, not against code
running as the suite's own user, which can read the suite's memory anyway.

Answers of the dispatcher itself carry ``X-Conformance-Error`` unless they
are 200, and a JSON object ``{"error": "..."}`` of one line:

    403  no secret, a wrong one, or more than one
    400  a malformed Content-Length, a body over BODY_LIMIT, a body that is
         not a scenario, a scenario number that is not a number, a bad
         ``timeout``, a malformed ``X-Conformance-Call`` or an index beyond
         the scenario's requests
    404  an unknown control path, or a scenario that is not loaded
    405  a known control path with another method (``Allow`` names the one)
    500  the adapter failed to build the scenario's app
The headers' names, the limits, and the reading and writing of these
answers are in ``_control``.

A request is *finished* when the server has closed its WSGI iterable or its
ASGI call has returned: what runs after the response is sent (teardown, the
end of a stream) has run by then.  The trace waits, bounded, for that.
"""

from __future__ import annotations

import asyncio
import hmac
import itertools
import os
import re
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._errors import one_line
from .._model import JSON, Scenario
from .._recorder import Recorder, set_current_call
from ..contract import Adapter
from ._control import (
    BODY_LIMIT,
    CALL_HEADER,
    FORBIDDEN,
    PREFIX,
    SECRET_HEADER,
    BadRequest,
    asgi_json,
    asgi_refusal,
    content_length,
    read_body,
    trace_timeout,
    wsgi_json,
    wsgi_refusal,
)

_ENVIRON_KEY = "HTTP_" + CALL_HEADER.upper().replace("-", "_")
_SCOPE_KEY = CALL_HEADER.lower().encode("latin-1")
_SECRET_ENVIRON_KEY = "HTTP_" + SECRET_HEADER.upper().replace("-", "_")
_SECRET_SCOPE_KEY = SECRET_HEADER.lower().encode("latin-1")
_NUMBER = re.compile(r"[0-9]{1,18}")  # int() of a long digit string raises
_METHODS = {"ping": "GET", "scenario": "POST"}  # and GET scenario/N/trace
_TAG = re.compile(r"([0-9]{1,18})/([0-9]{1,18})")


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

    def __init__(self, adapter: Adapter, secret: str) -> None:
        if not secret:
            raise ValueError("a dispatcher needs the run's secret: it serves no one else")
        self.adapter = adapter
        self._secret = secret.encode("utf-8")
        self.loaded: dict[int, Loaded] = {}
        self._numbers = itertools.count(1)

    def control(self, method: str, path: str, body: bytes) -> tuple[int, JSON, Loaded | None]:
        """Answer a request to the control endpoint: (status, payload), and
        for a trace request, the scenario to wait for before answering."""
        parts = path[len(PREFIX) :].strip("/").split("/")
        is_trace = len(parts) == 3 and parts[::2] == ["scenario", "trace"]
        allowed = "GET" if is_trace else _METHODS.get("/".join(parts))
        if allowed is None:
            endpoints = "GET ping, POST scenario, GET scenario/N/trace"
            raise BadRequest(
                f"no control endpoint {path!r:.80}; under {PREFIX} there are {endpoints}", 404
            )
        if method != allowed:
            raise BadRequest(f"{path!r:.80} takes {allowed}, not {method!r:.20}", 405, allowed)
        if parts == ["ping"]:
            ping = {"adapter": self.adapter.name, "interface": self.adapter.interface}
            return 200, {**ping, "pid": os.getpid()}, None
        if parts == ["scenario"]:
            return (*self._load(body), None)
        if not _NUMBER.fullmatch(parts[1]):
            raise BadRequest(f"a scenario is named by its number (got {parts[1]!r:.40})")
        loaded = self.loaded.get(int(parts[1]))
        if loaded is None:
            raise BadRequest(f"no scenario {parts[1]!r} is loaded", 404)
        return 200, None, loaded

    def authorized(self, given: list[bytes]) -> bool:
        """Whether a request's secret headers are the run's one secret."""
        return len(given) == 1 and hmac.compare_digest(given[0], self._secret)

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

    def route(self, tags: list[str]) -> tuple[Loaded, int]:
        """The scenario and call index a request's tags name; BadRequest
        unless there is one tag naming a request of the loaded scenario."""
        tag = _TAG.fullmatch(tags[0]) if len(tags) == 1 else None
        if tag is None:
            raise BadRequest(
                f"a request needs one {CALL_HEADER}: <scenario>/<index> header"
                f" (got {', '.join(tags) or None!r:.60})"
            )
        scenario, call = int(tag[1]), int(tag[2])
        loaded = self.loaded.get(scenario)
        if loaded is None:
            raise BadRequest(
                f"scenario {scenario} is not loaded (a request from an earlier scenario?)", 404
            )
        if call >= loaded.calls:
            raise BadRequest(
                f"scenario {scenario} has {loaded.calls} request(s), numbered from 0"
                f" (got {CALL_HEADER}: {tags[0]!r:.60})"
            )
        return loaded, call

    # -- the WSGI face --

    def wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path: str = environ.get("PATH_INFO", "")
        secret = environ.pop(_SECRET_ENVIRON_KEY, None)
        tag = environ.pop(_ENVIRON_KEY, None)
        if not self.authorized([] if secret is None else [secret.encode("latin-1", "replace")]):
            return wsgi_json(start_response, 403, {"error": FORBIDDEN})
        if path.startswith(PREFIX):
            try:
                length = content_length(environ.get("CONTENT_LENGTH"))
                body = environ["wsgi.input"].read(length) if length else b""
                timeout = trace_timeout(environ.get("QUERY_STRING", ""))
                status, payload, loaded = self.control(environ["REQUEST_METHOD"], path, body)
                if loaded is not None:
                    loaded.wait(timeout)
                    payload = loaded.trace()
            except BadRequest as exc:
                return wsgi_refusal(start_response, exc)
            return wsgi_json(start_response, status, payload)
        try:
            loaded, call = self.route([] if tag is None else [tag])
        except BadRequest as exc:
            return wsgi_refusal(start_response, exc)
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
        if scope["type"] != "http":  # a WebSocket: refused (the server answers 403)
            await send({"type": "websocket.close", "code": 1008})
            return
        path: str = scope["path"]
        ours: dict[bytes, list[bytes]] = {
            _SCOPE_KEY: [],
            _SECRET_SCOPE_KEY: [],
            b"content-length": [],
        }
        for key, value in scope["headers"]:
            ours.get(bytes(key).lower(), []).append(bytes(value))
        if not self.authorized(ours[_SECRET_SCOPE_KEY]):
            await asgi_json(send, 403, {"error": FORBIDDEN})
            return
        if path.startswith(PREFIX):
            try:
                for length in ours[b"content-length"]:  # refused before any is read
                    content_length(length.decode("latin-1"))
                body = await read_body(receive, BODY_LIMIT)
                timeout = trace_timeout(scope["query_string"].decode("latin-1"))
                status, payload, loaded = self.control(scope["method"], path, body)
                if loaded is not None:
                    await loaded.await_finished(timeout)
                    payload = loaded.trace()
            except BadRequest as exc:
                await asgi_refusal(send, exc)
                return
            await asgi_json(send, status, payload)
            return
        try:
            loaded, call = self.route([v.decode("latin-1") for v in ours[_SCOPE_KEY]])
        except BadRequest as exc:
            await asgi_refusal(send, exc)
            return
        suite = (_SCOPE_KEY, _SECRET_SCOPE_KEY)
        headers = [(k, v) for k, v in scope["headers"] if bytes(k).lower() not in suite]
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
            for chunk in self.body:
                if not isinstance(chunk, bytes):
                    # PEP 3333: a WSGI body yields bytes only; the server fails
                    # on anything else (a bytearray), which the app caused.
                    self.escaped = self.escaped or "TypeError"
                yield chunk
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


async def _lifespan(receive: Any, send: Any) -> None:
    """Acknowledge the server's startup and shutdown: scenario apps are
    built later, one per scenario, and get none."""
    while True:
        kind = (await receive())["type"].rpartition(".")[2]
        await send({"type": f"lifespan.{kind}.complete"})
        if kind == "shutdown":
            return
