"""Translation shared by frameworks with Flask's registration API.

Flask and the reference framework register hooks the same way
(``app.before_request(f)``, ``bp.before_app_request(f)``,
``app.register_error_handler(key, f)``, ``request_started.connect(f, app)``)
and export the same context names (``g``, ``request``, ``session``, ``abort``,
``after_this_request``, ``stream_with_context``...).  This module only
translates a scenario into those calls; the framework decides everything else.
"""

from __future__ import annotations

import importlib
import itertools
import json
import types
import warnings
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
    Event,
    Hook,
    Native,
    Recorder,
    Reply,
    Route,
    Scenario,
    Step,
    aperform,
    asgi_layers,
    exception_class,
    mounted,
    perform,
    reason_phrase,
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
    "url_defaults": ("url_defaults", "app_url_defaults"),  # urls
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

    def abort_description(self, status: int, description: str) -> NoReturn:
        self.m.abort(status, description=description)
        raise AssertionError("abort() returned")  # pragma: no cover

    def abort_response(self, response: Any) -> NoReturn:
        self.m.abort(response)
        raise AssertionError("abort() returned")  # pragma: no cover

    def error_detail(self, exc: BaseException, name: str) -> JSON:
        detail = getattr(exc, name, None) if isinstance(exc, HTTPException) else None
        return sorted(detail) if name == "valid_methods" and detail is not None else detail

    def http_error_class(self, name: str, status: int, description: str) -> type[Exception]:
        return type(name, (HTTPException,), {"code": status, "description": description})

    def after_this_request(self, callback: Callable[[Any], Any]) -> None:
        self.m.after_this_request(callback)

    def copy_context(self, func: Callable[[], Any]) -> Callable[[], Any]:
        wrapped: Callable[[], Any] = self.m.copy_current_request_context(func)
        return wrapped

    def stream_with_context(self, chunks: Any) -> Any:
        """Sync chunks for a WSGI framework, async ones for an async framework."""
        return self.m.stream_with_context(chunks)

    # urls

    def url_for(
        self,
        endpoint: str,
        values: Mapping[str, JSON],
        external: bool,
        anchor: str | None,
        method: str | None,
        request: Any = None,
    ) -> str:
        url: str = self.m.url_for(
            endpoint, _external=external, _anchor=anchor, _method=method, **values
        )
        return url

    def g_op(self, op: str, name: str, args: tuple[JSON, ...], request: Any = None) -> JSON:
        g = self.m.g
        if op == "iter":
            return sorted(g)
        if op == "contains":
            return name in g
        result: JSON = getattr(g, op)(name, *args)
        return result

    def helper(
        self, form: str, body: Any, status: int | str | None, headers: Mapping[str, str]
    ) -> Any:
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

    def status_line(self, response: Any, line: str) -> Any:
        """Werkzeug's Response.status takes a whole status line (response area)."""
        response.status = line
        return response


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

    def function(
        does: Behaviour, hid: str, stage: str, given: Given, finish: Finish, mode: str | None
    ) -> Any:
        """A hook of the framework's own signature: ``given`` reads what the
        framework hands it, ``finish`` turns the behaviour's value into the
        hook's return value; ``mode`` (area execution) a plain or an async
        def function, None the framework's own kind."""
        kw: dict[str, Any] = {"hook": hid, "stage": stage, "recorder": recorder, "native": native}
        if does.returns is not None and does.returns.form == "none":
            finish = _none  # area returns: a hook returning None, not carrying on
        if mode is None:
            mode = "async" if asynchronous and stage not in sync_stages else "sync"
        if mode == "async":

            async def async_hook(*args: Any, **kwargs: Any) -> Any:
                return finish(args, await aperform(does, **kw, **given(*args, **kwargs)))

            return async_hook

        def hook(*args: Any, **kwargs: Any) -> Any:
            return finish(args, perform(does, **kw, **given(*args, **kwargs)))

        return hook

    blueprints = {bp.name: make_blueprint(bp.name, bp.url_prefix) for bp in scenario.blueprints}
    for route in scenario.routes:
        owner = app if route.blueprint is None else blueprints[route.blueprint]
        if route.view_class == "function":
            view_func = function(
                route.does, route.endpoint, "view", _view_kwargs, _as_is, route.mode
            )
        else:  # urls: the class's methods, not the route, say what it accepts
            view_func = class_view(native.m, route, function, recorder, asynchronous)
        owner.add_url_rule(
            route_path(route.path, lambda name: f"<{name}>"),
            endpoint=route.endpoint,
            view_func=view_func,
            methods=list(route.methods) if route.view_class == "function" else None,
            strict_slashes=not route.slash_optional,
            # config area: None leaves the framework's default (automatic OPTIONS on)
            provide_automatic_options=None if route.automatic_options else False,
        )
    # Receivers are referenced weakly by Flask's signals: the app keeps them
    # (those of a hook registered late too: steps area).
    app.conformance_receivers = getattr(app, "conformance_receivers", [])
    for hook in scenario.hooks:
        if hook.stage == "wrap":
            continue  # WSGI or ASGI middleware around the whole app: see below
        owner = app if hook.scope is None else blueprints[hook.scope]
        f = function(hook.does, hook.id, hook.stage, *_SIGNATURES[_kind(hook.stage)], hook.mode)
        if hook.stage in SIGNALS:
            app.conformance_receivers.append(f)
            getattr(native.m, hook.stage).connect(f, app)
        elif hook.stage == "error_handler":
            assert hook.handles is not None
            h = hook.handles
            key: Any = (
                h
                if isinstance(h, int)
                else HTTPException
                if h == "HTTPException"
                else exception_class(h, native)
            )
            if hook.instance:  # HTTP exceptions: an instance, which the framework refuses
                key = key()
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
    for bp in scenario.blueprints:  # blueprints: registered again, each as data
        for again in bp.mounts:
            mounted(recorder, again.id, app.register_blueprint, blueprints[bp.name],
                    url_prefix=again.url_prefix,
                    **({} if again.name is None else {"name": again.name}))  # fmt: skip
    wrap([h for h in scenario.hooks if h.stage == "wrap"])


def class_view(
    m: ModuleType,
    route: Route,
    function: Callable[..., Any],
    recorder: Recorder,
    asynchronous: bool,
) -> Any:
    """urls: ``route``'s view as a class of the framework's ``views`` module:
    a View whose ``dispatch_request`` does the behaviour (``methods`` from
    the route), or a MethodView with one method per route method, each
    recording its own event (``endpoint.get``...).  Each instance is
    numbered (probe ``view.instance``); ``decorators`` record an event each."""
    views = importlib.import_module(f"{m.__name__}.views")
    serial = itertools.count(1)

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        self.conformance_serial = next(serial)

    def handed(self: Any, **kwargs: Any) -> dict[str, Any]:
        return {"view": {"kwargs": kwargs, "instance": self.conformance_serial}}

    namespace: dict[str, Any] = {
        "__init__": init,
        "init_every_request": route.init_every_request,
        "decorators": [_decorator(d, recorder, asynchronous) for d in route.decorators],
    }
    if route.view_class == "view":
        namespace["methods"] = list(route.methods)
        namespace["dispatch_request"] = function(
            route.does, route.endpoint, "view", handed, _as_is, route.mode
        )
        base = views.View
    else:
        for method in route.methods:
            name = method.lower()
            namespace[name] = function(
                route.does, f"{route.endpoint}.{name}", "view", handed, _as_is, route.mode
            )
        base = views.MethodView
    cls: Any = types.new_class(
        f"{route.endpoint}_view", (base,), exec_body=lambda ns: ns.update(namespace)
    )
    return cls.as_view(route.endpoint)


def _decorator(did: str, recorder: Recorder, asynchronous: bool) -> Callable[[Any], Any]:
    """A decorator of a class-based view: records event ``did``, then calls the view."""

    def decorate(view: Any) -> Any:
        if asynchronous:

            async def async_wrapper(**kwargs: Any) -> Any:
                recorder.record(Event(did, "view_decorator", {}))
                return await view(**kwargs)

            return async_wrapper

        def wrapper(**kwargs: Any) -> Any:
            recorder.record(Event(did, "view_decorator", {}))
            return view(**kwargs)

        return wrapper

    return decorate


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


def _view_kwargs(**kwargs: Any) -> dict[str, Any]:
    """urls: what a view function was handed (probe ``view.kwargs``)."""
    return {"view": {"kwargs": kwargs, "instance": None}}


def _values(endpoint: str | None, values: Any) -> dict[str, Any]:
    """urls: the URL values a preprocessor or url-defaults function is handed."""
    return {"values": values}


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
    "url_value_preprocessor": (_values, _as_is),
    "before": (_nothing, _as_is),
    "after": (_response, _response_passed_on),
    "teardown": (_exception, _as_is),
    "teardown_app": (_exception, _as_is),
    "error_handler": (_exception, _as_is),
    "signal": (_signal, _as_is),
    "url_defaults": (_values, _as_is),  # urls
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
        native = self.native_class(self.module)

        def register_on_app(part: Scenario) -> None:
            register(
                app,
                part,
                recorder,
                native,
                make_blueprint=self.make_blueprint,
                wrap=lambda wraps: self.wrap(app, wraps, recorder),
                asynchronous=self.asynchronous,
                sync_stages=self.sync_stages,
            )

        configure(app, scenario.config)  # config area: before anything is registered
        register_on_app(scenario)
        # steps area: what a step needs of the app it is taken on
        app.conformance_steps = Steps(
            app, native, recorder, lambda hook: register_on_app(Scenario(hooks=(hook,)))
        )
        return app

    def wrap(self, app: Any, wraps: list[Hook], recorder: Recorder) -> None:
        """Put ``app`` inside one middleware layer per wrap hook."""
        wrap_server_face(app, wraps, recorder, self.asynchronous)


# config area: the configuration key of each neutral config name.
CONFIG_KEYS = {
    "testing": "TESTING",
    "debug": "DEBUG",
    "propagate_exceptions": "PROPAGATE_EXCEPTIONS",
    "trap_http_exceptions": "TRAP_HTTP_EXCEPTIONS",
    "trap_bad_request_errors": "TRAP_BAD_REQUEST_ERRORS",
    "secret_key": "SECRET_KEY",
    "server_name": "SERVER_NAME",
}


def configure(app: Any, config: Mapping[str, JSON]) -> None:
    """Set the scenario's configuration on ``app.config``, by Flask's key
    names, over the production settings ``make_app`` chose."""
    app.config.update({CONFIG_KEYS[name]: setting for name, setting in config.items()})


class WerkzeugClient:
    """A Werkzeug-style test client (Flask's is one) speaking Call and Reply,
    and taking a scenario's steps on the app the client is for."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def step(self, step: Step) -> None:
        """Take a step with Flask's own constructs (steps area)."""
        steps: Steps = self.client.application.conformance_steps
        steps.take(step, self.client)

    def send(self, call: Call) -> Reply:
        try:
            response = self.client.open(
                call.path,
                method=call.method,
                headers=dict(call.headers),
                buffered=call.read_chunks is None,  # streaming area: a body left unread
            )
        except Exception as exc:
            # The app raised into the server: a real one would log it and send
            # its own 500, so that is what this request observes.
            return Reply(500, (), b"", escaped=type(exc).__name__)
        try:
            if call.read_chunks is None:
                body = response.get_data()
            else:  # read that many chunks, then close what is left
                body = b"".join(itertools.islice(response.response, call.read_chunks))
        except Exception as exc:  # the body raised into the server (unbuffered only)
            return Reply(500, (), b"", escaped=type(exc).__name__)
        finally:
            response.close()
        # response area: Werkzeug's test client keeps the status line the app sent
        # (one of the code alone it completes with Werkzeug's phrase; Werkzeug's
        # Response, which every framework of the family answers with, never sends one).
        reason = reason_phrase(response.status)
        return Reply(response.status_code, tuple(response.headers.items()), body, reason=reason)


class Steps:
    """steps area: a scenario's steps on a Flask-shaped app, each with the
    framework's own construct: ``app.app_context()``, ``with client:``,
    ``app.test_request_context(path)``, a setup method called late."""

    def __init__(
        self, app: Any, native: Native, recorder: Recorder, register: Callable[[Hook], None]
    ) -> None:
        self.app = app
        self.native = native
        self.recorder = recorder
        self.register = register
        self.pushed: list[Any] = []

    def _perform(self, step: Step) -> dict[str, Any]:
        return {"hook": step.id, "stage": "step", "recorder": self.recorder, "native": self.native}

    def late(self, step: Step) -> None:
        """Register the step's hook now; record what that raised or warned."""
        assert step.hook is not None  # the model checks it
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.register(step.hook)
                error = None
            except Exception as exc:  # the finding: Flask 2.3+ refuses
                error = type(exc).__name__
        seen: dict[str, JSON] = {"error": error}
        if caught:
            seen["warning"] = caught[0].category.__name__
        self.recorder.record(Event(step.id, "step", seen))

    def take(self, step: Step, client: Any) -> None:
        if step.kind == "register":
            self.late(step)
        elif step.kind == "probe":
            perform(step.does, **self._perform(step))
        elif step.kind == "test_request_context":
            with self.app.test_request_context(step.path):
                perform(step.does, **self._perform(step))
        elif step.kind == "enter_app_context":
            self.pushed.append(self.app.app_context())
            self.pushed[-1].__enter__()
        elif step.kind == "exit_app_context":
            self.pushed.pop().__exit__(None, None, None)
        elif step.kind == "enter_client":
            client.__enter__()
        elif step.kind == "exit_client":
            client.__exit__(None, None, None)

    async def atake(self, step: Step, client: Any) -> None:
        """``take`` for an async framework (Quart's contexts and client are awaited)."""
        if step.kind == "register":
            self.late(step)
        elif step.kind == "probe":
            await aperform(step.does, **self._perform(step))
        elif step.kind == "test_request_context":
            async with self.app.test_request_context(step.path):
                await aperform(step.does, **self._perform(step))
        elif step.kind == "enter_app_context":
            self.pushed.append(self.app.app_context())
            await self.pushed[-1].__aenter__()
        elif step.kind == "exit_app_context":
            await self.pushed.pop().__aexit__(None, None, None)
        elif step.kind == "enter_client":
            await client.__aenter__()
        elif step.kind == "exit_client":
            await client.__aexit__(None, None, None)
