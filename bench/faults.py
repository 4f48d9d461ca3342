"""The fault matrix: what a run makes of a framework that crashes or hangs.

    python bench/faults.py [--scenario-timeout 2] [--family flask ...]

For every fault of tests/fake_adapters/faulty.py (the process exits, it
segfaults, a hook calls ``sys.exit``, a hook blocks its thread, an async
hook blocks the event loop), in each family (the reference framework's WSGI
and ASGI faces, Flask, Starlette), in process and over http under each
server of the interface, one run of ``lifecycle-conformance run`` on the
clauses the fault's hook is in; it prints the outcome counts, the error's
message, whether the run completed, and its wall time.  A run with no fault
gives each family's baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FAULTY = "tests.fake_adapters.faulty"
WSGI = [("in-process",), ("http", "werkzeug"), ("http", "gunicorn")]
ASGI = [("in-process",), ("http", "uvicorn"), ("http", "hypercorn")]
# (family, the adapter without a fault, its faults, clauses the trigger hook is in, transports)
FAMILIES = [
    ("reference/wsgi", "reference", ("Exits", "Segfaults", "SysExits", "Hangs"), "hooks.*", WSGI),
    (
        "reference/asgi",
        "reference-asgi",
        ("ExitsAsgi", "SegfaultsAsgi", "SysExitsAsgi", "HangsAsgi", "BlocksTheLoop"),
        "hooks.*",
        ASGI,
    ),
    ("flask", "flask", ("FlaskExits", "FlaskSegfaults", "FlaskHangs"), "hooks.*", WSGI),
    (
        "starlette",
        "starlette",
        ("StarletteExits", "StarletteSegfaults", "StarletteBlocksTheLoop"),
        "wrap.*",
        ASGI,
    ),
]


def run(adapter: str, transport: tuple[str, ...], clause: str, timeout: str) -> str:
    argv = [sys.executable, "-m", "conformance", "run", "--adapter", adapter, "--clause", clause]
    argv += ["--scenario-timeout", timeout, "--transport", transport[0]]
    if len(transport) > 1:
        argv += ["--server", transport[1]]
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "r.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        proc = subprocess.run(
            [*argv, "--results", str(results)], cwd=ROOT, env=env, capture_output=True, text=True
        )
        took = time.perf_counter() - start
        if not results.exists():
            return f"| no results (exit {proc.returncode}) | | | {took:.1f} |"
        raw = json.loads(results.read_text())
    counts = Counter(c["outcome"] for c in raw["clauses"])
    messages = {
        str((t.get("evidence") or {}).get("message", "")).removeprefix(
            "conformance._errors.HarnessError: "
        )
        for c in raw["clauses"]
        for t in c["tests"]
        if t["outcome"] == "error"
    }
    said = "; ".join(sorted({m.split("; its output ends")[0] for m in messages})) or "-"
    shown = ", ".join(f"{counts[k]} {k}" for k in ("pass", "fail", "error") if counts[k])
    return f"| {shown} | {said} | {'yes' if raw.get('complete') else 'NO'} | {took:.1f} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenario-timeout", default="2")
    parser.add_argument("--family", action="append", help="repeatable; default: every family")
    args = parser.parse_args()
    print(f"--scenario-timeout {args.scenario_timeout}")
    print("| fault | family | clauses | transport | outcomes | error | complete | s |")
    print("| --- | --- | --- | --- | --- | --- | --- | ---: |")
    for family, clean, faults, clause, transports in FAMILIES:
        if args.family and family not in args.family:
            continue
        for fault in (None, *faults):
            for transport in transports:
                adapter = clean if fault is None else f"{FAULTY}:{fault}"
                row = run(adapter, transport, clause, args.scenario_timeout)
                label = "/".join(transport)
                print(f"| {fault or '(none)'} | {family} | {clause} | {label} {row}", flush=True)


if __name__ == "__main__":
    main()
