"""The helpers a view builds its return value with (area returns):
``make_response`` turns Flask's return values into a response on the spot,
``redirect`` answers with a Location header."""

from __future__ import annotations

from typing import Any

from werkzeug.utils import redirect as _redirect

from ._app import Response
from ._context import current_app


def make_response(*args: Any) -> Response:
    """What the app would make of ``args`` returned from a view: one value,
    or the items of a ``(body, status, headers)`` tuple."""
    rv = args[0] if len(args) == 1 else args
    response: Response = current_app.make_response(rv)
    return response


def redirect(location: str, code: int = 302) -> Response:
    """A response redirecting to ``location`` with status ``code``."""
    response: Response = _redirect(location, code, Response=Response)  # type: ignore[assignment]
    return response
