"""The in-process transport under supervision: the framework's own test
client, run in a worker process (``_worker``) that the suite restarts only
when it dies or hangs.

One worker serves the whole run, so a run costs about what it costs in the
suite's own process (``bench/isolation.py`` measures it).  A scenario whose
framework kills the worker (``os._exit``, a segfault, ``sys.exit`` in a
hook) or runs past the time limit (a hook that blocks, a blocked event loop)
ends as an error saying how, and where it was (building the app, which
request, the last event); the worker is killed and the next scenario gets a
fresh one.  Like the http transport's servers, a worker runs in a process
group of its own, stopped by ``close``, by an atexit handler, or, if the
suite is killed, by itself when its pipe from the suite closes.  With
LIFECYCLE_CONFORMANCE_SERVERS set to a file name, each worker started
appends a JSON line there (pid, adapter), as each server does.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from typing import Any

from .._errors import HarnessError
from .._model import Event, Scenario
from ..contract import Adapter, Reply
from ._pipes import ANNOUNCE, Board, Frames, environment, send, signal_name, tail

START_TIMEOUT = 60.0  # seconds for a worker to import its framework
_RUNNING: set[Worker] = set()
_WORKER = (sys.executable, "-m", "conformance.transports._worker")


class Supervised:
    """The framework's test client in a worker process, for adapter
    ``adapter_name`` (a name ``load_adapter`` understands in a fresh
    interpreter); each scenario gets at most ``timeout`` seconds.

    A worker is started as soon as one is missing (when the transport is
    made, when one died), so that it imports the framework while the suite
    does other work (collects the tests, records an outcome)."""

    name = "in-process"
    takes_steps = True  # steps area: its worker runs InProcess
    closes_early = True  # streaming area: so does it

    def __init__(self, adapter_name: str, timeout: float) -> None:
        self.adapter_name = adapter_name
        self.timeout = timeout
        self.worker = Worker(adapter_name)

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        if not self.worker.alive:
            self.worker.stop()
            self.worker = Worker(self.adapter_name)
        try:
            self.worker.ready(adapter.name)
            return self.worker.run(scenario, self.timeout)
        except HarnessError:
            if not self.worker.alive:  # killed, or it died: the next scenario gets a new one
                self.worker.stop()
                self.worker = Worker(self.adapter_name)
            raise

    def close(self) -> None:
        self.worker.stop()


class Worker:
    """One worker process, started when made, and the two pipes to it."""

    def __init__(self, adapter_name: str) -> None:
        self.adapter_name = adapter_name
        self._proc: subprocess.Popen[bytes] | None = None
        self._to = self._from = -1
        self._frames = Frames()
        self._ready = False
        # A file, not a pipe: what the framework prints is read only when it dies.
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self._board_file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by stop()
        self.board = Board(self._board_file.fileno())
        self._start()

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def _start(self) -> None:
        scenarios_r, scenarios_w = os.pipe()
        board = self._board_file.fileno()
        answers_r, answers_w = os.pipe()
        try:
            self._proc = subprocess.Popen(
                [*_WORKER, self.adapter_name, str(scenarios_r), str(answers_w), str(board)],
                pass_fds=[scenarios_r, answers_w, board],
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # a group of its own; Ctrl-C is the suite's
                env=environment(),
            )
        finally:
            os.close(scenarios_r)
            os.close(answers_w)
        self._to, self._from = scenarios_w, answers_r
        if not _RUNNING:
            atexit.register(stop_all)
        _RUNNING.add(self)
        announced = os.environ.get(ANNOUNCE)
        if announced:  # a tool checks afterwards that no worker is left
            with open(announced, "a", encoding="utf-8") as f:
                f.write(json.dumps({"pid": self._proc.pid, "worker": self.adapter_name}) + "\n")

    def ready(self, expected: str) -> None:
        """Wait (once) until the worker has loaded adapter ``expected``."""
        if self._ready:
            return
        ready = self._next(time.monotonic() + START_TIMEOUT)
        if ready is None or ready[0] != "ready":
            raise self._failure("did not start", f"within {START_TIMEOUT:g} s", ready)
        self._ready = True
        if ready[1] != expected:
            self.stop()
            raise HarnessError(
                f"the worker loaded adapter {ready[1]!r} for {self.adapter_name!r},"
                f" but the suite runs {expected!r}"
            )

    def run(self, scenario: Scenario, timeout: float) -> list[tuple[Reply, tuple[Event, ...]]]:
        """Send ``scenario``; its exchanges, or HarnessError saying why not."""
        self.board.clear()
        try:
            send(self._to, (scenario,))
        except OSError:  # it died between scenarios
            raise self._failure("died", "before the scenario", None) from None
        message = self._next(time.monotonic() + timeout)
        if message is None:
            where = self.board.read("at") or "sending the scenario"
            last = self.board.read("event")
            said = f"{where}, after event {last}" if last else where
            if self.alive:
                self.stop()  # blocked: a thread or an event loop that never returns
                raise HarnessError(f"timed out after {timeout:g} s in {said}")
            raise self._failure("died", f"in {said}", None)
        kind = message[0]
        if kind == "done":
            exchanged: list[tuple[Reply, tuple[Event, ...]]] = message[1]
            return exchanged
        if kind == "raised":
            raise HarnessError(message[1])
        raise HarnessError(f"the worker sent an unknown message {kind!r}")

    def _next(self, deadline: float) -> tuple[Any, ...] | None:
        """The worker's next message; None at the deadline or when it dies."""
        while (message := self._frames.pop()) is None:
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            readable, _, _ = select.select([self._from], [], [], left)
            if not readable:
                return None
            data = os.read(self._from, 65536)
            if not data:  # its end closed: the worker is gone
                with contextlib.suppress(subprocess.TimeoutExpired):
                    if self._proc is not None:
                        self._proc.wait(2)
                return None
            self._frames.push(data)
        return message

    def _failure(self, what: str, when: str, got: object) -> HarnessError:
        """HarnessError: the worker ``what`` ``when``, with its exit and output."""
        code = None if self._proc is None else self._proc.poll()
        output = self._output()
        self.stop()
        if code is None:
            how = f"answered {got!r}" if got is not None else "still runs"
        elif code < 0:
            how = f"killed by {signal_name(-code)}"
        else:
            how = f"exit code {code}"
        tail = f"; its output ends: {output}" if output else ""
        return HarnessError(f"the worker process {what} ({how}) {when}{tail}")

    def _output(self, limit: int = 600) -> str:
        """The end of what the worker printed, on one line."""
        return " ".join(tail(self._log, limit).split())

    def stop(self) -> None:
        """Kill the worker's process group at once: it holds nothing to save."""
        _RUNNING.discard(self)
        proc, self._proc = self._proc, None
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        for fd in (self._to, self._from):
            if fd >= 0:
                with contextlib.suppress(OSError):
                    os.close(fd)
        self._to = self._from = -1
        self._log.close()
        self._board_file.close()


def stop_all() -> None:
    """Stop every worker still running (registered with atexit)."""
    for worker in list(_RUNNING):
        worker.stop()
