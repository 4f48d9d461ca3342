"""A server process of the http transport, and the guarantee that it stops.

The suite binds a socket to 127.0.0.1 and an ephemeral port and hands it to
``python -m conformance.transports._serve`` in a process group of its own,
with a random secret, made for that process, as the first line on its
stdin: the server answers only requests that carry it (``SECRET_HEADER``).
The group is stopped (terminate, then kill after a grace period) by
``stop``; by an atexit handler, if the run ends without calling it; and, if
the suite dies without either (killed), by the server itself when its stdin
reaches its end.

Set LIFECYCLE_CONFORMANCE_SERVERS to a file name to have one JSON line
appended there for every server started (pid, port, server, adapter), so a
tool can check afterwards that none is left.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time

import requests

from .._errors import HarnessError
from ._control import SECRET_HEADER
from ._pipes import ANNOUNCE, environment, tail

_RUNNING: set[ServerProcess] = set()


class ServerProcess:
    """Server ``server`` serving adapter ``adapter`` (a name ``load_adapter``
    understands in a fresh interpreter) on 127.0.0.1."""

    def __init__(self, adapter: str, server: str, *, start_timeout: float = 30.0) -> None:
        self.adapter = adapter
        self.server = server
        self.start_timeout = start_timeout
        self.port = 0
        self.secret = ""  # made by start, for this process alone
        self._proc: subprocess.Popen[bytes] | None = None
        # A file, not a pipe: nobody reads it unless the server fails to start.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int | None:
        return None if self._proc is None else self._proc.pid

    @property
    def exit_code(self) -> int | None:
        """None while the server runs."""
        return None if self._proc is None else self._proc.poll()

    @property
    def headers(self) -> dict[str, str]:
        """The headers every request to this server carries."""
        return {SECRET_HEADER: self.secret}

    def start(self) -> dict[str, object]:
        """Start the server and wait until it answers; return its ping."""
        self.secret = secrets.token_urlsafe(32)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind(("127.0.0.1", 0))
            sock.listen(128)
            self.port = sock.getsockname()[1]
            fd = sock.fileno()
            argv = [self.adapter, self.server, str(fd), str(self.port)]
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "conformance.transports._serve", *argv],
                pass_fds=[fd],
                stdin=subprocess.PIPE,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a process group of its own, stopped as one
                env=environment(),
            )
        assert self._proc.stdin is not None  # a pipe, as asked
        with contextlib.suppress(BrokenPipeError):  # it died already: _wait_until_ready says so
            self._proc.stdin.write(self.secret.encode("ascii") + b"\n")
            self._proc.stdin.flush()
        if not _RUNNING:
            atexit.register(stop_all)
        _RUNNING.add(self)
        _announce(self)
        return self._wait_until_ready()

    def _wait_until_ready(self) -> dict[str, object]:
        deadline = time.monotonic() + self.start_timeout
        with local_session() as session:
            while time.monotonic() < deadline:
                if self._proc is not None and self._proc.poll() is not None:
                    break
                try:
                    answer = session.get(
                        f"{self.url}/__conformance__/ping", headers=self.headers, timeout=1
                    )
                    ping: dict[str, object] = answer.json()
                except (requests.RequestException, ValueError):
                    time.sleep(0.02)
                    continue
                if answer.status_code != 200:
                    self.stop()
                    raise HarnessError(
                        f"the {self.server} server refused the suite's ping:"
                        f" {answer.status_code} {answer.text[:200]!r}"
                    )
                return ping
        output = self.output()
        self.stop()
        raise HarnessError(
            f"the {self.server} server for adapter {self.adapter!r} did not start"
            f" within {self.start_timeout:g} s; its output ends:\n{output}"
        )

    def output(self, limit: int = 3000) -> str:
        """The end of what the server printed."""
        return tail(self._log, limit)

    def stop(self, grace: float = 3.0) -> None:
        """Terminate the server's process group; kill it if it lingers."""
        _RUNNING.discard(self)
        proc, self._proc = self._proc, None
        if proc is None:
            return
        _signal_group(proc.pid, signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            _signal_group(proc.pid, signal.SIGKILL)
            proc.wait()
        _signal_group(proc.pid, signal.SIGKILL)  # workers that outlived their server
        if proc.stdin is not None:
            proc.stdin.close()
        self._log.close()


def local_session() -> requests.Session:
    """A session for the suite's own server: no proxy, netrc or other
    setting from the environment (HTTP_PROXY would send 127.0.0.1's
    requests, and the secret, to the proxy)."""
    session = requests.Session()
    session.trust_env = False
    return session


def stop_all(grace: float = 3.0) -> None:
    """Stop every server still running (registered with atexit)."""
    for process in list(_RUNNING):
        process.stop(grace)


def _signal_group(pgid: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):  # the group is gone
        os.killpg(pgid, sig)


def _announce(process: ServerProcess) -> None:
    path = os.environ.get(ANNOUNCE)
    if path:
        line = {"pid": process.pid, "port": process.port}
        names = {"server": process.server, "adapter": process.adapter}
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({**line, **names}) + "\n")
