"""REPORT.md is reproducible: it is rendered from the reduced results in
report-data/, which read the same wherever the runs were made, hold only
what the report needs, and give the report the full results give."""

from __future__ import annotations

import difflib
import json
import re
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

import pytest

from conformance import Results, registry
from conformance.cli import main
from conformance.reporting import render
from conformance.reporting._reduce import reduce, reduced_text

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "report-data"
# Real results files, trimmed to a few clauses each, as tox's envs wrote them
# on one machine (its project root /work/main): Quart 0.21's traceback pages,
# Django's, Litestar's and APIFlask's session cookies, ports over http.
FIXTURES = ROOT / "tests" / "data" / "runs"
REGENERATE = (
    "regenerate both: `tox p -m conformance` (every env, then the report env), or from"
    " existing results files `lifecycle-conformance report results/ -o REPORT.md"
    " --data-dir report-data/`"
)


def _first_difference(rendered: str, committed: str) -> str:
    diff = difflib.unified_diff(
        committed.splitlines(), rendered.splitlines(), "REPORT.md", "from report-data/", n=1
    )
    return "\n".join(line[:200] for _, line in zip(range(12), diff, strict=False))


def test_the_committed_report_is_what_the_committed_report_data_gives():
    """CI: REPORT.md is rendered from report-data/, byte for byte."""
    runs = [Results.load(path) for path in sorted(DATA.glob("*.json"))]
    assert runs, f"report-data/ holds no reduced results file: {REGENERATE}"
    rendered = render(runs, registry())
    committed = (ROOT / "REPORT.md").read_bytes().decode("utf-8")
    if rendered != committed:
        pytest.fail(
            f"REPORT.md is not what report-data/ gives; {REGENERATE}\n"
            + _first_difference(rendered, committed),
            pytrace=False,
        )


@pytest.mark.parametrize("path", sorted(DATA.glob("*.json")), ids=lambda p: p.name)
def test_each_committed_reduced_file_is_in_its_one_format(path: Path):
    """Reducing a committed file again gives its bytes: nothing was edited by hand."""
    assert reduced_text(Results.load(path)) == path.read_text(encoding="utf-8"), REGENERATE


def _machine_paths() -> list[str]:
    """This machine's paths, and the shapes of any machine's."""
    paths = sysconfig.get_paths()
    local = [str(ROOT), sys.prefix, sys.base_prefix, paths["purelib"], paths["stdlib"]]
    local += [f"{tempfile.gettempdir()}/", f"{Path.home()}/"]
    return [*local, "/site-packages", "/home/", "/root/", "/tmp/", "\\Users\\", "/.tox/"]


@pytest.mark.parametrize(
    "path", [ROOT / "REPORT.md", *sorted(DATA.glob("*.json"))], ids=lambda p: p.name
)
def test_no_machine_path_is_in_the_committed_report_or_its_data(path: Path):
    content = path.read_text(encoding="utf-8")
    assert [p for p in _machine_paths() if p in content] == []


def _elsewhere(raw: str) -> str:
    """A results file as the same runs would have written it on another
    machine: another project root (in a temp dir), a venv's site-packages
    instead of a tox env's, other cookie signatures, ports, addresses, dates,
    and so other Content-Lengths; another platform, time and duration."""
    raw = re.sub(
        r"/work/main/\.tox/[\w-]+/lib/python3\.11/site-packages",
        "/home/runner/work/lc/.venv/lib/python3.11/site-packages",
        raw,
    )
    raw = raw.replace("/work/main", "/tmp/pytest-of-ci/pytest-3/checkout0")
    raw = re.sub(r"(session=)([\w.:-]+)", lambda m: m[1] + m[2][::-1] + "Zq", raw)
    raw = re.sub(
        r"\w{3}, \d{2} \w{3} 2026 \d{2}:\d{2}:\d{2} GMT", "Fri, 18 Dec 2026 11:02:09 GMT", raw
    )
    raw = re.sub(r"127\.0\.0\.1:(\d+)", lambda m: f"127.0.0.1:{int(m[1]) // 7 + 1024}", raw)
    raw = re.sub(r"0x7f[0-9a-f]+", lambda m: "0x55" + m[0][4:][::-1], raw)
    document = json.loads(raw)
    document.update(platform="macOS-15.1-arm64", started="2027-01-01T00:00:00+00:00")
    document["duration_s"] = 123.4
    for clause in document["clauses"]:
        for test in clause["tests"]:
            observation = test.get("evidence", {}).get("observation") or {}
            for exchange in observation.get("exchanges", []):
                body = exchange["body"].get("text", "").encode("utf-8")
                for header in exchange["headers"]:
                    if header[0].lower() == "content-length":
                        header[1] = str(len(body))
    return json.dumps(document, indent=2)


def _write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _report(results: Path, out: Path) -> tuple[bytes, dict[str, bytes]]:
    """The CLI's REPORT.md and reduced files for the results in ``results``."""
    code = main(
        ["report", str(results), "-o", str(out / "REPORT.md"), "--data-dir", str(out / "d")]
    )
    assert code == 0
    data = {p.name: p.read_bytes() for p in sorted((out / "d").glob("*.json"))}
    return (out / "REPORT.md").read_bytes(), data


@pytest.fixture(scope="module")
def fixtures() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(FIXTURES.glob("*.json"))}


def test_the_same_runs_made_on_two_machines_give_the_same_report_and_data(
    fixtures: dict[str, str], tmp_path: Path
):
    here = _write(tmp_path / "here", fixtures)
    there = _write(tmp_path / "there", {n: _elsewhere(raw) for n, raw in fixtures.items()})
    assert (here / "quart021.json").read_text() != (there / "quart021.json").read_text()
    report, data = _report(here, tmp_path / "out-here")
    assert (report, data) == _report(there, tmp_path / "out-there")
    assert sorted(data) == sorted(fixtures)
    for content in [report, *data.values()]:
        assert b"/work/main" not in content
        assert b"pytest-of-ci" not in content


def test_the_report_from_the_reduced_files_is_the_report_from_the_full_ones(
    fixtures: dict[str, str], tmp_path: Path
):
    full = _write(tmp_path / "full", fixtures)
    report, _ = _report(full, tmp_path / "out")
    direct = main(["report", str(full), "-o", str(tmp_path / "direct.md")])
    assert direct == 0
    assert (tmp_path / "direct.md").read_bytes() == report
    runs = [Results.load(p) for p in sorted(full.glob("*.json"))]
    assert render([reduce(r) for r in runs], registry()) == render(runs, registry())


def test_reducing_twice_changes_nothing(fixtures: dict[str, str], tmp_path: Path):
    _, data = _report(_write(tmp_path / "full", fixtures), tmp_path / "once")
    _, again = _report(tmp_path / "once" / "d", tmp_path / "twice")
    assert again == data
    for path in sorted(FIXTURES.glob("*.json")):
        once = reduce(Results.load(path))
        assert reduce(once) == once


def test_a_reduced_file_keeps_nothing_of_when_where_and_how_long(fixtures: dict[str, str]):
    document: dict[str, Any] = json.loads(
        reduced_text(Results.from_json(json.loads(fixtures["quart021.json"])))
    )
    assert document["reduced"] is True
    for key in ("platform", "started", "duration_s", "selection", "summary"):
        assert key not in document
    assert all("outcome" not in clause for clause in document["clauses"])


def test_the_data_dir_loses_the_reduced_file_of_a_run_no_longer_given(
    fixtures: dict[str, str], tmp_path: Path
):
    _, data = _report(_write(tmp_path / "two", dict(list(fixtures.items())[:2])), tmp_path / "o")
    _write(tmp_path / "one", dict(list(fixtures.items())[:1]))
    main(
        [
            "report",
            str(tmp_path / "one"),
            "--data-dir",
            str(tmp_path / "o" / "d"),
            "-o",
            str(tmp_path / "r.md"),
        ]
    )
    assert sorted(p.name for p in (tmp_path / "o" / "d").glob("*.json")) == sorted(data)[:1]
