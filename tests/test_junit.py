"""``--junit FILE``: one JUnit test case per clause, its verdict mapped to
passed / failure / skipped / error, parsed back as valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conformance.reporting import ClauseResult, Outcome, Results
from conformance.reporting import TestResult as Check
from conformance.reporting._junit import junit_xml
from tests.conftest import cli


def clause(
    cid: str,
    outcome: Outcome,
    expected: str | None = None,
    *,
    detail: str = "",
    message: str | None = None,
) -> ClauseResult:
    evidence = None if message is None else {"message": message, "what": "call order"}
    check = Check(f"test_{cid}", outcome, detail, evidence)
    return ClauseResult(cid, "MUST", cid.split(".")[0], "documented", [check], expected)


def run(*clauses: ClauseResult) -> Results:
    return Results(
        "flask",
        "flask",
        "3.1.3",
        "in-process",
        "3.12.1",
        "0.1.0",
        duration_s=1.5,
        clauses=[*clauses],
    )


def case_of(results: Results, cid: str) -> ET.Element:
    """The test case named ``cid`` in the JUnit XML of ``results``."""
    root = ET.fromstring(junit_xml(results))
    (case,) = [c for c in root.iter("testcase") if c.get("name") == cid]
    return case


def kind_of(case: ET.Element) -> str:
    children = [c.tag for c in case if c.tag in ("failure", "error", "skipped")]
    assert len(children) <= 1, children
    return children[0] if children else "passed"


MAPPING = {
    "pass": (clause("hooks.a", "pass"), "passed"),
    "fail": (clause("hooks.a", "fail", message="Divergence: call order"), "failure"),
    "error": (clause("hooks.a", "error", message="RuntimeError: adapter bug"), "error"),
    "not-applicable": (
        clause("hooks.a", "not-applicable", detail="no stage 'teardown'"),
        "skipped",
    ),
    "expected-fail": (clause("hooks.a", "fail", "bug 12", message="Divergence: x"), "skipped"),
    "unexpected-pass": (clause("hooks.a", "pass", "bug 12"), "failure"),
}


@pytest.mark.parametrize(("given", "kind"), MAPPING.values(), ids=MAPPING.keys())
def test_each_clause_verdict_maps_to_one_junit_outcome(given: ClauseResult, kind: str) -> None:
    """pass -> passed; fail -> failure; error -> error; n/a and expected
    fail -> skipped; unexpected pass -> failure."""
    assert kind_of(case_of(run(given), "hooks.a")) == kind


def test_a_test_case_is_named_by_clause_id_and_classed_by_area() -> None:
    case = case_of(run(clause("context.g.per-request", "pass")), "context.g.per-request")
    assert case.get("classname") == "context"


def test_a_failure_carries_the_evidence_in_its_message() -> None:
    """The one-line message is the evidence's; the text names the test and what was compared."""
    given = clause("hooks.a", "fail", detail="E  Divergence: ...", message="Divergence: order")
    failure = case_of(run(given), "hooks.a").find("failure")
    assert failure is not None
    assert failure.get("message") == "Divergence: order"
    assert "test: test_hooks.a" in (failure.text or "")
    assert "what: call order" in (failure.text or "")


def test_a_not_applicable_clause_is_skipped_with_its_reason() -> None:
    skipped = case_of(run(MAPPING["not-applicable"][0]), "hooks.a").find("skipped")
    assert skipped is not None
    assert skipped.get("message") == "no stage 'teardown'"
    assert skipped.get("type") == "not-applicable"


def test_an_expected_fail_is_skipped_with_the_declared_reason_and_a_property() -> None:
    """A declared divergence is told apart from a not-applicable clause."""
    case = case_of(run(MAPPING["expected-fail"][0]), "hooks.a")
    skipped = case.find("skipped")
    assert skipped is not None
    assert skipped.get("type") == "declared-divergence"
    assert (skipped.get("message") or "").startswith("declared divergence: bug 12")
    assert {p.get("name"): p.get("value") for p in case.iter("property")}["declared"] == "bug 12"


def test_an_unexpected_pass_fails_and_says_to_remove_the_declaration() -> None:
    failure = case_of(run(MAPPING["unexpected-pass"][0]), "hooks.a").find("failure")
    assert failure is not None
    assert "remove it from the expectations file" in (failure.get("message") or "")


def test_the_suite_counts_match_the_cases() -> None:
    results = run(*(c for c, _ in MAPPING.values() for c in [_renamed(c)]))
    suite = ET.fromstring(junit_xml(results)).find("testsuite")
    assert suite is not None
    assert {k: suite.get(k) for k in ("tests", "failures", "errors", "skipped", "time")} == {
        "tests": "6",
        "failures": "2",
        "errors": "1",
        "skipped": "2",
        "time": "1.500",
    }


_names = iter(f"hooks.c{n}" for n in range(1000))


def _renamed(given: ClauseResult) -> ClauseResult:
    return ClauseResult(
        next(_names), given.level, given.area, given.basis, given.tests, given.expected
    )


@pytest.mark.parametrize(
    "hostile",
    ["<b>&amp;</b>", "]]>", "\x00\x1b[31m red", "\ud800 lone surrogate", "quote \" and '"],
    ids=["markup", "cdata-end", "control-chars", "surrogate", "quotes"],
)
def test_untrusted_text_makes_valid_xml(hostile: str) -> None:
    """Strings from a results file are escaped, and characters XML cannot
    hold at all are written as escapes: the document always parses."""
    given = clause("hooks.a", "fail", hostile, detail=hostile, message=hostile)
    results = run(given)
    results.adapter = results.transport = hostile
    skipped = case_of(results, "hooks.a").find("skipped")
    assert skipped is not None  # parsed, and the structure is intact
    shown = skipped.get("message") or ""
    assert shown.startswith("declared divergence: ")
    assert "\x00" not in shown
    assert "\ud800" not in shown


def test_a_run_writes_junit_whose_counts_match_its_results(tmp_path: Path) -> None:
    """End to end: ``run --junit`` beside ``--results``; the XML parses and its
    counts are the results file's, clause by clause."""
    results, junit = tmp_path / "r.json", tmp_path / "out" / "junit.xml"
    proc = cli(
        "run",
        "--adapter",
        "bottle",
        "--clause",
        "hooks.*",
        "--results",
        str(results),
        "--junit",
        str(junit),
    )
    assert proc.returncode in (0, 1), proc.stderr
    loaded = Results.load(results)
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None
    clauses = loaded.clauses
    expected = {
        "tests": len(clauses),
        "failures": sum(
            1 for c in clauses if c.unexpected_pass or (c.outcome == "fail" and c.expected is None)
        ),
        "errors": sum(1 for c in clauses if c.outcome == "error"),
        "skipped": sum(
            1
            for c in clauses
            if c.outcome == "not-applicable" or (c.outcome == "fail" and c.expected is not None)
        ),
    }
    assert {k: int(suite.get(k, "-1")) for k in expected} == expected
    assert [c.get("name") for c in suite.iter("testcase")] == [c.id for c in clauses]
    assert expected["skipped"] > 0  # the run had something other than passes to map
