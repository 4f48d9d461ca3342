"""Where events go: a recorder per scenario, each event tagged with the
request it belongs to, so that concurrent requests keep separate traces."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Callable

from ._model import Event

_CALL: contextvars.ContextVar[int] = contextvars.ContextVar("lifecycle_conformance.call")


def current_call() -> int:
    """The index of the request being handled here (0 when there is one at a time)."""
    return _CALL.get(0)


def set_current_call(index: int, *, thread: int | None = None) -> None:
    """Mark what runs from here on in this context as request ``index``,
    served by ``thread`` (by default this one: the request's thread)."""
    _CALL.set(index)
    _THREAD.set(threading.get_ident() if thread is None else thread)


# Area execution: the thread that serves the request, which the probe
# "thread" compares with.  Contexts copied into worker threads carry it.
_THREAD: contextvars.ContextVar[int] = contextvars.ContextVar("lifecycle_conformance.thread")


def request_thread() -> int | None:
    """The ident of the thread serving the request, None if none was marked."""
    return _THREAD.get(None)


class Recorder:
    """Collects events, each tagged with the request it belongs to.  Thread-safe."""

    def __init__(self, parties: int = 1, on_record: Callable[[Event], None] | None = None) -> None:
        """``parties``: the requests that run at once; ``on_record`` is told
        of each event as it happens (a supervisor follows the run with it)."""
        self._events: list[tuple[int, Event]] = []
        self._on_record = on_record
        self._lock = threading.Lock()
        self._parties = parties
        self._barrier = threading.Barrier(parties) if parties > 1 else None
        self._arrived = 0
        self._all_here: asyncio.Event | None = None

    def record(self, event: Event, *, call: int | None = None) -> None:
        with self._lock:
            self._events.append((current_call() if call is None else call, event))
        if self._on_record is not None:
            self._on_record(event)

    def take(self, call: int | None = None) -> tuple[Event, ...]:
        """Remove and return the events of request ``call`` (all, if None)."""
        with self._lock:
            taken = [e for c, e in self._events if call is None or c == call]
            self._events = [(c, e) for c, e in self._events if call is not None and c != call]
        return tuple(taken)

    def rendezvous(self, timeout: float = 10.0) -> bool:
        """Wait until every concurrent request has arrived here; False if
        that did not happen in time (the requests were not concurrent)."""
        if self._barrier is None:
            return True
        try:
            self._barrier.wait(timeout)
        except threading.BrokenBarrierError:
            return False
        return True

    async def arendezvous(self, timeout: float = 10.0) -> bool:
        """``rendezvous`` for requests served as tasks of one event loop."""
        if self._parties <= 1:
            return True
        if self._all_here is None:
            self._all_here = asyncio.Event()  # made in the loop that serves the requests
        self._arrived += 1
        if self._arrived >= self._parties:
            self._all_here.set()
        try:
            await asyncio.wait_for(self._all_here.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True

    # -- area execution --

    def label(self, kind: str, thing: object) -> str:
        """A stable name for ``thing`` (a task) within the current request:
        ``kind-1`` for the first seen, ``kind-2`` for the next...  The recorder
        keeps ``thing`` alive, so its identity is never reused."""
        with self._lock:
            seen: list[object] = self.__dict__.setdefault("_labels", {}).setdefault(
                (current_call(), kind), []
            )
            number = next((n for n, t in enumerate(seen) if t is thing), None)
            if number is None:
                seen.append(thing)
                number = len(seen) - 1
        return f"{kind}-{number + 1}"
