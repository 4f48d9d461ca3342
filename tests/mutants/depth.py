"""Mutants of area depth: frameworks that break a rule only in a narrow case
(from the third hook on, for one method, three blueprints deep, for a class
two levels below the handler's, for every teardown hook but the first), so
that only the suite's deep tests can catch them."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException

from reference_impl import Response
from reference_impl import _signals as signals
from reference_impl._context import _app_ctx, _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


def _third_on_first(hooks: list[Any]) -> list[Any]:
    """A table of three or more hooks with the third and later moved in front."""
    return [*hooks[2:], *hooks[:2]] if len(hooks) >= 3 else hooks


class BeforeHooksOutOfOrderFromTheThird(Mutant):
    """The third and later before-request hooks of a table run before the first
    two; a table of one or two hooks keeps its order."""

    breaks = frozenset(
        {
            "hooks.before.registration-order",
            # its test has three before-request hooks, the third answering
            "short-circuit.before.skips-later-before-hooks",
        }
    )

    def preprocess_request(self) -> Steps[Any]:
        saved = self.before_request_funcs
        self.before_request_funcs = {k: _third_on_first(v) for k, v in saved.items()}
        try:
            return (yield from super().preprocess_request())
        finally:
            self.before_request_funcs = saved


class AfterHooksSkippedForPut(Mutant):
    """After-request hooks do not run for PUT requests; every other method runs them."""

    breaks = frozenset({"hooks.methods.every-method-runs-hooks"})

    def process_response(self, response: Response) -> Steps[Response]:
        if _request_ctx.get().request.method == "PUT":
            return response
        return (yield from super().process_response(response))


class OutermostBlueprintBeforeHooksLostThreeDeep(Mutant):
    """For a route of a blueprint nested three (or more) deep, the outermost
    blueprint's before-request hooks are not run; two deep, all run."""

    breaks = frozenset({"blueprints.before.outer-first"})

    def preprocess_request(self) -> Steps[Any]:
        request = _request_ctx.get().request
        blueprints = request.blueprints
        saved = self.before_request_funcs
        if len(blueprints) >= 3:
            self.before_request_funcs = {k: v for k, v in saved.items() if k != blueprints[-1]}
        try:
            return (yield from super().preprocess_request())
        finally:
            self.before_request_funcs = saved


class OnlyFirstTeardownHandedTheException(Mutant):
    """The first teardown-request hook to run is handed the unhandled exception,
    the later ones None."""

    breaks = frozenset({"errors.teardown.every-hook-receives-unhandled-exception"})

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        handed = exc
        for scope in (*_request_ctx.get().request.blueprints, None):
            for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                yield from invoke(teardown, handed)
                handed = None
        yield from self.send_signal(signals.request_tearing_down, exc=exc)


class ErrorHandlerMroOneLevelUp(Mutant):
    """Error handlers by class are looked up for the exception's class and its
    direct base only, not further up its MRO."""

    breaks = frozenset(
        {
            # AppError does not catch MissingUserError, two levels below it
            "errors.handler.by-class-mro",
            # HTTPException is two levels above a 403's class (Forbidden)
            "errors.http-base.handles-every-http-error",
            # Exception is three levels above an HTTP error's class (NotFound, HTTPException)
            "errors.handler.generic-exception-catches-http-errors",
            # the blueprint's AppError handler is not found: the app's exact one is used
            "blueprints.errors.scope-before-class-nearness",
        }
    )

    def find_error_handler(self, exc: BaseException) -> Any:
        code = exc.code if isinstance(exc, HTTPException) else None
        scopes = (*_request_ctx.get().request.blueprints, None)
        for key in (code, None) if code is not None else (None,):
            for scope in scopes:
                handlers = self.error_handlers.get(scope, {}).get(key, {})
                for cls in type(exc).__mro__[:2]:
                    if cls in handlers:
                        return handlers[cls]
        return None


class ErrorHandlersNearestClassBeforeScope(Mutant):
    """Error handlers by class are looked up class by class along the MRO, each
    class in every scope (innermost blueprint to app) before the next class: the
    app's handler for the exact class beats the blueprint's for a base class."""

    breaks = frozenset({"blueprints.errors.scope-before-class-nearness"})

    def find_error_handler(self, exc: BaseException) -> Any:
        code = exc.code if isinstance(exc, HTTPException) else None
        scopes = (*_request_ctx.get().request.blueprints, None)
        for key in (code, None) if code is not None else (None,):
            for cls in type(exc).__mro__:
                for scope in scopes:
                    handlers = self.error_handlers.get(scope, {}).get(key, {})
                    if cls in handlers:
                        return handlers[cls]
        return None


class ErrorHandlerAlsoForBaseClasses(Mutant):
    """A handler registered for a class also takes exceptions of its base
    classes, when no handler along the exception's own MRO matched."""

    breaks = frozenset({"errors.handler.not-for-base-class"})

    def find_error_handler(self, exc: BaseException) -> Any:
        found = super().find_error_handler(exc)
        # Not for Exception itself: every class would be a subclass of it.
        if found is not None or isinstance(exc, HTTPException) or type(exc) is Exception:
            return found
        for scope in (*_request_ctx.get().request.blueprints, None):
            for cls, handler in self.error_handlers.get(scope, {}).get(None, {}).items():
                if issubclass(cls, type(exc)):
                    return handler
        return None


class GlobalsClearedAfterAnAfterHookRaised(Mutant):
    """When an after-request hook raises, ``g`` is emptied before the 500 is
    made, so the teardown hooks find nothing set before the failure."""

    breaks = frozenset({"context.g.kept-on-every-path"})

    def process_response(self, response: Response) -> Steps[Response]:
        try:
            return (yield from super().process_response(response))
        except Exception:
            vars(_app_ctx.get().g).clear()
            raise


class OnlyFirstAppTeardownHandedTheException(Mutant):
    """The first teardown-appcontext hook to run is handed the unhandled
    exception, the later ones None."""

    breaks = frozenset({"errors.teardown-appcontext.every-hook-receives-unhandled-exception"})

    def do_teardown_appcontext(self, exc: BaseException | None) -> Steps[None]:
        handed = exc
        for teardown in reversed(self.teardown_appcontext_funcs):
            yield from invoke(teardown, handed)
            handed = None
        yield from self.send_signal(signals.appcontext_tearing_down, exc=exc)


class ErrorHandlerGivenAFreshG(Mutant):
    """An error handler taking an exception by class runs with a new, empty
    ``g``, which the rest of the request then keeps."""

    breaks = frozenset(
        {
            "errors.handler.exception-state-kept",
            # the value a before-request hook set is gone from then on
            "context.g.kept-on-every-path",
            "context.g.kept-until-teardown-appcontext",
            "context.g.shared-within-a-request",
        }
    )

    def handle_user_exception(self, exc: Exception) -> Steps[Any]:
        if not isinstance(exc, HTTPException) and self.find_error_handler(exc) is not None:
            vars(_app_ctx.get().g).clear()
        return (yield from super().handle_user_exception(exc))


class RequestContextGoneInTeardownAfterAnError(Mutant):
    """When the request ended in an unhandled exception, the teardown-request
    hooks run with the request context already left."""

    breaks = frozenset({"context.request.active-in-teardown-on-every-path"})

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        if exc is None:
            return (yield from super().do_teardown_request(exc))
        scopes = (*_request_ctx.get().request.blueprints, None)
        token = _request_ctx.set(None)  # type: ignore[arg-type]  # the bug: no request context
        try:
            for scope in scopes:
                for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                    yield from invoke(teardown, exc)
        finally:
            _request_ctx.reset(token)
        yield from self.send_signal(signals.request_tearing_down, exc=exc)
        return None
