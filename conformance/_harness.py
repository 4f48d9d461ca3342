"""Running a scenario: build the app, send each request, collect the trace."""

from __future__ import annotations

from typing import Any, Protocol

from ._adapter import Adapter, Client, Recorder
from ._errors import HarnessError, NotApplicable
from ._model import Exchange, Observation, Scenario


class Transport(Protocol):
    """How requests reach the app.  ``in-process`` is the framework's own test
    client; a real-server transport plugs in here."""

    name: str

    def connect(self, adapter: Adapter, app: Any) -> Client:
        """A client for one scenario's requests, in order."""
        ...


class InProcess:
    """The framework's own test client, as the adapter provides it."""

    name = "in-process"

    def connect(self, adapter: Adapter, app: Any) -> Client:
        return adapter.client(app)


TRANSPORTS: dict[str, Transport] = {"in-process": InProcess()}


def observe(adapter: Adapter, scenario: Scenario, transport: Transport) -> Observation:
    """Run ``scenario`` on ``adapter``'s framework and report what happened.

    Raises NotApplicable when the framework lacks something the scenario
    needs, and HarnessError when the adapter itself breaks.
    """
    reason = adapter.capabilities.lacks(scenario)
    if reason is not None:
        raise NotApplicable(reason)
    # The adapter gets the scenario as it arrives over the wire, which proves
    # on every run that each scenario the suite uses survives JSON.
    wire = Scenario.loads(scenario.dumps())
    if wire != scenario:
        raise HarnessError(f"scenario does not survive a JSON round trip: {scenario!r}")
    scenario = wire
    recorder = Recorder()
    try:
        app = adapter.build(scenario, recorder)
    except Exception as exc:
        raise HarnessError(f"adapter {adapter.name!r} failed to build the app: {exc!r}") from exc
    exchanges = []
    client = transport.connect(adapter, app)
    for call in scenario.requests:
        try:
            reply = client.send(call)
        except Exception as exc:
            raise HarnessError(
                f"{call.method} {call.path} did not complete through {transport.name}: {exc!r}"
            ) from exc
        exchanges.append(
            Exchange(call, reply.status, reply.headers, reply.body, recorder.take(), reply.escaped)
        )
    observation = Observation(tuple(exchanges))
    if Observation.from_json(observation.to_json()) != observation:
        raise HarnessError(f"observation does not survive a JSON round trip: {observation!r}")
    return observation
