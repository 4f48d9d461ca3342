"""Mutants of signals, after_this_request and short-circuiting."""

from __future__ import annotations

from typing import Any

from reference_impl import Response
from reference_impl import _signals as signals
from reference_impl._context import _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class RequestFinishedBeforeAfterHooks(Mutant):
    """request_finished is sent with the response as made, before the after-request hooks."""

    breaks = frozenset(
        {
            "signals.request-finished.after-after-hooks",
            "signals.request-finished.handed-final-response",
            "signals.request-finished.every-response",
            "signals.got-request-exception.before-500-handler",
            # sent before the raising after-request hook runs
            "signals.request-finished.not-sent-when-after-hook-raises",
        }
    )

    def finalize_request(self, rv: Any, *, from_error_handler: bool = False) -> Steps[Response]:
        response = self.make_response(rv)
        yield from self.send_signal(signals.request_finished, response=response)
        try:
            return (yield from self.process_response(response))
        except Exception:
            if not from_error_handler:
                raise
            return response


class GotRequestExceptionWhenHandlingBegins(Mutant):
    """got_request_exception is sent for every exception as soon as its handling begins,
    before any error handler is looked up: handled exceptions and HTTP errors get it too,
    and unhandled ones get it twice."""

    breaks = frozenset(
        {
            "config.propagate.signal-still-sent",
            "signals.got-request-exception.unhandled",
            "signals.got-request-exception.not-for-handled",
            "signals.got-request-exception.before-500-handler",
        }
    )

    def handle_user_exception(self, exc: Exception) -> Steps[Any]:
        yield from self.send_signal(signals.got_request_exception, exception=exc)
        return (yield from super().handle_user_exception(exc))


class RequestTearingDownBeforeTeardownHooks(Mutant):
    """request_tearing_down is sent before the teardown-request hooks run, not after."""

    breaks = frozenset({"signals.request-tearing-down.after-teardown-hooks"})

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        yield from self.send_signal(signals.request_tearing_down, exc=exc)
        for scope in (*_request_ctx.get().request.blueprints, None):
            for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                yield from invoke(teardown, exc)


class AfterThisRequestAfterTheAfterHooks(Mutant):
    """after_this_request callbacks run after the after-request hooks instead of before."""

    breaks = frozenset(
        {
            "hooks.after-this-request.before-after-hooks",
            "hooks.after-this-request.from-before-hook",
            "hooks.after-this-request.on-error-response",
        }
    )

    def process_response(self, response: Response) -> Steps[Response]:
        ctx = _request_ctx.get()
        callbacks, ctx.after_request_functions = ctx.after_request_functions, []
        response = yield from super().process_response(response)
        for func in callbacks:
            response = yield from invoke(func, response)
        return response


class ShortCircuitSkipsAfterHooks(Mutant):
    """A response from a before-request hook is sent as made: no after_this_request
    callbacks, after-request hooks or request_finished."""

    breaks = frozenset(
        {
            "short-circuit.before.after-hooks-run",
            "short-circuit.before.teardown-runs",
            "short-circuit.before.preempts-routing-error",
            "hooks.after-this-request.from-before-hook",
            "signals.request-finished.every-response",
            "blueprints.short-circuit.after-hooks-run",
        }
    )

    def full_dispatch_request(self) -> Steps[Response]:
        try:
            yield from self.send_signal(signals.request_started)
            rv = yield from self.preprocess_request()
            if rv is not None:
                return self.make_response(rv)
            rv = yield from self.dispatch_request()
        except Exception as exc:
            rv = yield from self.handle_user_exception(exc)
        return (yield from self.finalize_request(rv))
