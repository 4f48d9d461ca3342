"""Context availability: what each stage of a request can use."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    enter_app_context,
    error_handler,
    exit_app_context,
    probe,
    response,
    route,
    scenario,
    signal,
    teardown,
    teardown_app,
    url,
    url_value_preprocessor,
    view,
)

# The hook (or view endpoint) that stands for each stage in every_stage().
URL_VALUE_PREPROCESSOR = pytest.param("u", id="url-value-preprocessor")
BEFORE = pytest.param("b", id="before")
VIEW = pytest.param("item", id="view")
ERROR_HANDLER = pytest.param("eh", id="error-handler")
AFTER = pytest.param("a", id="after")
TEARDOWN = pytest.param("t", id="teardown")
TEARDOWN_APPCONTEXT = pytest.param("ta", id="teardown-appcontext")

REQUEST_STAGES = [URL_VALUE_PREPROCESSOR, BEFORE, VIEW, ERROR_HANDLER, AFTER, TEARDOWN]


def every_stage(*probes, subject, before_sets_g=None, method="GET"):
    """``/items/x`` through every stage: the view probes and raises ValueError,
    whose handler probes and returns a body; every hook probes too.  All hooks
    but ``subject`` are observers."""

    def role(hook):
        return {"probes": probes, "observer": hook != subject}

    return scenario(
        url_value_preprocessor("u", **role("u")),
        before(
            "b", set_g=before_sets_g, **role("b") | ({"observer": False} if before_sets_g else {})
        ),
        error_handler("eh", "ValueError", returns=response("handled"), **role("eh")),
        after("a", **role("a")),
        teardown("t", **role("t")),
        teardown_app("ta", **role("ta")),
        route("index", "/"),
        view("item", "/items/{name}", methods=[method], probes=probes, raises="ValueError"),
        requests=[call("/items/x", method)],
    )


@clause("context.request.available-in-every-request-stage")
@pytest.mark.parametrize("hook", REQUEST_STAGES)
def test_request_context_is_active_in_every_request_stage(observe, hook):
    """The request context is active in URL value preprocessors, before-request hooks, the view,
    error handlers, after-request hooks and teardown-request hooks."""
    x = observe(every_stage("request", subject=hook)).only
    same(x.seen(hook, "request"), True, "request context active")


@clause("context.request.is-the-current-request")
@pytest.mark.parametrize("hook", REQUEST_STAGES)
def test_request_object_describes_the_request_being_handled(observe, hook):
    """In every stage of a request, the request object describes that request: its method and path
    are the ones the client sent."""
    x = observe(every_stage("method", "path", method="POST", subject=hook)).only
    same(
        {"method": x.seen(hook, "method"), "path": x.seen(hook, "path")},
        {"method": "POST", "path": "/items/x"},
        "request method and path",
    )


@clause("context.request.matched-endpoint")
@pytest.mark.parametrize("hook", [URL_VALUE_PREPROCESSOR, BEFORE, VIEW])
def test_endpoint_and_url_values_are_those_of_the_matched_route(observe, hook):
    """From the URL value preprocessors on, the request's endpoint and URL values are those of the
    route that matched the URL."""
    # They are the matched route's, not another route's.
    x = observe(every_stage("endpoint", "view_args", subject=hook)).only
    same(
        {"endpoint": x.seen(hook, "endpoint"), "view_args": x.seen(hook, "view_args")},
        {"endpoint": "item", "view_args": {"name": "x"}},
        "endpoint and URL values",
    )


@clause("context.session.available-in-every-request-stage")
@pytest.mark.parametrize("hook", REQUEST_STAGES)
def test_session_is_usable_in_every_request_stage(observe, hook):
    """The session can be read in URL value preprocessors, before-request hooks, the view, error
    handlers, after-request hooks and teardown-request hooks."""
    x = observe(every_stage("session", subject=hook)).only
    same(x.seen(hook, "session"), True, "session usable")


@clause("context.app.available-in-every-stage")
@pytest.mark.parametrize("hook", [*REQUEST_STAGES, TEARDOWN_APPCONTEXT])
def test_app_context_is_active_in_every_stage(observe, hook):
    """The application context (current_app and g) is active in every stage of a request, from the
    URL value preprocessors to the teardown-appcontext hooks."""
    x = observe(every_stage("app", subject=hook)).only
    same(x.seen(hook, "app"), True, "application context active")


@clause("context.request.ended-before-teardown-appcontext")
def test_request_context_has_ended_when_teardown_appcontext_runs(observe):
    """When the teardown-appcontext hooks run, the request context has already ended: request and
    session are no longer available, while the application context still is."""
    x = observe(scenario(teardown_app("ta", probes=["request", "session", "app"]), view())).only
    same(
        {p: x.seen("ta", p) for p in ("request", "session", "app")},
        {"request": False, "session": False, "app": True},
        "contexts active in the teardown-appcontext hook",
    )


@clause("context.g.shared-within-a-request")
@pytest.mark.parametrize("hook", [VIEW, ERROR_HANDLER, AFTER, TEARDOWN, TEARDOWN_APPCONTEXT])
def test_g_set_in_a_before_hook_is_seen_by_later_stages(observe, hook):
    """A value set on g in a before-request hook is seen by the view, the error handlers, the
    after-request hooks and the teardown hooks of the same request."""
    # This later stage finds exactly what the before-request hook set on g.
    x = observe(every_stage("g", before_sets_g={"user": "ann"}, subject=hook)).only
    same(x.seen(hook, "g"), {"user": "ann"}, "g")


@clause("context.g.fresh-per-request")
def test_g_does_not_carry_over_to_the_next_request(observe):
    """Every request that begins with no application context active starts with an empty g: nothing
    set on it during one request is visible in the next."""
    obs = observe(
        scenario(
            teardown("t", probes=["g"]),
            view("write", "/write", set_g={"user": "ann"}),
            view("read", "/read", probes=["g"]),
            requests=[call("/write"), call("/read")],
        )
    )
    same(
        {
            "g at the end of request 1": obs[0].seen("t", "g"),
            "g in request 2": obs[1].seen("read", "g"),
        },
        {"g at the end of request 1": {"user": "ann"}, "g in request 2": {}},
        "g across two requests",
    )


@clause("context.request.unavailable-outside-request")
def test_request_and_session_raise_once_the_request_has_ended(observe):
    """Once a request sent outside the test client's with block has ended, using the request or the
    session raises RuntimeError instead of describing some other request."""
    # Checked in an appcontext_popped receiver, after the request.
    x = observe(
        scenario(signal("popped", "appcontext_popped", probes=["request.error", "session"]), view())
    ).only
    same(x.order(), ["index", "popped"], "call order")
    same(
        {
            "request.error": x.seen("popped", "request.error"),
            "session": x.seen("popped", "session"),
        },
        {"request.error": "RuntimeError", "session": False},
        "using request, and whether the session is usable",
    )


@clause("context.app.unavailable-outside-app-context")
def test_current_app_raises_once_the_app_context_has_ended(observe):
    """Once the application context has ended, using current_app raises RuntimeError."""
    # Checked in an appcontext_popped receiver.
    x = observe(
        scenario(signal("popped", "appcontext_popped", probes=["app.error", "app"]), view())
    ).only
    same(x.order(), ["index", "popped"], "call order")
    same(
        {"app.error": x.seen("popped", "app.error"), "app": x.seen("popped", "app")},
        {"app.error": "RuntimeError", "app": False},
        "using current_app, and whether an app context is active",
    )


@clause("context.url-for.builds-in-every-request-stage")
@pytest.mark.parametrize("hook", REQUEST_STAGES)
def test_url_for_builds_urls_in_every_request_stage(observe, hook):
    """While a request is handled, url_for builds the URL of an endpoint in URL value
    preprocessors, before-request hooks, the view, error handlers, after-request hooks and
    teardown-request hooks."""
    # url_for("index") gives "/" in this stage of a request to /items/x.
    x = observe(every_stage("url_for", subject=hook)).only
    same(x.seen(hook, "url_for"), "/", "URL built for endpoint 'index'")


@clause("context.url-for.needs-request-or-server-name")
def test_url_for_fails_with_an_app_context_but_no_request(observe):
    """With an application context but no request, and no SERVER_NAME configured, url_for raises
    RuntimeError rather than building a URL for an unknown server."""
    # In a teardown-appcontext hook, url_for("index") raises RuntimeError.
    x = observe(
        scenario(
            teardown_app("ta", probes=["url_for", "request", "app"]),
            view(),
        )
    ).only
    same(
        {p: x.seen("ta", p) for p in ("url_for", "request", "app")},
        {"url_for": "<RuntimeError>", "request": False, "app": True},
        "url_for, and which contexts are active",
    )


@clause("context.g.kept-until-teardown-appcontext")
def test_teardown_appcontext_finds_everything_set_on_g_during_the_request(observe):
    """The teardown-appcontext hooks find on g every value set during the request, including those
    set by the view, the error handlers, the after-request hooks and the teardown-request hooks."""
    # g holds the keys the before, view, error-handler, after and teardown stages set, no others.
    x = observe(
        scenario(
            before("b", set_g={"b": 1}),
            error_handler("eh", "ValueError", set_g={"eh": 2}, returns=response("handled")),
            after("a", set_g={"a": 3}),
            teardown("t", set_g={"t": 4}),
            teardown_app("ta", probes=["g"]),
            view(set_g={"index": 5}, raises="ValueError"),
        )
    ).only
    same(x.order(), ["b", "index", "eh", "a", "t", "ta"], "call order")
    same(x.seen("ta", "g"), {"b": 1, "index": 5, "eh": 2, "a": 3, "t": 4}, "g")


# -- contexts: url_for outside a request, with a server name --


@clause("context.url-for.server-name-outside-request")
def test_url_for_builds_for_the_server_name_outside_a_request(observe):
    """With SERVER_NAME configured, url_for in an application context the test pushed, with no
    request, builds the endpoint's URL for that server: its path, and with _external the scheme
    (http by default), the server name and the path."""
    obs = observe(
        scenario(
            view("item", "/items/{name}"),
            requests=[],
            steps=[
                enter_app_context(),
                probe(
                    "p",
                    probes=["request"],
                    build_urls=[
                        url("item", name="a"),
                        url("item", name="a", external=True),
                    ],
                ),
                exit_app_context(),
            ],
            config={"server_name": "example.test"},
        )
    )
    seen = [e.seen for e in obs.steps if e.hook == "p"]
    same(
        seen[-1] if seen else "<not recorded>",
        {"request": False, "urls": ["/items/a", "http://example.test/items/a"]},
        "in the pushed application context: a request, and the URLs built",
    )
