"""Every bad input, one table: the CLI, the pytest plugin and the http
transport's control endpoint.

Each case is the exact command line (or request), the exit code (2 for the
CLI, pytest's usage-error code 4 under pytest, status 400 for the endpoint)
and fragments the message must hold: the thing and the value.  Every
message is at most two lines, never a traceback or an INTERNALERROR, and no
run starts before it.  Grow the table: a new bad input is a new row.
"""

from __future__ import annotations

import asyncio
import http.client
import io
import json
import os
import re
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from adapters.reference import ReferenceAdapter
from conformance._codec import ModelError
from conformance._model import Call, Scenario
from conformance.cli import main
from conformance.transports._control import BODY_LIMIT, SECRET_HEADER
from conformance.transports._dispatch import Dispatcher
from conformance.transports._process import ServerProcess
from tests.conftest import cli

FAKE = "tests.fake_adapters"
USAGE = 2
PYTEST_USAGE = int(pytest.ExitCode.USAGE_ERROR)

# An installed distribution (a dist-info folder on sys.path) whose entry points are broken.
ENTRY_POINTS = f"""\
[lifecycle_conformance.adapters]
broken-ep = not a module path
broken-import = {FAKE}.raises_on_import:Adapter
"""


def _valid_results() -> dict[str, Any]:
    test = {"name": "test_hooks::test_x", "outcome": "pass"}
    clause = {
        "id": "hooks.before.registration-order",
        "level": "MUST",
        "area": "hooks",
        "basis": "documented",
        "tests": [test],
    }
    return {
        "schema": "lifecycle-conformance/results/1",
        "adapter": "reference",
        "framework": {"name": "reference", "version": "0.1.0"},
        "transport": "in-process",
        "python": "3.11.7",
        "suite_version": "0.1.0",
        "clauses": [clause],
    }


def results(change: Callable[[dict[str, Any]], object]) -> str:
    """A valid results file's JSON, changed by ``change``."""
    raw = _valid_results()
    change(raw)
    return json.dumps(raw)


def _clause(raw: dict[str, Any]) -> dict[str, Any]:
    clause: dict[str, Any] = raw["clauses"][0]
    return clause


def _nested(depth: int) -> Callable[[dict[str, Any]], object]:
    def change(raw: dict[str, Any]) -> None:
        value: Any = "bottom"
        for _ in range(depth):
            value = [value]
        _clause(raw)["tests"][0]["evidence"] = {"observed": value}

    return change


def divergence(body: str) -> str:
    return f'[[divergence]]\nclause = "hooks.before.registration-order"\n{body}\n'


@dataclass(frozen=True)
class Bad:
    """A bad command line: ``argv`` ({tmp} is the case's folder), the files
    written there first, and what the message must say."""

    argv: tuple[str, ...]
    says: tuple[str, ...]
    files: dict[str, str | bytes] = field(default_factory=dict)


RUN = ("run", "--adapter", "reference")
EXPECT = (*RUN, "--expectations", "{tmp}/e.toml")
REPORT = ("report", "{tmp}/r.json")

CLI_CASES: dict[str, Bad] = {
    # -- the adapter --
    "adapter-empty": Bad(("run", "--adapter", ""), ("unknown adapter ''", "module:attribute")),
    "adapter-no-colon": Bad(("run", "--adapter", "nocolon"), ("'nocolon'", "known adapters")),
    "adapter-no-module": Bad(("run", "--adapter", ":Adapter"), ("':Adapter'",)),
    "adapter-no-attribute": Bad(("run", "--adapter", "os:"), ("'os:'",)),
    "adapter-two-colons": Bad(("run", "--adapter", "a:b:c"), ("'a:b:c'",)),
    "adapter-spaces": Bad(("run", "--adapter", "my module:Adapter"), ("'my module:Adapter'",)),
    "adapter-module-missing": Bad(("run", "--adapter", "no_such_module_xyz:A"), ("no_such",)),
    "adapter-attribute-missing": Bad(
        ("run", "--adapter", f"{FAKE}.restricted:Nope"), ("has no 'Nope'",)
    ),
    "adapter-a-function": Bad(("run", "--adapter", "json:loads"), ("contract None",)),
    "adapter-not-an-adapter": Bad(
        ("run", "--adapter", f"{FAKE}.restricted:NotAnAdapter"), ("does not implement",)
    ),
    "adapter-import-raises": Bad(
        ("run", "--adapter", f"{FAKE}.raises_on_import:Adapter"),
        ("raises_on_import", "RuntimeError: import-time bug", "fix the adapter"),
    ),
    "adapter-import-exits": Bad(
        ("run", "--adapter", f"{FAKE}.exits_on_import:Adapter"), ("exits_on_import", "SystemExit")
    ),
    "adapter-syntax-error": Bad(
        ("run", "--adapter", "survive_syntax_error:Adapter"),
        ("survive_syntax_error", "SyntaxError"),
        {"survive_syntax_error.py": "def (:\n"},
    ),
    "adapter-constructor-raises": Bad(
        ("run", "--adapter", f"{FAKE}.broken:RaisingConstructor"),
        ("constructing", "RuntimeError: constructor bug second line"),
    ),
    "adapter-constructor-exits": Bad(
        ("run", "--adapter", f"{FAKE}.broken:ExitingConstructor"), ("constructing", "SystemExit")
    ),
    "adapter-future-contract": Bad(
        ("run", "--adapter", f"{FAKE}.restricted:FutureContract"), ("contract 99",)
    ),
    "adapter-framework-missing": Bad(
        ("run", "--adapter", f"{FAKE}.needs_missing_framework:Adapter"), ("pip install",)
    ),
    "adapter-distribution-empty": Bad(
        ("run", "--adapter", f"{FAKE}.broken:NoDistribution"), ("'distribution'", "''")
    ),
    "adapter-distribution-missing": Bad(
        ("run", "--adapter", f"{FAKE}.broken:UninstalledDistribution"),
        ("no-such-distribution-for-lifecycle-conformance", "pip install"),
    ),
    "entry-point-malformed": Bad(
        ("run", "--adapter", "broken-ep"), ("'broken-ep'", "'not a module path'", "entry point")
    ),
    "entry-point-import-raises": Bad(
        ("run", "--adapter", "broken-import"), ("'broken-import'", "RuntimeError")
    ),
    # -- the transport and its server --
    "transport-unknown": Bad((*RUN, "--transport", "pigeon"), ("'pigeon'", "in-process, http")),
    "transport-empty": Bad((*RUN, "--transport", ""), ("unknown transport ''",)),
    "server-empty": Bad((*RUN, "--server", ""), ("--server ''", "leave the option out")),
    "server-empty-http": Bad((*RUN, "--transport", "http", "--server", ""), ("--server ''",)),
    "server-blank-http": Bad((*RUN, "--transport", "http", "--server", " "), ("--server ' '",)),
    "server-unknown": Bad((*RUN, "--transport", "http", "--server", "nginx"), ("'nginx'",)),
    "server-without-http": Bad((*RUN, "--server", "gunicorn"), ("needs --transport http",)),
    "server-wrong-interface": Bad(
        (*RUN, "--transport", "http", "--server", "uvicorn"), ("'uvicorn'", "werkzeug")
    ),
    "interface-unknown-http": Bad(
        ("run", "--adapter", f"{FAKE}.broken:UnknownInterface", "--transport", "http"),
        ("interface 'cgi'", "'wsgi' or 'asgi'"),
    ),
    # -- the time limit and the isolation of an in-process run --
    "timeout-empty": Bad((*RUN, "--scenario-timeout", ""), ("--scenario-timeout ''", "seconds")),
    "timeout-word": Bad((*RUN, "--scenario-timeout", "soon"), ("'soon'", "positive number")),
    "timeout-zero": Bad((*RUN, "--scenario-timeout", "0"), ("'0'", "positive number")),
    "timeout-negative": Bad((*RUN, "--scenario-timeout", "-5"), ("'-5'", "positive number")),
    "timeout-infinite": Bad((*RUN, "--scenario-timeout", "inf"), ("'inf'", "positive number")),
    "timeout-nan": Bad((*RUN, "--scenario-timeout", "nan"), ("'nan'", "positive number")),
    "isolation-unknown": Bad((*RUN, "--isolation", "docker"), ("'docker'", "worker, off")),
    "isolation-empty": Bad((*RUN, "--isolation", ""), ("--isolation ''", "worker, off")),
    "isolation-off-over-http": Bad(
        (*RUN, "--transport", "http", "--isolation", "off"), ("--isolation off", "in-process")
    ),
    # -- clauses --
    "clause-empty": Bad((*RUN, "--clause", ""), ("no clause matches ''",)),
    "clause-unknown": Bad((*RUN, "--clause", "no.such.*"), ("'no.such.*'", "clauses")),
    "clause-one-of-two-unknown": Bad(
        (*RUN, "--clause", "hooks.*", "--clause", "nope"), ("'nope'",)
    ),
    # -- the expectations file --
    "expectations-missing": Bad((*RUN, "--expectations", "{tmp}/absent.toml"), ("absent.toml",)),
    "expectations-folder": Bad((*RUN, "--expectations", "{tmp}"), ("is a folder",)),
    "expectations-not-toml": Bad(EXPECT, ("cannot read",), {"e.toml": "[[divergence]\n"}),
    "expectations-not-utf8": Bad(EXPECT, ("cannot read",), {"e.toml": b"\xff\xfe\x00"}),
    "expectations-unknown-table": Bad(EXPECT, ("unknown tables",), {"e.toml": "[other]\n"}),
    "expectations-divergence-int": Bad(
        EXPECT, ("'divergence' must be an array", "(got 1)"), {"e.toml": "divergence = 1\n"}
    ),
    "expectations-divergence-string": Bad(
        EXPECT, ("'divergence' must be an array", "'x'"), {"e.toml": 'divergence = "x"\n'}
    ),
    "expectations-entry-int": Bad(
        EXPECT, ("divergence #1 must be a table", "(got 1)"), {"e.toml": "divergence = [1]\n"}
    ),
    "expectations-unknown-key": Bad(
        EXPECT, ("unknown keys ['colour']",), {"e.toml": divergence('reason = "x"\ncolour = 1')}
    ),
    "expectations-clause-int": Bad(
        EXPECT, ("unknown clause 1",), {"e.toml": '[[divergence]]\nclause = 1\nreason = "x"\n'}
    ),
    "expectations-clause-unknown": Bad(
        EXPECT,
        ("unknown clause 'no.such'",),
        {"e.toml": '[[divergence]]\nclause = "no.such"\nreason = "x"\n'},
    ),
    "expectations-no-reason": Bad(EXPECT, ("needs a 'reason'",), {"e.toml": divergence("")}),
    "expectations-reason-blank": Bad(
        EXPECT, ("needs a 'reason'",), {"e.toml": divergence('reason = " "')}
    ),
    "expectations-reason-int": Bad(
        EXPECT, ("needs a 'reason'",), {"e.toml": divergence("reason = 1")}
    ),
    "expectations-versions-int": Bad(
        EXPECT,
        ("'versions' must be a string", "(got 2)"),
        {"e.toml": divergence('reason = "x"\nversions = 2')},
    ),
    "expectations-versions-bad": Bad(
        EXPECT, ("PEP 440", "'banana'"), {"e.toml": divergence('reason = "x"\nversions = "banana"')}
    ),
    "expectations-evidence-int": Bad(
        EXPECT,
        ("'evidence' must be a string",),
        {"e.toml": divergence('reason = "x"\nevidence = 1')},
    ),
    "expectations-transports-string": Bad(
        EXPECT,
        ("'transports' must be a list", "'http'"),
        {"e.toml": divergence('reason = "x"\ntransports = "http"')},
    ),
    "expectations-transports-int": Bad(
        EXPECT,
        ("'transports' must be a list", "[1]"),
        {"e.toml": divergence('reason = "x"\ntransports = [1]')},
    ),
    "expectations-transports-unknown": Bad(
        EXPECT,
        ("'transports'", "['ftp']"),
        {"e.toml": divergence('reason = "x"\ntransports = ["ftp"]')},
    ),
    "expectations-transports-nested": Bad(
        EXPECT,
        ("'transports'", "[['http']]"),
        {"e.toml": divergence('reason = "x"\ntransports = [["http"]]')},
    ),
    # -- the results file a run writes: checked before the run --
    "results-folder": Bad((*RUN, "--results", "{tmp}"), ("--results", "is a folder")),
    "results-empty": Bad((*RUN, "--results", ""), ("--results '.'", "is a folder")),
    "results-under-a-file": Bad(
        (*RUN, "--results", "{tmp}/file.txt/r.json"),
        ("file.txt' is not a folder",),
        {"file.txt": "x"},
    ),
    "results-unwritable": Bad((*RUN, "--results", "/proc/no/r.json"), ("'/proc/no/r.json'",)),
    # -- the JUnit XML a run writes: checked before the run too --
    "junit-folder": Bad((*RUN, "--junit", "{tmp}"), ("--junit", "is a folder")),
    "junit-under-a-file": Bad(
        (*RUN, "--junit", "{tmp}/file.txt/j.xml"), ("file.txt' is not a folder",), {"file.txt": "x"}
    ),
    "junit-unwritable": Bad((*RUN, "--junit", "/proc/no/j.xml"), ("--junit", "'/proc/no/j.xml'")),
    # -- the command line itself --
    "no-command": Bad((), ("required",)),
    "unknown-command": Bad(("frobnicate",), ("'frobnicate'", "--help")),
    "run-without-adapter": Bad(("run",), ("--adapter",)),
    "run-unknown-option": Bad((*RUN, "--frobnicate"), ("--frobnicate",)),
    "compare-one-file": Bad(("compare", "{tmp}/r.json"), ("new",)),
    "spec-output-and-check": Bad(("spec", "-o", "a", "--check", "b"), ("not allowed",)),
    "clauses-unknown-option": Bad(("clauses", "--frobnicate"), ("--frobnicate",)),
    # -- results files read by report and compare --
    "report-missing-file": Bad(REPORT, ("r.json", "No such file")),
    "report-empty-folder": Bad(
        ("report", "{tmp}/empty"), ("no results files",), {"empty/.keep": ""}
    ),
    "report-not-json": Bad(REPORT, ("is not JSON",), {"r.json": "{not json"}),
    "report-not-utf8": Bad(REPORT, ("is not JSON",), {"r.json": b"\xff\xfe{}"}),
    "report-nested-too-deeply-to-parse": Bad(
        REPORT, ("nested too deeply",), {"r.json": "[" * 100_000}
    ),
    "report-nested-deeply": Bad(
        REPORT, ("nested more than 64",), {"r.json": results(_nested(200))}
    ),
    "report-top-level-array": Bad(REPORT, ("must be a JSON object",), {"r.json": "[]"}),
    "report-wrong-schema": Bad(
        REPORT, ("'schema' must be",), {"r.json": results(lambda r: r.update(schema="v0"))}
    ),
    "report-missing-fields": Bad(
        REPORT, ("lacks the field 'adapter'",), {"r.json": results(lambda r: r.pop("adapter"))}
    ),
    "report-framework-a-string": Bad(
        REPORT,
        ("'framework' must be an object", "'flask'"),
        {"r.json": results(lambda r: r.update(framework="flask"))},
    ),
    "report-framework-version-int": Bad(
        REPORT,
        ("'version' must be a string", "(got 3)"),
        {"r.json": results(lambda r: r["framework"].update(version=3))},
    ),
    "report-clauses-an-object": Bad(
        REPORT, ("'clauses' must be an array",), {"r.json": results(lambda r: r.update(clauses={}))}
    ),
    "report-clause-an-int": Bad(
        REPORT,
        ("clause #1 must be a JSON object",),
        {"r.json": results(lambda r: r.update(clauses=[1]))},
    ),
    "report-clause-id-int": Bad(
        REPORT, ("'id' must be a string",), {"r.json": results(lambda r: _clause(r).update(id=7))}
    ),
    "report-clause-without-tests": Bad(
        REPORT, ("has no tests",), {"r.json": results(lambda r: _clause(r).update(tests=[]))}
    ),
    "report-test-outcome-unknown": Bad(
        REPORT,
        ("unknown outcome 'meh'",),
        {"r.json": results(lambda r: _clause(r)["tests"][0].update(outcome="meh"))},
    ),
    "report-test-detail-int": Bad(
        REPORT,
        ("'detail' must be a string",),
        {"r.json": results(lambda r: _clause(r)["tests"][0].update(detail=5))},
    ),
    "report-test-evidence-array": Bad(
        REPORT,
        ("'evidence' must be an object",),
        {"r.json": results(lambda r: _clause(r)["tests"][0].update(evidence=[]))},
    ),
    "report-level-unknown": Bad(
        REPORT,
        ("'level' must be one of", "'MUSTNT'"),
        {"r.json": results(lambda r: _clause(r).update(level="MUSTNT"))},
    ),
    "report-basis-unknown": Bad(
        REPORT,
        ("'basis' must be one of",),
        {"r.json": results(lambda r: _clause(r).update(basis="x"))},
    ),
    "report-expected-int": Bad(
        REPORT,
        ("'expected' must be a string or null",),
        {"r.json": results(lambda r: _clause(r).update(expected=1))},
    ),
    "report-outcome-inconsistent": Bad(
        REPORT,
        ("'outcome' is 'fail'",),
        {"r.json": results(lambda r: _clause(r).update(outcome="fail"))},
    ),
    "report-duration-a-word": Bad(
        REPORT,
        ("does not follow schema",),
        {"r.json": results(lambda r: r.update(duration_s="long"))},
    ),
    "report-duration-an-array": Bad(
        REPORT, ("does not follow schema",), {"r.json": results(lambda r: r.update(duration_s=[]))}
    ),
    "report-selection-a-string": Bad(
        REPORT,
        ("'selection' must be an array of strings",),
        {"r.json": results(lambda r: r.update(selection="hooks.*"))},
    ),
    "report-untested-ints": Bad(
        REPORT,
        ("'untested' must be an array of strings",),
        {"r.json": results(lambda r: r.update(untested=[1, 2]))},
    ),
    "report-evidence-message-int": Bad(
        REPORT,
        ("r.json", "at clauses[0].tests[0].evidence.message", "must be a string (got 5)"),
        {"r.json": results(lambda r: _clause(r)["tests"][0].update(evidence={"message": 5}))},
    ),
    "report-platform-int": Bad(
        REPORT,
        ("'platform' must be a string",),
        {"r.json": results(lambda r: r.update(platform=1))},
    ),
    "report-output-folder": Bad(
        (*REPORT, "-o", "{tmp}"), ("--output", "is a folder"), {"r.json": results(lambda r: None)}
    ),
    "report-output-under-a-file": Bad(
        (*REPORT, "-o", "{tmp}/r.json/REPORT.md"),
        ("is not a folder",),
        {"r.json": results(lambda r: None)},
    ),
    "report-output-unwritable": Bad(
        (*REPORT, "-o", "/proc/no/REPORT.md"),
        ("'/proc/no/REPORT.md'",),
        {"r.json": results(lambda r: None)},
    ),
    "report-data-dir-a-file": Bad(
        (*REPORT, "--data-dir", "{tmp}/r.json"),
        ("--data-dir", "r.json'", "is not a folder"),
        {"r.json": results(lambda r: None)},
    ),
    "report-data-dir-unwritable": Bad(
        (*REPORT, "--data-dir", "/proc/no/data"),
        ("--data-dir", "'/proc/no/data/r.json'"),
        {"r.json": results(lambda r: None)},
    ),
    "report-data-dir-holds-another-file": Bad(
        (*REPORT, "--data-dir", "{tmp}/data"),
        ("--data-dir", "'other.json'", "not a reduced results file"),
        {"r.json": results(lambda r: None), "data/other.json": results(lambda r: None)},
    ),
    "report-data-dir-two-files-one-name": Bad(
        ("report", "{tmp}/a/r.json", "{tmp}/b/r.json", "--data-dir", "{tmp}/data"),
        ("--data-dir", "a/r.json", "b/r.json", "both be written as 'r.json'"),
        {"a/r.json": results(lambda r: None), "b/r.json": results(lambda r: None)},
    ),
    "compare-format-unknown": Bad(
        ("compare", "{tmp}/r.json", "{tmp}/r.json", "--format", "html"),
        ("--format", "'html'", "text", "markdown"),
        {"r.json": results(lambda r: None)},
    ),
    "compare-markdown-folder": Bad(
        ("compare", "{tmp}/r.json", "{tmp}/r.json", "--markdown", "{tmp}"),
        ("--markdown", "is a folder"),
        {"r.json": results(lambda r: None)},
    ),
    "compare-markdown-unwritable": Bad(
        ("compare", "{tmp}/r.json", "{tmp}/r.json", "--markdown", "/proc/no/c.md"),
        ("--markdown", "'/proc/no/c.md'"),
        {"r.json": results(lambda r: None)},
    ),
    "compare-new-fails-the-schema-deep": Bad(
        ("compare", "{tmp}/r.json", "{tmp}/new.json"),
        ("new.json", "at clauses[0].tests[0].evidence.scenario", "must be an object"),
        {
            "r.json": results(lambda r: None),
            "new.json": results(
                lambda r: _clause(r)["tests"][0].update(evidence={"scenario": "GET /"})
            ),
        },
    ),
    "compare-old-missing": Bad(("compare", "{tmp}/old.json", "{tmp}/r.json"), ("old.json",)),
    "compare-new-broken": Bad(
        ("compare", "{tmp}/r.json", "{tmp}/new.json"),
        ("new.json", "is not JSON"),
        {"r.json": results(lambda r: None), "new.json": "{"},
    ),
    # -- spec --
    "spec-output-folder": Bad(("spec", "-o", "{tmp}"), ("--output", "is a folder")),
    "spec-output-under-a-file": Bad(
        ("spec", "-o", "{tmp}/file.txt/SPEC.md"), ("is not a folder",), {"file.txt": "x"}
    ),
    "spec-output-unwritable": Bad(("spec", "-o", "/proc/no/SPEC.md"), ("'/proc/no/SPEC.md'",)),
    "spec-check-folder": Bad(("spec", "--check", "{tmp}"), ("cannot read --check",)),
    "spec-check-not-utf8": Bad(
        ("spec", "--check", "{tmp}/SPEC.md"), ("not UTF-8",), {"SPEC.md": b"\xff\xfe"}
    ),
}


@pytest.fixture
def case_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder on sys.path (for modules a case writes) holding a distribution
    with broken entry points, as the current directory."""
    info = tmp_path / "broken_adapters-0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-adapters\nVersion: 0\n")
    (info / "entry_points.txt").write_text(ENTRY_POINTS)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)


def run_main(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own exit
        return int(exc.code or 0)


def assert_short_message(err: str, says: tuple[str, ...], limit: int = 2) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert 1 <= len(lines) <= limit, err
    assert "Traceback" not in err
    assert "INTERNALERROR" not in err
    message = " ".join(lines)
    for fragment in says:
        assert fragment in message, message


@pytest.mark.parametrize("case", CLI_CASES.values(), ids=CLI_CASES.keys())
def test_bad_input_to_the_cli_is_one_short_message_and_exit_2(
    case: Bad, case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_files(case_dir, case.files)
    before = {p for p in case_dir.rglob("*")}
    argv = [arg.replace("{tmp}", str(case_dir)) for arg in case.argv]
    code = run_main(argv)
    out, err = capsys.readouterr()
    assert code == USAGE, out + err
    assert out == ""  # no partial run, no partial report
    assert_short_message(err, case.says)
    assert {p for p in case_dir.rglob("*")} == before  # nothing written


# A few of the same, in a fresh interpreter, as a user types them.
SUBPROCESS_CASES = [
    "adapter-no-module",
    "adapter-import-raises",
    "server-empty-http",
    "results-unwritable",
    "unknown-command",
    "report-nested-too-deeply-to-parse",
]


@pytest.mark.parametrize("name", SUBPROCESS_CASES)
def test_bad_input_to_the_cli_in_a_fresh_interpreter(name: str, tmp_path: Path) -> None:
    case = CLI_CASES[name]
    write_files(tmp_path, case.files)
    proc = cli(*(arg.replace("{tmp}", str(tmp_path)) for arg in case.argv))
    assert proc.returncode == USAGE, proc.stderr
    assert proc.stdout == ""
    assert_short_message(proc.stderr, case.says)


def test_adapters_lists_every_adapter_when_entry_points_are_broken(
    case_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(["adapters"]) == 0
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert "installed" in rows["reference"]
    assert "unavailable" in rows["broken-ep"]
    assert "unavailable" in rows["broken-import"]
    assert "RuntimeError" in rows["broken-import"]


# -- the pytest plugin: the same inputs, pytest's usage-error exit code --

PYTEST_CASES: dict[str, Bad] = {
    name: CLI_CASES[name]
    for name in (
        "adapter-no-module",
        "adapter-no-colon",
        "adapter-import-raises",
        "adapter-import-exits",
        "adapter-constructor-raises",
        "adapter-a-function",
        "adapter-distribution-missing",
        "entry-point-malformed",
        "transport-unknown",
        "server-empty",
        "server-empty-http",
        "server-unknown",
        "interface-unknown-http",
        "clause-unknown",
        "expectations-folder",
        "expectations-entry-int",
        "expectations-transports-nested",
        "results-folder",
        "results-under-a-file",
        "results-unwritable",
        "junit-folder",
        "junit-unwritable",
    )
}


@pytest.mark.parametrize("case", PYTEST_CASES.values(), ids=PYTEST_CASES.keys())
def test_bad_input_to_the_pytest_plugin_is_a_usage_error(
    case: Bad, case_dir: Path, pytester: pytest.Pytester
) -> None:
    write_files(case_dir, case.files)
    argv = [arg.replace("{tmp}", str(case_dir)) for arg in case.argv[1:]]  # without "run"
    result = pytester.runpytest("-p", "no:cacheprovider", "--pyargs", "conformance.suite", *argv)
    output = "\n".join(result.outlines + result.errlines)
    assert result.ret == PYTEST_USAGE, output
    assert "INTERNALERROR" not in output
    assert "passed" not in output
    assert "failed" not in output
    assert_short_message("\n".join(result.errlines), case.says)


# -- a scenario's requests: what could address another host, refused in one line --

# Each is refused when the scenario is made (in a test, by a strategy, or
# decoded from the wire), on every transport, before any request is sent.
BAD_CALLS: dict[str, tuple[dict[str, Any], str]] = {
    "path-empty": ({"path": ""}, "must start with one '/'"),
    "path-relative": ({"path": "items"}, "must start with one '/'"),
    "path-another-host": ({"path": "//evil.example/x"}, "must start with one '/'"),
    "path-a-url": ({"path": "http://evil.example/"}, "must start with one '/'"),
    "path-a-space": ({"path": "/a b"}, "holds ' '"),
    "path-a-tab": ({"path": "/a\tb"}, "holds '\\t'"),
    "path-crlf": ({"path": "/a\r\nHost: evil.example"}, "holds '\\r'"),
    "path-nul": ({"path": "/a\x00"}, "holds '\\x00'"),
    "path-backslash": ({"path": "/\\evil.example"}, "holds '\\\\'"),
    "path-fragment": ({"path": "/a#b"}, "holds '#'"),
    "path-not-ascii": ({"path": "/caf\u00e9"}, "percent-encode it"),
    "path-at-sign-host": ({"path": "@evil.example/"}, "must start with one '/'"),
    "path-bad-escape": ({"path": "/a%zz"}, "two hex digits"),
    "path-truncated-escape": ({"path": "/a%4"}, "two hex digits"),
    "path-escaped-letter": ({"path": "/%41"}, "'%41' is 'A'"),
    "path-escaped-dots": ({"path": "/%2e%2e/x"}, "'%2e' is '.'"),
    "path-dot-dot-segment": ({"path": "/a/../b"}, "'..' segment"),
    "path-dot-segment": ({"path": "/./b"}, "'..' segment"),
    "path-too-long": ({"path": "/" + "a" * 3000}, "at most 2048 characters"),
    "path-not-a-string": ({"path": 5}, "must be a string"),
    "method-with-a-space": ({"method": "GET /x"}, "HTTP method name"),
    "method-empty": ({"method": ""}, "HTTP method name"),
    "header-name-with-a-space": ({"headers": {"X A": "1"}}, "HTTP token"),
    "header-value-crlf": ({"headers": {"X-A": "1\r\nHost: evil.example"}}, "no CR, LF or NUL"),
    "header-the-suites-own": ({"headers": {"x-conformance-call": "1/0"}}, "the suite's own"),
}


@pytest.mark.parametrize("case", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_a_request_that_could_leave_the_app_is_refused_when_the_scenario_is_made(
    case: tuple[dict[str, Any], str],
) -> None:
    fields, says = case
    with pytest.raises(ModelError) as refused:
        Call(**fields)
    assert says in str(refused.value)
    assert "\n" not in str(refused.value)
    wire = Scenario().to_json()
    assert isinstance(wire, dict)
    with pytest.raises(ModelError, match=re.escape(says)):  # the same when decoded
        Scenario.loads(json.dumps({**wire, "requests": [fields]}))


@pytest.mark.parametrize(
    "path",
    ["/", "/items/x", "/outer/", "/a%20b", "/%C3%A9", "/a%2Fb", "/x?q=1&r=/../s", "/a:b@c;d=e"],
)
def test_paths_on_the_apps_own_host_are_accepted_as_written(path: str) -> None:
    """Trailing slashes, percent escapes and query strings are all paths on the
    app's own host, and requests sends each as written."""
    assert Call(path=path).path == path
    prepared = requests.Request("GET", "http://127.0.0.1:1" + path).prepare()
    assert prepared.path_url == path


# -- the http transport's control endpoint: refused in one line --

RIGHT = "<the run's secret>"  # a case's secret header: the server's own
LOADED = "<loaded>"  # in a case's headers: the number of a scenario loaded first
SCENARIO = "/__conformance__/scenario"
A_SCENARIO = Scenario(requests=(Call(),)).dumps().encode()


@dataclass(frozen=True)
class BadRequest:
    """A request the dispatcher refuses with ``status`` and a one-line JSON
    error holding ``says``; a server may refuse it first (``server_may_refuse``:
    a Content-Length it cannot parse) with its own short 400."""

    method: str
    path: str
    says: str
    status: int = 400
    query: str = ""
    body: bytes = b""
    content_length: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    secret: str | None = RIGHT
    server_may_refuse: bool = False


TAG = "X-Conformance-Call"
ENDPOINT_CASES: dict[str, BadRequest] = {
    # -- the run's secret: 403 before anything else is read --
    "secret-missing-ping": BadRequest(
        "GET", "/__conformance__/ping", SECRET_HEADER, status=403, secret=None
    ),
    "secret-wrong-ping": BadRequest(
        "GET", "/__conformance__/ping", SECRET_HEADER, status=403, secret="guessed"
    ),
    "secret-empty": BadRequest(
        "GET", "/__conformance__/ping", SECRET_HEADER, status=403, secret=""
    ),
    "secret-not-ascii": BadRequest(
        "GET", "/__conformance__/ping", SECRET_HEADER, status=403, secret="caf\u00e9"
    ),
    "secret-twice": BadRequest(
        "GET", "/__conformance__/ping", SECRET_HEADER, status=403, headers=((SECRET_HEADER, RIGHT),)
    ),
    "secret-missing-load": BadRequest(
        "POST", SCENARIO, SECRET_HEADER, status=403, body=A_SCENARIO, secret=None
    ),
    "secret-wrong-load": BadRequest(
        "POST", SCENARIO, SECRET_HEADER, status=403, body=A_SCENARIO, secret="guessed"
    ),
    "secret-missing-trace": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", SECRET_HEADER, status=403, secret=None
    ),
    "secret-missing-unknown-path": BadRequest(
        "GET", "/__conformance__/nope", SECRET_HEADER, status=403, secret=None
    ),
    "secret-missing-app-request": BadRequest(
        "GET", "/", SECRET_HEADER, status=403, secret=None, headers=((TAG, "1/0"),)
    ),
    "secret-wrong-app-request": BadRequest(
        "GET", "/", SECRET_HEADER, status=403, secret="x", headers=((TAG, "1/0"),)
    ),
    # -- Content-Length --
    "content-length-a-word": BadRequest(
        "POST", SCENARIO, "Content-Length", content_length="ten", server_may_refuse=True
    ),
    "content-length-negative": BadRequest(
        "POST", SCENARIO, "Content-Length", content_length="-1", server_may_refuse=True
    ),
    "content-length-hex": BadRequest(
        "POST", SCENARIO, "Content-Length", content_length="0x10", server_may_refuse=True
    ),
    "content-length-too-large": BadRequest(
        "POST", SCENARIO, "at most", content_length=str(BODY_LIMIT + 1)
    ),
    # -- the scenario sent --
    "scenario-not-json": BadRequest("POST", SCENARIO, "not a scenario", body=b"{nope"),
    "scenario-not-utf8": BadRequest("POST", SCENARIO, "not a scenario", body=b"\xff\xfe"),
    "scenario-wrong-shape": BadRequest("POST", SCENARIO, "not a scenario", body=b'{"routes": 5}'),
    "scenario-nested-deeply": BadRequest("POST", SCENARIO, "not a scenario", body=b"[" * 100_000),
    "scenario-an-array": BadRequest("POST", SCENARIO, "must be a JSON object", body=b"[1]"),
    "scenario-a-string": BadRequest("POST", SCENARIO, "must be a JSON object", body=b'"x"'),
    "scenario-empty-body": BadRequest("POST", SCENARIO, "not a scenario"),
    "scenario-path-to-another-host": BadRequest(
        "POST",
        SCENARIO,
        "request path '//evil.example/'",
        body=b'{"requests": [{"path": "//evil.example/"}]}',
    ),
    # -- the trace --
    "trace-of-a-word": BadRequest("GET", "/__conformance__/scenario/abc/trace", "'abc'"),
    "trace-of-a-negative-number": BadRequest("GET", "/__conformance__/scenario/-1/trace", "'-1'"),
    "trace-of-a-huge-number": BadRequest(
        "GET", f"/__conformance__/scenario/{'9' * 30}/trace", "by its number"
    ),
    "trace-of-an-unknown-scenario": BadRequest(
        "GET", "/__conformance__/scenario/77/trace", "no scenario '77'", status=404
    ),
    "trace-timeout-a-word": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", "'timeout'", query="timeout=soon"
    ),
    "trace-timeout-negative": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", "'timeout'", query="timeout=-1"
    ),
    "trace-timeout-nan": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", "'timeout'", query="timeout=nan"
    ),
    "trace-timeout-infinite": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", "'timeout'", query="timeout=inf"
    ),
    "trace-timeout-overflowing": BadRequest(
        "GET", "/__conformance__/scenario/1/trace", "'timeout'", query="timeout=1e999"
    ),
    # -- paths and methods --
    "control-path-unknown": BadRequest(
        "GET", "/__conformance__/nope", "no control endpoint", status=404
    ),
    "control-path-bare-prefix": BadRequest(
        "GET", "/__conformance__/", "no control endpoint", status=404
    ),
    "control-path-too-deep": BadRequest(
        "GET", "/__conformance__/scenario/1/trace/more", "no control endpoint", status=404
    ),
    "ping-posted": BadRequest("POST", "/__conformance__/ping", "takes GET", status=405),
    "scenario-fetched": BadRequest("GET", SCENARIO, "takes POST", status=405),
    "trace-deleted": BadRequest(
        "DELETE", "/__conformance__/scenario/1/trace", "takes GET", status=405
    ),
    # -- the X-Conformance-Call tag of an app request --
    "call-tag-missing": BadRequest("GET", "/", "needs one X-Conformance-Call"),
    "call-tag-a-word": BadRequest(
        "GET", "/", "needs one X-Conformance-Call", headers=((TAG, "first"),)
    ),
    "call-tag-no-index": BadRequest(
        "GET", "/", "needs one X-Conformance-Call", headers=((TAG, "1/"),)
    ),
    "call-tag-negative": BadRequest(
        "GET", "/", "needs one X-Conformance-Call", headers=((TAG, "-1/0"),)
    ),
    "call-tag-huge": BadRequest(
        "GET",
        "/",
        "needs one X-Conformance-Call",
        headers=((TAG, "9" * 30 + "/0"),),
    ),
    "call-tag-twice": BadRequest(
        "GET",
        "/",
        "needs one X-Conformance-Call",
        headers=((TAG, f"{LOADED}/0"), (TAG, f"{LOADED}/0")),
    ),
    "call-tag-unknown-scenario": BadRequest(
        "GET",
        "/",
        "scenario 4242 is not loaded",
        status=404,
        headers=((TAG, "4242/0"),),
    ),
    "call-tag-index-out-of-range": BadRequest(
        "GET", "/", "has 1 request(s)", headers=((TAG, f"{LOADED}/1"),)
    ),
}


class Face:
    """One way of sending a case to a dispatcher: (status, headers, body)."""

    secret: str

    def send(self, case: BadRequest) -> tuple[int, dict[str, str], bytes]:
        raise NotImplementedError

    def load(self) -> int:
        """Load a valid scenario, with the secret; its number."""
        load = BadRequest("POST", SCENARIO, "", body=A_SCENARIO)
        status, _, body = self.send(load)
        assert status == 200, body
        number: int = json.loads(body)["scenario"]
        return number

    def headers(self, case: BadRequest) -> list[tuple[str, str]]:
        """The case's headers, with the secret and the loaded scenario's number."""
        headers = [] if case.secret is None else [(SECRET_HEADER, case.secret)]
        headers += case.headers
        if any(LOADED in value for _, value in headers):
            loaded = str(self.load())
            headers = [(k, v.replace(LOADED, loaded)) for k, v in headers]
        return [(k, v.replace(RIGHT, self.secret)) for k, v in headers]


class Wsgi(Face):
    def __init__(self) -> None:
        self.secret = "in-process-secret"
        self.dispatcher = Dispatcher(ReferenceAdapter(), self.secret)

    def send(self, case: BadRequest) -> tuple[int, dict[str, str], bytes]:
        environ: dict[str, Any] = {
            "REQUEST_METHOD": case.method,
            "PATH_INFO": case.path,
            "QUERY_STRING": case.query,
            "wsgi.input": io.BytesIO(case.body),
        }
        length = case.content_length if case.content_length is not None else str(len(case.body))
        environ["CONTENT_LENGTH"] = length
        for name, value in self.headers(case):  # a WSGI server joins repeated headers
            key = "HTTP_" + name.upper().replace("-", "_")
            # PEP 3333: header values are latin-1 strings of the bytes sent
            value = value.encode("utf-8").decode("latin-1")
            environ[key] = f"{environ[key]}, {value}" if key in environ else value
        got: list[tuple[str, list[tuple[str, str]]]] = []
        start = lambda status, headers: got.append((status, headers))  # noqa: E731
        body = b"".join(self.dispatcher.wsgi(environ, start))
        return int(got[0][0].split()[0]), dict(got[0][1]), body


class Asgi(Face):
    def __init__(self) -> None:
        self.secret = "in-process-secret"
        self.dispatcher = Dispatcher(ReferenceAdapter(), self.secret)

    def send(self, case: BadRequest) -> tuple[int, dict[str, str], bytes]:
        sent: list[dict[str, Any]] = []
        headers = [(k.lower().encode(), v.encode("utf-8")) for k, v in self.headers(case)]
        length = case.content_length if case.content_length is not None else str(len(case.body))
        headers.append((b"content-length", length.encode()))
        scope = {
            "type": "http",
            "method": case.method,
            "path": case.path,
            "query_string": case.query.encode(),
            "headers": headers,
        }

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": case.body, "more_body": False}

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        asyncio.run(self.dispatcher.asgi(scope, receive, send))
        names = {bytes(k).decode(): bytes(v).decode() for k, v in sent[0]["headers"]}
        return sent[0]["status"], names, sent[1]["body"]


class Served(Face):
    """A real server process of the http transport, sent raw requests, so
    that malformed ones reach it as written."""

    def __init__(self, process: ServerProcess) -> None:
        self.process = process
        self.secret = process.secret

    def send(self, case: BadRequest) -> tuple[int, dict[str, str], bytes]:
        target = case.path + (f"?{case.query}" if case.query else "")
        lines = [f"{case.method} {target} HTTP/1.1", f"Host: 127.0.0.1:{self.process.port}"]
        lines += [f"{name}: {value}" for name, value in self.headers(case)]
        length = case.content_length if case.content_length is not None else str(len(case.body))
        lines += [f"Content-Length: {length}", "Connection: close"]
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8")
        with socket.create_connection(("127.0.0.1", self.process.port), timeout=30) as sock:
            sock.sendall(head + case.body)
            response = http.client.HTTPResponse(sock)
            response.begin()
            return response.status, dict(response.getheaders()), response.read()


SERVED = {"werkzeug": "reference", "gunicorn": "reference", "uvicorn": "reference-asgi"}
SERVED["hypercorn"] = "reference-asgi"
POSIX = pytest.mark.skipif(
    not hasattr(os, "killpg"), reason="the http transport runs servers as POSIX process groups"
)


@pytest.fixture(scope="module", params=["wsgi", "asgi", *SERVED], ids=str)
def face(request: pytest.FixtureRequest) -> Iterator[Face]:
    """The WSGI and the ASGI dispatcher called in process, and each under
    every server the suite knows, in a process of its own."""
    if request.param == "wsgi":
        yield Wsgi()
    elif request.param == "asgi":
        yield Asgi()
    else:
        if not hasattr(os, "killpg"):
            pytest.skip("the http transport runs servers as POSIX process groups")
        process = ServerProcess(SERVED[request.param], request.param)
        try:
            process.start()
            yield Served(process)
        finally:
            process.stop()


@pytest.mark.parametrize("case", ENDPOINT_CASES.values(), ids=ENDPOINT_CASES.keys())
def test_a_bad_request_to_the_dispatcher_is_refused_with_one_line(
    case: BadRequest, face: Face
) -> None:
    """Under every server and in both faces: the documented status, the
    dispatcher's error header and a JSON object of one short line naming the
    thing and the value; a 405 names the method it takes in Allow."""
    status, headers, body = face.send(case)
    assert status == case.status, body[:300]
    ours = {k.lower(): v for k, v in headers.items()}
    if "x-conformance-error" not in ours and case.server_may_refuse and isinstance(face, Served):
        assert b"Traceback" not in body
        assert len(body) <= 500, body  # the server's own short refusal
        return
    assert ours["x-conformance-error"] == "1"
    payload = json.loads(body)
    assert set(payload) == {"error"}
    assert "\n" not in payload["error"]
    assert len(payload["error"]) <= 400
    assert case.says in payload["error"]
    if status == 405:
        assert ours["allow"] in ("GET", "POST")
        assert ours["allow"] in payload["error"]


@pytest.mark.parametrize("when", ["no-secret", "wrong-secret"])
def test_a_request_without_the_secret_never_reaches_the_scenario_machinery(
    face: Face, when: str
) -> None:
    """A scenario sent without the run's secret is not loaded, and takes no
    scenario number: the next one loaded is numbered as if it never came."""
    first = face.load()
    secret = None if when == "no-secret" else face.secret[::-1]
    status, _, _ = face.send(BadRequest("POST", SCENARIO, "", body=A_SCENARIO, secret=secret))
    assert status == 403
    assert face.load() == first + 1


def test_a_dispatcher_needs_a_secret() -> None:
    with pytest.raises(ValueError, match="needs the run's secret"):
        Dispatcher(ReferenceAdapter(), "")


def test_a_websocket_is_refused_by_the_asgi_dispatcher() -> None:
    """No scenario speaks WebSocket: the dispatcher closes one before it is
    accepted (the server answers the handshake 403), secret or not."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "websocket.connect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "websocket", "path": "/", "headers": [(b"x-conformance-secret", b"s")]}
    asyncio.run(Dispatcher(ReferenceAdapter(), "s").asgi(scope, receive, send))
    assert sent == [{"type": "websocket.close", "code": 1008}]
