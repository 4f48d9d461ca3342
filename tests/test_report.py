"""REPORT.md, rendered from Results built here: matrix, divergences, sections, determinism."""

from __future__ import annotations

import json
import re

import pytest

from conformance._model import JSON
from conformance._spec import Area, Clause, Registry
from conformance.reporting import ClauseResult, Outcome, Results, render
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names

REGISTRY = Registry(
    areas=(
        Area("hooks", "Hook ordering", "", 1),
        Area("errors", "Error handling", "", 2),
    ),
    clauses=tuple(
        Clause(cid, text, "MUST", cid.partition(".")[0], "https://example.org", "app.py: f")
        for cid, text in [
            ("hooks.after.order", "After-hooks run last registered first."),
            ("hooks.before.order", "Before-hooks run in registration order."),
            ("errors.handler.code", "A handler is found by status code."),
        ]
    ),
)


def clause(
    cid: str,
    *outcomes: Outcome,
    expected: str | None = None,
    detail: str = "",
    evidence: dict[str, JSON] | None = None,
) -> ClauseResult:
    tests = [Check(f"test_{cid}_{n}", o, detail, evidence) for n, o in enumerate(outcomes)]
    return ClauseResult(cid, "MUST", cid.partition(".")[0], "documented", tests, expected)


def run(
    *clauses: ClauseResult,
    framework: str = "flask",
    version: str = "3.1.0",
    transport: str = "in-process",
    untested: tuple[str, ...] = (),
    python: str = "3.12.1",
) -> Results:
    return Results(
        adapter=framework,
        framework=framework,
        framework_version=version,
        transport=transport,
        python=python,
        suite_version="0.1.0",
        clauses=list(clauses),
        untested=list(untested),
    )


def section(text: str, title: str) -> str:
    """The body of the ``## title`` section."""
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


LINK = re.compile(r"\[([^\]]*)\]\(#?[^)]*\)")


def unlinked(cell: str) -> str:
    """A cell's text without its link: "[fail](#ev-x)" is "fail"."""
    return LINK.sub(r"\1", cell)


def table_rows(body: str, cid: str) -> list[list[str]]:
    """The cells (links removed) after the first of every table row of ``cid`` in ``body``."""
    return [
        [unlinked(c.strip()) for c in line.strip("|").split("|")][1:]
        for line in body.splitlines()
        if line.startswith(f"| [`{cid}`](")
    ]


def matrix_row(text: str, cid: str) -> list[str]:
    """The cells of the cross-framework matrix's row of ``cid``."""
    [row] = table_rows(section(text, "Matrix"), cid) or [None]
    assert row is not None, f"no matrix row for {cid!r}"
    return row


def framework_section(text: str, title: str = "Flask") -> str:
    return section(text, "Frameworks").split(f"\n### {title}\n", 1)[1].split("\n### ", 1)[0]


def columns_of(text: str, title: str = "Flask") -> list[str]:
    """The run columns of a framework's section, over all its tables."""
    headers = [x for x in framework_section(text, title).splitlines() if x.startswith("| Clause |")]
    return [c.strip() for h in headers for c in h.strip("|").split("|")[1:]]


def framework_row(text: str, cid: str, title: str = "Flask") -> list[str]:
    """The cells of ``cid`` in a framework's section, over all its tables."""
    return [c for row in table_rows(framework_section(text, title), cid) for c in row]


DIVERGENCE: dict[str, JSON] = {
    "message": "Divergence: call order:\n  expected: ['a2', 'a1']\n  observed: ['a1', 'a2']",
    "what": "call order",
    "expected": ["a2", "a1"],
    "observed": ["a1", "a2"],
    "scenario": {"hooks": [{"id": "a1", "stage": "after"}, {"id": "a2", "stage": "after"}]},
}


@pytest.mark.parametrize(
    ("result", "shown"),
    [
        pytest.param(clause("hooks.after.order", "pass"), "pass", id="pass"),
        pytest.param(clause("hooks.after.order", "fail"), "**FAIL**", id="fail"),
        pytest.param(
            clause("hooks.after.order", "fail", expected="known"), "fail", id="expected-fail"
        ),
        pytest.param(
            clause("hooks.after.order", "pass", expected="known"),
            "**PASS**",
            id="unexpected-pass",
        ),
        pytest.param(clause("hooks.after.order", "not-applicable"), "n/a", id="not-applicable"),
        pytest.param(clause("hooks.after.order", "error"), "**ERROR**", id="error"),
        pytest.param(clause("hooks.after.order", "pass", "error", "fail"), "**ERROR**", id="worst"),
    ],
)
def test_a_clauses_outcome_is_shown_in_its_runs_column(result: ClauseResult, shown: str) -> None:
    """Each outcome appears as its legend word, in the matrix and in the framework's
    section; a clause takes its worst test's."""
    text = render([run(result)], REGISTRY)
    assert matrix_row(text, "hooks.after.order") == [shown]
    if shown != "n/a":  # a clause n/a in every run of a framework is counted, not shown
        assert framework_row(text, "hooks.after.order") == [shown]


@pytest.mark.parametrize(
    ("result", "anchor"),
    [
        pytest.param(clause("hooks.after.order", "fail"), "ev-flask-hooks.after.order", id="fail"),
        pytest.param(
            clause("hooks.after.order", "pass", expected="stale"),
            "ev-flask-hooks.after.order",
            id="unexpected-pass",
        ),
        pytest.param(clause("hooks.after.order", "error"), "ev-flask-hooks.after.order", id="err"),
        pytest.param(
            clause("hooks.after.order", "not-applicable", detail="no hooks"), "na-flask", id="n/a"
        ),
    ],
)
def test_every_cell_but_a_pass_links_to_what_stands_behind_it(
    result: ClauseResult, anchor: str
) -> None:
    """A failure's, an error's or a stale declaration's cell links to its evidence,
    an n/a cell to its reason, and the anchor is in the report."""
    text = render([run(result)], REGISTRY)
    assert f"](#{anchor})" in section(text, "Matrix")
    assert f'<a id="{anchor}"></a>' in text


def test_a_pass_links_nowhere_and_every_clause_links_to_spec_md() -> None:
    text = render([run(clause("hooks.after.order", "pass"))], REGISTRY)
    row = next(x for x in section(text, "Matrix").splitlines() if "hooks.after.order" in x)
    assert row == ("| [`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order) | pass |")


def test_a_clause_a_run_did_not_cover_shows_a_dash() -> None:
    """A clause without a result in a run shows "—" in that run's column."""
    text = render([run(clause("hooks.after.order", "pass"))], REGISTRY)
    assert matrix_row(text, "errors.handler.code") == ["—"]


def test_clauses_are_grouped_under_their_area_in_registry_order() -> None:
    """The matrix has one heading per area, in the registry's order of areas."""
    matrix = section(render([run()], REGISTRY), "Matrix")
    assert matrix.index("### Hook ordering") < matrix.index("`hooks.after.order`")
    assert matrix.index("`hooks.before.order`") < matrix.index("### Error handling")
    assert matrix.index("### Error handling") < matrix.index("`errors.handler.code`")


def test_a_clause_missing_from_the_registry_still_gets_a_row() -> None:
    """Results of a clause this suite does not know (another suite version) are not dropped."""
    text = render([run(clause("hooks.gone.away", "fail"))], REGISTRY)
    assert matrix_row(text, "hooks.gone.away") == ["**FAIL**"]
    assert framework_row(text, "hooks.gone.away") == ["**FAIL**"]


def test_the_matrix_has_one_column_per_framework_for_its_newest_release() -> None:
    """Flask first, then the others by name; the reference framework has no column."""
    runs = [
        run(framework="quart", version="0.19.0"),
        run(framework="quart", version="0.20.0", transport="http/hypercorn"),
        run(framework="quart", version="0.20.0"),
        run(framework="bottle", version="0.13.4"),
        run(framework="flask", version="3.0.0"),
        run(framework="flask", version="3.1.0"),
        run(framework="reference", version="0.1.0"),
    ]
    matrix = section(render(runs, REGISTRY), "Matrix")
    header = next(x for x in matrix.splitlines() if x.startswith("| Clause |"))
    assert header == "| Clause | flask 3.1.0 | bottle 0.13.4 | quart 0.20.0 |"
    assert "quart 0.20.0 (in-process)" in matrix  # the run the column stands for is named


def test_runs_are_sorted_by_version_as_versions_not_text() -> None:
    """Flask 2.10 comes after 2.9 (packaging's order), not before it."""
    runs = [run(version=v) for v in ("2.10.0", "2.9.1", "2.2.0")]
    assert columns_of(render(runs, REGISTRY)) == ["2.2.0", "2.9.1", "2.10.0"]


def test_a_frameworks_runs_are_sorted_by_version_then_in_process_first() -> None:
    """In a framework's section, each release's in-process run comes before its servers'."""
    runs = [
        run(framework="quart", version="0.19.0"),
        run(framework="flask", version="3.1.0", transport="in-process"),
        run(framework="flask", version="3.0.0", transport="http"),
        run(framework="flask", version="3.1.0", transport="http"),
    ]
    text = render(runs, REGISTRY)
    assert columns_of(text) == ["3.0.0 http", "3.1.0", "3.1.0 http"]
    assert columns_of(text, "Quart") == ["0.19.0"]


def test_a_version_that_is_not_pep_440_sorts_after_the_others() -> None:
    """A version packaging cannot parse does not break the report."""
    runs = [run(version="main-abc123"), run(version="3.1.0")]
    assert columns_of(render(runs, REGISTRY)) == ["3.1.0", "main-abc123"]


def test_runs_with_the_same_label_get_distinct_columns() -> None:
    """Two runs of one framework version on one transport are told apart, by
    Python first."""
    runs = [run(), run(), run(python="3.13.0")]
    assert columns_of(render(runs, REGISTRY)) == [
        "3.1.0 py 3.12.1 run 1",
        "3.1.0 py 3.12.1 run 2",
        "3.1.0 py 3.13.0",
    ]


def test_no_table_has_more_than_about_ten_columns() -> None:
    """A framework with many runs is shown in several tables of at most eight runs."""
    runs = [run(clause("hooks.after.order", "pass"), version=f"3.{n}.0") for n in range(19)]
    text = render(runs, REGISTRY)
    widths = [line.count(" | ") + 1 for line in text.splitlines() if line.startswith("| ")]
    assert max(widths) <= 10
    assert len(columns_of(text)) == 19
    assert framework_row(text, "hooks.after.order") == ["pass"] * 19


def test_rendering_twice_gives_the_same_text() -> None:
    """The report is a function of its inputs: no clock, no unordered iteration."""
    runs = [
        run(clause("hooks.after.order", "fail", evidence=DIVERGENCE), untested=("a.b", "c.d")),
        run(clause("hooks.before.order", "not-applicable", detail="no hooks"), version="2.0"),
    ]
    assert render(runs, REGISTRY) == render(runs, REGISTRY)


def test_the_order_of_the_results_files_does_not_matter() -> None:
    """Runs given in any order give the same report."""
    runs = [run(version="2.0.0"), run(version="3.0.0", untested=("hooks.before.order",))]
    assert render(runs, REGISTRY) == render(runs[::-1], REGISTRY)


def test_each_framework_section_counts_each_runs_outcomes() -> None:
    """One row per run: pass, fail, n/a, error, expected fail, unexpected pass."""
    result = run(
        clause("hooks.after.order", "fail", expected="known"),
        clause("hooks.before.order", "pass", expected="stale"),
        clause("errors.handler.code", "error"),
    )
    body = framework_section(render([result], REGISTRY))
    assert "| flask 3.1.0 (in-process) | 3.12.1 | 1 | 1 | 0 | 1 | 1 | 1 |" in body


def test_the_findings_list_each_rule_a_frameworks_newest_release_does_not_keep() -> None:
    """One line per rule, with its clause linked to SPEC.md, what kind of finding it
    is, and its evidence; an older release's findings are not the newest's."""
    runs = [
        run(clause("hooks.after.order", "fail"), version="3.0.0"),
        run(
            clause("hooks.after.order", "pass"),
            clause("hooks.before.order", "fail", expected="known"),
            clause("errors.handler.code", "error"),
        ),
    ]
    body = section(render(runs, REGISTRY), "Findings")
    items = [line for line in body.splitlines() if line.startswith("- [`")]
    assert items == [
        "- [`hooks.before.order`](conformance/spec/SPEC.md#hooks.before.order): Before-hooks"
        " run in registration order. — declared, [evidence](#ev-flask-hooks.before.order)",
        "- [`errors.handler.code`](conformance/spec/SPEC.md#errors.handler.code): A handler"
        " is found by status code. — **error**, [evidence](#ev-flask-errors.handler.code)",
    ]
    assert "### Flask 3.1.0: 2 rules not kept" in body


def test_the_findings_name_first_what_needs_attention_in_any_run() -> None:
    """An undeclared failure, an error or a stale declaration in any release is
    listed before everything else."""
    runs = [
        run(clause("hooks.after.order", "fail"), version="3.0.0"),
        run(clause("hooks.after.order", "pass", expected="stale")),
    ]
    body = section(render(runs, REGISTRY), "Findings")
    assert "**Needs attention**" in body
    assert "- [flask 3.0.0 (in-process)](#framework-flask): 1 undeclared failures" in body
    assert "- [flask 3.1.0 (in-process)](#framework-flask): 1 stale declarations" in body
    quiet = section(render([run(clause("hooks.after.order", "pass"))], REGISTRY), "Findings")
    assert "Needs attention" not in quiet
    assert "### Flask 3.1.0: every rule kept" in quiet


def releases_of(outcomes: dict[str, Outcome], cid: str = "hooks.after.order") -> list[Results]:
    """One flask run per release, with ``cid``'s outcome in it."""
    return [run(clause(cid, o), version=v) for v, o in outcomes.items()]


def changes(text: str, name: str = "flask (in-process)") -> list[list[str]]:
    """The rows (as cells) of the changes table of ``name``."""
    body = section(text, "Changes across releases").split(f"\n### {name}\n", 1)[1]
    rows = body.split("\n### ", 1)[0].splitlines()
    cells = [[c.strip() for c in r.strip("|").split("|")] for r in rows if r.startswith("| [`")]
    return [[unlinked(row[0]), *row[1:]] for row in cells]


def test_a_clause_whose_outcome_changes_shows_the_release_it_changed_in() -> None:
    """The history names the last release with the old outcome and the first with the new."""
    runs = releases_of({"2.1.3": "not-applicable", "2.2.5": "pass", "3.1.3": "pass"})
    assert changes(render(runs, REGISTRY)) == [
        ["`hooks.after.order`", "n/a up to 2.1.3, pass from 2.2.5", "2.2.5"]
    ]


def test_every_change_of_a_clause_is_listed() -> None:
    """A regression that a later release fixes shows both changes, in order."""
    runs = releases_of({"3.1.1": "pass", "3.1.2": "fail", "3.1.3": "pass", "3.2.0": "pass"})
    [row] = changes(render(runs, REGISTRY))
    assert row[1:3] == ["pass up to 3.1.1, FAIL in 3.1.2, pass from 3.1.3", "3.1.2, 3.1.3"]


def test_releases_are_ordered_as_versions_in_the_history() -> None:
    """2.10 comes after 2.9 in the history, whatever order the files came in."""
    runs = releases_of({"2.10.0": "pass", "2.9.1": "fail", "2.2.0": "fail"})
    text = render(runs, REGISTRY)
    [row] = changes(text)
    assert row[1:] == ["FAIL up to 2.9.1, pass from 2.10.0", "2.10.0"]
    assert "Releases: 2.2.0, 2.9.1, 2.10.0." in section(text, "Changes across releases")


def test_a_clause_with_the_same_outcome_in_every_release_is_not_listed() -> None:
    """Only clauses that changed get a row; the releases are still named."""
    runs = [
        run(clause("hooks.after.order", "pass"), clause("errors.handler.code", "fail"), version=v)
        for v in ("2.0.0", "3.0.0")
    ]
    body = section(render(runs, REGISTRY), "Changes across releases")
    assert changes(render(runs, REGISTRY)) == []
    assert "Releases: 2.0.0, 3.0.0." in body
    assert "Every clause has the same outcome in every release." in body


def test_clauses_are_ordered_by_the_release_they_first_changed_in() -> None:
    """Rows run from the oldest change to the newest, then by clause ID."""
    runs = [
        run(
            clause("hooks.after.order", "pass"), clause("errors.handler.code", "pass"), version="1"
        ),
        run(
            clause("hooks.after.order", "pass"), clause("errors.handler.code", "fail"), version="2"
        ),
        run(
            clause("hooks.after.order", "fail"), clause("errors.handler.code", "fail"), version="3"
        ),
    ]
    rows = changes(render(runs, REGISTRY))
    assert [(r[0], r[2]) for r in rows] == [
        ("`errors.handler.code`", "2"),
        ("`hooks.after.order`", "3"),
    ]


def test_runs_of_one_release_on_several_pythons_are_merged() -> None:
    """The same release on two Pythons is one release in the history."""
    runs = [
        run(clause("hooks.after.order", "not-applicable"), version="2.1.3"),
        run(clause("hooks.after.order", "pass"), version="3.1.3", python="3.10.13"),
        run(clause("hooks.after.order", "pass"), version="3.1.3", python="3.13.0"),
    ]
    assert changes(render(runs, REGISTRY))[0][1:] == ["n/a up to 2.1.3, pass from 3.1.3", "3.1.3"]


def test_a_release_whose_pythons_disagree_is_mixed_naming_each_python() -> None:
    """An outcome that depends on the Python shows as mixed, with the Pythons of each."""
    runs = [
        run(clause("hooks.after.order", "pass"), version="3.1.1"),
        run(clause("hooks.after.order", "pass"), version="3.1.3", python="3.12.1"),
        run(clause("hooks.after.order", "fail"), version="3.1.3", python="3.13.0"),
    ]
    [row] = changes(render(runs, REGISTRY))
    assert row[1] == "pass up to 3.1.1, mixed: FAIL on py 3.13.0; pass on py 3.12.1 from 3.1.3"


def test_a_release_without_a_result_for_the_clause_is_left_out_of_its_history() -> None:
    """A clause not selected in one release does not count as a change there."""
    runs = [
        run(clause("hooks.after.order", "pass"), version="1.0"),
        run(clause("errors.handler.code", "pass"), version="2.0"),
        run(
            clause("hooks.after.order", "pass"),
            clause("errors.handler.code", "pass"),
            version="3.0",
        ),
    ]
    assert changes(render(runs, REGISTRY)) == []


@pytest.mark.parametrize(
    "other",
    [
        pytest.param({"framework": "quart", "version": "0.20.0"}, id="other-framework"),
        pytest.param({"version": "3.1.3", "transport": "http"}, id="other-transport"),
    ],
)
def test_runs_of_other_frameworks_or_transports_are_not_compared(other: dict[str, str]) -> None:
    """Each framework and transport has its own history: a difference between them is
    not a change across releases."""
    runs = [run(clause("hooks.after.order", "pass"), version="3.1.1"), run(**other)]
    runs[1].clauses.append(clause("hooks.after.order", "fail"))
    body = section(render(runs, REGISTRY), "Changes across releases")
    assert body.strip().endswith("No framework was run in more than one release.")


def test_evidence_shows_the_clause_and_its_text() -> None:
    """Every failing clause is listed under its adapter with its ID, its normative
    sentence (linked to SPEC.md) and the runs it concerns."""
    text = render([run(clause("hooks.after.order", "fail", evidence=DIVERGENCE))], REGISTRY)
    evidence = section(text, "Evidence")
    assert "### flask\n" in evidence
    assert '<a id="ev-flask-hooks.after.order"></a>\n\n#### `hooks.after.order` (MUST)' in evidence
    assert (
        "> After-hooks run last registered first."
        " ([SPEC.md](conformance/spec/SPEC.md#hooks.after.order))"
    ) in evidence
    assert "Runs: flask 3.1.0 (in-process): **FAIL**" in evidence


def test_evidence_shows_the_message_when_there_is_no_comparison() -> None:
    """A failure with only a message shows it as a code block."""
    evidence: dict[str, JSON] = {"message": DIVERGENCE["message"]}
    text = render([run(clause("hooks.after.order", "fail", evidence=evidence))], REGISTRY)
    assert f"```\n{DIVERGENCE['message']}\n```" in section(text, "Evidence")


def test_evidence_shows_expected_and_observed_side_by_side() -> None:
    """Short values are compared in a two-column table, in place of the message."""
    text = render([run(clause("hooks.after.order", "fail", evidence=DIVERGENCE))], REGISTRY)
    table = '| expected | observed |\n| --- | --- |\n| `["a2", "a1"]` | `["a1", "a2"]` |'
    assert table in section(text, "Evidence")
    assert "call order:\n\n|" in section(text, "Evidence")


def test_long_expected_and_observed_values_are_shown_as_json_blocks() -> None:
    """Values too long for a table cell get a fenced JSON block each."""
    evidence: dict[str, JSON] = {**DIVERGENCE, "expected": ["x" * 70], "observed": ["y" * 70]}
    text = render([run(clause("hooks.after.order", "fail", evidence=evidence))], REGISTRY)
    shown = section(text, "Evidence")
    assert 'Expected:\n\n```json\n[\n  "' + "x" * 70 + '"\n]\n```' in shown
    assert 'Observed:\n\n```json\n[\n  "' + "y" * 70 + '"\n]\n```' in shown


def test_evidence_shows_the_scenario_as_json_in_a_details_element() -> None:
    """The scenario can be copied out of the report to reproduce the divergence: JSON,
    a line per item of its lists."""
    text = render([run(clause("hooks.after.order", "fail", evidence=DIVERGENCE))], REGISTRY)
    details = (
        "<details><summary>Scenario (JSON)</summary>\n\n```json\n"
        '{\n  "hooks": [\n    {"id": "a1", "stage": "after"},\n    {"id": "a2", "stage": "after"}'
        "\n  ]\n}\n```"
    )
    assert details in section(text, "Evidence")
    assert json.loads(details.split("```json\n")[1].split("```")[0]) == DIVERGENCE["scenario"]


def test_an_expected_failure_shows_its_declared_reason() -> None:
    """A declared divergence is still listed, with the reason it was declared."""
    failing = clause("hooks.after.order", "fail", expected="Flask < 2.2 sorts differently")
    evidence = section(render([run(failing)], REGISTRY), "Evidence")
    assert "Declared divergence: Flask &lt; 2.2 sorts differently" in evidence  # never markup


def test_an_unexpected_pass_is_listed_in_the_evidence() -> None:
    """A stale declaration is a finding too: it is listed with the advice to remove it."""
    stale = clause("hooks.after.order", "pass", expected="old bug")
    evidence = section(render([run(stale)], REGISTRY), "Evidence")
    assert "Runs: flask 3.1.0 (in-process): **PASS**" in evidence
    assert "remove it from the adapter's expectations file" in evidence


def test_an_error_without_evidence_shows_the_tests_detail() -> None:
    """An error recorded with only a detail (e.g. in teardown) still shows what broke."""
    broken = clause("hooks.after.order", "error", detail="RuntimeError: server did not stop")
    evidence = section(render([run(broken)], REGISTRY), "Evidence")
    assert "```\nRuntimeError: server did not stop\n```" in evidence


def test_a_message_with_backticks_cannot_close_its_code_block() -> None:
    """The fence is longer than any run of backticks in the message."""
    evidence: dict[str, JSON] = {"message": "returned ```x```"}
    text = render([run(clause("hooks.after.order", "fail", evidence=evidence))], REGISTRY)
    assert "````\nreturned ```x```\n````" in section(text, "Evidence")


def test_passing_runs_have_no_evidence() -> None:
    """With nothing to report, the section says so."""
    text = render([run(clause("hooks.after.order", "pass"))], REGISTRY)
    assert section(text, "Evidence").strip().endswith("\n\nNone.")


def test_a_long_message_is_cut_and_says_so() -> None:
    """Evidence is bounded: long lines and long messages are cut, with what was cut."""
    evidence: dict[str, JSON] = {"message": "\n".join(["x" * 500] * 100)}
    text = render([run(clause("hooks.after.order", "fail", evidence=evidence))], REGISTRY)
    shown = section(text, "Evidence")
    assert "[... 500 characters]" in shown
    assert "[... 60 more lines in the results file]" in shown
    assert max(len(line) for line in shown.splitlines()) < 400


def test_not_applicable_clauses_sharing_a_reason_are_listed_together() -> None:
    """Identical reasons are collapsed into one line naming every clause."""
    result = run(
        clause("hooks.before.order", "not-applicable", detail="no before hooks"),
        clause("hooks.after.order", "not-applicable", detail="no before hooks"),
        clause("errors.handler.code", "not-applicable", detail="no error handlers"),
    )
    lines = section(render([result], REGISTRY), "Not applicable").splitlines()
    assert '<a id="na-flask"></a>' in lines
    assert "- no before hooks: `hooks.after.order`, `hooks.before.order`" in lines
    assert "- no error handlers: `errors.handler.code`" in lines


def test_clauses_with_no_test_are_the_union_over_the_runs() -> None:
    """Each untested clause is listed once, with its text when the registry knows it."""
    runs = [
        run(untested=("hooks.before.order", "errors.handler.code")),
        run(untested=("hooks.before.order",), version="2.0.0"),
    ]
    untested = section(render(runs, REGISTRY), "Clauses with no test")
    assert untested.strip().splitlines() == [
        "- [`errors.handler.code`](conformance/spec/SPEC.md#errors.handler.code):"
        " A handler is found by status code.",
        "- [`hooks.before.order`](conformance/spec/SPEC.md#hooks.before.order):"
        " Before-hooks run in registration order.",
    ]


def test_when_every_clause_has_a_test_the_report_says_none() -> None:
    """An empty list of untested clauses is stated, not left blank."""
    assert section(render([run()], REGISTRY), "Clauses with no test").strip() == "None."


def test_the_report_says_it_is_generated() -> None:
    """A reader is told not to edit the file and how to regenerate it."""
    head = render([run()], REGISTRY).split("\n## ", 1)[0]
    assert "<!-- generated by `lifecycle-conformance report`, do not edit -->" in head
    assert "lifecycle-conformance report" in head.split("-->", 1)[1]


def test_a_divergence_several_runs_share_is_shown_once_with_those_runs() -> None:
    """The same clause failing the same way in two runs of an adapter is one entry
    naming both runs, with its evidence once."""
    a = run(clause("hooks.after.order", "fail", evidence=DIVERGENCE), version="3.1.2")
    b = run(clause("hooks.after.order", "fail", evidence=DIVERGENCE), version="3.1.3")
    evidence = section(render([a, b], REGISTRY), "Evidence")
    assert evidence.count("#### `hooks.after.order` (MUST)") == 1
    assert evidence.count("| expected | observed |") == 1
    assert (
        "Runs: flask 3.1.2 (in-process): **FAIL**; flask 3.1.3 (in-process): **FAIL**" in evidence
    )


def test_each_adapter_has_its_own_evidence_for_a_clause() -> None:
    """A cell links to its own adapter's evidence, never to another framework's."""
    a = run(clause("hooks.after.order", "fail", evidence=DIVERGENCE))
    b = run(clause("hooks.after.order", "fail", expected="why"), framework="bottle")
    text = render([a, b], REGISTRY)
    assert matrix_row(text, "hooks.after.order") == ["**FAIL**", "fail"]
    assert "(#ev-bottle-hooks.after.order)" in section(text, "Matrix")
    assert '<a id="ev-bottle-hooks.after.order"></a>' in section(text, "Evidence")
    assert '<a id="ev-flask-hooks.after.order"></a>' in section(text, "Evidence")
