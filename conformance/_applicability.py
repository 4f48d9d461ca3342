"""Whether a framework can run a scenario, and what is dropped so it can.

A scenario *needs* every stage, form, probe and feature its hooks, views and
requests use.  Observer hooks (``Hook.observer``) are left out of that: where
the framework lacks what one needs, it is dropped from the scenario, and the
assertions reading it fall away (``_reading``).  Anything else missing makes
the scenario not applicable, with the reason the adapter gave for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from . import _urls
from ._model import HTTP_ERROR_BASES, USER_HTTP_ERRORS, Behaviour, Hook, Route, Scenario, Value
from .contract import CONFIG_FEATURES, Capabilities


def requirements(scenario: Scenario) -> set[str]:
    """Everything ``scenario`` needs, observer hooks aside, as capability keys."""
    needs = _routing_needs(scenario)
    if scenario.blueprints:
        needs.add("feature:blueprints")
    if any(b.parent for b in scenario.blueprints):
        needs.add("feature:nested-blueprints")
    if any(b.mounts for b in scenario.blueprints):  # blueprints: registered twice
        needs.add("feature:blueprint-registered-twice")
    if any(mt.name is not None for b in scenario.blueprints for mt in b.mounts):
        needs.add("feature:blueprint-registration-name")
    if scenario.concurrent:
        needs.add("feature:concurrency")
    for hook in scenario.hooks:
        if not hook.observer:
            needs |= hook_needs(hook)
    needs |= _step_needs(scenario)
    for route in scenario.routes:
        needs |= _behaviour_needs("view", route.does)
        if route.slash_optional:
            needs.add("feature:optional-trailing-slash")
        needs |= _mode_needs(route.mode)
        if route.view_class != "function":  # urls
            needs.add("feature:class-based-views")
            if not route.init_every_request:
                needs.add("feature:view-init-every-request")
            if route.decorators:
                needs.add("feature:view-decorators")
        if not route.automatic_options:  # config area
            needs.add("feature:automatic-options-opt-out")
    needs.update(f"feature:{CONFIG_FEATURES[name]}" for name in scenario.config)  # config area
    if any(call.reads_reason for call in scenario.requests):  # response area
        needs.add("feature:reason-phrase")
    return needs


def _mode_needs(mode: str | None) -> set[str]:
    """Area execution: a hook or view of a given mode."""
    return set() if mode is None else {f"feature:{mode}-functions"}


def hook_needs(hook: Hook) -> set[str]:
    needs = _behaviour_needs(hook.stage, hook.does)
    if hook.then is not None:
        needs |= _behaviour_needs("wrap_exit", hook.then)
    if hook.handles is not None:
        by = "status" if isinstance(hook.handles, int) else "class"
        needs.add(f"feature:error-handler-by-{by}")
        if hook.handles in HTTP_ERROR_BASES:  # config area
            needs.add("feature:error-handler-for-http-errors")
        if hook.handles in USER_HTTP_ERRORS:  # HTTP exceptions
            needs.add("feature:http-error-classes")
    if hook.app_wide:
        needs.add("feature:blueprint-app-wide-hooks")
    return needs | _mode_needs(hook.mode)


def _behaviour_needs(stage: str, does: Behaviour) -> set[str]:
    needs = {f"stage:{stage}"}
    needs.update(f"probe:{p}" for p in (*does.probes, *(does.copied_context or ())))
    if does.set_g:
        needs.add("probe:g")
    if does.set_session:
        needs.add("feature:session-write")
    if does.after_this_request:
        needs.add("feature:after_this_request")
    if does.copied_context is not None or does.starts == "copied_thread":
        needs.add("feature:copied_context")
    needs.update(f"probe:{p}" for p in does.started)
    if does.started:  # contexts: started work is handed nothing: it finds the request by a global
        needs.add("probe:request")
    needs |= _urls.needs(stage, does)  # urls
    if does.returns is not None:
        needs.update(f"form:{v.form}" for v in _values(does.returns))
        if any(v.keeps_context for v in _values(does.returns)):
            needs.add("feature:stream_with_context")
        # area returns: what the chunks of a stream probe
        needs.update(f"probe:{p}" for v in _values(does.returns) for p in v.chunk_probes)
        if any(isinstance(v.status, str) for v in _values(does.returns)):  # response area
            needs.add("feature:reason-phrase")
    return needs | _http_exception_needs(does)


def _http_exception_needs(does: Behaviour) -> set[str]:
    """HTTP exceptions: an abort with a description or a response, and a
    user-defined HTTP error class raised."""
    needs = set()
    if does.description is not None:
        needs.add("feature:abort-description")
    if does.aborts_with is not None:
        needs |= {"feature:abort-response", f"form:{does.aborts_with.form}"}
    if does.raises in USER_HTTP_ERRORS:
        needs.add("feature:http-error-classes")
    return needs


def _values(value: Value) -> Iterator[Value]:
    yield value
    for item in value.items:
        if isinstance(item, Value):
            yield from _values(item)


def _routing_needs(scenario: Scenario) -> set[str]:
    """What the router must do on its own for these requests: answer HEAD
    or OPTIONS for a route that does not list it, redirect to the slash."""
    needs: set[str] = set()
    rules = [(_pattern(scenario, r), r) for r in scenario.routes]
    for call in scenario.requests:
        matched = [r for pattern, r in rules if pattern.fullmatch(call.path)]
        if matched and not any(call.method in r.methods for r in matched):
            if call.method == "HEAD" and any("GET" in r.methods for r in matched):
                needs.add("feature:automatic-head")
            elif call.method == "OPTIONS":
                needs.add("feature:automatic-options")
        slashed = [r for pattern, r in rules if pattern.fullmatch(call.path + "/")]
        if not matched and any(not r.slash_optional for r in slashed):
            needs.add("feature:trailing-slash-redirect")
    return needs


def full_path(scenario: Scenario, route: Route) -> str:
    """The path a route is served at: its blueprints' prefixes, outer first."""
    by_name = {b.name: b for b in scenario.blueprints}
    prefix, owner = "", route.blueprint
    while owner is not None:
        prefix = by_name[owner].url_prefix + prefix
        owner = by_name[owner].parent
    return prefix + route.path


def _pattern(scenario: Scenario, route: Route) -> re.Pattern[str]:
    path = full_path(scenario, route)
    regex = re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", "[^/]+", re.escape(path))
    if route.slash_optional:
        regex = regex.removesuffix("/") + "/?"
    return re.compile(regex)


def lacks(capabilities: Capabilities, needs: set[str]) -> str | None:
    """Why a framework with ``capabilities`` cannot meet ``needs``, or None."""
    for key in sorted(needs):
        if not _has(capabilities, key):
            kind, _, name = key.partition(":")
            reason = capabilities.missing.get(key, "the adapter does not declare it")
            return f"no {kind} {name!r}: {reason}"
    return None


def _has(capabilities: Capabilities, key: str) -> bool:
    kind, _, name = key.partition(":")
    have = {
        "stage": capabilities.stages,
        "form": capabilities.forms,
        "probe": capabilities.probes,
        "feature": capabilities.features,
    }[kind]
    return name in have


def without_unrunnable_observers(
    capabilities: Capabilities, scenario: Scenario
) -> tuple[Scenario, tuple[str, ...]]:
    """``scenario`` less the observer hooks the framework cannot run, and their ids."""
    dropped = tuple(
        h.id
        for h in scenario.hooks
        if h.observer and lacks(capabilities, hook_needs(h)) is not None
    )
    if not dropped:
        return scenario, ()
    kept = tuple(h for h in scenario.hooks if h.id not in dropped)
    return replace(scenario, hooks=kept), dropped


# steps area: the feature each kind of step needs.
_STEP_FEATURES = {
    "probe": "probe-between-requests",
    "register": "setup-after-first-request",
    "enter_app_context": "pushed-app-context",
    "exit_app_context": "pushed-app-context",
    "enter_client": "client-context",
    "exit_client": "client-context",
    "test_request_context": "test-request-context",
}


def _step_needs(scenario: Scenario) -> set[str]:
    needs: set[str] = set()
    sent = False
    for step in scenario.steps:
        sent = sent or step.kind == "send"
        if step.kind == "register" and not sent:
            # HTTP exceptions: registering before any request is setup; as a step,
            # it records what registering raised (a registration the framework refuses)
            needs.add("feature:registration-errors")
            needs |= hook_needs(step.hook) if step.hook is not None else set()
            continue
        if step.kind in _STEP_FEATURES:
            needs.add(f"feature:{_STEP_FEATURES[step.kind]}")
            needs |= _behaviour_needs("step", step.does)
        if step.hook is not None:
            needs |= hook_needs(step.hook)
    return needs
