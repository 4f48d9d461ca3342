"""Checks run when a piece of the vocabulary is made: each raises a
ModelError naming the field and the value, so a bad scenario (from a test,
a strategy or the wire) fails in one line where it was made."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from . import _model as m
from ._codec import JSON, ModelError, json_list, json_object
from ._vocabulary import CONFIG_NAMES

if TYPE_CHECKING:
    from ._model import (
        Behaviour,
        Blueprint,
        Call,
        GOp,
        Hook,
        Route,
        Scenario,
        Step,
        UrlBuild,
        Value,
    )


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ModelError(message)


def value(v: Value) -> None:
    _check(v.form in m.FORMS, f"unknown value form {v.form!r}; expected one of {m.FORMS}")
    if v.form == "tuple":
        _check(
            bool(v.items) and isinstance(v.items[0], m.Value),
            "a 'tuple' value needs items whose first item is the body Value",
        )
    _check(
        not v.keeps_context or v.form in ("stream", "generator"),
        "only a 'stream' or 'generator' value can keep the context",
    )
    _check(isinstance(v.headers, Mapping), f"value headers must be an object ({v!r})")
    _returns_value(v)
    _status_line(v)


# response area: the forms whose status may be given as a status line.
STATUS_LINE_FORMS = ("text", "binary", "json", "stream", "base_response", "make_response")
_STATUS_LINE = re.compile(r"[1-5][0-9][0-9] [\x21-\x7e][\x20-\x7e]*")


def _status_line(v: Value) -> None:
    if not isinstance(v.status, str):
        return
    _check(
        v.form in STATUS_LINE_FORMS,
        f"a {v.form!r} value takes an integer status; a status line is for {STATUS_LINE_FORMS}",
    )
    _check(
        _STATUS_LINE.fullmatch(v.status) is not None,
        f"a status line is a code and a reason phrase of printable ASCII, such as"
        f" '299 SOMETHING' (got {v.status!r:.80})",
    )


# area returns: the chunk probes of a stream and the data of a typed_json value.
TYPED_JSON_KINDS = ("decimal", "datetime", "date", "uuid")


def _returns_value(v: Value) -> None:
    _check(
        not v.chunk_probes or v.form in ("stream", "generator"),
        "only a 'stream' or 'generator' value has chunk probes",
    )
    _check(
        not v.records_close or v.form in ("stream", "generator"),
        "only a 'stream' or 'generator' value records its close",
    )
    for probe in v.chunk_probes:
        _check(probe in m.PROBES, f"unknown chunk probe {probe!r}; expected one of {m.PROBES}")
    if v.form == "typed_json":
        _check(
            isinstance(v.data, Mapping)
            and all(k in TYPED_JSON_KINDS and isinstance(t, str) for k, t in v.data.items()),
            f"a 'typed_json' value maps some of {TYPED_JSON_KINDS} to text (got {v.data!r})",
        )


def value_items(cls: type[Value], raw: JSON) -> dict[str, Any]:
    """A value's JSON with its tuple body decoded: the first item is a Value,
    the status and headers after it stay JSON."""
    obj = dict(json_object(raw, "value", set(cls.__dataclass_fields__)))
    items = json_list(obj.get("items", []), "items")
    if items:
        obj["items"] = (cls.from_json(items[0]), *items[1:])
    return obj


def behaviour(b: Behaviour) -> None:
    endings = [e for e in (b.returns, b.raises, b.aborts, b.aborts_with) if e is not None]
    _check(len(endings) <= 1, f"a behaviour ends at most one way (got {endings!r})")
    _check(
        b.raises is None or b.raises in (*m.EXCEPTIONS, *m.USER_HTTP_ERRORS),
        f"unknown exception {b.raises!r}; expected one of {(*m.EXCEPTIONS, *m.USER_HTTP_ERRORS)}",
    )
    http_exception_behaviour(b)
    _check(
        b.aborts is None or (isinstance(b.aborts, int) and 400 <= b.aborts <= 599),
        f"'aborts' takes an HTTP error status, 400 to 599 (got {b.aborts!r})",
    )
    for probe in (*b.probes, *(b.copied_context or ())):
        _check(probe in m.PROBES, f"unknown probe {probe!r}; expected one of {m.PROBES}")
    for name in ("set_g", "set_session", "fill_values"):
        _check(isinstance(getattr(b, name), Mapping), f"{name!r} must be an object")
    execution_behaviour(b)


def http_exception_behaviour(b: Behaviour) -> None:
    """HTTP exceptions: an abort's description, and the response aborted with."""
    _check(
        b.description is None or (isinstance(b.description, str) and b.aborts is not None),
        f"'description' is a string, given with 'aborts' (got {b.description!r})",
    )
    _check(
        b.aborts_with is None or b.aborts_with.form in ("text", "binary", "json"),
        "'aborts_with' takes a native response value: form text, binary or json",
    )


def execution_behaviour(b: Behaviour) -> None:
    """Area execution: what a behaviour starts, and the probes taken there."""
    _check(
        b.starts is None or b.starts in m.START_KINDS,
        f"unknown start {b.starts!r}; expected one of {m.START_KINDS}",
    )
    _check(not b.started or b.starts is not None, "'started' probes need 'starts'")
    for probe in b.started:
        _check(probe in m.PROBES, f"unknown probe {probe!r}; expected one of {m.PROBES}")


def mode(owner: str, given: object, stage: str, does: Behaviour) -> None:
    """Area execution: a hook's or view's mode, and what needs one."""
    _check(
        given is None or given in m.MODES,
        f"{owner}: unknown mode {given!r}; expected one of {m.MODES}",
    )
    _check(given is None or stage != "wrap", f"{owner}: a 'wrap' hook is middleware: no mode")
    _check(
        does.starts != "task" or given == "async",
        f"{owner}: starting a task needs a running event loop: set mode='async'",
    )


def hook(h: Hook) -> None:
    _check(
        h.stage in m.HOOK_STAGES,
        f"unknown hook stage {h.stage!r}; expected one of {m.HOOK_STAGES}",
    )
    _check(
        (h.stage == "error_handler") == (h.handles is not None),
        f"hook {h.id!r}: 'handles' is set on error handlers and only there",
    )
    _check(
        not isinstance(h.handles, str)
        or h.handles in (*m.EXCEPTIONS, *m.HTTP_ERROR_BASES, *m.USER_HTTP_ERRORS),
        f"hook {h.id!r} handles unknown exception {h.handles!r}",
    )
    _check(
        h.scope is None or h.stage in m.BLUEPRINT_STAGES,
        f"hook {h.id!r}: a blueprint registers only {m.BLUEPRINT_STAGES}",
    )
    _check(not h.app_wide or h.scope is not None, f"hook {h.id!r}: app_wide needs a scope")
    _check(h.then is None or h.stage == "wrap", f"hook {h.id!r}: only a 'wrap' hook has 'then'")
    _check(
        not h.instance or isinstance(h.handles, str),
        f"hook {h.id!r}: 'instance' registers for an instance of the class 'handles' names",
    )
    _check(
        h.does.returns is None or h.does.returns.form != "handed_exception"
        or h.stage == "error_handler",
        f"hook {h.id!r}: only an error handler returns the exception it was handed",
    )  # fmt: skip
    mode(f"hook {h.id!r}", h.mode, h.stage, h.does)


def route(r: Route) -> None:
    _check(r.path.startswith("/"), f"route path {r.path!r} must start with '/'")
    for bad in ("<", ">"):
        _check(bad not in r.path, f"route path {r.path!r}: URL values are written {{name}}")
    _check(
        not r.slash_optional or r.path.endswith("/"),
        f"route {r.endpoint!r}: slash_optional needs a path ending in '/'",
    )
    mode(f"route {r.endpoint!r}", r.mode, "view", r.does)
    _check(
        r.does.returns is None or r.does.returns.form != "handed_exception",
        f"route {r.endpoint!r}: a view is handed no exception to return",
    )
    _check(
        r.view_class in m.VIEW_CLASSES,
        f"route {r.endpoint!r}: unknown view_class {r.view_class!r}; expected one of"
        f" {m.VIEW_CLASSES}",
    )
    _check(
        r.view_class != "function" or (r.init_every_request and not r.decorators),
        f"route {r.endpoint!r}: init_every_request and decorators are a class-based view's",
    )


# A method is an HTTP token (RFC 9110, section 5.6.2).
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
# A path and query of printable ASCII that every client sends as written: RFC
# 3986's unreserved and sub-delims characters, ':', '@', '/', '?' and '%'
# escapes; no space, control character, backslash, quote, '#' or brackets.
_PATH_CHARACTER = re.compile(r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]")
# Escapes of unreserved characters are the characters themselves (RFC 3986,
# section 6.2.2.2): requests decodes them, httpx does not.
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
PATH_LIMIT = 2048  # well under a server's request-line limit (gunicorn's is 4094)
_PATH_FIX = "write a path on the app's own host, such as '/items/x?q=1'"


def read_chunks(n: object) -> None:
    """Streaming area: at least one chunk, since a WSGI server takes the first
    before it sends the headers (PEP 3333): no client closes before that."""
    _check(
        n is None or (isinstance(n, int) and not isinstance(n, bool) and n >= 1),
        f"'read_chunks' is a number of chunks, 1 or more, or null (got {n!r:.80})",
    )


def request_path(path: object) -> None:
    """A request's path (and query) can only address the app it is sent to,
    and reaches it as written over every transport."""
    if not isinstance(path, str):
        raise ModelError(f"a request path must be a string (got {path!r:.80})")
    _check(
        path.startswith("/") and not path.startswith("//"),
        f"request path {path!r:.80} must start with one '/': {_PATH_FIX}",
    )
    _check(len(path) <= PATH_LIMIT, f"a request path is at most {PATH_LIMIT} characters")
    bad = next((ch for ch in path if not _PATH_CHARACTER.fullmatch(ch)), None)
    _check(
        bad is None,
        f"request path {path!r:.80} holds {bad!r}, which is not sent as written:"
        " percent-encode it (a space is '%20')",
    )
    for escape in re.finditer(r"%(.{0,2})", path):
        digits = escape.group(1)
        _check(
            re.fullmatch(r"[0-9A-Fa-f]{2}", digits) is not None,
            f"request path {path!r:.80}: '%' starts an escape of two hex digits ('%25' is '%')",
        )
        _check(
            chr(int(digits, 16)) not in _UNRESERVED,
            f"request path {path!r:.80}: {escape.group()!r} is"
            f" {chr(int(digits, 16))!r}; write that instead",
        )
    segments = path.partition("?")[0].split("/")
    _check(
        not {".", ".."} & set(segments),
        f"request path {path!r:.80} has a '.' or '..' segment, which clients resolve"
        " before sending: write the resolved path",
    )


def call(c: Call) -> None:
    _check(
        isinstance(c.method, str) and _TOKEN.fullmatch(c.method) is not None,
        f"request method {c.method!r:.40} must be an HTTP method name, such as 'GET'",
    )
    request_path(c.path)
    read_chunks(c.read_chunks)  # streaming area
    _check(isinstance(c.reads_reason, bool), f"'reads_reason' is true or false ({c!r:.80})")
    _check(
        isinstance(c.headers, dict) and all(isinstance(v, str) for v in c.headers.values()),
        f"request headers must map strings to strings (got {c.headers!r})",
    )
    for name, header in c.headers.items():
        _check(
            isinstance(name, str) and _TOKEN.fullmatch(name) is not None,
            f"request header name {name!r:.40} must be an HTTP token (letters, digits, '-')",
        )
        _check(
            not name.lower().startswith("x-conformance-"),
            f"request header {name!r:.40}: X-Conformance-* headers are the suite's own",
        )
        _check(
            not any(ch in header for ch in "\r\n\0"),
            f"request header {name!r:.40}: a value has no CR, LF or NUL (got {header!r:.40})",
        )


def scenario(s: Scenario) -> None:
    ids = [h.id for h in s.hooks] + [r.endpoint for r in s.routes]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    _check(not dupes, f"hook ids and endpoints must be unique (repeated: {dupes})")
    names = [b.name for b in s.blueprints]
    _check(len(names) == len(set(names)), f"blueprint names must be unique ({names})")
    for owner in [*(h.scope for h in s.hooks), *(r.blueprint for r in s.routes)]:
        _check(owner is None or owner in names, f"unknown blueprint {owner!r}")
    for bp in s.blueprints:
        _check(bp.parent is None or bp.parent in names, f"unknown parent {bp.parent!r}")
    steps_of_scenario(s)


def blueprint(b: Blueprint) -> None:
    """blueprints: a blueprint registered again is one the app registers itself."""
    _check(
        not b.mounts or b.parent is None,
        f"blueprint {b.name!r}: 'mounts' are registrations on the app: a nested blueprint has none",
    )
    ids = [mt.id for mt in b.mounts]
    _check(len(ids) == len(set(ids)), f"blueprint {b.name!r}: mount ids must be unique ({ids})")


def step(st: Step) -> None:
    """steps area: a step of a kind of STEP_KINDS with what that kind needs."""
    _check(st.kind in m.STEP_KINDS, f"unknown step {st.kind!r}; expected one of {m.STEP_KINDS}")
    _check(
        (st.kind == "register") == (st.hook is not None),
        f"step {st.id or st.kind!r}: 'hook' is set on a 'register' step and only there",
    )
    _check(
        st.hook is None or (st.hook.scope is None and st.hook.stage != "wrap"),
        f"step {st.id or st.kind!r}: a late registration is an app's hook, not a blueprint's"
        " or a wrapping layer",
    )
    if st.kind == "test_request_context":
        request_path(st.path)
    endings = (st.does.returns, st.does.raises, st.does.aborts, st.does.aborts_with)
    _check(
        all(e is None for e in endings) and not st.does.after_this_request,
        f"step {st.id or st.kind!r}: the test's own behaviour only probes and sets state",
    )


def steps_of_scenario(s: Scenario) -> None:
    """steps area: one "send" per request, and contexts entered before they are left."""
    if not s.steps:
        return
    _check(not s.concurrent, "a scenario with steps sends its requests one after another")
    sends = sum(st.kind == "send" for st in s.steps)
    _check(
        sends == len(s.requests),
        f"a scenario with steps has one 'send' step per request ({sends} for"
        f" {len(s.requests)} requests)",
    )
    depth = {"app_context": 0, "client": 0}
    for st in s.steps:
        for name in depth:
            depth[name] += {f"enter_{name}": 1, f"exit_{name}": -1}.get(st.kind, 0)
            _check(depth[name] >= 0, f"step 'exit_{name}' comes after an 'enter_{name}'")
        _check(depth["client"] <= 1, "the test client is entered at most once at a time")
    _check(not any(depth.values()), "every context a step enters, a later step leaves")
    config(s.config)


# config area: each name's kind of value
_CONFIG_VALUES: dict[str, tuple[type, ...]] = {
    **{name: (bool,) for name in CONFIG_NAMES},
    "secret_key": (type(None),),
    "server_name": (str,),
}


_KIND_NAMES = {bool: "true or false", type(None): "null (no secret key)", str: "a string"}


def config(c: Mapping[str, JSON]) -> None:
    _check(isinstance(c, Mapping), f"'config' must be an object (got {c!r:.80})")
    for name, setting in c.items():
        _check(name in m.CONFIG_NAMES, f"unknown config {name!r}; expected one of {m.CONFIG_NAMES}")
        kinds = _CONFIG_VALUES[name]
        _check(
            isinstance(setting, kinds) and not (bool not in kinds and isinstance(setting, bool)),
            f"config {name!r} takes {_KIND_NAMES[kinds[0]]} (got {setting!r:.40})",
        )
    server = c.get("server_name")
    _check(
        server is None or re.fullmatch(r"[a-z0-9.-]+(:[0-9]+)?", str(server)) is not None,
        "config 'server_name' is a host name and optional port, such as 'example.test'"
        f" (got {server!r:.40})",
    )


S = TypeVar("S")


def dumps(s: Scenario) -> str:
    return json.dumps(s.to_json(), sort_keys=True)


def loads(cls: type[S], text: str) -> S:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise ModelError(f"a scenario must be JSON ({exc})") from None
    built: S = cls.from_json(raw)  # type: ignore[attr-defined]
    return built


# -- urls --


def url_build(u: UrlBuild) -> None:
    _check(isinstance(u.endpoint, str) and bool(u.endpoint), "url_for needs an endpoint name")
    _check(isinstance(u.values, Mapping), f"url_for values must be an object (got {u.values!r})")
    _check(
        u.method is None or _TOKEN.fullmatch(str(u.method)) is not None,
        f"url_for method {u.method!r:.40} must be an HTTP method name, such as 'GET'",
    )


def g_op(op: GOp) -> None:
    _check(op.op in m.G_OPS, f"unknown g operation {op.op!r}; expected one of {m.G_OPS}")
    _check(op.op == "iter" or bool(op.name), f"g operation {op.op!r} needs a name")
    _check(
        len(op.args) <= (0 if op.op in ("contains", "iter") else 1),
        f"g operation {op.op!r} takes at most one argument after the name (got {op.args!r})",
    )
