"""A run records the frameworks its framework is built on (Quart's Flask and
Werkzeug), and REPORT.md names them beside the run, so that a change of
Flask under Quart is not taken for a change of Quart."""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

import pytest

from conformance._errors import ResultsError
from conformance._loading import built_on
from conformance.reporting import Results, render
from conformance.reporting._reduce import reduced_text
from tests.test_report import REGISTRY, clause, run, section


def quart_run(release: str, dependencies: dict[str, str]) -> Results:
    results = run(clause("hooks.before.order", "pass"), framework="quart", version=release)
    results.dependencies = dict(dependencies)
    return results


def test_built_on_names_the_installed_flask_and_werkzeug_quart_requires():
    assert built_on("quart") == {"flask": version("flask"), "werkzeug": version("werkzeug")}


def test_built_on_is_empty_for_a_distribution_that_is_not_installed():
    assert built_on("no-such-distribution-lifecycle") == {}


def test_dependencies_survive_saving_loading_and_reducing(tmp_path: Path):
    results = quart_run("0.19.9", {"flask": "3.0.3", "werkzeug": "3.0.6"})
    path = tmp_path / "quart019.json"
    results.save(path)
    assert Results.load(path).dependencies == {"flask": "3.0.3", "werkzeug": "3.0.6"}
    reduced = json.loads(reduced_text(results))
    assert reduced["dependencies"] == {"flask": "3.0.3", "werkzeug": "3.0.6"}


def test_a_run_with_no_dependencies_writes_none(tmp_path: Path):
    path = tmp_path / "flask.json"
    run(clause("hooks.before.order", "pass")).save(path)
    assert "dependencies" not in json.loads(path.read_text())


@pytest.mark.parametrize("bad", [["flask"], {"flask": 3}])
def test_malformed_dependencies_are_refused_in_one_line(tmp_path: Path, bad):
    path = tmp_path / "bad.json"
    run(clause("hooks.before.order", "pass")).save(path)
    raw = json.loads(path.read_text())
    raw["dependencies"] = bad
    path.write_text(json.dumps(raw))
    with pytest.raises(ResultsError, match="'dependencies' must be an object of version strings"):
        Results.load(path)


def test_the_runs_table_names_the_flask_and_werkzeug_of_each_quart_run():
    report = render(
        [
            quart_run("0.18.4", {"werkzeug": "2.2.3"}),
            quart_run("0.19.9", {"flask": "3.0.3", "werkzeug": "3.0.6"}),
            quart_run("0.20.0", {"flask": "3.1.3", "werkzeug": "3.1.8"}),
        ],
        REGISTRY,
    )
    body = section(report, "Frameworks")
    assert "| Run | Built on | Python |" in body
    assert "| quart 0.18.4 (in-process) | Werkzeug 2.2.3 |" in body
    assert "| quart 0.19.9 (in-process) | Flask 3.0.3, Werkzeug 3.0.6 |" in body
    assert "| quart 0.20.0 (in-process) | Flask 3.1.3, Werkzeug 3.1.8 |" in body


def test_a_framework_whose_runs_record_nothing_has_no_built_on_column():
    body = section(render([run(clause("hooks.before.order", "pass"))], REGISTRY), "Frameworks")
    assert "Built on" not in body
