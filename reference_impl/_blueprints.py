"""Blueprints: routes and hooks registered as a group, mounted on an app (or
on another blueprint) under a URL prefix and a dotted name.

A blueprint records what is registered on it and replays it when mounted:
its routes get the prefix and ``name.`` before their endpoint; its hooks are
filed under its dotted name, so they run only for its own routes; its
``*_app_*`` hooks are filed under the app and run for every request.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._setup import AppSetup, ErrorKey, View

Deferred = Callable[["AppSetup", "str", "str"], None]  # (app, dotted name, url prefix)


class Blueprint:
    def __init__(self, name: str, *, url_prefix: str = "") -> None:
        if "." in name:
            raise ValueError(f"a blueprint name may not contain a dot (got {name!r})")
        self.name = name
        self.url_prefix = url_prefix
        self._deferred: list[Deferred] = []
        self._children: list[tuple[Blueprint, str | None]] = []

    # -- routes and nested blueprints --

    def add_url_rule(
        self,
        rule: str,
        endpoint: str,
        view_func: View,
        methods: Iterable[str] | None = None,
        **options: Any,
    ) -> None:
        def mount(app: AppSetup, name: str, prefix: str) -> None:
            app.add_url_rule(prefix + rule, f"{name}.{endpoint}", view_func, methods, **options)

        self._deferred.append(mount)

    def register_blueprint(self, child: Blueprint, *, url_prefix: str | None = None) -> None:
        """Nest ``child``: its name becomes ``self.child``, its prefix follows ours."""
        self._children.append((child, url_prefix))

    # -- hooks for this blueprint's routes --

    def url_value_preprocessor(self, f: Any) -> Any:
        return self._hook("url_value_preprocessors", f, own=True)

    def before_request(self, f: Any) -> Any:
        return self._hook("before_request_funcs", f, own=True)

    def after_request(self, f: Any) -> Any:
        return self._hook("after_request_funcs", f, own=True)

    def teardown_request(self, f: Any) -> Any:
        return self._hook("teardown_request_funcs", f, own=True)

    def register_error_handler(self, key: ErrorKey, f: View) -> None:
        self._deferred.append(lambda app, name, _: app.register_error_handler(key, f, scope=name))

    # -- hooks for every request of the app --

    def app_url_value_preprocessor(self, f: Any) -> Any:
        return self._hook("url_value_preprocessors", f, own=False)

    def before_app_request(self, f: Any) -> Any:
        return self._hook("before_request_funcs", f, own=False)

    def after_app_request(self, f: Any) -> Any:
        return self._hook("after_request_funcs", f, own=False)

    def teardown_app_request(self, f: Any) -> Any:
        return self._hook("teardown_request_funcs", f, own=False)

    def app_errorhandler(self, key: ErrorKey) -> Callable[[View], View]:
        def register(f: View) -> View:
            self._deferred.append(lambda app, _, __: app.register_error_handler(key, f))
            return f

        return register

    # -- urls: url-defaults functions, for this blueprint's endpoints or all --

    def url_defaults(self, f: Any) -> Any:
        return self._hook("url_default_functions", f, own=True)

    def app_url_defaults(self, f: Any) -> Any:
        return self._hook("url_default_functions", f, own=False)

    def _hook(self, table: str, f: Any, *, own: bool) -> Any:
        self._deferred.append(lambda app, name, _: app.add_hook(table, f, name if own else None))
        return f

    # -- mounting --

    def register(
        self,
        app: AppSetup,
        *,
        name_prefix: str = "",
        url_prefix: str | None = None,
        name: str | None = None,
    ) -> None:
        """Replay everything on ``app`` under ``name_prefix + name`` (the
        blueprint's own name unless the registration names another)."""
        name = f"{name_prefix}{self.name if name is None else name}"
        prefix = self.url_prefix if url_prefix is None else url_prefix
        for deferred in self._deferred:
            deferred(app, name, prefix)
        for child, child_prefix in self._children:
            own = child.url_prefix if child_prefix is None else child_prefix
            child.register(app, name_prefix=f"{name}.", url_prefix=prefix + own)
