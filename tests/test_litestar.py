"""Litestar, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

import pytest

pytest.importorskip("litestar", reason="Litestar is not installed (pip install litestar)")

from adapters.litestar import LitestarAdapter  # after the skips: it imports Litestar
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.litestar:LitestarAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_litestar_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed Litestar, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (Litestar lacks the concept) or because it is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), LitestarAdapter())
