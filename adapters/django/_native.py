"""Django's side of the behaviours: probes on its HttpRequest, its responses, HTTP errors,
request attributes as g, sessions and reverse(); and the settings of the process it runs in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NoReturn

import django  # type: ignore[import-untyped]  # Django ships no type information
from django import http, urls
from django.conf import settings  # type: ignore[import-untyped]
from django.core import exceptions  # type: ignore[import-untyped]

from conformance import kit

# fmt: off
if not settings.configured:  # once per process: production settings, no database; the
    settings.configure(  # session cookie has the name the suite's session tests read
        DEBUG=False, ALLOWED_HOSTS=["*"], SECRET_KEY="lifecycle-conformance", INSTALLED_APPS=[],
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        SESSION_COOKIE_NAME="session",
        LOGGING={"version": 1, "loggers": {"django": {"level": "CRITICAL"}}})
    django.setup()
_HTTP_ERRORS = {400: exceptions.BadRequest, 403: exceptions.PermissionDenied, 404: http.Http404}
# fmt: on


class DjangoNative(kit.Native):  # behaviours on Django's HttpRequest, responses and errors
    g_keys: frozenset[str] = frozenset()  # the request attributes a scenario sets (its g)

    def probe(self, name: str, request: Any = None) -> kit.JSON:
        if name == "url_for":  # reverse() needs no request: it uses the active URLconf
            return self.url_for("index", {}, False, None, None)
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

    def url_for(self, endpoint: str, values: Mapping[str, kit.JSON], *_: Any, **__: Any) -> str:
        try:  # urls: reverse(viewname, kwargs=...) with the URL name a path() was given
            return str(urls.reverse(endpoint, kwargs=dict(values)))
        except urls.NoReverseMatch:
            return "<NoReverseMatch>"

    def abort_description(self, status: int, description: str) -> NoReturn:  # HTTP exceptions
        missing = kit.Unsupported(f"Django has no HTTP error for status {status}")
        raise _HTTP_ERRORS[status](description) if status in _HTTP_ERRORS else missing

    def error_detail(self, exc: BaseException, name: str) -> kit.JSON:  # an error's message
        described = name == "description" and self.error_status(exc) is not None
        return str(exc) if described else None
