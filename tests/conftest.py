from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

from conformance import Results

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    results: Results | None


def cli(*args: str, cwd: Path = ROOT, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run ``lifecycle-conformance ARGS`` in a fresh interpreter, as a user would."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "conformance", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="session")
def run_suite(tmp_path_factory: pytest.TempPathFactory) -> Callable[..., Run]:
    """Run the conformance suite against an adapter; return its exit code and
    results.  Runs with the same arguments are made once per session."""
    done: dict[tuple[str, ...], Run] = {}

    def run(adapter: str, *extra: str) -> Run:
        key = (adapter, *extra)
        if key not in done:
            results = tmp_path_factory.mktemp("results") / "results.json"
            proc = cli("run", "--adapter", adapter, "--results", str(results), *extra)
            loaded = Results.load(results) if results.exists() else None
            done[key] = Run(proc.returncode, proc.stdout, proc.stderr, loaded)
        return done[key]

    return run


# Hypothesis profiles: `ci` is fixed-seed and bounded; `deep` is for hunting.
# Chosen by HYPOTHESIS_PROFILE, else `ci` when CI is set, else `dev`.
settings.register_profile("ci", derandomize=True, max_examples=150, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.register_profile("deep", max_examples=5000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
