"""Application and request contexts, held in context variables.

An application context carries ``current_app`` and ``g``; a request context
carries ``request`` and ``session`` and pushes an application context beneath
it.  Both live in :mod:`contextvars`, so threads and tasks never see each
other's.  The proxies fail with a one-line RuntimeError outside their context.
"""

from __future__ import annotations

import contextvars
from typing import TYPE_CHECKING, Any

from werkzeug.local import LocalProxy

if TYPE_CHECKING:
    from ._app import App, Request
    from ._sessions import Session


class Globals:
    """``g``: a plain namespace, new for every application context."""

    def get(self, name: str, default: Any = None) -> Any:
        return self.__dict__.get(name, default)

    def __contains__(self, name: str) -> bool:
        return name in self.__dict__

    def __repr__(self) -> str:
        return f"<g {self.__dict__!r}>"


class AppContext:
    def __init__(self, app: App) -> None:
        self.app = app
        self.g = app.make_globals()
        self._tokens: list[contextvars.Token[AppContext]] = []

    def push(self) -> None:
        self._tokens.append(_app_ctx.set(self))

    def pop(self, exc: BaseException | None) -> None:
        """Run the app-context teardown functions, then leave the context."""
        try:
            self.app.do_teardown_appcontext(exc)
        finally:
            _app_ctx.reset(self._tokens.pop())


class RequestContext:
    def __init__(self, app: App, request: Request) -> None:
        self.app = app
        self.request = request
        self.session: Session | None = None
        self.after_request_functions: list[Any] = []
        self._app_ctx: AppContext | None = None
        self._token: contextvars.Token[RequestContext] | None = None

    def push(self) -> None:
        """Enter the app context (a fresh one, so ``g`` is fresh), then the
        request context; match the URL and open the session."""
        self._app_ctx = AppContext(self.app)
        self._app_ctx.push()
        self._token = _request_ctx.set(self)
        self.app.match_request(self.request)
        self.session = self.app.open_session(self.request)

    def pop(self, exc: BaseException | None) -> None:
        """Run the request teardown functions, leave the request context, then
        pop the app context (which runs the app-context teardowns)."""
        try:
            self.app.do_teardown_request(exc)
        finally:
            assert self._token is not None
            assert self._app_ctx is not None
            _request_ctx.reset(self._token)
            self._app_ctx.pop(exc)


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
session: Session = LocalProxy(  # type: ignore[assignment]
    _request_ctx, "session", unbound_message=_NO_REQUEST
)


def has_app_context() -> bool:
    return _app_ctx.get(None) is not None


def has_request_context() -> bool:
    return _request_ctx.get(None) is not None


def request_context() -> RequestContext:
    try:
        return _request_ctx.get()
    except LookupError:
        raise RuntimeError(_NO_REQUEST) from None


def after_this_request(func: Any) -> Any:
    """Run ``func(response)`` after this request, before the after-request hooks."""
    request_context().after_request_functions.append(func)
    return func
