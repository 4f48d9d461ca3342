"""How a scenario's requests reach its app: the transports.

* ``in-process``: the framework's own test client, in a supervised worker
  process (:class:`Supervised`, ``_worker``) restarted when it dies or
  hangs, or in the suite's own process (:class:`InProcess`);
* ``http`` (:class:`Http`): a real server on 127.0.0.1 in a process of its
  own (``_process``, ``_serve``), one of :data:`SERVERS` (``_servers``),
  serving every scenario through a dispatcher app (``_dispatch``; the
  wire it speaks to the suite, ``_control``), or, under a server that
  serves one app for its life, each scenario's app on a port of its own
  (``_hosting``; Sanic's server, ``_sanic``, which its adapter names).

``Http`` is imported on first use: it needs ``requests``, which only the
http transport does (``pip install 'lifecycle-conformance[http]'``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..contract import Server
from ._in_process import InProcess
from ._servers import DEFAULT_SERVER, SERVERS, choose_server, known_servers
from ._supervised import Supervised
from ._transport import (
    DEFAULT_TIMEOUT,
    ISOLATIONS,
    TRANSPORTS,
    Transport,
    check_transport,
    kill_all,
    make_transport,
)

if TYPE_CHECKING:
    from ._http import Http

__all__ = [
    "DEFAULT_SERVER",
    "DEFAULT_TIMEOUT",
    "ISOLATIONS",
    "SERVERS",
    "TRANSPORTS",
    "Http",
    "InProcess",
    "Server",
    "Supervised",
    "Transport",
    "check_transport",
    "choose_server",
    "kill_all",
    "known_servers",
    "make_transport",
]


def __getattr__(name: str) -> Any:
    if name == "Http":
        from ._http import Http

        return Http
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
