"""Mutants of the config area: propagation, trapping, the server name, automatic
OPTIONS turned off, and the 500 error's original exception (an errors clause)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, InternalServerError
from werkzeug.routing import MapAdapter

from reference_impl import signals
from reference_impl._app import Request, Response
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class PropagatesOnlyWhenAsked(Mutant):
    """Testing and debug modes do not make exceptions propagate: only
    PROPAGATE_EXCEPTIONS set to true does."""

    breaks = frozenset(
        {
            "config.testing.propagates-unhandled-exception",
            "config.debug.propagates-unhandled-exception",
            "config.propagate.skips-500-handler",  # testing and debug: the 500 handler runs
            "config.trap-http.escapes-in-testing",
        }
    )

    def propagates_exceptions(self) -> bool:
        return self.config["PROPAGATE_EXCEPTIONS"] is True


class TrapsNoHttpError(Mutant):
    """TRAP_HTTP_EXCEPTIONS and TRAP_BAD_REQUEST_ERRORS are ignored: every HTTP
    error becomes its own response."""

    breaks = frozenset(
        {
            "config.trap-http.unhandled-gives-500",
            "config.trap-http.escapes-in-testing",
            "config.trap-bad-request.gives-500",
        }
    )

    def trap_http_exception(self, exc: HTTPException) -> bool:
        return False


class ServerNameRestrictsHosts(Mutant):
    """A request for a host other than SERVER_NAME matches no route (Flask
    before 3.1): Werkzeug derives the subdomain from the Host."""

    breaks = frozenset({"config.server-name.other-host-served"})

    def match_request(self, request: Request) -> MapAdapter:
        adapter = self.url_map.bind_to_environ(
            request.environ, server_name=self.config["SERVER_NAME"]
        )
        try:
            rule, view_args = adapter.match(return_rule=True)
            request.url_rule, request.view_args = rule, dict(view_args)
        except HTTPException as exc:
            request.routing_exception = exc
        return adapter


class AutomaticOptionsAlwaysOn(Mutant):
    """A route's provide_automatic_options=False is ignored: OPTIONS is still
    answered for it."""

    breaks = frozenset({"config.options.opt-out-gives-405", "config.options.opt-out-allow-header"})

    def add_url_rule(
        self, rule: str, endpoint: str, view_func: Any, methods: Iterable[str] = ("GET",),
        **options: Any,
    ) -> None:  # fmt: skip
        options.pop("provide_automatic_options", None)
        super().add_url_rule(rule, endpoint, view_func, methods, **options)


class InternalErrorForgetsOriginal(Mutant):
    """The 500 error handed to a 500 handler for an unhandled exception does not
    keep that exception as its original_exception."""

    breaks = frozenset({"errors.internal.original-exception"})

    def handle_exception(self, exc: Exception) -> Steps[Response]:
        yield from self.send_signal(signals.got_request_exception, exception=exc)
        if self.propagates_exceptions():
            raise exc
        server_error = InternalServerError()
        handler = self.find_error_handler(server_error)
        rv = server_error if handler is None else (yield from invoke(handler, server_error))
        response: Response = yield from self.finalize_request(rv, from_error_handler=True)
        return response
