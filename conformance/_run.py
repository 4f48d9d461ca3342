"""Running one scenario: ``observe`` (what the suite calls for every test)
and ``run_scenario``, its public form for a framework's own tests."""

from __future__ import annotations

from ._applicability import lacks, requirements, without_unrunnable_observers
from ._errors import HarnessError, NotApplicable, UsageError
from ._loading import checked, load_adapter
from ._model import Exchange, Observation, Scenario
from .contract import Adapter
from .transports import Transport, make_transport

# steps area: why a scenario with steps is not applicable over http.
STEPS_IN_PROCESS = (
    "a test's own steps (contexts it pushes, the test client as a context manager, late"
    " registration) happen in the framework's process, which only the in-process transport shares"
)


# streaming area: where a client closing a response early reaches the app.
CLOSES_EARLY_WSGI = (
    "a client closing a streamed response after some chunks is observed through the in-process"
    " WSGI clients only: over http the server may have written the whole body to the socket"
    " before the close reaches it, and the in-process ASGI clients (httpx's ASGITransport,"
    " the frameworks' own) read the whole body before they return"
)


def observe(adapter: Adapter, scenario: Scenario, transport: Transport) -> Observation:
    """Run ``scenario`` on ``adapter``'s framework and report what happened.

    Raises NotApplicable when the framework lacks something the scenario
    needs, and HarnessError when the adapter itself breaks.
    """
    reason = lacks(adapter.capabilities, requirements(scenario))
    if reason is not None:
        raise NotApplicable(reason)
    if scenario.steps and not getattr(transport, "takes_steps", False):
        raise NotApplicable(f"no steps over the {transport.name} transport: {STEPS_IN_PROCESS}")
    if any(c.read_chunks is not None for c in scenario.requests) and (
        adapter.interface != "wsgi" or not getattr(transport, "closes_early", False)
    ):
        where = f"{adapter.interface} over the {transport.name} transport"
        raise NotApplicable(f"no response closed early ({where}): {CLOSES_EARLY_WSGI}")
    scenario, dropped = without_unrunnable_observers(adapter.capabilities, scenario)
    # The adapter gets the scenario as it arrives over the wire, which proves
    # on every run that each scenario the suite uses survives JSON.
    wire = Scenario.loads(scenario.dumps())
    if wire != scenario:
        raise HarnessError(f"scenario does not survive a JSON round trip: {scenario!r}")
    exchanged = transport.exchange(adapter, wire)
    # steps area: with steps, one more entry after the requests' carries the steps' trace.
    steps = exchanged.pop()[1] if wire.steps else ()
    observation = Observation(
        tuple(
            Exchange(call, r.status, r.headers, r.body, trace, r.escaped, dropped, r.reason)
            for call, (r, trace) in zip(wire.requests, exchanged, strict=True)
        ),
        steps,
    )
    for x in observation.exchanges:  # response area: a claimed reason phrase was observed
        if x.request.reads_reason and x.reason is None and x.escaped is None:
            raise HarnessError(
                f"{adapter.name!r} claims feature 'reason-phrase', yet the {transport.name}"
                f" transport saw no reason phrase for {x.request.method} {x.request.path}"
            )
    if Observation.from_json(observation.to_json()) != observation:
        raise HarnessError(f"observation does not survive a JSON round trip: {observation!r}")
    return observation


def run_scenario(
    adapter: Adapter | str, scenario: Scenario, *, transport: str = "in-process"
) -> Observation:
    """Run ``scenario`` on ``adapter``'s framework through ``transport`` and
    return the observation, for a framework's own test suite (as Hypothesis
    offers ``run_conformance_test``)::

        from conformance import run_scenario
        from conformance.scenarios import after, scenario, view

        def test_after_hooks_run_in_reverse_registration_order():
            x = run_scenario(MyAdapter(), scenario(after("a1"), after("a2"), view())).only
            assert x.order() == ["index", "a2", "a1"]

    ``adapter`` is an adapter, or the name the suite knows it by (an entry
    point, or ``"module:attribute"``).  ``transport`` is ``"in-process"``
    (the framework's test client) or ``"http"``: a real server, started for
    this scenario and stopped after it, which loads the adapter by name in a
    process of its own, so over http ``adapter`` must be a name.

    Raises NotApplicable when the framework lacks something the scenario
    needs, HarnessError when the adapter breaks, and a ConformanceError (one
    line: what is wrong and the fix) for an adapter or transport that cannot
    be used.
    """
    if isinstance(adapter, str):
        name, loaded = adapter, load_adapter(adapter)
    elif transport == "http":
        raise UsageError(
            "the http transport loads the adapter in its server's process, so it needs the"
            f" adapter's name, not a {type(adapter).__name__} object: pass an entry-point"
            " name or 'module:attribute'"
        )
    else:
        name = str(getattr(adapter, "name", type(adapter).__name__))
        loaded = checked(adapter, name)
    runner = make_transport(transport, name, loaded, None, isolation="off")
    try:
        return observe(loaded, scenario, runner)
    finally:
        runner.close()  # a server, if any, stops however the scenario ended
