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
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias, get_args

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
]
STAGES: tuple[str, ...] = get_args(Stage)
HOOK_STAGES: tuple[str, ...] = tuple(s for s in STAGES if s != "view")

Form = Literal[
    "str",  # a text body
    "bytes",  # a binary body (data is its text, encoded UTF-8 by the adapter)
    "dict",  # a mapping, which Flask-family frameworks serialise as JSON
    "list",  # a list, JSON since Flask 2.2
    "tuple",  # items: a body Value, then status and/or headers, as JSON
    "none",  # Python's None
    "int",  # an integer: a type no framework accepts as a response
    "response",  # the framework's own response object: data is the body
    "generator",  # a generator yielding the strings in data
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
    "g",  # dict: the per-request scratch, or None when it is not available
    "endpoint",  # the matched endpoint name, or None
    "view_args",  # the matched URL values, or None
    "method",  # the request method
    "path",  # the request path
    "exception",  # class name of the exception handed to this hook, or None
    "response.status",  # status code of the response handed to this hook
]
PROBES: tuple[str, ...] = get_args(Probe)


class ModelError(ValueError):
    """A scenario or observation is not well formed."""


@dataclass(frozen=True)
class Value:
    """A value returned by a hook or view, described as data.

    ``Value("str", "hi")`` is ``return "hi"``; ``Value("tuple", items=(body, 201,
    {"X-A": "1"}))`` is ``return body, 201, {"X-A": "1"}``.  For ``"response"``,
    ``status`` and ``headers`` go to the framework's response constructor.
    """

    form: Form
    data: JSON = None
    items: tuple[Value | JSON, ...] = ()
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.form not in FORMS:
            raise ModelError(f"unknown value form {self.form!r}; expected one of {FORMS}")
        if self.form == "tuple" and (not self.items or not isinstance(self.items[0], Value)):
            raise ModelError("a 'tuple' value needs items whose first item is the body Value")

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"form": self.form}
        if self.data is not None:
            out["data"] = self.data
        if self.items:
            out["items"] = [i.to_json() if isinstance(i, Value) else i for i in self.items]
        if self.status is not None:
            out["status"] = self.status
        if self.headers:
            out["headers"] = dict(self.headers)
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Value:
        obj = _object(raw, "value", {"form", "data", "items", "status", "headers"})
        items = obj.get("items") or []
        if not isinstance(items, list):
            raise ModelError(f"value 'items' must be a list (got {items!r})")
        body = [cls.from_json(items[0])] if items else []
        return cls(
            form=obj.get("form"),  # type: ignore[arg-type]  # checked in __post_init__
            data=obj.get("data"),
            items=(*body, *items[1:]),
            status=obj.get("status"),
            headers=_str_map(obj.get("headers") or {}, "value headers"),
        )


@dataclass(frozen=True)
class Behaviour:
    """What a hook or view does each time it is called, in this order:
    record an event with what each probe saw, set ``g`` keys, then end.

    At most one ending: ``returns`` a value, ``raises`` an exception named in
    EXCEPTIONS, or ``aborts`` with an HTTP status.  With none, it carries on:
    a before-hook returns None, an after-hook passes the response on, and a
    view returns None (which Flask-family frameworks reject).
    """

    probes: tuple[Probe, ...] = ()
    set_g: Mapping[str, JSON] = field(default_factory=dict)
    returns: Value | None = None
    raises: str | None = None
    aborts: int | None = None

    def __post_init__(self) -> None:
        endings = [e for e in (self.returns, self.raises, self.aborts) if e is not None]
        if len(endings) > 1:
            raise ModelError(f"a behaviour ends at most one way (got {endings!r})")
        if self.raises is not None and self.raises not in EXCEPTIONS:
            raise ModelError(f"unknown exception {self.raises!r}; expected one of {EXCEPTIONS}")
        for probe in self.probes:
            if probe not in PROBES:
                raise ModelError(f"unknown probe {probe!r}; expected one of {PROBES}")

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        if self.probes:
            out["probes"] = list(self.probes)
        if self.set_g:
            out["set_g"] = dict(self.set_g)
        if self.returns is not None:
            out["returns"] = self.returns.to_json()
        if self.raises is not None:
            out["raises"] = self.raises
        if self.aborts is not None:
            out["aborts"] = self.aborts
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Behaviour:
        obj = _object(raw, "behaviour", {"probes", "set_g", "returns", "raises", "aborts"})
        returns = obj.get("returns")
        set_g = obj.get("set_g") or {}
        if not isinstance(set_g, dict):
            raise ModelError(f"behaviour 'set_g' must be an object (got {set_g!r})")
        return cls(
            probes=tuple(_list(obj.get("probes") or [], "probes")),
            set_g=set_g,
            returns=None if returns is None else Value.from_json(returns),
            raises=obj.get("raises"),
            aborts=obj.get("aborts"),
        )


@dataclass(frozen=True)
class Hook:
    """A function registered on the app for one stage of the lifecycle.

    Error handlers name what they handle: a status code or an exception name.
    """

    id: str
    stage: Stage
    does: Behaviour = field(default_factory=Behaviour)
    handles: int | str | None = None

    def __post_init__(self) -> None:
        if self.stage not in HOOK_STAGES:
            raise ModelError(f"unknown hook stage {self.stage!r}; expected one of {HOOK_STAGES}")
        if (self.stage == "error_handler") != (self.handles is not None):
            raise ModelError(f"hook {self.id!r}: 'handles' is set on error handlers and only there")
        if isinstance(self.handles, str) and self.handles not in EXCEPTIONS:
            raise ModelError(f"hook {self.id!r} handles unknown exception {self.handles!r}")

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"id": self.id, "stage": self.stage, "does": self.does.to_json()}
        if self.handles is not None:
            out["handles"] = self.handles
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Hook:
        obj = _object(raw, "hook", {"id", "stage", "does", "handles"})
        return cls(
            id=_str(obj.get("id"), "hook id"),
            stage=obj.get("stage"),  # type: ignore[arg-type]
            does=Behaviour.from_json(obj.get("does") or {}),
            handles=obj.get("handles"),
        )


@dataclass(frozen=True)
class Route:
    """A URL rule and its view.  ``<name>`` in the path is a string URL value;
    the endpoint is also the id the view's events carry."""

    path: str
    endpoint: str
    does: Behaviour = field(default_factory=Behaviour)
    methods: tuple[str, ...] = ("GET",)

    def to_json(self) -> dict[str, JSON]:
        return {
            "path": self.path,
            "endpoint": self.endpoint,
            "does": self.does.to_json(),
            "methods": list(self.methods),
        }

    @classmethod
    def from_json(cls, raw: JSON) -> Route:
        obj = _object(raw, "route", {"path", "endpoint", "does", "methods"})
        return cls(
            path=_str(obj.get("path"), "route path"),
            endpoint=_str(obj.get("endpoint"), "route endpoint"),
            does=Behaviour.from_json(obj.get("does") or {}),
            methods=tuple(_list(obj.get("methods") or ["GET"], "methods")),
        )


@dataclass(frozen=True)
class Call:
    """One request sent to the app."""

    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"method": self.method, "path": self.path}
        if self.headers:
            out["headers"] = dict(self.headers)
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Call:
        obj = _object(raw, "request", {"method", "path", "headers"})
        return cls(
            method=_str(obj.get("method", "GET"), "request method"),
            path=_str(obj.get("path", "/"), "request path"),
            headers=_str_map(obj.get("headers") or {}, "request headers"),
        )


@dataclass(frozen=True)
class Scenario:
    """An app and the requests sent to it, in order, one after another."""

    routes: tuple[Route, ...] = ()
    hooks: tuple[Hook, ...] = ()
    requests: tuple[Call, ...] = (Call(),)

    def __post_init__(self) -> None:
        ids = [h.id for h in self.hooks] + [r.endpoint for r in self.routes]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ModelError(f"hook ids and endpoints must be unique (repeated: {dupes})")

    def behaviours(self) -> list[tuple[str, Behaviour]]:
        """Every (stage, behaviour) in the app, views included."""
        hooks: list[tuple[str, Behaviour]] = [(h.stage, h.does) for h in self.hooks]
        return hooks + [("view", r.does) for r in self.routes]

    def to_json(self) -> dict[str, JSON]:
        return {
            "routes": [r.to_json() for r in self.routes],
            "hooks": [h.to_json() for h in self.hooks],
            "requests": [c.to_json() for c in self.requests],
        }

    @classmethod
    def from_json(cls, raw: JSON) -> Scenario:
        obj = _object(raw, "scenario", {"routes", "hooks", "requests"})
        return cls(
            routes=tuple(Route.from_json(r) for r in _list(obj.get("routes") or [], "routes")),
            hooks=tuple(Hook.from_json(h) for h in _list(obj.get("hooks") or [], "hooks")),
            requests=tuple(
                Call.from_json(c) for c in _list(obj.get("requests") or [{}], "requests")
            ),
        )

    def dumps(self) -> str:
        return json.dumps(self.to_json(), indent=2, sort_keys=True)

    @classmethod
    def loads(cls, text: str) -> Scenario:
        return cls.from_json(json.loads(text))


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
