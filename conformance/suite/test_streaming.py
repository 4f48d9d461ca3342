"""Streaming and concurrency: when a streamed body is produced and which context it
sees, contexts copied to other threads, and requests handled at the same time."""

import pytest

from conformance import Exchange, clause
from conformance.checks import same
from conformance.kit import JSON
from conformance.scenarios import (
    after,
    before,
    call,
    closing_stream,
    probed_stream,
    scenario,
    stream,
    teardown,
    teardown_app,
    view,
)

PLAIN = pytest.param(False, id="plain")
WITH_CONTEXT = pytest.param(True, id="with-context")


def chunks_saw_request(x: Exchange) -> list[JSON]:
    """For each chunk produced, whether the request context was active."""
    return [e.seen.get("request") for e in x.trace if e.stage == "stream"]


def seen_by(x: Exchange, hook: str) -> dict[str, JSON] | None:
    """Everything the first event of ``hook`` saw, or None if there was none."""
    return next((dict(e.seen) for e in x.trace if e.hook == hook), None)


@clause("streaming.generator.produced-after-after-hooks")
@pytest.mark.parametrize("keeps_context", [PLAIN, WITH_CONTEXT])
def test_generator_chunks_come_after_the_view_and_the_after_hooks(observe, keeps_context):
    """A generator returned by a view produces its chunks only after the view has returned and the
    after-request hooks have run."""
    x = observe(
        scenario(
            before("b"),
            after("a1"),
            after("a2"),
            view(returns=stream("x", "y", "z", keeps_context=keeps_context)),
        )
    ).only
    same(x.order(), ["b", "index", "a2", "a1", "chunk0", "chunk1", "chunk2"], "call order")
    same(x.text, "xyz", "body")


@clause("streaming.generator.no-request-context")
def test_plain_generator_runs_without_the_request_context(observe):
    """Unless it is wrapped to keep the context, a generator returned by a view produces its chunks
    with no request context active."""
    x = observe(scenario(view(probes=["request"], returns=stream("x", "y", "z")))).only
    same(x.seen("index", "request"), True, "request context active in the view")
    same(chunks_saw_request(x), [False, False, False], "request context active in each chunk")


@clause("streaming.generator.teardown-before-chunks")
def test_plain_generator_runs_after_the_teardown_hooks(observe):
    """Unless it is wrapped to keep the context, a generator returned by a view produces its chunks
    after the request's teardown-request and teardown-appcontext hooks have run."""
    x = observe(
        scenario(
            teardown_app("ta"),
            teardown("t"),
            after("a"),
            view(returns=stream("x", "y")),
        )
    ).only
    same(x.order(), ["index", "a", "t", "ta", "chunk0", "chunk1"], "call order")


@clause("streaming.with-context.request-active")
def test_generator_with_context_has_the_request_in_every_chunk(observe):
    """A generator wrapped with stream_with_context produces every chunk with the request context of
    its request active."""
    x = observe(scenario(view(returns=stream("x", "y", "z", keeps_context=True)))).only
    same(chunks_saw_request(x), [True, True, True], "request context active in each chunk")
    same(x.text, "xyz", "body")


@clause("streaming.with-context.teardown-after-last-chunk")
def test_generator_with_context_is_torn_down_once_after_its_last_chunk(observe):
    """When a view returns a generator wrapped with stream_with_context, the request's
    teardown-request and teardown-appcontext hooks run once, after its last chunk, and not when the
    response is handed to the server."""
    x = observe(
        scenario(
            teardown_app("ta"),
            teardown("t"),
            after("a"),
            view(returns=stream("x", "y", "z", keeps_context=True)),
        )
    ).only
    same(x.order(), ["index", "a", "chunk0", "chunk1", "chunk2", "t", "ta"], "call order")


@clause("streaming.copied-context.request-and-session")
def test_copied_context_sees_the_request_and_its_session_in_another_thread(observe):
    """A function wrapped with copy_current_request_context and called in another thread sees the
    request it was wrapped in and that request's session, with the changes made to it so far."""
    # Including what the before-request hook and the view put in the session before the copy.
    x = observe(
        scenario(
            before("b", set_session={"set_by": "before"}),
            view(
                "item",
                "/items/{name}",
                set_session={"seen": "view"},
                copied_context=["request", "path", "view_args", "endpoint", "session.data"],
            ),
            requests=[call("/items/a")],
        )
    ).only
    same(x.order(), ["b", "item", "item.copied"], "call order")
    same(
        seen_by(x, "item.copied"),
        {
            "request": True,
            "path": "/items/a",
            "view_args": {"name": "a"},
            "endpoint": "item",
            "session.data": {"set_by": "before", "seen": "view"},
        },
        "what the copied context saw",
    )


@clause("streaming.copied-context.fresh-g")
def test_copied_context_starts_with_an_empty_g(observe):
    """A function wrapped with copy_current_request_context and called in another thread has an
    application context of its own, whose g starts empty rather than holding what the request
    set."""
    # The request's own g keeps what was set on it.
    x = observe(
        scenario(
            before("b", set_g={"k": "set"}),
            after("a", probes=["g"]),
            view(copied_context=["app", "g"]),
        )
    ).only
    same(x.order(), ["b", "index", "index.copied", "a"], "call order")
    same(seen_by(x, "index.copied"), {"app": True, "g": {}}, "what the copied context saw")
    same(x.seen("a", "g"), {"k": "set"}, "g of the request itself afterwards")


@clause("streaming.concurrent.own-g")
def test_concurrent_requests_each_see_only_their_own_g(observe):
    """Requests handled at the same time, in different threads, each see only what was set on g
    during that request."""
    # Three requests in flight at once, each setting its own key on g, each see only theirs.
    names = ["a", "b", "c"]
    obs = observe(
        scenario(
            after("after", probes=["g"]),
            *[view(n, f"/items/{n}", set_g={n: n}, rendezvous=True) for n in names],
            requests=[call(f"/items/{n}") for n in names],
            concurrent=True,
        )
    )
    same([x.seen("after", "g") for x in obs.exchanges], [{n: n} for n in names], "g per request")


@clause("streaming.concurrent.own-request")
def test_concurrent_requests_each_see_their_own_request(observe):
    """Requests handled at the same time, in different threads, each see their own request object:
    its path and URL values."""
    # Three requests in flight at once each see their own path and URL values.
    names = ["a", "b", "c"]
    obs = observe(
        scenario(
            after("after", probes=["path", "view_args"]),
            view("item", "/items/{name}", rendezvous=True),
            requests=[call(f"/items/{n}") for n in names],
            concurrent=True,
        )
    )
    same(
        [(x.seen("after", "path"), x.seen("after", "view_args")) for x in obs.exchanges],
        [(f"/items/{n}", {"name": n}) for n in names],
        "path and URL values per request",
    )


# -- area returns: what a chunk sees, and teardown under stream_with_context --


def chunks_saw(x: Exchange, probe: str) -> list[JSON]:
    """For each chunk produced, what ``probe`` saw."""
    return [e.seen.get(probe) for e in x.trace if e.stage == "stream"]


@clause("streaming.generator.no-app-context")
def test_plain_generator_runs_without_the_application_context(observe):
    """Unless it is wrapped to keep the context, a generator returned by a view produces its chunks
    with no application context active, so g is not available."""
    x = observe(
        scenario(
            before("b", set_g={"k": "set"}),
            view(probes=["app"], returns=probed_stream("x", "y", probes=["app", "g"])),
        )
    ).only
    same(x.seen("index", "app"), True, "application context active in the view")
    same(
        (chunks_saw(x, "app"), chunks_saw(x, "g")),
        ([False, False], [None, None]),
        "application context and g in each chunk",
    )


@clause("streaming.with-context.request-state")
def test_generator_with_context_sees_the_requests_state_in_every_chunk(observe):
    """A generator wrapped with stream_with_context produces every chunk with its request's
    application context, g as the request left it, its session and its endpoint."""
    probes = ["app", "g", "session.data", "endpoint", "path"]
    x = observe(
        scenario(
            before("b", set_g={"k": "before"}, set_session={"s": "before"}),
            view("item", "/items/{name}", set_g={"v": "view"},
                 returns=probed_stream("x", "y", probes=probes, keeps_context=True)),
            requests=[call("/items/a")],
        )
    ).only  # fmt: skip
    seen = {"app": True, "g": {"k": "before", "v": "view"}, "session.data": {"s": "before"},
            "endpoint": "item", "path": "/items/a"}  # fmt: skip
    same(
        [{p: e.seen.get(p) for p in probes} for e in x.trace if e.stage == "stream"],
        [seen, seen],
        "what each chunk saw",
    )


@clause("streaming.with-context.teardown-also-before-chunks")
def test_generator_with_context_is_torn_down_before_and_after_its_chunks(observe):
    """When a view returns a generator wrapped with stream_with_context, the request's
    teardown-request hooks run when the response is handed to the server, before the first chunk,
    and again after the last chunk."""
    x = observe(
        scenario(
            teardown("t"),
            after("a"),
            view(returns=stream("x", "y", keeps_context=True)),
        )
    ).only
    same(x.order(), ["index", "a", "t", "chunk0", "chunk1", "t"], "call order")


# -- a streamed response the client closes before reading it all --


def closed_early(observe, value, *hooks):
    """The exchange of a GET whose client reads one chunk of ``value`` and closes the response."""
    return observe(scenario(*hooks, view(returns=value), requests=[call(read_chunks=1)])).only


# A response on a stream, not a bare generator returned: Flask converts a returned generator
# only since 2.2, and these clauses hold for every release.


@clause("streaming.closed-early.stream-closed")
def test_a_stream_closed_after_one_chunk_produces_no_more(observe):
    """When the client closes a streamed response after reading only its first chunk, the stream
    produces no further chunk and its finally block runs, with its body unfinished."""
    x = closed_early(observe, closing_stream("a", "b", "c"))
    same(
        ([e.hook for e in x.trace if e.stage == "stream"], x.seen("closed", "exhausted"), x.body),
        (["chunk0", "closed"], False, b"a"),
        "stream events, whether it ran to its end, body read",
    )


@clause("streaming.closed-early.with-context-teardown-after-close")
def test_stream_with_context_closed_early_is_torn_down_after_its_close(observe):
    """When the client closes a stream_with_context response after reading only its first chunk,
    the request's teardown-request hooks run once after the stream's finally block, though its body
    was never finished."""
    value = closing_stream("a", "b", "c", keeps_context=True)
    order = closed_early(observe, value, teardown("t")).order()
    after_close = order[order.index("closed") + 1 :] if "closed" in order else None
    same(after_close, ["t"], "calls after the stream's close")


@clause("streaming.closed-early.no-context-no-second-teardown")
def test_stream_closed_early_without_context_is_torn_down_once_before(observe):
    """When the client closes, after reading only its first chunk, a streamed response that does not
    keep the request context, the request's teardown-request hooks have run once, before that chunk,
    and do not run again when it is closed."""
    x = closed_early(observe, closing_stream("a", "b", "c"), teardown("t"))
    # Teardown once, before the first chunk, and not after the close.
    order = [h for h in x.order() if h in ("t", "chunk0", "closed")]
    same(order, ["t", "chunk0", "closed"], "teardown, first chunk and close, in call order")
