"""The HTML report (``report --html``): a self-contained page, deterministic,
whose untrusted strings stay text; opened in headless Chromium, it renders,
its filters and its side-by-side view work, and it can be screenshot."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conformance._spec import Area, Clause, Registry
from conformance.reporting import ClauseResult, Outcome, Results, render_html
from conformance.reporting import TestResult as Check  # pytest would collect "Test*" names
from tests import browser
from tests.conftest import cli

REGISTRY = Registry(
    areas=(Area("hooks", "Hook ordering", "", 1), Area("errors", "Error handling", "", 2)),
    clauses=(
        Clause("hooks.after.order", "After-hooks run last first.", "MUST", "hooks", "u", "f"),
        Clause("hooks.before.order", "Before-hooks run in order.", "SHOULD", "hooks", "u", "f"),
        Clause("errors.handler.code", "Handlers by status code.", "MUST", "errors", "u", "f"),
    ),
)
EVIDENCE_MESSAGE = "Divergence: call order: expected ['a2', 'a1'] observed ['a1', 'a2']"


def clause(cid: str, outcome: Outcome, expected: str | None = None) -> ClauseResult:
    evidence = {"message": EVIDENCE_MESSAGE} if outcome == "fail" else None
    level = next(c.level for c in REGISTRY.clauses if c.id == cid)
    test = Check(f"test_{cid}", outcome, "why" if outcome != "pass" else "", evidence)
    return ClauseResult(cid, level, cid.partition(".")[0], "documented", [test], expected)


def run(framework: str, version: str, transport: str, *outcomes: Outcome) -> Results:
    ids = [c.id for c in REGISTRY.clauses]
    return Results(
        adapter=framework,
        framework=framework,
        framework_version=version,
        transport=transport,
        python="3.11.7",
        suite_version="0.1.0",
        clauses=[clause(cid, o) for cid, o in zip(ids, outcomes, strict=True)],
    )


# Clauses: hooks.after.order, hooks.before.order, errors.handler.code.
RUNS = [
    run("flask", "3.1.0", "in-process", "pass", "pass", "pass"),
    run("flask", "3.1.0", "http/werkzeug", "pass", "fail", "pass"),
    run("quart", "0.22.0", "in-process", "fail", "pass", "not-applicable"),
]
FLASK, FLASK_HTTP, QUART = (
    "flask-3.1.0-in-process",
    "flask-3.1.0-http-werkzeug",
    "quart-0.22.0-in-process",
)
HOSTILE = (
    "</script><script>document.documentElement.setAttribute('data-pwned','1')</script>"
    "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','2')\">"
    '<!-- ]]> &amp; \u2028 "'
)


def data_of(page: str) -> dict[str, object]:
    block = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert block is not None
    data: dict[str, object] = json.loads(block.group(1))
    return data


def hostile_run() -> Results:
    """A run with ``HOSTILE`` in every string a results file carries."""
    hostile = run(HOSTILE, HOSTILE, HOSTILE, "fail", "pass", "pass")
    hostile.adapter = hostile.python = hostile.suite_version = HOSTILE
    hostile.clauses[0].expected = HOSTILE
    hostile.clauses[0].tests[0] = Check(HOSTILE, "fail", HOSTILE, {HOSTILE: HOSTILE})
    hostile.clauses.append(
        ClauseResult(HOSTILE, "MUST", HOSTILE, "observed", [Check(HOSTILE, "error", HOSTILE)])
    )
    return hostile


# --- the page, without a browser ---------------------------------------------------------


def test_the_page_loads_nothing_from_the_network():
    """No external URL in a src or href, no stylesheet link, no CSS import or url()."""
    page = render_html(RUNS, REGISTRY)
    assert re.findall(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page) == []
    assert "<link" not in page
    assert "@import" not in page
    assert "url(" not in page
    assert page.count("<script") == 2  # the data and the code, both inline


def test_rendering_the_same_results_twice_gives_the_same_bytes():
    """The same results, in any order, give the same page."""
    assert render_html(RUNS, REGISTRY) == render_html(list(reversed(RUNS)), REGISTRY)


def test_a_hostile_string_cannot_close_the_data_block():
    """Strings from a results file are in the page only as JSON that has no
    '<', '>' or '&', and read back as they were."""
    hostile = hostile_run()
    page = render_html([hostile], REGISTRY)
    assert page.count("</script>") == 2
    assert "<img" not in page
    block = page.split('id="report-data">', 1)[1].split("</script>", 1)[0]
    assert not set("<>&") & set(block)
    data = data_of(page)
    assert HOSTILE in data["texts"]  # type: ignore[operator]
    assert data["runs"][0]["framework"] == HOSTILE  # type: ignore[index]


def test_report_html_writes_the_page_beside_the_markdown(tmp_path: Path):
    results = tmp_path / "flask.json"
    RUNS[0].save(results)
    page = tmp_path / "out" / "report.html"
    proc = cli("report", str(results), "-o", str(tmp_path / "REPORT.md"), "--html", str(page))
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "REPORT.md").is_file()
    assert data_of(page.read_text(encoding="utf-8"))["runs"][0]["key"] == FLASK  # type: ignore[index]


def test_report_html_into_a_folder_is_refused_before_reading_results(tmp_path: Path):
    """--html is checked before any results file is read (this one is absent)."""
    proc = cli("report", str(tmp_path / "absent.json"), "--html", str(tmp_path))
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert "--html" in lines[0]
    assert "is a folder" in lines[0]


# --- the page in Chromium -----------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    found = browser.find_chromium()
    if found is None:
        reason = "chromium is not installed (apt-get install chromium): no browser to open the page"
        if os.environ.get(browser.REQUIRE):
            pytest.fail(f"{browser.REQUIRE} is set, but {reason}")
        pytest.skip(reason)
    return found


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(render_html(RUNS, REGISTRY), encoding="utf-8")
    return path


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    @property
    def shown(self) -> bool:
        """Neither it nor an element around it is hidden."""
        node: Node | None = self
        while node is not None:
            if "hidden" in node.attrs:
                return False
            node = node.parent
        return True

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)


class DOM(HTMLParser):
    """The elements of a page Chromium has serialized, as a tree."""

    VOID = frozenset({"meta", "input", "br", "img", "link", "hr", "col", "source", "wbr"})

    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root
        self.nodes: list[Node] = []
        self.feed(markup)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        self.nodes.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[Node]:
        return [
            n
            for n in self.nodes
            if n.tag == tag and all(n.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Node:
        (node,) = [n for n in self.nodes if n.attrs.get("id") == ident]
        return node


def opened(chromium: str, page: Path, fragment: str = "") -> DOM:
    return DOM(browser.dump_dom(chromium, page, fragment))


def shown_runs(dom: DOM) -> list[str]:
    return [th.attrs["data-run"] for th in dom.find("th", **{"class": "run"}) if th.shown]


def shown_clauses(dom: DOM) -> list[str]:
    rows = [n for n in dom.find("tr") if "data-clause" in n.attrs]
    return [r.attrs["data-clause"] for r in rows if r.shown]


ALL_CLAUSES = ["hooks.after.order", "hooks.before.order", "errors.handler.code"]


def test_the_page_renders_every_run_and_every_clause(chromium: str, page: Path):
    dom = opened(chromium, page)
    assert shown_runs(dom) == [FLASK_HTTP, FLASK, QUART]  # http/... sorts before in-process
    assert shown_clauses(dom) == ALL_CLAUSES
    cells = dom.find("td", data_run=QUART, data_clause="hooks.after.order")
    assert [c.attrs["data-outcome"] for c in cells] == ["fail"]
    assert not dom.by_id("compare-view").shown
    assert not dom.by_id("evidence").shown


@pytest.mark.parametrize(
    ("fragment", "runs", "clauses"),
    [
        ("framework=quart", [QUART], ALL_CLAUSES),
        ("release=3.1.0", [FLASK_HTTP, FLASK], ALL_CLAUSES),
        ("transport=in-process", [FLASK, QUART], ALL_CLAUSES),
        ("area=errors", [FLASK_HTTP, FLASK, QUART], ["errors.handler.code"]),
        ("level=SHOULD", [FLASK_HTTP, FLASK, QUART], ["hooks.before.order"]),
        ("outcome=fail", [FLASK_HTTP, FLASK, QUART], ["hooks.after.order", "hooks.before.order"]),
        ("framework=flask&outcome=fail", [FLASK_HTTP, FLASK], ["hooks.before.order"]),
        ("outcome=not-applicable&transport=http%2Fwerkzeug", [FLASK_HTTP], []),
    ],
    ids=["framework", "release", "transport", "area", "level", "outcome", "two", "none-left"],
)
def test_a_filter_in_the_fragment_shows_only_the_matching_runs_and_clauses(
    chromium: str, page: Path, fragment: str, runs: list[str], clauses: list[str]
):
    dom = opened(chromium, page, fragment)
    assert (shown_runs(dom), shown_clauses(dom)) == (runs, clauses)
    name = fragment.split("=", 1)[0]
    assert dom.by_id(f"filter-{name}").shown  # its control is there to change it back


def test_side_by_side_shows_two_runs_and_marks_the_clauses_that_differ(chromium: str, page: Path):
    dom = opened(chromium, page, f"compare={FLASK},{QUART}")
    assert dom.by_id("compare-view").shown
    assert not dom.by_id("matrix-view").shown
    rows = [n for n in dom.find("tr") if "data-compare-clause" in n.attrs]
    marks = {r.attrs["data-compare-clause"]: r.attrs["class"] for r in rows if r.shown}
    assert marks == {
        "hooks.after.order": "differs",
        "hooks.before.order": "same",
        "errors.handler.code": "differs",
    }
    header = [th.all_text() for th in dom.by_id("compare").children[0].children[0].children]
    assert header == ["clause", "level", "flask 3.1.0 (in-process)", "quart 0.22.0 (in-process)"]


def test_side_by_side_can_show_only_the_clauses_that_differ(chromium: str, page: Path):
    dom = opened(chromium, page, f"compare={FLASK},{FLASK_HTTP}&only=diff")
    rows = [n for n in dom.find("tr") if "data-compare-clause" in n.attrs]
    assert [r.attrs["data-compare-clause"] for r in rows if r.shown] == ["hooks.before.order"]
    assert "1 of 3 clauses differ" in dom.by_id("diff-count").all_text()


def test_a_cells_evidence_opens_from_the_fragment(chromium: str, page: Path):
    dom = opened(chromium, page, f"show={QUART},hooks.after.order")
    evidence = dom.by_id("evidence")
    assert evidence.shown
    assert EVIDENCE_MESSAGE in evidence.all_text()
    assert "test_hooks.after.order" in evidence.all_text()


def test_hostile_strings_stay_text_in_the_browser(chromium: str, tmp_path: Path):
    """No element, attribute or script a results file's strings carry gets into the DOM."""
    hostile = hostile_run()
    path = tmp_path / "hostile.html"
    path.write_text(render_html([hostile, RUNS[0]], REGISTRY), encoding="utf-8")
    key = data_of(path.read_text(encoding="utf-8"))["runs"][0]["key"]  # type: ignore[index]
    for fragment in ("", f"show={key},hooks.after.order", f"compare={key},{FLASK}"):
        markup = browser.dump_dom(chromium, path, fragment)
        dom = DOM(markup)
        assert [n for n in dom.nodes if "data-pwned" in n.attrs] == []
        assert dom.find("img") == []
        assert len(dom.find("script")) == 2
    assert "onerror" in dom.by_id("compare").all_text()  # there, as text
    shown = DOM(browser.dump_dom(chromium, path, f"show={key},hooks.after.order"))
    assert HOSTILE in shown.by_id("evidence").all_text()
    rows = [n.attrs.get("data-clause") for n in DOM(markup).find("tr")]
    assert HOSTILE in rows  # a clause the registry lacks, in an area it lacks


def test_a_screenshot_of_the_page_can_be_taken(chromium: str, page: Path, tmp_path: Path):
    png = tmp_path / "report.png"
    browser.screenshot(chromium, page, png, "framework=flask", size=(800, 600))
    head = png.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    assert (width, height) == (800, 600)
    assert png.stat().st_size > 5000  # not a blank page
