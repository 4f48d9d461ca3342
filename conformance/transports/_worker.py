"""The worker process of the in-process transport (started by ``_supervised``):

    python -m conformance.transports._worker ADAPTER IN_FD OUT_FD BOARD_FD

loads adapter ADAPTER and runs each scenario the suite sends on fd IN_FD
through the framework's own test client, in this process, on its main
thread, as the unsupervised in-process transport would.  On fd OUT_FD it
answers, as frames (``_pipes``), with the scenario's outcome (``("done",
exchanged)`` or ``("raised", why)``); while it runs, it keeps where it is
on the board in shared memory BOARD_FD, which the suite reads when the
worker hangs or dies.  Whatever the
framework prints goes to this process's stdout and stderr, which the
supervisor keeps in a file.

The worker ignores SIGINT (the suite handles Ctrl-C and then stops the
worker), and ends at once when IN_FD reaches its end: the suite closed it,
exited or was killed, even while a scenario hangs here.
"""

from __future__ import annotations

import os
import queue
import signal
import sys
import threading
from typing import Any

from .._errors import HarnessError, one_line
from .._loading import load_adapter
from .._model import Scenario
from ._in_process import InProcess
from ._pipes import Board, Frames, send


def main(argv: list[str]) -> None:
    adapter_name, in_fd, out_fd, board_fd = argv[0], int(argv[1]), int(argv[2]), int(argv[3])
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def tell(*message: Any) -> None:  # from this thread only: events go to the board
        send(out_fd, message)

    adapter = load_adapter(adapter_name)
    tell("ready", adapter.name, os.getpid())
    inbox: queue.Queue[Scenario] = queue.Queue()
    threading.Thread(target=_read, args=(in_fd, inbox), name="from-the-suite", daemon=True).start()
    transport = InProcess(watch=Board(board_fd).write)
    while True:
        scenario = inbox.get()
        try:
            exchanged = transport.exchange(adapter, scenario)
        except HarnessError as exc:
            tell("raised", str(exc))
        except BaseException as exc:  # sys.exit() in a hook, too, is the framework's outcome
            tell("raised", f"the adapter or its framework raised {one_line(exc)}")
        else:
            try:
                tell("done", exchanged)
            except Exception as exc:  # an exchange that pickle cannot carry
                tell("raised", f"the worker cannot send the exchanges back: {one_line(exc)}")


def _read(fd: int, inbox: queue.Queue[Scenario]) -> None:
    """Hand each scenario the suite sends to the main thread; end the
    process when the suite's end of the pipe closes."""
    frames = Frames()
    while data := os.read(fd, 65536):
        frames.push(data)
        while (message := frames.pop()) is not None:
            inbox.put(message[0])
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
