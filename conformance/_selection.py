"""Which tests a run runs, and what it knows of each before it runs: the
suite's tests (those that name a clause), the --clause globs, the clauses
that hold for another framework or release (not applicable), and the
declared divergences, noted on the test for the plugin to read when it ends."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from ._outcomes import DECLARED, NOT_APPLICABLE

if TYPE_CHECKING:
    from ._plugin import RunState

SUITE = Path(__file__).with_name("suite")


def is_conformance_test(item: pytest.Item) -> bool:
    """A test of the suite: it lives in the suite, uses ``observe`` or names a clause."""
    return (
        SUITE in item.path.parents
        or "observe" in getattr(item, "fixturenames", ())
        or item.get_closest_marker("clause") is not None
    )


def clause_of(item: pytest.Item) -> str | None:
    marks = list(item.iter_markers("clause"))
    if len(marks) == 1 and len(marks[0].args) == 1 and isinstance(marks[0].args[0], str):
        return marks[0].args[0]
    return None


def select(
    config: pytest.Config, items: list[pytest.Item], suite: list[pytest.Item], state: RunState
) -> None:
    """Apply --clause globs, version conditions and declared divergences (the
    globs were checked with the other run options)."""
    globs = state.results.selection
    in_suite = {id(item) for item in suite}
    keep, drop = [], []
    for item in items:
        cid = clause_of(item)
        if id(item) not in in_suite or cid is None:
            keep.append(item)
            continue
        if globs and not any(fnmatch.fnmatchcase(cid, g) for g in globs):
            drop.append(item)
            continue
        keep.append(item)
        clause = state.registry[cid]
        if not clause.about(state.adapter.framework):
            item.stash[NOT_APPLICABLE] = (
                f"the clause is specific to {', '.join(clause.only)}: {clause.only_reason}"
            )
        elif not clause.holds_for(state.adapter.framework, state.version):
            condition = clause.condition(state.adapter.framework)
            item.stash[NOT_APPLICABLE] = (
                f"the clause holds for {state.adapter.framework}{condition};"
                f" {state.version} is installed"
            )
        elif cid in state.expectations:
            # Not strict: a divergence is declared for a clause, and some of
            # its tests may pass while another fails.  A clause none of whose
            # tests fails is an unexpected pass, which fails the run (below).
            # The plugin reads it when the test ends (pytest_runtest_makereport).
            item.stash[DECLARED] = f"declared divergence: {state.expectations[cid].reason}"
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
