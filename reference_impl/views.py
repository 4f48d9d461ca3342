"""urls: class-based views, as Flask's ``flask.views`` has them.

``View.as_view(name)`` makes the view function a route is given: each call
makes a new instance (or, with ``init_every_request = False``, uses the one
made by ``as_view``) and returns its ``dispatch_request(**url_values)``.
``decorators`` wrap that function in list order, so the last is outermost.
A ``MethodView`` answers with its method named after the request's (``get``,
``post``...; ``get`` for a HEAD it has no ``head`` for), and the methods its
route accepts are the ones it defines.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, ClassVar

from ._context import request

HTTP_METHODS = ("get", "post", "head", "options", "delete", "put", "trace", "patch")


class View:
    methods: ClassVar[Collection[str] | None] = None
    decorators: ClassVar[list[Callable[..., Any]]] = []
    init_every_request: ClassVar[bool] = True

    def dispatch_request(self, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define dispatch_request")

    @classmethod
    def as_view(cls, name: str, *args: Any, **kwargs: Any) -> Callable[..., Any]:
        """The view function for a route: the class's ``methods`` on it."""
        if cls.init_every_request:

            def view(**values: Any) -> Any:
                return cls(*args, **kwargs).dispatch_request(**values)

        else:
            instance = cls(*args, **kwargs)

            def view(**values: Any) -> Any:
                return instance.dispatch_request(**values)

        for decorator in cls.decorators:
            view = decorator(view)
        view.__name__ = name
        view.view_class = cls  # type: ignore[attr-defined]
        view.methods = cls.methods  # type: ignore[attr-defined]
        return view


class MethodView(View):
    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" not in cls.__dict__:
            defined = {m.upper() for m in HTTP_METHODS if hasattr(cls, m)}
            if defined:
                cls.methods = defined

    def dispatch_request(self, **kwargs: Any) -> Any:
        method = getattr(self, request.method.lower(), None)
        if method is None and request.method == "HEAD":
            method = getattr(self, "get", None)
        if method is None:
            raise RuntimeError(f"{type(self).__name__} has no method for {request.method!r}")
        return method(**kwargs)
