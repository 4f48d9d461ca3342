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
from ._vocabulary import (  # config area
    CONFIG_NAMES as CONFIG_NAMES,
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
from ._vocabulary import (  # urls
    G_OPS as G_OPS,
)
from ._vocabulary import (
    HANDED_PROBES as HANDED_PROBES,
)
from ._vocabulary import (
    HOOK_STAGES as HOOK_STAGES,
)
from ._vocabulary import (
    HTTP_ERROR_BASES as HTTP_ERROR_BASES,
)
from ._vocabulary import MODES as MODES  # area execution
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
from ._vocabulary import START_KINDS as START_KINDS
from ._vocabulary import (  # steps area
    STEP_KINDS as STEP_KINDS,
)
from ._vocabulary import USER_HTTP_ERRORS as USER_HTTP_ERRORS  # HTTP exceptions
from ._vocabulary import (
    VIEW_CLASSES as VIEW_CLASSES,
)
from ._vocabulary import (
    ConfigName as ConfigName,
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
    GOpName as GOpName,
)
from ._vocabulary import (
    HttpErrorBase as HttpErrorBase,
)
from ._vocabulary import Mode as Mode
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
from ._vocabulary import StartKind as StartKind
from ._vocabulary import (
    StepKind as StepKind,
)
from ._vocabulary import UserHttpErrorName as UserHttpErrorName
from ._vocabulary import (
    ViewClass as ViewClass,
)


@dataclass(frozen=True)
class Value(Data):
    """A value a hook or view answers with, described as data.

    ``Value("text", "hi", status=201)`` is the framework's text response;
    ``Value("tuple", items=(Value("str", "hi"), 201))`` is Flask's
    ``return "hi", 201``.  ``keeps_context`` (streams only) keeps the request
    context active while the chunks are produced (``stream_with_context``);
    ``chunk_probes`` (streams only) are probed in every chunk.  ``status``
    may be a status line, ``"299 SOMETHING"`` (response area: a native form's
    or a Werkzeug-style helper's; the scenario then needs "reason-phrase").
    """

    form: Form
    data: JSON = None
    items: tuple[Value | JSON, ...] = ()
    status: int | str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    keeps_context: bool = False
    # area returns: what each chunk of a stream records besides "request".
    chunk_probes: tuple[Probe, ...] = ()
    # streaming area: the stream records a "stream" event "closed" in its
    # finally block, with "exhausted" (whether it produced every chunk).
    records_close: bool = False

    _tuples: ClassVar[frozenset[str]] = frozenset({"chunk_probes"})

    def __post_init__(self) -> None:
        _validate.value(self)

    @classmethod
    def from_json(cls, raw: JSON) -> Value:
        value: Value = super().from_json(_validate.value_items(cls, raw))
        return value


@dataclass(frozen=True)
class UrlBuild(Data):
    """urls: one call of the framework's ``url_for``: ``endpoint`` with URL
    ``values`` (a value the rule does not take goes in the query string),
    ``external`` (``_external=True``), ``anchor`` (``_anchor``) and
    ``method`` (``_method``).  Its result is the URL built, or
    ``"<ExceptionName>"`` when building raised."""

    endpoint: str = "index"
    values: Mapping[str, JSON] = field(default_factory=dict)
    external: bool = False
    anchor: str | None = None
    method: str | None = None

    def __post_init__(self) -> None:
        _validate.url_build(self)


@dataclass(frozen=True)
class GOp(Data):
    """urls: one use of ``g`` as an object: ``g.get(name, *args)``,
    ``g.pop(name, *args)``, ``g.setdefault(name, *args)``, ``name in g`` or
    ``list(g)`` (``iter``, sorted; ``name`` unused).  Its result is what the
    operation returned, or ``"<ExceptionName>"`` when it raised."""

    op: GOpName
    name: str = ""
    args: tuple[JSON, ...] = ()

    _tuples: ClassVar[frozenset[str]] = frozenset({"args"})

    def __post_init__(self) -> None:
        _validate.g_op(self)


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
    raises: ExceptionName | UserHttpErrorName | None = None
    aborts: int | None = None
    # area execution: work started (and waited for) after the copied context
    # and before the rendezvous; it records a "started" event with ``started``.
    starts: StartKind | None = None
    started: tuple[Probe, ...] = ()
    # urls: done right after the probes, before the event is recorded; the
    # results go in the event, as "g_ops" and "urls" (lists, in order).
    g_ops: tuple[GOp, ...] = ()  # uses of g as an object (feature "g-api")
    build_urls: tuple[UrlBuild, ...] = ()  # url_for calls (feature "url-building")
    # urls: what a url_value_preprocessor does with the URL values it is
    # handed: pop each of these, keeping it on g under its name
    pop_values: tuple[str, ...] = ()
    # urls: what a url_defaults function does with the values url_for builds
    # with: values.setdefault(name, value) for each
    fill_values: Mapping[str, JSON] = field(default_factory=dict)
    # HTTP exceptions: ``aborts`` with a description (abort(status,
    # description=...)); ``aborts_with`` ends by aborting with the native
    # response it describes (abort(response)); ``raises`` may also name a
    # user-defined HTTP error class (USER_HTTP_ERRORS).
    description: str | None = None
    aborts_with: Value | None = None

    _nested: ClassVar[Mapping[str, object]] = {
        "returns": Value,
        "aborts_with": Value,  # HTTP exceptions
        "g_ops": (GOp,),  # urls
        "build_urls": (UrlBuild,),  # urls
    }
    _tuples: ClassVar[frozenset[str]] = frozenset(
        {"probes", "after_this_request", "copied_context", "started", "pop_values"}
    )

    def __post_init__(self) -> None:
        _validate.behaviour(self)


@dataclass(frozen=True)
class Mount(Data):
    """blueprints: one more registration of a blueprint already registered
    on the app, under ``url_prefix`` and ``name`` (None: the name it was
    made with; Flask's ``register_blueprint(bp, name=...)``).  Registering
    records one "mounted" event, hook ``id``, when the app is built, at the
    head of the first request's trace: what registering raised ("error") and
    warned ("warning"), as class names, or None."""

    id: str
    url_prefix: str = ""
    name: str | None = None


@dataclass(frozen=True)
class Blueprint(Data):
    """A group of routes and hooks mounted under ``url_prefix``; ``parent``
    nests it in another blueprint (whose prefix comes first).  ``mounts``
    (blueprints; a top-level blueprint only): registered again on the app
    after its first registration, once per Mount, in order."""

    name: str
    url_prefix: str = ""
    parent: str | None = None
    mounts: tuple[Mount, ...] = ()

    _nested: ClassVar[Mapping[str, object]] = {"mounts": (Mount,)}

    def __post_init__(self) -> None:
        _validate.blueprint(self)


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
    handles: int | ExceptionName | HttpErrorBase | UserHttpErrorName | None = None
    scope: str | None = None
    app_wide: bool = False
    then: Behaviour | None = None
    observer: bool = False
    mode: Mode | None = None  # area execution: plain or async def; None: the adapter's choice
    # HTTP exceptions: registered for an instance of the exception class
    # ``handles`` names, not the class (what a framework refuses: a step's hook)
    instance: bool = False

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
    mode: Mode | None = None  # area execution: plain or async def; None: the adapter's choice
    # urls: how the view is written (feature "class-based-views" unless
    # "function"): a View whose ``methods`` are ``methods``, or a MethodView
    # with one method per entry of ``methods`` (its route's methods are
    # derived from them, not listed), each doing ``does``.  ``decorators``:
    # ids of the class's ``decorators``, in list order, each recording a
    # "view_decorator" event before calling the view it wraps.
    view_class: ViewClass = "function"
    init_every_request: bool = True
    decorators: tuple[str, ...] = ()
    # config area: False turns off the framework's automatic OPTIONS answer
    # for this route (Flask's provide_automatic_options)
    automatic_options: bool = True

    _nested: ClassVar[Mapping[str, object]] = {"does": Behaviour}
    _tuples: ClassVar[frozenset[str]] = frozenset({"methods", "decorators"})

    def __post_init__(self) -> None:
        _validate.route(self)


@dataclass(frozen=True)
class Call(Data):
    """One request sent to the app.  ``reads_reason``: the test reads the
    reason phrase of the status line (feature "reason-phrase").
    ``read_chunks`` (streaming area): the client reads that many chunks of
    the body, at least one, then closes the response; None reads it all."""

    method: str = "GET"
    path: str = "/"
    headers: Mapping[str, str] = field(default_factory=dict)
    reads_reason: bool = False
    read_chunks: int | None = None

    def __post_init__(self) -> None:
        _validate.call(self)


@dataclass(frozen=True)
class Step(Data):
    """Something the test does besides sending a request (steps area).
    ``send`` sends the next request; ``probe`` and ``test_request_context``
    do ``does`` (in a request context for ``path``, for the latter);
    ``register`` registers ``hook`` on the app now; ``enter_*``/``exit_*``
    push and pop an application context, or enter and leave the test
    client used as a context manager.  ``id`` names the step's events."""

    kind: StepKind
    id: str = ""
    does: Behaviour = field(default_factory=Behaviour)
    hook: Hook | None = None
    path: str = "/"

    _nested: ClassVar[Mapping[str, object]] = {"does": Behaviour, "hook": Hook}

    def __post_init__(self) -> None:
        _validate.step(self)


@dataclass(frozen=True)
class Scenario(Data):
    """An app and the requests sent to it: one after another, or all at once
    when ``concurrent``.  ``config`` sets app configuration by neutral name
    (CONFIG_NAMES); what it leaves out runs with production settings."""

    routes: tuple[Route, ...] = ()
    hooks: tuple[Hook, ...] = ()
    requests: tuple[Call, ...] = (Call(),)
    blueprints: tuple[Blueprint, ...] = ()
    concurrent: bool = False
    # steps area: when not empty, what the test does, in order; each "send"
    # sends the next of ``requests``.
    steps: tuple[Step, ...] = ()
    # config area: app configuration by neutral name (CONFIG_NAMES)
    config: Mapping[str, JSON] = field(default_factory=dict)

    _nested: ClassVar[Mapping[str, object]] = {
        "routes": (Route,),
        "hooks": (Hook,),
        "requests": (Call,),
        "blueprints": (Blueprint,),
        "steps": (Step,),
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
    of answering; ``dropped`` the observer hooks the framework could not run;
    ``reason`` the reason phrase of the status line as the client got it
    (None where the transport carries none: an ASGI app's)."""

    request: Call
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    trace: tuple[Event, ...]
    escaped: str | None = None
    dropped: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class Observation(ObservationReading):
    """What running a scenario produced: one exchange per request, in order;
    ``steps``: the trace of a scenario's steps other than "send" (each step
    records an event of stage "step" first, then what it caused)."""

    exchanges: tuple[Exchange, ...]
    steps: tuple[Event, ...] = ()  # steps area
