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


class _Faulty(_Fault, ReferenceAdapter):
    pass


class _FaultyAsgi(_Faulty, ReferenceAsgiAdapter):
    """The same fault in the reference framework's ASGI face (async hooks)."""


class Exits(_Faulty):
    name = "faulty-exits"
    fault = staticmethod(_exit)


class Segfaults(_Faulty):
    name = "faulty-segfaults"
    fault = staticmethod(_segfault)


class SysExits(_Faulty):
    name = "faulty-sys-exits"
    fault = staticmethod(_sys_exit)


class Hangs(_Faulty):
    name = "faulty-hangs"
    fault = staticmethod(_hang)


class ExitsAsgi(_FaultyAsgi):
    name = "faulty-exits-asgi"
    fault = staticmethod(_exit)


class SegfaultsAsgi(_FaultyAsgi):
    name = "faulty-segfaults-asgi"
    fault = staticmethod(_segfault)


class SysExitsAsgi(_FaultyAsgi):
    name = "faulty-sys-exits-asgi"
    fault = staticmethod(_sys_exit)


class HangsAsgi(_FaultyAsgi):
    """A hook that blocks its thread: in an async hook, the event loop's."""

    name = "faulty-hangs-asgi"
    fault = staticmethod(_hang)


class BlocksTheLoop(_FaultyAsgi):
    name = "faulty-blocks-the-loop"
    fault = staticmethod(_block_the_loop)


class FlaskExits(_Fault, FlaskAdapter):
    name = "faulty-flask-exits"
    fault = staticmethod(_exit)


class FlaskSegfaults(_Fault, FlaskAdapter):
    name = "faulty-flask-segfaults"
    fault = staticmethod(_segfault)


class FlaskHangs(_Fault, FlaskAdapter):
    name = "faulty-flask-hangs"
    fault = staticmethod(_hang)


class StarletteExits(_Fault, StarletteAdapter):
    name = "faulty-starlette-exits"
    fault = staticmethod(_exit)
    trigger = "m2"


class StarletteSegfaults(_Fault, StarletteAdapter):
    name = "faulty-starlette-segfaults"
    fault = staticmethod(_segfault)
    trigger = "m2"


class StarletteBlocksTheLoop(_Fault, StarletteAdapter):
    name = "faulty-starlette-blocks-the-loop"
    fault = staticmethod(_block_the_loop)
    trigger = "m2"
