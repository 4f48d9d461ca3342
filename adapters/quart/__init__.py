"""Adapter for Quart, Flask's API on asyncio, run through Quart's own test
client.  Every hook, view and receiver is an ``async def`` function."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any, ClassVar

import quart

from adapters._flask_family import FlaskFamilyAdapter, ModuleNative, Steps
from conformance.kit import ASGI_NO_REASON_PHRASE, FEATURES, FORMS, Call, Capabilities, Reply, Step


class QuartNative(ModuleNative):
    """Flask's native operations, where Quart spells one differently."""

    def stream_with_context(self, chunks: Any) -> Any:
        # Quart's stream_with_context decorates an async generator function
        # (Flask's also takes a generator); call the decorated function.
        wrapped: AsyncIterator[str] = quart.stream_with_context(lambda: chunks)()
        return wrapped


class QuartAdapter(FlaskFamilyAdapter):
    name = "quart"
    framework = "quart"
    distribution = "quart"
    interface = "asgi"
    server = "hypercorn"  # Quart's own server, by its authors (--transport http)
    capabilities = Capabilities(
        forms=frozenset(FORMS) - {"wsgi"},
        features=frozenset(FEATURES) - {"reason-phrase"},
        missing={
            "form:wsgi": "Quart is an ASGI framework: a returned callable is never run as a"
            " WSGI application (Quart.make_response rejects it with TypeError)",
            "feature:reason-phrase": f"Quart is an ASGI framework: {ASGI_NO_REASON_PHRASE}",
        },
    )
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
    module: ClassVar[ModuleType] = quart
    application = "Quart"
    native_class = QuartNative
    asynchronous = True
    # Quart calls url-value preprocessors without awaiting them, and url_for
    # (a plain function) calls url-defaults functions so too.
    sync_stages = frozenset({"url_value_preprocessor", "url_defaults"})

    def client(self, app: quart.Quart) -> QuartClient:
        return QuartClient(app.test_client())


class QuartClient:
    """Quart's test client, speaking Call and Reply."""

    def __init__(self, client: quart.typing.TestClientProtocol) -> None:
        # Any: the protocol's open() marks ``json`` as required, the client does not.
        self.client: Any = client

    async def send(self, call: Call) -> Reply:
        try:
            response = await self.client.open(
                call.path, method=call.method, headers=dict(call.headers)
            )
            body = await response.get_data(as_text=False)
        except Exception as exc:
            # The app raised into the server, which would answer 500 itself.
            return Reply(500, (), b"", escaped=type(exc).__name__)
        return Reply(response.status_code, tuple(response.headers.items()), body)

    async def step(self, step: Step) -> None:
        """Take a step with Quart's own constructs (steps area)."""
        steps: Steps = self.client.app.conformance_steps
        await steps.atake(step, self.client)
