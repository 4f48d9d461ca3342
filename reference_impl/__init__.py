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

from ._app import App, Request, Response
from ._context import (
    after_this_request,
    current_app,
    g,
    has_app_context,
    has_request_context,
    request,
    session,
)

__all__ = [
    "App",
    "Request",
    "Response",
    "abort",
    "after_this_request",
    "current_app",
    "g",
    "has_app_context",
    "has_request_context",
    "request",
    "session",
]
