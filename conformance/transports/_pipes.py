"""Messages between the suite and a process of its own (a worker): framed
pickles over a pipe, and the import path that process needs."""

from __future__ import annotations

import os
import pickle
import struct
import sys
from typing import Any

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


def import_path() -> list[str]:
    """This interpreter's import path, for a process of the suite's (a
    worker, a server) to find the same adapters (``tests.mutants:...`` too)."""
    return [os.path.abspath(p or os.curdir) for p in sys.path]
