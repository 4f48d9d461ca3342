"""Translation shared by frameworks with Flask's registration API.

Flask and the reference framework register hooks the same way
(``app.before_request(f)``, ``app.register_error_handler(key, f)``, ...) and
export the same context names (``g``, ``request``, ``session``, ``abort``,
``Response``, ``has_request_context``...).  This module only translates a
scenario into those calls; the framework decides everything else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, NoReturn

from conformance.kit import (
    JSON,
    Behaviour,
    Call,
    Hook,
    Recorder,
    Reply,
    Scenario,
    exception_class,
    perform,
)


class ModuleNative:
    """The Native operations, looked up in a Flask-shaped framework module."""

    def __init__(self, module: ModuleType) -> None:
        self.m = module

    def probe(self, name: str) -> JSON:
        m = self.m
        in_request = m.has_request_context()
        if name == "request":
            return bool(in_request)
        if name == "app":
            return bool(m.has_app_context())
        if name == "g":
            scratch: dict[str, JSON] = vars(m.g._get_current_object())
            return dict(scratch) if m.has_app_context() else None
        if name == "session":
            try:
                m.session.get("probe")
            except RuntimeError:
                return False
            return True
        if not in_request:
            return None
        request = m.request
        if name == "view_args":
            return None if request.view_args is None else dict(request.view_args)
        if name in ("endpoint", "method", "path"):
            value: str | None = getattr(request, name)
            return value
        raise KeyError(f"unknown probe {name!r}")

    def set_g(self, key: str, value: JSON) -> None:
        setattr(self.m.g, key, value)

    def response(self, body: str, status: int | None, headers: Mapping[str, str]) -> object:
        return self.m.Response(body, status=status, headers=dict(headers))

    def abort(self, status: int) -> NoReturn:
        self.m.abort(status)
        raise AssertionError("abort() returned")  # pragma: no cover


def register(app: Any, scenario: Scenario, recorder: Recorder, native: ModuleNative) -> None:
    """Register every route and hook of ``scenario`` on ``app``."""

    def run(does: Behaviour, hook: str, stage: str, **given: Any) -> Any:
        return perform(does, hook=hook, stage=stage, recorder=recorder, native=native, **given)

    for route in scenario.routes:

        def view(_does: Behaviour = route.does, _id: str = route.endpoint, **_: Any) -> Any:
            return run(_does, _id, "view")

        app.add_url_rule(
            route.path, endpoint=route.endpoint, view_func=view, methods=list(route.methods)
        )
    for hook in scenario.hooks:
        _register_hook(app, hook, run)


def _register_hook(app: Any, hook: Hook, run: Callable[..., Any]) -> None:
    does, hid, stage = hook.does, hook.id, hook.stage

    def after(response: Any) -> Any:
        rv = run(does, hid, stage, response_status=response.status_code)
        return response if rv is None else rv

    if stage == "url_value_preprocessor":
        app.url_value_preprocessor(lambda endpoint, values: run(does, hid, stage))
    elif stage == "before":
        app.before_request(lambda: run(does, hid, stage))
    elif stage == "after":
        app.after_request(after)
    elif stage == "teardown":
        app.teardown_request(lambda exc: run(does, hid, stage, exception=exc))
    elif stage == "teardown_app":
        app.teardown_appcontext(lambda exc: run(does, hid, stage, exception=exc))
    elif stage == "error_handler":
        assert hook.handles is not None
        key = hook.handles if isinstance(hook.handles, int) else exception_class(hook.handles)
        app.register_error_handler(key, lambda exc: run(does, hid, stage, exception=exc))
    else:  # pragma: no cover - the model admits no other stage
        raise AssertionError(stage)


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
