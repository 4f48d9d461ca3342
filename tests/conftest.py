from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

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
