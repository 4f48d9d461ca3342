"""Area execution: where a hook or view runs, and the work it starts.

The probes "thread" and "task" are answered here, the same way for every
framework, as relations that are stable from one run to the next: the
request's own thread or another one; no task, or the request's first,
second... task.  ``start`` runs what ``Behaviour.starts`` names and waits
for it, recording one "started" event with what its probes saw there.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import threading
from collections.abc import Callable
from typing import Any

from ._model import JSON, Event, Probe
from ._recorder import Recorder, current_call, request_thread, set_current_call
from ._vocabulary import KIT_PROBES
from .contract import Native

_WAIT = 10.0  # seconds: what started work may take before the hook goes on


def probe(name: str, native: Native, recorder: Recorder, request: Any = None) -> JSON:
    """What probe ``name`` sees here: the kit's own probes, else the framework's."""
    if name not in KIT_PROBES:
        return native.probe(name, request)
    if name == "thread":
        return "request" if threading.get_ident() == request_thread() else "other"
    try:
        task = asyncio.current_task()
    except RuntimeError:  # no event loop runs in this thread
        task = None
    return None if task is None else recorder.label("task", task)


def _seen(probes: tuple[Probe, ...], native: Native, recorder: Recorder) -> dict[str, JSON]:
    return {p: probe(p, native, recorder) for p in probes}


def start(
    kind: str, event_id: str, probes: tuple[Probe, ...], recorder: Recorder, native: Native
) -> None:
    """From a plain function: start a thread (plain, or running a function
    wrapped in a copy of the request context) and wait for it.  A task
    cannot be started without a running event loop: the event says so."""
    call = current_call()
    if kind == "task":
        try:
            asyncio.get_running_loop()
        except RuntimeError as exc:
            recorder.record(Event(event_id, "started", {"error": type(exc).__name__}), call=call)
            return
    _in_thread(kind, event_id, probes, recorder, native, call)


async def astart(
    kind: str, event_id: str, probes: tuple[Probe, ...], recorder: Recorder, native: Native
) -> None:
    """From an async def function: as ``start``; a task is started with
    ``asyncio.create_task`` (which copies the current context) and awaited."""
    if kind != "task":
        _in_thread(kind, event_id, probes, recorder, native, current_call())
        return

    async def there() -> None:
        recorder.record(Event(event_id, "started", _seen(probes, native, recorder)))

    await asyncio.wait_for(asyncio.create_task(there()), _WAIT)


def _in_thread(
    kind: str,
    event_id: str,
    probes: tuple[Probe, ...],
    recorder: Recorder,
    native: Native,
    call: int,
) -> None:
    """A new thread, whose context is empty: only a copy brings the request
    into it (``copied_thread``, the framework's; ``contextvars_thread``,
    Python's own copy of every context variable, taken here).  A copied
    function the framework hands back as a coroutine function is called and
    its coroutine closed: it did not run there, and records nothing."""
    home = request_thread()

    def there() -> None:
        recorder.record(Event(event_id, "started", _seen(probes, native, recorder)), call=call)

    target: Callable[[], Any] = native.copy_context(there) if kind == "copied_thread" else there
    if kind == "contextvars_thread":
        target = functools.partial(contextvars.copy_context().run, there)
    failure: list[BaseException] = []

    def run() -> None:
        set_current_call(call, thread=home)  # tag its events with the request they belong to
        try:
            result = target()
            if asyncio.iscoroutine(result):
                result.close()  # never awaited: the framework gave no way to run it here
        except BaseException as exc:  # reported as an event: the framework's doing
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"started-{event_id}")
    thread.start()
    thread.join(timeout=_WAIT)
    if failure:
        seen: dict[str, JSON] = {"error": type(failure[0]).__name__}
        recorder.record(Event(event_id, "started", seen), call=call)
