"""Adapter for Django, configured in process (settings.configure, no project).

Each scenario is a fresh WSGIHandler subclass, created while its MIDDLEWARE
and ROOT_URLCONF (a module object made for it) are active through
override_settings; that override stays until the next scenario is built,
since Django reads ROOT_URLCONF on every request.  Hooks are MIDDLEWARE
entries: ``wrap`` a middleware wrapping get_response, ``before``
process_request, ``url_value_preprocessor`` process_view, ``after``
process_response, error handlers by class process_exception; handlers by
status are handler400/403/404/500 of the URLconf; routes are class-based
Views (method dispatch, automatic HEAD and OPTIONS, 405).  In process it runs
on the kit's WsgiClient, so both transports drive the same WSGIHandler a
server runs (Django's test Client uses a ClientHandler of its own).
"""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import django
from django.conf import settings

if not settings.configured:  # once per process, production settings, no database
    settings.configure(
        DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY="lifecycle-conformance",
        ROOT_URLCONF=types.SimpleNamespace(urlpatterns=[]), MIDDLEWARE=[], INSTALLED_APPS=[],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies", SESSION_COOKIE_NAME="session",
        LOGGING={"version": 1, "loggers": {"django": {"level": "CRITICAL"}}},
    )  # fmt: skip
    django.setup()

from django.core import signals  # noqa: E402 - after settings.configure
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse  # noqa: E402
from django.test import override_settings  # noqa: E402
from django.urls import NoReverseMatch, path, re_path, reverse  # noqa: E402
from django.utils.deprecation import MiddlewareMixin  # noqa: E402
from django.views import View  # noqa: E402

from conformance import kit  # noqa: E402

_DOCS = "https://docs.djangoproject.com/en/5.2"
_NO_CONTEXT = (
    "Django has no request context, request global or application context: the HttpRequest"
    f" is handed to each view and middleware method ({_DOCS}/ref/request-response/)"
)
_NO_BLUEPRINTS = (
    "Django has no blueprints: include() puts URL patterns under a prefix and a namespace,"
    " but registers no middleware or error handlers of its own, which stay project-wide"
    f" ({_DOCS}/topics/http/urls/#including-other-urlconfs)"
)
_MISSING = {
    "stage:teardown_app": _NO_CONTEXT,
    **kit.each("stage", ("appcontext_pushed", "appcontext_tearing_down", "appcontext_popped"),
               _NO_CONTEXT),
    "stage:request_tearing_down": "Django sends one signal at the end of a request,"
    f" request_finished, when the response is closed ({_DOCS}/ref/signals/#request-finished)",
    **kit.each("form", kit.CONVERSION_FORMS, "Django converts no return value: a view returns"
               f" an HttpResponse, anything else is an error ({_DOCS}/topics/http/views/)"),
    **kit.each("probe", ("request", "app", "request.error", "app.error"), _NO_CONTEXT),
    "probe:blueprints": _NO_BLUEPRINTS,
    **kit.each("feature", ("blueprints", "nested-blueprints"), _NO_BLUEPRINTS),
    **kit.each("feature", ("after_this_request", "copied_context", "stream_with_context"),
               _NO_CONTEXT),
    **kit.each("stage", ("after_this_request", "copied_context"), _NO_CONTEXT),
}  # fmt: skip
_HTTP_ERRORS: dict[int, type[Exception]] = {400: BadRequest, 403: PermissionDenied, 404: Http404}
_STATUS_HANDLERS = (400, 403, 404, 500)  # the URLconf's handler400 ... handler500


class DjangoNative(kit.Native):
    """Behaviours on Django's HttpRequest, responses and HTTP exceptions."""

    def __init__(self, g_keys: frozenset[str]) -> None:
        self.g_keys = g_keys  # the request attributes the scenario sets (its per-request state)

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if name == "url_for":  # reverse() needs no request: it uses the active URLconf
            try:
                return str(reverse("index"))
            except NoReverseMatch as exc:
                return f"<{type(exc).__name__}>"
        if request is None:  # a signal receiver is handed no request
            return False if name == "session" else None
        match_ = request.resolver_match  # set once the URL resolved
        if name == "session":  # reads a key, as using a session does
            return hasattr(request, "session") and request.session.get("probe") is None
        if name == "session.data":
            return dict(request.session) if hasattr(request, "session") else None
        if name == "g":
            return {k: v for k, v in vars(request).items() if k in self.g_keys}
        if name == "endpoint":
            return None if match_ is None else match_.url_name
        if name == "view_args":
            return None if match_ is None else dict(match_.kwargs)
        if name in ("method", "path"):
            return str(getattr(request, name))
        raise kit.Unsupported(f"probe {name!r}")

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        kw: dict[str, Any] = {"status": status or 200, "headers": dict(headers)}
        if form == "json":
            return JsonResponse(body, safe=False, **kw)
        if form == "stream":
            return StreamingHttpResponse(body, content_type="text/plain", **kw)
        kind = "application/octet-stream" if form == "binary" else "text/plain; charset=utf-8"
        return HttpResponse(body, content_type=kind, **kw)

    def response_status(self, response: Any) -> int:
        return int(response.status_code)

    def abort(self, status: int) -> NoReturn:
        if status not in _HTTP_ERRORS:
            raise kit.Unsupported(f"Django has no HTTP error for status {status}")
        raise _HTTP_ERRORS[status](f"aborted with {status}")

    def error_status(self, exc: BaseException) -> int | None:
        if isinstance(exc, SuspiciousOperation):
            return 400
        return next((s for s, cls in _HTTP_ERRORS.items() if isinstance(exc, cls)), None)

    def set_g(self, key: str, value: kit.JSON, request: Any = None) -> None:
        setattr(request, key, value)  # Django's middleware keep request state as attributes

    def set_session(self, key: str, value: kit.JSON, request: Any = None) -> None:
        request.session[key] = value


_ACTIVE: list[override_settings] = []  # the settings of the scenario built last
_RECEIVERS: list[tuple[Any, Callable[..., Any], Any]] = []  # and its signal receivers


def _g_keys(scenario: kit.Scenario) -> frozenset[str]:
    behaviours = [r.does for r in scenario.routes] + [h.does for h in scenario.hooks]
    behaviours += [h.then for h in scenario.hooks if h.then is not None]
    return frozenset(k for b in behaviours for k in b.set_g)


class DjangoAdapter:
    contract = kit.CONTRACT_VERSION
    name = "django"
    framework = "django"
    distribution = "django"
    interface = "wsgi"
    server = "gunicorn"  # Django's deployment docs serve the WSGI handler with Gunicorn
    capabilities = kit.lacking(_MISSING)
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")

    def build(self, scenario: kit.Scenario, recorder: kit.Recorder) -> WSGIHandler:
        native = DjangoNative(_g_keys(scenario))

        def run(does: kit.Behaviour, hid: str, stage: str, **handed: Any) -> Any:
            return kit.perform(does, hook=hid, stage=stage, recorder=recorder, native=native,
                               **handed)  # fmt: skip

        urlconf = types.ModuleType(f"lifecycle_conformance_django_{id(scenario)}")
        urlconf.urlpatterns = [_route(r, run) for r in scenario.routes]  # type: ignore[attr-defined]
        hooks = {s: [h for h in scenario.hooks if h.stage == s] for s in kit.STAGES}
        for h in hooks["error_handler"]:
            if h.handles in _STATUS_HANDLERS:  # Django has handlers for these statuses only
                setattr(urlconf, f"handler{h.handles}", _status_handler(h, run))
        middleware = [_wrap(h, run) for h in hooks["wrap"]]
        middleware += [_SessionMiddleware, _CommonMiddleware]
        middleware += [_mixin("process_response", h, run) for h in hooks["after"]]
        middleware += [_mixin("process_request", h, run) for h in hooks["before"]]
        middleware += [_mixin("process_view", h, run) for h in hooks["url_value_preprocessor"]]
        middleware += [
            _mixin("process_exception", h, run)
            for h in hooks["error_handler"]
            if isinstance(h.handles, str)
        ]
        paths = []
        for n, factory in enumerate(middleware):  # Django's own by name, the hooks' from urlconf
            setattr(urlconf, f"m{n}", factory)
            paths.append(factory if isinstance(factory, str) else f"{urlconf.__name__}.m{n}")
        for override in _ACTIVE:  # the previous scenario's settings and receivers go
            override.disable()
        _ACTIVE.clear()
        for signal, receiver, sender in _RECEIVERS:
            signal.disconnect(receiver, sender=sender)
        _RECEIVERS.clear()
        _ACTIVE.append(override_settings(ROOT_URLCONF=urlconf, MIDDLEWARE=paths))
        _ACTIVE[0].enable()
        sys.modules[urlconf.__name__] = urlconf  # MIDDLEWARE names dotted paths
        try:
            handler = type("ScenarioHandler", (WSGIHandler,), {})()  # loads MIDDLEWARE
        finally:
            del sys.modules[urlconf.__name__]
        for h in scenario.hooks:  # in scenario order: teardown and request_finished are one signal
            signal = getattr(signals, "request_finished" if h.stage == "teardown" else h.stage, None)
            if signal is not None:
                receiver = _receiver(h, run)
                sender = None if h.stage == "got_request_exception" else type(handler)
                signal.connect(receiver, sender=sender, weak=False)
                _RECEIVERS.append((signal, receiver, sender))
        return handler

    def client(self, app: WSGIHandler) -> kit.WsgiClient:
        return kit.WsgiClient(app)


_SessionMiddleware = "django.contrib.sessions.middleware.SessionMiddleware"
_CommonMiddleware = "django.middleware.common.CommonMiddleware"  # APPEND_SLASH
_Run = Callable[..., Any]


def _route(r: kit.Route, run: _Run) -> Any:
    def handle(self: View, request: Any, **kwargs: Any) -> Any:
        return run(r.does, r.endpoint, "view", request=request)

    methods = {m.lower(): handle for m in r.methods}
    view = type(f"{r.endpoint}_view", (View,), methods).as_view()
    if not r.slash_optional:
        return path(kit.route_path(r.path.lstrip("/"), lambda n: f"<{n}>"), view, name=r.endpoint)
    regex = kit.route_path(re.escape(r.path.lstrip("/").removesuffix("/")), lambda n: f"(?P<{n}>[^/]+)")
    return re_path(f"^{regex}/?$", view, name=r.endpoint)


def _wrap(h: kit.Hook, run: _Run) -> Callable[..., Any]:
    def factory(get_response: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def middleware(request: Any) -> Any:
            early = run(h.does, h.id, "wrap", request=request)
            if early is not None:
                return early
            response = get_response(request)
            late = run(h.then or kit.Behaviour(), kit.exit_id(h), "wrap_exit", request=request,
                       response_status=response.status_code)  # fmt: skip
            return response if late is None else late

        return middleware

    return factory


def _mixin(method: str, h: kit.Hook, run: _Run) -> type:
    def process(self: Any, request: Any, *args: Any) -> Any:
        if method == "process_response":
            answer = run(h.does, h.id, h.stage, request=request, response_status=args[0].status_code)
            return args[0] if answer is None else answer
        if method == "process_exception":
            if not isinstance(args[0], kit.exception_class(str(h.handles))):
                return None  # not this handler's class: the next one is asked
            return run(h.does, h.id, h.stage, request=request, exception=args[0])
        return run(h.does, h.id, h.stage, request=request)

    return type(f"{h.id}_middleware", (MiddlewareMixin,), {method: process})


def _status_handler(h: kit.Hook, run: _Run) -> Callable[..., Any]:
    def handler(request: Any, exception: Exception | None = None) -> Any:
        return run(h.does, h.id, h.stage, request=request, exception=exception)

    return handler


def _receiver(h: kit.Hook, run: _Run) -> Callable[..., Any]:
    def receiver(sender: Any, request: Any = None, **kwargs: Any) -> None:
        run(h.does, h.id, h.stage, request=request)

    return receiver
