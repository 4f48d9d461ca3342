"""Application and request contexts, held in context variables.

An application context carries ``current_app`` and ``g``; a request context
carries ``request`` and ``session`` and pushes an application context beneath
it.  Both live in :mod:`contextvars`, so threads and tasks never see each
other's.  The proxies fail with a one-line RuntimeError outside their context.

A request context can be pushed more than once (``stream_with_context`` does
so to outlive the view); it is torn down when its last push is popped.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote

from werkzeug.local import LocalProxy

from . import _signals as signals
from ._core import Steps, run, run_async

if TYPE_CHECKING:
    from werkzeug.routing import MapAdapter

    from ._app import App, Request
    from ._sessions import Session

F = TypeVar("F", bound=Callable[..., Any])

# A test client's ``with`` block: the environ (or scope) key of the function
# a request's context is handed to once it has ended.
PRESERVE_KEY = "reference_impl.preserve_context"


class Globals:
    """``g``: a plain namespace, new for every application context."""

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__

    # urls: the rest of g as an object

    def pop(self, name: str, *default: Any) -> Any:
        """Remove ``name`` and return its value; ``default`` if it is not set
        (KeyError without one)."""
        return self.__dict__.pop(name, *default)

    def setdefault(self, name: str, default: Any = None) -> Any:
        """The value of ``name``, set to ``default`` first if it is not set."""
        return self.__dict__.setdefault(name, default)

    def __iter__(self) -> Iterator[str]:
        """The names set on g."""
        return iter(self.__dict__)

    def __repr__(self) -> str:
        return f"<g {self.__dict__!r}>"


class AppContext:
    def __init__(self, app: App) -> None:
        self.app = app
        self.g = app.make_globals()
        self._tokens: list[contextvars.Token[AppContext]] = []

    def push(self) -> Steps[None]:
        """Enter the context; signal appcontext_pushed."""
        self._tokens.append(_app_ctx.set(self))
        yield from self.app.send_signal(signals.appcontext_pushed)

    def pop(self, exc: BaseException | None) -> Steps[None]:
        """Run the app-context teardown functions, leave the context, then
        signal appcontext_popped."""
        try:
            if len(self._tokens) == 1:
                yield from self.app.do_teardown_appcontext(exc)
        finally:
            _app_ctx.reset(self._tokens.pop())
        yield from self.app.send_signal(signals.appcontext_popped)


class RequestContext:
    """The context of one request.  ``push`` and ``pop`` are lifecycle steps
    (they run user code: signals, teardowns); ``with ctx:`` and
    ``async with ctx:`` drive them for code outside the lifecycle."""

    def __init__(self, app: App, request: Request, session: Session | None = None) -> None:
        self.app = app
        self.request = request
        self.session = session
        self.url_adapter: MapAdapter | None = None
        self.after_request_functions: list[Any] = []
        self._app_ctx: AppContext | None = None
        self._tokens: list[contextvars.Token[RequestContext]] = []

    def copy(self) -> RequestContext:
        """A context for the same request and session, to push elsewhere."""
        return RequestContext(self.app, self.request, self.session)

    def push(self) -> Steps[None]:
        """Enter the request context.  The first push also enters a fresh app
        context (so ``g`` is fresh), unless the test pushed one for this app
        (then the request uses it), matches the URL and opens the session."""
        first = not self._tokens
        if first:
            current = _app_ctx.get(None)
            if current is not None and self.app.joins_app_context(current):
                self._app_ctx = None  # the test's: it is popped by the test
            else:
                self._app_ctx = AppContext(self.app)
                yield from self._app_ctx.push()
        self._tokens.append(_request_ctx.set(self))
        if first:
            self.url_adapter = self.app.match_request(self.request)
            if self.session is None:
                self.session = self.app.open_session(self.request)

    def pop(self, exc: BaseException | None = None) -> Steps[None]:
        """Leave the request context.  When this ends its last push: run the
        request teardowns first, then pop the app context (which runs the
        app-context teardowns)."""
        last = len(self._tokens) == 1
        try:
            if last:
                yield from self.app.do_teardown_request(exc)
        finally:
            _request_ctx.reset(self._tokens.pop())
            if last and self._app_ctx is not None:
                yield from self._app_ctx.pop(exc)

    def repush(self) -> Steps[None]:
        """Enter this ended context again, with its own application context
        (the same ``g``): what the test client preserves after a response
        inside its ``with`` block.  Popping it runs the teardowns again."""
        if self._app_ctx is not None:
            yield from self._app_ctx.push()
        self._tokens.append(_request_ctx.set(self))

    def __enter__(self) -> RequestContext:
        run(self.push())
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        run(self.pop(exc))

    async def __aenter__(self) -> RequestContext:
        await run_async(self.push())
        return self

    async def __aexit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        await run_async(self.pop(exc))


class PushedAppContext:
    """``app.app_context()``: an application context the test pushes, with
    ``with`` or ``async with``; requests handled inside it use it."""

    def __init__(self, app: App) -> None:
        self.ctx = AppContext(app)

    def __enter__(self) -> PushedAppContext:
        run(self.ctx.push())
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        run(self.ctx.pop(exc))

    async def __aenter__(self) -> PushedAppContext:
        await run_async(self.ctx.push())
        return self

    async def __aexit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        await run_async(self.ctx.pop(exc))


_app_ctx: contextvars.ContextVar[AppContext] = contextvars.ContextVar("reference_impl.app_ctx")
_request_ctx: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "reference_impl.request_ctx"
)

_NO_APP = (
    "current_app and g are only available inside an application context, that is"
    " while a request is handled (in a view, hook or error handler)"
)
_NO_REQUEST = (
    "request and session are only available while a request is handled"
    " (in a view, hook or error handler)"
)

current_app: App = LocalProxy(_app_ctx, "app", unbound_message=_NO_APP)  # type: ignore[assignment]
g: Globals = LocalProxy(_app_ctx, "g", unbound_message=_NO_APP)  # type: ignore[assignment]
request: Request = LocalProxy(  # type: ignore[assignment]
    _request_ctx, "request", unbound_message=_NO_REQUEST
)


def _used_session() -> Session:
    """The request's session, marked as used: any use of the proxy, even only
    to look at its keys, makes the response vary on Cookie."""
    current = request_context().session
    assert current is not None, "the session is opened when the request context is pushed"
    current.accessed = True
    return current


session: Session = LocalProxy(_used_session)  # type: ignore[assignment]


def has_app_context() -> bool:
    return _app_ctx.get(None) is not None


def has_request_context() -> bool:
    return _request_ctx.get(None) is not None


def request_context() -> RequestContext:
    try:
        return _request_ctx.get()
    except LookupError:
        raise RuntimeError(_NO_REQUEST) from None


def after_this_request(func: F) -> F:
    """Run ``func(response)`` after this request, before the after-request hooks."""
    request_context().after_request_functions.append(func)
    return func


def copy_current_request_context(func: F) -> F:
    """Wrap ``func`` so that, called anywhere (another thread or task), it
    runs inside a copy of the current request context: same request and
    session, and a fresh application context.  ``func`` may be async."""
    ctx = request_context().copy()

    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            async with ctx:
                return await func(*args, **kwargs)

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with ctx:
            return func(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def stream_with_context(chunks: Iterator[Any] | AsyncIterator[Any]) -> Any:
    """Keep the request context active while ``chunks`` is iterated, which
    happens after the view has returned; the request is torn down when the
    stream ends rather than when the response is handed to the server.

    The context is pushed once more now, while the view runs, so the pop
    that follows the view is not the last one; the stream pops it at its end.
    ``chunks`` may be an async iterator (served by the ASGI face)."""
    ctx = request_context()
    run(ctx.push())  # not the first push: no user code runs

    if isinstance(chunks, AsyncIterator):
        source = chunks

        async def astream() -> AsyncIterator[Any]:
            try:
                async for chunk in source:
                    yield chunk
            finally:
                await run_async(ctx.pop())

        return astream()

    def stream() -> Iterator[Any]:
        try:
            yield from chunks
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()
            run(ctx.pop())

    return stream()


def url_for(
    endpoint: str,
    *,
    _external: bool = False,
    _anchor: str | None = None,
    _method: str | None = None,
    **values: Any,
) -> str:
    """The path of ``endpoint`` with ``values`` (those its rule does not take
    go in the query string), built with the request's URL adapter after the
    url-defaults functions have filled ``values``: with ``_external``, the
    absolute URL on the request's scheme and host; ``_method``, only a rule
    for that method; ``_anchor`` appended after '#'.  Outside a request, in
    an application context, it builds for the app's SERVER_NAME (scheme
    http, at the root), and without one there is no server to build for."""
    ctx = _request_ctx.get(None)
    adapter = None if ctx is None else ctx.url_adapter
    app = None if ctx is None else ctx.app
    if adapter is None and ctx is None and has_app_context():
        app = _app_ctx.get().app
        adapter = app.url_adapter_outside_request()
    if adapter is None or app is None:
        raise RuntimeError(
            "url_for needs an active request, or SERVER_NAME configured, to know the server;"
            " call it while a request is handled"
        )
    run(app.inject_url_defaults(endpoint, values))
    url = adapter.build(endpoint, values, method=_method, force_external=_external)
    if _anchor is not None:
        url += "#" + quote(_anchor, safe="%!#$&'()*+,/:;=?@")
    return url
