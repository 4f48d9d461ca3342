"""Adapters for the reference framework, which implements every clause:
its WSGI face (plain hooks, Werkzeug's test client) and its ASGI face
(``async def`` hooks and views, its ASGI test client)."""

from __future__ import annotations

import functools
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import reference_impl
from adapters._flask_family import FlaskFamilyAdapter, WerkzeugClient
from conformance import kit
from conformance.kit import (
    ASGI_NO_REASON_PHRASE,
    FEATURES,
    Call,
    Capabilities,
    Hook,
    Recorder,
    Reply,
    Step,
)


class ReferenceAdapter(FlaskFamilyAdapter):
    name = "reference"
    framework = "reference"
    distribution = "lifecycle-conformance"
    interface = "wsgi"
    capabilities = Capabilities()  # every stage, form and probe
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    module: ClassVar[ModuleType] = reference_impl

    def __init__(self, app_class: type[reference_impl.App] = reference_impl.App) -> None:
        # Mutants (deliberately broken copies of the framework) are App subclasses.
        self.app_class = app_class

    def make_app(self) -> reference_impl.App:
        app = self.app_class("scenario")
        app.logger.disabled = True  # the 500s we provoke are not news
        return app

    def wrap(self, app: Any, wraps: list[Hook], recorder: Recorder) -> None:
        """The reference framework's own middleware registration."""
        layers = kit.asgi_layers if self.asynchronous else kit.wsgi_layers
        for hook in wraps:
            app.add_middleware(functools.partial(layers, hooks=[hook], recorder=recorder))

    def make_blueprint(self, name: str, url_prefix: str) -> reference_impl.Blueprint:
        return reference_impl.Blueprint(name, url_prefix=url_prefix)

    def client(self, app: reference_impl.App) -> Any:
        return WerkzeugClient(app.test_client())


class ReferenceAsgiAdapter(ReferenceAdapter):
    """The same framework through its ASGI face, every hook and view async."""

    name = "reference-asgi"
    interface = "asgi"
    asynchronous = True
    capabilities = Capabilities(
        features=frozenset(FEATURES) - {"reason-phrase"},
        missing={
            "feature:reason-phrase": f"the ASGI face: {ASGI_NO_REASON_PHRASE}",
        },
    )
    # Its url-value preprocessors are called without awaiting, as Flask's and
    # Quart's; url_for is a plain function, as in Flask and Quart: it calls the
    # url-defaults functions without awaiting them.
    sync_stages = frozenset({"url_value_preprocessor", "url_defaults"})

    def client(self, app: reference_impl.App) -> AsgiTestClient:
        return AsgiTestClient(app.asgi_test_client())


class AsgiTestClient:
    """The reference framework's ASGI test client, speaking Call and Reply."""

    def __init__(self, client: reference_impl.testing.AsgiClient) -> None:
        self.client = client

    async def send(self, call: Call) -> Reply:
        try:
            response = await self.client.open(call.path, call.method, call.headers)
        except Exception as exc:
            # The app raised into the server, which would answer 500 itself.
            return Reply(500, (), b"", escaped=type(exc).__name__)
        return Reply(response.status_code, tuple(response.headers), response.body)

    async def step(self, step: Step) -> None:
        """Take a step with the reference framework's own constructs (steps area)."""
        app: Any = self.client.app
        await app.conformance_steps.atake(step, self.client)
