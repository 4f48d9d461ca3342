"""Mutants of execution: how async def user code is run, and which calls
are awaited."""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Iterable
from typing import Any

from reference_impl._context import Globals, RequestContext, _request_ctx
from reference_impl._core import Steps, T, invoke
from tests.mutants import Mutant


class UrlValuePreprocessorsAwaited(Mutant):
    """The ASGI face awaits async def URL value preprocessors like any other
    hook, so their bodies run before the before-request hooks."""

    face = "asgi"
    breaks = frozenset({"execution.async.url-value-preprocessor-never-awaited"})

    def preprocess_request(self) -> Steps[Any]:
        request = _request_ctx.get().request
        for scope in (None, *reversed(request.blueprints)):
            for preprocess in self.url_value_preprocessors.get(scope, []):
                yield from invoke(preprocess, request.endpoint, request.view_args)
        # the rest as the reference does it, with no preprocessor left to call
        saved, self.url_value_preprocessors = self.url_value_preprocessors, {}
        try:
            return (yield from super().preprocess_request())
        finally:
            self.url_value_preprocessors = saved


class AsyncCodeRunWithoutTheContext(Mutant):
    """The WSGI face runs async def user code in an event loop in another
    thread, but in an empty context instead of a copy of the caller's: the
    request and application contexts are not active there."""

    breaks = frozenset(
        {
            "execution.async.sees-the-request",
            # an async view cannot set g without an application context
            "execution.mixed.g-shared-across-kinds",
            "execution.task.sees-the-request",
        }
    )

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        from reference_impl._app import Request

        ctx = RequestContext(self, Request(environ))
        app_iter: Iterable[bytes] = _run_without_context(
            self.handle_request(ctx, lambda response: response(environ, start_response))
        )
        return app_iter


def _run_without_context(steps: Steps[T]) -> T:
    """``reference_impl._core.run`` with the bug: a fresh thread's empty context."""
    try:
        request = next(steps)
        while True:
            try:
                result = request.func(*request.args, **request.kwargs)
                if inspect.isawaitable(result):
                    result = _in_a_bare_thread(result)
            except Exception as exc:
                request = steps.throw(exc)
            else:
                request = steps.send(result)
    except StopIteration as done:
        value: T = done.value
        return value


def _in_a_bare_thread(awaitable: Any) -> Any:
    outcome: dict[str, Any] = {}

    async def main() -> Any:
        return await awaitable

    def run() -> None:
        try:
            outcome["result"] = asyncio.run(main())
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# -- contexts: what each copy of the context carries --


class GKeptPerThread(Mutant):
    """``g`` keeps its names per thread, as thread-local storage did before
    context variables: code of the same request running in another thread,
    even in a copy of its context variables, finds g empty there."""

    breaks = frozenset(
        {
            "execution.contextvars-thread.sees-g",
            # the WSGI face runs async def code in another thread
            "execution.async.sees-the-request",
            "execution.mixed.g-shared-across-kinds",
            "execution.task.sees-the-request",
        }
    )

    def make_globals(self) -> Globals:
        return _ThreadLocalGlobals()


class _ThreadLocalGlobals(Globals):
    """A Globals whose names are kept in a threading.local: the bug."""

    def __init__(self) -> None:
        object.__setattr__(self, "_local", threading.local())

    @property
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        local = object.__getattribute__(self, "_local")
        if not hasattr(local, "names"):
            local.names = {}
        names: dict[str, Any] = local.names
        return names

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self.__dict__[name] = value

    def __delattr__(self, name: str) -> None:
        del self.__dict__[name]
