"""Every deliberately broken reference framework makes the suite fail, on the
clauses it breaks and on no other."""

from __future__ import annotations

import pytest

from tests.mutants import MUTANTS, Mutant, adapter_name


@pytest.mark.parametrize("mutant", MUTANTS, ids=adapter_name)
def test_the_suite_fails_exactly_the_clauses_a_mutant_breaks(run_suite, mutant: type[Mutant]):
    run = run_suite(f"tests.mutants:{adapter_name(mutant)}")
    assert run.results is not None, run.stderr
    # Not applicable is no failure: a clause specific to another framework (or
    # to some of its releases) is not applicable to any mutant either.
    failed = {c.id for c in run.results.clauses if c.outcome in ("fail", "error")}
    assert failed == set(mutant.breaks), mutant.__doc__
    assert run.code == 1


def test_every_mutant_breaks_a_clause_that_exists():
    from conformance import registry

    unknown = {c for m in MUTANTS for c in m.breaks} - {c.id for c in registry().clauses}
    assert unknown == set()


def test_every_area_has_at_least_two_mutants_that_break_it():
    """Each area of the spec that holds for every framework is guarded by two or more
    deliberately broken frameworks.  An area of one framework's own promises (every
    clause ``only`` for it) is guarded by that framework's own run instead: the
    reference framework is not judged on it."""
    from conformance import registry

    reg = registry()
    general = {c.area for c in reg.active() if not c.only}
    guarded = {
        area: {m.__name__ for m in MUTANTS if any(reg[c].area == area for c in m.breaks)}
        for area in (a.id for a in reg.areas)
        if area in general
    }
    assert {a: sorted(ms) for a, ms in guarded.items() if len(ms) < 2} == {}
