"""The reference framework and the newest Flask pass the whole suite."""

from __future__ import annotations

from importlib.metadata import version

import pytest

from conformance import registry
from conformance._run import CLOSES_EARLY_WSGI
from conformance._spec import Clause
from conformance.kit import ASGI_NO_REASON_PHRASE
from conformance.reporting import Results


@pytest.mark.parametrize("face", ["reference", "reference-asgi"])
def test_the_reference_framework_passes_every_clause_through_both_faces(run_suite, face):
    """WSGI face with plain hooks; ASGI face with async hooks and views.  The ASGI face
    lacks what ASGI has no room for: a reason phrase of the app's, and (in process) a
    client closing a stream early; each such clause is not applicable with that reason."""
    run = run_suite(face)
    assert run.results is not None, run.stderr
    asgi_gaps = (ASGI_NO_REASON_PHRASE, CLOSES_EARLY_WSGI)
    lacking = {
        c.id
        for c in run.results.clauses
        if c.outcome == "not-applicable"
        and c.tests
        and all(any(gap in t.detail for gap in asgi_gaps) for t in c.tests)
    }
    gaps = ("response.status-line.", "streaming.closed-early.")
    assert {c.startswith(gaps) for c in lacking} <= {True}
    assert bool(lacking) == (face == "reference-asgi")
    outcomes = {c.id: c.outcome for c in run.results.clauses if c.id not in lacking}
    assert outcomes == {
        c.id: applicable(c, run.results, "pass") for c in registry().active() if c.id not in lacking
    }
    assert run.code == 0


def applicable(clause: Clause, results: Results, outcome: str) -> str:
    """``outcome`` for a clause that holds for the framework and version run, else
    not-applicable (a clause specific to another framework, or to other releases)."""
    framework, version = results.framework, results.framework_version
    holds = clause.about(framework) and clause.holds_for(framework, version)
    return outcome if holds else "not-applicable"


def test_flask_passes_every_clause_derived_from_flask_but_its_declared_divergences(run_suite):
    """The newest Flask passes every clause, except those its adapter declares
    as divergences (with a reason), which must still fail: see REPORT.md."""
    run = run_suite("flask")
    assert run.results is not None, run.stderr
    assert run.results.framework_version == version("flask")
    outcomes = {c.id: (c.outcome, c.expected is not None) for c in run.results.clauses}
    # Every clause is derived from Flask: its own source, or Werkzeug's
    # routing and responses, which Flask's documentation promises as its own;
    # those bound to older releases are not applicable to the newest.
    derived_from_flask = registry().active()
    declared = {c.id for c in run.results.clauses if c.expected is not None}
    assert outcomes == {
        c.id: ("fail", True) if c.id in declared else (applicable(c, run.results, "pass"), False)
        for c in derived_from_flask
    }
    assert run.code == 0


def test_no_active_clause_is_without_a_test(run_suite):
    run = run_suite("reference")
    assert run.results is not None
    assert run.results.untested == []
