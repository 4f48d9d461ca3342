"""Running one scenario: build its app, check capabilities, prove the JSON
round trip, exchange its requests through a transport."""

from __future__ import annotations

from ._adapter import Adapter
from ._errors import HarnessError, NotApplicable
from ._model import Exchange, Observation, Scenario
from .transports import Transport


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
    exchanged = transport.exchange(adapter, wire)
    observation = Observation(
        tuple(
            Exchange(call, r.status, r.headers, r.body, trace, r.escaped)
            for call, (r, trace) in zip(wire.requests, exchanged, strict=True)
        )
    )
    if Observation.from_json(observation.to_json()) != observation:
        raise HarnessError(f"observation does not survive a JSON round trip: {observation!r}")
    return observation
