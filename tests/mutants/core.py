"""Mutants of the first areas: hook order, short-circuit, errors, context, responses."""

from __future__ import annotations

from typing import Any

from reference_impl import Response
from reference_impl import _signals as signals
from reference_impl._context import Globals
from reference_impl._core import Steps
from tests.mutants import Mutant


class AfterHooksInRegistrationOrder(Mutant):
    """After-request hooks run in the order they were registered."""

    breaks = frozenset(
        {
            "streaming.generator.produced-after-after-hooks",
            "hooks.after.reverse-registration-order",
            # the hook registered first runs first, handed the view's response, not the next one's
            "hooks.after.returned-response-replaces",
            # their tests assert the whole order of the after-hooks around a failing one
            "errors.after.exception-skips-remaining-hooks",
            "errors.after.hooks-rerun-on-500",
            "views.hooks-as-for-a-function",  # urls: the after-hooks around a class view
        }
    ) | frozenset({"hooks.after.returns-none.next-handed-none"})  # area returns

    def process_response(self, response: Response) -> Steps[Response]:
        # The reference runs each table reversed; reversing it first undoes that.
        for hooks in self.after_request_funcs.values():
            hooks.reverse()
        try:
            return (yield from super().process_response(response))
        finally:
            for hooks in self.after_request_funcs.values():
                hooks.reverse()


class TeardownSkippedOnError(Mutant):
    """Teardown-request hooks do not run when the request raised."""

    breaks = frozenset(
        {
            "config.propagate.teardown-handed-exception",
            "errors.teardown.receives-unhandled-exception",
            "errors.teardown.original-exception-despite-500-handler",
            # its test checks teardown is handed the TypeError of a None return
            "response.invalid.teardown-receives-type-error",
            # request_tearing_down is sent at the end of the skipped step
            "signals.tearing-down.receives-exception",
            # each expects a teardown-request hook handed an unhandled exception
            "errors.teardown.receives-error-handler-abort",
            "errors.teardown.original-exception-when-500-handler-raises",
            "errors.teardown-appcontext.receives-unhandled-exception",
            "errors.teardown.receives-after-hook-exception",
            "errors.teardown.exception-app-context-still-ends",
            # area depth: no teardown hook runs to see the exception, g or the contexts
            "errors.teardown.every-hook-receives-unhandled-exception",
            "context.g.kept-on-every-path",
            "context.request.active-in-teardown-on-every-path",
        }
    )

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        if exc is None:
            yield from super().do_teardown_request(exc)


class ShortCircuitStillRunsView(Mutant):
    """A before-request hook's return value is used, but the view runs anyway."""

    # Every short-circuit ordering test sees the view in the trace.
    breaks = frozenset(
        {
            "short-circuit.before.skips-view",
            "short-circuit.before.skips-later-before-hooks",
            "short-circuit.before.after-hooks-run",
            "short-circuit.before.teardown-runs",
            "short-circuit.before.preempts-routing-error",
            "hooks.after-this-request.from-before-hook",
            "signals.request-finished.every-response",
            "blueprints.short-circuit.skips-later-hooks-and-view",
        }
    )

    def full_dispatch_request(self) -> Steps[Response]:
        try:
            yield from self.send_signal(signals.request_started)
            rv = yield from self.preprocess_request()
            view_rv = yield from self.dispatch_request()
            if rv is None:
                rv = view_rv
        except Exception as exc:
            rv = yield from self.handle_user_exception(exc)
        return (yield from self.finalize_request(rv))


class DictRenderedAsText(Mutant):
    """A dict return value becomes an HTML page of its repr instead of JSON."""

    breaks = frozenset({"response.dict.json"}) | frozenset(
        {
            "response.json.uuid-as-string",
            "response.json.decimal-as-string",
            "response.json.sorted-keys",
            "response.json.compact",
            "response.json.dates-as-http-date",
            "response.json.ascii-escaped",
        }
    )  # area returns

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, dict):
            return Response(str(rv), mimetype="text/html")
        return super().make_response(rv)


class GlobalsKeptBetweenRequests(Mutant):
    """``g`` is one object for the app's lifetime instead of one per request."""

    breaks = frozenset(
        {
            "context.g.fresh-per-request",
            # concurrent requests share it, and so does a copied request context
            "streaming.concurrent.own-g",
            "streaming.copied-context.fresh-g",
        }
    )

    def make_globals(self) -> Globals:
        if not hasattr(self, "_shared_g"):
            self._shared_g = super().make_globals()
        return self._shared_g


class ErrorHandlerExactClassOnly(Mutant):
    """Error handlers are looked up by the exception's exact class, not its MRO."""

    breaks = frozenset(
        {
            "errors.http-base.handles-every-http-error",
            "errors.http-base.handed-internal-server-error",
            "errors.handler.by-class-mro",
            "errors.handler.generic-exception-catches-http-errors",
        }
    )

    def find_error_handler(self, exc: BaseException) -> Any:
        handler = super().find_error_handler(exc)
        registered_for = {
            cls
            for by_code in self.error_handlers.values()
            for handlers in by_code.values()
            for cls in handlers
        }
        return handler if type(exc) in registered_for else None


class NoneBecomesEmptyResponse(Mutant):
    """A view returning None gets an empty 200 response instead of an error."""

    breaks = frozenset(
        {
            "response.none.error",
            "response.invalid.bypasses-exception-handlers",
            # teardown is handed no TypeError for the None
            "response.invalid.teardown-receives-type-error",
        }
    )

    def make_response(self, rv: Any) -> Response:
        return Response("", mimetype="text/html") if rv is None else super().make_response(rv)


class ListNotJson(Mutant):
    """A list return value is rejected, as in Flask before 2.2."""

    breaks = frozenset({"response.list.json"})

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, list):
            raise TypeError("lists are not a response")
        return super().make_response(rv)
