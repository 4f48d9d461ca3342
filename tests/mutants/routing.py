"""Mutants of the routing area: HEAD, OPTIONS and trailing-slash redirects."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reference_impl._context import _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class AutomaticOptionsCallsView(Mutant):
    """OPTIONS is dispatched to the view like any other method: the framework never
    answers it on the view's behalf."""

    # the view answers instead: its body, and no Allow header
    breaks = frozenset(
        {
            "routing.options.automatic",
            "routing.options.automatic-status",
            "routing.options.automatic-allow-header",
        }
    )

    def dispatch_request(self) -> Steps[Any]:
        request = _request_ctx.get().request
        if request.routing_exception is not None:
            raise request.routing_exception
        assert request.url_rule is not None
        view = self.view_functions[request.url_rule.endpoint]
        return (yield from invoke(view, **(request.view_args or {})))


class RoutingRedirectHandledAsError(Mutant):
    """The trailing-slash redirect is offered to the error handlers like any HTTP
    error, so a handler for Exception swallows it."""

    breaks = frozenset({"routing.strict-slashes.redirect-bypasses-error-handlers"})

    def handle_http_exception(self, exc: Any) -> Steps[Any]:
        if exc.code is None:
            return exc
        handler = self.find_error_handler(exc)
        return exc if handler is None else (yield from invoke(handler, exc))


class HeadDispatchedAsGet(Mutant):
    """A HEAD request is rewritten to a GET before it is handled: the view sees GET
    and the body is sent."""

    breaks = frozenset(
        {
            "routing.head.method-seen-is-head",
            "routing.head.empty-body",
            # the hooks of a HEAD request see GET
            "hooks.methods.every-method-runs-hooks",
        }
    )

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") == "HEAD":
            environ = {**environ, "REQUEST_METHOD": "GET"}
        return super().wsgi_app(environ, start_response)
