"""The http transport: each scenario's app under a real server on
127.0.0.1, its requests sent with ``requests``.

One server process per transport (one adapter, one server) serves the whole
run.  For each scenario the transport sends the scenario as JSON (the server
builds the app there, see ``_dispatch``), sends its requests, each tagged
with its index, and then collects the trace, which the server gives once
every request has finished there or ``finish_timeout`` has passed.

Every request carries the server process's secret (``_dispatch`` says what
it protects), goes straight to 127.0.0.1 (no proxy or other setting from the
environment), and is checked before it is sent to address the server it is
meant for, with the scenario's path as written (``_validate`` refuses any
path that could address another host; this is the second lock).
"""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
from urllib3.util import parse_url

from .._errors import Divergence, HarnessError
from .._model import Call, Event, Scenario
from ..contract import Adapter, Reply
from ._dispatch import CALL_HEADER, ERROR_HEADER
from ._process import ServerProcess, local_session
from ._servers import choose_server

# Where a scenario's requests may go: this machine's loopback only.
_LOOPBACK = re.compile(r"http://127\.0\.0\.1:[1-9][0-9]{0,4}")


class Http:
    """Serves adapter ``adapter_name`` (a name ``load_adapter`` understands,
    since the server process loads it too) under ``server`` (default: the
    adapter's own choice, else the default for its interface)."""

    def __init__(
        self,
        adapter_name: str,
        adapter: Adapter,
        server: str | None = None,
        *,
        finish_timeout: float = 5.0,
        request_timeout: float = 30.0,
    ) -> None:
        self.server = choose_server(adapter, server).name
        self.name = f"http/{self.server}"
        self.adapter_name = adapter_name
        self.finish_timeout = finish_timeout
        self.request_timeout = request_timeout
        self.process: ServerProcess | None = None
        self._control = local_session()

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        base = self._started(adapter)
        number, app_base = self._load(base, scenario)
        calls = list(enumerate(scenario.requests))
        if scenario.concurrent:
            # One session per request, all at once, as separate clients would.
            with ThreadPoolExecutor(max_workers=len(calls)) as pool:
                replies = list(pool.map(lambda c: self._send_alone(app_base, number, *c), calls))
        else:
            with local_session() as session:  # cookies persist across the scenario
                replies = []
                for n, call in calls:
                    replies.append(self._send(session, app_base, number, n, call))
                    # A server closes the connection when the app raised after it
                    # answered (uvicorn does): the next request must not race that
                    # close on the same connection, so it gets a new one.
                    session.close()
        return self._collect(base, number, replies)

    def close(self) -> None:
        """Stop the server (the run is over)."""
        self._control.close()  # first: a server may wait for open connections to end
        if self.process is not None:
            self.process.stop()
            self.process = None

    def _started(self, adapter: Adapter) -> str:
        if self.process is None:
            process = ServerProcess(self.adapter_name, self.server)
            ping = process.start()
            self.process = process
            if ping.get("adapter") != adapter.name:
                self.close()
                raise HarnessError(
                    f"the server loaded adapter {ping.get('adapter')!r} for"
                    f" {self.adapter_name!r}, but the suite runs {adapter.name!r}"
                )
        if self.process.exit_code is not None:
            raise HarnessError(
                f"the {self.server} server ended (exit code {self.process.exit_code});"
                f" its output ends:\n{self.process.output()}"
            )
        return self.process.url

    def _headers(self) -> dict[str, str]:
        assert self.process is not None  # started by _started
        return self.process.headers

    def _load(self, base: str, scenario: Scenario) -> tuple[int, str]:
        """The scenario's number, and where its requests go: ``base``, or the
        server's own for it (``"base"``, a server hosting each scenario apart)."""
        response = self._control.post(
            f"{base}/__conformance__/scenario",
            data=scenario.dumps(),
            headers=self._headers(),
            timeout=self.request_timeout,
        )
        payload = _json(response)
        if response.status_code != 200 or not isinstance(payload.get("scenario"), int):
            raise HarnessError(str(payload.get("error", payload)))
        number: int = payload["scenario"]
        app_base = payload.get("base", base)
        if not (isinstance(app_base, str) and _LOOPBACK.fullmatch(app_base)):
            raise HarnessError(f"the server named {app_base!r:.80} for the scenario, not 127.0.0.1")
        return number, app_base

    def _send_alone(self, base: str, number: int, index: int, call: Call) -> _Received:
        with local_session() as session:
            return self._send(session, base, number, index, call)

    def _send(
        self, session: requests.Session, base: str, number: int, index: int, call: Call
    ) -> _Received:
        headers = {**call.headers, CALL_HEADER: f"{number}/{index}", **self._headers()}
        try:
            prepared = session.prepare_request(
                requests.Request(call.method, base + call.path, headers=headers)
            )
        except requests.RequestException as exc:
            raise HarnessError(f"{call.method} {call.path!r:.80}: not a request: {exc}") from exc
        _check_addressed(prepared, base, call)
        try:
            response = session.send(
                prepared,
                allow_redirects=False,  # a redirect is the response under test
                timeout=self.request_timeout,
                stream=True,  # so a body the server breaks off is kept as far as it came
            )
        except requests.RequestException as exc:
            raise HarnessError(
                f"{call.method} {call.path} got no response from the {self.server} server: {exc!r}"
            ) from exc
        chunks: list[bytes] = []
        broken = None
        with response:
            try:
                chunks.extend(response.iter_content(chunk_size=None))
            except requests.RequestException as exc:
                broken = repr(exc)
        if ERROR_HEADER in response.headers:
            raise HarnessError(f"{call.method} {call.path}: {b''.join(chunks)[:300]!r}")
        headers_got = tuple(response.raw.headers.items())
        return _Received(call, response.status_code, headers_got, b"".join(chunks), broken)

    def _collect(
        self, base: str, number: int, received: list[_Received]
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        """Each reply with its request's events and the exception that
        escaped into the server, once every request has finished there."""
        response = self._control.get(
            f"{base}/__conformance__/scenario/{number}/trace",
            params={"timeout": self.finish_timeout},
            headers=self._headers(),
            timeout=self.finish_timeout + self.request_timeout,
        )
        trace = _json(response)
        if response.status_code != 200:
            raise HarnessError(str(trace.get("error", trace)))
        out = []
        for n, got in enumerate(received):
            events = tuple(Event.from_json(e) for e in trace["events"][n])
            if not trace["finished"][n]:
                raise Divergence(
                    f"request {n} ({got.call.method} {got.call.path}) finished on the"
                    f" {self.server} server within {self.finish_timeout:g} s of its response"
                    " (its WSGI body closed, or its ASGI call returned)",
                    "finished",
                    f"still running; its events so far: {[e.hook for e in events]}",
                )
            escaped = trace["escaped"][n]
            if got.broken is not None and escaped is None:
                raise HarnessError(
                    f"{got.call.method} {got.call.path}: the {self.server} server broke off"
                    f" the response, yet nothing escaped the app: {got.broken}"
                )
            out.append((got.reply(trace["headers"][n], escaped), events))
        return out


@dataclass(frozen=True)
class _Received:
    """What the client got for ``call``; ``broken`` says how the server broke
    off the body (after an exception escaped the app mid-response)."""

    call: Call
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    broken: str | None

    def reply(self, app_headers: list[str], escaped: str | None) -> Reply:
        """The reply, with the headers the app sent: those the server added on
        its own (Date, Server, Connection, Transfer-Encoding...) are the
        server's doing, not the framework's, and Date changes every second."""
        names = set(app_headers)
        headers = tuple((k, v) for k, v in self.headers if k.lower() in names)
        return Reply(self.status, headers, self.body, escaped)


def _check_addressed(prepared: requests.PreparedRequest, base: str, call: Call) -> None:
    """HarnessError unless ``prepared`` goes to ``base``'s host and port with
    ``call``'s path as written (whatever passed validation)."""
    sent, meant = parse_url(prepared.url or ""), parse_url(base)
    if (sent.scheme, sent.host, sent.port) != (meant.scheme, meant.host, meant.port):
        raise HarnessError(
            f"{call.method} {call.path!r:.80} would go to {sent.host}:{sent.port},"
            f" not the server at {meant.host}:{meant.port}"
        )
    if prepared.path_url != call.path:
        raise HarnessError(
            f"{call.method} {call.path!r:.80} would be sent as {prepared.path_url!r:.80}:"
            " write the path as it is sent"
        )


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        payload = response.json()
    except ValueError:
        payload = None
    if not isinstance(payload, dict):
        raise HarnessError(
            f"the dispatcher answered {response.status_code}: {response.text[:200]!r}"
        )
    return payload
