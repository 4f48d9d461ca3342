"""Mutants of HTTP exceptions (errors area): an abort's response handed to the error
handlers, a status handler taking any class with its code, registration errors of the
wrong class."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException

from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class AbortedResponseHandled(Mutant):
    """An HTTP error that carries a response (abort(response)) is looked up like
    any other: the handlers for its class's bases take it."""

    breaks = frozenset({"errors.abort.response-skips-error-handlers"})

    def handle_http_exception(self, exc: HTTPException) -> Steps[Any]:
        if exc.code is None:
            handler = self.find_error_handler(exc)
            return exc if handler is None else (yield from invoke(handler, exc))
        return (yield from super().handle_http_exception(exc))


class StatusHandlerForEveryClassOfItsCode(Mutant):
    """A handler registered for a status code takes every HTTP error with that
    code, whatever its class derives from."""

    breaks = frozenset({"errors.http-error-class.status-handler-not-for-own-class"})

    def find_error_handler(self, exc: BaseException) -> Any:
        handler = super().find_error_handler(exc)
        code = exc.code if isinstance(exc, HTTPException) else None
        if handler is None and code is not None:
            # the app's first handler for that code, whatever class it was registered for
            handler = next(iter(self.error_handlers.get(None, {}).get(code, {}).values()), None)
        return handler


class UnknownStatusKeyError(Mutant):
    """Registering a handler for a status code with no HTTP error class raises
    a KeyError (Flask before 2.2), not a ValueError."""

    breaks = frozenset({"errors.registration.unknown-status-value-error"})

    def register_error_handler(self, key: Any, f: Any, *, scope: str | None = None) -> None:
        try:
            super().register_error_handler(key, f, scope=scope)
        except ValueError as exc:
            if isinstance(key, int):
                raise KeyError(key) from exc
            raise
