"""What the supervised worker costs an in-process run, side by side.

    python bench/isolation.py [--rounds 7] [--adapter NAME ...] [--runs 3]

Per adapter, measured in alternating rounds so that both sides see the same
machine: ms per scenario in the suite's own process (``--isolation off``)
and in a worker (the default), for the scenario mix of bench/transports.py;
the worker's start (import of its framework, overlapped in a run with the
collection of the tests); the cost of a crash (the worker killed, the next
scenario run on a new one); and whole runs of ``lifecycle-conformance run``
each way (median of ``--runs``).  Figures are medians; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from conformance._loading import load_adapter
from conformance._run import observe
from conformance.transports import InProcess, Supervised, Transport
from conformance.transports._supervised import Worker

sys.path.insert(0, str(Path(__file__).parent))
from transports import mix  # the same scenarios as the transport bench

ROOT = Path(__file__).resolve().parent.parent


def per_scenario(transport: Transport, adapter_name: str, scenarios: int) -> float:
    """ms per scenario over ``scenarios`` scenarios of the mix (after one warm-up)."""
    adapter = load_adapter(adapter_name)
    scenarios_of = mix(adapter)
    observe(adapter, scenarios_of[0], transport)
    start = time.perf_counter()
    for n in range(scenarios):
        observe(adapter, scenarios_of[n % len(scenarios_of)], transport)
    return (time.perf_counter() - start) * 1000 / scenarios


def worker_start(adapter_name: str) -> float:
    """ms from starting a worker to its first answer."""
    start = time.perf_counter()
    worker = Worker(adapter_name)
    try:
        worker.ready(load_adapter(adapter_name).name)
        return (time.perf_counter() - start) * 1000
    finally:
        worker.stop()


def crash_cost(adapter_name: str) -> float:
    """ms for the scenario after a worker died: a new worker, then the scenario."""
    adapter = load_adapter(adapter_name)
    first = mix(adapter)[0]
    supervised = Supervised(adapter_name, timeout=30)
    try:
        observe(adapter, first, supervised)
        supervised.worker.stop()  # as a segfault would
        start = time.perf_counter()
        supervised.exchange(adapter, first)
        return (time.perf_counter() - start) * 1000
    finally:
        supervised.close()


def whole_run(adapter_name: str, isolation: str) -> float:
    """Seconds for ``lifecycle-conformance run`` of every clause."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "conformance", "run", "--adapter", adapter_name]
    start = time.perf_counter()
    subprocess.run(
        [*argv, "--isolation", isolation], cwd=ROOT, env=env, capture_output=True, check=False
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds (default 7)")
    parser.add_argument("--scenarios", type=int, default=200, help="per round (default 200)")
    parser.add_argument("--runs", type=int, default=3, help="whole runs each way (default 3)")
    parser.add_argument(
        "--adapter", action="append", metavar="NAME", help="repeatable; default: reference, quart"
    )
    args = parser.parse_args()
    names = args.adapter or ["reference", "quart"]
    print(
        f"{'adapter':<12} {'off ms/sc':>9} {'worker ms/sc':>12} {'ratio':>6}"
        f" {'start ms':>9} {'crash ms':>9} {'run off s':>9} {'run worker s':>12} {'ratio':>6}"
    )
    for name in names:
        off: list[float] = []
        worker: list[float] = []
        supervised = Supervised(name, timeout=30)
        try:
            for _ in range(args.rounds):
                off.append(per_scenario(InProcess(), name, args.scenarios))
                worker.append(per_scenario(supervised, name, args.scenarios))
        finally:
            supervised.close()
        start = statistics.median(worker_start(name) for _ in range(3))
        crash = statistics.median(crash_cost(name) for _ in range(3))
        runs_off: list[float] = []
        runs_worker: list[float] = []
        for _ in range(args.runs):
            runs_off.append(whole_run(name, "off"))
            runs_worker.append(whole_run(name, "worker"))
        o, w = statistics.median(off), statistics.median(worker)
        ro, rw = statistics.median(runs_off), statistics.median(runs_worker)
        print(
            f"{name:<12} {o:>9.2f} {w:>12.2f} {w / o:>6.2f} {start:>9.0f} {crash:>9.0f}"
            f" {ro:>9.2f} {rw:>12.2f} {rw / ro:>6.2f}"
        )
    print("(ms/sc: ms per scenario, median of the rounds; start: a worker's first answer;")
    print(" crash: the scenario after a worker died, a new worker included; run: a whole CLI run)")


if __name__ == "__main__":
    main()
