"""Mutants of the blueprints area: hook order across nesting, error-handler scopes."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException

from reference_impl import _signals as signals
from reference_impl._context import _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class BeforeHooksInnermostBlueprintFirst(Mutant):
    """Before-request hooks (and URL value preprocessors) of nested blueprints run
    innermost first, after the app's, as in Flask 2.0.0 and 2.0.1."""

    breaks = frozenset(
        {
            "blueprints.before.outer-first",
            "blueprints.url-value-preprocessor.outer-first",
            "urls.preprocessor.registration-order-at-every-level",  # urls: the same order
        }
    )

    def preprocess_request(self) -> Steps[Any]:
        request = _request_ctx.get().request
        scopes = (None, *request.blueprints)
        for scope in scopes:
            for preprocess in self.url_value_preprocessors.get(scope, []):
                preprocess(request.endpoint, request.view_args)  # called, not awaited
        for scope in scopes:
            for before in self.before_request_funcs.get(scope, []):
                rv = yield from invoke(before)
                if rv is not None:
                    return rv
        return None


class TeardownAppHooksFirst(Mutant):
    """The app's teardown hooks run before the blueprints' instead of after them,
    as in Flask 2.0.0 and 2.0.1."""

    breaks = frozenset({"blueprints.teardown.innermost-first"})

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        blueprints = _request_ctx.get().request.blueprints
        for scope in (None, *blueprints):
            for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                yield from invoke(teardown, exc)
        yield from self.send_signal(signals.request_tearing_down, exc=exc)


class ErrorHandlersAppBeforeBlueprints(Mutant):
    """Error handlers are looked up on the app before the route's blueprints, so a
    blueprint's handler is used only for errors the app has no handler for."""

    breaks = frozenset(
        {
            "blueprints.errors.own-handler-first",
            "blueprints.errors.falls-back-outward",
            # area depth: the app's handler for the exact class beats the blueprint's for a base
            "blueprints.errors.scope-before-class-nearness",
        }
    )

    def find_error_handler(self, exc: BaseException) -> Any:
        code = exc.code if isinstance(exc, HTTPException) else None
        blueprints = _request_ctx.get().request.blueprints
        for key in (code, None) if code is not None else (None,):
            for scope in (None, *reversed(blueprints)):
                handlers = self.error_handlers.get(scope, {}).get(key, {})
                for cls in type(exc).__mro__:
                    if cls in handlers:
                        return handlers[cls]
        return None


class ErrorHandlersScopeBeforeStatusCode(Mutant):
    """Each scope's handlers, by status code and then by class, are all tried before
    the next scope's, so a blueprint's handler for a class beats the app's handler
    for the status code."""

    breaks = frozenset({"blueprints.errors.status-code-before-blueprint-class"})

    def find_error_handler(self, exc: BaseException) -> Any:
        code = exc.code if isinstance(exc, HTTPException) else None
        for scope in (*_request_ctx.get().request.blueprints, None):
            for key in (code, None) if code is not None else (None,):
                handlers = self.error_handlers.get(scope, {}).get(key, {})
                for cls in type(exc).__mro__:
                    if cls in handlers:
                        return handlers[cls]
        return None


# -- one blueprint registered twice --


class SameNameRegisteredAgain(Mutant):
    """A blueprint registered a second time under the name it already has is
    mounted again, without an error, as Flask 2.0 did."""

    breaks = frozenset({"blueprints.registered-twice.same-name-refused"})

    def register_blueprint(
        self, blueprint: Any, *, url_prefix: str | None = None, name: str | None = None
    ) -> None:
        self.blueprints.pop(blueprint.name if name is None else name, None)
        super().register_blueprint(blueprint, url_prefix=url_prefix, name=name)


class RegistrationNameIgnored(Mutant):
    """``register_blueprint`` ignores ``name=``: a second registration under
    another name is refused as a second one under the blueprint's own."""

    breaks = frozenset(
        {
            "blueprints.registered-twice.other-name-endpoints",
            "blueprints.registered-twice.other-name-hooks",
        }
    )

    def register_blueprint(
        self, blueprint: Any, *, url_prefix: str | None = None, name: str | None = None
    ) -> None:
        super().register_blueprint(blueprint, url_prefix=url_prefix)
