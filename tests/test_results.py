"""Results files: every field is checked on load, with a message naming it,
and the JSON Schema shipped in the package agrees with the checks."""

from __future__ import annotations

import copy
import fnmatch
import json
import re
from pathlib import Path
from typing import Any

import pytest

from conformance import Results
from conformance._errors import ResultsError
from conformance._spec import tomllib  # tomli on Python 3.10
from conformance.reporting import SCHEMA, ClauseResult
from conformance.reporting import TestResult as Check
from conformance.reporting._results import schema, schema_problem

ROOT = Path(__file__).resolve().parent.parent


def valid() -> dict[str, Any]:
    clause = ClauseResult("hooks.before.registration-order", "MUST", "hooks", "documented")
    clause.tests.append(Check("test_hooks::test_x", "pass"))
    results = Results("flask", "flask", "3.1.3", "in-process", "3.11.7", "0.1.0", clauses=[clause])
    return results.to_json()


def test_a_valid_results_document_round_trips():
    assert Results.from_json(valid()).to_json() == valid()


def broken(path: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(valid())
    *parents, last = path.split(".")
    target: Any = doc
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is KeyError:
        del target[last]
    else:
        target[last] = value
    return doc


MALFORMED = pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("adapter", None, "'adapter' must be a string"),
        ("adapter", KeyError, "lacks the field 'adapter'"),
        ("selection", "hooks.*", "'selection' must be an array of strings"),
        ("clauses.0.level", "MAYBE", "'level' must be one of"),
        ("clauses.0.basis", "rumoured", "'basis' must be one of"),
        ("clauses.0.tests", [], "has no tests"),
        ("clauses.0.tests.0.outcome", "meh", "unknown outcome 'meh'"),
        ("clauses.0.tests.0.evidence", "text", "'evidence' must be an object"),
        ("clauses.0.outcome", "fail", "its tests make it 'pass'"),
        ("framework", "flask", "'framework' must be an object"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)


@MALFORMED
def test_a_malformed_field_is_refused_by_name(path: str, value: Any, message: str):
    with pytest.raises(ValueError, match=re.escape(message)):
        Results.from_json(broken(path, value))


@MALFORMED
def test_the_json_schema_refuses_what_the_checks_refuse(path: str, value: Any, message: str):
    """The shipped schema and the checks by hand agree, but on the one rule a
    schema cannot state: a clause's outcome is its tests' worst."""
    problem = schema_problem(broken(path, value))
    if path == "clauses.0.outcome":
        assert problem == ""
    else:
        assert problem.startswith("at "), problem


def test_a_valid_results_document_follows_the_json_schema():
    assert schema_problem(valid()) == ""


def test_the_schema_names_the_schema_string_it_describes():
    """The schema file and the code speak of one version of the format."""
    assert schema()["properties"]["schema"] == {"const": SCHEMA}
    assert schema()["$id"].endswith(":" + SCHEMA.rsplit("/", 1)[1])


@pytest.mark.parametrize(
    ("path", "value", "where"),
    [
        ("clauses.0.tests.0.evidence", {"message": 5}, "clauses[0].tests[0].evidence.message"),
        ("clauses.0.tests.0.evidence", {"scenario": []}, "clauses[0].tests[0].evidence.scenario"),
        ("summary", {"pass": -1}, "summary"),
        ("clauses.0.unexpected_pass", "no", "unexpected_pass"),
    ],
    ids=["evidence-message-int", "evidence-scenario-array", "summary-negative", "flag-a-word"],
)
def test_a_field_deep_in_the_file_is_refused_with_its_path(path: str, value: Any, where: str):
    """What only the schema looks at is refused too, the message naming where."""
    with pytest.raises(ValueError, match=re.escape(where)):
        Results.from_json(broken(path, value))


def test_save_refuses_to_write_a_file_that_would_not_follow_the_schema(tmp_path: Path):
    """Validated on write: a results object the schema refuses is never written."""
    clause = ClauseResult("hooks.x", "MAYBE", "hooks", "documented", [Check("t", "pass")])
    results = Results("flask", "flask", "3.1.3", "in-process", "3.11.7", "0.1.0", clauses=[clause])
    with pytest.raises(ResultsError, match=re.escape("at clauses[0].level")):
        results.save(tmp_path / "r.json")
    assert list(tmp_path.iterdir()) == []


def test_save_writes_a_file_that_follows_the_schema(tmp_path: Path):
    Results.from_json(valid()).save(tmp_path / "r.json")
    assert schema_problem(json.loads((tmp_path / "r.json").read_text())) == ""


def test_the_schema_is_package_data_of_the_wheel():
    """An installed wheel has the schema beside the module that reads it."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["conformance"]
    assert any(fnmatch.fnmatch("reporting/results.schema.json", g) for g in globs)
    assert (ROOT / "conformance" / "reporting" / "results.schema.json").is_file()
