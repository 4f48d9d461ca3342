"""The command line: exit codes, and one clear line for every bad input."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from conformance import registry
from conformance._spec import render_markdown
from tests.conftest import ROOT, cli

USAGE = 2


def assert_one_line_error(proc, *fragments: str) -> None:
    """Bad input: exit 2, one line on stderr naming the problem, no traceback."""
    assert proc.returncode == USAGE, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_an_unknown_adapter_is_refused_with_the_known_names():
    proc = cli("run", "--adapter", "no-such-framework")
    assert_one_line_error(proc, "'no-such-framework'", "flask", "reference")


def test_an_adapter_whose_framework_is_missing_names_the_package():
    proc = cli("run", "--adapter", "tests.fake_adapters.needs_missing_framework:Adapter")
    assert_one_line_error(proc, "framework_that_is_not_installed", "pip install")


def test_an_adapter_for_another_contract_version_is_refused():
    proc = cli("run", "--adapter", "tests.fake_adapters.restricted:FutureContract")
    assert_one_line_error(proc, "contract 99", "contract 4")


def test_an_adapter_for_contract_1_is_refused_with_what_changed():
    proc = cli("run", "--adapter", "tests.fake_adapters.restricted:FirstContract")
    assert_one_line_error(proc, "contract 1", "speaks contract 4", "since 1:", "neutral vocabulary")


def test_an_object_that_is_not_an_adapter_is_refused():
    proc = cli("run", "--adapter", "tests.fake_adapters.restricted:NotAnAdapter")
    assert_one_line_error(proc, "does not implement the adapter contract")


def test_an_unknown_clause_pattern_is_refused():
    proc = cli("run", "--adapter", "reference", "--clause", "no.such.*")
    assert_one_line_error(proc, "'no.such.*'")


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("[[divergence]\n", "cannot read"),
        ('[[divergence]]\nclause = "no.such"\nreason = "x"\n', "unknown clause 'no.such'"),
        ('[[divergence]]\nclause = "hooks.before.registration-order"\n', "needs a 'reason'"),
        (
            '[[divergence]]\nclause = "hooks.before.registration-order"\n'
            'reason = "x"\nversions = "banana"\n',
            "PEP 440",
        ),
    ],
    ids=["not-toml", "unknown-clause", "no-reason", "bad-specifier"],
)
def test_a_broken_expectations_file_is_refused(tmp_path: Path, content: str, fragment: str):
    path = tmp_path / "expectations.toml"
    path.write_text(content)
    proc = cli("run", "--adapter", "reference", "--expectations", str(path))
    assert_one_line_error(proc, fragment)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("{not json", "is not JSON"),
        ('{"schema": "something-else"}', "does not follow schema"),
        ('{"schema": "lifecycle-conformance/results/1"}', "does not follow schema"),
    ],
    ids=["not-json", "wrong-schema", "missing-fields"],
)
def test_a_broken_results_file_is_refused(tmp_path: Path, content: str, fragment: str):
    path = tmp_path / "results.json"
    path.write_text(content)
    proc = cli("report", str(path))
    assert_one_line_error(proc, fragment, str(path))


def test_a_missing_results_file_is_refused(tmp_path: Path):
    proc = cli("report", str(tmp_path / "absent.json"))
    assert_one_line_error(proc, "absent.json")


def test_run_exits_0_and_writes_results_when_every_clause_passes(run_suite):
    run = run_suite("reference")
    assert run.code == 0
    assert run.results is not None
    assert run.results.adapter == "reference"
    assert "pass" in run.stdout


def test_run_exits_1_when_a_clause_fails(run_suite):
    run = run_suite("tests.mutants:dict_rendered_as_text")
    assert run.code == 1


def test_run_with_a_clause_pattern_runs_only_matching_clauses(run_suite):
    run = run_suite("reference", "--clause", "hooks.after.*")
    assert run.results is not None
    ids = {c.id for c in run.results.clauses}
    assert ids == {c.id for c in registry().clauses if c.id.startswith("hooks.after.")}


def test_report_merges_results_into_markdown(run_suite, tmp_path: Path):
    run = run_suite("reference")
    assert run.results is not None
    results = tmp_path / "reference.json"
    run.results.save(results)
    out = tmp_path / "REPORT.md"
    proc = cli("report", str(results), "-o", str(out))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert "hooks.before.registration-order" in text
    assert "reference" in text


def test_compare_exits_1_on_a_regression(run_suite, tmp_path: Path):
    good, bad = run_suite("reference"), run_suite("tests.mutants:dict_rendered_as_text")
    assert good.results is not None
    assert bad.results is not None
    good.results.save(tmp_path / "old.json")
    bad.results.save(tmp_path / "new.json")
    proc = cli("compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert proc.returncode == 1
    assert "response.dict.json" in proc.stdout


def test_compare_exits_0_when_nothing_regressed(run_suite, tmp_path: Path):
    good = run_suite("reference")
    assert good.results is not None
    good.results.save(tmp_path / "old.json")
    proc = cli("compare", str(tmp_path / "old.json"), str(tmp_path / "old.json"))
    assert proc.returncode == 0, proc.stdout


def test_compare_of_two_frameworks_lists_differences_and_exits_0(run_suite, tmp_path: Path):
    """The reference framework against Flask: differences, said at the top, not a failure."""
    reference, flask = run_suite("reference"), run_suite("flask")
    assert reference.results is not None
    assert flask.results is not None
    reference.results.save(tmp_path / "old.json")
    flask.results.save(tmp_path / "new.json")
    proc = cli("compare", str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    first, *rest = proc.stdout.splitlines()
    assert "(different frameworks: reference -> flask; differences, not regressions)" in first
    assert rest
    assert all(line.startswith("difference:") for line in rest), rest


def test_compare_writes_a_markdown_summary_for_a_pull_request(run_suite, tmp_path: Path):
    """--markdown FILE beside the text on stdout; --format markdown on stdout."""
    good, bad = run_suite("reference"), run_suite("tests.mutants:dict_rendered_as_text")
    assert good.results is not None
    assert bad.results is not None
    good.results.save(tmp_path / "old.json")
    bad.results.save(tmp_path / "new.json")
    files = (str(tmp_path / "old.json"), str(tmp_path / "new.json"))
    proc = cli("compare", *files, "--markdown", str(tmp_path / "pr" / "comment.md"))
    assert proc.returncode == 1
    assert proc.stdout.startswith("comparing ")
    written = (tmp_path / "pr" / "comment.md").read_text()
    assert written.startswith("### lifecycle-conformance: ")
    assert "| regression | `response.dict.json` |" in written
    shown = cli("compare", *files, "--format", "markdown")
    assert shown.returncode == 1
    assert shown.stdout == written


def test_clauses_lists_every_clause_with_its_test_count():
    proc = cli("clauses", "--json")
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)
    assert [c["id"] for c in listed] == [c.id for c in registry().clauses]
    assert all(c["tests"] >= 1 for c in listed if not c["retired"])


def test_clauses_untested_lists_nothing_when_every_clause_has_a_test():
    proc = cli("clauses", "--untested")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == ""


def test_spec_check_fails_on_a_stale_file(tmp_path: Path):
    stale = tmp_path / "SPEC.md"
    stale.write_text("# old\n")
    assert cli("spec", "--check", str(stale)).returncode == 1
    stale.write_text(render_markdown(registry()))
    assert cli("spec", "--check", str(stale)).returncode == 0


def test_the_committed_spec_document_matches_the_registry():
    """SPEC.md is generated from the registry; this fails when the two drift."""
    spec = ROOT / "conformance" / "spec" / "SPEC.md"
    assert spec.read_text(encoding="utf-8") == render_markdown(registry()), (
        "run: lifecycle-conformance spec -o conformance/spec/SPEC.md"
    )


def test_run_ignores_the_conftest_of_the_current_directory(tmp_path: Path):
    hostile = "raise RuntimeError('a conftest the suite must not load')\n"
    (tmp_path / "tests").mkdir()
    for path in (tmp_path / "conftest.py", tmp_path / "tests" / "conftest.py"):
        path.write_text(hostile)
    proc = cli("run", "--adapter", "reference", "--clause", "hooks.before.*", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr


# The terminal: what a run prints.

XFAIL_WORDS = ("xfail", "xpass")  # pytest's words for expected failures, any case


def test_a_run_with_declared_divergences_prints_no_xfail_or_xpass():
    """A declared divergence that occurs prints as DECLARED, and a test of a declared
    clause that passes as a pass: no XFAIL / XPASS that contradicts the clause verdict."""
    proc = cli("run", "--adapter", "quart", "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert not [w for w in XFAIL_WORDS if w in proc.stdout.lower()], proc.stdout
    assert " DECLARED " in proc.stdout
    assert "failed as declared" in proc.stdout.splitlines()[-1]


def test_verbose_output_names_each_tests_clause():
    proc = cli("run", "--adapter", "reference", "--clause", "hooks.after.*", "-v")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "::test_" in line]
    assert lines
    assert all(" PASSED hooks.after." in line for line in lines), lines


def test_a_failing_run_ends_with_one_line_per_failing_clause(run_suite):
    """After the clause summary, each clause that fails the run is one line with its
    reason; only where the results went and pytest's count of tests follow."""
    run = run_suite("tests.mutants:list_not_json")
    assert run.results is not None
    failing = [c.id for c in run.results.clauses if c.counts_against]
    assert failing == ["response.list.json"]
    passing = sum(c.outcome == "pass" for c in run.results.clauses)
    lines = run.stdout.splitlines()
    (at,) = [i for i, line in enumerate(lines) if "(in-process): clauses " in line]
    assert f"clauses {passing} pass, 1 fail" in lines[at], run.stdout
    summary = lines[at + 1]
    assert summary.startswith("FAIL response.list.json: response: [0] expected 200, observed 500")
    assert "observed ['text/html'" in summary
    assert lines[at + 2].startswith("results written to ")
    assert lines[at + 3 :] == [lines[-1]]  # then pytest's count of tests only
    assert "1 failed" in lines[-1]


def test_a_run_whose_clauses_fail_as_declared_lists_none_of_them(run_suite):
    run = run_suite("quart")
    assert run.results is not None
    assert run.results.summary()["expected-fail"] > 0
    assert not [line for line in run.stdout.splitlines() if line.startswith(("FAIL ", "ERROR "))]


def test_an_erroring_clause_is_one_line_with_its_error(run_suite):
    run = run_suite("tests.fake_adapters.restricted:BrokenBuild", "--clause", "hooks.before.*")
    lines = [line for line in run.stdout.splitlines() if line.startswith("ERROR ")]
    assert lines == [
        "ERROR hooks.before.registration-order: conformance._errors.HarnessError:"
        " adapter 'reference' failed to build the app: RuntimeError('adapter bug')"
    ]


def test_version_prints_the_package_version():
    proc = cli("--version")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"lifecycle-conformance {version('lifecycle-conformance')}"


def test_run_help_documents_the_exit_codes_and_that_clause_repeats():
    proc = cli("run", "--help")
    assert proc.returncode == 0, proc.stderr
    codes = proc.stdout.partition("exit codes:")[2]
    for code in ("0", "1", "2", "130"):
        assert f"\n  {code} " in codes, codes
    assert "exit code 4" in codes
    assert "--clause repeats" in proc.stdout
