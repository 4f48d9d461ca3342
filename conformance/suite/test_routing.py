"""Routing: what the router answers on its own, before or instead of a view."""

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


def allowed(x: Exchange) -> list[str] | None:
    """The methods named in the Allow header, sorted (the clauses are about
    which methods it names, not in what order), or None without one."""
    header = x.header("Allow")
    return None if header is None else sorted({m.strip().upper() for m in header.split(",")})


def hooked(*parts, requests, probes=()):
    """``parts`` with observers: a before-request hook probing ``probes``, an after
    and a teardown hook (each dropped where the framework lacks its stage)."""
    return scenario(
        before("b", probes=probes, observer=True),
        after("a", probes=["response.status"], observer=True),
        teardown("t", probes=["exception"], observer=True),
        *parts,
        requests=requests,
    )


def head_to_a_get_route():
    """A HEAD request to the GET route /d, whose view and before-request hook probe the method."""
    return hooked(
        view("page", "/d", probes=["method"], returns=response("hello")),
        requests=[call("/d", "HEAD")],
        probes=["method"],
    )


@clause("routing.head.automatic-for-get")
def test_head_request_runs_the_get_view_and_hooks(observe):
    """A route that allows GET also answers HEAD: its view and the request's hooks run as for a
    GET."""
    # And the request gets a 200.
    x = observe(head_to_a_get_route()).only
    same(x.order(), ["b", "page", "a", "t"], "call order")
    same(x.status, 200, "status")


@clause("routing.head.method-seen-is-head")
def test_head_request_to_a_get_route_is_seen_as_head(observe):
    """While a HEAD request to a route that allows GET is handled, the request method its view and
    hooks see is HEAD, not GET."""
    # As the view and the before-request hook see it.
    x = observe(head_to_a_get_route()).only
    same((x.seen("b", "method"), x.seen("page", "method")), ("HEAD", "HEAD"), "method seen")


@clause("routing.head.empty-body")
def test_head_response_has_the_get_headers_and_no_body(observe):
    """The response to a HEAD request has the status and headers, Content-Length included, that a
    GET would get, and an empty body."""
    # Against a GET: the status, Content-Type and Content-Length match, and there is no body.
    head, get = observe(
        scenario(
            view("page", "/d", returns=response("hello")),
            requests=[call("/d", "HEAD"), call("/d")],
        )
    ).exchanges
    same(get.body, b"hello", "body of the GET response")
    same(head.body, b"", "body of the HEAD response")
    same(
        (head.status, head.content_type, head.header("Content-Length")),
        (get.status, get.content_type, "5"),
        "status, Content-Type and Content-Length of the HEAD response",
    )


def options_to_a_get_post_route():
    """An OPTIONS request to a GET/POST route, with hooks looking on."""
    return hooked(view("page", "/d", methods=["GET", "POST"]), requests=[call("/d", "OPTIONS")])


@clause("routing.options.automatic")
def test_automatic_options_runs_the_hooks_but_not_the_view(observe):
    """An OPTIONS request to a route whose view does not list OPTIONS is answered by the framework
    without calling the view, while the request's hooks run as for any request."""
    # For a GET/POST route; the after-request hook is handed the response sent.
    x = observe(options_to_a_get_post_route()).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(x.seen("a", "response.status"), x.status, "status handed to the after-request hook")


@clause("routing.options.automatic-status")
def test_automatic_options_response_is_an_empty_200(observe):
    """The framework's automatic answer to an OPTIONS request is an empty 200 response."""
    # For a GET/POST route.
    x = observe(options_to_a_get_post_route()).only
    same((x.status, x.body), (200, b""), "status and body")


@clause("routing.options.automatic-allow-header")
@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        pytest.param(["GET"], {"GET", "HEAD", "OPTIONS"}, id="GET"),
        pytest.param(["GET", "POST"], {"GET", "HEAD", "POST", "OPTIONS"}, id="GET-POST"),
        pytest.param(["PUT", "DELETE"], {"PUT", "DELETE", "OPTIONS"}, id="PUT-DELETE"),
    ],
)
def test_automatic_options_lists_the_allowed_methods(observe, features, methods, expected):
    """The framework's automatic answer to an OPTIONS request carries an Allow header listing every
    method the URL accepts."""
    # It names exactly those methods; HEAD among them only where a GET route serves HEAD.
    if "automatic-head" not in features:
        expected = expected - {"HEAD"}
    x = observe(
        scenario(view("page", "/d", methods=methods), requests=[call("/d", "OPTIONS")])
    ).only
    same(allowed(x), sorted(expected), "methods in the Allow header")


@clause("routing.options.view-handles-when-listed")
def test_view_listing_options_is_called_for_options(observe):
    """A view whose methods include OPTIONS is called for OPTIONS requests, and what it returns is
    the response."""
    x = observe(
        hooked(
            view(
                "page",
                "/d",
                methods=["GET", "OPTIONS"],
                probes=["method"],
                returns=response("mine", 204),
            ),
            requests=[call("/d", "OPTIONS")],
        )
    ).only
    same(x.order(), ["b", "page", "a", "t"], "call order")
    same(x.seen("page", "method"), "OPTIONS", "method seen by the view")
    same(x.status, 204, "status")


@clause("routing.method-not-allowed.405")
@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH"])
def test_method_not_allowed_gets_405(observe, method):
    """A request whose method the matched URL does not allow gets a 405 response."""
    # For a GET/PUT route.
    x = observe(
        hooked(view("page", "/d", methods=["GET", "PUT"]), requests=[call("/d", method)])
    ).only
    same(x.status, 405, "status")


@clause("routing.method-not-allowed.hooks-run")
@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH"])
def test_method_not_allowed_runs_the_hooks_but_not_the_view(observe, method):
    """A request whose method the matched URL does not allow does not call the view, while the
    before-request, after-request and teardown hooks run as for any request."""
    # For a GET/PUT route; the after-request hook is handed the response sent.
    x = observe(
        hooked(view("page", "/d", methods=["GET", "PUT"]), requests=[call("/d", method)])
    ).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(x.seen("a", "response.status"), x.status, "status handed to the after-request hook")


@clause("routing.method-not-allowed.allow-header")
@pytest.mark.parametrize(
    ("methods", "expected"),
    [
        pytest.param(["GET"], {"GET", "HEAD", "OPTIONS"}, id="GET"),
        pytest.param(["GET", "PUT"], {"GET", "HEAD", "PUT", "OPTIONS"}, id="GET-PUT"),
    ],
)
def test_405_response_lists_the_allowed_methods(observe, features, methods, expected):
    """A 405 response sent for a method the URL does not allow carries an Allow header listing the
    methods it does allow."""
    # It names exactly those methods; HEAD and OPTIONS among them only where the
    # framework serves HEAD from a GET route and answers OPTIONS itself.
    if "automatic-head" not in features:
        expected = expected - {"HEAD"}
    if "automatic-options" not in features:
        expected = expected - {"OPTIONS"}
    x = observe(scenario(view("page", "/d", methods=methods), requests=[call("/d", "DELETE")])).only
    same(x.status, 405, "status")
    same(allowed(x), sorted(expected), "methods in the Allow header")


@clause("routing.method-not-allowed.endpoint-is-none")
@pytest.mark.parametrize("hook", ["b", "h405"], ids=["before-hook", "405-handler"])
def test_endpoint_and_url_values_are_none_when_the_method_is_not_allowed(observe, hook):
    """While a request whose method the URL does not allow is handled, hooks and the 405 error
    handler see no endpoint and no URL values: matching failed."""
    probes = ["endpoint", "view_args"]
    x = observe(
        scenario(
            before("b", probes=probes, observer=hook != "b"),
            error_handler(
                "h405",
                405,
                probes=probes,
                returns=response("refused", 405),
                observer=hook != "h405",
            ),
            view("item", "/items/{name}"),
            requests=[call("/items/x", "POST")],
        )
    ).only
    same(x.order(), ["b", "h405"], "call order")
    same(
        (x.seen(hook, "endpoint"), x.seen(hook, "view_args")), (None, None), "endpoint, URL values"
    )


@clause("routing.strict-slashes.redirect")
def test_missing_trailing_slash_redirects(observe):
    """A request for a route whose rule ends in a slash, made without that slash, is redirected to
    the URL with the slash."""
    # /d for the rule /d/ redirects to /d/.
    x = observe(hooked(view("page", "/d/"), requests=[call("/d")])).only
    same(300 <= x.status < 400, True, f"a redirect status (got {x.status})")
    location = x.header("Location") or ""
    same(location.endswith("/d/"), True, f"Location ends with '/d/' (got {location!r})")


@clause("routing.strict-slashes.redirect-runs-hooks")
def test_trailing_slash_redirect_runs_the_hooks_but_not_the_view(observe):
    """A request redirected to the URL with the trailing slash does not call the view, while the
    request's hooks run as for any request."""
    # For /d and the rule /d/.
    x = observe(hooked(view("page", "/d/"), requests=[call("/d")])).only
    same(x.order(), ["b", "a", "t"], "call order")


@clause("routing.strict-slashes.permanent-redirect-308")
def test_trailing_slash_redirect_is_308(observe):
    """The redirect to the URL with the trailing slash has status 308, so that clients repeat the
    request with the same method and body."""
    # Also for a POST.
    obs = observe(
        scenario(
            view("page", "/d/", methods=["GET", "POST"]),
            requests=[call("/d"), call("/d", "POST")],
        )
    )
    same([x.status for x in obs.exchanges], [308, 308], "status for GET and for POST")


@clause("routing.strict-slashes.redirect-bypasses-error-handlers")
def test_trailing_slash_redirect_is_not_given_to_an_exception_handler(observe):
    """The trailing-slash redirect is not handed to error handlers, not even to one registered for
    Exception."""
    x = observe(
        hooked(
            error_handler("h", "Exception", returns=response("handled")),
            view("page", "/d/"),
            requests=[call("/d")],
        )
    ).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(300 <= x.status < 400, True, f"a redirect status (got {x.status})")
    same(x.seen("t", "exception"), None, "exception handed to teardown")


@clause("routing.strict-slashes.disabled-serves-both")
@pytest.mark.parametrize("path", ["/d/", "/d"], ids=["with-slash", "without-slash"])
def test_rule_without_strict_slashes_serves_both_urls(observe, path):
    """A rule ending in a slash that is declared slash-optional (Flask's strict_slashes=False)
    serves the URL both with and without the slash, calling the view for each, without
    redirecting."""
    # With slash_optional=True, the rule /d/ serves /d/ and /d with its view.
    x = observe(hooked(view("page", "/d/", slash_optional=True), requests=[call(path)])).only
    same(x.order(), ["b", "page", "a", "t"], "call order")
    same((x.status, x.text), (200, "ok"), "response")


@clause("routing.strict-slashes.extra-slash-not-found")
def test_extra_trailing_slash_is_not_found(observe):
    """A request for a route whose rule does not end in a slash, made with a trailing slash, gets a
    404 response and the view is not called."""
    # /d/ for the rule /d is a 404; the hooks run, the view does not.
    x = observe(hooked(view("page", "/d"), requests=[call("/d/")], probes=["endpoint"])).only
    same(x.order(), ["b", "a", "t"], "call order")
    same(x.status, 404, "status")
    same(x.seen("b", "endpoint"), None, "endpoint seen by the before-request hook")
