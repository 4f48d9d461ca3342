"""Generated scenarios: they survive JSON, and the reference framework and
Flask observe the same thing for each (a differential run)."""

from __future__ import annotations

import json

from hypothesis import given

from adapters.flask import FlaskAdapter
from adapters.reference import ReferenceAdapter
from conformance import Exchange, Observation, Scenario
from conformance._harness import InProcess, observe
from conformance.strategies import scenarios


@given(scenarios())
def test_every_generated_scenario_survives_a_json_round_trip(scenario: Scenario):
    assert Scenario.loads(scenario.dumps()) == scenario


def comparable(x: Exchange) -> tuple[object, ...]:
    body: object = x.body
    if (x.content_type or "").startswith("application/json"):
        body = json.loads(x.body)
    return (x.status, x.content_type, body, x.trace)


def differs(reference: Observation, flask: Observation) -> list[str]:
    out = []
    for n, (r, f) in enumerate(zip(reference.exchanges, flask.exchanges, strict=True)):
        if comparable(r) != comparable(f):
            out.append(f"request {n}: reference {comparable(r)!r}\n   flask {comparable(f)!r}")
    return out


@given(scenarios())
def test_the_reference_framework_observes_what_flask_observes(scenario: Scenario):
    """A shrunk counterexample prints as a scenario JSON: feed it to either adapter."""
    transport = InProcess()
    reference = observe(ReferenceAdapter(), scenario, transport)
    flask = observe(FlaskAdapter(), scenario, transport)
    assert differs(reference, flask) == [], scenario.dumps()
