"""Mutants of context lifetimes and of errors raised late in the request."""

from __future__ import annotations

from werkzeug.exceptions import HTTPException

from reference_impl import Response
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class TeardownAppcontextBeforeTeardownRequest(Mutant):
    """The teardown-appcontext hooks run first when the request ends, while the request
    context is still active and before the teardown-request hooks."""

    breaks = frozenset(
        {
            "hooks.teardown-appcontext.after-teardown-request",
            "context.request.ended-before-teardown-appcontext",
            "context.url-for.needs-request-or-server-name",
            # the teardown-request hook's g value is not set yet
            "context.g.kept-until-teardown-appcontext",
            # these assert the whole trace, where the teardown-appcontext hook moved
            "errors.teardown-appcontext.receives-unhandled-exception",
            "errors.teardown.exception-app-context-still-ends",
            "signals.appcontext-tearing-down.after-teardown-appcontext",
            "signals.request-tearing-down.after-teardown-hooks",
            "streaming.generator.teardown-before-chunks",
            "streaming.with-context.teardown-after-last-chunk",
            # with the request context still active, after_this_request works there
            "hooks.after-this-request.needs-request-context",
            # area execution: the whole trace, where the teardown-appcontext hook moved
            "execution.async.awaited-in-every-stage",
            # the teardown-appcontext hooks run with each request's teardown, and first
            "steps.app-context.teardown-when-test-pops",
            "steps.test-request-context.teardown-on-exit",
        }
    )

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        for teardown in reversed(self.teardown_appcontext_funcs):
            yield from invoke(teardown, exc)
        yield from super().do_teardown_request(exc)

    def do_teardown_appcontext(self, exc: BaseException | None) -> Steps[None]:
        # The hooks already ran with the request teardown; only the signal is left.
        teardown_funcs, self.teardown_appcontext_funcs = self.teardown_appcontext_funcs, []
        try:
            yield from super().do_teardown_appcontext(exc)
        finally:
            self.teardown_appcontext_funcs = teardown_funcs


class UnhandledHttpErrorKeepsItsStatus(Mutant):
    """An HTTP error that reaches the last-resort handling (raised by an error handler or
    an after-request hook) is sent with its own status instead of becoming a 500."""

    breaks = frozenset(
        {
            "config.trap-http.unhandled-gives-500",
            "config.trap-http.escapes-in-testing",
            "config.trap-bad-request.gives-500",
            "errors.after.exception-gives-500",
            "errors.handler.abort-gives-500",
        }
    )

    def handle_exception(self, exc: Exception) -> Steps[Response]:
        if isinstance(exc, HTTPException):
            return (yield from self.finalize_request(exc, from_error_handler=True))
        return (yield from super().handle_exception(exc))


class UrlForNeedsARequest(Mutant):
    """url_for outside a request ignores SERVER_NAME: with only an
    application context it has no server to build for, and raises."""

    breaks = frozenset({"context.url-for.server-name-outside-request"})

    def url_adapter_outside_request(self) -> None:
        return None
