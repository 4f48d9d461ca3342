"""FastAPI, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

from importlib.metadata import version

import pytest

pytest.importorskip("fastapi", reason="FastAPI is not installed (pip install fastapi)")
pytest.importorskip("itsdangerous", reason="the session middleware needs itsdangerous")

from adapters.fastapi import FastAPIAdapter  # after the skips: it imports FastAPI
from conformance import registry
from conformance._expectations import load_expectations

ADAPTER = "adapters.fastapi:FastAPIAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_fastapi_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed FastAPI, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (FastAPI lacks the concept) or because it is specific to other frameworks."""
    run = run_suite(ADAPTER, *transport)
    assert run.results is not None, run.stderr
    installed = version("fastapi")
    assert run.results.framework_version == installed
    assert FastAPIAdapter.expectations is not None
    declared = {
        e.clause: e.describe()
        for e in load_expectations(FastAPIAdapter.expectations, registry())
        if e.applies_to(installed, run.results.transport)
    }
    # Not applicable: the reason is one the adapter gives for what FastAPI
    # lacks, or the clause concerns other frameworks only.
    reasons = set(FastAPIAdapter.capabilities.missing.values())
    lacking = {
        c.id
        for c in run.results.clauses
        if c.outcome == "not-applicable"
        and all(
            t.detail.partition(": ")[2] in reasons or not registry()[c.id].about("fastapi")
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
