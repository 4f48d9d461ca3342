"""What every adapter's hooks and views do: ``perform`` a behaviour.

The one piece of lifecycle logic shared by all adapters: record what the
probes see, set state, register callbacks, then end as the behaviour says,
building any answer with the framework's own response types (``Native``).
"""

from __future__ import annotations

import asyncio
import contextvars
import datetime
import decimal
import inspect
import threading
import uuid
import weakref
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import replace
from http import HTTPStatus
from typing import Any

from . import _execution, _urls
from ._model import HANDED_PROBES, JSON, NATIVE_FORMS, Behaviour, Event, Hook, Value
from ._recorder import Recorder, current_call, request_thread, set_current_call
from ._user_exceptions import USER_EXCEPTIONS, USER_HTTP_ERRORS
from .contract import Native, Unsupported

_BUILTIN_EXCEPTIONS: tuple[type[Exception], ...] = (
    Exception,
    LookupError,
    KeyError,
    IndexError,
    ValueError,
    RuntimeError,
    TypeError,
    ZeroDivisionError,
)
_EXCEPTIONS: dict[str, type[Exception]] = {
    cls.__name__: cls
    # area depth: the same user-defined classes in every adapter
    for cls in (*_BUILTIN_EXCEPTIONS, *USER_EXCEPTIONS)
}


def exception_class(name: str, native: Native | None = None) -> type[Exception]:
    """The exception class a scenario names (one of EXCEPTIONS): a builtin, or
    one of the user-defined hierarchy of ``conformance._user_exceptions``; or
    (HTTP exceptions) a user-defined HTTP error class of USER_HTTP_ERRORS,
    which ``native`` derives from its framework's base class, once."""
    if name in USER_HTTP_ERRORS:
        assert native is not None, f"the HTTP error class {name!r} needs the adapter's Native"
        return http_error_class(name, native)
    return _EXCEPTIONS[name]


# HTTP exceptions: each Native's user-defined HTTP error classes, made once,
# so the class a view raises is the class a handler is registered for; by the
# Native's id (a Native may be an unhashable dataclass), dropped with it.
_HTTP_ERROR_CLASSES: dict[int, dict[str, type[Exception]]] = {}


def http_error_class(name: str, native: Native) -> type[Exception]:
    """The user-defined HTTP error class ``name`` (USER_HTTP_ERRORS), with its
    status and description, as ``native.http_error_class`` derives it."""
    if id(native) not in _HTTP_ERROR_CLASSES:
        _HTTP_ERROR_CLASSES[id(native)] = {}
        weakref.finalize(native, _HTTP_ERROR_CLASSES.pop, id(native), None)
    made = _HTTP_ERROR_CLASSES[id(native)]
    if name not in made:
        status, description = USER_HTTP_ERRORS[name]
        made[name] = native.http_error_class(name, status, description)
    return made[name]


def exit_id(hook: Hook | str) -> str:
    """The hook id of a wrapping layer's event after the next layer answered."""
    return f"{hook if isinstance(hook, str) else hook.id}/exit"


def perform(
    does: Behaviour,
    *,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None = None,
    response_status: int | None = None,
    request: Any = None,
    values: Any = None,
    view: Mapping[str, Any] | None = None,
) -> Any:
    """Do ``does`` for hook ``hook``: record, set ``g`` and session keys,
    register callbacks, run in a copied context, meet the other requests,
    then end as described.

    ``exception``, ``response_status`` and ``request`` are what the framework
    handed the hook (teardown and error handlers get an exception, after-hooks
    a response, some frameworks the request); ``values`` the URL values a
    url-value preprocessor or url-defaults function is handed (a dict it may
    change), ``view`` what a view was handed (``kwargs``, ``instance``).
    Returns the native value to answer with, or None to carry on.
    """
    _begin(does, hook, stage, recorder, native, exception, response_status, request, values, view)
    if does.copied_context is not None:
        _run_in_copied_context(f"{hook}.copied", does.copied_context, recorder, native)
    if does.starts is not None:
        _execution.start(does.starts, f"{hook}.started", does.started, recorder, native)
    if does.rendezvous:
        recorder.rendezvous()
    return _end(does, hook, recorder, native, asynchronous=False, exception=exception)


async def aperform(
    does: Behaviour,
    *,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None = None,
    response_status: int | None = None,
    request: Any = None,
    values: Any = None,
    view: Mapping[str, Any] | None = None,
) -> Any:
    """``perform`` for async frameworks: the copied context runs as a task
    of its own, the rendezvous waits without blocking the loop, and streamed
    bodies are async generators."""
    _begin(does, hook, stage, recorder, native, exception, response_status, request, values, view)
    if does.copied_context is not None:
        await _arun_in_copied_context(f"{hook}.copied", does.copied_context, recorder, native)
    if does.starts is not None:
        await _execution.astart(does.starts, f"{hook}.started", does.started, recorder, native)
    if does.rendezvous:
        await recorder.arendezvous()
    rv = _end(does, hook, recorder, native, asynchronous=True, exception=exception)
    # area returns: an async framework's make_response helper is a coroutine.
    return await rv if inspect.iscoroutine(rv) else rv


def handed_exception(exc: BaseException | None, native: Native) -> JSON:
    """How probe "exception" reports ``exc``: an HTTP error by its status."""
    if exc is None:
        return None
    status = native.error_status(exc)
    return type(exc).__name__ if status is None else status


def _begin(
    does: Behaviour,
    hook: str,
    stage: str,
    recorder: Recorder,
    native: Native,
    exception: BaseException | None,
    response_status: int | None,
    request: Any,
    values: Any = None,
    view: Mapping[str, Any] | None = None,
) -> None:
    seen: dict[str, JSON] = {}
    for p in does.probes:
        if p not in HANDED_PROBES:
            seen[p] = _execution.probe(p, native, recorder, request)
        elif p == "exception":
            seen[p] = handed_exception(exception, native)
        elif p == "exception.original":  # config area: Werkzeug's InternalServerError has it
            seen[p] = handed_exception(getattr(exception, "original_exception", None), native)
        elif p == "response.status":
            seen[p] = response_status
        elif p in ("exception.description", "exception.valid_methods"):  # HTTP exceptions
            detail = p.partition(".")[2]
            seen[p] = None if exception is None else native.error_detail(exception, detail)
    seen.update(
        _urls.observe(does, native, values=values, view=view, request=request, stage=stage)
    )  # urls
    recorder.record(Event(hook, stage, seen))
    for key, val in does.set_g.items():
        native.set_g(key, val, request)
    for key, val in does.set_session.items():
        native.set_session(key, val, request)
    for callback_id in does.after_this_request:
        native.after_this_request(_after_this_request(callback_id, recorder, native))


def _end(
    does: Behaviour,
    hook: str,
    recorder: Recorder,
    native: Native,
    *,
    asynchronous: bool,
    exception: BaseException | None = None,
) -> Any:
    if does.raises in USER_HTTP_ERRORS:  # HTTP exceptions: its own status and description
        raise http_error_class(does.raises, native)()
    if does.raises is not None:
        raise _EXCEPTIONS[does.raises](f"raised by {hook!r}")
    if does.aborts is not None and does.description is not None:  # HTTP exceptions
        native.abort_description(does.aborts, does.description)
    if does.aborts is not None:
        native.abort(does.aborts)
    if does.aborts_with is not None:  # HTTP exceptions: abort(response)
        built = build_value(does.aborts_with, native, recorder, asynchronous=asynchronous)
        native.abort_response(built)
    if does.returns is not None and does.returns.form == "handed_exception":
        return exception  # HTTP exceptions: the handed exception, returned as it is
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
    call, home = current_call(), request_thread()

    def probe_there() -> None:
        seen: dict[str, JSON] = {p: _execution.probe(p, native, recorder) for p in probes}
        recorder.record(Event(event_id, "copied_context", seen), call=call)

    wrapped = native.copy_context(probe_there)
    failure: list[BaseException] = []

    def run() -> None:
        set_current_call(call, thread=home)  # this thread's context is new: tag its events
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
        seen: dict[str, JSON] = {p: _execution.probe(p, native, recorder) for p in probes}
        recorder.record(Event(event_id, "copied_context", seen))

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
    """The Python object ``value`` describes: a native form built with the
    framework's own response types, a conversion form as the bare value."""
    data = value.data
    if isinstance(value.status, str) and value.form in NATIVE_FORMS:  # response area
        coded = replace(value, status=int(value.status.split(" ", 1)[0]))
        made = build_value(coded, native, recorder, asynchronous=asynchronous)
        return native.status_line(made, value.status)
    status = value.status if isinstance(value.status, int) else None
    match value.form:
        case "text":
            return native.response("text", str(data or ""), status, value.headers)
        case "binary":
            body = str(data or "").encode("utf-8")
            return native.response("binary", body, status, value.headers)
        case "json":
            return native.response("json", data, status, value.headers)
        case "stream":
            chunks = _streamed(value, native, recorder, asynchronous)
            return native.response("stream", chunks, status, value.headers)
        case "str":
            return str(data)
        case "bytes":
            return str(data).encode("utf-8")
        case "dict" | "list" | "int":
            return data
        case "none":
            return None
        case "generator":
            return _streamed(value, native, recorder, asynchronous)
        case "wsgi":
            return _wsgi_app(str(data or ""), status or 200, value.headers)
        case (
            "bytearray" | "iterator" | "http_exception" | "typed_json"
            | "base_response" | "make_response" | "redirect"
        ):  # fmt: skip
            return _returns_value(value, native)
        case "tuple":
            body_value, *rest = value.items
            assert isinstance(body_value, Value)  # checked by the model
            built = build_value(body_value, native, recorder, asynchronous=asynchronous)
            return (built, *(_header_pairs(item) for item in rest))
    raise AssertionError(f"unhandled form {value.form!r}")  # pragma: no cover


def _streamed(value: Value, native: Native, recorder: Recorder, asynchronous: bool) -> Any:
    texts = [str(c) for c in value.data or []]  # type: ignore[union-attr]
    probes = value.chunk_probes
    make = _achunks if asynchronous else _chunks
    chunks = make(texts, recorder, native, probes, records_close=value.records_close)
    return native.stream_with_context(chunks) if value.keeps_context else chunks


def _chunks(
    chunks: list[str],
    recorder: Recorder,
    native: Native,
    probes: tuple[str, ...] = (),
    *,
    records_close: bool = False,
) -> Iterator[str]:
    """Yield each chunk, recording a "stream" event (with whether the request
    context is active, and what ``probes`` see) just before it; with
    ``records_close``, a "closed" event in the finally block (streaming area)."""
    exhausted = False
    try:
        for n, chunk in enumerate(chunks):
            recorder.record(Event(f"chunk{n}", "stream", _chunk_seen(native, probes)))
            yield chunk
        exhausted = True
    finally:
        if records_close:
            recorder.record(Event("closed", "stream", {"exhausted": exhausted}))


async def _achunks(
    chunks: list[str],
    recorder: Recorder,
    native: Native,
    probes: tuple[str, ...] = (),
    *,
    records_close: bool = False,
) -> AsyncIterator[str]:
    """``_chunks`` as an async generator."""
    exhausted = False
    try:
        for n, chunk in enumerate(chunks):
            recorder.record(Event(f"chunk{n}", "stream", _chunk_seen(native, probes)))
            yield chunk
        exhausted = True
    finally:
        if records_close:
            recorder.record(Event("closed", "stream", {"exhausted": exhausted}))


def _chunk_seen(native: Native, probes: tuple[str, ...] = ()) -> dict[str, JSON]:
    """Whether the request context is active, where the framework has one,
    and what each of ``probes`` sees (the scenario needs them)."""
    try:
        seen: dict[str, JSON] = {"request": native.probe("request")}
    except Unsupported:
        seen = {}
    seen.update({p: native.probe(p) for p in probes})
    return seen


def _wsgi_app(body: str, status: int, headers: Mapping[str, str]) -> Callable[..., Any]:
    """A plain WSGI application: the form a framework may accept as a return value."""

    def app(environ: Any, start_response: Callable[..., Any]) -> list[bytes]:
        reason = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "X"
        start_response(f"{status} {reason}", [("Content-Type", "text/plain"), *headers.items()])
        return [body.encode("utf-8")]

    return app


def _header_pairs(item: Value | JSON) -> Any:
    # JSON has no tuples: a list of [name, value] pairs means a list of tuples.
    if isinstance(item, list):
        return [tuple(pair) for pair in item]
    return item


# -- area returns: the richer return values ----------------------------------

_TYPED: dict[str, Callable[[str], object]] = {
    "decimal": decimal.Decimal,
    "datetime": datetime.datetime.fromisoformat,
    "date": datetime.date.fromisoformat,
    "uuid": uuid.UUID,
}


def _returns_value(value: Value, native: Native) -> Any:
    """The richer conversion forms: bare Python values, the framework's HTTP
    error returned instead of raised, and what its own helpers make."""
    data = value.data
    if value.form == "bytearray":
        return bytearray(str(data).encode("utf-8"))
    if value.form == "iterator":
        return iter([str(c) for c in data or []])  # type: ignore[union-attr]
    if value.form == "typed_json":
        assert isinstance(data, Mapping)  # checked by the model
        # In the order of _TYPED, which is not sorted (JSON of a scenario may sort keys):
        # so whether the framework sorts keys shows.
        return {kind: _TYPED[kind](str(data[kind])) for kind in _TYPED if kind in data}
    if value.form == "http_exception":
        try:
            native.abort(value.status if isinstance(value.status, int) else 500)
        except Exception as exc:  # the framework's HTTP error, caught to be returned
            return exc
        raise AssertionError("abort() returned")  # pragma: no cover
    body = "" if data is None else str(data)
    return native.helper(value.form, body, value.status, value.headers)
