"""The reference framework on its own: a real app under a real server, and
context proxies that say clearly where they work."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
import requests
from werkzeug.serving import make_server

import reference_impl
from reference_impl import App, g


@pytest.fixture
def served() -> Iterator[str]:
    """A reference app under Werkzeug's server on 127.0.0.1 and a free port;
    the server is shut down however the test ends."""
    app = App("served")

    @app.before_request
    def remember() -> None:
        g.seen = "before"

    @app.route("/hello/<name>")
    def hello(name: str) -> dict[str, str]:
        return {"hello": name, "g": g.seen}

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_the_reference_framework_serves_requests_under_a_real_server(served: str):
    response = requests.get(f"{served}/hello/ann", timeout=10)
    assert (response.status_code, response.json()) == (200, {"hello": "ann", "g": "before"})
    assert response.headers["Content-Type"] == "application/json"


@pytest.mark.parametrize("name", ["request", "session", "g", "current_app"])
def test_a_context_proxy_used_outside_a_request_fails_with_a_clear_error(name: str):
    proxy = getattr(reference_impl, name)
    with pytest.raises(RuntimeError, match="only available"):
        proxy.anything  # noqa: B018 - the attribute access is the test


def test_outside_a_request_there_is_no_context():
    assert (reference_impl.has_request_context(), reference_impl.has_app_context()) == (
        False,
        False,
    )
