"""``conformance.run_scenario``: one scenario on one adapter, for a framework's
own tests, with no private import."""

from __future__ import annotations

import pytest

from adapters.reference import ReferenceAdapter
from conformance import NotApplicable, run_scenario
from conformance.scenarios import after, before, scenario, teardown_app, view
from tests.fake_adapters.restricted import NoTeardownAppcontext


@pytest.mark.parametrize(
    "adapter",
    [pytest.param(ReferenceAdapter(), id="an-adapter"), pytest.param("reference", id="its-name")],
)
def test_a_scenario_runs_in_process_and_gives_its_observation(adapter: ReferenceAdapter | str):
    """The observation holds each response and its trace, whole."""
    x = run_scenario(adapter, scenario(before("b"), after("a"), view())).only
    assert (x.status, x.order()) == (200, ["b", "index", "a"])


def test_a_scenario_the_framework_cannot_express_raises_not_applicable_naming_the_concept():
    with pytest.raises(NotApplicable, match="this framework has no application context"):
        run_scenario(NoTeardownAppcontext(), scenario(teardown_app("t"), view()))
