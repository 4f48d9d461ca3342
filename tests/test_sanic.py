"""Sanic, through its adapter, runs the whole suite with no unexpected outcome,
in process (sanic-testing's ASGI client) and under uvicorn (Sanic's ASGI mode)."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

pytestmark = pytest.mark.skipif(
    find_spec("sanic") is None or find_spec("sanic_testing") is None,
    reason="Sanic is not installed: pip install sanic sanic-testing",
)
ADAPTER = "adapters.sanic:SanicAdapter"


def test_a_405_lists_head_only_where_the_framework_answers_head_itself(run_suite):
    """Sanic answers HEAD only on a route that lists it: the Allow header of a 405 is
    expected to leave HEAD out, as it leaves OPTIONS out where OPTIONS is not automatic."""
    run = run_suite(ADAPTER, "--clause", "routing.method-not-allowed.allow-header")
    assert run.results is not None, run.stderr
    assert [(c.id, c.outcome) for c in run.results.clauses] == [
        ("routing.method-not-allowed.allow-header", "pass")
    ]
