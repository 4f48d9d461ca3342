"""The server process of the http transport (started by ``_process``):

    python -m conformance.transports._serve ADAPTER SERVER FD PORT

serves the dispatcher for adapter ADAPTER under server SERVER on the
listening socket FD (bound by the suite to 127.0.0.1:PORT; the port is named
so the process list shows it).  The first line on its stdin is the run's
secret, which every request must carry (see ``_dispatch``): on stdin, since
any user of the machine can read a command line.  It lives as long as the
suite holds its stdin open: when the suite goes, however it goes, so does
the server.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading

from .._loading import load_adapter
from ._dispatch import Dispatcher
from ._hosting import Hosting
from ._servers import known_servers


def main(argv: list[str]) -> None:
    adapter_name, server_name, fd, port = argv
    secret = sys.stdin.buffer.readline().strip().decode("ascii", "replace")
    if not secret:
        sys.exit("the server needs the run's secret as the first line on its stdin")
    _end_with_the_suite()
    adapter = load_adapter(adapter_name)
    dispatcher = Dispatcher(adapter, secret)
    server = known_servers(adapter)[server_name]
    app = dispatcher.wsgi if server.interface == "wsgi" else dispatcher.asgi
    if server.host is not None:  # one app per server: each scenario's is served apart
        app = Hosting(dispatcher, server.host).asgi
    print(f"{server_name} serving {adapter_name} on 127.0.0.1:{port}", file=sys.stderr, flush=True)
    server.serve(app, socket.socket(fileno=int(fd)))


def _end_with_the_suite() -> None:
    """Kill this process group (the server and any workers it forks) when
    stdin reaches its end: the suite closed it, or exited, or was killed."""

    def watch() -> None:
        while sys.stdin.buffer.read(1024):
            pass
        if os.getpgrp() == os.getpid():  # started as a group of its own, as the suite does
            os.killpg(os.getpgrp(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=watch, name="end-with-the-suite", daemon=True).start()


if __name__ == "__main__":
    main(sys.argv[1:])
