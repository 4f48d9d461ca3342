"""Comparing two runs: regressions, fixes, stale declarations, and the CI verdict."""

from __future__ import annotations

from conformance.reporting import ClauseResult, Outcome, Results, compare
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names


def clause(cid: str, outcome: Outcome, expected: str | None = None) -> ClauseResult:
    return ClauseResult(cid, "MUST", "hooks", "documented", [Check("test", outcome)], expected)


def run(*clauses: ClauseResult, framework: str = "flask", version: str = "3.1.0") -> Results:
    return Results(
        adapter=framework,
        framework=framework,
        framework_version=version,
        transport="in-process",
        python="3.12.1",
        suite_version="0.1.0",
        clauses=list(clauses),
    )


def test_a_clause_that_passed_and_now_fails_is_a_regression() -> None:
    """pass -> fail is a regression, and the comparison has regressed."""
    comparison = compare(run(clause("hooks.a", "pass")), run(clause("hooks.a", "fail")))
    assert comparison.regressions == ["hooks.a"]
    assert comparison.regressed


def test_a_clause_that_passed_and_now_errors_is_a_regression() -> None:
    """pass -> error is a regression too."""
    comparison = compare(run(clause("hooks.a", "pass")), run(clause("hooks.a", "error")))
    assert comparison.regressions == ["hooks.a"]


def test_identical_runs_have_no_change_and_have_not_regressed() -> None:
    """Nothing changed: no line but the header, and CI passes."""
    old = run(clause("hooks.a", "pass"), clause("hooks.b", "fail", expected="known"))
    new = run(clause("hooks.a", "pass"), clause("hooks.b", "fail", expected="known"))
    comparison = compare(old, new)
    assert comparison.changes == []
    assert not comparison.regressed
    assert comparison.render_text().splitlines()[1:] == ["no change"]


def test_a_clause_that_failed_and_now_passes_is_a_fix() -> None:
    """fail -> pass is a fix, which does not fail CI."""
    comparison = compare(run(clause("hooks.a", "fail")), run(clause("hooks.a", "pass")))
    assert comparison.fixes == ["hooks.a"]
    assert not comparison.regressed


def test_an_unexpected_pass_in_the_new_run_has_regressed() -> None:
    """A declared divergence that passes makes CI fail, so the declaration is removed."""
    old = run(clause("hooks.a", "fail", expected="bug 12"))
    new = run(clause("hooks.a", "pass", expected="bug 12"))
    comparison = compare(old, new)
    assert comparison.unexpected_passes == ["hooks.a"]
    assert comparison.regressed


def test_an_error_in_the_new_run_has_regressed_even_if_it_errored_before() -> None:
    """A broken adapter or harness is never a state CI accepts."""
    comparison = compare(run(clause("hooks.a", "error")), run(clause("hooks.a", "error")))
    assert comparison.regressed


def test_clauses_only_in_one_run_are_listed_as_new_or_missing() -> None:
    """A clause added to or dropped from the suite is one line each, not a regression."""
    comparison = compare(run(clause("hooks.old", "pass")), run(clause("hooks.new", "pass")))
    assert comparison.render_text().splitlines()[1:] == [
        "new:             hooks.new: — -> pass",
        "missing:         hooks.old: pass -> —",
    ]
    assert not comparison.regressed


def test_render_text_gives_one_line_per_change_most_urgent_first() -> None:
    """Regressions first, then errors, unexpected passes, fixes, and the rest."""
    old = run(clause("hooks.a", "fail"), clause("hooks.b", "pass"), clause("hooks.c", "pass"))
    new = run(clause("hooks.a", "pass"), clause("hooks.b", "fail"), clause("hooks.c", "pass"))
    assert compare(old, new).render_text().splitlines() == [
        "comparing flask 3.1.0 (in-process) -> flask 3.1.0 (in-process):"
        " regressions 1, errors 0, unexpected passes 0, fixes 1",
        "regression:      hooks.b: pass -> FAIL",
        "fix:             hooks.a: FAIL -> pass",
    ]


def test_comparing_different_frameworks_is_said_in_the_header() -> None:
    """Flask against Quart is allowed, and the reader is told."""
    comparison = compare(run(framework="flask"), run(framework="quart", version="0.20.0"))
    header = comparison.render_text().splitlines()[0]
    assert "(different frameworks: flask -> quart)" in header


def test_comparing_versions_of_one_framework_does_not_warn() -> None:
    """The header mentions frameworks only when they differ."""
    comparison = compare(run(version="3.0.0"), run(version="3.1.0"))
    assert "different frameworks" not in comparison.render_text()
