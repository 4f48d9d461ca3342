"""Interrupted is not complete: a run that ends before every selected test
has run says so in its results file, REPORT.md shows it, and compare refuses
it unless told otherwise."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conformance import Results
from conformance._spec import registry
from conformance.reporting import render
from tests.conftest import ROOT, cli

SLOW = "tests.fake_adapters.slow:Slow"


def start_run(results: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "conformance", "run", "--adapter", SLOW, "--results"]
    return subprocess.Popen(
        [*argv, str(results), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_running(results: Path, timeout: float = 30) -> None:
    """Until the run has written its provisional results file and run a few tests."""
    deadline = time.monotonic() + timeout
    while not results.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(1.0)


@pytest.fixture(scope="module")
def interrupted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    """A run stopped with one SIGINT: its results file, its output, and how
    long it took to stop."""
    results = tmp_path_factory.mktemp("interrupted") / "r.json"
    proc = start_run(results)
    wait_until_running(results)
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    output, _ = proc.communicate(timeout=30)
    return results, output, time.monotonic() - sent


def test_a_run_stopped_by_sigint_writes_results_marked_incomplete(interrupted):
    results, output, took = interrupted
    run = Results.load(results)
    assert not run.complete
    assert run.interruption.startswith("interrupted (Ctrl-C, SIGINT) after ")
    assert 0 < len(run.clauses) < len(registry().active())
    assert "INCOMPLETE" in output
    assert took < 20  # seconds; one SIGINT stops the run at once (slower on a loaded machine)


def test_a_complete_run_says_so(run_suite):
    run = run_suite("reference", "--clause", "hooks.before.*")
    assert run.results is not None
    assert run.results.complete
    assert run.results.interruption == ""


def test_a_run_killed_outright_leaves_a_file_that_says_it_did_not_finish(tmp_path: Path):
    results = tmp_path / "r.json"
    proc = start_run(results)
    wait_until_running(results)
    proc.kill()
    proc.communicate(timeout=30)
    run = Results.load(results)
    assert not run.complete
    assert "did not finish" in run.interruption


def test_a_run_terminated_by_sigterm_writes_results_marked_incomplete(tmp_path: Path):
    results = tmp_path / "r.json"
    proc = start_run(results)
    wait_until_running(results)
    proc.terminate()
    proc.communicate(timeout=30)
    run = Results.load(results)
    assert not run.complete
    assert run.interruption.startswith("terminated (SIGTERM)")


TWO_TESTS = """
from conformance import clause
from conformance.checks import same
from conformance.scenarios import before, scenario, view

@clause("hooks.before.registration-order")
def test_first(observe):
    same(observe(scenario(before("b"), view())).only.status, 999, "status")

@clause("hooks.after.reverse-registration-order")
def test_second(observe):
    observe(scenario(view()))
"""


def test_a_run_stopped_at_its_first_failure_is_incomplete(pytester, tmp_path: Path):
    pytester.makepyfile(test_suite=TWO_TESTS)
    out = tmp_path / "r.json"
    pytester.runpytest("--adapter", "reference", "--results", str(out), "-x")
    run = Results.load(out)
    assert not run.complete
    assert run.interruption.startswith("stopped early (")
    assert run.interruption.endswith("after 1 of 2 tests")


def test_the_report_shows_an_incomplete_run_as_incomplete(interrupted):
    results, _, _ = interrupted
    report = render([Results.load(results)], registry())
    assert "slow 0.1.0 (in-process) **(incomplete)**" in report
    assert "**Incomplete runs**" in report
    assert "interrupted (Ctrl-C, SIGINT) after" in report


def test_compare_refuses_an_incomplete_run(interrupted):
    results, _, _ = interrupted
    proc = cli("compare", str(results), str(results))
    assert proc.returncode == 2
    assert "incomplete" in proc.stderr
    assert "--allow-incomplete" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_compare_compares_an_incomplete_run_when_allowed(interrupted):
    results, _, _ = interrupted
    proc = cli("compare", "--allow-incomplete", str(results), str(results))
    assert proc.returncode == 0, proc.stderr
    assert "warning: the old run is incomplete" in proc.stdout


def test_complete_is_read_back_and_checked(tmp_path: Path):
    raw = json.loads(json.dumps(Results("a", "f", "1", "in-process", "3", "0").to_json()))
    assert raw["complete"] is True
    assert "interruption" not in raw
    raw["complete"] = "yes"
    path = tmp_path / "r.json"
    path.write_text(json.dumps(raw))
    proc = cli("report", str(path))
    assert proc.returncode == 2
    assert "'complete' must be true or false" in proc.stderr
