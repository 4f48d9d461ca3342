"""REPORT.md's "Moving from Flask to ..." sections, rendered from Results built
here: which clauses they list and how, which runs they compare, their links,
their escaping, and what they say when there is no Flask run."""

from __future__ import annotations

import random
import re

import pytest

from conformance._model import JSON
from conformance._spec import Area, Clause, Registry, render_markdown
from conformance.reporting import ClauseResult, Outcome, Results, render
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names
from tests.test_report import section
from tests.test_report_hostile import HOSTILE, skeleton


def _clause(cid: str, text: str, only: tuple[str, ...] = ()) -> Clause:
    return Clause(
        cid,
        text,
        "MUST",
        cid.partition(".")[0],
        "https://example.org",
        "app.py: f",
        only=only,
        only_reason="its own promise" if only else "",
    )


REGISTRY = Registry(
    areas=(
        Area("hooks", "Hook ordering", "", 1),
        Area("errors", "Error handling", "", 2),
        Area("quart", "Quart's own promises", "", 3),
    ),
    clauses=(
        _clause("hooks.before.order", "Before-hooks run in registration order."),
        _clause("hooks.after.order", "After-hooks run last registered first."),
        _clause("hooks.teardown.order", "Teardown hooks run last registered first."),
        _clause("hooks.teardown.once", "Teardown hooks run once."),
        _clause("hooks.old.list", "A list is a 500 (Flask before 2.2).", only=("flask",)),
        _clause("errors.handler.code", "A handler is found by status code."),
        _clause("errors.handler.class", "A handler is found by exception class."),
        _clause("errors.teardown.exception", "Teardown hooks are handed the exception."),
        _clause("quart.own.promise", "Quart keeps a promise of its own.", only=("quart",)),
    ),
)
TEARDOWN = "no stage 'teardown': Quart has no teardown stage"
BY_CLASS = "no feature 'error-handler-by-class': Quart finds handlers by status only"


def clause(
    cid: str,
    outcome: Outcome,
    *,
    expected: str | None = None,
    detail: str = "",
    evidence: dict[str, JSON] | None = None,
) -> ClauseResult:
    test = Check(f"test_{cid}", outcome, detail, evidence)
    return ClauseResult(cid, "MUST", cid.partition(".")[0], "documented", [test], expected)


def run(
    framework: str,
    *clauses: ClauseResult,
    version: str = "1.0",
    transport: str = "in-process",
    adapter: str = "",
    python: str = "3.12.1",
) -> Results:
    return Results(
        adapter=adapter or framework,
        framework=framework,
        framework_version=version,
        transport=transport,
        python=python,
        suite_version="0.1.0",
        clauses=list(clauses),
    )


def flask(*clauses: ClauseResult, version: str = "3.1.0", python: str = "3.12.1") -> Results:
    """Flask passing every clause of the registry, but those given."""
    given = {c.id: c for c in clauses}
    every = [given.get(c.id, clause(c.id, "pass")) for c in REGISTRY.clauses]
    return run("flask", *every, version=version, python=python)


def quart(*clauses: ClauseResult, version: str = "0.22.0", **kw: str) -> Results:
    """Quart passing every clause of the registry, but those given."""
    given = {c.id: c for c in clauses}
    every = [given.get(c.id, clause(c.id, "pass")) for c in REGISTRY.clauses]
    return run("quart", *every, version=version, **kw)


def moving(runs: list[Results], name: str = "Quart") -> str:
    return section(render(runs, REGISTRY), f"Moving from Flask to {name}")


def items(body: str) -> list[str]:
    """The clause IDs of the section's list items, in order (a group of n/a
    clauses gives one item of several IDs)."""
    return [
        " ".join(re.findall(r"\[`([^`]+)`\]\(", line))
        for line in body.splitlines()
        if re.match(r"^ *- .*\[`", line)
    ]


def part(body: str, title: str) -> str:
    """The lines of the section under its bold ``**title**`` paragraph."""
    return body.split(f"**{title}**", 1)[1].split("\n**", 1)[0]


def test_each_framework_but_flask_gets_a_section_listed_near_the_top():
    """The list of migration sections comes before the sections, with a link to
    each, and each framework's findings link to its section; Flask and the
    suite's own reference framework get none."""
    runs = [flask(), quart(), run("bottle"), run("reference"), run("fastapi")]
    text = render(runs, REGISTRY)
    assert text.index("## Moving from Flask\n") < text.index("## Moving from Flask to ")
    assert "[moving from Flask](#moving-to-quart)" in section(text, "Findings")
    listed = re.findall(r"^- \[Moving from Flask to (\w+)\]\(#([\w-]+)\)", text, re.M)
    assert listed == [
        ("Bottle", "moving-to-bottle"),
        ("FastAPI", "moving-to-fastapi"),
        ("Quart", "moving-to-quart"),
    ]
    headings = re.findall(r'^<a id="([\w-]+)"></a>\n\n## Moving from Flask to (\w+)$', text, re.M)
    assert headings == [(anchor, name) for name, anchor in listed]


def test_the_section_lists_exactly_the_clauses_whose_outcome_differs():
    """Kept outcomes (pass and pass, fail and fail, n/a and n/a) are counted, not listed."""
    runs = [
        flask(
            clause("hooks.teardown.once", "fail", expected="Flask's own bug"),
            clause("errors.handler.class", "fail"),
            clause("errors.handler.code", "not-applicable", detail="the clause holds for flask<2"),
        ),
        quart(
            clause("hooks.after.order", "fail", expected="reversed"),  # changed
            clause("hooks.teardown.order", "not-applicable", detail=TEARDOWN),  # missing
            clause("hooks.teardown.once", "pass"),  # the other way round
            clause("errors.handler.class", "fail"),  # fails in both: kept
            clause("errors.handler.code", "not-applicable", detail="holds for quart<0"),  # neither
            clause("errors.teardown.exception", "error", detail="adapter broke"),
        ),
    ]
    body = moving(runs)
    assert items(part(body, "Changed")) == ["hooks.after.order"]
    assert items(part(body, "About a concept Quart lacks")) == ["hooks.teardown.order"]
    assert items(part(body, "The other way round")) == ["hooks.teardown.once"]
    assert items(part(body, "Not compared")) == ["errors.teardown.exception"]
    assert items(body) == [
        "hooks.after.order",
        "hooks.teardown.order",
        "hooks.teardown.once",
        "errors.teardown.exception",
    ]
    assert (
        "Of the 7 rules of Flask's lifecycle every framework is held to: **2 kept**,"
        " **1 changed** (all declared), **1 about a concept Quart lacks** (1 reason),"
        " 1 passing where Flask fails,"
        " 1 not applicable in either, 1 erring."
    ) in body


def test_a_declared_divergence_shows_its_reason_and_an_undeclared_one_says_so():
    evidence: dict[str, JSON] = {
        "message": "Divergence: call order: ...",
        "what": "call order",
        "expected": ["a2", "a1"],
        "observed": ["a1", "a2"],
    }
    runs = [
        flask(),
        quart(
            clause("hooks.before.order", "fail", expected="Quart runs them reversed. Evidence: x"),
            clause("hooks.after.order", "fail", evidence=evidence),
        ),
    ]
    lines = part(moving(runs), "Changed").splitlines()
    before = next(line for line in lines if "`hooks.before.order`" in line)
    after = next(line for line in lines if "`hooks.after.order`" in line)
    assert "— declared: Quart runs them reversed. Evidence: x (" in before
    assert '— not declared: call order: expected `["a2", "a1"]`, observed `["a1", "a2"]` (' in after


def test_an_undeclared_failure_without_a_comparison_shows_the_exception_line():
    detail = "    def test():\n>       assert x\nE       AssertionError: status 500 != 200\n"
    runs = [flask(), quart(clause("hooks.before.order", "fail", detail=detail))]
    assert "— not declared: AssertionError: status 500 != 200 (" in moving(runs)


def test_not_applicable_clauses_are_grouped_by_reason_one_line_per_group():
    """One item per reason, naming the concepts, with the count and the IDs of its clauses."""
    runs = [
        flask(),
        quart(
            clause("hooks.teardown.order", "not-applicable", detail=TEARDOWN),
            clause("hooks.teardown.once", "not-applicable", detail=TEARDOWN),
            clause("errors.handler.class", "not-applicable", detail=BY_CLASS),
            clause("errors.teardown.exception", "not-applicable", detail=TEARDOWN),
        ),
    ]
    body = part(moving(runs), "About a concept Quart lacks")
    groups = [line for line in body.splitlines() if line.startswith("- ")]
    assert len(groups) == 2
    assert groups[0].startswith("- no stage `teardown`: Quart has no teardown stage — 3 clauses: ")
    assert groups[1].startswith(
        "- no feature `error-handler-by-class`: Quart finds handlers by status only — 1 clause: "
    )
    assert items(body) == [
        "hooks.teardown.order hooks.teardown.once errors.teardown.exception",
        "errors.handler.class",
    ]
    assert "(4 in 2 groups)" in body


def test_a_reason_that_names_no_concept_is_a_group_of_its_own():
    runs = [flask(), quart(clause("hooks.after.order", "not-applicable", detail="it is odd"))]
    body = part(moving(runs), "About a concept Quart lacks")
    assert "\n- it is odd — 1 clause: [`hooks.after.order`](" in body


def test_each_clause_links_to_its_entry_in_spec_md_and_to_its_evidence():
    runs = [flask(), quart(clause("hooks.after.order", "fail", expected="reversed"))]
    text = render(runs, REGISTRY)
    line = next(x for x in section(text, "Moving from Flask to Quart").splitlines() if "`h" in x)
    spec, evidence = re.findall(r"\]\(([^)]+)\)", line)
    assert spec == "conformance/spec/SPEC.md#hooks.after.order"
    assert '<a id="hooks.after.order"></a>' in render_markdown(REGISTRY)
    assert evidence == "#ev-quart-hooks.after.order"  # Quart's evidence, not another's
    shown = section(text, "Evidence")
    assert '<a id="ev-quart-hooks.after.order"></a>\n\n#### `hooks.after.order`' in shown


def test_rules_are_listed_by_area_in_the_registrys_order():
    """Each area's rules under its title, areas and rules in the registry's order."""
    runs = [
        flask(),
        quart(
            clause("errors.handler.code", "fail", expected="e"),
            clause("hooks.after.order", "fail", expected="a"),
            clause("hooks.before.order", "fail", expected="b"),
        ),
    ]
    body = part(moving(runs), "Changed")
    assert re.findall(r"^- \*\*(.+)\*\*$", body, re.M) == ["Hook ordering", "Error handling"]
    assert items(body) == ["hooks.before.order", "hooks.after.order", "errors.handler.code"]


def test_framework_only_clauses_are_not_compared():
    """A framework's own promises and Flask's old-release clauses are left out of the
    comparison (the section counts the framework's own in one line)."""
    runs = [
        flask(clause("quart.own.promise", "not-applicable", detail="the clause is specific to")),
        quart(
            clause("quart.own.promise", "fail", expected="own"),
            clause("hooks.old.list", "not-applicable", detail="the clause is specific to flask"),
        ),
    ]
    body = moving(runs)
    assert items(body) == []
    assert "Of the 7 rules of Flask's lifecycle every framework is held to: **7 kept**" in body
    assert "Quart is held to 1 promise of its own documentation (in *Clauses*): 1 fail." in body


def test_with_no_flask_run_there_is_no_section_and_one_line_says_so():
    text = render([quart(), run("bottle")], REGISTRY)
    index = section(text, "Moving from Flask")
    assert "No run of Flask in these results: no framework is compared with it." in index
    assert "## Moving from Flask to" not in text
    assert "moving-to-" not in text


def test_with_flask_alone_the_list_says_there_is_nothing_to_compare():
    index = section(render([flask()], REGISTRY), "Moving from Flask")
    assert "No framework other than Flask in these results." in index


@pytest.mark.parametrize(
    ("others", "compared"),
    [
        pytest.param(
            [("0.9", "in-process"), ("0.10", "in-process")], "0.10 (in-process)", id="pep-440"
        ),
        pytest.param(
            [("0.10", "http/hypercorn"), ("0.10", "in-process")],
            "0.10 (in-process)",
            id="in-process-first",
        ),
        pytest.param(
            [("0.10", "http/hypercorn"), ("0.9", "in-process")],
            "0.10 (http/hypercorn)",
            id="newest-over-http-rather-than-older",
        ),
    ],
)
def test_the_frameworks_newest_release_is_compared_in_process_where_it_can_be(
    others: list[tuple[str, str]], compared: str
):
    runs = [flask()] + [quart(version=v, transport=t) for v, t in others]
    assert moving(runs).strip().split("\n\n", 1)[0] == (
        f"quart {compared} on Python 3.12.1, against flask 3.1.0 (in-process) on Python 3.12.1."
    )


def test_flasks_newest_release_is_taken_on_the_frameworks_python_where_it_ran():
    runs = [
        flask(version="2.3.3"),
        flask(version="3.1.0", python="3.13.0"),
        flask(version="3.1.0", python="3.11.7"),
        quart(python="3.11.7"),
        run("bottle", python="3.10.0"),
    ]
    text = render(runs, REGISTRY)
    assert "against flask 3.1.0 (in-process) on Python 3.11.7." in moving(runs)
    bottle = section(text, "Moving from Flask to Bottle")
    assert "against flask 3.1.0 (in-process) on Python 3.13.0." in bottle  # else the newest


def test_another_face_of_the_release_is_compared_with_the_one_shown():
    runs = [
        flask(),
        quart(),
        quart(clause("hooks.after.order", "fail"), adapter="quart-other"),
    ]
    body = moving(runs)
    assert "quart 0.22.0 (in-process) on Python" in body
    assert (
        "Its other face, quart-other 0.22.0 (in-process), differs on 1:"
        " [`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order)."
    ) in body


def test_a_clause_text_is_shortened_at_a_word():
    long = "Teardown hooks " + "really " * 30 + "run."
    registry = Registry(REGISTRY.areas, (_clause("hooks.after.order", long),))
    runs = [
        run("flask", clause("hooks.after.order", "pass")),
        run("quart", clause("hooks.after.order", "fail")),
    ]
    body = section(render(runs, registry), "Moving from Flask to Quart")
    shown = body.split("`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order): ")[1]
    sentence = shown.split(" — ")[0]
    assert sentence.endswith("really…")
    assert len(sentence) <= 120


def test_a_clause_missing_from_one_run_is_listed_as_without_a_result():
    runs = [flask(), run("quart", clause("hooks.after.order", "pass"))]
    body = moving(runs)
    assert "**No result** in one of the two runs (6): [`hooks.before.order`](" in body


def test_the_order_of_the_results_files_does_not_change_a_byte():
    runs = [
        flask(clause("hooks.teardown.once", "fail")),
        flask(version="2.3.3"),
        quart(clause("hooks.after.order", "not-applicable", detail=TEARDOWN)),
        quart(clause("hooks.before.order", "fail"), adapter="quart-other"),
        run("bottle", clause("errors.handler.code", "not-applicable", detail=BY_CLASS)),
    ]
    shuffled = list(runs)
    random.Random(4).shuffle(shuffled)
    assert render(shuffled, REGISTRY) == render(runs, REGISTRY)


def _hostile_runs(s: str) -> list[Results]:
    evidence: dict[str, JSON] = {"message": s, "what": s, "expected": [s], "observed": s}
    return [
        flask(clause("hooks.teardown.once", "fail", expected=s, evidence=evidence)),
        quart(
            clause("hooks.before.order", "fail", expected=s),
            clause("hooks.after.order", "fail", detail=s, evidence=evidence),
            clause("hooks.teardown.order", "not-applicable", detail=f"no stage '{s}': {s}"),
            clause("errors.handler.code", "not-applicable", detail=s),
            clause("errors.handler.class", "error", detail=s),
        ),
        run(f"framework {s}", clause("hooks.after.order", "fail", expected=s), version="1"),
    ]


def test_hostile_reasons_and_names_change_no_structure_and_carry_no_markup():
    benign = "b" * len(HOSTILE)
    hostile = render(_hostile_runs(HOSTILE), REGISTRY)
    moves = hostile.split("\n## Moving from Flask to ", 1)[1].split("\n## Changes across", 1)[0]
    assert skeleton(moves) == skeleton(
        render(_hostile_runs(benign), REGISTRY)
        .split("\n## Moving from Flask to ", 1)[1]
        .split("\n## Changes across", 1)[0]
    )
    prose = re.sub(r"(`+)(.+?)\1", "", moves)  # code spans show it literally
    for markup in ("<script", "<img", "[link](http://x)", "*em*", "~~s~~", "\n# Injected"):
        assert markup not in prose
    assert max(len(line) for line in moves.splitlines()) < 4000
    anchors = re.findall(r'<a id="([^"]*)"></a>', hostile)
    assert all(re.fullmatch(r"[a-z0-9.-]+", a) for a in anchors), anchors
