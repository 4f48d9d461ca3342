"""An app's setup: its URL map and hook tables, and the setup methods that
fill them before the first request (Flask calls them so).  The lifecycle
that reads the tables is ``App``'s, in ``_app``."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule

from ._config import DEFAULTS

if TYPE_CHECKING:
    from ._blueprints import Blueprint

View = Callable[..., Any]
ErrorKey = int | type[BaseException]


class AppSetup:
    """The tables a request's lifecycle reads, and the methods that fill them."""

    def __init__(self, name: str, *, secret_key: str = "reference-secret") -> None:
        self.name = name
        self.logger = logging.getLogger(f"reference_impl.{name}")
        # config area: Flask's keys (``_config.DEFAULTS``); the secret key is one
        self.config: dict[str, Any] = {**DEFAULTS, "SECRET_KEY": secret_key}
        self.url_map = Map()
        self.view_functions: dict[str, View] = {}
        # Hook tables, by scope: None for the app, a blueprint's dotted name
        # for hooks that run only for that blueprint's routes.
        self.url_value_preprocessors: dict[str | None, list[Any]] = {}
        self.before_request_funcs: dict[str | None, list[Any]] = {}
        self.after_request_funcs: dict[str | None, list[Any]] = {}
        self.teardown_request_funcs: dict[str | None, list[Any]] = {}
        self.teardown_appcontext_funcs: list[Callable[[BaseException | None], Any]] = []
        # scope -> status code (or None for "any") -> exception class -> handler
        self.error_handlers: dict[str | None, dict[int | None, dict[type[BaseException], View]]]
        self.error_handlers = {}
        # Middleware factories, ``factory(inner_face) -> face``, first added outermost.
        self.middleware: list[Callable[[Any], Any]] = []
        self.got_first_request = False  # set by the lifecycle; setup ends there
        # urls: url-defaults functions, by scope (the endpoint's blueprint).
        self.url_default_functions: dict[str | None, list[Any]] = {}
        # blueprints: the name each top-level registration files a blueprint under.
        self.blueprints: dict[str, Blueprint] = {}

    def check_setup_finished(self, name: str) -> None:
        """Setup methods are refused once the app has handled a request:
        a change then would apply to some requests and not others."""
        if self.got_first_request:
            raise AssertionError(
                f"the setup method {name!r} can no longer be called on app {self.name!r}:"
                " it has handled its first request; set the app up before serving it"
            )

    @property
    def secret_key(self) -> str | None:
        key: str | None = self.config["SECRET_KEY"]
        return key

    # -- registration --------------------------------------------------------

    def add_url_rule(
        self,
        rule: str,
        endpoint: str,
        view_func: View,
        methods: Iterable[str] | None = None,
        *,
        strict_slashes: bool = True,
        provide_automatic_options: bool | None = None,
    ) -> None:
        """Route ``rule`` to ``view_func``, for ``methods``: if None, those
        the view names (a class-based view's ``methods``), else GET.  OPTIONS
        is answered automatically (with the allowed methods) unless the view
        lists it or ``provide_automatic_options`` is False; Werkzeug adds HEAD
        wherever GET is allowed."""
        self.check_setup_finished("add_url_rule")
        if methods is None:
            methods = getattr(view_func, "methods", None) or ("GET",)
        methods = {m.upper() for m in methods}
        automatic_options = provide_automatic_options
        if automatic_options is None:
            automatic_options = "OPTIONS" not in methods
        if automatic_options:
            methods.add("OPTIONS")
        rule_obj = Rule(rule, endpoint=endpoint, methods=methods, strict_slashes=strict_slashes)
        rule_obj.provide_automatic_options = automatic_options  # type: ignore[attr-defined]
        self.url_map.add(rule_obj)
        self.view_functions[endpoint] = view_func

    def register_blueprint(
        self, blueprint: Blueprint, *, url_prefix: str | None = None, name: str | None = None
    ) -> None:
        """Mount ``blueprint`` under ``name`` (by default its own).  The same
        blueprint may be mounted again under another name, which gets its
        own endpoints and hooks; a name already taken is a ValueError, and
        nothing of that registration is mounted."""
        name = blueprint.name if name is None else name
        if name in self.blueprints:
            whose = "this" if self.blueprints[name] is blueprint else "a different"
            raise ValueError(
                f"the name {name!r} is already registered for {whose} blueprint;"
                " register it again with name= under a name of its own"
            )
        self.blueprints[name] = blueprint
        blueprint.register(self, url_prefix=url_prefix, name=name)

    def add_hook(self, table: str, f: Any, scope: str | None = None) -> None:
        """File ``f`` in hook table ``table`` for ``scope`` (None: every request)."""
        self.check_setup_finished(table)
        getattr(self, table).setdefault(scope, []).append(f)

    def route(self, rule: str, methods: Iterable[str] = ("GET",)) -> Callable[[View], View]:
        def register(view: View) -> View:
            self.add_url_rule(rule, view.__name__, view, methods)
            return view

        return register

    def add_middleware(self, factory: Callable[[Any], Any]) -> None:
        """Wrap the app's server face (WSGI or ASGI, whichever serves the
        request) in ``factory(inner) -> app``; the first added is outermost,
        so it enters first and exits last."""
        self.check_setup_finished("add_middleware")
        self.middleware.append(factory)

    def url_value_preprocessor(self, f: Any) -> Any:
        """Called as ``f(endpoint, view_args)`` before any before-hook; its
        return value is ignored, but it may change ``view_args``."""
        self.add_hook("url_value_preprocessors", f)
        return f

    def before_request(self, f: Any) -> Any:
        """Called as ``f()`` before the view, in registration order.  A return
        value other than None becomes the response and skips the view."""
        self.add_hook("before_request_funcs", f)
        return f

    def after_request(self, f: Any) -> Any:
        """Called as ``f(response)`` in reverse registration order; must
        return a response, which the next hook receives."""
        self.add_hook("after_request_funcs", f)
        return f

    def teardown_request(self, f: Any) -> Any:
        """Called as ``f(exc)`` when the request context ends, always, in
        reverse registration order; ``exc`` is the unhandled exception or None."""
        self.add_hook("teardown_request_funcs", f)
        return f

    def teardown_appcontext(self, f: Any) -> Any:
        """Called as ``f(exc)`` when the application context ends, after the
        request teardowns, in reverse registration order."""
        self.check_setup_finished("teardown_appcontext")
        self.teardown_appcontext_funcs.append(f)
        return f

    def register_error_handler(self, key: ErrorKey, f: View, *, scope: str | None = None) -> None:
        """Register ``f(exc)`` for an HTTP status code or an exception class."""
        self.check_setup_finished("register_error_handler")
        code, cls = _error_key(key)
        self.error_handlers.setdefault(scope, {}).setdefault(code, {})[cls] = f

    def errorhandler(self, key: ErrorKey) -> Callable[[View], View]:
        def register(f: View) -> View:
            self.register_error_handler(key, f)
            return f

        return register

    def url_defaults(self, f: Any) -> Any:
        """urls: called as ``f(endpoint, values)`` by ``url_for`` before it
        builds, in registration order; it may fill in ``values``."""
        self.add_hook("url_default_functions", f)
        return f


def _error_key(key: ErrorKey) -> tuple[int | None, type[BaseException]]:
    """Map a status code to its HTTPException class; a class to its code if
    it is an HTTPException subclass with one."""
    if isinstance(key, int):
        from werkzeug.exceptions import default_exceptions

        if key not in default_exceptions:
            raise ValueError(f"{key!r} is not an HTTP error status code Werkzeug knows")
        return key, default_exceptions[key]
    if isinstance(key, type) and issubclass(key, BaseException):
        code = getattr(key, "code", None) if issubclass(key, HTTPException) else None
        return code, key
    raise TypeError(
        f"an error handler is registered for a status code or exception class, not {key!r}"
    )
