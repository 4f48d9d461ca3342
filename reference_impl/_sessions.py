"""A signed-cookie session: JSON, base64, and an HMAC of both.

Small on purpose; it only needs to make ``session`` a real, persistent,
tamper-evident mapping so that clauses about its availability mean something.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from werkzeug.wrappers import Request, Response

COOKIE = "session"


class Session(dict[str, Any]):
    """A dict that knows whether it was changed."""

    modified = False
    accessed = False  # set by the request's session proxy on any use

    def __setitem__(self, key: str, value: Any) -> None:
        self.modified = True
        super().__setitem__(key, value)

    def __delitem__(self, key: str) -> None:
        self.modified = True
        super().__delitem__(key)


def _sign(secret: str, payload: bytes) -> str:
    return hmac.new(secret.encode(), payload, hashlib.sha256).hexdigest()


def open_session(secret: str, request: Request) -> Session:
    """The session sent in the request's cookie, or a new empty one when the
    cookie is missing or its signature does not match."""
    raw = request.cookies.get(COOKIE, "")
    payload, _, signature = raw.rpartition(".")
    if payload and hmac.compare_digest(_sign(secret, payload.encode()), signature):
        try:
            return Session(json.loads(base64.urlsafe_b64decode(payload)))
        except ValueError:
            pass
    return Session()


def save_session(secret: str, session: Session, response: Response) -> None:
    """Make the response vary on Cookie when the session was used at all, and
    set the cookie when the session was changed during the request."""
    if session.accessed or session.modified:
        response.vary.add("Cookie")
    if not session.modified:
        return
    payload = base64.urlsafe_b64encode(json.dumps(dict(session)).encode()).decode()
    response.set_cookie(COOKIE, f"{payload}.{_sign(secret, payload.encode())}", httponly=True)
