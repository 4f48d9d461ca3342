"""Running a scenario: build the app, send each request, collect the trace."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeGuard, cast

from ._adapter import Adapter, AsyncClient, Client, Recorder, Reply, set_current_call
from ._applicability import lacks, requirements, without_unrunnable_observers
from ._errors import HarnessError, NotApplicable, UsageError
from ._model import Call, Event, Exchange, Observation, Scenario


class Transport(Protocol):
    """How a scenario's app is served and its requests reach it."""

    name: str

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        """Serve ``scenario``'s app, built by ``adapter``, and send its
        requests; return each reply with the events its request caused, once
        its lifecycle has ended (teardown included).  Raises HarnessError
        when the adapter or the transport breaks."""
        ...

    def close(self) -> None:
        """Release what the transport holds (a server); the run is over."""
        ...


class InProcess:
    """The framework's own test client, as the adapter provides it."""

    name = "in-process"

    def exchange(
        self, adapter: Adapter, scenario: Scenario
    ) -> list[tuple[Reply, tuple[Event, ...]]]:
        recorder = Recorder(parties=len(scenario.requests) if scenario.concurrent else 1)
        try:
            app = adapter.build(scenario, recorder)
        except Exception as exc:
            raise HarnessError(
                f"adapter {adapter.name!r} failed to build the app: {exc!r}"
            ) from exc
        client = adapter.client(app)
        if _is_async(client):
            replies = asyncio.run(_send_all_async(client, scenario))
        elif scenario.concurrent:
            # One client per request, all at once: each request's events are
            # told apart by the call index its thread carries.
            with ThreadPoolExecutor(max_workers=len(scenario.requests)) as pool:
                futures = [
                    pool.submit(_send, cast(Client, adapter.client(app)), n, call)
                    for n, call in enumerate(scenario.requests)
                ]
                replies = [f.result() for f in futures]
        else:
            sync = cast(Client, client)
            replies = [_send(sync, n, call) for n, call in enumerate(scenario.requests)]
        return [(reply, recorder.take(n)) for n, reply in enumerate(replies)]

    def close(self) -> None:
        pass


TRANSPORTS = ("in-process", "http")


def check_transport(name: str, adapter: Adapter, server: str | None) -> None:
    """UsageError unless transport ``name`` (with ``server``) can serve ``adapter``."""
    if name not in TRANSPORTS:
        raise UsageError(f"unknown transport {name!r}; known transports: {', '.join(TRANSPORTS)}")
    if name == "in-process" and server is not None:
        raise UsageError(f"--server {server} needs --transport http")
    if name == "http":
        from ._servers import choose_server

        choose_server(adapter, server)


def make_transport(name: str, adapter_name: str, adapter: Adapter, server: str | None) -> Transport:
    """Transport ``name`` for the adapter the command line calls ``adapter_name``
    (the http transport's server loads it by that name); ``server`` chooses
    the http transport's server."""
    check_transport(name, adapter, server)
    if name == "http":
        from ._http import Http  # imports requests, which only this transport needs

        return Http(adapter_name, adapter, server)
    return InProcess()


def observe(adapter: Adapter, scenario: Scenario, transport: Transport) -> Observation:
    """Run ``scenario`` on ``adapter``'s framework and report what happened.

    Raises NotApplicable when the framework lacks something the scenario
    needs, and HarnessError when the adapter itself breaks.
    """
    reason = lacks(adapter.capabilities, requirements(scenario))
    if reason is not None:
        raise NotApplicable(reason)
    scenario, dropped = without_unrunnable_observers(adapter.capabilities, scenario)
    # The adapter gets the scenario as it arrives over the wire, which proves
    # on every run that each scenario the suite uses survives JSON.
    wire = Scenario.loads(scenario.dumps())
    if wire != scenario:
        raise HarnessError(f"scenario does not survive a JSON round trip: {scenario!r}")
    exchanged = transport.exchange(adapter, wire)
    observation = Observation(
        tuple(
            Exchange(call, r.status, r.headers, r.body, trace, r.escaped, dropped)
            for call, (r, trace) in zip(wire.requests, exchanged, strict=True)
        )
    )
    if Observation.from_json(observation.to_json()) != observation:
        raise HarnessError(f"observation does not survive a JSON round trip: {observation!r}")
    return observation


async def _send_all_async(client: AsyncClient, scenario: Scenario) -> list[Reply]:
    """Send the requests as tasks of one event loop: one after another, or
    all at once when the scenario is concurrent.  Each task carries its
    request's index (tasks copy the context they are started from)."""

    async def one(index: int, call: Call) -> Reply:
        set_current_call(index)
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


def _send(client: Client, index: int, call: Call) -> Reply:
    """Send request ``index`` in a context of its own that carries its index."""

    def send() -> Reply:
        set_current_call(index)
        return client.send(call)

    try:
        return contextvars.copy_context().run(send)
    except Exception as exc:
        raise HarnessError(
            f"{call.method} {call.path} did not complete through the client: {exc!r}"
        ) from exc
