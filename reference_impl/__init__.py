"""A small, readable WSGI framework that implements every clause of the spec.

It exists so that each clause has an implementation a maintainer can read in
one glance (see ``_app.App``, whose methods are the lifecycle's steps), and so
that deliberately broken copies of it can test the suite.

Serve it for real::

    from werkzeug.serving import run_simple
    from reference_impl import App

    app = App("hello")

    @app.route("/")
    def index():
        return {"hello": "world"}

    run_simple("127.0.0.1", 8000, app)
"""

from importlib.metadata import version as _version

from packaging.version import Version as _Version

# LocalProxy's unbound_message (2.2) and the strict_slashes=False router fix
# (2.2.2) are what the reference framework needs of Werkzeug.
if _Version(_version("werkzeug")) < _Version("2.2.2"):
    raise ImportError(
        f"the reference framework needs Werkzeug>=2.2.2, and {_version('werkzeug')} is"
        " installed; install lifecycle-conformance[reference]"
    )

from werkzeug.exceptions import abort

from . import _signals as signals
from . import testing
from ._app import App, Request, Response
from ._blueprints import Blueprint
from ._context import (
    after_this_request,
    copy_current_request_context,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    session,
    stream_with_context,
    url_for,
)
from ._returns import make_response, redirect
from ._signals import (
    appcontext_popped,
    appcontext_pushed,
    appcontext_tearing_down,
    got_request_exception,
    request_finished,
    request_started,
    request_tearing_down,
)

__all__ = [
    "App",
    "Blueprint",
    "Request",
    "Response",
    "abort",
    "after_this_request",
    "appcontext_popped",
    "appcontext_pushed",
    "appcontext_tearing_down",
    "copy_current_request_context",
    "current_app",
    "g",
    "got_request_exception",
    "has_app_context",
    "has_request_context",
    "make_response",
    "redirect",
    "request",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "session",
    "signals",
    "stream_with_context",
    "testing",
    "url_for",
]
