"""Mutants of class-based views."""

from __future__ import annotations

from typing import Any

from reference_impl._setup import View
from tests.mutants import Mutant


class ViewMethodsIgnored(Mutant):
    """A route added without methods accepts GET only: the methods a class-based view
    lists or defines are not read."""

    breaks = frozenset(
        {
            "views.view.methods-attribute",
            "views.method-view.methods-derived",
            "views.method-view.dispatch-by-method",
        }
    )

    def add_url_rule(
        self, rule: str, endpoint: str, view_func: View, methods: Any = None, **options: Any
    ) -> None:
        super().add_url_rule(rule, endpoint, view_func, methods or ("GET",), **options)


class ViewInstanceMadeOnce(Mutant):
    """When a class-based view's route is added, one instance is made and its
    dispatch_request routed to directly: init_every_request and the class's decorators
    are not read."""

    breaks = frozenset(
        {"views.init-every-request.new-instance-by-default", "views.decorators.last-outermost"}
    )

    def add_url_rule(
        self, rule: str, endpoint: str, view_func: View, methods: Any = None, **options: Any
    ) -> None:
        view_class = getattr(view_func, "view_class", None)
        if view_class is not None:
            methods = methods or view_class.methods
            view_func = view_class().dispatch_request
        super().add_url_rule(rule, endpoint, view_func, methods, **options)
