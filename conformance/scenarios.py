"""Short builders for scenarios, so a test reads like the clause it checks.

    scenario(before("b1"), before("b2"), view(returns=response("ok")))

is an app with two before-request hooks and a view at ``/`` (endpoint
``index``) answering with the framework's own text response, and one GET
request to ``/``.  ``response``, ``binary``, ``json_response`` and ``stream``
are native answers, which every framework can give; ``string``, ``bytes_``,
``json_dict``, ``json_list``, ``tuple_``, ``none``, ``integer``,
``generator`` and ``wsgi_app`` are Flask's return-value conversion forms,
for the clauses about conversion.  Builders only assemble the plain data of
:mod:`conformance._model`; anything they make round-trips through JSON.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._model import (
    JSON,
    Behaviour,
    Blueprint,
    Call,
    ExceptionName,
    Hook,
    Probe,
    Route,
    Scenario,
    Stage,
    Value,
)

__all__ = [
    "after",
    "before",
    "behaviour",
    "binary",
    "blueprint",
    "bytes_",
    "call",
    "error_handler",
    "generator",
    "integer",
    "json_dict",
    "json_list",
    "json_response",
    "none",
    "response",
    "route",
    "scenario",
    "signal",
    "stream",
    "string",
    "teardown",
    "teardown_app",
    "tuple_",
    "url_value_preprocessor",
    "view",
    "wrap",
    "wsgi_app",
]


def behaviour(
    *,
    probes: Sequence[Probe] = (),
    set_g: Mapping[str, JSON] | None = None,
    set_session: Mapping[str, JSON] | None = None,
    after_this_request: Sequence[str] = (),
    copied_context: Sequence[Probe] | None = None,
    rendezvous: bool = False,
    returns: Value | None = None,
    raises: ExceptionName | None = None,
    aborts: int | None = None,
) -> Behaviour:
    return Behaviour(
        probes=tuple(probes),
        set_g=dict(set_g or {}),
        set_session=dict(set_session or {}),
        after_this_request=tuple(after_this_request),
        copied_context=None if copied_context is None else tuple(copied_context),
        rendezvous=rendezvous,
        returns=returns,
        raises=raises,
        aborts=aborts,
    )


def _hook(
    hid: str,
    stage: Stage,
    does: dict[str, Any],
    handles: int | str | None = None,
    then: Behaviour | None = None,
) -> Hook:
    scope, app_wide = does.pop("scope", None), does.pop("app_wide", False)
    observer = does.pop("observer", False)
    return Hook(hid, stage, behaviour(**does), handles, scope, app_wide, then, observer)  # type: ignore[arg-type]  # the model checks handles


# Every hook builder takes the behaviour's keywords, plus ``scope="bp"`` to
# register it on blueprint ``bp``, ``app_wide=True`` for the blueprint's
# app-wide variant (before_app_request and kin), and ``observer=True`` for a
# hook that only observes (dropped where the framework lacks its stage).


def wrap(hid: str, *, then: Mapping[str, Any] | None = None, **does: Any) -> Hook:
    """A wrapping layer (middleware): ``does`` before the next layer, then
    the behaviour ``then`` describes once it answered (event ``hid/exit``)."""
    return _hook(hid, "wrap", does, then=None if then is None else behaviour(**then))


def url_value_preprocessor(hid: str, **does: Any) -> Hook:
    return _hook(hid, "url_value_preprocessor", does)


def before(hid: str, **does: Any) -> Hook:
    return _hook(hid, "before", does)


def after(hid: str, **does: Any) -> Hook:
    return _hook(hid, "after", does)


def teardown(hid: str, **does: Any) -> Hook:
    return _hook(hid, "teardown", does)


def teardown_app(hid: str, **does: Any) -> Hook:
    return _hook(hid, "teardown_app", does)


def signal(hid: str, name: str, **does: Any) -> Hook:
    """A receiver of signal ``name`` (one of SIGNALS, e.g. "request_started")."""
    return _hook(hid, name, does)  # type: ignore[arg-type]  # the model checks the name


def error_handler(hid: str, handles: int | str, **does: Any) -> Hook:
    """A handler for a status code (int) or an exception class name."""
    return _hook(hid, "error_handler", does, handles)


def route(
    endpoint: str = "index",
    path: str = "/",
    *,
    methods: Sequence[str] = ("GET",),
    blueprint: str | None = None,
    slash_optional: bool = False,
    **does: Any,
) -> Route:
    """A view at ``path`` (URL values written ``{name}``); with no ending
    given, it answers ``response("ok")``.  On a blueprint, ``path`` is below
    the blueprint's prefix."""
    if not {"returns", "raises", "aborts"} & set(does):
        does["returns"] = response("ok")
    return Route(path, endpoint, behaviour(**does), tuple(methods), blueprint, slash_optional)


view = route


def call(path: str = "/", method: str = "GET", headers: Mapping[str, str] | None = None) -> Call:
    return Call(method, path, dict(headers or {}))


def blueprint(name: str, url_prefix: str = "", *, parent: str | None = None) -> Blueprint:
    """A blueprint mounted under ``url_prefix`` (below its parent's, if nested)."""
    return Blueprint(name, url_prefix, parent)


def scenario(
    *parts: Hook | Route | Blueprint,
    requests: Sequence[Call] = (Call(),),
    concurrent: bool = False,
) -> Scenario:
    """An app made of ``parts``: hooks in registration order, routes and
    blueprints.  ``concurrent`` sends all requests at once, from threads."""
    return Scenario(
        routes=tuple(p for p in parts if isinstance(p, Route)),
        hooks=tuple(p for p in parts if isinstance(p, Hook)),
        requests=tuple(requests),
        blueprints=tuple(p for p in parts if isinstance(p, Blueprint)),
        concurrent=concurrent,
    )


# -- native answers: the framework's own response types --


def response(
    body: str = "", status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """The framework's own text response."""
    return Value("text", body, status=status, headers=dict(headers or {}))


def binary(
    body: str = "", status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """The framework's own binary response (``body`` encoded UTF-8)."""
    return Value("binary", body, status=status, headers=dict(headers or {}))


def json_response(
    data: JSON, status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """The framework's own JSON response holding ``data``."""
    return Value("json", data, status=status, headers=dict(headers or {}))


def stream(*chunks: str, keeps_context: bool = False, status: int | None = None) -> Value:
    """The framework's own streamed response of ``chunks``; each records a
    "stream" event (``chunk0``...) with whether the request context is
    active.  ``keeps_context`` wraps them in the framework's stream_with_context."""
    return Value("stream", list(chunks), status=status, keeps_context=keeps_context)


# -- Flask's conversion forms: bare return values --


def string(s: str) -> Value:
    """A bare ``str``."""
    return Value("str", s)


def bytes_(s: str) -> Value:
    return Value("bytes", s)


def json_dict(d: Mapping[str, JSON]) -> Value:
    return Value("dict", dict(d))


def json_list(items: Sequence[JSON]) -> Value:
    return Value("list", list(items))


def none() -> Value:
    return Value("none")


def integer(n: int) -> Value:
    return Value("int", n)


def generator(*chunks: str, keeps_context: bool = False) -> Value:
    """A bare generator of ``chunks``, each recording a "stream" event."""
    return Value("generator", list(chunks), keeps_context=keeps_context)


def wsgi_app(
    body: str = "", status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """A plain WSGI application answering ``status`` with a text/plain ``body``."""
    return Value("wsgi", body, status=status, headers=dict(headers or {}))


def tuple_(body: Value, *rest: JSON) -> Value:
    """``(body, *rest)``: status as int or str, headers as dict or [[name, value]] pairs."""
    return Value("tuple", items=(body, *rest))


# -- area returns: the richer return values --


def bytearray_(s: str) -> Value:
    """A bare ``bytearray`` of ``s`` encoded UTF-8."""
    return Value("bytearray", s)


def iterator(*chunks: str) -> Value:
    """A plain iterator (``iter([...])``, not a generator) over ``chunks``."""
    return Value("iterator", list(chunks))


def http_exception(status: int) -> Value:
    """The framework's HTTP error of ``status``, returned instead of raised."""
    return Value("http_exception", status=status)


def base_response(
    body: str = "", status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """An instance of the base response class the framework's own derives from."""
    return Value("base_response", body, status=status, headers=dict(headers or {}))


def made_response(
    body: str = "", status: int | None = None, headers: Mapping[str, str] | None = None
) -> Value:
    """What the framework's ``make_response(body, status, headers)`` returns."""
    return Value("make_response", body, status=status, headers=dict(headers or {}))


def redirect(location: str, status: int | None = None) -> Value:
    """What the framework's ``redirect(location[, status])`` returns."""
    return Value("redirect", location, status=status)


def typed_json(**texts: str) -> Value:
    """A dict of non-JSON values, keyed by kind: ``typed_json(decimal="1.50",
    uuid="...")`` returns ``{"decimal": Decimal("1.50"), "uuid": UUID(...)}``."""
    return Value("typed_json", dict(texts))


def probed_stream(
    *chunks: str, probes: Sequence[str], keeps_context: bool = False, generator: bool = False
) -> Value:
    """A stream (or, with ``generator``, a bare generator) whose every chunk
    records what ``probes`` see."""
    return Value(
        "generator" if generator else "stream",
        list(chunks),
        keeps_context=keeps_context,
        chunk_probes=tuple(probes),  # type: ignore[arg-type]  # checked by the model
    )
