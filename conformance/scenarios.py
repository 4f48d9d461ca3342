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
    GOp,
    Hook,
    Mode,
    Mount,
    Probe,
    Route,
    Scenario,
    Stage,
    StartKind,
    Step,
    UrlBuild,
    Value,
    ViewClass,
)

__all__ = [
    "after",
    "before",
    "behaviour",
    "binary",
    "blueprint",
    "bytes_",
    "call",
    # urls
    "class_view",
    "enter_app_context",
    "enter_client",
    "error_handler",
    "exit_app_context",
    "exit_client",
    "g_op",
    "generator",
    "in_test_request_context",
    "integer",
    "json_dict",
    "json_list",
    "json_response",
    "none",
    "probe",
    "register",
    "response",
    "route",
    "scenario",
    "send",
    "signal",
    "stream",
    "string",
    "teardown",
    "teardown_app",
    "tuple_",
    "url",
    "url_defaults",
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
    starts: StartKind | None = None,
    started: Sequence[Probe] = (),
    g_ops: Sequence[GOp] = (),  # urls
    build_urls: Sequence[UrlBuild] = (),
    pop_values: Sequence[str] = (),
    fill_values: Mapping[str, JSON] | None = None,
    description: str | None = None,  # HTTP exceptions
    aborts_with: Value | None = None,
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
        starts=starts,
        started=tuple(started),
        g_ops=tuple(g_ops),
        build_urls=tuple(build_urls),
        pop_values=tuple(pop_values),
        fill_values=dict(fill_values or {}),
        description=description,
        aborts_with=aborts_with,
    )


def _hook(
    hid: str,
    stage: Stage,
    does: dict[str, Any],
    handles: int | str | None = None,
    then: Behaviour | None = None,
) -> Hook:
    scope, app_wide = does.pop("scope", None), does.pop("app_wide", False)
    observer, mode = does.pop("observer", False), does.pop("mode", None)
    instance = does.pop("instance", False)  # HTTP exceptions
    return Hook(hid, stage, behaviour(**does), handles, scope, app_wide, then, observer, mode,  # type: ignore[arg-type]  # the model checks handles
                instance)  # fmt: skip


# Every hook builder takes the behaviour's keywords, plus ``scope="bp"`` to
# register it on blueprint ``bp``, ``app_wide=True`` for the blueprint's
# app-wide variant (before_app_request and kin), and ``observer=True`` for a
# hook that only observes (dropped where the framework lacks its stage), and
# ``mode="sync"`` or ``"async"`` for a plain or an async def function.


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
    mode: Mode | None = None,
    automatic_options: bool = True,
    **does: Any,
) -> Route:
    """A view at ``path`` (URL values written ``{name}``); with no ending
    given, it answers ``response("ok")``.  On a blueprint, ``path`` is below
    the blueprint's prefix."""
    if not {"returns", "raises", "aborts", "aborts_with"} & set(does):
        does["returns"] = response("ok")
    return Route(
        path,
        endpoint,
        behaviour(**does),
        tuple(methods),
        blueprint,
        slash_optional,
        mode=mode,
        automatic_options=automatic_options,
    )


view = route


def call(
    path: str = "/",
    method: str = "GET",
    headers: Mapping[str, str] | None = None,
    *,
    reads_reason: bool = False,
    read_chunks: int | None = None,
) -> Call:
    """A request; ``reads_reason``: the test reads its status line's reason
    phrase; ``read_chunks``: the client reads that many chunks of the body,
    then closes the response (streaming area)."""
    return Call(
        method, path, dict(headers or {}), reads_reason=reads_reason, read_chunks=read_chunks
    )


def blueprint(
    name: str, url_prefix: str = "", *, parent: str | None = None, mounts: Sequence[Mount] = ()
) -> Blueprint:
    """A blueprint mounted under ``url_prefix`` (below its parent's, if nested),
    and registered again once per ``mounts`` (blueprints)."""
    return Blueprint(name, url_prefix, parent, tuple(mounts))


def mount(mid: str, url_prefix: str = "", *, name: str | None = None) -> Mount:
    """blueprints: one more registration of a blueprint, under ``url_prefix``
    and ``name`` (None: its own); records a "mounted" event ``mid``."""
    return Mount(mid, url_prefix, name)


def scenario(
    *parts: Hook | Route | Blueprint,
    requests: Sequence[Call] = (Call(),),
    concurrent: bool = False,
    steps: Sequence[Step] = (),
    config: Mapping[str, JSON] | None = None,
) -> Scenario:
    """An app made of ``parts``: hooks in registration order, routes and
    blueprints.  ``concurrent`` sends all requests at once, from threads;
    ``steps`` (steps area) is what the test does, one ``send()`` per request;
    ``config`` sets app configuration by neutral name (CONFIG_NAMES)."""
    return Scenario(
        routes=tuple(p for p in parts if isinstance(p, Route)),
        hooks=tuple(p for p in parts if isinstance(p, Hook)),
        requests=tuple(requests),
        blueprints=tuple(p for p in parts if isinstance(p, Blueprint)),
        concurrent=concurrent,
        steps=tuple(steps),
        config=dict(config or {}),
    )


# -- native answers: the framework's own response types --


def response(
    body: str = "", status: int | str | None = None, headers: Mapping[str, str] | None = None
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


# -- steps area: what the test does besides sending requests --


def send() -> Step:
    """Send the scenario's next request."""
    return Step("send")


def probe(sid: str, **does: Any) -> Step:
    """The test itself probes (and may set ``g``) now, between requests: event ``sid``."""
    return Step("probe", sid, behaviour(**does))


def register(sid: str, hook: Hook) -> Step:
    """Register ``hook`` on the app now; event ``sid`` says what was raised
    (``{"error": None}`` when it was accepted)."""
    return Step("register", sid, hook=hook)


def enter_app_context() -> Step:
    """Push an application context (``with app.app_context():``)."""
    return Step("enter_app_context", "enter_app_context")


def exit_app_context() -> Step:
    return Step("exit_app_context", "exit_app_context")


def enter_client() -> Step:
    """Enter the test client as a context manager (``with client:``)."""
    return Step("enter_client", "enter_client")


def exit_client() -> Step:
    return Step("exit_client", "exit_client")


def in_test_request_context(sid: str, path: str = "/", **does: Any) -> Step:
    """Do ``does`` inside ``app.test_request_context(path)``: event ``sid``."""
    return Step("test_request_context", sid, behaviour(**does), path=path)


# -- urls: URL building, g as an object, class-based views --


def url_defaults(hid: str, **does: Any) -> Hook:
    """A url-defaults function: called by url_for with the values it builds
    with (``fill_values={"lang": "en"}`` fills them in)."""
    return _hook(hid, "url_defaults", does)


def url(
    endpoint: str = "index",
    *,
    external: bool = False,
    anchor: str | None = None,
    method: str | None = None,
    **values: JSON,
) -> UrlBuild:
    """One url_for call, for ``build_urls=[...]``: ``url("item", id="x")``."""
    return UrlBuild(endpoint, dict(values), external, anchor, method)


def g_op(op: str, name: str = "", *args: JSON) -> GOp:
    """One use of g, for ``g_ops=[...]``: ``g_op("get", "user", None)``."""
    return GOp(op, name, tuple(args))  # type: ignore[arg-type]  # the model checks the op


def class_view(
    endpoint: str = "index",
    path: str = "/",
    *,
    kind: ViewClass = "view",
    methods: Sequence[str] = ("GET",),
    init_every_request: bool = True,
    decorators: Sequence[str] = (),
    blueprint: str | None = None,
    **does: Any,
) -> Route:
    """A class-based view: a View (``kind="view"``) accepting ``methods``, or
    a MethodView (``kind="method_view"``) with one method per entry of
    ``methods`` (events ``endpoint.get``...); answers ``response("ok")``
    unless told otherwise."""
    if not {"returns", "raises", "aborts", "aborts_with"} & set(does):
        does["returns"] = response("ok")
    return Route(
        path,
        endpoint,
        behaviour(**does),
        tuple(methods),
        blueprint,
        view_class=kind,
        init_every_request=init_every_request,
        decorators=tuple(decorators),
    )


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
    body: str = "", status: int | str | None = None, headers: Mapping[str, str] | None = None
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


# -- HTTP exceptions --


def handed_exception() -> Value:
    """An error handler's return of the exception it was handed, as it is."""
    return Value("handed_exception")


# -- streaming area: a stream the client closes before reading it all --


def closing_stream(*chunks: str, keeps_context: bool = False, generator: bool = False) -> Value:
    """A stream (or, with ``generator``, a bare generator) of ``chunks`` that
    records a "closed" event in its finally block, with "exhausted": whether
    it ran to its end."""
    return Value(
        "generator" if generator else "stream",
        list(chunks),
        keeps_context=keeps_context,
        records_close=True,
    )
