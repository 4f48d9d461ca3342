"""What Falcon's adapter does at the HTTP level: a status line, a stream's close, and
HTTP exceptions on its two faces: HTTPError's description, the Allow header of
a 405, the user's HTTPError subclasses, and the error handlers, which a register step
may also add (add_error_handler refuses what is no exception class, with TypeError)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, NoReturn

import falcon

from conformance import kit


class HttpErrors(kit.Native):
    """The status-line and HTTP-exception operations of FalconNative."""

    def abort_description(self, status: int, description: str) -> NoReturn:
        raise falcon.HTTPError(status, description=description)

    def error_detail(self, exc: BaseException, name: str) -> kit.JSON:
        if not isinstance(exc, falcon.HTTPError):
            return None
        if name == "description":
            return exc.description
        allow = dict(exc.headers or {}).get("Allow")  # HTTPMethodNotAllowed lists them there
        return None if allow is None else sorted(m.strip() for m in allow.split(","))

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        def init(self: Any) -> None:
            falcon.HTTPError.__init__(self, status, description=description)

        return type(name, (falcon.HTTPError,), {"__init__": init})

    def status_line(self, response: Any, line: str) -> Any:
        response.status = line  # Response.status: a code or a status line
        return response


def encoded(chunks: Any) -> Any:
    """A WSGI face's stream body: closing it closes the chunks, as a server does."""
    with contextlib.closing(chunks):
        yield from (chunk.encode() for chunk in chunks)


def error_handler_key(hook: kit.Hook, native: kit.Native) -> Any:
    """What ``add_error_handler`` is given for ``hook``: "HTTPException", the base of the
    HTTP errors, is falcon.HTTPError; ``hook.instance``, an instance of the class."""
    name = str(hook.handles)
    by = falcon.HTTPError if name == "HTTPException" else kit.exception_class(name, native)
    return by() if hook.instance else by


def error_handlers(
    app: Any, scenario: kit.Scenario, native: kit.Native, make: Callable[..., Any]
) -> Callable[[kit.Hook], None]:
    """Register the scenario's error handlers on ``app``; return how to register one."""

    def add(h: kit.Hook) -> None:
        app.add_error_handler(error_handler_key(h, native), make(h.does, h.id, h.stage))

    for h in (h for h in scenario.hooks if h.stage == "error_handler"):
        add(h)
    return add
