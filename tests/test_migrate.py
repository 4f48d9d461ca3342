"""``lifecycle-conformance migrate``: the migration guide between any two
frameworks of the results (``migration_guide``), rendered from Results built
here: which rules it lists and under which kind, both sides' evidence, the
releases each side's outcome holds for, which runs it compares, its
stability; then the command, and each bad input as one line, exit 2."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from conformance import registry
from conformance._errors import UsageError
from conformance.reporting import ClauseResult, Results, migration_guide
from tests.conftest import cli
from tests.test_cli import assert_one_line_error
from tests.test_migration import BY_CLASS, REGISTRY, TEARDOWN, clause, flask, quart, run
from tests.test_report_hostile import BENIGN, HOSTILE, skeleton


def guide(runs: list[Results], source: str, target: str, **releases: str) -> str:
    return migration_guide(runs, REGISTRY, source, target, **releases)


def part(text: str, title: str) -> str:
    """The body of the ``## title (n)`` section."""
    return text.split(f"\n## {title} (", 1)[1].split("\n## ", 1)[0]


def item(text: str, cid: str) -> list[str]:
    """The lines of ``cid``'s item: its clause, then the source's and the target's."""
    lines = text.splitlines()
    n = next(i for i, line in enumerate(lines) if line.startswith(f"  - [`{cid}`]("))
    return lines[n : n + 3]


def failing() -> ClauseResult:
    """``hooks.after.order`` failing, as declared."""
    return clause("hooks.after.order", "fail", expected="reversed")


def quarts(*failing_in: str, **kw: str) -> list[Results]:
    """Five Quart releases, ``hooks.after.order`` failing in those named."""
    return [
        quart(*([failing()] if v in failing_in else []), version=v, **kw)
        for v in ("0.18.4", "0.19.9", "0.20.0", "0.21.0", "0.22.0")
    ]


@pytest.mark.parametrize(
    ("source", "target", "title"),
    [
        pytest.param("flask", "quart", "Changed: Flask passes, Quart fails", id="flask-to-quart"),
        pytest.param("quart", "flask", "Gained: Flask passes, Quart fails", id="quart-to-flask"),
        pytest.param(
            "quart", "bottle", "Gained: Bottle passes, Quart fails", id="neither-is-flask"
        ),
    ],
)
def test_any_two_frameworks_are_compared_either_way(source: str, target: str, title: str):
    """A rule Quart fails and the other passes is a change one way and a gain the other."""
    runs = [flask(), quart(clause("hooks.after.order", "fail")), run("bottle", *flask().clauses)]
    text = guide(runs, source, target)
    names = {"flask": "Flask", "quart": "Quart", "bottle": "Bottle"}
    assert text.startswith(f"# Moving from {names[source]} to {names[target]}\n")
    assert "[`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order)" in part(text, title)
    assert "**6 kept**" in text


def test_each_rule_shows_the_outcome_and_the_evidence_of_both_sides():
    runs = [
        flask(clause("hooks.teardown.once", "fail", expected="Flask's own bug")),
        quart(
            clause("hooks.after.order", "fail", expected="Quart runs them reversed"),
            clause("hooks.teardown.order", "not-applicable", detail=TEARDOWN),
            clause("errors.handler.code", "fail", detail="E   AssertionError: 500 != 200\n"),
        ),
    ]
    text = guide(runs, "flask", "quart")
    assert item(text, "hooks.after.order")[1:] == [
        "    - flask 3.1.0 (the only release run): **pass**",
        "    - quart 0.22.0 (the only release run): **fail**, declared: Quart runs them reversed",
    ]
    assert item(text, "hooks.teardown.order")[2].endswith(
        "**not applicable**: no stage 'teardown': Quart has no teardown stage"
    )
    assert item(text, "errors.handler.code")[2].endswith(
        "**fail**, not declared: AssertionError: 500 != 200"
    )
    assert item(text, "hooks.teardown.once")[1].endswith("**fail**, declared: Flask's own bug")


def test_kinds_come_in_order_and_rules_by_area_in_the_registrys_order():
    runs = [
        flask(clause("errors.handler.code", "not-applicable", detail="holds for flask<2")),
        quart(
            clause("errors.handler.class", "fail", expected="c"),
            clause("hooks.before.order", "fail", expected="b"),
            clause("hooks.teardown.order", "not-applicable", detail=TEARDOWN),
            clause("errors.teardown.exception", "error", detail="adapter broke"),
        ),
    ]
    text = guide(runs, "flask", "quart")
    assert re.findall(r"^## ([^:(]+?)[:(]", text, re.M) == [
        "Changed",
        "About a concept Quart lacks",
        "Measured in Quart only",
        "Not compared",
    ]
    changed = part(text, "Changed: Flask passes, Quart fails")
    assert re.findall(r"^- \*\*(.+)\*\*$", changed, re.M) == ["Hook ordering", "Error handling"]
    assert "\n    - quart 0.22.0 (the only release run): **error**: adapter broke" in text


@pytest.mark.parametrize(
    ("failing_in", "held"),
    [
        pytest.param(
            ("0.19.9", "0.20.0", "0.21.0", "0.22.0"),
            "quart 0.19.9–0.22.0 (4 of 5 releases run)",
            id="a-span",
        ),
        pytest.param(
            ("0.18.4", "0.20.0", "0.21.0", "0.22.0"),
            "quart 0.18.4, 0.20.0–0.22.0 (4 of 5 releases run)",
            id="a-gap",
        ),
        pytest.param(("0.18.4", "0.22.0"), "quart 0.18.4, 0.22.0 (2 of 5 releases run)", id="two"),
        pytest.param(("0.22.0",), "quart 0.22.0 (1 of 5 releases run)", id="newest-only"),
        pytest.param(
            ("0.18.4", "0.19.9", "0.20.0", "0.21.0", "0.22.0"),
            "quart 0.18.4–0.22.0 (all 5 releases run)",
            id="every-release",
        ),
    ],
)
def test_each_side_says_in_which_releases_its_outcome_is_the_one_shown(
    failing_in: tuple[str, ...], held: str
):
    text = guide([flask(), *quarts(*failing_in)], "flask", "quart")
    assert item(text, "hooks.after.order")[2] == f"    - {held}: **fail**, declared: reversed"


def test_releases_are_ordered_as_versions_and_the_other_side_has_its_own():
    runs = [flask(version="2.10.0"), flask(failing(), version="2.9.0")]
    runs += [quart(failing()), quart(version="0.21.0")]
    lines = item(guide(runs, "quart", "flask"), "hooks.after.order")
    assert lines[1:] == [
        "    - quart 0.22.0 (1 of 2 releases run): **fail**, declared: reversed",
        "    - flask 2.10.0 (1 of 2 releases run): **pass**",
    ]
    both = [flask(), flask(version="3.0.0"), quart(failing())]
    held = item(guide(both, "flask", "quart"), "hooks.after.order")[1]
    assert held == "    - flask 3.0.0–3.1.0 (both releases run): **pass**"


def test_an_older_release_is_read_from_its_run_most_like_the_compared_one():
    """Its in-process run, not its http one, when the compared run is in process."""
    older = [
        quart(version="0.21.0", transport="http/hypercorn"),
        quart(failing(), version="0.21.0"),
    ]
    runs = [flask(), quart(failing()), *older]
    held = item(guide(runs, "flask", "quart"), "hooks.after.order")[2]
    assert held == "    - quart 0.21.0–0.22.0 (both releases run): **fail**, declared: reversed"


def test_a_release_other_than_the_newest_is_compared_when_asked_for():
    text = guide([flask(), *quarts("0.18.4")], "flask", "quart", target_release="0.18.4")
    assert "to quart 0.18.4 (in-process) on Python 3.12.1 (one of 5 releases" in text
    held = "    - quart 0.18.4 (1 of 5 releases run): **fail**, declared: reversed"
    assert item(text, "hooks.after.order")[2] == held
    back = guide([flask(), *quarts("0.18.4")], "quart", "flask", source_release="0.18.4")
    assert "From quart 0.18.4 (in-process)" in back


def test_both_directions_compare_the_same_two_runs_on_one_python():
    """Flask's newest Python is not Quart's: the pair that shares one is taken either way."""
    runs = [
        flask(version="3.1.0", python="3.13.0"),
        flask(clause("hooks.after.order", "fail"), version="3.1.0", python="3.11.7"),
        quart(python="3.11.7"),
    ]
    there, back = guide(runs, "flask", "quart"), guide(runs, "quart", "flask")
    assert "From flask 3.1.0 (in-process) on Python 3.11.7" in there
    assert "to flask 3.1.0 (in-process) on Python 3.11.7" in back
    assert "Gained: Quart passes, Flask fails (1)" in there
    assert "Changed: Quart passes, Flask fails (1)" in back


def test_each_sides_own_promises_and_other_faces_are_counted():
    runs = [
        flask(),
        quart(clause("quart.own.promise", "fail", expected="own")),
        quart(clause("hooks.after.order", "fail"), adapter="quart-other"),
    ]
    text = guide(runs, "quart", "flask")
    own = "Beside Flask's lifecycle, Quart is held to 1 promise of its own documentation: 1 fail."
    assert own in text
    flask_only = "Beside the rules every framework is held to, 1 clause is held for Flask only"
    assert f"{flask_only}: 1 pass." in text
    assert (
        "Quart's other face, quart-other 0.22.0 (in-process), differs on 1:"
        " [`hooks.after.order`](conformance/spec/SPEC.md#hooks.after.order)."
    ) in text


def test_framework_names_are_taken_in_any_case():
    runs = [flask(), quart(clause("hooks.after.order", "fail"))]
    assert guide(runs, "Flask", "QUART") == guide(runs, "flask", "quart")


def test_the_same_results_in_any_order_give_the_same_bytes():
    runs = [
        flask(clause("hooks.teardown.once", "fail")),
        flask(version="2.3.3"),
        quart(clause("hooks.before.order", "fail"), adapter="quart-other"),
        *quarts("0.19.9", "0.21.0"),
        quart(version="0.22.0", transport="http/hypercorn"),
        run("bottle", clause("errors.handler.code", "not-applicable", detail=BY_CLASS)),
    ]
    shuffled = list(runs)
    random.Random(7).shuffle(shuffled)
    assert guide(shuffled, "quart", "flask") == guide(runs, "quart", "flask")


def _hostile_runs(s: str) -> list[Results]:
    evidence = {"message": s, "what": s, "expected": [s], "observed": s}
    return [
        flask(clause("hooks.teardown.once", "fail", expected=s, evidence=evidence)),
        quart(
            clause("hooks.before.order", "fail", expected=s),
            clause("hooks.after.order", "fail", detail=s, evidence=evidence),
            clause("errors.handler.code", "not-applicable", detail=s),
            clause("errors.handler.class", "error", detail=s),
            version=f"0.22 {s}",
        ),
    ]


def test_hostile_reasons_and_versions_change_no_structure_and_carry_no_markup():
    hostile = guide(_hostile_runs(HOSTILE), "flask", "quart")
    assert skeleton(hostile) == skeleton(guide(_hostile_runs(BENIGN), "flask", "quart"))
    prose = re.sub(r"(`+)(.+?)\1", "", hostile)  # code spans show it literally
    for markup in ("<script", "<img", "[link](http://x)", "*em*", "~~s~~", "\n# Injected"):
        assert markup not in prose
    assert max(len(line) for line in hostile.splitlines()) < 4000


@pytest.mark.parametrize(
    ("source", "target", "releases", "message"),
    [
        pytest.param(
            "flask",
            "djngo",
            {},
            "no run of the framework to move to, 'djngo', in these results; they have runs of:"
            " flask, quart (for another framework, add its results files)",
            id="unknown",
        ),
        pytest.param(
            "flask", "FLASK", {}, "an app would move from 'flask' to itself", id="same-framework"
        ),
        pytest.param(
            "quart-other",
            "flask",
            {},
            "the framework to move from, 'quart-other', is the name of an adapter, a face of"
            " 'quart': name that framework",
            id="an-adapters-name",
        ),
        pytest.param(
            "flask",
            "quart",
            {"target_release": "9.9"},
            "no run of quart '9.9' in these results; its releases in them: 0.21.0, 0.22.0",
            id="unknown-release",
        ),
    ],
)
def test_bad_input_is_a_usage_error_that_says_what_there_is(
    source: str, target: str, releases: dict[str, str], message: str
):
    runs = [flask(), quart(), quart(version="0.21.0", adapter="quart-other")]
    with pytest.raises(UsageError) as raised:
        guide(runs, source, target, **releases)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def _real_runs() -> list[Results]:
    """Flask and Quart on the real registry's first lifecycle clauses, Quart failing one."""
    ids = [c.id for c in registry().clauses if not c.only and not c.retired][:3]
    return [
        run("flask", *(clause(cid, "pass") for cid in ids), version="3.1.0"),
        run(
            "quart",
            clause(ids[0], "fail", expected="reversed"),
            *(clause(c, "pass") for c in ids[1:]),
        ),
    ]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("results")
    for n, found in enumerate(_real_runs()):
        found.save(folder / f"{found.framework}{n}.json")
    return folder


def test_migrate_writes_the_guide_to_stdout_or_to_a_file(results: Path, tmp_path: Path):
    shown = cli("migrate", "--from", "flask", "--to", "quart", str(results))
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("# Moving from Flask to Quart\n")
    assert "**fail**, declared: reversed" in shown.stdout
    out = tmp_path / "guides" / "MOVING.md"
    written = cli("migrate", "--from", "flask", "--to", "quart", str(results), "-o", str(out))
    assert written.returncode == 0, written.stderr
    assert (written.stdout, written.stderr) == ("", "")
    assert out.read_text(encoding="utf-8") == shown.stdout
    files = sorted(str(p) for p in results.glob("*.json"))
    again = cli("migrate", "--to", "quart", "--from", "flask", *reversed(files))
    assert again.stdout == shown.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        pytest.param(
            ("--from", "flask", "--to", "djngo"), ("'djngo'", "flask, quart"), id="unknown"
        ),
        pytest.param(
            ("--from", "flask", "--to", "django"),
            ("'django'", "they have runs of: flask, quart"),
            id="no-runs",
        ),
        pytest.param(("--from", "flask", "--to", "Flask"), ("to itself",), id="same-framework"),
        pytest.param(
            ("--from", "flask", "--to", "quart", "--to-release", "0.1"),
            ("'0.1'", "its releases in them: 1.0"),
            id="unknown-release",
        ),
        pytest.param(("--from", "flask"), ("--to",), id="no-target"),
    ],
)
def test_migrate_refuses_bad_input_in_one_line(results: Path, args: tuple[str, ...], fragments):
    assert_one_line_error(cli("migrate", *args, str(results)), *fragments)


def test_migrate_refuses_a_folder_without_results_files(tmp_path: Path):
    proc = cli("migrate", "--from", "flask", "--to", "quart", str(tmp_path))
    assert_one_line_error(proc, "no results files (*.json)", str(tmp_path))


def test_migrate_checks_its_output_file_before_reading_anything(results: Path, tmp_path: Path):
    proc = cli("migrate", "--from", "flask", "--to", "quart", str(results), "-o", str(tmp_path))
    assert_one_line_error(proc, "--output", "is a folder")
