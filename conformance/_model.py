"""The whole vocabulary: scenarios going in, observations coming out.

Plain, frozen data that round-trips through JSON (``_codec``), checked on
construction (``_validate``), read by tests through ``_reading``, built from
the closed lists of ``_vocabulary``.  No Python callables ever appear in a
scenario.

A *scenario* is an app (routes and hooks) plus the requests sent to it.  Every
hook and view does one *behaviour*: it records an event carrying what its
probes saw, may set per-request state, and then ends one way: carry on,
answer (return a value), raise an exception, or abort with an HTTP status.
Stages and forms name concepts; each adapter picks its framework's construct.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from . import _validate
from ._codec import JSON as JSON  # re-exported: the vocabulary's JSON type
from ._codec import Data
from ._reading import ExchangeReading, ObservationReading
from ._vocabulary import (
    BLUEPRINT_STAGES as BLUEPRINT_STAGES,
)
from ._vocabulary import (
    CONSEQUENCES as CONSEQUENCES,
)
from ._vocabulary import (
    CONVERSION_FORMS as CONVERSION_FORMS,
)
from ._vocabulary import (
    EXCEPTIONS as EXCEPTIONS,
)
from ._vocabulary import (
    FORMS as FORMS,
)
from ._vocabulary import (
    HANDED_PROBES as HANDED_PROBES,
)
from ._vocabulary import (
    HOOK_STAGES as HOOK_STAGES,
)
from ._vocabulary import (
    NATIVE_FORMS as NATIVE_FORMS,
)
from ._vocabulary import (
    PROBES as PROBES,
)
from ._vocabulary import (
    SIGNALS as SIGNALS,
)
from ._vocabulary import (
    STAGES as STAGES,
)
from ._vocabulary import (
    Consequence as Consequence,
)
from ._vocabulary import (
    ConversionForm as ConversionForm,
)
from ._vocabulary import (
    ExceptionName as ExceptionName,
)
from ._vocabulary import (
    Form as Form,
)
from ._vocabulary import (
    NativeForm as NativeForm,
)
from ._vocabulary import (
    Probe as Probe,
)
from ._vocabulary import (  # re-exported: the closed lists
    RequestStage as RequestStage,
)
from ._vocabulary import (
    Signal as Signal,
)
from ._vocabulary import (
    Stage as Stage,
)


@dataclass(frozen=True)
class Value(Data):
    """A value a hook or view answers with, described as data.

    ``Value("text", "hi", status=201)`` is the framework's text response;
    ``Value("tuple", items=(Value("str", "hi"), 201))`` is Flask's
    ``return "hi", 201``.  ``keeps_context`` (streams only) keeps the request
    context active while the chunks are produced (``stream_with_context``);
    ``chunk_probes`` (streams only) are probed in every chunk.
    """

    form: Form
    data: JSON = None
    items: tuple[Value | JSON, ...] = ()
    status: int | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    keeps_context: bool = False
    # area returns: what each chunk of a stream records besides "request".
    chunk_probes: tuple[Probe, ...] = ()

    _tuples: ClassVar[frozenset[str]] = frozenset({"chunk_probes"})

    def __post_init__(self) -> None:
        _validate.value(self)

    @classmethod
    def from_json(cls, raw: JSON) -> Value:
        value: Value = super().from_json(_validate.value_items(cls, raw))
        return value


@dataclass(frozen=True)
class Behaviour(Data):
    """What a hook or view does each time it is called, in this order:
    record an event with what each probe saw; set ``g`` and session keys;
    register ``after_this_request`` callbacks (each records an event and
    passes the response on); run a function with a copied request context
    (``copied_context``, its probes); meet the other concurrent requests
    (``rendezvous``); then end at most one way: ``returns`` (answer with a
    value), ``raises`` (an exception of EXCEPTIONS) or ``aborts`` (the
    framework's HTTP error of that status).  With none, it carries on.
    """

    probes: tuple[Probe, ...] = ()
    set_g: Mapping[str, JSON] = field(default_factory=dict)
    set_session: Mapping[str, JSON] = field(default_factory=dict)
    after_this_request: tuple[str, ...] = ()
    copied_context: tuple[Probe, ...] | None = None
    rendezvous: bool = False
    returns: Value | None = None
    raises: ExceptionName | None = None
    aborts: int | None = None

    _nested: ClassVar[Mapping[str, object]] = {"returns": Value}
    _tuples: ClassVar[frozenset[str]] = frozenset(
        {"probes", "after_this_request", "copied_context"}
    )

    def __post_init__(self) -> None:
        _validate.behaviour(self)


@dataclass(frozen=True)
class Blueprint(Data):
    """A group of routes and hooks mounted under ``url_prefix``; ``parent``
    nests it in another blueprint (whose prefix comes first)."""

    name: str
    url_prefix: str = ""
    parent: str | None = None


@dataclass(frozen=True)
class Hook(Data):
    """A function registered for one stage.  Error handlers name what they
    handle (a status code or an exception name).  ``scope`` is the blueprint
    that registers it (None: the app), ``app_wide`` its variant for every
    request.  A ``wrap`` hook does ``does`` before the next layer and
    ``then`` after it (handed the response; answering replaces it).
    ``observer`` marks a hook the scenario adds only to observe (a recorder,
    a decoy): where the framework lacks what it needs, it is dropped, with
    the assertions that read it, instead of making the scenario inapplicable.
    """

    id: str
    stage: Stage
    does: Behaviour = field(default_factory=Behaviour)
    handles: int | ExceptionName | None = None
    scope: str | None = None
    app_wide: bool = False
    then: Behaviour | None = None
    observer: bool = False

    _nested: ClassVar[Mapping[str, object]] = {"does": Behaviour, "then": Behaviour}

    def __post_init__(self) -> None:
        _validate.hook(self)


@dataclass(frozen=True)
class Route(Data):
    """A route and its view.  ``{name}`` in the path is a string URL value; on
    a blueprint, the path is below the blueprint's prefix and the endpoint
    the framework sees is ``blueprint.endpoint``.  ``slash_optional``: a path
    ending in ``/`` also serves the path without it."""

    path: str
    endpoint: str
    does: Behaviour = field(default_factory=Behaviour)
    methods: tuple[str, ...] = ("GET",)
    blueprint: str | None = None
    slash_optional: bool = False

    _nested: ClassVar[Mapping[str, object]] = {"does": Behaviour}
    _tuples: ClassVar[frozenset[str]] = frozenset({"methods"})

    def __post_init__(self) -> None:
        _validate.route(self)


@dataclass(frozen=True)
class Call(Data):
    """One request sent to the app."""

    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _validate.call(self)


@dataclass(frozen=True)
class Scenario(Data):
    """An app and the requests sent to it: one after another, or all at once
    when ``concurrent``."""

    routes: tuple[Route, ...] = ()
    hooks: tuple[Hook, ...] = ()
    requests: tuple[Call, ...] = (Call(),)
    blueprints: tuple[Blueprint, ...] = ()
    concurrent: bool = False

    _nested: ClassVar[Mapping[str, object]] = {
        "routes": (Route,),
        "hooks": (Hook,),
        "requests": (Call,),
        "blueprints": (Blueprint,),
    }

    def __post_init__(self) -> None:
        _validate.scenario(self)

    def dumps(self) -> str:
        return _validate.dumps(self)

    @classmethod
    def loads(cls, text: str) -> Scenario:
        return _validate.loads(cls, text)


@dataclass(frozen=True)
class Event(Data):
    """One call of a hook or view: which one, at what stage, what it saw."""

    hook: str
    stage: str
    seen: Mapping[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True)
class Exchange(ExchangeReading):
    """One request, the response it got and the trace of events it caused.
    ``escaped`` names the exception the app raised into the server instead
    of answering; ``dropped`` the observer hooks the framework could not run."""

    request: Call
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    trace: tuple[Event, ...]
    escaped: str | None = None
    dropped: tuple[str, ...] = ()


@dataclass(frozen=True)
class Observation(ObservationReading):
    """What running a scenario produced: one exchange per request, in order."""

    exchanges: tuple[Exchange, ...]
