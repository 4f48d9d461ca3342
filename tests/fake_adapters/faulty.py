"""Frameworks with a fault that strikes inside a hook named ``b2`` (a
second before-request hook; ``m2``, a second wrapping layer, for Starlette,
which has no before-request hooks): the process exits, segfaults, calls
``sys.exit``, blocks forever, or blocks its event loop.  Only the clauses
whose scenarios have such a hook meet the fault; every other clause must
keep its outcome, and the run must go on to the end.

The reference framework's faces have every fault; Flask (the Flask family)
and Starlette (a framework outside it) have some, for the fault matrix of
bench/faults.py.  The fault strikes as the hook records its event, that is
inside the framework's own call of the hook, where a real framework's bug
would.
"""

from __future__ import annotations

import ctypes
import os
import sys
import threading
import time
from typing import Any, ClassVar

from adapters.flask import FlaskAdapter
from adapters.reference import ReferenceAdapter, ReferenceAsgiAdapter
from adapters.starlette import StarletteAdapter
from conformance.kit import Recorder, Scenario


def _exit() -> None:
    os._exit(3)


def _segfault() -> None:
    ctypes.string_at(0)  # reads address 0: SIGSEGV


def _sys_exit() -> None:
    sys.exit(4)


def _hang() -> None:
    threading.Event().wait()  # nothing ever sets it


def _block_the_loop() -> None:
    time.sleep(3600)  # called from an async hook: the event loop stops with it


class _Tripwire:
    """A recorder that sets off ``fault`` when hook ``trigger`` records its event."""

    def __init__(self, recorder: Recorder, fault: Any, trigger: str) -> None:
        self._recorder = recorder
        self._fault = fault
        self._trigger = trigger

    def record(self, event: Any, **kwargs: Any) -> None:
        if event.hook == self._trigger:
            self._fault()
        self._recorder.record(event, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._recorder, name)


class _Fault:
    """Mixed in before an adapter: its builds record through a tripwire."""

    fault: ClassVar[Any]
    trigger: ClassVar[str] = "b2"

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        wired = _Tripwire(recorder, type(self).fault, self.trigger)
        return super().build(scenario, wired)  # type: ignore[misc]  # the adapter's, next in line


def _faulty(adapter: type, fault: Any, name: str, trigger: str = "b2") -> type:
    """``adapter`` with ``fault`` set off by hook ``trigger``, named ``faulty-NAME``."""
    attributes = {"name": f"faulty-{name}", "fault": staticmethod(fault), "trigger": trigger}
    return type(f"Faulty{adapter.__name__}", (_Fault, adapter), attributes)


# The reference framework's WSGI face: every fault.
Exits = _faulty(ReferenceAdapter, _exit, "exits")
Segfaults = _faulty(ReferenceAdapter, _segfault, "segfaults")
SysExits = _faulty(ReferenceAdapter, _sys_exit, "sys-exits")
Hangs = _faulty(ReferenceAdapter, _hang, "hangs")
# Its ASGI face (async hooks): a hook that blocks its thread blocks the event loop too.
ExitsAsgi = _faulty(ReferenceAsgiAdapter, _exit, "exits-asgi")
SegfaultsAsgi = _faulty(ReferenceAsgiAdapter, _segfault, "segfaults-asgi")
SysExitsAsgi = _faulty(ReferenceAsgiAdapter, _sys_exit, "sys-exits-asgi")
HangsAsgi = _faulty(ReferenceAsgiAdapter, _hang, "hangs-asgi")
BlocksTheLoop = _faulty(ReferenceAsgiAdapter, _block_the_loop, "blocks-the-loop")
# Flask, of the Flask family.
FlaskExits = _faulty(FlaskAdapter, _exit, "flask-exits")
FlaskSegfaults = _faulty(FlaskAdapter, _segfault, "flask-segfaults")
FlaskHangs = _faulty(FlaskAdapter, _hang, "flask-hangs")
# Starlette, outside it: no before-request hooks, so a second wrapping layer sets it off.
StarletteExits = _faulty(StarletteAdapter, _exit, "starlette-exits", "m2")
StarletteSegfaults = _faulty(StarletteAdapter, _segfault, "starlette-segfaults", "m2")
StarletteBlocksTheLoop = _faulty(StarletteAdapter, _block_the_loop, "starlette-blocks-loop", "m2")
