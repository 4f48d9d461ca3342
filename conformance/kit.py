"""Everything an adapter author needs, in one import.

    from conformance.kit import CONTRACT_VERSION, Capabilities, Native, perform, ...

The contract's types (``conformance.contract``), the vocabulary an adapter
reads, and what adapters are built from: ``perform``/``aperform`` (the body
of every hook and view), in-process clients for any WSGI or ASGI app, the
``wrap`` stage as WSGI or ASGI middleware, route-syntax translation, and
``call_asgi`` for a server that hosts each scenario itself (``Server.host``).
See docs/ADAPTERS.md for the contract these names implement.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ._clients import AsgiClient, WsgiClient, reason_phrase
from ._lacks import read_lacks
from ._middleware import AsgiLayer, LayerNative, asgi_layers, wsgi_layers
from ._model import (
    CONVERSION_FORMS,
    EXCEPTIONS,
    FORMS,
    JSON,
    NATIVE_FORMS,
    PROBES,
    SIGNALS,
    STAGES,
    Behaviour,
    Blueprint,
    Call,
    Event,
    Hook,
    Route,
    Scenario,
    Step,
    Value,
)
from ._perform import aperform, build_value, exception_class, exit_id, handed_exception, perform
from ._recorder import Recorder
from .contract import (
    CONTRACT_VERSION,
    FEATURES,
    Adapter,
    AsyncClient,
    Capabilities,
    Client,
    Native,
    Reply,
    ScenarioRequest,
    ScenarioRequests,
    Server,
    SteppingAsyncClient,
    SteppingClient,
    Unsupported,
)
from .transports._hosting import call_asgi

_PARAMETER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


# response area: why an ASGI framework lacks feature "reason-phrase", after "<framework> is
# an ASGI framework: ".
ASGI_NO_REASON_PHRASE = (
    "ASGI's http.response.start message carries a status code and no reason phrase, so the"
    " app cannot choose one; the server writes its own"
    " (https://asgi.readthedocs.io/en/latest/specs/www.html#response-start-send-event)"
)


def lacking(missing: Mapping[str, str]) -> Capabilities:
    """The capabilities of a framework that has every stage, form, probe and
    feature but the keys of ``missing`` (``"stage:teardown"``...), each with
    the reason the report gives for it."""

    def have(kind: str, names: tuple[str, ...]) -> frozenset[str]:
        return frozenset(n for n in names if f"{kind}:{n}" not in missing)

    return Capabilities(
        stages=have("stage", STAGES),
        forms=have("form", FORMS),
        probes=have("probe", PROBES),
        features=have("feature", FEATURES),
        missing=dict(missing),
    )


def each(kind: str, names: Iterable[str], reason: str) -> dict[str, str]:
    """``{"kind:name": reason}`` for each of ``names``: one reason for several."""
    return {f"{kind}:{name}": reason for name in names}


def mounted(
    recorder: Recorder, mid: str, register: Callable[..., Any], *args: Any, **kw: Any
) -> None:
    """blueprints: ``register(*args, **kw)`` (a blueprint registered again,
    ``Blueprint.mounts``); what it raised and warned, as class names or None,
    recorded as data: the "mounted" event ``mid`` of the first request."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            register(*args, **kw)
            error = None
        except Exception as exc:  # the finding: Flask 2.1+ refuses a name registered twice
            error = type(exc).__name__
    warning = caught[0].category.__name__ if caught else None
    recorder.record(Event(mid, "mounted", {"error": error, "warning": warning}), call=0)


def route_path(path: str, parameter: Callable[[str], str]) -> str:
    """A neutral path (``/items/{id}``) in a framework's own syntax:
    ``route_path(p, lambda name: f"<{name}>")`` for Flask or Bottle."""
    return _PARAMETER.sub(lambda m: parameter(m.group(1)), path)


def register_late(step: Step, register: Callable[[Hook], object], recorder: Recorder) -> None:
    """steps: take a ``register`` step with the framework's own way of adding a hook to an
    app that has served requests, ``register(step.hook)``; record the step's event with the
    class name of what registering raised (None: it was accepted)."""
    assert step.hook is not None  # the model gives every register step its hook
    try:
        register(step.hook)
        error = None
    except Exception as exc:  # a framework that refuses a late hook raises
        error = type(exc).__name__
    recorder.record(Event(step.id, "step", {"error": error}))


__all__ = [
    "ASGI_NO_REASON_PHRASE",
    "CONTRACT_VERSION",
    "CONVERSION_FORMS",
    "EXCEPTIONS",
    "FEATURES",
    "FORMS",
    "JSON",
    "NATIVE_FORMS",
    "PROBES",
    "SIGNALS",
    "STAGES",
    "Adapter",
    "AsgiClient",
    "AsgiLayer",
    "AsyncClient",
    "Behaviour",
    "Blueprint",
    "Call",
    "Capabilities",
    "Client",
    "Event",
    "Hook",
    "LayerNative",
    "Native",
    "Recorder",
    "Reply",
    "Route",
    "Scenario",
    "ScenarioRequest",
    "ScenarioRequests",
    "Server",
    "Step",
    "SteppingAsyncClient",
    "SteppingClient",
    "Unsupported",
    "Value",
    "WsgiClient",
    "aperform",
    "asgi_layers",
    "build_value",
    "call_asgi",
    "each",
    "exception_class",
    "exit_id",
    "handed_exception",
    "lacking",
    "mounted",
    "perform",
    "read_lacks",
    "reason_phrase",
    "register_late",
    "route_path",
    "wsgi_layers",
]
