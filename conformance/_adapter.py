"""The adapter contract (version 1), and the kit adapters are built from.

An adapter turns a Scenario into a real app of its framework, with that
framework's own constructs, and sends requests to it.  It makes no assertion
and knows no test.  docs/ADAPTERS.md is the prose version of this contract.
"""

from __future__ import annotations

import asyncio
import contextvars
import importlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import Any, ClassVar, Literal, NoReturn, Protocol, runtime_checkable

from ._errors import ContractMismatch, FrameworkNotInstalled, UnknownAdapter, UsageError
from ._model import FORMS, JSON, PROBES, STAGES, Behaviour, Call, Event, Scenario, Value

CONTRACT_VERSION = 1
ENTRY_POINT_GROUP = "lifecycle_conformance.adapters"


# Concepts beyond stages, forms and probes that a framework may lack.
FEATURES = (
    "blueprints",  # groups of routes and hooks under a prefix
    "nested-blueprints",  # blueprints inside blueprints
    "after_this_request",  # per-request after callbacks
    "copied_context",  # running a function in a copy of the request context
    "stream_with_context",  # a streamed body that keeps the request context
    "session-write",  # setting session keys
    "concurrency",  # requests handled at the same time
)


@dataclass(frozen=True)
class Capabilities:
    """What a framework has.  A scenario needing anything else is not applicable.

    ``missing`` gives the reason for each absent item, keyed like
    ``"stage:url_value_preprocessor"``, ``"form:list"``, ``"probe:session"``
    or ``"feature:blueprints"``.
    """

    stages: frozenset[str] = frozenset(STAGES)
    forms: frozenset[str] = frozenset(FORMS)
    probes: frozenset[str] = frozenset(PROBES)
    features: frozenset[str] = frozenset(FEATURES)
    missing: Mapping[str, str] = field(default_factory=dict)

    def lacks(self, scenario: Scenario) -> str | None:
        """Why this framework cannot run ``scenario``, or None if it can."""
        for key in sorted(requirements(scenario)):
            kind, _, name = key.partition(":")
            have = {
                "stage": self.stages,
                "form": self.forms,
                "probe": self.probes,
                "feature": self.features,
            }[kind]
            if name not in have:
                reason = self.missing.get(key, "the adapter does not declare it")
                return f"no {kind} {name!r}: {reason}"
        return None


def requirements(scenario: Scenario) -> set[str]:
    """Everything ``scenario`` needs from a framework, as capability keys."""
    needs: set[str] = set()
    if scenario.blueprints:
        needs.add("feature:blueprints")
    if any(b.parent for b in scenario.blueprints):
        needs.add("feature:nested-blueprints")
    if scenario.concurrent:
        needs.add("feature:concurrency")
    for stage, does in scenario.behaviours():
        needs.add(f"stage:{stage}")
        needs.update(f"probe:{p}" for p in (*does.probes, *(does.copied_context or ())))
        if does.set_session:
            needs.add("feature:session-write")
        if does.after_this_request:
            needs.add("feature:after_this_request")
        if does.copied_context is not None:
            needs.add("feature:copied_context")
        if does.returns is not None:
            needs.update(f"form:{form}" for form in _forms(does.returns))
            if _keeps_context(does.returns):
                needs.add("feature:stream_with_context")
    return needs


def _keeps_context(value: Value) -> bool:
    return value.keeps_context or any(
        isinstance(i, Value) and _keeps_context(i) for i in value.items
    )


def _forms(value: Value) -> Iterator[str]:
    yield value.form
    for item in value.items:
        if isinstance(item, Value):
            yield from _forms(item)


@dataclass(frozen=True)
class Reply:
    """A response as the transport saw it.

    ``escaped`` names the exception the app raised into the server instead of
    returning a response (the server then answers 500 on its own); None when
    the app returned a response.
    """

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    escaped: str | None = None


_CALL: contextvars.ContextVar[int] = contextvars.ContextVar("lifecycle_conformance.call")


def current_call() -> int:
    """The index of the request being handled here (0 when there is one at a time)."""
    return _CALL.get(0)


def set_current_call(index: int) -> None:
    """Mark what runs from here on in this context as request ``index``."""
    _CALL.set(index)


class Recorder:
    """Collects events, each tagged with the request it belongs to, so that
    concurrent requests keep separate traces.  Thread-safe."""

    def __init__(self, parties: int = 1) -> None:
        self._events: list[tuple[int, Event]] = []
        self._lock = threading.Lock()
        self._parties = parties
        self._barrier = threading.Barrier(parties) if parties > 1 else None
        self._arrived = 0
        self._all_here: asyncio.Event | None = None

    def record(self, event: Event, *, call: int | None = None) -> None:
        with self._lock:
            self._events.append((current_call() if call is None else call, event))

    def take(self, call: int | None = None) -> tuple[Event, ...]:
        """Remove and return the events of request ``call`` (all, if None)."""
        with self._lock:
            taken = [e for c, e in self._events if call is None or c == call]
            self._events = [(c, e) for c, e in self._events if call is not None and c != call]
        return tuple(taken)

    def rendezvous(self, timeout: float = 10.0) -> bool:
        """Wait until every concurrent request has arrived here; False if
        that did not happen in time (the requests were not concurrent)."""
        if self._barrier is None:
            return True
        try:
            self._barrier.wait(timeout)
        except threading.BrokenBarrierError:
            return False
        return True

    async def arendezvous(self, timeout: float = 10.0) -> bool:
        """``rendezvous`` for requests served as tasks of one event loop."""
        if self._parties <= 1:
            return True
        if self._all_here is None:
            self._all_here = asyncio.Event()  # made in the loop that serves the requests
        self._arrived += 1
        if self._arrived >= self._parties:
            self._all_here.set()
        try:
            await asyncio.wait_for(self._all_here.wait(), timeout)
        except asyncio.TimeoutError:
            return False
        return True


@runtime_checkable
class Adapter(Protocol):
    """What the suite needs from a framework.

    ``framework`` is the lower-case name clause version conditions use
    (``since = {flask = "2.2"}``); ``distribution`` the installed package whose
    version is reported.  ``interface`` tells a transport how the app is
    served ("wsgi" or "asgi").
    """

    contract: ClassVar[int]
    name: ClassVar[str]
    framework: ClassVar[str]
    distribution: ClassVar[str]
    interface: ClassVar[Literal["wsgi", "asgi"]]
    capabilities: ClassVar[Capabilities]
    expectations: ClassVar[Path | None]

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        """Return a native app that does what ``scenario`` describes.

        Every hook and view calls ``perform`` with its behaviour, so that its
        event reaches ``recorder``.  Build each scenario afresh: no state may
        leak from one scenario's app to the next.
        """
        ...

    def client(self, app: Any) -> Client | AsyncClient:
        """The framework's own in-process test client for ``app``, one per
        scenario, so cookies persist from one request to the next."""
        ...


class Client(Protocol):
    def send(self, call: Call) -> Reply:
        """Send ``call``; return only after the request's teardown has run."""
        ...


class AsyncClient(Protocol):
    """The client of an async framework: the harness runs a scenario's
    requests as tasks of one event loop (all at once when concurrent)."""

    async def send(self, call: Call) -> Reply:
        """Send ``call``; return only after the request's teardown has run."""
        ...


def framework_version(adapter: Adapter) -> str:
    try:
        return version(adapter.distribution)
    except PackageNotFoundError:
        raise FrameworkNotInstalled(adapter.name, adapter.distribution) from None


# -- finding adapters --


def known_adapters() -> dict[str, str]:
    """Adapter names registered in the entry-point group, with their targets."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_adapter(name: str) -> Adapter:
    """Find ``name`` in the entry-point group (or import 'module:attribute')."""
    eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    target = eps[name].value if name in eps else name
    if ":" not in target:
        raise UnknownAdapter(name, sorted(eps))
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if name not in eps and exc.name and module_name.startswith(exc.name):
            raise UnknownAdapter(name, sorted(eps)) from None
        raise FrameworkNotInstalled(name, exc.name or module_name) from None
    except ImportError as exc:  # installed, but not usable as it is (a version floor, say)
        raise UsageError(f"adapter {name!r} cannot be loaded: {exc}") from None
    try:
        factory = getattr(module, attr)
    except AttributeError:
        raise UsageError(f"adapter {name!r}: module {module_name!r} has no {attr!r}") from None
    adapter = factory() if isinstance(factory, type) else factory
    contract = getattr(adapter, "contract", None)
    if contract != CONTRACT_VERSION:
        raise ContractMismatch(name, contract, CONTRACT_VERSION)
    if not isinstance(adapter, Adapter):
        raise UsageError(
            f"adapter {name!r} does not implement the adapter contract"
            " (name, framework, distribution, interface, capabilities, expectations,"
            " build, client); see docs/ADAPTERS.md"
        )
    return adapter


# -- the kit: what every adapter's hooks and views do --


class Native(Protocol):
    """The few framework-specific operations a behaviour needs."""

    def probe(self, name: str) -> JSON:
        """What context probe ``name`` sees now; never raises for a missing context."""
        ...

    def set_g(self, key: str, value: JSON) -> None: ...

    def set_session(self, key: str, value: JSON) -> None: ...

    def response(self, body: str, status: int | None, headers: Mapping[str, str]) -> object:
        """The framework's own response object."""
        ...

    def response_status(self, response: Any) -> int:
        """The status code of one of the framework's response objects."""
        ...

    def abort(self, status: int) -> NoReturn: ...

    def after_this_request(self, callback: Callable[[Any], Any]) -> None:
        """Register ``callback(response) -> response`` for this request only."""
        ...

    def copy_context(self, func: Callable[[], Any]) -> Callable[[], Any]:
        """``func`` wrapped to run in a copy of the current request context
        (a coroutine function for async frameworks)."""
        ...

    def stream_with_context(self, chunks: Any) -> Any:
        """``chunks`` (an iterator, or an async iterator for async
        frameworks) wrapped so the request context stays active while they run."""
        ...


_EXCEPTIONS: dict[str, type[Exception]] = {
    cls.__name__: cls
    for cls in (
        Exception,
        LookupError,
        KeyError,
        IndexError,
        ValueError,
        RuntimeError,
        TypeError,
        ZeroDivisionError,
    )
}


def exception_class(name: str) -> type[Exception]:
    """The builtin exception class a scenario names (one of EXCEPTIONS)."""
    return _EXCEPTIONS[name]


def perform(
    does: Behaviour,
    *,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None = None,
    response_status: int | None = None,
) -> Any:
    """Do ``does`` for hook ``hook``: record, set ``g`` and session keys,
    register callbacks, run in a copied context, meet the other requests,
    then end as described.

    ``exception`` and ``response_status`` are what the framework handed the
    hook (teardown and error handlers get an exception, after-hooks a response).
    Returns the native return value, or None to carry on.
    """
    _begin(does, hook, stage, recorder, native, exception, response_status)
    if does.copied_context is not None:
        _run_in_copied_context(f"{hook}.copied", does.copied_context, recorder, native)
    if does.rendezvous:
        recorder.rendezvous()
    return _end(does, hook, recorder, native, asynchronous=False)


async def aperform(
    does: Behaviour,
    *,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None = None,
    response_status: int | None = None,
) -> Any:
    """``perform`` for async frameworks: the copied context runs as a task
    of its own, the rendezvous waits without blocking the loop, and a
    generator value is an async generator."""
    _begin(does, hook, stage, recorder, native, exception, response_status)
    if does.copied_context is not None:
        await _arun_in_copied_context(f"{hook}.copied", does.copied_context, recorder, native)
    if does.rendezvous:
        await recorder.arendezvous()
    return _end(does, hook, recorder, native, asynchronous=True)


def _begin(
    does: Behaviour,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None,
    response_status: int | None,
) -> None:
    given: dict[str, JSON] = {
        "exception": None if exception is None else type(exception).__name__,
        "response.status": response_status,
    }
    seen: dict[str, JSON] = {p: given[p] if p in given else native.probe(p) for p in does.probes}
    recorder.record(Event(hook, stage, seen))
    for key, val in does.set_g.items():
        native.set_g(key, val)
    for key, val in does.set_session.items():
        native.set_session(key, val)
    for callback_id in does.after_this_request:
        native.after_this_request(_after_this_request(callback_id, recorder, native))


def _end(
    does: Behaviour, hook: str, recorder: Recorder, native: Native, *, asynchronous: bool
) -> Any:
    if does.raises is not None:
        raise _EXCEPTIONS[does.raises](f"raised by {hook!r}")
    if does.aborts is not None:
        native.abort(does.aborts)
    if does.returns is not None:
        return build_value(does.returns, native, recorder, asynchronous=asynchronous)
    return None


def _after_this_request(
    callback_id: str, recorder: Recorder, native: Native
) -> Callable[[Any], Any]:
    def callback(response: Any) -> Any:
        status = native.response_status(response)
        recorder.record(Event(callback_id, "after_this_request", {"response.status": status}))
        return response

    return callback


def _run_in_copied_context(
    event_id: str, probes: tuple[str, ...], recorder: Recorder, native: Native
) -> None:
    """Run a function in another thread with a copy of the request context;
    it records what its probes see there.  Waits for it."""
    call = current_call()

    def probe_there() -> None:
        recorder.record(
            Event(event_id, "copied_context", {p: native.probe(p) for p in probes}), call=call
        )

    wrapped = native.copy_context(probe_there)
    failure: list[BaseException] = []

    def run() -> None:
        set_current_call(call)  # this thread's context is new: tag its events
        try:
            wrapped()
        except BaseException as exc:  # reported as an event: the framework's doing
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"copied-context-{event_id}")
    thread.start()
    thread.join(timeout=10)
    if failure:
        seen: dict[str, JSON] = {"error": type(failure[0]).__name__}
        recorder.record(Event(event_id, "copied_context", seen), call=call)


async def _arun_in_copied_context(
    event_id: str, probes: tuple[str, ...], recorder: Recorder, native: Native
) -> None:
    """Run a coroutine function with a copy of the request context as a task
    started from an empty context (so nothing leaks in but what the copy
    brings); it records what its probes see there.  Waits for it."""
    call = current_call()

    async def probe_there() -> None:
        recorder.record(Event(event_id, "copied_context", {p: native.probe(p) for p in probes}))

    wrapped = native.copy_context(probe_there)

    async def run() -> None:
        set_current_call(call)
        try:
            await wrapped()
        except Exception as exc:  # reported as an event: the framework's doing
            seen: dict[str, JSON] = {"error": type(exc).__name__}
            recorder.record(Event(event_id, "copied_context", seen))

    loop = asyncio.get_running_loop()
    task = contextvars.Context().run(loop.create_task, run())
    await asyncio.wait_for(task, 10)


def build_value(
    value: Value, native: Native, recorder: Recorder, *, asynchronous: bool = False
) -> Any:
    """The Python object ``value`` describes, built the framework's way; an
    async framework gets async generators."""
    data = value.data
    match value.form:
        case "str":
            return str(data)
        case "bytes":
            return str(data).encode("utf-8")
        case "dict" | "list" | "int":
            return data
        case "none":
            return None
        case "generator":
            texts = [str(c) for c in data or []]  # type: ignore[union-attr]
            chunks = (_achunks if asynchronous else _chunks)(texts, recorder, native)
            return native.stream_with_context(chunks) if value.keeps_context else chunks
        case "response":
            return native.response(str(data or ""), value.status, value.headers)
        case "wsgi":
            return _wsgi_app(str(data or ""), value.status or 200, value.headers)
        case "tuple":
            body, *rest = value.items
            assert isinstance(body, Value)  # checked by the model
            built = build_value(body, native, recorder, asynchronous=asynchronous)
            return (built, *(_header_pairs(item) for item in rest))
    raise AssertionError(f"unhandled form {value.form!r}")  # pragma: no cover


async def _achunks(chunks: list[str], recorder: Recorder, native: Native) -> AsyncIterator[str]:
    """``_chunks`` as an async generator."""
    for n, chunk in enumerate(chunks):
        recorder.record(Event(f"chunk{n}", "stream", {"request": native.probe("request")}))
        yield chunk


def _wsgi_app(body: str, status: int, headers: Mapping[str, str]) -> Callable[..., Any]:
    """A plain WSGI application: the form a framework may accept as a return value."""

    def app(environ: Any, start_response: Callable[..., Any]) -> list[bytes]:
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "X"
        start_response(f"{status} {reason}", [("Content-Type", "text/plain"), *headers.items()])
        return [body.encode("utf-8")]

    return app


def _chunks(chunks: list[str], recorder: Recorder, native: Native) -> Iterator[str]:
    """Yield each chunk, recording a "stream" event (with whether the request
    context is active) just before it."""
    for n, chunk in enumerate(chunks):
        recorder.record(Event(f"chunk{n}", "stream", {"request": native.probe("request")}))
        yield chunk


def _header_pairs(item: Value | JSON) -> Any:
    # JSON has no tuples: a list of [name, value] pairs means a list of tuples.
    if isinstance(item, list):
        return [tuple(pair) for pair in item]
    return item
