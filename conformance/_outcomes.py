"""Sorting a conformance test's reports into the four outcomes (pass, fail,
not applicable, error), with the evidence a failure carries: what was
expected and observed, the scenario and the observation."""

from __future__ import annotations

from typing import Any

import pytest

from ._errors import Divergence, stable_repr
from ._model import JSON, Observation, Scenario
from .checks import comparisons_made
from .reporting import Outcome, TestResult

_DETAIL_LIMIT = 4000
# What a test's node carries for its report: the scenario it ran, what that
# gave, why it was not applicable, and the divergence declared for its clause.
SCENARIO = pytest.StashKey[Scenario]()
OBSERVATION = pytest.StashKey[Observation]()
NOT_APPLICABLE = pytest.StashKey[str]()
DECLARED = pytest.StashKey[str]()


def classify(
    item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport
) -> TestResult | None:
    """Sort one phase's report into an outcome; None while there is nothing to say."""
    module = getattr(item, "module", None)
    name = f"{module.__name__.rpartition('.')[2]}::{item.name}" if module else item.nodeid
    excinfo = call.excinfo
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = item.stash.get(NOT_APPLICABLE, None)
        if reason is not None:
            return TestResult(name, "not-applicable", reason)
        return TestResult(
            name, "error", f"skipped without a not-applicable reason: {report.longrepr!r}"
        )
    if report.when == "setup" and report.failed:
        return TestResult(name, "error", _text(report), _evidence(item, excinfo))
    if report.when == "call":
        if report.passed:
            if comparisons_made() == 0:  # nothing was checked: this pass would mean nothing
                return _checked_nothing(item, name)
            if DECLARED in item.stash:  # this test does not show the declared divergence
                return TestResult(name, "pass", "declared divergence did not occur")
            return TestResult(name, "pass")
        assert excinfo is not None  # a failed call phase has raised
        outcome: Outcome = "fail" if excinfo.errisinstance(AssertionError) else "error"
        detail = _text(report)
        if hasattr(report, "wasxfail"):
            detail = f"({report.wasxfail}) {excinfo.exconly()}"
        return TestResult(name, outcome, detail, _evidence(item, excinfo))
    if report.when == "teardown" and report.failed:
        return TestResult(name, "error", _text(report))
    return None


def _checked_nothing(item: pytest.Item, name: str) -> TestResult:
    """A test that passed without one comparison: every value it compared was
    read from an observer hook the framework could not run (not applicable),
    or the test compares nothing at all (an error of the suite)."""
    observation = item.stash.get(OBSERVATION, None)
    dropped = sorted({d for x in observation.exchanges for d in x.dropped}) if observation else []
    if dropped:
        return TestResult(
            name,
            "not-applicable",
            f"every comparison of this test reads observer hooks the framework lacks {dropped}",
        )
    return TestResult(name, "error", "the test passed without comparing anything")


def _text(report: pytest.TestReport) -> str:
    text = report.longreprtext
    return text if len(text) <= _DETAIL_LIMIT else text[:_DETAIL_LIMIT] + "\n[...]"


def _evidence(
    item: pytest.Item, excinfo: pytest.ExceptionInfo[BaseException] | None
) -> dict[str, JSON]:
    evidence: dict[str, JSON] = {}
    if excinfo is not None:
        evidence["message"] = excinfo.exconly()[:_DETAIL_LIMIT]
        if isinstance(excinfo.value, Divergence):
            evidence["what"] = excinfo.value.what
            evidence["expected"] = _jsonable(excinfo.value.expected)
            evidence["observed"] = _jsonable(excinfo.value.observed)
    if SCENARIO in item.stash:
        evidence["scenario"] = item.stash[SCENARIO].to_json()
    if OBSERVATION in item.stash:
        evidence["observation"] = item.stash[OBSERVATION].to_json()
    return evidence


def _jsonable(value: Any) -> JSON:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, set | frozenset):  # sorted: a set's own order changes from run to run
        return sorted((_jsonable(v) for v in value), key=stable_repr)
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return repr(value)
