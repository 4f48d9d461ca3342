"""Adapter for Django, in process (settings.configure, no project; its Native: _native.py): a
WSGIHandler per scenario under override_settings (MIDDLEWARE, ROOT_URLCONF, the scenario's DEBUG,
DEBUG_PROPAGATE_EXCEPTIONS, SECRET_KEY), kept until the next build; mode "async" is an async def
view handler, async-only middleware or coroutine method, which Django adapts.  Both transports
drive the handler a server runs (the kit's WsgiClient in process)."""

from __future__ import annotations

import functools
import itertools
import re
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar
from unittest import mock

from django import urls  # type: ignore[import-untyped]  # Django ships no type information
from django.core import signals  # type: ignore[import-untyped]
from django.core.handlers.wsgi import WSGIHandler  # type: ignore[import-untyped]
from django.test import override_settings  # type: ignore[import-untyped]
from django.utils.decorators import async_only_middleware  # type: ignore[import-untyped]
from django.utils.deprecation import MiddlewareMixin  # type: ignore[import-untyped]
from django.views import View  # type: ignore[import-untyped]

from conformance import kit

from ._native import DjangoNative

# fmt: off
_METHODS = {"wrap": "__call__", "after": "process_response", "before": "process_request",
            "url_value_preprocessor": "process_view", "error_handler": "process_exception"}
_CONFIG = {"debug": "DEBUG", "propagate_exceptions": "DEBUG_PROPAGATE_EXCEPTIONS",
           "secret_key": "SECRET_KEY"}  # config: no secret key is SECRET_KEY=None
_UNDO: list[Callable[[], Any]] = []  # ends the settings and receivers of the last build
# fmt: on


class DjangoAdapter:
    contract = kit.CONTRACT_VERSION
    name = framework = distribution = "django"
    interface = "wsgi"
    server = "gunicorn"  # Django's deployment docs serve the WSGI handler with Gunicorn
    capabilities = kit.lacking(kit.read_lacks(Path(__file__).with_name("lacks.toml")))
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> WSGIHandler:
        native, done = DjangoNative(), [b for h in scenario.hooks for b in (h.does, h.then) if b]
        done += [r.does for r in scenario.routes]
        native.g_keys = frozenset(k for b in done for k in b.set_g)

        def run(does: kit.Behaviour, hid: str, stage: str, mode: str | None, **kw: Any) -> Any:
            perform = kit.aperform if mode == "async" else kit.perform  # a coroutine, awaited
            return perform(does, hook=hid, stage=stage, recorder=recorder, native=native, **kw)

        urlconf = types.ModuleType(f"lifecycle_conformance_django_{id(scenario)}")
        urlconf.urlpatterns = [_route(r, run) for r in scenario.routes]  # type: ignore[attr-defined]
        for h in (h for h in scenario.hooks if h.handles in (400, 403, 404, 500)):
            setattr(urlconf, f"handler{h.handles}", _function(run, h, _handed))
        # wrap outermost, sessions, APPEND_SLASH, after above before (sees what before answers)
        layers = [h for s in _METHODS for h in scenario.hooks
                  if h.stage == s and not isinstance(h.handles, int)]  # fmt: skip
        paths = [f"{urlconf.__name__}.m{n}" for n in range(len(layers))]
        vars(urlconf).update({f"m{n}": _middleware(h, run) for n, h in enumerate(layers)})
        wraps = sum(h.stage == "wrap" for h in layers)
        paths[wraps:wraps] = ["django.contrib.sessions.middleware.SessionMiddleware",
                              "django.middleware.common.CommonMiddleware"]  # fmt: skip
        config = {_CONFIG[k]: v for k, v in scenario.config.items() if k in _CONFIG}
        for undo in _UNDO:  # the previous scenario's settings and receivers go
            undo()
        (override := override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=paths, **config)).enable()
        _UNDO[:] = [override.disable]
        with mock.patch.dict(sys.modules, {urlconf.__name__: urlconf}):  # MIDDLEWARE: dotted paths
            handler = type("ScenarioHandler", (WSGIHandler,), {})()  # loads MIDDLEWARE
        for h in scenario.hooks:  # in scenario order: teardown is request_finished too
            signal = getattr(signals, {"teardown": "request_finished"}.get(h.stage, h.stage), None)
            if signal is not None:
                receiver = _function(run, h, _handed)
                sender = None if h.stage == "got_request_exception" else type(handler)
                signal.connect(receiver, sender=sender, weak=False)
                _UNDO.append(functools.partial(signal.disconnect, receiver, sender=sender))
        return handler

    def client(self, app: WSGIHandler) -> kit.WsgiClient:
        return kit.WsgiClient(app)


def _function(run: Callable[..., Any], h: Any, given: Callable[..., Any], hid: str = "") -> Any:
    """Hook (or route) ``h`` as a function of its mode, plain or async def: ``given`` turns what
    Django hands it into perform's keywords (None: not this hook's to do)."""
    does, hid, stage = h.does, hid or h.id, getattr(h, "stage", "view")

    def function(*args: Any, **kwargs: Any) -> Any:
        handed = given(*args, **kwargs)
        return None if handed is None else run(does, hid, stage, None, **handed)

    async def coroutine(*args: Any, **kwargs: Any) -> Any:
        handed = given(*args, **kwargs)
        return None if handed is None else await run(does, hid, stage, "async", **handed)

    return coroutine if h.mode == "async" else function


_GIVEN = {  # what process_view and process_exception hand a hook, as perform's keywords
    "url_value_preprocessor": lambda h, _, r, *args: {"request": r, "values": args[2]},  # urls
    "error_handler": lambda h, _, r, exc: {"request": r, "exception": exc} if isinstance(
        exc, kit.exception_class(str(h.handles))) else None,  # else the next process_exception's
}  # fmt: skip


def _handed(request: Any = None, exception: Any = None, **_: Any) -> dict[str, Any]:
    return {"request": request, "exception": exception}  # handlerNNN, a signal receiver


def _route(r: kit.Route, run: Callable[..., Any]) -> Any:
    """A View with a handler per method (View answers HEAD, OPTIONS and 405 by itself); urls:
    a class-based view numbers its instances, its methods doing one behaviour (View) or each
    their own (MethodView)."""
    serial = itertools.count(1)

    def given(self: Any, request: Any, **kwargs: Any) -> dict[str, Any]:  # as_view: 1 a call
        instance = None if r.view_class == "function" else next(serial)
        return {"request": request, "view": {"kwargs": kwargs, "instance": instance}}

    own = r.view_class == "method_view"
    methods = {m.lower(): _function(run, r, given, f"{r.endpoint}.{m.lower()}" if own else
               r.endpoint) for m in r.methods}  # fmt: skip
    if not r.automatic_options:  # config: the methods the View answers; OPTIONS if it is listed
        names = [m for m in View.http_method_names if m != "options" or m in methods]
        methods["http_method_names"] = names
    view = type(f"{r.endpoint}_view", (View,), methods).as_view()  # type: ignore[attr-defined]
    if not r.slash_optional:
        return urls.path(kit.route_path(r.path[1:], lambda n: f"<{n}>"), view, name=r.endpoint)
    regex = kit.route_path(re.escape(r.path[1:].removesuffix("/")), lambda n: f"(?P<{n}>[^/]+)")
    return urls.re_path(f"^{regex}/?$", view, name=r.endpoint)


def _middleware(h: kit.Hook, run: Callable[..., Any]) -> Any:
    """wrap, before, after: a middleware (a function's) with code before get_response, able
    to answer, and after it, able to replace the response (async-only for an async hook);
    url_value_preprocessor, error_handler: process_view, process_exception (MiddlewareMixin)."""
    if h.stage in _GIVEN:  # process_view (urls: its view_kwargs), process_exception
        method = _function(run, h, functools.partial(_GIVEN[h.stage], h))
        return type(f"{h.id}_middleware", (MiddlewareMixin,), {_METHODS[h.stage]: method})
    early = None if h.stage == "after" else (h.does, h.id, h.stage)
    late = {"wrap": (h.then or kit.Behaviour(), kit.exit_id(h), "wrap_exit"), "after": (
        h.does, h.id, "after")}.get(h.stage)  # fmt: skip

    def middleware(get_response: Any, request: Any) -> Any:
        if early and (answer := run(*early, None, request=request)) is not None:
            return answer
        response = get_response(request)
        answer = late and run(*late, None, request=request, response_status=response.status_code)
        return response if answer is None else answer

    async def coroutine(get_response: Any, request: Any) -> Any:
        if early and (answer := await run(*early, "async", request=request)) is not None:
            return answer
        response = await get_response(request)
        kw = {"request": request, "response_status": response.status_code}
        answer = late and await run(*late, "async", **kw)
        return response if answer is None else answer

    if h.mode == "async":
        return async_only_middleware(lambda get: functools.partial(coroutine, get))
    return lambda get_response: functools.partial(middleware, get_response)
