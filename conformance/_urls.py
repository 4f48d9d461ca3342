"""urls: what a behaviour does with URL building, with ``g`` as an object,
and with the URL values a url-value preprocessor or a url-defaults function
is handed; and the handed probes of a view (its keyword arguments, which
instance of a class-based view).  Called by ``_perform`` once the probes
have looked, before the event is recorded: the results go in the event."""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from typing import Any

from ._model import JSON, Behaviour
from .contract import Native, Unsupported

VIEW_PROBES = ("view.kwargs", "view.instance")


def observe(
    does: Behaviour,
    native: Native,
    *,
    values: MutableMapping[str, Any] | None,
    view: Mapping[str, Any] | None,
    request: Any = None,
    stage: str = "",
) -> dict[str, JSON]:
    """Do the ``urls`` part of ``does``; return what goes in its event."""
    seen: dict[str, JSON] = {}
    for probe in does.probes:
        if probe == "view.kwargs":
            if view is None and stage == "view":
                raise Unsupported("probe 'view.kwargs': pass perform(..., view={'kwargs': ...})")
            seen[probe] = None if view is None else sorted(view.get("kwargs", {}))
        elif probe == "view.instance":
            seen[probe] = None if view is None else view.get("instance")
    if values is not None:
        for name in does.pop_values:
            native.set_g(name, values.pop(name, None), request)
        for name, value in does.fill_values.items():
            values.setdefault(name, value)
    if does.g_ops:
        seen["g_ops"] = [
            _attempt(native.g_op, op.op, op.name, tuple(op.args), request) for op in does.g_ops
        ]
    if does.build_urls:
        seen["urls"] = [
            _attempt(
                native.url_for, u.endpoint, dict(u.values), u.external, u.anchor, u.method, request
            )
            for u in does.build_urls
        ]
    return seen


def _attempt(operation: Any, *args: Any) -> JSON:
    """The operation's result, or ``"<ExceptionName>"`` for what it raised."""
    try:
        result: JSON = operation(*args)
    except Exception as exc:
        return f"<{type(exc).__name__}>"
    return result


def needs(stage: str, does: Behaviour) -> set[str]:
    """The capability keys the ``urls`` part of ``does`` needs."""
    out: set[str] = set()
    if does.g_ops:
        out.add("feature:g-api")
    if any(op.op in ("get", "pop", "setdefault") for op in does.g_ops):
        out.add("feature:g-get-pop-setdefault")
    if does.build_urls:
        out.add("feature:url-building")
    if any(b.external or b.anchor is not None or b.method for b in does.build_urls):
        out.add("feature:url-building-options")
    if any(b.anchor is not None or b.method for b in does.build_urls):
        out.add("feature:url-building-anchor-method")
    if does.pop_values:
        out.add("probe:g")
    return out
