"""Mutants of the richer return values (area returns): the response and
streaming clauses about them, and an after-request hook returning None."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from werkzeug.exceptions import HTTPException

from reference_impl import Response
from reference_impl._context import RequestContext
from reference_impl._core import Steps
from tests.mutants import Mutant


class ReturnedHttpExceptionHandled(Mutant):
    """A returned HTTP exception is treated as if it had been raised: the error
    handler registered for its status answers instead of its own error page."""

    breaks = frozenset(
        {
            "response.http-exception.not-handled",
            "errors.handler.returns-handed-http-error",  # a handler returning its error: again
        }
    )

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, HTTPException) and (rv.code or 0) >= 400:  # not a routing redirect
            handler = self.find_error_handler(rv)
            if handler is not None:
                rv = handler(rv)  # the WSGI face: handlers are plain functions
        return super().make_response(rv)


class PlainJsonEncoder(Mutant):
    """Dicts and lists are written with the standard library's defaults (keys
    in insertion order, spaces after separators) and str() for any other
    value, which gives a datetime in ISO form rather than as an HTTP date."""

    breaks = frozenset(
        {
            "response.json.dates-as-http-date",
            "response.json.sorted-keys",
            "response.json.compact",
        }
    )

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, dict | list):
            return Response(json.dumps(rv, default=str) + "\n", mimetype="application/json")
        return super().make_response(rv)


class TupleHeadersReplaceEachOther(Mutant):
    """The headers of a returned tuple are applied one by one, each replacing
    the previous header of its name, so a name repeated in a list of pairs is
    sent once, with its last value."""

    breaks = frozenset({"response.tuple.header-pairs-repeated"})

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, tuple) and len(rv) in (2, 3) and isinstance(rv[-1], list):
            *rest, pairs = rv
            response = super().make_response(tuple(rest) if len(rest) > 1 else rest[0])
            for name, value in pairs:
                response.headers[name] = value
            return response
        return super().make_response(rv)


class AfterHookNoneKeepsResponse(Mutant):
    """An after-request hook that returns None is taken to mean "no change":
    the response it was handed goes on to the next hook and is sent."""

    breaks = frozenset(
        {"hooks.after.returns-none.next-handed-none", "hooks.after.returns-none.escapes"}
    )

    def process_response(self, response: Response) -> Steps[Response]:
        wrapped = {
            scope: [_keeping(after) for after in funcs]
            for scope, funcs in self.after_request_funcs.items()
        }
        saved, self.after_request_funcs = self.after_request_funcs, wrapped
        try:
            return (yield from super().process_response(response))
        finally:
            self.after_request_funcs = saved


def _keeping(after: Callable[[Response], Any]) -> Callable[[Response], Any]:
    def hook(response: Response) -> Any:
        rv = after(response)
        return response if rv is None else rv

    return hook


class _StreamGetsFreshGlobals(RequestContext):
    def push(self) -> Steps[None]:
        again = bool(self._tokens)
        yield from super().push()
        if again and self._app_ctx is not None:  # the push stream_with_context makes
            self._app_ctx.g = self.app.make_globals()


class StreamWithContextFreshGlobals(Mutant):
    """stream_with_context keeps the request but not its g: the chunks see a g
    of their own, empty, as a context copied for another thread would."""

    breaks = frozenset({"streaming.with-context.request-state"})

    def handle_request(self, ctx: RequestContext, respond: Callable[[Response], Any]) -> Steps[Any]:
        fresh = _StreamGetsFreshGlobals(self, ctx.request)
        return (yield from super().handle_request(fresh, respond))


# -- response area: the status line as sent --


class StatusLineRebuiltFromCode(Mutant):
    """Each response's status is set again from its code once the after-hooks
    have run, so a status line the view gave ("299 SOMETHING") keeps its code
    and loses its reason phrase to the registered one (or UNKNOWN)."""

    breaks = frozenset(
        {
            "response.status-line.tuple-string-reason",
            "response.status-line.response-status-string",
        }
    )

    def process_response(self, response: Response) -> Steps[Response]:
        response = yield from super().process_response(response)
        if response is not None:  # an after-hook's None is the clauses' of hooks.after
            response.status_code = response.status_code  # Werkzeug rebuilds the status line
        return response


class StatusLineAlwaysOk(Mutant):
    """The WSGI face hands the server the status code with the reason phrase
    OK whatever the code ("201 OK", "299 OK"), as a hand-written status line
    might."""

    breaks = frozenset(
        {
            "response.status-line.tuple-string-reason",
            "response.status-line.registered-reason",
            "response.status-line.unknown-code-reason",
            "response.status-line.response-status-string",
        }
    )

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Any:
        def ok(status: str, headers: Any, exc_info: Any = None) -> Any:
            return start_response(status.split(" ", 1)[0] + " OK", headers, exc_info)

        return super().wsgi_app(environ, ok)
