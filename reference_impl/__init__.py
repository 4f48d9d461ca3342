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

from werkzeug.exceptions import abort

from . import _signals as signals
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
from . import testing
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
    "request",
    "request_finished",
    "request_started",
    "request_tearing_down",
    "session",
    "signals",
    "stream_with_context",
    "url_for",
]
