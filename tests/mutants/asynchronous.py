"""Mutants of the ASGI face: bugs an async server shell is prone to, in a
framework whose hooks and views are ``async def``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any, ClassVar

from reference_impl import Response
from reference_impl import _signals as signals
from reference_impl._context import RequestContext, _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class AsgiBodyProducedInsideRequest(Mutant):
    """The ASGI face drains a streamed body before the request context ends,
    so the stream runs with the request context and before the teardowns."""

    face = "asgi"
    breaks = frozenset(
        {
            "streaming.generator.no-request-context",
            "streaming.generator.teardown-before-chunks",
        }
    ) | frozenset({"streaming.generator.no-app-context"})  # area returns

    def handle_request(self, ctx: RequestContext, respond: Callable[[Response], Any]) -> Steps[Any]:
        async def drain_then_respond(response: Response) -> Any:
            chunks = response.response
            if isinstance(chunks, AsyncIterator):
                response.response = [chunk async for chunk in chunks]
            return await respond(response)

        return (yield from super().handle_request(ctx, drain_then_respond))


class AfterHooksGathered(Mutant):
    """The after-request hooks are awaited together with asyncio.gather, each
    handed the response as made, and the last one's result is sent."""

    face = "asgi"
    breaks = frozenset(
        {
            "hooks.after.returned-response-replaces",
            # gather starts every hook, also those after one that raises
            "errors.after.exception-skips-remaining-hooks",
        }
    ) | frozenset(
        {"hooks.after.returns-none.next-handed-none", "hooks.after.returns-none.escapes"}
    )  # area returns

    def process_response(self, response: Response) -> Steps[Response]:
        ctx = _request_ctx.get()
        for func in ctx.after_request_functions:
            response = yield from invoke(func, response)
        hooks = [
            after
            for scope in (*ctx.request.blueprints, None)
            for after in reversed(self.after_request_funcs.get(scope, []))
        ]

        async def gather(made: Response) -> Response:
            results = await asyncio.gather(*(hook(made) for hook in hooks))
            return results[-1] if results else made

        response = yield from invoke(gather, response)
        if ctx.session is not None:
            from reference_impl import _sessions

            _sessions.save_session(self.secret_key, ctx.session, response)
        return response


class TeardownHooksNotAwaited(Mutant):
    """Async teardown hooks are started as background tasks and not awaited:
    the request ends without waiting for them."""

    face = "asgi"
    # The hooks run later, at the loop's next turn: after the signals and the
    # app-context teardown that should follow them, and unable to raise.
    breaks = frozenset(
        {
            "hooks.teardown-appcontext.after-teardown-request",
            "steps.test-request-context.teardown-on-exit",
            "signals.request-tearing-down.after-teardown-hooks",
            "signals.appcontext-tearing-down.after-teardown-appcontext",
            "context.g.kept-until-teardown-appcontext",
            "errors.teardown-appcontext.receives-unhandled-exception",
            "errors.teardown.exception-app-context-still-ends",
            "errors.teardown.exception-escapes",
            "errors.teardown.exception-skips-remaining-teardown-hooks",
            "streaming.generator.teardown-before-chunks",
            "streaming.with-context.teardown-after-last-chunk",
            # the wrapping layer exits before the orphaned teardown hook has run
            "wrap.encloses-the-lifecycle",
            # area execution: the whole trace, where the teardown hook moved
            "execution.async.awaited-in-every-stage",
        }
    )

    _orphans: ClassVar[set[asyncio.Future[Any]]] = set()

    def do_teardown_request(self, exc: BaseException | None) -> Steps[None]:
        for scope in (*_request_ctx.get().request.blueprints, None):
            for teardown in reversed(self.teardown_request_funcs.get(scope, [])):
                # the bug: nobody awaits it (the reference is kept only so it is not collected)
                orphan = asyncio.ensure_future(teardown(exc))
                self._orphans.add(orphan)
                orphan.add_done_callback(self._orphans.discard)
        yield from self.send_signal(signals.request_tearing_down, exc=exc)
