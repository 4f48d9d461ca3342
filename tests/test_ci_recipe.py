"""The recipe for a framework's own CI (examples/framework-ci, docs/CI.md):
its workflow's ``run:`` steps, run as the workflow writes them, in a fresh
copy of the example for each job, against its adapter package installed
from that copy.  What only GitHub does is stood in for: the checkouts are
the copy, setup-python is this Python, the install step is the adapter
package installed with pip (the framework and the suite are this
environment's), and an upload checks that its files are there."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from conformance import Results, registry
from conformance._expectations import load_expectations
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names
from conformance.transports._pipes import ANNOUNCE
from tests.conftest import ROOT
from tests.test_http_transport import group_alive

EXAMPLE = ROOT / "examples" / "framework-ci"
WORKFLOW_FILE = EXAMPLE / ".github" / "workflows" / "lifecycle-conformance.yml"
WORKFLOW = yaml.safe_load(WORKFLOW_FILE.read_text())
(JOB,) = WORKFLOW["jobs"].values()
ENV = {k: str(v) for k, v in {**WORKFLOW.get("env", {}), **JOB.get("env", {})}.items()}
# The actions the workflow uses, which only GitHub runs.
GITHUB_ONLY = ("actions/checkout@", "actions/setup-python@", "actions/upload-artifact@")
# What a step may say; anything else (a step's own env, working-directory,
# continue-on-error...) the job below would not do as GitHub does.
KNOWN_KEYS = {"name", "id", "if", "uses", "with", "run"}
STEP_TIMEOUT = 120  # seconds; a whole run of the suite takes about 6

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(os, "killpg"),
    reason="the workflow's steps run in bash; the check that none leaves a process reads /proc",
)


@dataclass
class Job:
    """What one run of the workflow's job did."""

    workspace: Path
    outcomes: dict[str, str] = field(default_factory=dict)  # step id: success, failure, skipped
    output: dict[str, str] = field(default_factory=dict)  # step id: its stdout and stderr
    uploaded: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)  # paths an upload named, not there
    summary: str = ""  # what the steps wrote to $GITHUB_STEP_SUMMARY
    workers: int = 0  # worker processes the suite started
    left: list[str] = field(default_factory=list)  # processes a step left running

    @property
    def succeeded(self) -> bool:
        return "failure" not in self.outcomes.values()

    def results(self) -> Results:
        return Results.load(self.workspace / "results.json")


def step_id(step: dict[str, Any]) -> str:
    return str(step.get("id") or step.get("uses") or step["name"])


def checkout(tmp: Path) -> Path:
    """A fresh copy of the example, as actions/checkout would leave it."""
    workspace = tmp / "workspace"
    shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    return workspace


def install(tmp: Path) -> Path:
    """The adapter package, installed with pip from a copy of the example
    (setuptools builds in the source folder), into a folder of its own where
    the workflow's install step installs it into the runner's Python: built
    without build isolation (nothing is downloaded), its dependencies (the
    suite, the framework) those of this environment."""
    (step,) = [s for s in JOB["steps"] if s.get("id") == "install"]
    assert "./lifecycle" in step["run"].split(), step["run"]
    site = tmp / "site-packages"
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    pip += ["--no-deps", "--no-build-isolation", "--target", str(site)]
    subprocess.run([*pip, str(checkout(tmp) / "lifecycle")], check=True, timeout=STEP_TIMEOUT)
    return site


def run_job(workspace: Path, site: Path, done: Job | None = None) -> Job:
    """The job's steps in order, as GitHub runs them: a step runs while no
    earlier one failed, or always with ``if: always()``; a ``run:`` step is
    its script, in bash with GitHub's options, in the workspace, with the
    workflow's env and $GITHUB_STEP_SUMMARY a file of its own.  With
    ``done``, a job whose workspace this is a copy of, the steps before the
    comparison are not run again: they did what they did there."""
    assert WORKFLOW["defaults"]["run"]["shell"] == "bash"
    runner = workspace.parent / "runner-temp"
    runner.mkdir()
    announced = runner / "workers.jsonl"
    env = {
        **os.environ,
        **ENV,
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]),
        "PYTHONPATH": str(site),
        "CI": "true",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": str(workspace),
        "RUNNER_TEMP": str(runner),
        ANNOUNCE: str(announced),  # every worker the suite starts, to check it is gone
    }
    job = Job(workspace)
    steps = [step_id(step) for step in JOB["steps"]]
    for index, step in enumerate(JOB["steps"]):
        key, condition = step_id(step), step.get("if", "success()")
        assert condition in ("success()", "always()"), f"{key}: unknown condition {condition!r}"
        assert set(step) <= KNOWN_KEYS, f"{key}: no stand-in for {sorted(set(step) - KNOWN_KEYS)}"
        if done is not None and index < steps.index("compare"):
            job.outcomes[key] = done.outcomes[key]
            if key in done.output:
                job.output[key] = done.output[key]
        elif not job.succeeded and condition != "always()":
            job.outcomes[key] = "skipped"
        elif "uses" in step:
            assert step["uses"].startswith(GITHUB_ONLY), f"{key}: no stand-in for this action"
            if step["uses"].startswith("actions/upload-artifact@"):
                paths = step["with"]["path"].split()
                job.uploaded = [p for p in paths if (workspace / p).is_file()]
                job.not_found = [p for p in paths if p not in job.uploaded]
            job.outcomes[key] = "success"
        elif key == "install":
            job.outcomes[key] = "success"  # done once for every job: install()
        else:
            summary = runner / f"step-summary-{index}.md"
            summary.touch()
            script = runner / f"step-{index}.sh"
            step_env = {**env, "GITHUB_STEP_SUMMARY": str(summary)}
            job.outcomes[key], job.output[key] = run_step(step, script, step_env)
            job.summary += summary.read_text()
            workers = announced.read_text().splitlines() if announced.exists() else []
            announced.unlink(missing_ok=True)
            job.workers += len(workers)
            job.left += workers_left([json.loads(line) for line in workers])
    return job


def run_step(step: dict[str, Any], script: Path, env: dict[str, str]) -> tuple[str, str]:
    """One ``run:`` step, its script as written, under a time limit: its
    outcome and its output."""
    assert "${{" not in step["run"], f"{step_id(step)}: an expression the test cannot evaluate"
    script.write_text(step["run"])
    proc = subprocess.Popen(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        cwd=env["GITHUB_WORKSPACE"],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # a group of its own, to check that all of it ends
    )
    try:
        output, _ = proc.communicate(timeout=STEP_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        output, _ = proc.communicate()
        pytest.fail(f"step {step_id(step)!r} ran past {STEP_TIMEOUT} s:\n{output}")
    finally:
        left = group_alive(proc.pid)
        if left:
            os.killpg(proc.pid, signal.SIGKILL)
    assert not left, f"step {step_id(step)!r} left a process of its group running"
    return ("success" if proc.returncode == 0 else "failure"), output


def workers_left(workers: list[dict[str, Any]], within: float = 5.0) -> list[str]:
    """The suite's workers (each a process group of its own) still running
    ``within`` seconds after their step ended; killed, so none outlives the test."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and any(group_alive(w["pid"]) for w in workers):
        time.sleep(0.05)
    left = [w for w in workers if group_alive(w["pid"])]
    for worker in left:
        os.killpg(worker["pid"], signal.SIGKILL)
    return [str(w) for w in left]


def declared_clause(workspace: Path) -> str:
    """The clause the example's expectations file declares a divergence for."""
    (declared,) = load_expectations(workspace / ENV["EXPECTATIONS"], registry())
    return declared.clause


def passing(results: Results, clause: str) -> Results:
    """``results`` as if ``clause`` had passed, every test of it, undeclared."""
    (found,) = [c for c in results.clauses if c.id == clause]
    found.tests = [Check(t.name, "pass") for t in found.tests]
    found.expected = None
    return results


@pytest.fixture(scope="module")
def jobs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Job]:
    """The job as a framework adopting the recipe sees it.  At once: the
    first job, with no baseline committed yet; and one with the example's
    declaration removed (``undeclared``).  Then the first job's results
    committed as the baseline (``equal``), and a baseline in which the
    declared clause passed (``regressed``): the suite's run is the same, so
    these two go on from the first job's comparison."""
    site = install(tmp_path_factory.mktemp("install"))

    def job(name: str, change: Callable[[Path], object] = lambda workspace: None) -> Job:
        workspace = checkout(tmp_path_factory.mktemp(name))
        change(workspace)
        return run_job(workspace, site)

    def undeclare(workspace: Path) -> None:
        (workspace / ENV["EXPECTATIONS"]).write_text("")

    with ThreadPoolExecutor(2) as pool:
        started = pool.submit(job, "first"), pool.submit(job, "undeclared", undeclare)
        first, undeclared = (f.result() for f in started)
    assert first.outcomes["suite"] == "success", first.output["suite"]

    def after_first(name: str, baseline: Results) -> Job:
        workspace = tmp_path_factory.mktemp(name) / "workspace"
        shutil.copytree(first.workspace, workspace)
        baseline.save(workspace / ENV["BASELINE"])
        return run_job(workspace, site, done=first)

    clause = declared_clause(first.workspace)
    return {
        "first": first,
        "undeclared": undeclared,
        "equal": after_first("equal", first.results()),
        "regressed": after_first("regressed", passing(first.results(), clause)),
    }


def test_the_suite_passes_with_the_expectations_file(jobs: dict[str, Job]):
    """The run step succeeds, its one declared divergence failing as declared."""
    first = jobs["first"]
    assert first.outcomes["suite"] == "success", first.output["suite"]
    clause = declared_clause(first.workspace)
    failing = [
        (c.id, c.expected is not None) for c in first.results().clauses if c.outcome == "fail"
    ]
    assert failing == [(clause, True)]


def test_the_junit_xml_has_one_test_case_per_clause(jobs: dict[str, Job]):
    first = jobs["first"]
    root = ET.parse(first.workspace / "junit.xml").getroot()
    cases = sorted(str(case.get("name")) for case in root.iter("testcase"))
    assert cases == sorted(c.id for c in first.results().clauses)


def test_the_html_report_shows_the_run_with_every_clause(jobs: dict[str, Job]):
    first = jobs["first"]
    page = (first.workspace / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert page.rstrip().endswith("</html>")
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert block is not None
    (run,) = json.loads(block.group(1))["runs"]
    results = first.results()
    assert run["name"] == results.label
    assert sorted(run["cells"]) == sorted(c.id for c in results.clauses)


def test_without_a_baseline_the_job_fails_naming_the_file(jobs: dict[str, Job]):
    """The first job of a framework adopting the recipe: the comparison
    fails, in one line that names the baseline to commit."""
    first = jobs["first"]
    assert first.outcomes["compare"] == "failure"
    assert not first.succeeded
    lines = first.output["compare"].strip().splitlines()
    assert len(lines) == 1, lines
    assert ENV["BASELINE"] in lines[0]


def test_the_report_and_junit_xml_are_uploaded_when_a_step_failed(jobs: dict[str, Job]):
    """The comparison failed, so there is no compare.md; everything else is uploaded."""
    first = jobs["first"]
    assert first.outcomes["upload"] == "success"
    assert first.uploaded == ["report.html", "report.md", "junit.xml", "results.json"]
    assert first.not_found == ["compare.md"]


def test_an_equal_baseline_passes_the_job(jobs: dict[str, Job]):
    equal = jobs["equal"]
    assert equal.succeeded, equal.output
    assert "No regression" in equal.summary
    assert "compare.md" in equal.uploaded


def test_a_clause_that_passed_in_the_baseline_and_fails_now_fails_the_job(jobs: dict[str, Job]):
    """Though the clause is declared, so that the run itself succeeds."""
    regressed = jobs["regressed"]
    clause = declared_clause(regressed.workspace)
    assert regressed.outcomes["suite"] == "success", regressed.output["suite"]
    assert regressed.outcomes["compare"] == "failure"
    assert not regressed.succeeded
    assert "**Regressed**" in regressed.summary
    assert f"| regression | `{clause}` |" in regressed.summary


def test_a_failing_run_fails_the_job_and_still_uploads_its_report(jobs: dict[str, Job]):
    """An undeclared divergence: the run fails; the report, the comparison
    (failing too, for want of a baseline) and the upload still run, and the
    JUnit XML has the clause as a failure."""
    undeclared = jobs["undeclared"]
    clause = declared_clause(jobs["first"].workspace)
    assert undeclared.outcomes["suite"] == "failure"
    assert not undeclared.succeeded
    assert {k: undeclared.outcomes[k] for k in ("report", "compare", "summary", "upload")} == {
        "report": "success",
        "compare": "failure",
        "summary": "success",
        "upload": "success",
    }
    assert undeclared.uploaded == ["report.html", "report.md", "junit.xml", "results.json"]
    root = ET.parse(undeclared.workspace / "junit.xml").getroot()
    (case,) = [c for c in root.iter("testcase") if c.get("name") == clause]
    assert [child.tag for child in case if child.tag != "properties"] == ["failure"]


def test_no_step_leaves_a_process_running(jobs: dict[str, Job]):
    assert jobs["first"].workers > 0  # the suite's run announced its worker
    assert {name: job.left for name, job in jobs.items()} == {name: [] for name in jobs}


def test_docs_ci_shows_the_workflow_as_it_is():
    doc = (ROOT / "docs" / "CI.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r"```yaml\n(.*?)```", doc, re.DOTALL)
    assert shown == WORKFLOW_FILE.read_text(encoding="utf-8")
