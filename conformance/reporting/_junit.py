"""One run as JUnit XML, for CI systems that read it: one test case per
clause (its ID the name, its area the class name), the clause's verdict
mapped to JUnit's passed / failure / skipped / error (docs/RESULTS.md has
the table)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .._output import write_text
from ._escape import scrub
from ._results import ClauseResult, Results

MESSAGE_LIMIT = 500
TEXT_LIMIT = 8000
# Characters XML 1.0 cannot hold at all, escaped or not (ElementTree would
# write them and leave a file no parser reads).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(value: str, limit: int) -> str:
    """Untrusted text made fit for an XML attribute or text: no character
    XML cannot hold, no machine-specific path, bounded."""
    value = _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}", scrub(value))
    return value if len(value) <= limit else value[: limit - 6] + " [...]"


def _one_line(value: str) -> str:
    return _clean(" ".join(value.split()), MESSAGE_LIMIT)


def _evidence(clause: ClauseResult) -> tuple[str, str]:
    """The message (one line) and the text of a failing or erroring
    clause: its first such test's evidence, else its detail."""
    worst = next((t for t in clause.tests if t.outcome == clause.outcome), clause.tests[0])
    evidence = worst.evidence or {}
    message = evidence.get("message")
    first = message if isinstance(message, str) and message else worst.detail
    lines = [f"test: {worst.name}"]
    for key in ("what", "expected", "observed"):
        if key in evidence:
            lines.append(f"{key}: {evidence[key]!r}" if key != "what" else f"what: {evidence[key]}")
    if worst.detail:
        lines += ["", worst.detail]
    return _one_line(first or clause.outcome), _clean("\n".join(lines), TEXT_LIMIT)


def _testcase(clause: ClauseResult) -> tuple[ET.Element, str]:
    """The clause's test case, and which of JUnit's four it is."""
    case = ET.Element("testcase", name=_one_line(clause.id), classname=_one_line(clause.area))
    properties = ET.SubElement(case, "properties")
    for name, value in (("level", clause.level), ("basis", clause.basis)):
        ET.SubElement(properties, "property", name=name, value=_one_line(value))
    if clause.expected is not None:
        ET.SubElement(properties, "property", name="declared", value=_one_line(clause.expected))
    if clause.unexpected_pass:
        child = ET.SubElement(
            case,
            "failure",
            type="unexpected-pass",
            message=_one_line(
                f"declared divergence did not occur: {clause.expected}; remove it from the"
                " expectations file"
            ),
        )
        child.text = "\n".join(_clean(t.name, MESSAGE_LIMIT) for t in clause.tests)
        return case, "failure"
    if clause.outcome == "pass":
        return case, "passed"
    if clause.outcome == "not-applicable":
        reason = next((t.detail for t in clause.tests if t.detail), "not applicable")
        ET.SubElement(case, "skipped", type="not-applicable", message=_one_line(reason))
        return case, "skipped"
    message, text = _evidence(clause)
    if clause.outcome == "fail" and clause.expected is not None:
        # An expected fail does not fail the run: shown as skipped, as pytest's
        # own JUnit XML shows an xfail, the declared reason first.
        child = ET.SubElement(
            case,
            "skipped",
            type="declared-divergence",
            message=_one_line(f"declared divergence: {clause.expected}: {message}"),
        )
        child.text = text
        return case, "skipped"
    kind = "failure" if clause.outcome == "fail" else "error"
    child = ET.SubElement(case, kind, type=clause.outcome, message=message)
    child.text = text
    return case, kind


def junit_xml(results: Results) -> str:
    """``results`` as a JUnit XML document: one ``testsuite`` named after
    the run, one ``testcase`` per clause, in the file's order."""
    counts = {"passed": 0, "failure": 0, "skipped": 0, "error": 0}
    cases = []
    for clause in results.clauses:
        case, kind = _testcase(clause)
        counts[kind] += 1
        cases.append(case)
    totals = {
        "tests": str(len(cases)),
        "failures": str(counts["failure"]),
        "errors": str(counts["error"]),
        "skipped": str(counts["skipped"]),
        "time": f"{results.duration_s:.3f}",
    }
    root = ET.Element("testsuites", {"name": "lifecycle-conformance", **totals})
    suite = ET.SubElement(root, "testsuite", {"name": _one_line(results.label), **totals})
    if results.started:
        suite.set("timestamp", _one_line(results.started))
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("adapter", results.adapter),
        ("framework", results.framework),
        ("framework_version", results.framework_version),
        ("transport", results.transport),
        ("python", results.python),
        ("suite_version", results.suite_version),
        ("complete", "true" if results.complete else "false"),
        ("interruption", results.interruption),
    ):
        if value:
            ET.SubElement(properties, "property", name=name, value=_one_line(value))
    suite.extend(cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def write_junit(results: Results, path: Path) -> None:
    """Write ``results`` as JUnit XML to ``path``; a UsageError (one line)
    if it cannot be written."""
    write_text(path, junit_xml(results), "--junit")
