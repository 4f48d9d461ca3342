"""Litestar's route handlers for the adapter: a handler function for a route, or a Controller
(Litestar's class-based views) grouping handler methods.  Each declares what Litestar hands
it (the request and the path parameters) and the type it returns, as Litestar requires."""

from __future__ import annotations

import inspect
import itertools
import re
import types
from collections.abc import AsyncGenerator, Iterator
from typing import Annotated, Any

from litestar import Controller, Request, Response, route
from litestar.params import Parameter

from conformance import kit

_ANNOTATIONS: dict[str, Any] = {"str": str, "bytes": bytes, "dict": dict, "list": list,
    "tuple": tuple, "none": None, "int": int, "generator": AsyncGenerator[str, None],
    "bytearray": bytearray, "iterator": Iterator[str], "typed_json": dict}  # fmt: skip


def view(r: kit.Route, kw: dict[str, Any]) -> Any:
    """A route handler for ``r``, or a Controller for a class-based view: Litestar's, which
    groups handler methods under a path; it makes one instance, when the app is made."""
    if r.view_class == "function":
        return handler(r, r.endpoint, r.methods, kw, owned=False)
    serial = itertools.count(1)

    def init(self: Any, owner: Any) -> None:
        Controller.__init__(self, owner)
        self.conformance_serial = next(serial)  # probe view.instance

    namespace: dict[str, Any] = {"path": "/", "__init__": init}
    # One handler method per method (endpoint.get...), each named after its method: Litestar
    # registers a Controller's handlers sorted by str(handler), the qualified name.
    for m in r.methods if r.view_class == "method_view" else ():
        namespace[m.lower()] = handler(r, f"{r.endpoint}.{m.lower()}", [m], kw, owned=True)
        namespace[m.lower()].fn.__qualname__ = f"{r.endpoint}_view.{m.lower()}"
    if r.view_class == "view":  # one for every method it lists
        namespace["dispatch"] = handler(r, r.endpoint, r.methods, kw, owned=True)
    return types.new_class(
        f"{r.endpoint}_view", (Controller,), exec_body=lambda ns: ns.update(namespace)
    )


def handler(r: kit.Route, hid: str, methods: Any, kw: dict[str, Any], *, owned: bool) -> Any:
    """A route handler doing ``r.does`` as ``hid``: its signature names the request and the
    path parameters (Litestar hands a handler what it declares), and the type it returns, as
    Litestar requires; a Controller's method is handed the instance first."""
    common = {"hook": hid, "stage": "view", **kw}

    def given(args: tuple[Any, ...], params: dict[str, Any]) -> dict[str, Any]:
        n = args[0].conformance_serial if owned else None
        return {"request": params.pop("request"), "view": {"kwargs": params, "instance": n}}

    def plain(*args: Any, **params: Any) -> Any:
        return kit.perform(r.does, **common, **given(args, params))

    async def coroutine(*args: Any, **params: Any) -> Any:
        return await kit.aperform(r.does, **common, **given(args, params))

    fn: Any = plain if r.mode == "sync" else coroutine
    path_parameter = Annotated[str, Parameter()]  # the style Litestar 2.25 asks for
    names = {"request": Request[Any, Any, Any], **dict.fromkeys(re.findall(r"{(\w+)}", r.path),
                                                                path_parameter)}  # fmt: skip
    returns = _ANNOTATIONS.get(r.does.returns.form if r.does.returns else "none", Response)
    P = inspect.Parameter
    own = [P("self", P.POSITIONAL_ONLY)] if owned else []
    fn.__signature__ = inspect.Signature(
        own + [P(n, P.KEYWORD_ONLY, annotation=t) for n, t in names.items()],
        return_annotation=returns,
    )
    fn.__annotations__ = {**names, "return": returns}
    path = kit.route_path(r.path, lambda name: f"{{{name}:str}}")
    # Litestar defaults DELETE to 204, which refuses a body: 200, as for GET.  A plain function
    # runs on the event loop, Litestar's default, stated to keep it from warning.
    options: dict[str, Any] = {"status_code": 200 if "DELETE" in methods else None}
    if r.mode == "sync":
        options["sync_to_thread"] = False
    return route(path, http_method=list(methods), name=hid, **options)(fn)
