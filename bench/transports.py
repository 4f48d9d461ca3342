"""Scenarios per second for each transport and adapter, side by side.

    python bench/transports.py [--seconds 2] [--adapter NAME ...]

Each cell runs a small fixed mix of scenarios (hooks, an error, a stream, a
session over two requests) for about ``--seconds``, over loopback only; a
framework that lacks a stage or a form of the mix runs a plainer variant
(no teardown, a native stream, ``g`` for the session).  The http cells reuse
one server for the whole cell, as a run does (its start is shown apart, as
the first scenario's cost), under every server that serves the adapter, its
own included (Sanic's starts a server per scenario inside its process); the
last table shows the alternative, a server process started and killed per
scenario.
Nothing here is asserted anywhere: speed is information, not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from conformance._applicability import lacks, requirements
from conformance._errors import ConformanceError
from conformance._loading import load_adapter
from conformance._model import Scenario
from conformance._run import observe
from conformance.contract import Adapter
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    generator,
    response,
    scenario,
    stream,
    teardown,
    view,
)
from conformance.transports import Http, InProcess, Transport, choose_server, known_servers

# Each entry: the scenario, then plainer variants for frameworks lacking its stages or forms.
MIX: tuple[tuple[Scenario, ...], ...] = (
    (
        scenario(before("b"), after("a"), teardown("t"), view(returns=response("ok"))),
        scenario(before("b"), after("a"), view(returns=response("ok"))),
    ),
    (
        scenario(
            error_handler("h", "ValueError", returns=response("handled")),
            view(raises="ValueError"),
        ),
    ),
    (
        scenario(teardown("t"), view(returns=generator("a", "b", "c"))),
        scenario(view(returns=stream("a", "b", "c"))),
    ),
    (
        scenario(
            before("s", set_session={"k": 1}),
            view(probes=["session.data"]),
            requests=[call("/"), call("/")],
        ),
        scenario(before("s", set_g={"k": 1}), view(probes=["g"]), requests=[call("/"), call("/")]),
    ),
)


def mix(adapter: Adapter) -> list[Scenario]:
    """The first variant of each entry of MIX that ``adapter``'s framework can run."""
    runnable = [
        next((s for s in variants if lacks(adapter.capabilities, requirements(s)) is None), None)
        for variants in MIX
    ]
    return [s for s in runnable if s is not None]


def rate(make: Callable[[], Transport], adapter_name: str, seconds: float) -> tuple[float, float]:
    """(ms for the first scenario, which starts the server; scenarios per
    second after it) through one transport made by ``make``, as a run uses it."""
    adapter = load_adapter(adapter_name)
    scenarios = mix(adapter)
    transport = make()
    try:
        start = time.perf_counter()
        observe(adapter, scenarios[0], transport)
        first = time.perf_counter() - start
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            observe(adapter, scenarios[done % len(scenarios)], transport)
            done += 1
    finally:
        transport.close()
    return first * 1000, done / (time.perf_counter() - start)


def per_scenario_rate(adapter_name: str, server: str, seconds: float) -> float:
    """Scenarios per second when every scenario gets a server of its own,
    killed at once afterwards (no grace period: the alternative at its cheapest)."""
    adapter = load_adapter(adapter_name)
    scenarios = mix(adapter)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        transport = Http(adapter_name, adapter, server)
        try:
            observe(adapter, scenarios[done % len(scenarios)], transport)
        finally:
            if transport.process is not None:
                transport.process.stop(grace=0)
            transport.close()
        done += 1
    return done / (time.perf_counter() - start)


def load_ms(adapter_name: str, server: str, loads: int = 100) -> float:
    """Median ms to load a scenario into a running server: the app's build, and
    under a server hosting each scenario apart (Sanic's) the last one's server
    stopped and this one's started."""
    adapter = load_adapter(adapter_name)
    transport = Http(adapter_name, adapter, server)
    try:
        base = transport._started(adapter)
        times = []
        for n in range(loads):
            start = time.perf_counter()
            transport._load(base, mix(adapter)[n % len(mix(adapter))])
            times.append((time.perf_counter() - start) * 1000)
    finally:
        transport.close()
    return sorted(times)[len(times) // 2]


def servers_for(adapter_name: str) -> list[str]:
    """The installed servers that serve this adapter's interface, its own included."""
    adapter = load_adapter(adapter_name)
    out = []
    for name in sorted(known_servers(adapter)):
        try:
            out.append(choose_server(adapter, name).name)
        except ConformanceError:
            continue
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="per cell (default 2)")
    parser.add_argument(
        "--adapter",
        action="append",
        metavar="NAME",
        help="repeatable; default: reference, reference-asgi, flask, quart",
    )
    args = parser.parse_args()
    names = args.adapter or ["reference", "reference-asgi", "flask", "quart"]
    adapters = []
    for name in names:
        try:
            load_adapter(name)
        except ConformanceError as exc:
            print(f"skipping {name}: {exc}")
            continue
        adapters.append(name)

    header = f"{'adapter':<16} {'transport':<16} {'scenarios/s':>12} {'ms/scenario':>12}"
    print(f"{header} {'first (ms)':>11}")
    for name in adapters:
        cells: list[tuple[str, Callable[[], Transport]]] = [("in-process", InProcess)]
        cells += [(f"http/{server}", _http(name, server)) for server in servers_for(name)]
        for label, make in cells:
            first, per_s = rate(make, name, args.seconds)
            print(f"{name:<16} {label:<16} {per_s:>12.1f} {1000 / per_s:>12.2f} {first:>11.1f}")
    print("(first: the first scenario, which starts the server: paid once per run)")

    print("\nOf which loading a scenario (a server hosting each apart starts one per scenario)")
    print(f"{'adapter':<16} {'transport':<16} {'load (ms)':>12}")
    for name in adapters:
        for server in servers_for(name):
            print(f"{name:<16} {'http/' + server:<16} {load_ms(name, server):>12.2f}")

    print("\nThe alternative, not used: a server started and killed per scenario")
    print(header)
    for name in adapters:
        for server in servers_for(name):
            per_s = per_scenario_rate(name, server, args.seconds)
            label = f"http/{server}"
            print(f"{name:<16} {label:<16} {per_s:>12.1f} {1000 / per_s:>12.2f}")


def _http(adapter_name: str, server: str) -> Callable[[], Transport]:
    return lambda: Http(adapter_name, load_adapter(adapter_name), server)


if __name__ == "__main__":
    main()
