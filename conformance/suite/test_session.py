"""Sessions: what a value put in the session is visible to, and when it is saved."""

import pytest

from conformance import Exchange, clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    error_handler,
    response,
    scenario,
    teardown,
    view,
)

# Request 1 goes to /write, request 2 (same client, so same cookies) to /read.
WRITE_THEN_READ = [call("/write"), call("/read")]


def reader():
    """The view at /read: it reports the session it finds."""
    return view("read", "/read", probes=["session.data"])


def session_cookie(x: Exchange) -> list[str]:
    """The Set-Cookie headers of a response that set the session cookie."""
    return [v for k, v in x.headers if k.lower() == "set-cookie" and v.startswith("session=")]


@clause("session.set.visible-later-in-request")
@pytest.mark.parametrize(
    "hook",
    [
        pytest.param("index", id="view"),
        pytest.param("eh", id="error-handler"),
        pytest.param("a", id="after"),
        pytest.param("t", id="teardown"),
    ],
)
def test_value_put_in_the_session_is_seen_later_in_the_request(observe, hook):
    """A value put in the session by a before-request hook is found there by the view, the error
    handlers, the after-request hooks and the teardown-request hooks of the same request."""
    # This later stage finds exactly what the before-request hook put in the session.
    x = observe(
        scenario(
            before("b", set_session={"k": 1}),
            error_handler("eh", "ValueError", probes=["session.data"], returns=response("handled")),
            after("a", probes=["session.data"]),
            teardown("t", probes=["session.data"]),
            view(probes=["session.data"], raises="ValueError"),
        )
    ).only
    same(x.order(), ["b", "index", "eh", "a", "t"], "call order")
    same(x.seen(hook, "session.data"), {"k": 1}, "session")


@clause("session.set.persists-to-next-request")
def test_value_put_in_the_session_is_there_in_the_next_request(observe):
    """A value put in the session during a request is in the session of the same client's next
    request."""
    # The view puts the value in the session.
    obs = observe(
        scenario(
            view("write", "/write", set_session={"k": 1}),
            reader(),
            requests=WRITE_THEN_READ,
        )
    )
    same(obs[1].seen("read", "session.data"), {"k": 1}, "session in request 2")


@clause("session.after-hook.modification-saved")
def test_session_change_in_an_after_request_hook_is_saved(observe):
    """A change an after-request hook makes to the session is saved with the response, because the
    session is saved after the after-request hooks have run."""
    # The value the after-request hook put in the session is in the next request's.
    obs = observe(
        scenario(
            after("a", set_session={"k": 1}),
            view("write", "/write"),
            reader(),
            requests=WRITE_THEN_READ,
        )
    )
    same(obs[0].order(), ["write", "a"], "call order of request 1")
    same(obs[1].seen("read", "session.data"), {"k": 1}, "session in request 2")


@clause("session.teardown.modification-not-saved")
def test_session_change_in_a_teardown_hook_is_not_saved(observe):
    """A change a teardown-request hook makes to the session is not saved, because the session was
    saved with the response before the teardown hooks ran."""
    # It is not sent with the response and is absent from the next request's session.
    obs = observe(
        scenario(
            teardown("t", set_session={"k": 1}),
            view("write", "/write"),
            reader(),
            requests=WRITE_THEN_READ,
        )
    )
    same(obs[0].order(), ["write", "t"], "call order of request 1")
    same(
        {
            "cookie set": session_cookie(obs[0]),
            "session in request 2": obs[1].seen("read", "session.data"),
        },
        {"cookie set": [], "session in request 2": {}},
        "what request 1 saved",
    )


@clause("session.error-handler.sees-request-session")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
        pytest.param(404, {"aborts": 404}, id="status-code-handler"),
        pytest.param(500, {"raises": "ValueError"}, id="500-handler"),
    ],
)
def test_error_handler_sees_what_the_request_put_in_the_session(observe, handles, view_does):
    """An error handler finds in the session what the request put there before the error was
    raised."""
    # The view puts k in the session, then fails; the handler finds k there.
    x = observe(
        scenario(
            error_handler("h", handles, probes=["session.data"], returns=response("handled")),
            view(set_session={"k": 1}, **view_does),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "session.data"), {"k": 1}, "session in the error handler")


@clause("session.error-response.saved")
@pytest.mark.parametrize(
    ("extra", "write_does", "status"),
    [
        pytest.param(
            (error_handler("h", "ValueError", returns=response("handled")),),
            {"raises": "ValueError"},
            200,
            id="handled",
        ),
        pytest.param((), {"aborts": 403}, 403, id="http-error"),
        pytest.param((), {"raises": "ValueError"}, 500, id="unhandled"),
    ],
)
def test_session_changed_before_an_error_is_saved_with_the_error_response(
    observe, extra, write_does, status
):
    """A session changed before an error is saved with the error response, whether an error handler
    took the error, it was an HTTP error without a handler, or it became a 500 response."""
    # The view sets k and fails; the error response sets the cookie; the next request finds k.
    obs = observe(
        scenario(
            *extra,
            view("write", "/write", set_session={"k": 1}, **write_does),
            reader(),
            requests=WRITE_THEN_READ,
        )
    )
    same(
        {
            "status": obs[0].status,
            "cookies set": len(session_cookie(obs[0])),
            "session in request 2": obs[1].seen("read", "session.data"),
        },
        {"status": status, "cookies set": 1, "session in request 2": {"k": 1}},
        "error response and what it saved",
    )


@clause("session.unmodified.no-cookie")
@pytest.mark.parametrize(
    ("requests", "found"),
    [
        pytest.param([call("/read")], {}, id="empty-session"),
        pytest.param(WRITE_THEN_READ, {"k": 1}, id="session-from-cookie"),
    ],
)
def test_response_to_a_request_that_left_the_session_alone_sets_no_cookie(observe, requests, found):
    """A response to a request that did not change its non-permanent session carries no Set-Cookie
    header for the session, whether the session is empty or was loaded from the request's cookie."""
    # It only reads the session: empty, or loaded from the cookie an earlier response set.
    x = observe(
        scenario(view("write", "/write", set_session={"k": 1}), reader(), requests=requests)
    )[-1]
    same(
        {
            "session read": x.seen("read", "session.data"),
            "cookies set": session_cookie(x),
        },
        {"session read": found, "cookies set": []},
        "session the request read, and the session cookie its response set",
    )


def varies_on_cookie(x: Exchange) -> bool:
    """Whether the response's Vary header names Cookie."""
    named = (v.strip().lower() for k, vs in x.headers if k.lower() == "vary" for v in vs.split(","))
    return "cookie" in named


@clause("session.read.vary-cookie")
def test_response_varies_on_cookie_when_the_request_read_the_empty_session(observe):
    """A response to a request that read the session carries a Vary: Cookie header, also when the
    session was empty and no cookie is set."""
    # A view reads a key of an empty session.
    x = observe(scenario(view("read", "/read", probes=["session"]), requests=[call("/read")])).only
    same(
        (varies_on_cookie(x), session_cookie(x)),
        (True, []),
        "Vary: Cookie after reading the session, and its cookies",
    )


@clause("session.unused.no-vary-cookie")
def test_response_does_not_vary_on_cookie_when_the_request_did_not_use_the_session(observe):
    """A response to a request that did not use the session carries no Vary: Cookie header."""
    # Requested after a request that read the session.
    _, untouched = observe(
        scenario(
            view("read", "/read", probes=["session"]),
            view("plain", "/plain"),
            requests=[call("/read"), call("/plain")],
        )
    ).exchanges
    same(varies_on_cookie(untouched), False, "Vary: Cookie without reading the session")


@clause("session.keys-read.vary-cookie")
def test_response_varies_on_cookie_when_the_request_only_looked_at_the_sessions_keys(
    observe,
):
    """Looking only at which keys the session holds, without reading a value, counts as reading it:
    the response carries a Vary: Cookie header."""
    # A view lists the keys of an empty session, and so reads no value.
    x = observe(scenario(reader(), requests=[call("/read")])).only
    same(
        (x.seen("read", "session.data"), varies_on_cookie(x)),
        ({}, True),
        "session, Vary: Cookie",
    )
