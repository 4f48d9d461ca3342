"""Scenarios per second for each transport and adapter, side by side.

    python bench/transports.py [--seconds 2] [--adapter NAME ...]

Each cell runs a small fixed mix of scenarios (hooks, an error, a stream, a
session over two requests) for about ``--seconds``, over loopback only.  The
http cells reuse one server for the whole cell, as a run does (its start is
shown apart, as the first scenario's cost); the last table shows the
alternative, a server started and killed per scenario.
Nothing here is asserted anywhere: speed is information, not a test.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from conformance._errors import ConformanceError
from conformance._loading import load_adapter
from conformance._model import Scenario
from conformance._run import observe
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    generator,
    response,
    scenario,
    teardown,
    view,
)
from conformance.transports import SERVERS, Http, InProcess, Transport, choose_server

MIX: tuple[Scenario, ...] = (
    scenario(before("b"), after("a"), teardown("t"), view(returns=response("ok"))),
    scenario(
        error_handler("h", "ValueError", returns=response("handled")), view(raises="ValueError")
    ),
    scenario(teardown("t"), view(returns=generator("a", "b", "c"))),
    scenario(
        before("s", set_session={"k": 1}),
        view(probes=["session.data"]),
        requests=[call("/"), call("/")],
    ),
)


def rate(make: Callable[[], Transport], adapter_name: str, seconds: float) -> tuple[float, float]:
    """(ms for the first scenario, which starts the server; scenarios per
    second after it) through one transport made by ``make``, as a run uses it."""
    adapter = load_adapter(adapter_name)
    transport = make()
    try:
        start = time.perf_counter()
        observe(adapter, MIX[0], transport)
        first = time.perf_counter() - start
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            observe(adapter, MIX[done % len(MIX)], transport)
            done += 1
    finally:
        transport.close()
    return first * 1000, done / (time.perf_counter() - start)


def per_scenario_rate(adapter_name: str, server: str, seconds: float) -> float:
    """Scenarios per second when every scenario gets a server of its own,
    killed at once afterwards (no grace period: the alternative at its cheapest)."""
    adapter = load_adapter(adapter_name)
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        transport = Http(adapter_name, adapter, server)
        try:
            observe(adapter, MIX[done % len(MIX)], transport)
        finally:
            if transport.process is not None:
                transport.process.stop(grace=0)
            transport.close()
        done += 1
    return done / (time.perf_counter() - start)


def servers_for(adapter_name: str) -> list[str]:
    """The installed servers that serve this adapter's interface."""
    adapter = load_adapter(adapter_name)
    out = []
    for name in sorted(SERVERS):
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
