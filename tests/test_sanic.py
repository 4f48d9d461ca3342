"""Sanic, through its adapter, runs the whole suite with no unexpected outcome,
in process (sanic-testing's ASGI client) and under uvicorn (Sanic's ASGI mode)."""

from __future__ import annotations

import warnings
from importlib.util import find_spec

import pytest

from tests.adapter_checks import assert_keeps_its_declarations

pytestmark = pytest.mark.skipif(
    find_spec("sanic") is None or find_spec("sanic_testing") is None,
    reason="Sanic is not installed: pip install sanic sanic-testing",
)
ADAPTER = "adapters.sanic:SanicAdapter"


@pytest.mark.parametrize(
    "transport",
    [(), ("--transport", "http", "--server", "uvicorn")],
    ids=["in-process", "http-uvicorn"],
)
def test_sanic_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed Sanic, or fails as its adapter declares, or is
    not applicable for a concept Sanic lacks."""
    # Imported here, as the module skips without Sanic; sanic-testing imports the
    # legacy websockets API, which warns (a warning the project's tests make an error).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from adapters.sanic import SanicAdapter

    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), SanicAdapter())


def test_sanic_keeps_its_own_promises(run_suite):
    """Every clause of Sanic's own documentation passes."""
    run = run_suite(ADAPTER)
    assert run.results is not None, run.stderr
    own = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("sanic.")}
    assert len(own) >= 3, own
    assert set(own.values()) == {"pass"}, own


def test_a_405_lists_head_only_where_the_framework_answers_head_itself(run_suite):
    """Sanic answers HEAD only on a route that lists it: the Allow header of a 405 is
    expected to leave HEAD out, as it leaves OPTIONS out where OPTIONS is not automatic."""
    run = run_suite(ADAPTER, "--clause", "routing.method-not-allowed.allow-header")
    assert run.results is not None, run.stderr
    assert [(c.id, c.outcome) for c in run.results.clauses] == [
        ("routing.method-not-allowed.allow-header", "pass")
    ]
