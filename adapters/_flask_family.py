"""Translation shared by frameworks with Flask's registration API.

Flask and the reference framework register hooks the same way
(``app.before_request(f)``, ``bp.before_app_request(f)``,
``app.register_error_handler(key, f)``, ``request_started.connect(f, app)``)
and export the same context names (``g``, ``request``, ``session``, ``abort``,
``after_this_request``, ``stream_with_context``...).  This module only
translates a scenario into those calls; the framework decides everything else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from types import ModuleType
from typing import Any, ClassVar, NoReturn

from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from conformance.kit import (
    CONTRACT_VERSION,
    JSON,
    SIGNALS,
    Behaviour,
    Call,
    Hook,
    Native,
    Recorder,
    Reply,
    Scenario,
    aperform,
    asgi_layers,
    exception_class,
    perform,
    route_path,
    wsgi_layers,
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


class ModuleNative(Native):
    """The Native operations, looked up in a Flask-shaped framework module."""

    def __init__(self, module: ModuleType) -> None:
        self.m = module

    def probe(self, name: str, request: Any = None) -> JSON:
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

    def set_g(self, key: str, value: JSON, request: Any = None) -> None:
        setattr(self.m.g, key, value)

    def set_session(self, key: str, value: JSON, request: Any = None) -> None:
        self.m.session[key] = value

    def response(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        if form == "json":
            jsonify = getattr(self.m, "jsonify", None)
            if jsonify is None:  # the reference framework: its Response, JSON body
                return self.m.Response(
                    json.dumps(body), status=status, headers=dict(headers),
                    mimetype="application/json",
                )  # fmt: skip
            response = jsonify(body)
            if status is not None:
                response.status_code = status
            response.headers.update(headers)
            return response
        return self.m.Response(body, status=status, headers=dict(headers))

    def error_status(self, exc: BaseException) -> int | None:
        return exc.code if isinstance(exc, HTTPException) else None

    def response_status(self, response: Any) -> int:
        status: int = response.status_code
        return status

    def abort(self, status: int) -> NoReturn:
        self.m.abort(status)
        raise AssertionError("abort() returned")  # pragma: no cover

    def after_this_request(self, callback: Callable[[Any], Any]) -> None:
        self.m.after_this_request(callback)

    def copy_context(self, func: Callable[[], Any]) -> Callable[[], Any]:
        wrapped: Callable[[], Any] = self.m.copy_current_request_context(func)
        return wrapped

    def stream_with_context(self, chunks: Any) -> Any:
        """Sync chunks for a WSGI framework, async ones for an async framework."""
        return self.m.stream_with_context(chunks)

    def helper(self, form: str, body: Any, status: int | None, headers: Mapping[str, str]) -> Any:
        """Werkzeug's base response class, or the module's own make_response
        and redirect helpers (area returns)."""
        if form == "base_response":
            return BaseResponse(body, status=status, headers=dict(headers))
        if form == "redirect":
            return self.m.redirect(body) if status is None else self.m.redirect(body, status)
        args = (
            body,
            *(() if status is None else (status,)),
            *((dict(headers),) if headers else ()),
        )
        return self.m.make_response(*args)


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
    wrap: Callable[[list[Hook]], None],
    asynchronous: bool = False,
    sync_stages: Collection[str] = (),
) -> None:
    """Register every route, hook, blueprint and signal receiver of
    ``scenario`` on ``app``, as plain functions, or as ``async def``
    functions when ``asynchronous`` (Quart, the reference's ASGI face),
    except for the ``sync_stages`` an async framework calls without
    awaiting (Quart's url-value preprocessors).  Blueprints are mounted
    last, so a blueprint's app-wide hooks come after the app's own in
    registration order; ``wrap`` puts the app in its middleware, the
    first wrap hook outermost."""

    def function(does: Behaviour, hid: str, stage: str, given: Given, finish: Finish) -> Any:
        """A hook of the framework's own signature: ``given`` reads what the
        framework hands it, ``finish`` turns the behaviour's value into the
        hook's return value."""
        kw: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder, "native": native}
        if does.returns is not None and does.returns.form == "none":
            finish = _none  # area returns: a hook returning None, not carrying on
        if asynchronous and stage not in sync_stages:

            async def async_hook(*args: Any, **kwargs: Any) -> Any:
                return finish(args, await aperform(does, **kw, **given(*args, **kwargs)))

            return async_hook

        def hook(*args: Any, **kwargs: Any) -> Any:
            return finish(args, perform(does, **kw, **given(*args, **kwargs)))

        return hook

    blueprints = {bp.name: make_blueprint(bp.name, bp.url_prefix) for bp in scenario.blueprints}
    for route in scenario.routes:
        owner = app if route.blueprint is None else blueprints[route.blueprint]
        owner.add_url_rule(
            route_path(route.path, lambda name: f"<{name}>"),
            endpoint=route.endpoint,
            view_func=function(route.does, route.endpoint, "view", _nothing, _as_is),
            methods=list(route.methods),
            strict_slashes=not route.slash_optional,
        )
    # Receivers are referenced weakly by Flask's signals: the app keeps them.
    app.conformance_receivers = []
    for hook in scenario.hooks:
        if hook.stage == "wrap":
            continue  # WSGI or ASGI middleware around the whole app: see below
        owner = app if hook.scope is None else blueprints[hook.scope]
        f = function(hook.does, hook.id, hook.stage, *_SIGNATURES[_kind(hook.stage)])
        if hook.stage in SIGNALS:
            app.conformance_receivers.append(f)
            getattr(native.m, hook.stage).connect(f, app)
        elif hook.stage == "error_handler":
            assert hook.handles is not None
            h = hook.handles
            key = h if isinstance(h, int) else exception_class(h)
            if hook.app_wide:
                owner.app_errorhandler(key)(f)
            else:
                owner.register_error_handler(key, f)
        else:
            getattr(owner, str(_METHODS[hook.stage][1 if hook.app_wide else 0]))(f)
    for bp in scenario.blueprints:  # innermost first: a parent is mounted complete
        if bp.parent is not None:
            blueprints[bp.parent].register_blueprint(blueprints[bp.name])
    for bp in scenario.blueprints:
        if bp.parent is None:
            app.register_blueprint(blueprints[bp.name])
    wrap([h for h in scenario.hooks if h.stage == "wrap"])


def wrap_server_face(app: Any, wraps: list[Hook], recorder: Recorder, asynchronous: bool) -> None:
    """Middleware around the app's own server face, as Flask's docs show
    (``app.wsgi_app = Middleware(app.wsgi_app)``; Quart's ``asgi_app``)."""
    if wraps and asynchronous:
        app.asgi_app = asgi_layers(app.asgi_app, wraps, recorder)
    elif wraps:
        app.wsgi_app = wsgi_layers(app.wsgi_app, wraps, recorder)


Given = Callable[..., dict[str, Any]]
Finish = Callable[[tuple[Any, ...], Any], Any]


def _nothing(*args: Any, **kwargs: Any) -> dict[str, Any]:
    return {}


def _as_is(args: tuple[Any, ...], rv: Any) -> Any:
    return rv


def _exception(exc: BaseException | None) -> dict[str, Any]:
    return {"exception": exc}


def _response(response: Any) -> dict[str, Any]:
    # None: an earlier after-hook returned None instead of a response.
    return {"response_status": None if response is None else response.status_code}


def _response_passed_on(args: tuple[Any, ...], rv: Any) -> Any:
    """An after-hook that carries on hands on the response it was given."""
    return args[0] if rv is None else rv


def _none(args: tuple[Any, ...], rv: Any) -> None:
    """A hook whose behaviour returns Python's None returns it, even where
    None would otherwise mean "hand on what you were given"."""
    return None


def _signal(sender: Any, **extra: Any) -> dict[str, Any]:
    response = extra.get("response")
    return {
        "exception": extra.get("exception", extra.get("exc")),
        "response_status": None if response is None else response.status_code,
    }


def _kind(stage: str) -> str:
    return "signal" if stage in SIGNALS else stage


# What each kind of hook is handed, and what it returns.
_SIGNATURES: dict[str, tuple[Given, Finish]] = {
    "url_value_preprocessor": (_nothing, _as_is),
    "before": (_nothing, _as_is),
    "after": (_response, _response_passed_on),
    "teardown": (_exception, _as_is),
    "teardown_app": (_exception, _as_is),
    "error_handler": (_exception, _as_is),
    "signal": (_signal, _as_is),
}


class FlaskFamilyAdapter:
    """What the adapters of Flask-shaped frameworks share: build the
    framework's app with production settings (unhandled exceptions become
    500 responses instead of propagating into the test client), and register
    the scenario on it.  A subclass names the module and, where they differ,
    how to make the app and a blueprint."""

    contract = CONTRACT_VERSION
    module: ClassVar[ModuleType]
    application: ClassVar[str]  # the module's application class: "Flask", "Quart"
    native_class: ClassVar[type[ModuleNative]] = ModuleNative
    asynchronous: ClassVar[bool] = False
    sync_stages: ClassVar[frozenset[str]] = frozenset()

    def make_app(self) -> Any:
        app = getattr(self.module, self.application)("scenario")
        app.config.update(TESTING=False, DEBUG=False, SECRET_KEY="lifecycle-conformance")
        app.logger.disabled = True  # the 500s we provoke are not news
        return app

    def make_blueprint(self, name: str, url_prefix: str) -> Any:
        return self.module.Blueprint(name, "scenario", url_prefix=url_prefix)

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        app = self.make_app()
        register(
            app,
            scenario,
            recorder,
            self.native_class(self.module),
            make_blueprint=self.make_blueprint,
            wrap=lambda wraps: self.wrap(app, wraps, recorder),
            asynchronous=self.asynchronous,
            sync_stages=self.sync_stages,
        )
        return app

    def wrap(self, app: Any, wraps: list[Hook], recorder: Recorder) -> None:
        """Put ``app`` inside one middleware layer per wrap hook."""
        wrap_server_face(app, wraps, recorder, self.asynchronous)


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
