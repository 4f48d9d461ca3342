"""Lacks files: what a framework lacks, declared as data beside its adapter."""

from __future__ import annotations

import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest

from conformance import kit
from conformance._lacks import LacksError, read_lacks

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ADAPTERS = Path(__file__).parent.parent / "adapters"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "lacks.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_each_concept_of_an_entry_gets_its_reason(tmp_path: Path) -> None:
    """A [[lacks]] table gives its reason to every concept it names."""
    path = write(
        tmp_path,
        '[[lacks]]\nreason = "no signals"\n'
        'concepts = ["stage:request_started", "feature:blueprints"]\n'
        '[[lacks]]\nreason = """\\\n  no   sessions"""\nconcepts = ["probe:session"]\n',
    )
    assert read_lacks(path) == {
        "stage:request_started": "no signals",
        "feature:blueprints": "no signals",
        "probe:session": "no sessions",
    }


def test_the_capabilities_lack_what_the_file_names(tmp_path: Path) -> None:
    """kit.lacking over a lacks file removes exactly the concepts it names."""
    path = write(
        tmp_path, '[[lacks]]\nreason = "r"\nconcepts = ["stage:teardown", "form:redirect"]\n'
    )
    capabilities = kit.lacking(kit.read_lacks(path))
    assert ("teardown" in capabilities.stages, "redirect" in capabilities.forms) == (False, False)
    assert set(capabilities.stages) == set(kit.STAGES) - {"teardown"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[lacks]]\nreason = 'r'\nconcepts = ['stage:nope']\n", "'stage:nope', which is no"),
        ("[[lacks]]\nreason = 'r'\nconcepts = ['teardown']\n", "'teardown', which is no concept"),
        ("[[lacks]]\nreason = ' '\nconcepts = ['stage:teardown']\n", "'reason' must be"),
        ("[[lacks]]\nreason = 'r'\nconcepts = []\n", "'concepts' must be a non-empty list"),
        ("[[lacks]]\nreason = 'r'\n", "exactly the keys 'reason' and 'concepts'"),
        ("[[lacks]]\nreason='r'\nconcepts=['stage:teardown']\n" * 2, "again; give each concept"),
        ("[missing]\nx = 1\n", "one [[lacks]] table per reason"),
        ("[[lacks]\n", "cannot read lacks file"),
    ],
    ids=["unknown-name", "no-kind", "empty-reason", "no-concepts", "no-concepts-key",
         "named-twice", "other-table", "not-toml"],
)  # fmt: skip
def test_a_bad_lacks_file_is_refused_with_what_is_wrong(
    tmp_path: Path, text: str, message: str
) -> None:
    """A lacks file that is not TOML, or names what the vocabulary lacks, is refused."""
    with pytest.raises(LacksError, match="lacks") as caught:
        read_lacks(write(tmp_path, text))
    assert message in str(caught.value)


@pytest.mark.parametrize(
    "path", sorted(ADAPTERS.glob("*/lacks*.toml")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_every_adapters_lacks_file_reads(path: Path) -> None:
    """Every lacks file shipped with an adapter is well-formed."""
    assert read_lacks(path)


@pytest.mark.parametrize(
    "path", sorted(ADAPTERS.glob("*/lacks*.toml")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_no_reason_admits_a_concept_left_untranslated(path: Path) -> None:
    """A lacks reason says what the framework lacks, never that the adapter has not
    translated a concept the framework has (that would hide its behaviour)."""
    admitted = {c: r for c, r in read_lacks(path).items() if "translat" in r.lower()}
    assert admitted == {}


def test_every_file_beside_an_adapter_ships_in_the_wheel() -> None:
    """Each lacks and expectations file matches a package-data pattern, so an installed
    adapter finds it (a face's own lacks file too)."""
    pyproject = tomllib.loads((ADAPTERS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["adapters"]
    files = sorted(p.relative_to(ADAPTERS).as_posix() for p in ADAPTERS.glob("*/*.toml"))
    assert [f for f in files if not any(fnmatch(f, pattern) for pattern in patterns)] == []
