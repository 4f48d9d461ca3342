"""Bottle, through its adapter, runs the whole suite with no unexpected outcome,
in process and under a real server."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib.util import find_spec
from typing import Any

import pytest

from conformance._run import STEPS_IN_PROCESS
from tests.adapter_checks import assert_keeps_declarations
from tests.conftest import ROOT

# The suite runs in a process of its own; this one never imports Bottle, whose
# 0.12 releases install an import hook that warns on every later import.
pytestmark = pytest.mark.skipif(
    find_spec("bottle") is None, reason="Bottle is not installed: pip install bottle"
)
ADAPTER = "adapters.bottle:BottleAdapter"
EXPECTATIONS = ROOT / "adapters" / "bottle" / "expectations.toml"
CLOSED_EARLY = "streaming.closed-early."


@pytest.mark.parametrize(
    "transport",
    [(), ("--transport", "http"), ("--transport", "http", "--server", "bottle")],
    ids=["in-process", "http-gunicorn", "http-bottle"],
)
def test_bottle_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed Bottle, or fails as its adapter
    declares for that release, or is not applicable with a reason; no error."""
    assert_keeps_declarations(
        run_suite(ADAPTER, *transport), expectations=EXPECTATIONS, distribution="bottle"
    )


def test_bottle_is_measured_on_at_least_forty_clauses(run_suite):
    """Bottle has most of the lifecycle's concepts: at least 40 clauses pass or fail."""
    run = run_suite(ADAPTER)
    assert run.results is not None, run.stderr
    measured = [c for c in run.results.clauses if c.outcome in ("pass", "fail")]
    assert len(measured) >= 40, [c.id for c in measured]


def test_over_http_bottle_gives_its_in_process_outcomes(run_suite):
    """A real server (gunicorn) changes no clause's outcome, but for the clauses whose
    scenarios take steps (a hook added late) or close a response early, which the http
    transport does not take."""
    over_http, in_process = run_suite(ADAPTER, "--transport", "http"), run_suite(ADAPTER)
    assert over_http.results is not None, over_http.stderr
    assert in_process.results is not None, in_process.stderr
    assert over_http.results.transport == "http/gunicorn"
    stepped = {
        c.id
        for c in over_http.results.clauses
        if c.tests and all(STEPS_IN_PROCESS in t.detail for t in c.tests)
    }
    assert stepped == {
        "steps.setup.late-registration-raises",
        "steps.setup.late-hook-never-runs",
        "errors.registration.unknown-status-value-error",
    }
    # A response closed early is observed in process only (streaming area).
    closed_early = {c.id for c in over_http.results.clauses if c.id.startswith(CLOSED_EARLY)}
    left_out = stepped | closed_early
    assert {c.id: c.outcome for c in over_http.results.clauses if c.id not in left_out} == {
        c.id: c.outcome for c in in_process.results.clauses if c.id not in left_out
    }


def observed(code: str) -> Any:
    """What ``code`` prints as JSON, run in a fresh interpreter (this one never imports
    Bottle)."""
    proc = subprocess.run(
        [sys.executable, "-c", "from conformance import run_scenario\n" + textwrap.dedent(code)],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_debug_and_propagation_reach_bottle_and_end_with_the_scenario():
    """debug is bottle.debug (its error page then shows the traceback), propagate_exceptions
    the app's catchall turned off (the exception escapes); the next scenario has neither."""
    seen = observed(
        """
        import json
        from conformance.scenarios import scenario, view
        def run(**config):
            x = run_scenario(ADAPTER, scenario(view(raises="KeyError"), config=config)).only
            return [x.status, x.escaped, "Traceback" in x.text]
        print(json.dumps([run(debug=True), run(propagate_exceptions=True), run()]))
        """.replace("ADAPTER", repr(ADAPTER))
    )
    assert seen == [[500, None, True], [500, "KeyError", False], [500, None, False]]
