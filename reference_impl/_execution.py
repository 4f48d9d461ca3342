"""How the WSGI face runs an ``async def`` hook or view, as Flask does: in
an event loop started for it in another thread, with a copy of the
caller's context (so the request context is active there), while the
thread handling the request waits for the result."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Awaitable
from typing import Any


def wait_for(awaitable: Awaitable[Any]) -> Any:
    """Run ``awaitable`` to its end in a new event loop in another thread;
    return its result or raise its exception here."""
    context = contextvars.copy_context()
    outcome: dict[str, Any] = {}

    async def main() -> Any:
        return await awaitable

    def run() -> None:
        try:
            outcome["result"] = context.run(asyncio.run, main())
        except BaseException as exc:  # handed back to the waiting thread
            outcome["error"] = exc

    thread = threading.Thread(target=run, name="reference-impl-async")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


def discard(result: Any) -> None:
    """A URL value preprocessor's return value is ignored: a coroutine it
    returned is closed unawaited (its body never runs), as Flask and Quart
    call the preprocessors without awaiting them."""
    if asyncio.iscoroutine(result):
        result.close()
