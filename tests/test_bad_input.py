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
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from adapters.reference import ReferenceAdapter
from conformance.cli import main
from conformance.transports._dispatch import BODY_LIMIT, Dispatcher
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


# -- the http transport's control endpoint: 400 and one line --


@dataclass(frozen=True)
class BadRequest:
    method: str
    path: str
    says: str
    query: str = ""
    body: bytes = b""
    content_length: str | None = None


ENDPOINT_CASES: dict[str, BadRequest] = {
    "content-length-a-word": BadRequest(
        "POST", "/__conformance__/scenario", "Content-Length", content_length="ten"
    ),
    "content-length-negative": BadRequest(
        "POST", "/__conformance__/scenario", "Content-Length", content_length="-1"
    ),
    "content-length-hex": BadRequest(
        "POST", "/__conformance__/scenario", "Content-Length", content_length="0x10"
    ),
    "content-length-too-large": BadRequest(
        "POST", "/__conformance__/scenario", "at most", content_length=str(BODY_LIMIT + 1)
    ),
    "scenario-not-json": BadRequest(
        "POST", "/__conformance__/scenario", "not a scenario", body=b"{nope"
    ),
    "scenario-not-utf8": BadRequest(
        "POST", "/__conformance__/scenario", "not a scenario", body=b"\xff\xfe"
    ),
    "scenario-wrong-shape": BadRequest(
        "POST", "/__conformance__/scenario", "not a scenario", body=b'{"routes": 5}'
    ),
    "scenario-nested-deeply": BadRequest(
        "POST", "/__conformance__/scenario", "not a scenario", body=b"[" * 100_000
    ),
    "trace-of-a-word": BadRequest("GET", "/__conformance__/scenario/abc/trace", "'abc'"),
    "trace-of-a-negative-number": BadRequest("GET", "/__conformance__/scenario/-1/trace", "'-1'"),
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
}


def _wsgi(dispatcher: Dispatcher, case: BadRequest) -> tuple[int, dict[str, Any]]:
    environ: dict[str, Any] = {
        "REQUEST_METHOD": case.method,
        "PATH_INFO": case.path,
        "QUERY_STRING": case.query,
        "wsgi.input": io.BytesIO(case.body),
    }
    length = case.content_length if case.content_length is not None else str(len(case.body))
    environ["CONTENT_LENGTH"] = length
    got: list[str] = []
    body = b"".join(dispatcher.wsgi(environ, lambda status, headers: got.append(status)))
    return int(got[0].split()[0]), json.loads(body)


def _asgi(dispatcher: Dispatcher, case: BadRequest) -> tuple[int, dict[str, Any]]:
    sent: list[dict[str, Any]] = []
    scope = {
        "type": "http",
        "method": case.method,
        "path": case.path,
        "query_string": case.query.encode(),
        "headers": [],
    }
    body = case.body
    if case.content_length is not None and case.content_length.isdigit():
        body = b"x" * int(case.content_length)  # what the server would hand on

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(dispatcher.asgi(scope, receive, send))
    return sent[0]["status"], json.loads(sent[1]["body"])


@pytest.mark.parametrize("face", [_wsgi, _asgi], ids=["wsgi", "asgi"])
@pytest.mark.parametrize("case", ENDPOINT_CASES.values(), ids=ENDPOINT_CASES.keys())
def test_a_bad_request_to_the_control_endpoint_is_a_400_with_one_line(
    case: BadRequest, face: Callable[[Dispatcher, BadRequest], tuple[int, dict[str, Any]]]
) -> None:
    if face is _asgi and case.content_length is not None and not case.content_length.isdigit():
        pytest.skip("an ASGI server parses Content-Length itself and refuses a malformed one")
    status, payload = face(Dispatcher(ReferenceAdapter()), case)
    assert status == 400, payload
    assert set(payload) == {"error"}
    assert "\n" not in payload["error"]
    assert len(payload["error"]) <= 400
    assert case.says in payload["error"]
