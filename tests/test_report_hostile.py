"""Untrusted text stays text: hostile strings in results files change no
structure of REPORT.md (headings, table rows and their cells, fences), carry
no markup and no machine's absolute paths, and are bounded in length."""

from __future__ import annotations

import re
import sysconfig
from pathlib import Path

import pytest

from conformance import registry
from conformance.reporting import ClauseResult, Results, TestResult, compare, render
from conformance.reporting._escape import code, scrub, text

HOME = str(Path.home())
HOSTILE = (
    "evil | cell\n# Injected heading\n```\n</details><script>alert(1)</script> `tick` ``two``"
    " [link](http://x) *em* _u_ ~~s~~ &amp; <img src=x> #"
    " /home/alice/proj/conformance/suite/test_x.py"
    " /root/.venv/lib/python3.11/site-packages/flask/app.py"
    f" {HOME}/secret C:\\Users\\bob\\x {sysconfig.get_paths()['purelib']}/quart/app.py "
    + "A"
    * 5000
)
BENIGN = "b" * len(HOSTILE)  # as long, so that it is cut where the hostile one is


def _runs(s: str) -> list[Results]:
    """Three runs: two releases (a history) and a second transport (a
    difference), with ``s`` in every string a results file can carry."""

    def run(version: str, transport: str, outcome: str) -> Results:
        failing = TestResult(
            f"test_hooks::test_{s}",
            "fail",
            s,
            {"message": s, "what": s, "expected": [s], "observed": {s: s}, "scenario": {s: [s]}},
        )
        short = TestResult("test_hooks::test_short", "fail", s, {"what": s, "expected": 1})
        return Results(
            adapter=f"adapter {s}",
            framework=f"framework {s}",
            framework_version=version,
            transport=transport,
            python=s,
            suite_version=s,
            clauses=[
                ClauseResult(
                    "hooks.before.registration-order",
                    "MUST",
                    "hooks",
                    "documented",
                    [TestResult("t", outcome)],
                ),
                ClauseResult(
                    f"unknown.{s}", "MUST", f"area {s}", "observed", [failing, short], expected=s
                ),
                ClauseResult(
                    "hooks.after.reverse-registration-order",
                    "MUST",
                    "hooks",
                    "observed",
                    [TestResult("t", "not-applicable", s)],
                ),
            ],
            untested=[s],
        )

    return [
        run(f"1.0 {s}", "in-process", "pass"),
        run(f"2.0 {s}", "in-process", "fail"),
        run(f"2.0 {s}", f"http/{s}", "pass"),
    ]


_CELL_BAR = re.compile(r"(?<!\\)\|")  # a | that splits a table row (not \|)


def skeleton(markdown: str) -> list[str]:
    """The document's structure: each heading's level, each table row's
    cell count, each fence, the HTML tags it has; fenced content left out."""
    shape, fence = [], ""
    for line in markdown.splitlines():
        if fence:
            if line == fence:
                shape.append("fence-end")
                fence = ""
            continue
        opening = re.match(r"^(`{3,})", line)
        if opening:
            fence = opening.group(1)
            shape.append("fence")
        elif line.startswith("#"):
            shape.append("heading " + line.split(" ")[0])
        elif line.startswith("|"):
            shape.append(f"row of {len(_CELL_BAR.findall(line))}")
        elif line.startswith("<"):  # an anchor's name is made of the names: its shape only
            shape.append(re.sub(r">.*", ">", re.sub(r'"[^"]*"', '"..."', line)))
        elif line.startswith(">"):
            shape.append("quote")
        else:
            shape.append("line" if line else "")
    assert not fence, "a fence is left open"
    return shape


@pytest.fixture(scope="module")
def hostile() -> str:
    return render(_runs(HOSTILE), registry())


def outside_fences(markdown: str) -> str:
    return "\n".join(
        line for line, kind in zip(markdown.splitlines(), _kinds(markdown), strict=True) if kind
    )


def _kinds(markdown: str) -> list[bool]:
    kinds, fence = [], ""
    for line in markdown.splitlines():
        if fence:
            kinds.append(False)
            fence = "" if line == fence else fence
            continue
        opening = re.match(r"^(`{3,})", line)
        fence = opening.group(1) if opening else ""
        kinds.append(not opening)
    return kinds


def test_hostile_strings_change_no_structure_of_the_report(hostile: str):
    assert skeleton(hostile) == skeleton(render(_runs(BENIGN), registry()))


def test_anchors_made_of_hostile_names_are_safe_characters(hostile: str):
    anchors = [line for line in hostile.splitlines() if line.startswith("<a ")]
    assert anchors
    assert all(re.fullmatch(r'<a id="[a-z0-9.-]+"></a>', line) for line in anchors)
    links = re.findall(r"\]\(#([^)]*)\)", outside_fences(hostile))
    assert links
    assert all(re.fullmatch(r"[a-z0-9.-]+", link) for link in links)


def test_hostile_strings_carry_no_markup_outside_code(hostile: str):
    prose = re.sub(r"(`+)(.+?)\1", "", outside_fences(hostile))  # code spans show it literally
    for markup in ("<script", "<img", "[link](http://x)", "*em*", "~~s~~"):
        assert markup not in prose  # escaped: shown as text


def test_no_machine_specific_absolute_path_reaches_the_report(hostile: str):
    for path in ("/home/alice", "/root/", HOME, "C:\\Users\\bob", sysconfig.get_paths()["purelib"]):
        assert path not in hostile
    assert "<repo>/conformance/suite/test_x.py" in scrub(HOSTILE)
    assert "<site-packages>/flask/app.py" in scrub(HOSTILE)


def test_hostile_strings_are_bounded_in_length(hostile: str):
    longest = max(len(line) for line in outside_fences(hostile).splitlines())
    assert longest < 3000  # one row of several bounded cells
    assert "A" * 1500 not in hostile


def test_compare_prints_hostile_labels_as_one_line_each():
    old, new, _ = _runs("\x1b[2J\nnot a line of its own")
    lines = compare(old, new).render_text().splitlines()
    assert not any("\x1b" in line for line in lines)
    assert not any(line.startswith("not a line") for line in lines)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("a|b", "`a\\|b`"),
        ("a`b", "`` a`b ``"),
        ("``", "``` `` ```"),
        ("a\nb", "`a b`"),
    ],
)
def test_a_code_span_shows_its_content_whatever_it_holds(value: str, shown: str):
    assert code(value) == shown


def test_prose_escapes_html_and_markdown():
    assert text("<b>*x*</b> & [y](z) | `q`") == (
        "&lt;b&gt;\\*x\\*&lt;/b&gt; &amp; \\[y\\](z) \\| \\`q\\`"
    )
