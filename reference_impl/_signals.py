"""Signals: named events that receivers subscribe to, as in Flask (blinker).

Each is sent with the app as sender, at the point of the lifecycle its name
says; ``App`` documents where.  Receivers are called in connection order.
Like blinker's, a signal holds its receivers and senders weakly: connecting
keeps neither alive.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any


class Signal:
    def __init__(self, name: str) -> None:
        self.name = name
        self._receivers: list[tuple[weakref.ref[Any], weakref.ref[Any] | None]] = []

    def connect(self, receiver: Callable[..., Any], sender: object | None = None) -> None:
        """Call ``receiver(sender, **extra)`` on each send (from ``sender`` only, if given)."""
        wanted = None if sender is None else weakref.ref(sender)
        self._receivers.append((weakref.ref(receiver), wanted))

    def receivers_for(self, sender: object) -> list[Callable[..., Any]]:
        """The live receivers for ``sender``, in connection order.  The app
        calls them as a lifecycle step (``App.send_signal``), so they may be
        async on its ASGI face."""
        self._receivers = [(r, s) for r, s in self._receivers if r() is not None]
        out = []
        for ref, wanted in self._receivers:
            receiver = ref()
            if receiver is not None and (wanted is None or wanted() is sender):
                out.append(receiver)
        return out

    def __repr__(self) -> str:
        return f"<Signal {self.name!r}>"


appcontext_pushed = Signal("appcontext_pushed")
request_started = Signal("request_started")
request_finished = Signal("request_finished")  # extra: response
got_request_exception = Signal("got_request_exception")  # extra: exception
request_tearing_down = Signal("request_tearing_down")  # extra: exc
appcontext_tearing_down = Signal("appcontext_tearing_down")  # extra: exc
appcontext_popped = Signal("appcontext_popped")
