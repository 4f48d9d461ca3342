"""Mutants of URL building, of url-value preprocessing and of g as an object."""

from __future__ import annotations

from typing import Any

from reference_impl import _execution
from reference_impl._context import Globals, _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class UrlDefaultsOfTheRequestsBlueprints(Mutant):
    """url_for runs the url-defaults functions of the blueprints of the request being
    handled, not of the endpoint being built."""

    breaks = frozenset(
        {
            "urls.url-defaults.blueprint-endpoints-only",
            # built from the app's view at /: the blueprints' functions never run
            "urls.url-defaults.app-then-outer-then-inner",
            # outside a request there is no request to read: url_for raises LookupError
            "context.url-for.server-name-outside-request",
        }
    )

    def inject_url_defaults(self, endpoint: str, values: dict[str, Any]) -> Steps[None]:
        for scope in (None, *reversed(_request_ctx.get().request.blueprints)):
            for default in self.url_default_functions.get(scope, []):
                yield from invoke(default, endpoint, values)


class UrlDefaultsInnermostFirst(Mutant):
    """For an endpoint of a nested blueprint, the url-defaults functions run from the
    innermost blueprint out to the app."""

    breaks = frozenset({"urls.url-defaults.app-then-outer-then-inner"})

    def inject_url_defaults(self, endpoint: str, values: dict[str, Any]) -> Steps[None]:
        name = endpoint.rpartition(".")[0]
        parts = name.split(".") if name else []
        for scope in (*(".".join(parts[:n]) for n in range(len(parts), 0, -1)), None):
            for default in self.url_default_functions.get(scope, []):
                yield from invoke(default, endpoint, values)


class PreprocessorsHandedACopy(Mutant):
    """The url-value preprocessors are handed a copy of the URL values: what they pop
    stays in request.view_args and is passed to the view."""

    breaks = frozenset(
        {
            "urls.preprocessor.popped-value-not-passed",
            "urls.preprocessor.popped-value-gone-from-view-args",
        }
    )

    def preprocess_request(self) -> Steps[Any]:
        request = _request_ctx.get().request
        for scope in (None, *reversed(request.blueprints)):
            for preprocess in self.url_value_preprocessors.get(scope, []):
                # called, not awaited, as the reference does
                _execution.discard(preprocess(request.endpoint, dict(request.view_args or {})))
        for scope in (None, *reversed(request.blueprints)):
            for before in self.before_request_funcs.get(scope, []):
                rv = yield from invoke(before)
                if rv is not None:
                    return rv
        return None


class _KeepingGlobals(Globals):
    def pop(self, name: str, *default: Any) -> Any:
        return self.__dict__.get(name, *default) if default else self.__dict__[name]


class GPopKeepsTheValue(Mutant):
    """g.pop returns the value but leaves it set on g."""

    breaks = frozenset({"urls.g.pop-removes"})

    def make_globals(self) -> Globals:
        return _KeepingGlobals()
