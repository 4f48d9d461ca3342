"""FastAPI, through its adapter, runs the whole suite with no unexpected outcome,
in process and under uvicorn."""

from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="FastAPI is not installed (pip install fastapi)")
pytest.importorskip("itsdangerous", reason="the session middleware needs itsdangerous")

from adapters.fastapi import FastAPIAdapter  # after the skips: it imports FastAPI
from tests.adapter_checks import assert_keeps_its_declarations

ADAPTER = "adapters.fastapi:FastAPIAdapter"


@pytest.mark.parametrize(
    "transport",
    [
        pytest.param((), id="in-process"),
        pytest.param(("--transport", "http", "--server", "uvicorn"), id="http-uvicorn"),
    ],
)
def test_fastapi_fails_only_its_declared_divergences_and_lacks_only_what_it_declares(
    run_suite, transport
):
    """Every clause passes on the installed FastAPI, or fails as its adapter declares
    for that release (with a reason), or is not applicable for a reason the adapter
    gives (FastAPI lacks the concept) or because it is specific to other frameworks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), FastAPIAdapter())
