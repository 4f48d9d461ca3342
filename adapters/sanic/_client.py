"""The app as the suite runs it (started by its lifespan protocol) and sanic-testing's ASGI
client speaking Call and Reply, with the one kind of step Sanic has (steps area)."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Callable
from typing import Any

from sanic import Sanic
from sanic_testing.testing import SanicASGITestClient  # type: ignore[import-untyped]  # untyped

from conformance import kit


class Started:
    """The app, started by its lifespan protocol (the dispatcher answers the server's); how to
    register a hook on it, and the recorder and Native its steps use."""

    def __init__(
        self,
        app: Sanic[Any, Any],
        register: Callable[[kit.Hook], None],
        recorder: kit.Recorder,
        native: kit.Native,
    ) -> None:
        self.app, self.register, self.recorder, self.native = app, register, recorder, native
        self.started = asyncio.Event()
        self.lifespan: asyncio.Future[Any] | None = None  # its task waits for a shutdown

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self.lifespan is None:  # startup, and then no shutdown ever comes
            given: asyncio.Queue[Any] = asyncio.Queue()
            given.put_nowait({"type": "lifespan.startup"})

            async def sent(message: Any) -> None:  # startup.complete (or .failed)
                self.started.set()

            self.lifespan = asyncio.ensure_future(self.app({"type": "lifespan"}, given.get, sent))
        await self.started.wait()
        await self.app(scope, receive, send)


class SanicClient:
    """sanic-testing's ASGI client, speaking Call and Reply, and taking the steps Sanic has
    (steps area): a hook registered on the app that has served, a probe between requests."""

    def __init__(self, started: Started) -> None:
        self.started, self.client = started, SanicASGITestClient(started.app)

    async def step(self, step: kit.Step) -> None:
        if step.kind == "probe":  # outside any request: Request.get_current() has none
            started = self.started
            await kit.aperform(step.does, hook=step.id, stage="step",
                               recorder=started.recorder, native=started.native)  # fmt: skip
            return
        assert step.hook is not None  # a "register" step: the other step Sanic has
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                self.started.register(step.hook)
                error = None
            except Exception as exc:
                error = type(exc).__name__
        seen: dict[str, kit.JSON] = {"error": error}
        if caught:
            seen["warning"] = caught[0].category.__name__
        self.started.recorder.record(kit.Event(step.id, "step", seen))

    async def send(self, call: kit.Call) -> kit.Reply:
        try:
            _, response = await self.client.request(
                call.method, call.path, headers=dict(call.headers), gather_request=False
            )
        except Exception as exc:  # the app raised into the server, which answers 500
            return kit.Reply(500, (), b"", escaped=type(exc).__name__)
        return kit.Reply(response.status_code, tuple(response.headers.items()), response.content)
