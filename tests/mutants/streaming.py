"""Mutants of the streaming and concurrency area."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from reference_impl import Response
from reference_impl._context import RequestContext
from reference_impl._core import Steps
from tests.mutants import Mutant


class GeneratorBodyBuffered(Mutant):
    """A streamed body (a response built on a generator, or a returned generator) is
    drained into memory when the response is made, so its chunks are produced inside
    the request, before the after-request hooks."""

    breaks = frozenset(
        {
            "streaming.generator.produced-after-after-hooks",
            "streaming.generator.no-request-context",
            "streaming.generator.teardown-before-chunks",
            "streaming.with-context.teardown-after-last-chunk",
            "streaming.generator.no-app-context",  # area returns
            # drained before the client reads any of it: a stream closed early ran to its end
            "streaming.closed-early.stream-closed",
            "streaming.closed-early.no-context-no-second-teardown",
        }
    )

    def make_response(self, rv: Any) -> Response:
        if isinstance(rv, Iterator):
            rv = Response(list(rv))
        response = super().make_response(rv)
        if response.is_streamed:
            response.set_data(b"".join(response.iter_encoded()))
        return response


class _EveryPopTearsDown(RequestContext):
    def pop(self, exc: BaseException | None = None) -> Steps[None]:
        if len(self._tokens) > 1:  # the base class tears down on the last pop only
            yield from self.app.do_teardown_request(exc)
        yield from super().pop(exc)


class TeardownWhenResponseHandedOver(Mutant):
    """Every pop of the request context runs the teardown-request hooks, so a stream
    that keeps the context is torn down when the response is handed to the server
    and again when the stream ends."""

    breaks = frozenset({"streaming.with-context.teardown-after-last-chunk"})

    def handle_request(self, ctx: RequestContext, respond: Callable[[Response], Any]) -> Steps[Any]:
        return (yield from super().handle_request(_EveryPopTearsDown(self, ctx.request), respond))


class StreamDrainedOnClose(Mutant):
    """The WSGI face's body, closed by the server before it was read to its end,
    produces its remaining chunks first (draining the stream, as a server that
    reads a body to the end to keep its connection would), then closes it."""

    breaks = frozenset({"streaming.closed-early.stream-closed"})

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Any:
        return _Draining(super().wsgi_app(environ, start_response))


class _Draining:
    """A WSGI body whose close first produces what was not read."""

    def __init__(self, body: Any) -> None:
        self.body, self.chunks = body, iter(body)

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks

    def close(self) -> None:
        for _ in self.chunks:
            pass
        getattr(self.body, "close", lambda: None)()


class StreamBodyNeverClosed(Mutant):
    """The WSGI face hands the server a body without a close method, so a body
    the client stops reading is dropped, never closed: its stream's finally
    block does not run (the body is kept, so no garbage collection runs it
    either), nor does what a stream that keeps the context does at its end."""

    breaks = frozenset(
        {
            "streaming.closed-early.stream-closed",
            "streaming.closed-early.with-context-teardown-after-close",
            "streaming.closed-early.no-context-no-second-teardown",
        }
    )
    kept: ClassVar[list[Any]] = []

    def wsgi_app(self, environ: dict[str, Any], start_response: Any) -> Any:
        body = super().wsgi_app(environ, start_response)
        self.kept.append(body)
        return (chunk for chunk in body)  # its close does not close body
