"""Mutants of the wrapping-middleware area: how the reference framework
composes its middleware around its server faces."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import HTTPException

from tests.mutants import Mutant


class MiddlewareLastAddedOutermost(Mutant):
    """Middleware is composed the wrong way round: the last added is outermost,
    so the first added enters last and exits first (and an inner layer's early
    answer or replaced response is what an outer layer never sees)."""

    breaks = frozenset(
        {
            "wrap.order.first-added-outermost",
            "wrap.answer.skips-inner-layers",
            "wrap.exit.replaces-response",
        }
    )

    def wrap_face(self, face: Any) -> Any:
        for factory in self.middleware:
            face = factory(face)
        return face


class MiddlewareOnlyForRoutedRequests(Mutant):
    """Middleware wraps only requests that match a route: one the router refuses
    (404, 405) is answered without passing through any middleware."""

    breaks = frozenset({"wrap.exit.handed-routing-error-response"})

    def __call__(self, *args: Any) -> Any:
        environ = args[0]
        try:
            self.url_map.bind_to_environ(environ).match()
        except HTTPException:
            return self.wsgi_app(*args)
        return super().__call__(*args)
