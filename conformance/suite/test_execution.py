"""Sync and async execution: which hooks and views are awaited, where each
runs (the request's thread or another, which asyncio task), what each sees,
and what work started from a view sees."""

from typing import Any

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    response,
    scenario,
    signal,
    teardown,
    teardown_app,
    url_value_preprocessor,
    view,
)

# The hook (or view endpoint) standing for each stage in lifecycle().
BEFORE = pytest.param("b", id="before")
VIEW = pytest.param("index", id="view")
ERROR_HANDLER = pytest.param("eh", id="error-handler")
AFTER = pytest.param("a", id="after")
TEARDOWN = pytest.param("t", id="teardown")
TEARDOWN_APPCONTEXT = pytest.param("ta", id="teardown-appcontext")

AROUND_THE_VIEW = [BEFORE, VIEW, AFTER, TEARDOWN]


def lifecycle(subject, mode, *probes, raises=False, before_sets_g=None):
    """A request through a before-request hook, the view (which raises
    ValueError when ``raises``, for the error handler), an after-request hook
    and both teardowns; ``subject`` is written as ``mode`` and probes
    ``probes``, the others are the framework's own kind and only record."""

    def role(hid: str) -> dict[str, Any]:
        return {"mode": mode, "probes": probes} if hid == subject else {}

    ending: dict[str, Any] = {"raises": "ValueError"} if raises else {}
    first = [before("first", set_g=before_sets_g)] if before_sets_g else []
    return scenario(
        *first,
        before("b", **role("b")),
        error_handler("eh", "ValueError", returns=response("handled"), **role("eh")),
        after("a", **role("a")),
        teardown("t", **role("t")),
        teardown_app("ta", **role("ta")),
        view(**role("index"), **ending),
    )


@clause("execution.async.awaited-in-every-stage")
@pytest.mark.parametrize(
    "hook", [BEFORE, VIEW, ERROR_HANDLER, AFTER, TEARDOWN, TEARDOWN_APPCONTEXT]
)
def test_async_hooks_and_views_are_awaited_in_every_stage(observe, hook):
    """An async def before-request hook, view, error handler, after-request hook, teardown-request
    hook or teardown-appcontext hook is awaited: its body runs at its place in the lifecycle."""
    # The view raises so that the error handler runs too.
    x = observe(lifecycle(hook, "async", raises=True)).only
    same(x.order(), ["b", "index", "eh", "a", "t", "ta"], "call order")
    same(x.status, 200, "status")


@clause("execution.async.signal-receivers-awaited")
def test_async_signal_receivers_are_awaited(observe):
    """An async def signal receiver is awaited: its body runs when the signal is sent."""
    x = observe(scenario(signal("started", "request_started", mode="async"), view())).only
    same(x.order(), ["started", "index"], "call order")


@clause("execution.async.signal-receivers-refused")
def test_sending_a_signal_to_an_async_receiver_fails_the_request(observe):
    """Sending a signal to which an async def receiver is connected raises RuntimeError (blinker's
    Signal.send refuses coroutine functions), before the view runs."""
    # The RuntimeError handler answers: neither the receiver nor the view ran.
    x = observe(
        scenario(
            signal("started", "request_started", mode="async"),
            error_handler("eh", "RuntimeError", returns=response("refused")),
            view(),
        )
    ).only
    same(x.order(), ["eh"], "call order")
    same(x.status, 200, "status")


@clause("execution.async.url-value-preprocessor-never-awaited")
def test_async_url_value_preprocessors_are_never_awaited(observe):
    """An async def URL value preprocessor is called but never awaited: its body does not run, and
    the request goes on to the before-request hooks and the view."""
    x = observe(scenario(url_value_preprocessor("u", mode="async"), before("b"), view())).only
    same(x.order(), ["b", "index"], "call order")
    same(x.status, 200, "status")


@clause("execution.async.in-a-task")
@pytest.mark.parametrize("hook", AROUND_THE_VIEW)
def test_async_hooks_and_views_run_in_a_task(observe, hook):
    """An async def hook or view runs inside an asyncio task."""
    x = observe(lifecycle(hook, "async", "task")).only
    same(x.seen(hook, "task") is not None, True, "inside an asyncio task")


@clause("execution.async.sees-the-request")
@pytest.mark.parametrize("hook", AROUND_THE_VIEW)
def test_async_hooks_and_views_see_the_request_and_g(observe, hook):
    """An async def before-request hook, view, after-request hook or teardown-request hook runs
    with the request context and the application context active, and sees g as the request has
    set it so far."""
    x = observe(lifecycle(hook, "async", "request", "app", "g", before_sets_g={"k": 1})).only
    same(
        {p: x.seen(hook, p) for p in ("request", "app", "g")},
        {"request": True, "app": True, "g": {"k": 1}},
        "contexts active, and g",
    )


@clause("execution.mixed.g-shared-across-kinds")
def test_plain_and_async_hooks_share_g(observe):
    """A plain-function hook and an async def hook or view of the same request share g: what one
    sets, the next sees."""
    x = observe(
        scenario(
            before("b", mode="sync", set_g={"b": 1}),
            after("a", mode="sync", probes=["g"]),
            view(mode="async", set_g={"index": 2}, probes=["g"]),
        )
    ).only
    same(
        {"view (async)": x.seen("index", "g"), "after (plain)": x.seen("a", "g")},
        {"view (async)": {"b": 1}, "after (plain)": {"b": 1, "index": 2}},
        "g",
    )


@clause("execution.sync.on-the-request-thread")
@pytest.mark.parametrize("hook", AROUND_THE_VIEW)
def test_plain_hooks_and_views_run_on_the_request_thread(observe, hook):
    """A plain-function before-request hook, view, after-request hook or teardown-request hook runs
    on the thread that handles the request."""
    x = observe(lifecycle(hook, "sync", "thread")).only
    same(x.seen(hook, "thread"), "request", "thread")


@clause("execution.sync.url-value-preprocessor-on-the-request-thread")
def test_plain_url_value_preprocessors_run_on_the_request_thread(observe):
    """A plain-function URL value preprocessor runs on the thread that handles the request."""
    x = observe(scenario(url_value_preprocessor("u", mode="sync", probes=["thread"]), view())).only
    same(x.seen("u", "thread"), "request", "thread")


@clause("execution.flask.async-in-a-loop-of-its-own")
@pytest.mark.parametrize("hook", AROUND_THE_VIEW)
def test_async_code_runs_in_an_event_loop_in_another_thread(observe, hook):
    """An async def hook or view runs in an event loop that Flask starts for it in another thread,
    not on the thread that handles the request."""
    x = observe(lifecycle(hook, "async", "thread")).only
    same(x.seen(hook, "thread"), "other", "thread")


@clause("execution.flask.a-task-per-async-call")
def test_each_async_call_runs_in_a_task_of_its_own(observe):
    """Each async def hook or view runs in a task of its own: an async before-request hook and the
    async view of the same request never share a task."""
    x = observe(
        scenario(before("b", mode="async", probes=["task"]), view(mode="async", probes=["task"]))
    ).only
    same(
        {"tasks": [x.seen("b", "task"), x.seen("index", "task")]},
        {"tasks": ["task-1", "task-2"]},
        "the before-request hook's task, then the view's",
    )


@clause("execution.quart.sync-in-a-worker-thread")
@pytest.mark.parametrize("hook", AROUND_THE_VIEW)
def test_plain_functions_run_in_a_worker_thread(observe, hook):
    """A plain-function before-request hook, view, after-request hook or teardown-request hook runs
    in a worker thread, outside the event loop: not on the thread that handles the request, and in
    no asyncio task."""
    x = observe(lifecycle(hook, "sync", "thread", "task")).only
    same(
        {p: x.seen(hook, p) for p in ("thread", "task")},
        {"thread": "other", "task": None},
        "thread and task",
    )


@clause("execution.quart.one-task-per-request")
def test_async_hooks_and_view_share_the_request_task(observe):
    """The async def before-request hooks, view and after-request hooks of one request all run in
    the same asyncio task, on the thread that handles the request."""
    where: dict[str, Any] = {"mode": "async", "probes": ["thread", "task"]}
    x = observe(scenario(before("b", **where), after("a", **where), view(**where))).only
    same(
        {hid: {p: x.seen(hid, p) for p in ("thread", "task")} for hid in ("b", "index", "a")},
        {hid: {"thread": "request", "task": "task-1"} for hid in ("b", "index", "a")},
        "thread and task of each",
    )


@clause("execution.thread.no-context")
def test_a_thread_started_from_the_view_has_no_context(observe):
    """A thread the view starts without copying the request context has no request context and no
    application context: request, session and g are unavailable there."""
    x = observe(
        scenario(view(set_g={"k": 1}, starts="thread", started=["request", "app", "session", "g"]))
    ).only
    same(x.order(), ["index", "index.started"], "call order")
    same(
        {p: x.seen("index.started", p) for p in ("request", "app", "session", "g")},
        {"request": False, "app": False, "session": False, "g": None},
        "what the thread saw",
    )


@clause("execution.copied-thread.sees-the-request")
def test_a_copied_function_called_in_a_thread_sees_the_request(observe):
    """A plain function wrapped with copy_current_request_context and called in a thread the view
    starts runs there with the request context of that request."""
    x = observe(
        scenario(
            view("item", "/items/{name}", starts="copied_thread", started=["request", "path"]),
            requests=[call("/items/a")],
        )
    ).only
    same(x.order(), ["item", "item.started"], "call order")
    same(
        {p: x.seen("item.started", p) for p in ("request", "path")},
        {"request": True, "path": "/items/a"},
        "what the copied function saw",
    )


@clause("execution.task.sees-the-request")
def test_a_task_started_from_an_async_view_sees_the_request(observe):
    """A task an async def view starts with asyncio.create_task and awaits runs with the request
    context active and sees g as the view left it, in a task other than the view's."""
    x = observe(
        scenario(
            before("b", set_g={"b": 1}),
            view(
                mode="async",
                set_g={"index": 2},
                probes=["task"],
                starts="task",
                started=["request", "g", "task"],
            ),
        )
    ).only
    same(x.order(), ["b", "index", "index.started"], "call order")
    same(
        {
            "request": x.seen("index.started", "request"),
            "g": x.seen("index.started", "g"),
            "the view's task": x.seen("index.started", "task") == x.seen("index", "task"),
        },
        {"request": True, "g": {"b": 1, "index": 2}, "the view's task": False},
        "what the task saw",
    )


# -- contexts: Python's own copy of the context variables, and what each copy carries --


@clause("execution.contextvars-thread.sees-the-request")
def test_a_function_run_in_a_copy_of_the_context_variables_sees_the_request(observe):
    """A plain function the view runs, in a thread it starts, inside contextvars.copy_context()
    taken in the view sees the request context of that request."""
    x = observe(
        scenario(
            view("item", "/items/{name}", starts="contextvars_thread", started=["request", "path"]),
            requests=[call("/items/a")],
        )
    ).only
    same(x.order(), ["item", "item.started"], "call order")
    same(
        {p: x.seen("item.started", p) for p in ("request", "path")},
        {"request": True, "path": "/items/a"},
        "what the function saw",
    )


@clause("execution.contextvars-thread.sees-g")
def test_a_function_run_in_a_copy_of_the_context_variables_sees_the_views_g(observe):
    """A plain function the view runs, in a thread it starts, inside contextvars.copy_context()
    taken in the view sees g as the view set it: the copy carries the request's own application
    context, not a new one."""
    # streaming.copied-context.fresh-g: copy_current_request_context gives an empty g instead.
    x = observe(scenario(view(set_g={"k": 1}, starts="contextvars_thread", started=["g"]))).only
    same(x.order(), ["index", "index.started"], "call order")
    same(x.seen("index.started", "g"), {"k": 1}, "g where the function ran")
