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
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests
from urllib3.util import parse_url

from .._errors import Divergence, HarnessError
from .._model import Call, Event, Scenario
from ..contract import Adapter, Reply
from ._control import CALL_HEADER, ERROR_HEADER
from ._pipes import signal_name
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
        timeout: float = 10.0,
    ) -> None:
        self.server = choose_server(adapter, server).name
        # response area: a WSGI app chooses its reason phrase; an ASGI server makes its own up.
        self.reasons = adapter.interface == "wsgi"
        self.name = f"http/{self.server}"
        self.adapter_name = adapter_name
        self.finish_timeout = min(finish_timeout, timeout / 2)
        self.timeout = timeout
        self.process: ServerProcess | None = None
        self._control = local_session()
        self._deadline: float | None = None  # this scenario's, while one runs
        self._where = ""

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        """As every transport's; a server that died (in an earlier scenario)
        is restarted first, and one that dies or runs past the time limit in
        this scenario is stopped, this scenario an error saying which.  A
        server that dies as the scenario loads (ending from what an earlier
        scenario did, as gunicorn does when a worker exits with 3) gets one
        more try, on a new server."""
        for attempt in (1, 2):
            base = self._started(adapter)
            self._deadline = time.monotonic() + self.timeout
            try:
                return self._exchange(base, scenario)
            except HarnessError as exc:
                loading = self._where == "loading the scenario"
                broken, died = self._broken(exc)
                if attempt == 1 and loading and died:
                    continue
                raise broken from exc
            finally:
                self._deadline = None
        raise AssertionError("unreachable: the second attempt returns or raises")

    def _exchange(self, base: str, scenario: Scenario) -> list[tuple[Reply, tuple[Event, ...]]]:
        self._where = "loading the scenario"
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

    def _left(self) -> float:
        """Seconds left of this scenario's time limit (at least a little, so
        that a request past it fails as timed out, not as malformed)."""
        if self._deadline is None:
            return self.timeout
        return max(self._deadline - time.monotonic(), 0.001)

    def _broken(self, error: HarnessError) -> tuple[HarnessError, bool]:
        """``error``, or what it comes from: the server died, or the
        scenario ran past its time limit (the server, blocked, is stopped);
        and whether the server died."""
        process = self.process
        late = isinstance(error.__cause__, requests.Timeout) or self._left() <= 0.001
        if process is not None and isinstance(error.__cause__, requests.ConnectionError):
            # The connection broke: the server may be dying this very moment.
            until = time.monotonic() + 1.0
            while process.exit_code is None and time.monotonic() < until:
                time.sleep(0.02)
        if process is not None and process.exit_code is not None:
            code = process.exit_code
            how = f"killed by {signal_name(-code)}" if code < 0 else f"exit code {code}"
            output = " ".join(process.output(600).split())
            self.close()  # the next scenario starts a new server
            why = (
                f"the {self.server} server died ({how}) in {self._where}; its output ends: {output}"
            )
            return HarnessError(why), True
        if late:
            self.close()  # blocked (a thread, an event loop): the next scenario gets a new one
            return HarnessError(f"timed out after {self.timeout:g} s in {self._where}"), False
        return error, False

    def _started(self, adapter: Adapter) -> str:
        if self.process is not None and self.process.exit_code is not None:
            self.close()  # it died after the scenario that killed it: start anew
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
        return self.process.url

    def _headers(self) -> dict[str, str]:
        assert self.process is not None  # started by _started
        return self.process.headers

    def _load(self, base: str, scenario: Scenario) -> tuple[int, str]:
        """The scenario's number, and where its requests go: ``base``, or the
        server's own for it (``"base"``, a server hosting each scenario apart)."""
        try:
            response = self._control.post(
                f"{base}/__conformance__/scenario",
                data=scenario.dumps(),
                headers=self._headers(),
                timeout=self._left(),
            )
        except requests.RequestException as exc:
            why = f"the {self.server} server did not load the scenario: {exc!r}"
            raise HarnessError(why) from exc
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
        self._where = f"request {index} ({call.method} {call.path})"
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
                timeout=self._left(),
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
        reason = response.reason if self.reasons else None  # the status line's, as sent
        return _Received(call, response.status_code, headers_got, b"".join(chunks), broken, reason)

    def _collect(
        self, base: str, number: int, received: list[_Received]
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        """Each reply with its request's events and the exception that
        escaped into the server, once every request has finished there."""
        self._where = "collecting the trace"
        try:
            response = self._control.get(
                f"{base}/__conformance__/scenario/{number}/trace",
                params={"timeout": min(self.finish_timeout, self._left())},
                headers=self._headers(),
                timeout=self._left(),
            )
        except requests.RequestException as exc:
            raise HarnessError(f"the {self.server} server gave no trace: {exc!r}") from exc
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
    reason: str | None = None  # response area

    def reply(self, app_headers: list[str], escaped: str | None) -> Reply:
        """The reply, with the headers the app sent: those the server added on
        its own (Date, Server, Connection, Transfer-Encoding...) are the
        server's doing, not the framework's, and Date changes every second."""
        names = set(app_headers)
        headers = tuple((k, v) for k, v in self.headers if k.lower() in names)
        return Reply(self.status, headers, self.body, escaped, self.reason)


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
