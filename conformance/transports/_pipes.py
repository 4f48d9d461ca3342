"""Messages between the suite and a process of its own (a worker): framed
pickles over a pipe, a board in shared memory where the worker keeps where
it is, and the import path that process needs."""

from __future__ import annotations

import mmap
import os
import pickle
import signal
import struct
import sys
from typing import IO, Any

_LENGTH = struct.Struct(">I")
# The file every process the suite starts (worker, server) is announced in.
ANNOUNCE = "LIFECYCLE_CONFORMANCE_SERVERS"


def send(fd: int, message: tuple[Any, ...]) -> None:
    """Write ``message`` to ``fd`` as one frame: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


class Frames:
    """Splits the bytes read from a pipe into the messages ``send`` wrote."""

    def __init__(self) -> None:
        self._buffer = bytearray()

    def push(self, data: bytes) -> None:
        self._buffer += data

    def pop(self) -> tuple[Any, ...] | None:
        """The next complete message, or None until more bytes arrive."""
        if len(self._buffer) < _LENGTH.size:
            return None
        (size,) = _LENGTH.unpack_from(self._buffer)
        end = _LENGTH.size + size
        if len(self._buffer) < end:
            return None
        message: tuple[Any, ...] = pickle.loads(self._buffer[_LENGTH.size : end])
        del self._buffer[:end]
        return message


class Board:
    """Where a worker is (``at``: building the app, request N) and the last
    event it recorded, kept in memory shared with the suite (a file both map,
    given by ``fd``): written on every event without a system call, read by
    the suite only once the worker has died or been stopped."""

    SLOT = 512  # bytes per field: its length, then its UTF-8, cut to fit
    FIELDS = ("at", "event")
    SIZE = SLOT * len(FIELDS)

    def __init__(self, fd: int) -> None:
        os.ftruncate(fd, self.SIZE)
        self._memory = mmap.mmap(fd, self.SIZE)

    def write(self, field: str, text: str) -> None:
        data = text.encode("utf-8", "replace")[: self.SLOT - _LENGTH.size]
        start = self.FIELDS.index(field) * self.SLOT
        self._memory[start + _LENGTH.size : start + _LENGTH.size + len(data)] = data
        _LENGTH.pack_into(self._memory, start, len(data))

    def read(self, field: str) -> str:
        start = self.FIELDS.index(field) * self.SLOT
        (size,) = _LENGTH.unpack_from(self._memory, start)
        size = min(size, self.SLOT - _LENGTH.size)
        data = self._memory[start + _LENGTH.size : start + _LENGTH.size + size]
        return data.decode("utf-8", "replace")

    def clear(self) -> None:
        self._memory[:] = bytes(self.SIZE)


def environment() -> dict[str, str]:
    """The environment of a process of the suite's: this one's, with the
    import path it needs, and string hashing seeded with 0 (not randomly, as
    in every other process), so that what a framework builds from a set of
    strings (Werkzeug's Allow header) comes out in one order in every run."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(import_path()), "PYTHONHASHSEED": "0"}


def import_path() -> list[str]:
    """This interpreter's import path, for a process of the suite's (a
    worker, a server) to find the same adapters (``tests.mutants:...`` too)."""
    return [os.path.abspath(p or os.curdir) for p in sys.path]


def signal_name(number: int) -> str:
    """``SIGSEGV`` for 11: how a process's end is told."""
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def tail(log: IO[bytes], limit: int) -> str:
    """The end of what a process of the suite's printed into ``log``, a
    file (at most ``limit`` bytes of it); "" once the file is closed."""
    if log.closed:
        return ""
    log.seek(0, os.SEEK_END)
    log.seek(max(0, log.tell() - limit))
    return log.read().decode("utf-8", "replace")
