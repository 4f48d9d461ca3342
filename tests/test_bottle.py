"""Bottle, through its adapter, runs the whole suite with no unexpected outcome,
in process and under a real server."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

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
    """A real server (gunicorn) changes no clause's outcome."""
    over_http, in_process = run_suite(ADAPTER, "--transport", "http"), run_suite(ADAPTER)
    assert over_http.results is not None, over_http.stderr
    assert in_process.results is not None, in_process.stderr
    assert over_http.results.transport == "http/gunicorn"
    # A response closed early is observed in process only (streaming area).
    closed_early = {c.id for c in over_http.results.clauses if c.id.startswith(CLOSED_EARLY)}
    assert {c.id: c.outcome for c in over_http.results.clauses if c.id not in closed_early} == {
        c.id: c.outcome for c in in_process.results.clauses if c.id not in closed_early
    }
