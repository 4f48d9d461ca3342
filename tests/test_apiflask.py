"""APIFlask, through its adapter, runs the whole suite with no unexpected outcome,
in process and under Werkzeug's server."""

from __future__ import annotations

import pytest

pytest.importorskip("apiflask", reason="APIFlask is not installed (pip install apiflask)")

from adapters.apiflask import APIFlaskAdapter  # after the skip: it imports APIFlask
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.apiflask:APIFlaskAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "werkzeug"), id="http-werkzeug"),
    ],
)
def test_apiflask_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed APIFlask, or fails as its adapter declares for
    that release (with a reason), or is not applicable because it concerns other frameworks
    only: APIFlask is a Flask, and lacks none of Flask's concepts."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), APIFlaskAdapter())
