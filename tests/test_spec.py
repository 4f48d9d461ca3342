"""The clause registry: its checks, version conditions and framework scope."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import conformance.suite
from conformance import registry
from conformance._spec import SpecError, render_markdown
from conformance._spec import registry as load

AREA = '[area]\nid = "hooks"\ntitle = "Hooks"\norder = 1\n'
FIELDS = {
    "id": '"hooks.x"',
    "level": '"MUST"',
    "text": '"t"',
    "source": '"https://example.org/"',
    "code": '"flask/app.py: f"',
}


def clause(**changed: str) -> str:
    """A clause's TOML, with some fields changed or added."""
    return "[[clause]]\n" + "".join(f"{k} = {v}\n" for k, v in {**FIELDS, **changed}.items())


CLAUSE = clause()


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "hooks.toml").write_text(text)
    return tmp_path


def test_every_shipped_clause_names_a_documentation_page_and_a_source_function():
    for clause in registry().clauses:
        assert clause.source.startswith("https://"), clause.id
        assert ":" in clause.code, clause.id


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('level = "MAYBE"\n', "level must be one of"),
        ('basis = "rumour"\n', "basis must be one of"),
        ('colour = "red"\n', "unknown fields"),
        ('only = ["flask"]\n', "'only' and 'only_reason' go together"),
    ],
    ids=["level", "basis", "unknown-field", "only-without-reason"],
)
def test_a_malformed_clause_is_refused_by_name(tmp_path: Path, extra: str, message: str):
    text = (
        AREA
        + CLAUSE.replace('level = "MUST"\n', "")
        + (extra if "level" in extra else 'level = "MUST"\n' + extra)
    )
    with pytest.raises(SpecError, match=message):
        load(write(tmp_path, text))


def test_a_clause_outside_its_area_is_refused(tmp_path: Path):
    with pytest.raises(SpecError, match="does not start with it"):
        load(write(tmp_path, AREA + CLAUSE.replace("hooks.x", "errors.x")))


def test_a_repeated_clause_id_is_refused(tmp_path: Path):
    with pytest.raises(SpecError, match="defined twice"):
        load(write(tmp_path, AREA + CLAUSE + CLAUSE))


def test_version_conditions_come_from_since_and_until(tmp_path: Path):
    text = AREA + CLAUSE + 'since = { flask = "2.2" }\nuntil = { flask = "3.2" }\n'
    (clause,) = load(write(tmp_path, text)).clauses
    assert [clause.holds_for("flask", v) for v in ("2.1.3", "2.2.0", "3.1.3", "3.2.0")] == [
        False,
        True,
        True,
        False,
    ]
    assert clause.holds_for("quart", "0.1")


def test_a_framework_specific_clause_concerns_only_its_frameworks(tmp_path: Path):
    text = AREA + CLAUSE + 'only = ["flask", "reference"]\nonly_reason = "WSGI only"\n'
    (clause,) = load(write(tmp_path, text)).clauses
    assert (clause.about("flask"), clause.about("reference"), clause.about("quart")) == (
        True,
        True,
        False,
    )


def conformance_tests() -> dict[str, tuple[str, Callable[..., Any]]]:
    """Every test function of the suite that carries a clause marker, by
    ``module::name``, with the clause it names."""
    found: dict[str, tuple[str, Callable[..., Any]]] = {}
    for info in pkgutil.iter_modules(conformance.suite.__path__):
        if not info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{conformance.suite.__name__}.{info.name}")
        for name, function in vars(module).items():
            marks = [m for m in getattr(function, "pytestmark", []) if m.name == "clause"]
            if callable(function) and marks:
                found[f"{info.name}::{name}"] = (marks[0].args[0], function)
    return found


def test_the_suite_has_conformance_tests_to_check():
    assert len(conformance_tests()) >= len(registry().active())


def test_every_conformance_test_docstring_is_its_clauses_sentence():
    """A test's docstring is the text of the clause it checks (compared with whitespace
    normalised, so it may wrap), so the two cannot drift apart."""

    def words(text: str | None) -> str:
        return " ".join((text or "").split())

    reg = registry()
    mismatched = {
        test: {"docstring": words(function.__doc__), "clause": words(reg[cid].text)}
        for test, (cid, function) in conformance_tests().items()
        if words(function.__doc__) != words(reg[cid].text)
    }
    assert mismatched == {}


def test_each_clause_of_spec_md_has_an_anchor_named_by_its_id():
    """SPEC.md gives each clause's entry the anchor ``#<clause id>``, just before its
    heading, so the report can link a clause to it (a heading's own anchor drops dots)."""
    rendered = render_markdown(registry())
    anchors = re.findall(r'^<a id="([^"]+)"></a>\n\n### `([^`]+)`$', rendered, re.MULTILINE)
    assert anchors == [(c.id, c.id) for c in registry().clauses]
