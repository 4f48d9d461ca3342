"""Comparing two runs: regressions, fixes, stale declarations, and the CI verdict."""

from __future__ import annotations

from conformance.reporting import ClauseResult, Outcome, Results, compare
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names
from conformance.reporting._compare import MARKDOWN_ROWS


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
    assert "(different frameworks: flask -> quart; differences, not regressions)" in header


def test_comparing_versions_of_one_framework_does_not_warn() -> None:
    """The header mentions frameworks only when they differ."""
    comparison = compare(run(version="3.0.0"), run(version="3.1.0"))
    assert "different frameworks" not in comparison.render_text()


def test_runs_of_different_frameworks_give_differences_not_regressions() -> None:
    """Flask passes, Quart fails: a difference, listed as such; CI does not fail."""
    old = run(clause("hooks.a", "pass"), clause("hooks.b", "pass"), framework="flask")
    new = run(clause("hooks.a", "fail"), clause("hooks.b", "pass"), framework="quart")
    comparison = compare(old, new)
    assert comparison.differences == ["hooks.a"]
    assert comparison.regressions == []
    assert not comparison.regressed
    assert comparison.render_text().splitlines() == [
        "comparing flask 3.1.0 (in-process) -> quart 3.1.0 (in-process)"
        " (different frameworks: flask -> quart; differences, not regressions): differences 1",
        "difference:      hooks.a: pass -> FAIL",
    ]


def test_an_error_in_another_framework_is_a_difference_and_does_not_fail_ci() -> None:
    """Between frameworks nothing is a regression, an error included."""
    old = run(clause("hooks.a", "pass"), framework="flask")
    new = run(clause("hooks.a", "error"), framework="quart")
    comparison = compare(old, new)
    assert comparison.differences == ["hooks.a"]
    assert not comparison.regressed


def test_two_faces_of_one_framework_are_compared_as_one_framework() -> None:
    """Same framework name, another adapter: a clause that got worse regresses."""
    old = run(clause("hooks.a", "pass"), framework="falcon")
    new = run(clause("hooks.a", "fail"), framework="falcon")
    new.adapter = "falcon-asgi"
    assert compare(old, new).regressions == ["hooks.a"]


def test_the_markdown_summary_says_regressed_and_lists_the_change() -> None:
    comparison = compare(run(clause("hooks.a", "pass")), run(clause("hooks.a", "fail")))
    lines = comparison.render_markdown().splitlines()
    assert lines[0] == (
        "### lifecycle-conformance: `flask 3.1.0 (in-process)` \u2192 `flask 3.1.0 (in-process)`"
    )
    assert lines[2].startswith("**Regressed**: regressions 1,")
    assert lines[-3:] == [
        "| change | clause | old | new |",
        "| --- | --- | --- | --- |",
        "| regression | `hooks.a` | pass | FAIL |",
    ]


def test_the_markdown_summary_of_two_frameworks_says_so_in_its_verdict_line() -> None:
    comparison = compare(run(framework="flask"), run(framework="quart"))
    verdict = comparison.render_markdown().splitlines()[2]
    assert verdict.startswith("Different frameworks (flask \u2192 quart):")
    assert "not regressions" in verdict


def test_the_markdown_summary_escapes_what_the_files_say() -> None:
    """A clause ID or a label is untrusted: it lands in code spans, where it
    cannot become markup or a link, and a ``|`` cannot split the table row."""
    old = run(clause("hooks.a|<img src=x>", "pass"))
    new = run(clause("hooks.a|<img src=x>", "fail"))
    new.adapter = "[x](http://evil.example)"
    lines = compare(old, new).render_markdown().splitlines()
    assert lines[0] == (
        "### lifecycle-conformance: `flask 3.1.0 (in-process)`"
        " \u2192 `[x](http://evil.example) 3.1.0 (in-process)`"
    )
    assert lines[-1] == "| regression | `hooks.a\\|<img src=x>` | pass | FAIL |"


def test_the_markdown_summary_is_bounded() -> None:
    """A PR comment lists at most MARKDOWN_ROWS changes, then counts the rest."""
    old = run(*(clause(f"hooks.c{n:03}", "pass") for n in range(MARKDOWN_ROWS + 7)))
    new = run(*(clause(f"hooks.c{n:03}", "fail") for n in range(MARKDOWN_ROWS + 7)))
    markdown = compare(old, new).render_markdown()
    assert markdown.count("| regression |") == MARKDOWN_ROWS
    assert "and 7 more" in markdown


def test_an_unchanged_comparison_says_no_regression_in_markdown() -> None:
    same = run(clause("hooks.a", "pass"))
    assert compare(same, same).render_markdown().splitlines()[2:] == [
        "No regression: regressions 0, errors 0, unexpected passes 0, fixes 0.",
        "",
        "No clause changed.",
    ]
