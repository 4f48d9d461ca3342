"""The in-process transport: the framework's own test client (WSGI or
ASGI), as the adapter provides it; no server, no network."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeGuard, cast

from .._errors import HarnessError
from .._model import Call, Event, Scenario
from .._recorder import Recorder, set_current_call
from ..contract import Adapter, AsyncClient, Client, Reply


class InProcess:
    """The framework's own test client, as the adapter provides it."""

    name = "in-process"
    takes_steps = True  # steps area (``_steps``)
    closes_early = True  # streaming area: its WSGI clients close a response after N chunks

    def __init__(self, watch: Callable[[str, str], None] | None = None) -> None:
        """``watch(kind, what)`` is told where the exchange is (kind "at":
        building the app, or request N) and of each event as it happens
        (kind "event"), so a supervisor can say where a run hung or died."""
        self.watch = watch

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        watch = self.watch or _unwatched
        recorder = Recorder(
            parties=len(scenario.requests) if scenario.concurrent else 1,
            on_record=lambda e: watch("event", f"{e.hook!r} ({e.stage})"),
        )
        watch("at", "building the app")
        try:
            app = adapter.build(scenario, recorder)
        except Exception as exc:
            raise HarnessError(
                f"adapter {adapter.name!r} failed to build the app: {exc!r}"
            ) from exc
        client = adapter.client(app)
        if scenario.steps:
            from ._steps import take_steps

            return take_steps(client, scenario, recorder, watch)
        if _is_async(client):
            replies = asyncio.run(_send_all_async(client, scenario, watch))
        elif scenario.concurrent:
            # One client per request, all at once: each request's events are
            # told apart by the call index its thread carries.
            with ThreadPoolExecutor(max_workers=len(scenario.requests)) as pool:
                futures = [
                    pool.submit(_send, cast(Client, adapter.client(app)), n, call, watch)
                    for n, call in enumerate(scenario.requests)
                ]
                replies = [f.result() for f in futures]
        else:
            sync = cast(Client, client)
            replies = [_send(sync, n, call, watch) for n, call in enumerate(scenario.requests)]
        return [(reply, recorder.take(n)) for n, reply in enumerate(replies)]

    def close(self) -> None:
        pass


def _unwatched(kind: str, what: str) -> None:
    pass


def _request(index: int, call: Call) -> str:
    return f"request {index} ({call.method} {call.path})"


async def _send_all_async(
    client: AsyncClient, scenario: Scenario, watch: Callable[[str, str], None]
) -> list[Reply]:
    """Send the requests as tasks of one event loop: one after another, or
    all at once when the scenario is concurrent.  Each task carries its
    request's index (tasks copy the context they are started from)."""

    async def one(index: int, call: Call) -> Reply:
        set_current_call(index)
        watch("at", _request(index, call))
        try:
            return await client.send(call)
        except Exception as exc:
            raise HarnessError(
                f"{call.method} {call.path} did not complete through the client: {exc!r}"
            ) from exc

    calls = list(enumerate(scenario.requests))
    if scenario.concurrent:
        return list(await asyncio.gather(*(one(n, c) for n, c in calls)))
    return [await asyncio.create_task(one(n, c)) for n, c in calls]


def _is_async(client: Client | AsyncClient) -> TypeGuard[AsyncClient]:
    """Whether ``client`` is an async framework's: its send is ``async def``."""
    return inspect.iscoroutinefunction(client.send)


def _send(client: Client, index: int, call: Call, watch: Callable[[str, str], None]) -> Reply:
    """Send request ``index`` in a context of its own that carries its index."""

    def send() -> Reply:
        set_current_call(index)
        watch("at", _request(index, call))
        return client.send(call)

    try:
        return contextvars.copy_context().run(send)
    except Exception as exc:
        raise HarnessError(
            f"{call.method} {call.path} did not complete through the client: {exc!r}"
        ) from exc
