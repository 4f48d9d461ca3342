"""Quart, through its adapter, runs the whole suite with no unexpected outcome."""

from __future__ import annotations

from adapters.quart import QuartAdapter
from tests.adapter_checks import assert_keeps_its_declarations


def test_quart_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(run_suite):
    """Every clause passes on the installed Quart, or fails as its adapter declares for
    that release (with a reason), or is not applicable with a reason: Quart lacks the
    concept, or the clause is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite("quart"), QuartAdapter())
