"""Existing rules checked deeply, and the cases that are behaviours of their own.

Order with three hooks per stage and per level, blueprints nested three deep,
every HTTP method, error-handler lookup on a user-defined exception hierarchy
three levels deep (``MissingUserError`` <- ``NotFoundAppError`` <- ``AppError``),
every teardown hook probing what it is handed, and ``g`` and the contexts on
every path a request can take.  A framework that breaks a rule only in such a
narrow case fails it here (tests/mutants/depth.py proves each of them can).
"""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    blueprint,
    call,
    error_handler,
    response,
    route,
    scenario,
    teardown,
    teardown_app,
    url_value_preprocessor,
    view,
)

# Three blueprints nested three deep, without URL prefixes (only the prefix
# clauses depend on how a framework joins them): inner in mid in outer, route /v.
OUTER = blueprint("outer")
MID = blueprint("mid", parent="outer")
INNER = blueprint("inner", parent="mid")
DEEP_ROUTE = view("v", "/v", blueprint="inner")
LEVELS = (("a", None), ("o", "outer"), ("m", "mid"), ("i", "inner"))


def three_per_level(stage, **does):
    """Three hooks of ``stage`` on the app and on each of the three blueprints,
    registered interleaved across the levels (a1, o1, m1, i1, a2, ...), with ids
    like "m2" (level letter, then registration rank)."""
    return [
        stage(f"{letter}{n}", scope=scope, **does) for n in (1, 2, 3) for letter, scope in LEVELS
    ]


def levels(order):
    """Whose each call was, level by level: "m2" is "m", the view "v" is "v".
    The order within a level is the order clauses' business, not these."""
    return [hid[0] for hid in order]


def thrice(letters):
    return [letter for letter in letters for _ in (1, 2, 3)]


# -- hooks: three per stage, every method --


@clause("hooks.teardown.reverse-registration-order")
def test_three_teardown_hooks_run_last_in_reverse_registration_order(observe):
    """Teardown-request hooks run after the after-request hooks, in the reverse of the order they
    were registered."""
    # Three teardown hooks, an after-request hook registered between them.
    parts = [teardown("t1"), teardown("t2"), after("a1"), teardown("t3")]
    x = observe(scenario(*parts, before("b1"), view())).only
    same(x.order(), ["b1", "index", "a1", "t3", "t2", "t1"], "call order")


METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


@clause("hooks.methods.every-method-runs-hooks")
@pytest.mark.parametrize("method", METHODS)
def test_hooks_run_around_the_view_for_every_method(observe, method):
    """Before-request, after-request and teardown-request hooks run around the view, in that order,
    for a request of every method a route allows: GET, HEAD, POST, PUT, PATCH, DELETE and
    OPTIONS."""
    # The route lists exactly the method sent.
    x = observe(
        scenario(
            teardown("t"),
            after("a"),
            before("b"),
            route("index", "/", methods=[method]),
            requests=[call("/", method)],
        )
    ).only
    same(x.order(), ["b", "index", "a", "t"], "call order")
    same(x.status, 200, "status")


# -- blueprints three deep, three hooks per level --


@clause("blueprints.before.outer-first")
def test_before_hooks_run_from_the_app_down_three_blueprints_deep(observe):
    """For a request to a nested blueprint's route, the before-request hooks of the outer blueprint
    run before those of the blueprint nested in it."""
    # Three hooks on the app and on each of outer, mid and inner, registered interleaved.
    x = observe(
        scenario(OUTER, MID, INNER, *three_per_level(before), DEEP_ROUTE, requests=[call("/v")])
    ).only
    same(levels(x.order()), [*thrice("aomi"), "v"], "whose hooks ran, in order")


@clause("blueprints.after.innermost-first")
def test_after_hooks_run_from_the_innermost_out_three_blueprints_deep(observe):
    """For a request to a nested blueprint's route, the after-request hooks of the innermost
    blueprint run first, then those of each enclosing blueprint outwards, and the app's last."""
    x = observe(
        scenario(OUTER, MID, INNER, *three_per_level(after), DEEP_ROUTE, requests=[call("/v")])
    ).only
    same(levels(x.order()), ["v", *thrice("imoa")], "whose hooks ran, in order")


@clause("blueprints.teardown.innermost-first")
def test_teardown_hooks_run_from_the_innermost_out_three_blueprints_deep(observe):
    """For a request to a nested blueprint's route, the teardown-request hooks of the innermost
    blueprint run first, then those of each enclosing blueprint outwards, and the app's last."""
    x = observe(
        scenario(OUTER, MID, INNER, *three_per_level(teardown), DEEP_ROUTE, requests=[call("/v")])
    ).only
    same(levels(x.order()), ["v", *thrice("imoa")], "whose hooks ran, in order")


@clause("blueprints.url-value-preprocessor.outer-first")
def test_url_value_preprocessors_run_from_the_app_down_three_blueprints_deep(observe):
    """For a request to a nested blueprint's route, the URL value preprocessors of the outer
    blueprint run before those of the blueprint nested in it, and the app's before both."""
    x = observe(
        scenario(
            OUTER,
            MID,
            INNER,
            *three_per_level(url_value_preprocessor),
            DEEP_ROUTE,
            requests=[call("/v")],
        )
    ).only
    same(levels(x.order()), [*thrice("aomi"), "v"], "whose hooks ran, in order")


@clause("blueprints.endpoint.dotted-name")
def test_endpoint_names_every_enclosing_blueprint_three_deep(observe):
    """The endpoint of a blueprint's route is the blueprint's name, a dot and the route's endpoint,
    and for a nested blueprint the names of its enclosing blueprints come first, each followed by a
    dot."""
    x = observe(
        scenario(
            OUTER,
            MID,
            INNER,
            before("b", probes=["endpoint"]),
            view("v", "/v", blueprint="inner", probes=["endpoint"]),
            requests=[call("/v")],
        )
    ).only
    same(
        (x.seen("b", "endpoint"), x.seen("v", "endpoint")),
        ("outer.mid.inner.v", "outer.mid.inner.v"),
        "endpoint in the before-request hook and in the view",
    )


@clause("blueprints.request-blueprints.innermost-first")
def test_request_lists_three_nested_blueprints_innermost_first(observe):
    """While a request to a blueprint's route is handled, the request lists the dotted names of the
    blueprint and of each enclosing blueprint, innermost first, and lists none for an app route."""
    x = observe(
        scenario(
            OUTER, MID, INNER, before("b", probes=["blueprints"]), DEEP_ROUTE, requests=[call("/v")]
        )
    ).only
    same(x.seen("b", "blueprints"), ["outer.mid.inner", "outer.mid", "outer"], "blueprints")


@clause("blueprints.url-prefix.nested-joins-parent")
@pytest.mark.parametrize(
    ("path", "served"),
    [
        pytest.param("/o/m/i/v", True, id="every-prefix-in-order"),
        pytest.param("/m/i/v", False, id="without-the-outermost"),
        pytest.param("/o/i/v", False, id="without-the-middle"),
    ],
)
def test_route_three_blueprints_deep_is_under_every_prefix(observe, path, served):
    """A route of a nested blueprint is served at its parent's URL prefix followed by its own prefix
    and the route's path, and not at its own prefix alone."""
    x = observe(
        scenario(
            blueprint("outer", "/o"),
            blueprint("mid", "/m", parent="outer"),
            blueprint("inner", "/i", parent="mid"),
            DEEP_ROUTE,
            requests=[call(path)],
        )
    ).only
    same(x.order(), ["v"] if served else [], "call order")
    same(x.status, 200 if served else 404, "status")


# -- the old side of Flask 2.0.1 and 2.0.2 (only Flask) --


@clause("blueprints.url-prefix.nested-prefixes-dropped")
@pytest.mark.parametrize(
    ("path", "served"),
    [
        pytest.param("/v", True, id="route-path-alone"),
        pytest.param("/o/i/v", False, id="parent-then-own-prefix"),
    ],
)
def test_nested_route_is_served_under_neither_prefix(observe, path, served):
    """A route of a nested blueprint, both blueprints created with a URL prefix, is served at the
    route's path alone, under neither prefix."""
    x = observe(
        scenario(
            blueprint("outer", "/o"),
            blueprint("inner", "/i", parent="outer"),
            view("v", "/v", blueprint="inner"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), ["v"] if served else [], "call order")
    same(x.status, 200 if served else 404, "status")


@clause("blueprints.before.innermost-first")
def test_before_hooks_run_app_first_then_from_the_innermost_out(observe):
    """For a request to a nested blueprint's route, the app's before-request hooks run first, then
    the innermost blueprint's, then those of each enclosing blueprint outwards."""
    x = observe(
        scenario(OUTER, MID, INNER, *three_per_level(before), DEEP_ROUTE, requests=[call("/v")])
    ).only
    same(levels(x.order()), [*thrice("aimo"), "v"], "whose hooks ran, in order")


@clause("blueprints.url-value-preprocessor.innermost-first")
def test_url_value_preprocessors_run_app_first_then_from_the_innermost_out(observe):
    """For a request to a nested blueprint's route, the app's URL value preprocessors run first,
    then the innermost blueprint's, then those of each enclosing blueprint outwards."""
    x = observe(
        scenario(
            OUTER,
            MID,
            INNER,
            *three_per_level(url_value_preprocessor),
            DEEP_ROUTE,
            requests=[call("/v")],
        )
    ).only
    same(levels(x.order()), [*thrice("aimo"), "v"], "whose hooks ran, in order")


@clause("blueprints.teardown.app-first")
def test_teardown_hooks_run_app_first_then_from_the_innermost_out(observe):
    """For a request to a nested blueprint's route, the app's teardown-request hooks run first, then
    the innermost blueprint's, then those of each enclosing blueprint outwards."""
    x = observe(
        scenario(OUTER, MID, INNER, *three_per_level(teardown), DEEP_ROUTE, requests=[call("/v")])
    ).only
    same(levels(x.order()), ["v", *thrice("aimo")], "whose hooks ran, in order")


# -- error handlers for a user-defined hierarchy three levels deep --


@clause("errors.handler.by-class-mro")
@pytest.mark.parametrize(
    ("registered", "raised"),
    [
        pytest.param("AppError", "MissingUserError", id="root-catches-the-deepest"),
        pytest.param("NotFoundAppError", "MissingUserError", id="middle-catches-the-deepest"),
        pytest.param("AppError", "NotFoundAppError", id="root-catches-the-middle"),
        pytest.param("Exception", "MissingUserError", id="Exception-catches-the-deepest"),
    ],
)
def test_handler_for_a_user_defined_base_class_handles_its_subclasses(observe, registered, raised):
    """An error handler registered for an exception class also handles exceptions of its
    subclasses."""
    x = observe(
        scenario(
            error_handler("h", registered, probes=["exception"], returns=response("handled")),
            view(raises=raised),
        )
    ).only
    same(x.order(), ["index", "h"], "call order")
    same(x.seen("h", "exception"), raised, "exception handed to the handler")
    same(x.text, "handled", "body sent")


HIERARCHY = ("AppError", "NotFoundAppError", "MissingUserError")


@clause("errors.handler.most-specific-class")
@pytest.mark.parametrize("raised", ["MissingUserError", "NotFoundAppError"])
@pytest.mark.parametrize(
    "registered",
    [
        pytest.param(HIERARCHY, id="root-first"),
        pytest.param(HIERARCHY[::-1], id="deepest-first"),
        pytest.param(("NotFoundAppError", "MissingUserError", "AppError"), id="middle-first"),
    ],
)
def test_nearest_user_defined_class_handler_wins(observe, registered, raised):
    """When handlers exist for several classes in an exception's hierarchy, the one for the class
    nearest the exception's own handles it, whatever the registration order."""
    handlers = [error_handler(f"on-{name}", name, returns=response(name)) for name in registered]
    x = observe(
        scenario(
            *handlers,
            error_handler(
                "on-Exception", "Exception", observer=True, returns=response("Exception")
            ),
            view(raises=raised),
        )
    ).only
    same(x.order(), ["index", f"on-{raised}"], "call order")
    same(x.text, raised, "body sent")


@clause("errors.handler.not-for-base-class")
@pytest.mark.parametrize(
    ("registered", "raised"),
    [
        pytest.param("MissingUserError", "NotFoundAppError", id="deepest-not-for-the-middle"),
        pytest.param("NotFoundAppError", "AppError", id="middle-not-for-the-root"),
        pytest.param("KeyError", "LookupError", id="KeyError-not-for-LookupError"),
    ],
)
def test_handler_for_a_class_does_not_handle_its_base_classes(observe, registered, raised):
    """An error handler registered for an exception class is not used for an exception of one of
    that class's base classes."""
    # Nothing else handles it: the request gets the 500 of an unhandled exception.
    x = observe(
        scenario(error_handler("h", registered, returns=response("handled")), view(raises=raised))
    ).only
    same(x.order(), ["index"], "call order")
    same(x.status, 500, "status")


@clause("errors.teardown.handled-exception-not-passed")
def test_every_teardown_hook_is_handed_none_when_a_handler_took_it(observe):
    """Teardown-request hooks are handed None when an error handler took the exception."""
    tears = [teardown(f"t{n}", probes=["exception"]) for n in (1, 2, 3)]
    x = observe(
        scenario(
            *tears,
            error_handler("h", "MissingUserError", returns=response("handled")),
            view(raises="MissingUserError"),
        )
    ).only
    same([x.seen(f"t{n}", "exception") for n in (1, 2, 3)], [None, None, None], "handed to each")


@clause("errors.teardown.every-hook-receives-unhandled-exception")
@pytest.mark.parametrize("raised", ["MissingUserError", "ValueError"])
def test_every_teardown_hook_is_handed_the_unhandled_exception(observe, raised):
    """Every teardown-request hook of a request, not only the first to run, is handed the exception
    that no error handler took."""
    tears = [teardown(f"t{n}", probes=["exception"]) for n in (1, 2, 3)]
    x = observe(scenario(*tears, view(raises=raised))).only
    same([x.seen(f"t{n}", "exception") for n in (3, 2, 1)], [raised] * 3, "handed to each")


@clause("errors.teardown-appcontext.every-hook-receives-unhandled-exception")
@pytest.mark.parametrize("raised", ["MissingUserError", "ValueError"])
def test_every_app_teardown_hook_is_handed_the_unhandled_exception(observe, raised):
    """Every teardown-appcontext hook, not only the first to run, is handed the exception that no
    error handler took."""
    tears = [teardown_app(f"ta{n}", probes=["exception"]) for n in (1, 2, 3)]
    x = observe(scenario(*tears, view(raises=raised))).only
    same([x.seen(f"ta{n}", "exception") for n in (3, 2, 1)], [raised] * 3, "handed to each")


@clause("errors.handler.exception-state-kept")
@pytest.mark.parametrize("raised", ["MissingUserError", "ValueError"])
def test_error_handler_sees_what_the_view_set_on_g(observe, raised):
    """A value a view set on g before raising is still on g in the error handler that takes the
    exception."""
    x = observe(
        scenario(
            before("b", set_g={"early": 1}),
            error_handler("h", raised, probes=["g"], returns=response("handled")),
            view(set_g={"k": "view"}, raises=raised),
        )
    ).only
    same(x.seen("h", "g"), {"early": 1, "k": "view"}, "g in the error handler")


# -- a blueprint's handler for a base class against an outer one for the exact class --


@clause("blueprints.errors.scope-before-class-nearness")
@pytest.mark.parametrize(
    ("parts", "path", "chosen"),
    [
        pytest.param(
            [
                blueprint("bp"),
                view("v", "/v", blueprint="bp", raises="MissingUserError"),
                error_handler("app-exact", "MissingUserError", returns=response("app-exact")),
                error_handler("bp-root", "AppError", scope="bp", returns=response("bp-root")),
            ],
            "/v",
            "bp-root",
            id="blueprint-root-over-app-exact",
        ),
        pytest.param(
            [
                OUTER,
                MID,
                INNER,
                view("v", "/v", blueprint="inner", raises="MissingUserError"),
                error_handler("app-exact", "MissingUserError", returns=response("app-exact")),
                error_handler("o-exact", "MissingUserError", scope="outer", returns=response("o")),
                error_handler("m-middle", "NotFoundAppError", scope="mid", returns=response("m")),
                error_handler("i-root", "AppError", scope="inner", returns=response("i-root")),
            ],
            "/v",
            "i-root",
            id="innermost-root-over-enclosing-nearer",
        ),
        pytest.param(
            [
                OUTER,
                MID,
                INNER,
                view("v", "/v", blueprint="inner", raises="MissingUserError"),
                error_handler("app-exact", "MissingUserError", returns=response("app-exact")),
                error_handler("o-exact", "MissingUserError", scope="outer", returns=response("o")),
                error_handler("m-root", "AppError", scope="mid", returns=response("m-root")),
            ],
            "/v",
            "m-root",
            id="middle-root-over-outer-exact",
        ),
    ],
)
def test_the_routes_blueprint_handler_for_a_base_class_wins(observe, parts, path, chosen):
    """For an exception raised in a blueprint's route, the route's blueprint's handler for a base
    class of the exception is chosen over an enclosing blueprint's or the app's handler for the
    exception's own class."""
    x = observe(scenario(*parts, requests=[call(path)])).only
    same(x.order(), ["v", chosen], "call order")


# -- g and the contexts on every path --

# How the request ends, and the hooks the path needs: a before-request hook
# "b" sets g first in every one of them.  Only what the teardown hooks see is
# compared: who else runs, and in what order, is other clauses' business.
PATHS = [
    pytest.param([view()], id="view-answers"),
    pytest.param([before("b2", returns=response("early")), view()], id="short-circuit"),
    pytest.param(
        [error_handler("h", "ValueError", returns=response("h")), view(raises="ValueError")],
        id="handled-error",
    ),
    pytest.param([view(raises="MissingUserError")], id="unhandled-error"),
    pytest.param([after("a", raises="ValueError"), view()], id="after-hook-raises"),
]


@clause("context.g.kept-on-every-path")
@pytest.mark.parametrize("parts", PATHS)
def test_g_set_before_the_view_reaches_every_teardown_on_every_path(observe, parts):
    """A value set on g in a before-request hook is on g in every teardown-request and
    teardown-appcontext hook, whether the view answered, an error handler did, the exception went
    unhandled, or an after-request hook raised."""
    x = observe(
        scenario(
            teardown_app("ta", probes=["g"]),
            teardown("t1", probes=["g"]),
            teardown("t2", probes=["g"]),
            teardown("t3", probes=["g"]),
            before("b", set_g={"k": "v"}),
            *parts,
        )
    ).only
    same(
        [x.seen(h, "g") for h in ("t3", "t2", "t1", "ta")],
        [{"k": "v"}] * 4,
        "g in each teardown hook",
    )


@clause("context.request.active-in-teardown-on-every-path")
@pytest.mark.parametrize("parts", PATHS)
def test_contexts_are_active_in_every_teardown_on_every_path(observe, parts):
    """The request and application contexts are active in every teardown-request hook, whether a
    before-request hook answered, the view did, an error handler did, the exception went unhandled,
    or an after-request hook raised."""
    tears = [teardown(f"t{n}", probes=["request", "app", "path"]) for n in (1, 2, 3)]
    x = observe(scenario(*tears, before("b"), *parts, requests=[call("/")])).only
    same(
        [(x.seen(h, "request"), x.seen(h, "app"), x.seen(h, "path")) for h in ("t3", "t2", "t1")],
        [(True, True, "/")] * 3,
        "request context, application context and request path in each teardown hook",
    )
