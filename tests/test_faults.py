"""Crashes and hangs of the code under test are outcomes, not the end of
the run: a framework that exits, segfaults, calls ``sys.exit``, blocks a
thread or blocks its event loop inside a hook gives an *error* for the
clauses whose scenarios meet the fault, saying how and where, and every
other clause keeps the outcome it has without the fault.

The faulty adapters (tests/fake_adapters/faulty.py) are the reference
framework with the fault set off by a hook named ``b2``.
"""

from __future__ import annotations

import json
import re

import pytest

from conformance import Results

FAULTY = "tests.fake_adapters.faulty"
# 19 clauses, one test of one of them meets the fault
CLAUSES = ("--clause", "hooks.*")
TIMEOUT = ("--scenario-timeout", "1")
IN_PROCESS: tuple[str, ...] = ()
WERKZEUG = ("--transport", "http")
DIED = r"the worker process died \({}\) in request 0 \(GET /\)"
SERVER_DIED = r"the werkzeug server died \({}\) in request 0 \(GET /\)"
TIMED_OUT = r"timed out after 1 s in request 0 \(GET /\)"

# (fault, transport) -> what the error must say: how the process ended, or that it timed out
FAULTS: dict[tuple[str, tuple[str, ...]], str] = {
    ("Exits", IN_PROCESS): DIED.format("exit code 3"),
    ("Segfaults", IN_PROCESS): DIED.format("killed by SIGSEGV"),
    ("SysExits", IN_PROCESS): r"the adapter or its framework raised SystemExit: 4",
    ("Hangs", IN_PROCESS): TIMED_OUT + r", after event 'b1' \(before\)",
    ("BlocksTheLoop", IN_PROCESS): TIMED_OUT + r", after event 'b1' \(before\)",
    ("Exits", WERKZEUG): SERVER_DIED.format("exit code 3"),
    ("Segfaults", WERKZEUG): SERVER_DIED.format("killed by SIGSEGV"),
    # The server lives on; the thread that served the request ended.
    ("SysExits", WERKZEUG): r"GET / got no response from the werkzeug server",
    ("Hangs", WERKZEUG): TIMED_OUT,
    ("BlocksTheLoop", ("--transport", "http", "--server", "uvicorn")): TIMED_OUT,
    ("BlocksTheLoop", ("--transport", "http", "--server", "hypercorn")): TIMED_OUT,
}


def outcomes(run: Results) -> dict[str, str]:
    return {c.id: c.outcome for c in run.clauses}


def meets_the_fault(test: object) -> bool:
    """Whether the test's scenario has a hook named b2."""
    scenario = (getattr(test, "evidence", None) or {}).get("scenario")
    return scenario is not None and '"b2"' in json.dumps(scenario)


@pytest.mark.parametrize(
    ("fault", "transport"),
    list(FAULTS),
    ids=[f"{f}-{'-'.join(t[1::2]) or 'in-process'}" for f, t in FAULTS],
)
def test_a_fault_in_a_hook_is_an_error_of_its_clauses_and_the_run_goes_on(
    run_suite, fault, transport
):
    clean = run_suite("reference", *CLAUSES)
    faulty = run_suite(f"{FAULTY}:{fault}", *CLAUSES, *TIMEOUT, *transport)
    assert clean.results is not None
    assert faulty.results is not None, faulty.stdout[-2000:]
    run = faulty.results
    assert run.complete, run.interruption
    assert faulty.code == 1  # errors fail the run
    errored = {c.id for c in run.clauses if c.outcome == "error"}
    assert errored, "no clause met the fault: the test proves nothing"
    for clause in run.clauses:
        for test in clause.tests:
            if test.outcome == "error":
                assert meets_the_fault(test), (clause.id, test.name)
                message = (test.evidence or {}).get("message", "")
                assert re.search(FAULTS[fault, transport], str(message)), message
    # Every clause the fault spared has the outcome it has without the fault.
    expected = {k: v for k, v in outcomes(clean.results).items() if k not in errored}
    assert {k: v for k, v in outcomes(run).items() if k not in errored} == expected
    assert len(outcomes(run)) == len(outcomes(clean.results))


def test_a_run_in_a_worker_and_one_without_have_the_same_outcomes(run_suite):
    worker = run_suite("reference", *CLAUSES)
    off = run_suite("reference", *CLAUSES, "--isolation", "off")
    assert worker.results is not None
    assert off.results is not None
    assert worker.code == off.code == 0
    assert outcomes(worker.results) == outcomes(off.results)
