"""Sanic's class-based views for the adapter: HTTPMethodView classes, with the decorators a
class lists."""

from __future__ import annotations

import inspect
import itertools
import types
from collections.abc import Callable
from typing import Any

from sanic import Request
from sanic.views import HTTPMethodView

from conformance import kit


def view_class(r: kit.Route, function: Callable[..., Any]) -> Any:
    """urls: an HTTPMethodView, its methods what its route accepts: the one function (a View) or
    each its own (a MethodView: endpoint.get...); as_view makes a (numbered) instance a request."""
    serial = itertools.count(1)
    one = function(r.does, r.endpoint, "view", r.mode)
    namespace: dict[str, Any] = {
        "__init__": lambda self: setattr(self, "conformance_serial", next(serial)),
        "decorators": [decorator_of(d, function) for d in r.decorators],
    }
    for method in (m.lower() for m in r.methods):
        namespace[method] = one if r.view_class == "view" else function(
            r.does, f"{r.endpoint}.{method}", "view", r.mode)  # fmt: skip
    cls: Any = types.new_class(f"{r.endpoint}_view", (HTTPMethodView,),
                               exec_body=lambda ns: ns.update(namespace))  # fmt: skip
    return cls.as_view()


def decorator_of(did: str, function: Callable[..., Any]) -> Callable[[Any], Any]:
    """urls: a decorator a view class lists: records its event, then calls the view it wraps."""
    record = function(kit.Behaviour(), did, "view_decorator", "sync")

    def decorator(view: Any) -> Any:
        async def decorated(request: Request, **kwargs: Any) -> Any:
            record(request)
            answer = view(request, **kwargs)  # a coroutine for an async def method
            return await answer if inspect.isawaitable(answer) else answer

        return decorated

    return decorator
