"""Litestar, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

from importlib.metadata import version

import pytest

pytest.importorskip("litestar", reason="Litestar is not installed (pip install litestar)")

from adapters.litestar import LitestarAdapter  # after the skips: it imports Litestar
from conformance import registry
from conformance._expectations import load_expectations

ADAPTER = "adapters.litestar:LitestarAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_litestar_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed Litestar, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (Litestar lacks the concept) or because it is specific to other frameworks."""
    run = run_suite(ADAPTER, *transport)
    assert run.results is not None, run.stderr
    installed = version("litestar")
    assert run.results.framework_version == installed
    assert LitestarAdapter.expectations is not None
    declared = {
        e.clause: e.describe()
        for e in load_expectations(LitestarAdapter.expectations, registry())
        if e.applies_to(installed, run.results.transport)
    }
    # Not applicable: the reason is one the adapter gives for what Litestar
    # lacks, or the clause concerns other frameworks only.
    reasons = set(LitestarAdapter.capabilities.missing.values())
    lacking = {
        c.id
        for c in run.results.clauses
        if c.outcome == "not-applicable"
        and all(
            t.detail.partition(": ")[2] in reasons or not registry()[c.id].about("litestar")
            for t in c.tests
        )
    }
    outcomes = {c.id: (c.outcome, c.expected) for c in run.results.clauses}
    assert outcomes == {
        c.id: ("fail", declared[c.id])
        if c.id in declared
        else ("not-applicable", None)
        if c.id in lacking
        else ("pass", None)
        for c in registry().active()
    }
    assert run.code == 0, run.stdout[-3000:]
