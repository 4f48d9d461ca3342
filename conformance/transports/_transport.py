"""What every transport is (``Transport``), the transports there are, and
choosing one: checked before a run starts, made when it starts."""

from __future__ import annotations

import sys
from typing import Protocol

from .._errors import UsageError
from .._model import Event, Scenario
from ..contract import Adapter, Reply
from ._in_process import InProcess
from ._servers import choose_server
from ._supervised import Supervised, stop_all


class Transport(Protocol):
    """How a scenario's app is served and its requests reach it."""

    name: str

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        """Serve ``scenario``'s app, built by ``adapter``, and send its
        requests; return each reply with the events its request caused, once
        its lifecycle has ended (teardown included).  A transport whose
        ``takes_steps`` is true also takes a scenario's steps, and then
        returns one entry more, last: a 0 reply with the steps' trace (steps
        area).  Raises HarnessError when the adapter or the transport breaks."""
        ...

    def close(self) -> None:
        """Release what the transport holds (a server); the run is over."""
        ...


TRANSPORTS = ("in-process", "http")


def check_transport(name: str, adapter: Adapter, server: str | None) -> None:
    """UsageError unless transport ``name`` (with ``server``) can serve ``adapter``."""
    if name not in TRANSPORTS:
        raise UsageError(f"unknown transport {name!r}; known transports: {', '.join(TRANSPORTS)}")
    if name == "in-process" and server is not None:
        raise UsageError(f"--server {server} needs --transport http")
    if name == "http":
        choose_server(adapter, server)


DEFAULT_TIMEOUT = 10.0  # seconds per scenario
ISOLATIONS = ("worker", "off")


def make_transport(
    name: str,
    adapter_name: str,
    adapter: Adapter,
    server: str | None,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    isolation: str = "worker",
) -> Transport:
    """Transport ``name`` for the adapter the command line calls ``adapter_name``
    (a worker or the http transport's server loads it by that name);
    ``server`` chooses the http transport's server.  In process, isolation
    ``worker`` runs the framework in a supervised worker process, each
    scenario within ``timeout`` seconds; ``off`` runs it in this process,
    with no limit (for a debugger)."""
    check_transport(name, adapter, server)
    if name == "http":
        from ._http import Http  # imports requests, which only this transport needs

        return Http(adapter_name, adapter, server, timeout=timeout)
    if isolation == "off":
        return InProcess()
    return Supervised(adapter_name, timeout)


def kill_all() -> None:
    """Kill at once every worker and server process this run started (for
    a second Ctrl-C: no grace periods)."""
    stop_all()
    servers = sys.modules.get(f"{__package__}._process")  # imported with the http transport
    if servers is not None:
        servers.stop_all(grace=0)
