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
from conformance.transports._pipes import ANNOUNCE
from tests.conftest import ROOT, cli

SLOW = "tests.fake_adapters.slow:Slow"
HANGS = "tests.fake_adapters.faulty:Hangs"


def start_run(
    results: Path, *extra: str, adapter: str = SLOW, announce: Path | None = None
) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if announce is not None:
        env[ANNOUNCE] = str(announce)
    argv = [sys.executable, "-m", "conformance", "run", "--adapter", adapter, "--results"]
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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def announced_pids(announce: Path) -> list[int]:
    return [json.loads(line)["pid"] for line in announce.read_text().splitlines()]


def test_one_sigint_stops_a_run_whose_framework_hangs(tmp_path: Path):
    """The framework blocks forever in a hook, far inside the time limit:
    one Ctrl-C stops the run, kills the worker, and the file says so."""
    results, announce = tmp_path / "r.json", tmp_path / "started.jsonl"
    hanging = ("--clause", "hooks.before.registration-order", "--scenario-timeout", "600")
    proc = start_run(results, *hanging, adapter=HANGS, announce=announce)
    wait_until_running(results)
    assert proc.poll() is None  # it hangs
    proc.send_signal(signal.SIGINT)
    sent = time.monotonic()
    output, _ = proc.communicate(timeout=60)
    took = time.monotonic() - sent
    run = Results.load(results)
    assert not run.complete
    assert run.interruption.startswith("interrupted (Ctrl-C, SIGINT) after 0 of ")
    assert took < 20, output  # seconds, not the 600 of the time limit
    pids = announced_pids(announce)
    assert pids
    assert not any(alive(p) for p in pids)


# Makes the end of a run hang, so that only a second Ctrl-C can stop it.
SLOW_FINISH = """
import time

def pytest_sessionfinish(session):
    open(session.config.getoption("results") + ".finishing", "w").close()
    time.sleep(600)
"""


def test_a_second_sigint_stops_a_run_at_once(tmp_path: Path):
    (tmp_path / "slow_finish.py").write_text(SLOW_FINISH)
    results, announce = tmp_path / "r.json", tmp_path / "started.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp_path)])}
    env[ANNOUNCE] = str(announce)
    argv = [sys.executable, "-m", "pytest", "-p", "slow_finish", "--pyargs", "conformance.suite"]
    hanging = ["--adapter", HANGS, "--clause", "hooks.before.registration-order"]
    proc = subprocess.Popen(
        [*argv, *hanging, "--scenario-timeout", "600", "--results", str(results), "-q"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    wait_until_running(results)
    proc.send_signal(signal.SIGINT)  # the run ends its session, which hangs
    deadline = time.monotonic() + 30
    while not Path(f"{results}.finishing").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert Path(f"{results}.finishing").exists()
    proc.send_signal(signal.SIGINT)
    output, _ = proc.communicate(timeout=30)
    assert proc.returncode == 130, output
    assert "stopped at once (a second Ctrl-C)" in output
    assert not Results.load(results).complete  # the file is whole, and says so
    assert not any(alive(p) for p in announced_pids(announce))


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
    assert "slow 0.1.0 (in-process) **(incomplete)**" in report  # its framework's runs
    findings = report.split("\n## Findings\n", 1)[1].split("\n## ", 1)[0]
    assert "**Needs attention**" in findings  # first thing in the report, with why it ended
    assert "- [slow 0.1.0 (in-process)](#framework-reference): incomplete: interrupted" in findings
    assert "### slow 0.1.0: every rule kept, of those that ran (incomplete)" in findings
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
