"""The IO-free core's one link to user code, and its two drivers.

Every lifecycle step that calls user code (a hook, a view, an error handler,
a signal receiver) is a generator: instead of calling the function, it yields
an ``Invoke`` and receives the result (or has the exception thrown in).  A
*driver* answers the yields:

* ``run`` for the WSGI face: calls the function; an ``async def`` one runs
  in an event loop started for it in another thread, as Flask runs it;
* ``run_async`` for the ASGI face: calls it and awaits the result if it is
  awaitable, so hooks and views may be ``async def``.

So the lifecycle is written once (``App``'s methods) and both faces share it.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from . import _execution

T = TypeVar("T")


@dataclass(frozen=True)
class Invoke:
    """A request to the driver: call ``func(*args, **kwargs)``."""

    func: Callable[..., Any]
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)


Steps = Generator[Invoke, Any, T]
"""A lifecycle step: yields Invoke requests, returns its result."""


def invoke(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Steps[Any]:
    """Call user code from a step: ``rv = yield from invoke(hook, response)``."""
    result = yield Invoke(func, args, kwargs)
    return result


def run(steps: Steps[T]) -> T:
    """Drive ``steps`` synchronously (the WSGI face)."""
    try:
        request = next(steps)
        while True:
            try:
                result = request.func(*request.args, **request.kwargs)
                if inspect.isawaitable(result):
                    # async def user code: in an event loop of its own, in another thread
                    result = _execution.wait_for(result)
            except Exception as exc:
                request = steps.throw(exc)
            else:
                request = steps.send(result)
    except StopIteration as done:
        value: T = done.value
        return value


async def run_async(steps: Steps[T]) -> T:
    """Drive ``steps`` in an event loop (the ASGI face), awaiting async user code."""
    try:
        request = next(steps)
        while True:
            try:
                result = request.func(*request.args, **request.kwargs)
                if inspect.isawaitable(result):
                    result = await result
            except Exception as exc:
                request = steps.throw(exc)
            else:
                request = steps.send(result)
    except StopIteration as done:
        value: T = done.value
        return value
