"""Results files: every field is checked on load, with a message naming it."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from conformance import Results
from conformance.reporting import ClauseResult
from conformance.reporting import TestResult as Check


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


@pytest.mark.parametrize(
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
def test_a_malformed_field_is_refused_by_name(path: str, value: Any, message: str):
    with pytest.raises(ValueError, match=re.escape(message)):
        Results.from_json(broken(path, value))
