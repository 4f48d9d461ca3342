"""REPORT.md's Transport differences: clauses whose outcome under a real
server is not the one the framework's own test client gives."""

from __future__ import annotations

from conformance.reporting import render
from tests.test_report import REGISTRY, clause, columns_of, run, section


def differences(text: str) -> str:
    return section(text, "Transport differences")


def test_a_clause_whose_outcome_differs_over_http_is_listed_with_each_transports_outcome():
    runs = [
        run(clause("hooks.after.order", "fail"), clause("hooks.before.order", "pass")),
        run(
            clause("hooks.after.order", "pass"),
            clause("hooks.before.order", "pass"),
            transport="http/uvicorn",
        ),
    ]
    body = differences(render(runs, REGISTRY))
    assert "### flask 3.1.0 (py 3.12.1)" in body
    rows = [line for line in body.splitlines() if line.startswith("| ")]
    assert rows == [
        "| Clause | in-process | http/uvicorn |",
        "| --- | --- | --- |",
        "| [`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order)"
        " | [**FAIL**](#ev-flask-hooks.after.order) | pass |",
    ]


def test_a_declared_divergence_that_holds_in_process_only_shows_as_expected_there():
    runs = [
        run(clause("hooks.after.order", "fail", expected="the test client keeps the body")),
        run(clause("hooks.after.order", "pass"), transport="http/hypercorn"),
    ]
    body = differences(render(runs, REGISTRY))
    assert "| [fail](#ev-flask-hooks.after.order) | pass |" in body


def test_two_transports_of_one_adapter_get_a_column_each():
    runs = [run(), run(transport="http/werkzeug"), run(transport="http/gunicorn")]
    assert columns_of(render(runs, REGISTRY)) == [
        "3.1.0",
        "3.1.0 http/gunicorn",
        "3.1.0 http/werkzeug",
    ]


def test_the_same_outcome_over_every_transport_is_said_so():
    runs = [run(clause("hooks.after.order", "pass"))]
    runs.append(run(clause("hooks.after.order", "pass"), transport="http/werkzeug"))
    body = differences(render(runs, REGISTRY))
    assert "Every clause has the same outcome over in-process, http/werkzeug." in body


def test_runs_of_other_releases_or_pythons_are_not_compared():
    runs = [
        run(clause("hooks.after.order", "fail")),
        run(clause("hooks.after.order", "pass"), version="3.0.0", transport="http/werkzeug"),
        run(clause("hooks.after.order", "pass"), python="3.13.0", transport="http/werkzeug"),
    ]
    body = differences(render(runs, REGISTRY))
    assert "No adapter was run both in process and over http." in body
