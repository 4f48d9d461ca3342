"""The pytest plugin, black-box: outcomes, expectations, and the clause-marker check."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance import Results, registry

SCENARIO_TEST = """
from conformance import clause
from conformance.checks import same
from conformance.scenarios import before, scenario, view

{marker}
def test_something(observe):
    x = observe(scenario(before("b"), view())).only
    {body}
"""


def write_test(pytester: pytest.Pytester, marker: str, body: str = "same(x.status, 200, 'status')"):
    pytester.makepyfile(test_suite=SCENARIO_TEST.format(marker=marker, body=body))


def test_a_conformance_test_without_a_clause_marker_fails_collection(pytester):
    write_test(pytester, marker="")
    result = pytester.runpytest("--adapter", "reference")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*test_something*needs exactly one @clause('id') marker*"])


def test_a_conformance_test_naming_an_unknown_clause_fails_collection(pytester):
    write_test(pytester, marker='@clause("hooks.no-such-clause")')
    result = pytester.runpytest("--adapter", "reference")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown clause 'hooks.no-such-clause'*"])


def test_conformance_tests_without_an_adapter_are_refused(pytester):
    write_test(pytester, marker='@clause("hooks.before.registration-order")')
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*needs --adapter NAME*"])


def test_a_divergence_shows_expected_and_observed_in_the_results(pytester, tmp_path: Path):
    write_test(
        pytester, '@clause("hooks.before.registration-order")', "same(x.order(), ['x'], 'order')"
    )
    out = tmp_path / "r.json"
    result = pytester.runpytest("--adapter", "reference", "--results", str(out))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    (clause,) = Results.load(out).clauses
    assert clause.outcome == "fail"
    evidence = clause.tests[0].evidence
    assert evidence is not None
    assert (evidence["expected"], evidence["observed"]) == (["x"], ["b", "index"])
    assert evidence["scenario"]["hooks"][0]["id"] == "b"


def test_a_test_that_skips_itself_is_an_error_not_a_pass(pytester, tmp_path: Path):
    write_test(pytester, '@clause("hooks.before.registration-order")', "pytest.skip('lazy')")
    pytester.makepyfile(conftest="import pytest, builtins\nbuiltins.pytest = pytest\n")
    out = tmp_path / "r.json"
    pytester.runpytest("--adapter", "reference", "--results", str(out))
    (clause,) = Results.load(out).clauses
    assert clause.outcome == "error"


def test_an_adapter_crash_is_an_error_not_a_failure(run_suite):
    run = run_suite("tests.fake_adapters.restricted:BrokenBuild", "--clause", "hooks.before.*")
    assert run.results is not None
    assert {c.outcome for c in run.results.clauses} == {"error"}
    assert run.code == 1


def test_a_missing_capability_makes_clauses_not_applicable_with_the_reason(run_suite):
    run = run_suite("tests.fake_adapters.restricted:NoTeardownAppcontext")
    assert run.results is not None
    reg = registry()  # leave out the clauses specific to another framework
    na = {
        c.id: c.tests[0].detail
        for c in run.results.clauses
        if c.outcome == "not-applicable" and reg[c.id].about(run.results.framework)
    }
    assert "hooks.teardown-appcontext.after-teardown-request" in na
    assert all("this framework has no application context" in r for r in na.values())
    assert run.code == 0


def test_a_clause_outside_its_version_range_is_not_applicable(run_suite):
    run = run_suite("tests.fake_adapters.restricted:FlaskNamedOldRelease")
    assert run.results is not None
    outcome = {c.id: c for c in run.results.clauses}["response.list.json"]
    assert outcome.outcome == "not-applicable"
    assert "flask>=2.2" in outcome.tests[0].detail


def test_a_declared_divergence_that_occurs_does_not_fail_the_run(run_suite, tmp_path: Path):
    declared = tmp_path / "expectations.toml"
    declared.write_text(
        '[[divergence]]\nclause = "response.list.json"\nreason = "renders lists as text"\n'
    )
    run = run_suite("tests.mutants:list_not_json", "--expectations", str(declared))
    assert run.results is not None
    clause = {c.id: c for c in run.results.clauses}["response.list.json"]
    assert (clause.outcome, clause.expected) == ("fail", "renders lists as text")
    assert run.code == 0, run.stdout


def test_a_declared_divergence_shown_by_only_some_of_its_tests_does_not_fail_the_run(
    run_suite, tmp_path: Path
):
    """A divergence is declared per clause: the clause fails as declared when one of its
    tests fails, even if its other tests pass."""
    declared = tmp_path / "expectations.toml"
    clause_id = "errors.teardown.exception-app-context-still-ends"
    declared.write_text(f'[[divergence]]\nclause = "{clause_id}"\nreason = "too early"\n')
    run = run_suite(
        "tests.mutants:teardown_skipped_on_error",
        "--clause",
        clause_id,
        "--expectations",
        str(declared),
    )
    assert run.results is not None
    (clause,) = run.results.clauses
    assert sorted(t.outcome for t in clause.tests) == ["fail", "pass"]
    assert (clause.outcome, clause.expected) == ("fail", "too early")
    assert run.code == 0, run.stdout


def test_a_declared_divergence_that_passes_is_an_unexpected_pass(run_suite, tmp_path: Path):
    declared = tmp_path / "expectations.toml"
    declared.write_text('[[divergence]]\nclause = "response.dict.json"\nreason = "stale"\n')
    run = run_suite("reference", "--expectations", str(declared))
    assert run.results is not None
    clause = {c.id: c for c in run.results.clauses}["response.dict.json"]
    assert clause.unexpected_pass
    assert run.results.summary()["unexpected-pass"] == 1
    assert run.code == 1


def test_a_declared_divergence_for_other_versions_is_ignored(run_suite, tmp_path: Path):
    declared = tmp_path / "expectations.toml"
    declared.write_text(
        '[[divergence]]\nclause = "response.dict.json"\nreason = "old"\nversions = "<0.0.1"\n'
    )
    run = run_suite("reference", "--expectations", str(declared))
    assert run.results is not None
    assert {c.id: c for c in run.results.clauses}["response.dict.json"].expected is None
    assert run.code == 0


def test_asking_what_an_uncalled_hook_saw_is_a_failure_not_an_error(pytester, tmp_path: Path):
    write_test(
        pytester,
        '@clause("hooks.before.registration-order")',
        "x.seen('never-registered', 'request')",
    )
    out = tmp_path / "r.json"
    pytester.runpytest("--adapter", "reference", "--results", str(out))
    (clause,) = Results.load(out).clauses
    assert clause.outcome == "fail"


NO_TEARDOWN = "tests.fake_adapters.restricted:NoTeardown"


def test_a_test_that_compares_nothing_is_an_error_not_a_pass(pytester, tmp_path: Path):
    """A conformance test that passes without one comparison checked nothing."""
    write_test(pytester, '@clause("hooks.before.registration-order")', "x.order()")
    out = tmp_path / "r.json"
    pytester.runpytest("--adapter", "reference", "--results", str(out))
    (clause,) = Results.load(out).clauses
    assert (clause.outcome, clause.tests[0].detail) == (
        "error",
        "the test passed without comparing anything",
    )


def test_a_test_whose_every_comparison_read_a_dropped_observer_is_not_applicable(
    pytester, tmp_path: Path
):
    """Where every value a test compared came from an observer the framework could not
    run, the test checked nothing about the framework: not applicable, not a pass."""
    pytester.makepyfile(
        test_suite="""
from conformance import clause
from conformance.checks import same
from conformance.scenarios import scenario, teardown, view

@clause("hooks.teardown.once-per-request")
def test_something(observe):
    x = observe(scenario(teardown("t", probes=["exception"], observer=True), view())).only
    same(x.seen("t", "exception"), None, "exception handed to the teardown hook")
"""
    )
    out = tmp_path / "r.json"
    pytester.runpytest("--adapter", NO_TEARDOWN, "--results", str(out))
    (clause,) = Results.load(out).clauses
    assert clause.outcome == "not-applicable"
    assert "observer hooks the framework lacks ['t']" in clause.tests[0].detail


def test_under_pytest_a_declared_divergence_is_declared_not_xfailed(pytester, tmp_path: Path):
    write_test(
        pytester, '@clause("hooks.before.registration-order")', "same(x.order(), ['x'], 'order')"
    )
    declared = tmp_path / "expectations.toml"
    declared.write_text(
        '[[divergence]]\nclause = "hooks.before.registration-order"\nreason = "other order"\n'
    )
    result = pytester.runpytest("--adapter", "reference", "--expectations", str(declared), "-ra")
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["*1 failed as declared in *"])
    assert "xfail" not in result.stdout.str().lower()


def test_under_pytest_a_stale_declaration_is_one_unexpected_pass_line(pytester, tmp_path: Path):
    write_test(pytester, '@clause("hooks.before.registration-order")')
    declared = tmp_path / "expectations.toml"
    declared.write_text(
        '[[divergence]]\nclause = "hooks.before.registration-order"\nreason = "other order"\n'
    )
    result = pytester.runpytest("--adapter", "reference", "--expectations", str(declared))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(
        [
            "UNEXPECTED-PASS hooks.before.registration-order:"
            " the declared divergence did not occur (declared: other order)"
        ]
    )
    assert "xpass" not in result.stdout.str().lower()
