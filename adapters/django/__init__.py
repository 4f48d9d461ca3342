"""Adapter for Django, in process (settings.configure, no project): a WSGIHandler per
scenario, made under override_settings(MIDDLEWARE, ROOT_URLCONF), kept until the next build
(Django reads ROOT_URLCONF per request).  In process on the kit's WsgiClient: both transports
drive the handler a server runs (Django's test Client has a ClientHandler of its own)."""

from __future__ import annotations

import functools
import re
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn
from unittest import mock

import django  # type: ignore[import-untyped]  # Django ships no type information
from django import http, urls
from django.conf import settings  # type: ignore[import-untyped]
from django.core import exceptions, signals  # type: ignore[import-untyped]
from django.core.handlers.wsgi import WSGIHandler  # type: ignore[import-untyped]
from django.test import override_settings  # type: ignore[import-untyped]
from django.utils.deprecation import MiddlewareMixin  # type: ignore[import-untyped]
from django.views import View  # type: ignore[import-untyped]

from conformance import kit

# fmt: off
if not settings.configured:  # once per process: production settings, no database; the
    settings.configure(  # session cookie has the name the suite's session tests read
        DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY="lifecycle-conformance", INSTALLED_APPS=[],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        SESSION_COOKIE_NAME="session",
        LOGGING={"version": 1, "loggers": {"django": {"level": "CRITICAL"}}})
    django.setup()
_DOCS = "https://docs.djangoproject.com/en/5.2"
_HTTP_ERRORS = {400: exceptions.BadRequest, 403: exceptions.PermissionDenied, 404: http.Http404}
_METHODS = {"wrap": "__call__", "after": "process_response", "before": "process_request",
            "url_value_preprocessor": "process_view", "error_handler": "process_exception"}
_UNDO: list[Callable[[], Any]] = []  # ends the settings and receivers of the last build
# fmt: on


class DjangoNative(kit.Native):  # behaviours on Django's HttpRequest, responses and errors
    g_keys: frozenset[str] = frozenset()  # the request attributes a scenario sets (its g)

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if name == "url_for":  # reverse() needs no request: it uses the active URLconf
            try:
                return str(urls.reverse("index"))
            except urls.NoReverseMatch:
                return "<NoReverseMatch>"
        if request is None:  # a signal receiver is handed no request
            return False if name == "session" else None
        matched, session = request.resolver_match, getattr(request, "session", None)
        if name == "session":  # reads a key, as using a session does
            return session is not None and session.get("probe") is None
        if name == "session.data":
            return None if session is None else dict(session)
        if name == "g":
            return {k: v for k, v in vars(request).items() if k in self.g_keys}
        if name in ("endpoint", "view_args"):  # resolver_match is set once the URL resolved
            return None if matched is None else matched.url_name if name == "endpoint" else dict(
                matched.kwargs)  # fmt: skip
        if name not in ("method", "path"):
            raise kit.Unsupported(f"probe {name!r}")
        return str(getattr(request, name))

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        kw: dict[str, Any] = {"status": status or 200, "headers": dict(headers)}
        if form == "json":
            return http.JsonResponse(body, safe=False, **kw)
        if form == "stream":
            return http.StreamingHttpResponse(body, content_type="text/plain", **kw)
        kind = "application/octet-stream" if form == "binary" else "text/plain; charset=utf-8"
        return http.HttpResponse(body, content_type=kind, **kw)

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def status_line(self, response: Any, line: str) -> Any:
        response.reason_phrase = line.split(" ", 1)[1]  # HttpResponse keeps code and phrase apart
        return response

    def abort(self, status: int) -> NoReturn:  # no other: a 410 is HttpResponseGone, returned
        missing = kit.Unsupported(f"Django has no HTTP error for status {status}")
        raise _HTTP_ERRORS[status](f"aborted with {status}") if status in _HTTP_ERRORS else missing

    def error_status(self, exc: BaseException) -> int | None:
        errors = (*_HTTP_ERRORS.items(), (400, exceptions.SuspiciousOperation))
        return next((s for s, cls in errors if isinstance(exc, cls)), None)

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request, key, value)  # Django's middleware keep request state as attributes

    def set_session(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.session[key] = value


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

        def run(does: kit.Behaviour, hid: str, stage: str, **handed: Any) -> Any:
            return kit.perform(does, hook=hid, stage=stage, recorder=recorder, native=native,
                               **handed)  # fmt: skip

        urlconf = types.ModuleType(f"lifecycle_conformance_django_{id(scenario)}")
        urlconf.urlpatterns = [_route(r, run) for r in scenario.routes]  # type: ignore[attr-defined]
        for h in (h for h in scenario.hooks if h.handles in (400, 403, 404, 500)):
            setattr(urlconf, f"handler{h.handles}", _function(h.does, h.id, h.stage, run))
        # wrap outermost, sessions, APPEND_SLASH, after above before (sees what before answers)
        layers = [h for s in _METHODS for h in scenario.hooks
                  if h.stage == s and not isinstance(h.handles, int)]  # fmt: skip
        paths = [f"{urlconf.__name__}.m{n}" for n in range(len(layers))]
        vars(urlconf).update({f"m{n}": _middleware(h, run) for n, h in enumerate(layers)})
        wraps = sum(h.stage == "wrap" for h in layers)
        paths[wraps:wraps] = ["django.contrib.sessions.middleware.SessionMiddleware",
                              "django.middleware.common.CommonMiddleware"]  # fmt: skip
        for undo in _UNDO:  # the previous scenario's settings and receivers go
            undo()
        (override := override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=paths)).enable()
        _UNDO[:] = [override.disable]
        with mock.patch.dict(sys.modules, {urlconf.__name__: urlconf}):  # MIDDLEWARE: dotted paths
            handler = type("ScenarioHandler", (WSGIHandler,), {})()  # loads MIDDLEWARE
        for h in scenario.hooks:  # in scenario order: teardown is request_finished too
            signal = getattr(signals, {"teardown": "request_finished"}.get(h.stage, h.stage), None)
            if signal is not None:
                receiver = _function(h.does, h.id, h.stage, run)
                sender = None if h.stage == "got_request_exception" else type(handler)
                signal.connect(receiver, sender=sender, weak=False)
                _UNDO.append(functools.partial(signal.disconnect, receiver, sender=sender))
        return handler

    def client(self, app: WSGIHandler) -> kit.WsgiClient:
        return kit.WsgiClient(app)


def _function(does: kit.Behaviour, hid: str, stage: str, run: Callable[..., Any]) -> Any:
    # A view method, a URLconf's handlerNNN(request, exception), or a signal receiver.
    def function(request: Any = None, exception: Any = None, **kwargs: Any) -> Any:
        view = {"kwargs": kwargs, "instance": None}  # urls: probe view.kwargs
        return run(does, hid, stage, request=request, exception=exception, view=view)

    return function


def _route(r: kit.Route, run: Callable[..., Any]) -> Any:
    handle = staticmethod(_function(r.does, r.endpoint, "view", run))  # View answers HEAD,
    methods = {m.lower(): handle for m in r.methods}  # OPTIONS and 405 by itself
    view = type(f"{r.endpoint}_view", (View,), methods).as_view()  # type: ignore[attr-defined]
    if not r.slash_optional:
        return urls.path(kit.route_path(r.path[1:], lambda n: f"<{n}>"), view, name=r.endpoint)
    regex = kit.route_path(re.escape(r.path[1:].removesuffix("/")), lambda n: f"(?P<{n}>[^/]+)")
    return urls.re_path(f"^{regex}/?$", view, name=r.endpoint)


def _middleware(h: kit.Hook, run: Callable[..., Any]) -> type:
    """A middleware class (Django's MiddlewareMixin) doing ``h`` in its stage's method."""
    method = _METHODS[h.stage]

    def process(self: Any, request: Any, *args: Any) -> Any:
        does, hid, stage = h.does, h.id, h.stage
        if method == "__call__":  # wrap: around get_response, answering early or late
            if (early := run(does, hid, "wrap", request=request)) is not None:
                return early
            args = (self.get_response(request),)
            does, hid, stage = h.then or kit.Behaviour(), kit.exit_id(h), "wrap_exit"
        if method in ("__call__", "process_response"):
            answer = run(does, hid, stage, request=request, response_status=args[0].status_code)
            return args[0] if answer is None else answer
        if method == "process_exception":
            mine = isinstance(args[0], kit.exception_class(str(h.handles)))  # else: the next one
            return run(does, hid, stage, request=request, exception=args[0]) if mine else None
        if method == "process_view":  # urls: (view_func, view_args, view_kwargs), the view's own
            return run(does, hid, stage, request=request, values=args[2])
        return run(does, hid, stage, request=request)

    return type(f"{h.id}_middleware", (MiddlewareMixin,), {method: process})
