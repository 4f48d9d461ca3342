"""Translation shared by frameworks with Flask's registration API.

Flask and the reference framework register hooks the same way
(``app.before_request(f)``, ``bp.before_app_request(f)``,
``app.register_error_handler(key, f)``, ``request_started.connect(f, app)``)
and export the same context names (``g``, ``request``, ``session``, ``abort``,
``after_this_request``, ``stream_with_context``...).  This module only
translates a scenario into those calls; the framework decides everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from types import ModuleType
from typing import Any, NoReturn

from conformance.kit import (
    JSON,
    SIGNALS,
    Behaviour,
    Call,
    Hook,
    Recorder,
    Reply,
    Scenario,
    exception_class,
    perform,
)

# The registration method for each stage: on the app or a blueprint, and on a
# blueprint for every request of the app.
_METHODS = {
    "url_value_preprocessor": ("url_value_preprocessor", "app_url_value_preprocessor"),
    "before": ("before_request", "before_app_request"),
    "after": ("after_request", "after_app_request"),
    "teardown": ("teardown_request", "teardown_app_request"),
    "teardown_app": ("teardown_appcontext", None),
}


class ModuleNative:
    """The Native operations, looked up in a Flask-shaped framework module."""

    def __init__(self, module: ModuleType) -> None:
        self.m = module

    def probe(self, name: str) -> JSON:
        m = self.m
        if name == "request":
            return bool(m.has_request_context())
        if name == "app":
            return bool(m.has_app_context())
        if name in ("request.error", "app.error", "url_for"):
            return _attempt(name, m)
        if name == "g":
            if not m.has_app_context():
                return None
            scratch: dict[str, JSON] = vars(m.g._get_current_object())
            return dict(scratch)
        if name == "session":
            try:
                m.session.get("probe")
            except RuntimeError:
                return False
            return True
        if not m.has_request_context():
            return None
        request = m.request
        if name == "session.data":
            return dict(m.session)
        if name == "view_args":
            return None if request.view_args is None else dict(request.view_args)
        if name == "blueprints":
            return list(request.blueprints) if request.endpoint is not None else None
        if name in ("endpoint", "method", "path"):
            value: str | None = getattr(request, name)
            return value
        raise KeyError(f"unknown probe {name!r}")

    def set_g(self, key: str, value: JSON) -> None:
        setattr(self.m.g, key, value)

    def set_session(self, key: str, value: JSON) -> None:
        self.m.session[key] = value

    def response(self, body: str, status: int | None, headers: Mapping[str, str]) -> object:
        return self.m.Response(body, status=status, headers=dict(headers))

    def response_status(self, response: Any) -> int:
        status: int = response.status_code
        return status

    def abort(self, status: int) -> NoReturn:
        self.m.abort(status)
        raise AssertionError("abort() returned")  # pragma: no cover

    def after_this_request(self, callback: Callable[[Any], Any]) -> None:
        self.m.after_this_request(callback)

    def copy_context(self, func: Callable[[], None]) -> Callable[[], None]:
        wrapped: Callable[[], None] = self.m.copy_current_request_context(func)
        return wrapped

    def stream_with_context(self, chunks: Iterator[str]) -> Iterator[str]:
        wrapped: Iterator[str] = self.m.stream_with_context(chunks)
        return wrapped


def _attempt(name: str, m: ModuleType) -> JSON:
    """Use a proxy or helper; None if that worked, else the exception's class
    name (for url_for, the URL it built)."""
    try:
        if name == "url_for":
            url: str = m.url_for("index")
            return url
        if name == "request.error":
            m.request.path  # noqa: B018 - the access is the probe
        else:
            m.current_app.name  # noqa: B018
    except Exception as exc:
        return f"<{type(exc).__name__}>" if name == "url_for" else type(exc).__name__
    return None


def register(
    app: Any,
    scenario: Scenario,
    recorder: Recorder,
    native: ModuleNative,
    *,
    make_blueprint: Callable[[str, str], Any],
) -> None:
    """Register every route, hook, blueprint and signal receiver of
    ``scenario`` on ``app``.  Blueprints are mounted last, so a blueprint's
    app-wide hooks come after the app's own in registration order."""

    def run(does: Behaviour, hook: str, stage: str, **given: Any) -> Any:
        return perform(does, hook=hook, stage=stage, recorder=recorder, native=native, **given)

    blueprints = {bp.name: make_blueprint(bp.name, bp.url_prefix) for bp in scenario.blueprints}
    for route in scenario.routes:

        def view(_does: Behaviour = route.does, _id: str = route.endpoint, **_: Any) -> Any:
            return run(_does, _id, "view")

        owner = app if route.blueprint is None else blueprints[route.blueprint]
        owner.add_url_rule(
            route.path,
            endpoint=route.endpoint,
            view_func=view,
            methods=list(route.methods),
            strict_slashes=route.strict_slashes,
        )
    # Receivers are referenced weakly by Flask's signals: the app keeps them.
    app.conformance_receivers = []
    for hook in scenario.hooks:
        owner = app if hook.scope is None else blueprints[hook.scope]
        _register_hook(app, owner, hook, run, native.m)
    for bp in scenario.blueprints:  # innermost first: a parent is mounted complete
        if bp.parent is not None:
            blueprints[bp.parent].register_blueprint(blueprints[bp.name])
    for bp in scenario.blueprints:
        if bp.parent is None:
            app.register_blueprint(blueprints[bp.name])


def _register_hook(
    app: Any, owner: Any, hook: Hook, run: Callable[..., Any], module: ModuleType
) -> None:
    does, hid, stage = hook.does, hook.id, hook.stage

    if stage in SIGNALS:

        def receiver(sender: Any, **extra: Any) -> None:
            response = extra.get("response")
            status = None if response is None else response.status_code
            exc = extra.get("exception", extra.get("exc"))
            run(does, hid, stage, exception=exc, response_status=status)

        app.conformance_receivers.append(receiver)
        getattr(module, stage).connect(receiver, app)
    elif stage == "error_handler":
        assert hook.handles is not None
        key = hook.handles if isinstance(hook.handles, int) else exception_class(hook.handles)

        def handler(exc: BaseException) -> Any:
            return run(does, hid, stage, exception=exc)

        if hook.app_wide:
            owner.app_errorhandler(key)(handler)
        else:
            owner.register_error_handler(key, handler)
    else:
        method = _METHODS[stage][1 if hook.app_wide else 0]
        getattr(owner, str(method))(_hook_function(does, hid, stage, run))


def _hook_function(does: Behaviour, hid: str, stage: str, run: Callable[..., Any]) -> Any:
    if stage == "url_value_preprocessor":
        return lambda endpoint, values: run(does, hid, stage)
    if stage == "before":
        return lambda: run(does, hid, stage)
    if stage in ("teardown", "teardown_app"):
        return lambda exc: run(does, hid, stage, exception=exc)

    def after(response: Any) -> Any:
        rv = run(does, hid, stage, response_status=response.status_code)
        return response if rv is None else rv

    return after


class WerkzeugClient:
    """A Werkzeug-style test client (Flask's is one) speaking Call and Reply."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def send(self, call: Call) -> Reply:
        try:
            response = self.client.open(call.path, method=call.method, headers=dict(call.headers))
        except Exception as exc:
            # The app raised into the server: a real one would log it and send
            # its own 500, so that is what this request observes.
            return Reply(500, (), b"", escaped=type(exc).__name__)
        try:
            body = response.get_data()
        finally:
            response.close()
        return Reply(response.status_code, tuple(response.headers.items()), body)
