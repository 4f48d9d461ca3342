"""App configuration, by Flask's key names, and the questions the lifecycle
asks of it: does an unhandled exception propagate, is an HTTP error trapped?"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from werkzeug.exceptions import BadRequest, BadRequestKeyError, HTTPException

from ._sessions import Session

DEFAULTS: Mapping[str, Any] = {
    "TESTING": False,
    "DEBUG": False,
    "PROPAGATE_EXCEPTIONS": None,  # None: propagate when testing or debugging
    "TRAP_HTTP_EXCEPTIONS": False,
    "TRAP_BAD_REQUEST_ERRORS": None,  # None: trap a missing form key when debugging
    "SECRET_KEY": None,
    "SERVER_NAME": None,
}


def propagates(config: Mapping[str, Any]) -> bool:
    """Whether an unhandled exception is re-raised into the server instead
    of becoming a 500 response: PROPAGATE_EXCEPTIONS, or else testing or
    debug mode."""
    setting = config["PROPAGATE_EXCEPTIONS"]
    return bool(config["TESTING"] or config["DEBUG"]) if setting is None else bool(setting)


def traps(config: Mapping[str, Any], exc: HTTPException) -> bool:
    """Whether the HTTP error ``exc`` is handled as an unhandled exception
    would be (a handler for its code or class still takes it)."""
    if config["TRAP_HTTP_EXCEPTIONS"]:
        return True
    bad_request = config["TRAP_BAD_REQUEST_ERRORS"]
    if bad_request is None:
        return bool(config["DEBUG"]) and isinstance(exc, BadRequestKeyError)
    return bool(bad_request) and isinstance(exc, BadRequest)


class NullSession(Session):
    """The session of an app without a secret key: empty, readable, and
    refusing every change with a RuntimeError that names the fix."""

    def _fail(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the session is unavailable because no secret key was set")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail
