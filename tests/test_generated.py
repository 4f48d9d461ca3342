"""Generated scenarios: they survive JSON, and the reference framework and
Flask observe the same thing for each (a differential run)."""

from __future__ import annotations

import itertools
import json

from hypothesis import given

from adapters.flask import FlaskAdapter
from adapters.reference import ReferenceAdapter, ReferenceAsgiAdapter
from conformance import Event, Exchange, Observation, Scenario, run_scenario
from conformance.kit import SIGNALS
from conformance.strategies import scenarios


@given(scenarios())
def test_every_generated_scenario_survives_a_json_round_trip(scenario: Scenario):
    assert Scenario.loads(scenario.dumps()) == scenario


def comparable(x: Exchange) -> tuple[object, ...]:
    body: object = x.body
    if (x.content_type or "").startswith("application/json"):
        body = json.loads(x.body)
    return (x.status, x.content_type, body, signal_order_free(x.trace))


def signal_order_free(trace: tuple[Event, ...]) -> list[Event]:
    """The trace with each run of one signal's receivers sorted: blinker, and
    so Flask, calls the receivers of one signal in no promised order."""
    out: list[Event] = []
    for _, run in itertools.groupby(trace, key=lambda e: e.stage if e.stage in SIGNALS else id(e)):
        out += sorted(run, key=lambda e: e.hook)
    return out


def differs(reference: Observation, flask: Observation) -> list[str]:
    out = []
    for n, (r, f) in enumerate(zip(reference.exchanges, flask.exchanges, strict=True)):
        if comparable(r) != comparable(f):
            out.append(f"request {n}: reference {comparable(r)!r}\n   flask {comparable(f)!r}")
    return out


@given(scenarios())
def test_the_reference_framework_observes_what_flask_observes(scenario: Scenario):
    """A shrunk counterexample prints as a scenario JSON: feed it to either adapter."""
    reference = run_scenario(ReferenceAdapter(), scenario)
    flask = run_scenario(FlaskAdapter(), scenario)
    assert differs(reference, flask) == [], scenario.dumps()


@given(scenarios())
def test_the_two_faces_of_the_reference_framework_observe_the_same(scenario: Scenario):
    """One lifecycle core, two faces: WSGI with plain hooks and ASGI with async
    ones must agree on every generated scenario."""
    wsgi = run_scenario(ReferenceAdapter(), scenario)
    asgi = run_scenario(ReferenceAsgiAdapter(), scenario)
    assert differs(wsgi, asgi) == [], scenario.dumps()
