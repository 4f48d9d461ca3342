"""The whole vocabulary: scenarios going in, observations coming out.

Everything here is plain, frozen data that round-trips through JSON, so a
scenario can be generated, shrunk, printed as a reproducible case, or sent to a
server in another process.  No Python callables ever appear in a scenario.

A *scenario* is an app (routes and hooks) plus the requests sent to it.  Every
hook and view does one *behaviour*: it always records an event carrying what
its probes saw, may set keys on the per-request scratch (``g``), and then ends
in one of four ways: carry on, return a value, raise an exception, or abort
with an HTTP status.  Running a scenario yields an *observation*: per request,
the response and the ordered trace of events.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Literal, TypeAlias, get_args

from ._errors import Divergence

# Covariant containers, so a list[str] or dict[str, int] is JSON too.
JSON: TypeAlias = "bool | int | float | str | Sequence[JSON] | Mapping[str, JSON] | None"

Stage = Literal[
    "url_value_preprocessor",  # sees the endpoint and URL values, before any before-hook
    "before",  # before-request; returning a value short-circuits the view
    "view",  # the route's own function
    "after",  # after-request; handed the response, hands one on
    "teardown",  # teardown-request; handed the exception, always runs
    "teardown_app",  # teardown of the application context, after teardown-request
    "error_handler",  # registered for a status code or an exception class
    # Signals, where the framework has them; receivers only record.
    "request_started",
    "request_finished",  # handed the response
    "got_request_exception",  # handed the unhandled exception
    "request_tearing_down",  # handed the exception teardown gets
    "appcontext_pushed",
    "appcontext_tearing_down",  # handed the exception
    "appcontext_popped",
    # Events no hook is registered for: they come from what a behaviour did.
    "after_this_request",  # a callback registered during the request, for it only
    "copied_context",  # a function run in another thread with a copied request context
    "stream",  # a chunk of a streamed body being produced
]
STAGES: tuple[str, ...] = get_args(Stage)
SIGNALS: tuple[str, ...] = STAGES[7:14]
HOOK_STAGES: tuple[str, ...] = tuple(
    s for s in STAGES if s not in ("view", "after_this_request", "copied_context", "stream")
)
# What a blueprint can register for its own routes (and, app_wide, for all).
BLUEPRINT_STAGES: tuple[str, ...] = (
    "url_value_preprocessor",
    "before",
    "after",
    "teardown",
    "error_handler",
)

Form = Literal[
    "str",  # a text body
    "bytes",  # a binary body (data is its text, encoded UTF-8 by the adapter)
    "dict",  # a mapping, which Flask-family frameworks serialise as JSON
    "list",  # a list, JSON since Flask 2.2
    "tuple",  # items: a body Value, then status and/or headers, as JSON
    "none",  # Python's None
    "int",  # an integer: a type no framework accepts as a response
    "response",  # the framework's own response object: data is the body
    "generator",  # a generator yielding the strings in data, recording a "stream" event each
    "wsgi",  # a WSGI application answering status (default 200), text/plain, body data
]
FORMS: tuple[str, ...] = get_args(Form)

# The exceptions a behaviour can raise, by name.  A closed set of builtins so
# that an error handler "for LookupError" catching a KeyError means the same
# in every framework.
EXCEPTIONS: tuple[str, ...] = (
    "Exception",
    "LookupError",
    "KeyError",
    "IndexError",
    "ValueError",
    "RuntimeError",
    "TypeError",
    "ZeroDivisionError",
)

# What a probe can look at.  Context probes ask the framework; argument probes
# describe what the framework handed to the hook.
Probe = Literal[
    "request",  # bool: a request context is active (the request proxy works)
    "app",  # bool: an application context is active (current_app works)
    "session",  # bool: the session is usable
    "session.data",  # dict: the session's contents, or None when it is not available
    "g",  # dict: the per-request scratch, or None when it is not available
    "endpoint",  # the matched endpoint name, or None
    "view_args",  # the matched URL values, or None
    "blueprints",  # the blueprints of the matched endpoint, innermost first, or None
    "method",  # the request method
    "path",  # the request path
    "url_for",  # the URL built for endpoint "index", or "<ExceptionName>" if that fails
    "request.error",  # exception class raised by using the request proxy, or None
    "app.error",  # exception class raised by using the current_app proxy, or None
    "exception",  # class name of the exception handed to this hook, or None
    "response.status",  # status code of the response handed to this hook
]
PROBES: tuple[str, ...] = get_args(Probe)


class ModelError(ValueError):
    """A scenario or observation is not well formed."""


# -- JSON checking helpers: one-line errors naming the field and the value --


def _object(raw: JSON, what: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ModelError(f"{what} must be a JSON object (got {raw!r})")
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ModelError(f"{what} has unknown keys {unknown}; allowed: {sorted(keys)}")
    return raw


def _list(raw: JSON, what: str) -> list[Any]:
    if not isinstance(raw, list):
        raise ModelError(f"{what!r} must be a JSON array (got {raw!r})")
    return raw


def _str(raw: JSON, what: str) -> str:
    if not isinstance(raw, str):
        raise ModelError(f"{what} must be a string (got {raw!r})")
    return raw


def _str_map(raw: JSON, what: str) -> dict[str, str]:
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise ModelError(f"{what} must map strings to strings (got {raw!r})")
    return dict(raw)


class _Data:
    """JSON for the frozen dataclasses below: fields equal to their default
    are left out, nested dataclasses are named in ``_nested``, and fields
    that hold tuples (JSON arrays come back as lists) in ``_tuples``."""

    _nested: ClassVar[Mapping[str, Any]] = {}
    _tuples: ClassVar[frozenset[str]] = frozenset()

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for f in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, f.name)
            if f.default is not MISSING and value == f.default:
                continue
            if f.default_factory is not MISSING and value == f.default_factory():
                continue
            out[f.name] = _encode(value)
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Any:
        what = cls.__name__.lower()
        obj = _object(raw, what, {f.name for f in fields(cls)})  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for name, value in obj.items():
            nested = cls._nested.get(name)
            if isinstance(nested, tuple):
                kwargs[name] = tuple(nested[0].from_json(v) for v in _list(value, name))
            elif nested is not None:
                kwargs[name] = None if value is None else nested.from_json(value)
            elif name in cls._tuples and isinstance(value, list):
                kwargs[name] = tuple(value)
            else:
                kwargs[name] = value
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ModelError(f"{what} {raw!r} is incomplete: {exc}") from None


def _encode(value: Any) -> JSON:
    if isinstance(value, _Data):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _encode(v) for k, v in value.items()}
    return value  # type: ignore[no-any-return]


def _check(ok: bool, message: str) -> None:
    if not ok:
        raise ModelError(message)


@dataclass(frozen=True)
class Value(_Data):
    """A value returned by a hook or view, described as data.

    ``Value("str", "hi")`` is ``return "hi"``; ``Value("tuple", items=(body, 201,
    {"X-A": "1"}))`` is ``return body, 201, {"X-A": "1"}``.  For ``"response"``,
    ``status`` and ``headers`` go to the framework's response constructor.  A
    ``"generator"`` with ``keeps_context`` is wrapped so the request context
    stays active while it runs (Flask's ``stream_with_context``).
    """

    form: Form
    data: JSON = None
    items: tuple[Value | JSON, ...] = ()
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    keeps_context: bool = False

    def __post_init__(self) -> None:
        _check(self.form in FORMS, f"unknown value form {self.form!r}; expected one of {FORMS}")
        if self.form == "tuple":
            _check(
                bool(self.items) and isinstance(self.items[0], Value),
                "a 'tuple' value needs items whose first item is the body Value",
            )
        _check(
            not self.keeps_context or self.form == "generator",
            "only a 'generator' value can keep the context",
        )
        _check(isinstance(self.headers, Mapping), f"value headers must be an object ({self!r})")

    @classmethod
    def from_json(cls, raw: JSON) -> Value:
        obj = dict(_object(raw, "value", {f.name for f in fields(cls)}))
        items = _list(obj.get("items", []), "items")
        if items:  # the body is a Value; status and headers stay JSON
            obj["items"] = (cls.from_json(items[0]), *items[1:])
        value: Value = super().from_json(obj)
        return value


@dataclass(frozen=True)
class Behaviour(_Data):
    """What a hook or view does each time it is called, in this order:
    record an event with what each probe saw; set ``g`` and session keys;
    register ``after_this_request`` callbacks (each records an event and
    passes the response on); run a function with a copied request context in
    another thread (``copied_context``, its probes; it records an event); meet
    the other concurrent requests (``rendezvous``); then end.

    At most one ending: ``returns`` a value, ``raises`` an exception named in
    EXCEPTIONS, or ``aborts`` with an HTTP status.  With none, it carries on:
    a before-hook returns None, an after-hook passes the response on, and a
    view returns None (which Flask-family frameworks reject).
    """

    probes: tuple[Probe, ...] = ()
    set_g: Mapping[str, JSON] = field(default_factory=dict)
    set_session: Mapping[str, JSON] = field(default_factory=dict)
    after_this_request: tuple[str, ...] = ()
    copied_context: tuple[Probe, ...] | None = None
    rendezvous: bool = False
    returns: Value | None = None
    raises: str | None = None
    aborts: int | None = None

    _nested: ClassVar[Mapping[str, Any]] = {"returns": Value}
    _tuples: ClassVar[frozenset[str]] = frozenset(
        {"probes", "after_this_request", "copied_context"}
    )

    def __post_init__(self) -> None:
        endings = [e for e in (self.returns, self.raises, self.aborts) if e is not None]
        _check(len(endings) <= 1, f"a behaviour ends at most one way (got {endings!r})")
        _check(
            self.raises is None or self.raises in EXCEPTIONS,
            f"unknown exception {self.raises!r}; expected one of {EXCEPTIONS}",
        )
        _check(
            self.aborts is None or isinstance(self.aborts, int),
            f"'aborts' takes a status code (got {self.aborts!r})",
        )
        for probe in (*self.probes, *(self.copied_context or ())):
            _check(probe in PROBES, f"unknown probe {probe!r}; expected one of {PROBES}")
        for name in ("set_g", "set_session"):
            _check(isinstance(getattr(self, name), Mapping), f"{name!r} must be an object")


@dataclass(frozen=True)
class Blueprint(_Data):
    """A group of routes and hooks mounted under ``url_prefix``; ``parent``
    nests it in another blueprint (whose prefix comes first)."""

    name: str
    url_prefix: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Hook(_Data):
    """A function registered for one stage of the lifecycle.

    Error handlers name what they handle: a status code or an exception name.
    ``scope`` is the blueprint that registers it (None: the app); a
    blueprint's hook runs for that blueprint's routes only, unless
    ``app_wide`` (Flask's ``before_app_request`` and kin).
    """

    id: str
    stage: Stage
    does: Behaviour = field(default_factory=Behaviour)
    handles: int | str | None = None
    scope: str | None = None
    app_wide: bool = False

    _nested: ClassVar[Mapping[str, Any]] = {"does": Behaviour}

    def __post_init__(self) -> None:
        _check(
            self.stage in HOOK_STAGES,
            f"unknown hook stage {self.stage!r}; expected one of {HOOK_STAGES}",
        )
        _check(
            (self.stage == "error_handler") == (self.handles is not None),
            f"hook {self.id!r}: 'handles' is set on error handlers and only there",
        )
        _check(
            not isinstance(self.handles, str) or self.handles in EXCEPTIONS,
            f"hook {self.id!r} handles unknown exception {self.handles!r}",
        )
        _check(
            self.scope is None or self.stage in BLUEPRINT_STAGES,
            f"hook {self.id!r}: a blueprint registers only {BLUEPRINT_STAGES}",
        )
        _check(
            not self.app_wide or self.scope is not None, f"hook {self.id!r}: app_wide needs a scope"
        )


@dataclass(frozen=True)
class Route(_Data):
    """A URL rule and its view.  ``<name>`` in the path is a string URL value.
    On a blueprint, the path is below the blueprint's prefix and the endpoint
    the framework sees is ``blueprint.endpoint``; events carry ``endpoint``."""

    path: str
    endpoint: str
    does: Behaviour = field(default_factory=Behaviour)
    methods: tuple[str, ...] = ("GET",)
    blueprint: str | None = None
    strict_slashes: bool = True

    _nested: ClassVar[Mapping[str, Any]] = {"does": Behaviour}
    _tuples: ClassVar[frozenset[str]] = frozenset({"methods"})


@dataclass(frozen=True)
class Call(_Data):
    """One request sent to the app."""

    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _str_map(self.headers, "request headers")


@dataclass(frozen=True)
class Scenario(_Data):
    """An app and the requests sent to it: one after another, or all at once
    from separate threads when ``concurrent``."""

    routes: tuple[Route, ...] = ()
    hooks: tuple[Hook, ...] = ()
    requests: tuple[Call, ...] = (Call(),)
    blueprints: tuple[Blueprint, ...] = ()
    concurrent: bool = False

    _nested: ClassVar[Mapping[str, Any]] = {
        "routes": (Route,),
        "hooks": (Hook,),
        "requests": (Call,),
        "blueprints": (Blueprint,),
    }

    def __post_init__(self) -> None:
        ids = [h.id for h in self.hooks] + [r.endpoint for r in self.routes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        _check(not dupes, f"hook ids and endpoints must be unique (repeated: {dupes})")
        names = [b.name for b in self.blueprints]
        _check(len(names) == len(set(names)), f"blueprint names must be unique ({names})")
        for owner in [*(h.scope for h in self.hooks), *(r.blueprint for r in self.routes)]:
            _check(owner is None or owner in names, f"unknown blueprint {owner!r}")
        for bp in self.blueprints:
            _check(bp.parent is None or bp.parent in names, f"unknown parent {bp.parent!r}")

    def behaviours(self) -> list[tuple[str, Behaviour]]:
        """Every (stage, behaviour) in the app, views included."""
        hooks: list[tuple[str, Behaviour]] = [(h.stage, h.does) for h in self.hooks]
        return hooks + [("view", r.does) for r in self.routes]

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> Scenario:
        scenario: Scenario = cls.from_json(json.loads(text))
        return scenario


@dataclass(frozen=True)
class Event:
    """One call of a hook or view: which one, at what stage, what it saw."""

    hook: str
    stage: str
    seen: Mapping[str, JSON] = field(default_factory=dict)

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"hook": self.hook, "stage": self.stage}
        if self.seen:
            out["seen"] = dict(self.seen)
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Event:
        obj = _object(raw, "event", {"hook", "stage", "seen"})
        seen = obj.get("seen") or {}
        if not isinstance(seen, dict):
            raise ModelError(f"event 'seen' must be an object (got {seen!r})")
        return cls(_str(obj.get("hook"), "event hook"), _str(obj.get("stage"), "stage"), seen)


@dataclass(frozen=True)
class Exchange:
    """One request, the response it got and the trace of events it caused."""

    request: Call
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    trace: tuple[Event, ...]
    # The exception class the app raised into the server instead of answering.
    escaped: str | None = None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> JSON:
        """The body parsed as JSON; for a body that is not JSON, a string
        saying so (never an exception: a test compares, it does not crash)."""
        try:
            value: JSON = json.loads(self.body)
        except ValueError:
            return f"<not JSON: {self.text[:80]!r}>"
        return value

    def order(self) -> list[str]:
        """The ids of the hooks and views called, in call order."""
        return [e.hook for e in self.trace]

    def seen(self, hook: str, probe: str) -> JSON:
        """What ``probe`` saw in the first event of ``hook``.

        Fails as a Divergence when ``hook`` was never called."""
        for event in self.trace:
            if event.hook == hook:
                if probe not in event.seen:
                    raise ModelError(f"hook {hook!r} did not probe {probe!r}")
                return event.seen[probe]
        # The framework never called it: a finding about the framework, so a
        # failure of the clause, not an error of the test.
        raise Divergence(
            f"whether {hook!r} was called", expected=f"{hook} called", observed=self.order()
        )

    def to_json(self) -> dict[str, JSON]:
        try:
            body: dict[str, JSON] = {"text": self.body.decode("utf-8")}
        except UnicodeDecodeError:
            body = {"base64": base64.b64encode(self.body).decode("ascii")}
        return {
            "request": self.request.to_json(),
            "status": self.status,
            "headers": [[k, v] for k, v in self.headers],
            "body": body,
            "trace": [e.to_json() for e in self.trace],
            "escaped": self.escaped,
        }

    @classmethod
    def from_json(cls, raw: JSON) -> Exchange:
        obj = _object(raw, "exchange", {"request", "status", "headers", "body", "trace", "escaped"})
        body = _object(obj.get("body") or {"text": ""}, "body", {"text", "base64"})
        data = (
            base64.b64decode(_str(body["base64"], "body"))
            if "base64" in body
            else _str(body.get("text", ""), "body").encode("utf-8")
        )
        status = obj.get("status")
        if not isinstance(status, int):
            raise ModelError(f"exchange 'status' must be an integer (got {status!r})")
        return cls(
            request=Call.from_json(obj.get("request") or {}),
            status=status,
            headers=tuple(
                (_str(k, "header"), _str(v, "header"))
                for k, v in _list(obj.get("headers") or [], "headers")
            ),
            body=data,
            trace=tuple(Event.from_json(e) for e in _list(obj.get("trace") or [], "trace")),
            escaped=obj.get("escaped"),
        )


@dataclass(frozen=True)
class Observation:
    """What running a scenario produced: one exchange per request, in order."""

    exchanges: tuple[Exchange, ...]

    @property
    def only(self) -> Exchange:
        """The exchange of a one-request scenario."""
        if len(self.exchanges) != 1:
            raise ModelError(f"expected one exchange, got {len(self.exchanges)}")
        return self.exchanges[0]

    def __getitem__(self, index: int) -> Exchange:
        return self.exchanges[index]

    def to_json(self) -> dict[str, JSON]:
        return {"exchanges": [x.to_json() for x in self.exchanges]}

    @classmethod
    def from_json(cls, raw: JSON) -> Observation:
        obj = _object(raw, "observation", {"exchanges"})
        return cls(tuple(Exchange.from_json(x) for x in _list(obj.get("exchanges"), "exchanges")))
