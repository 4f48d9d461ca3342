"""Falcon, through its two adapters (falcon.App and falcon.asgi.App), runs the whole
suite with no unexpected outcome, in process and under a real server."""

from __future__ import annotations

from importlib.util import find_spec

import pytest

pytestmark = pytest.mark.skipif(
    find_spec("falcon") is None, reason="Falcon is not installed: pip install falcon"
)
WSGI, ASGI = "adapters.falcon:FalconAdapter", "adapters.falcon:FalconAsgiAdapter"


@pytest.mark.parametrize("adapter", [WSGI, ASGI], ids=["wsgi", "asgi"])
def test_a_405_names_no_head_where_get_routes_do_not_serve_head(run_suite, adapter):
    """Falcon answers HEAD only with an on_head responder (a GET route gets 405 for it), so the
    Allow header of its 405, naming GET and OPTIONS, lists the methods the URL allows."""
    run = run_suite(adapter, "--clause", "routing.method-not-allowed.allow-header")
    assert run.results is not None, run.stderr
    assert [(c.id, c.outcome) for c in run.results.clauses] == [
        ("routing.method-not-allowed.allow-header", "pass")
    ]
