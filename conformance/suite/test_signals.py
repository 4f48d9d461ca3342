"""Signals: when each is sent relative to the hooks and the view, and what its receivers get."""

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


@clause("signals.appcontext-pushed.first")
def test_appcontext_pushed_is_sent_before_anything_else(observe):
    """The appcontext_pushed signal is sent at the start of every request that begins with no
    application context active, before request_started and before any hook or the view runs."""
    x = observe(
        scenario(
            before("b"),
            signal("started", "request_started"),
            signal("pushed", "appcontext_pushed"),
            view(),
        )
    ).only
    same(x.order(), ["pushed", "started", "b", "index"], "call order")


@clause("signals.request-started.before-hooks")
@pytest.mark.parametrize(
    ("request_", "order"),
    [
        pytest.param(call("/items/x"), ["started", "u", "b", "item"], id="matched-route"),
        pytest.param(call("/missing"), ["started", "u", "b"], id="no-such-url"),
    ],
)
def test_request_started_is_sent_before_the_url_value_preprocessors_and_before_hooks(
    observe, request_, order
):
    """The request_started signal is sent once per request, whether or not a route matched,
    before any URL value preprocessor and before-request hook runs, whatever order they were
    registered in."""
    # The preprocessor and the before-request hook are registered ahead of its receiver.
    x = observe(
        scenario(
            url_value_preprocessor("u"),
            before("b"),
            signal("started", "request_started"),
            view("item", "/items/{name}"),
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")


def request_finished_after_a_replacing_after_hook():
    """A request_finished receiver and a teardown hook, where an after-request hook
    replaces the view's 201 response with a 202."""
    return scenario(
        signal("finished", "request_finished", probes=["response.status"]),
        teardown("t"),
        after("a", returns=response("replaced", 202)),
        view(returns=response("made", 201)),
    )


@clause("signals.request-finished.after-after-hooks")
def test_request_finished_is_sent_after_the_after_hooks(observe):
    """The request_finished signal is sent after the after-request hooks have run, before the
    teardown-request hooks."""
    x = observe(request_finished_after_a_replacing_after_hook()).only
    same(x.order(), ["index", "a", "finished", "t"], "call order")


@clause("signals.request-finished.handed-final-response")
def test_request_finished_is_handed_the_response_the_after_hooks_produced(observe):
    """The request_finished signal is handed the response the after-request hooks produced, which is
    the response sent."""
    # An after-request hook replaced the view's 201 with a 202.
    x = observe(request_finished_after_a_replacing_after_hook()).only
    same(
        (x.seen("finished", "response.status"), x.status),
        (202, 202),
        "status handed to request_finished, and status sent",
    )


@clause("signals.request-finished.every-response")
@pytest.mark.parametrize(
    ("parts", "request_", "order", "status"),
    [
        pytest.param(
            [before("b", returns=response("early", 203)), view()],
            call("/"),
            ["b", "a", "finished"],
            203,
            id="short-circuit",
        ),
        pytest.param(
            [
                error_handler("h", "ValueError", returns=response("h", 418)),
                view(raises="ValueError"),
            ],
            call("/"),
            ["index", "h", "a", "finished"],
            418,
            id="error-handler",
        ),
        pytest.param([view(aborts=403)], call("/"), ["index", "a", "finished"], 403, id="abort"),
        pytest.param([view()], call("/missing"), ["a", "finished"], 404, id="no-such-url"),
        pytest.param(
            [view(raises="ValueError")], call("/"), ["index", "a", "finished"], 500, id="unhandled"
        ),
    ],
)
def test_request_finished_is_sent_for_every_kind_of_response(
    observe, parts, request_, order, status
):
    """The request_finished signal is sent for every response the application makes when no
    after-request hook raises, whether it comes from the view, a short-circuiting before-request
    hook, an error handler, an HTTP error or the 500 of an unhandled exception, and is handed that
    response."""
    # Each time after the after-request hooks.
    x = observe(
        scenario(
            signal("finished", "request_finished", probes=["response.status"]),
            after("a"),
            *parts,
            requests=[request_],
        )
    ).only
    same(x.order(), order, "call order")
    same(x.seen("finished", "response.status"), status, "status handed to request_finished")


@clause("signals.got-request-exception.unhandled")
@pytest.mark.parametrize(
    ("parts", "order", "exception"),
    [
        pytest.param(
            [view(raises="ValueError")], ["index", "got"], "ValueError", id="raised-by-view"
        ),
        pytest.param(
            [before("b", raises="KeyError"), view()],
            ["b", "got"],
            "KeyError",
            id="raised-by-before-hook",
        ),
        pytest.param(
            [error_handler("h", "ValueError", raises="KeyError"), view(raises="ValueError")],
            ["index", "h", "got"],
            "KeyError",
            id="raised-by-error-handler",
        ),
    ],
)
def test_got_request_exception_is_sent_for_an_unhandled_exception(observe, parts, order, exception):
    """The got_request_exception signal is sent, once, for an exception that no error handler takes
    or that an error handler raises, and is handed that exception."""
    x = observe(scenario(signal("got", "got_request_exception", probes=["exception"]), *parts)).only
    same(x.order(), order, "call order")
    same(x.seen("got", "exception"), exception, "exception handed to got_request_exception")
    same(x.status, 500, "status sent")


@clause("signals.got-request-exception.not-for-handled")
@pytest.mark.parametrize(
    ("parts", "request_"),
    [
        pytest.param(
            [error_handler("h", "ValueError", returns=response("h")), view(raises="ValueError")],
            call("/"),
            id="class-handler",
        ),
        pytest.param(
            [error_handler("h", 403, returns=response("h")), view(aborts=403)],
            call("/"),
            id="status-code-handler",
        ),
        pytest.param([view(aborts=403)], call("/"), id="abort-without-handler"),
        pytest.param([view()], call("/missing"), id="no-such-url"),
    ],
)
def test_got_request_exception_is_not_sent_for_handled_exceptions_or_http_errors(
    observe, parts, request_
):
    """The got_request_exception signal is not sent for an exception an error handler takes, nor for
    an HTTP error, whether or not a handler takes it."""
    x = observe(scenario(signal("got", "got_request_exception"), *parts, requests=[request_])).only
    same([h for h in x.order() if h == "got"], [], "got_request_exception receivers called")


@clause("signals.got-request-exception.before-500-handler")
def test_got_request_exception_is_sent_before_the_500_handler(observe):
    """The got_request_exception signal is sent before the handler for status 500 is called, and so
    before the after-request hooks and request_finished."""
    x = observe(
        scenario(
            signal("finished", "request_finished"),
            after("a"),
            error_handler("h500", 500, returns=response("oops", 500)),
            signal("got", "got_request_exception"),
            view(raises="ValueError"),
        )
    ).only
    same(x.order(), ["index", "got", "h500", "a", "finished"], "call order")
    same((x.status, x.text), (500, "oops"), "response sent")


@clause("signals.request-tearing-down.after-teardown-hooks")
def test_request_tearing_down_is_sent_after_the_teardown_hooks(observe):
    """The request_tearing_down signal is sent after every teardown-request hook has run and before
    the teardown-appcontext hooks."""
    # Even with its receiver connected first.
    x = observe(
        scenario(
            signal("tearing", "request_tearing_down"),
            teardown_app("ta"),
            teardown("t1"),
            teardown("t2"),
            view(),
        )
    ).only
    same(x.order(), ["index", "t2", "t1", "tearing", "ta"], "call order")


@clause("signals.appcontext-tearing-down.after-teardown-appcontext")
def test_appcontext_tearing_down_is_sent_after_the_teardown_appcontext_hooks(observe):
    """The appcontext_tearing_down signal is sent after every teardown-appcontext hook has run."""
    # Even with its receiver connected first.
    x = observe(
        scenario(
            signal("app-tearing", "appcontext_tearing_down"),
            teardown_app("ta1"),
            teardown_app("ta2"),
            teardown("t"),
            view(),
        )
    ).only
    # The two hooks' own order is another clause's business: compare them as a set.
    order = x.order()
    same(
        [*order[:2], *sorted(order[2:4]), *order[4:]],
        ["index", "t", "ta1", "ta2", "app-tearing"],
        "call order (the teardown-appcontext hooks in either order)",
    )


# What the request does, and the exception the teardown hooks are handed for it.
TEARDOWN_EXCEPTIONS = [
    pytest.param([view()], None, id="no-error"),
    pytest.param([view(raises="ValueError")], "ValueError", id="unhandled"),
    pytest.param(
        [error_handler("h", "ValueError", returns=response("h")), view(raises="ValueError")],
        None,
        id="handled",
    ),
    pytest.param(
        [error_handler("h", 500, returns=response("oops", 500)), view(raises="ValueError")],
        "ValueError",
        id="answered-by-500-handler",
    ),
    pytest.param([view(aborts=403)], None, id="http-error"),
]


@clause("signals.tearing-down.receives-exception")
@pytest.mark.parametrize(("parts", "exception"), TEARDOWN_EXCEPTIONS)
def test_request_tearing_down_is_handed_the_exception_the_teardown_hooks_get(
    observe, parts, exception
):
    """The request_tearing_down signal is handed the same exception as the teardown-request hooks:
    the one no error handler took, or None."""
    x = observe(
        scenario(signal("tearing", "request_tearing_down", probes=["exception"]), *parts)
    ).only
    same(x.seen("tearing", "exception"), exception, "exception handed to the signal")


@clause("signals.appcontext-tearing-down.receives-exception")
@pytest.mark.parametrize(("parts", "exception"), TEARDOWN_EXCEPTIONS)
def test_appcontext_tearing_down_is_handed_the_exception_the_teardown_hooks_get(
    observe, parts, exception
):
    """The appcontext_tearing_down signal is handed the same exception as the teardown-appcontext
    hooks: the one no error handler took, or None."""
    x = observe(
        scenario(signal("tearing", "appcontext_tearing_down", probes=["exception"]), *parts)
    ).only
    same(x.seen("tearing", "exception"), exception, "exception handed to the signal")


@clause("signals.appcontext-popped.last")
@pytest.mark.parametrize(
    "view_does",
    [
        pytest.param({}, id="no-error"),
        pytest.param({"raises": "ValueError"}, id="unhandled-exception"),
    ],
)
def test_appcontext_popped_is_sent_last(observe, view_does):
    """The appcontext_popped signal is sent at the very end of every request that began with no
    application context active, after appcontext_tearing_down."""
    # Even with its receiver connected first.
    x = observe(
        scenario(
            signal("popped", "appcontext_popped"),
            signal("app-tearing", "appcontext_tearing_down"),
            teardown_app("ta"),
            view(**view_does),
        )
    ).only
    same(x.order(), ["index", "ta", "app-tearing", "popped"], "call order")


def contexts_seen_by_a_receiver_of(observe, signal_name):
    """The (request, app) contexts a receiver of ``signal_name`` finds active.  The view
    raises only where that is what sends the signal."""
    view_does: dict[str, Any] = (
        {"raises": "ValueError"} if signal_name == "got_request_exception" else {}
    )
    x = observe(
        scenario(signal("s", signal_name, probes=["request", "app"]), view(**view_does))
    ).only
    return x.seen("s", "request"), x.seen("s", "app")


@clause("signals.receivers.contexts")
@pytest.mark.parametrize(
    "signal_name",
    ["request_started", "got_request_exception", "request_finished", "request_tearing_down"],
)
def test_request_signal_receivers_run_with_both_contexts(observe, signal_name):
    """Receivers of request_started, request_finished, got_request_exception and
    request_tearing_down run with the request and application contexts active."""
    same(
        contexts_seen_by_a_receiver_of(observe, signal_name),
        (True, True),
        "(request, app) contexts active",
    )


@clause("signals.receivers.app-context-only")
@pytest.mark.parametrize("signal_name", ["appcontext_pushed", "appcontext_tearing_down"])
def test_app_context_signal_receivers_run_with_only_the_app_context(observe, signal_name):
    """Receivers of appcontext_pushed and appcontext_tearing_down run with the application context
    active and no request context."""
    same(
        contexts_seen_by_a_receiver_of(observe, signal_name),
        (False, True),
        "(request, app) contexts active",
    )


@clause("signals.receivers.no-context")
def test_appcontext_popped_receivers_run_with_no_context(observe):
    """Receivers of appcontext_popped run with neither the request context nor the application
    context active."""
    same(
        contexts_seen_by_a_receiver_of(observe, "appcontext_popped"),
        (False, False),
        "(request, app) contexts active",
    )


# steps area: the case signals.request-finished.every-response leaves out
@clause("signals.request-finished.not-sent-when-after-hook-raises")
def test_request_finished_is_not_sent_when_an_after_request_hook_raises(observe):
    """When an after-request hook raises, request_finished is not sent for the request: neither for
    the response the hook was handed nor for the 500 made from its exception."""
    # The hook raises on the view's response, and again on the 500 made from its exception.
    x = observe(
        scenario(
            signal("finished", "request_finished", probes=["response.status"]),
            after("a", raises="ValueError"),
            view(),
        )
    ).only
    same(
        {"status": x.status, "request_finished sent": "finished" in x.order()},
        {"status": 500, "request_finished sent": False},
        "the response, and whether request_finished was sent",
    )
