"""Blueprints: which requests a blueprint's hooks and error handlers apply to, and in
what order they run next to the app's and an enclosing blueprint's."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    blueprint,
    call,
    error_handler,
    mount,
    response,
    scenario,
    teardown,
    url_value_preprocessor,
    view,
)

# The apps below: an app route at /, blueprint "bp" at /p (route /p/v), a sibling
# blueprint "other" at /q (route /q/w), and "inner" nested in "outer" (routes /nested
# and /outer).  The nested pair has no URL prefixes, so that only the clause about
# prefixes depends on how a framework joins them.
APP_ROUTE = view("index", "/")
BP = blueprint("bp", "/p")
BP_ROUTE = view("v", "/v", blueprint="bp")
OTHER = blueprint("other", "/q")
OTHER_ROUTE = view("w", "/w", blueprint="other")
OUTER = blueprint("outer")
INNER = blueprint("inner", parent="outer")
INNER_ROUTE = view("v", "/nested", blueprint="inner")
OUTER_ROUTE = view("ov", "/outer", blueprint="outer")


@clause("blueprints.hooks.own-routes-only")
@pytest.mark.parametrize(
    ("path", "order"),
    [
        pytest.param("/p/v", ["b", "v", "a", "t"], id="own-route"),
        pytest.param("/", ["index"], id="app-route"),
        pytest.param("/q/w", ["w"], id="other-blueprints-route"),
    ],
)
def test_blueprint_hooks_run_only_for_the_blueprints_own_routes(observe, path, order):
    """Before-request, after-request and teardown hooks registered on a blueprint run for requests
    to that blueprint's routes and not for requests to the app's routes or to another blueprint's
    routes."""
    x = observe(
        scenario(
            BP,
            OTHER,
            before("b", scope="bp"),
            after("a", scope="bp"),
            teardown("t", scope="bp"),
            APP_ROUTE,
            BP_ROUTE,
            OTHER_ROUTE,
            requests=[call(path)],
        )
    ).only
    same(x.order(), order, "call order")
    same(x.status, 200, "status")


@clause("blueprints.nested.parent-hooks-run-for-child")
@pytest.mark.parametrize(
    ("path", "order"),
    [
        pytest.param("/nested", ["ob", "ib", "v", "ia", "oa", "it", "ot"], id="child-route"),
        pytest.param("/outer", ["ob", "ov", "oa", "ot"], id="parent-own-route"),
    ],
)
def test_parent_hooks_run_for_the_child_and_not_the_other_way_round(observe, path, order):
    """Hooks registered on a blueprint also run for the routes of the blueprints nested in it, while
    a nested blueprint's hooks do not run for its parent's own routes."""
    # Outer's hooks run for inner's route /nested; inner's hooks do not run for outer's own /outer.
    x = observe(
        scenario(
            OUTER,
            INNER,
            before("ob", scope="outer"),
            after("oa", scope="outer"),
            teardown("ot", scope="outer"),
            before("ib", scope="inner"),
            after("ia", scope="inner"),
            teardown("it", scope="inner"),
            INNER_ROUTE,
            OUTER_ROUTE,
            requests=[call(path)],
        )
    ).only
    # Only who runs is this clause's business; the order is the ordering clauses'.
    same(sorted(x.order()), sorted(order), "hooks and views called")
    same(x.status, 200, "status")


@clause("blueprints.before.app-first")
def test_app_before_hooks_run_before_the_blueprints(observe):
    """For a request to a blueprint's route, the app's before-request hooks run before the
    blueprint's, whatever the order they were registered in."""
    # The app's hooks run before bp's, even those registered after them.
    x = observe(
        scenario(
            BP,
            before("bb1", scope="bp"),
            before("ab1"),
            before("bb2", scope="bp"),
            before("ab2"),
            BP_ROUTE,
            requests=[call("/p/v")],
        )
    ).only
    same(x.order(), ["ab1", "ab2", "bb1", "bb2", "v"], "call order")


@clause("blueprints.before.outer-first")
def test_outer_blueprint_before_hooks_run_before_the_nested_blueprints(observe):
    """For a request to a nested blueprint's route, the before-request hooks of the outer blueprint
    run before those of the blueprint nested in it."""
    # They run from the app down: the app's, the outer blueprint's, then the inner blueprint's.
    x = observe(
        scenario(
            OUTER,
            INNER,
            before("ib", scope="inner"),
            before("ob", scope="outer"),
            before("ab"),
            INNER_ROUTE,
            requests=[call("/nested")],
        )
    ).only
    same(x.order(), ["ab", "ob", "ib", "v"], "call order")


@clause("blueprints.after.innermost-first")
def test_after_hooks_run_from_the_innermost_blueprint_out_to_the_app(observe):
    """For a request to a nested blueprint's route, the after-request hooks of the innermost
    blueprint run first, then those of each enclosing blueprint outwards, and the app's last."""
    # The inner blueprint's run first, then the outer blueprint's, then the app's.
    x = observe(
        scenario(
            OUTER,
            INNER,
            after("aa"),
            after("oa", scope="outer"),
            after("ia", scope="inner"),
            INNER_ROUTE,
            requests=[call("/nested")],
        )
    ).only
    same(x.order(), ["v", "ia", "oa", "aa"], "call order")


@clause("blueprints.teardown.innermost-first")
def test_teardown_hooks_run_from_the_innermost_blueprint_out_to_the_app(observe):
    """For a request to a nested blueprint's route, the teardown-request hooks of the innermost
    blueprint run first, then those of each enclosing blueprint outwards, and the app's last."""
    # The inner blueprint's run first, then the outer blueprint's, then the app's.
    x = observe(
        scenario(
            OUTER,
            INNER,
            teardown("at"),
            teardown("ot", scope="outer"),
            teardown("it", scope="inner"),
            INNER_ROUTE,
            requests=[call("/nested")],
        )
    ).only
    same(x.order(), ["v", "it", "ot", "at"], "call order")


APP_WIDE = {
    "before": (before, "{w}", "{v}"),
    "after": (after, "{v}", "{w}"),
    "teardown": (teardown, "{v}", "{w}"),
    "url_value_preprocessor": (url_value_preprocessor, "{w}", "{v}"),
}


@clause("blueprints.app-wide.every-request")
@pytest.mark.parametrize("stage", list(APP_WIDE))
@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        pytest.param("/", "index", id="app-route"),
        pytest.param("/q/w", "w", id="other-blueprints-route"),
        pytest.param("/p/v", "v", id="own-route"),
        pytest.param("/nested", "nested", id="nested-blueprints-route"),
    ],
)
def test_app_wide_hook_from_a_blueprint_runs_for_every_request(observe, stage, path, endpoint):
    """A before-request, after-request, teardown or URL value preprocessor hook that a blueprint
    registers for the whole app runs for every request, including requests to the app's routes and
    to other blueprints' routes."""
    # bp's hook runs once for an app route, a sibling's route, a nested blueprint's and bp's own.
    builder, *order = APP_WIDE[stage]
    x = observe(
        scenario(
            BP,
            OTHER,
            OUTER,
            INNER,
            builder("wide", scope="bp", app_wide=True),
            APP_ROUTE,
            BP_ROUTE,
            OTHER_ROUTE,
            view("nested", "/nested", blueprint="inner"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), [o.format(w="wide", v=endpoint) for o in order], "call order")


@clause("blueprints.app-wide.ordered-as-app-hooks")
@pytest.mark.parametrize("builder", [before, after, teardown], ids=lambda b: b.__name__)
def test_app_wide_hook_from_a_blueprint_runs_where_an_app_hook_would(observe, builder):
    """A hook that a blueprint registers for the whole app runs in the app's place in the order:
    before that blueprint's own before-request hooks on the way in, and after its own after-request
    and teardown hooks on the way out."""
    # bp's app-wide hook, next to an app hook and bp's own, runs exactly where it would on the app.
    from_blueprint = observe(
        scenario(
            BP,
            builder("app"),
            builder("own", scope="bp"),
            builder("wide", scope="bp", app_wide=True),
            BP_ROUTE,
            requests=[call("/p/v")],
        )
    ).only
    # The adapter mounts blueprints after the app's own hooks are registered,
    # so the app-registered equivalent comes last among the app's hooks.
    on_the_app = observe(
        scenario(
            BP,
            builder("app"),
            builder("own", scope="bp"),
            builder("wide"),
            BP_ROUTE,
            requests=[call("/p/v")],
        )
    ).only
    same(from_blueprint.order(), on_the_app.order(), "call order (from bp vs on the app)")


@clause("blueprints.url-value-preprocessor.scoped-app-first")
@pytest.mark.parametrize(
    ("path", "order"),
    [
        pytest.param("/p/v/x", ["au", "bu", "ab", "bb", "v"], id="blueprint-route"),
        pytest.param("/items/x", ["au", "ab", "item"], id="app-route"),
        pytest.param("/q/w/x", ["au", "ab", "w"], id="other-blueprints-route"),
    ],
)
def test_blueprint_url_value_preprocessor_runs_for_its_routes_after_the_apps(observe, path, order):
    """A URL value preprocessor registered on a blueprint runs only for that blueprint's routes,
    after the app's URL value preprocessors and before any before-request hook, the app's
    included."""
    x = observe(
        scenario(
            BP,
            OTHER,
            before("bb", scope="bp"),
            url_value_preprocessor("bu", scope="bp"),
            before("ab"),
            url_value_preprocessor("au"),
            view("v", "/v/{name}", blueprint="bp"),
            view("item", "/items/{name}"),
            view("w", "/w/{name}", blueprint="other"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), order, "call order")


@clause("blueprints.url-value-preprocessor.outer-first")
def test_outer_blueprint_url_value_preprocessors_run_before_the_nested_blueprints(observe):
    """For a request to a nested blueprint's route, the URL value preprocessors of the outer
    blueprint run before those of the blueprint nested in it, and the app's before both."""
    # From the app down: the app's, the outer's, then the inner's, all before the before-hooks.
    x = observe(
        scenario(
            OUTER,
            INNER,
            url_value_preprocessor("iu", scope="inner"),
            url_value_preprocessor("ou", scope="outer"),
            url_value_preprocessor("au"),
            before("ab"),
            view("v", "/nested/{name}", blueprint="inner"),
            requests=[call("/nested/x")],
        )
    ).only
    same(x.order(), ["au", "ou", "iu", "ab", "v"], "call order")


ERRORS = [
    pytest.param(403, {"aborts": 403}, id="status-code"),
    pytest.param("ValueError", {"raises": "ValueError"}, id="exception-class"),
    pytest.param(500, {"raises": "RuntimeError"}, id="unhandled-exception-500"),
]


@clause("blueprints.errors.own-handler-first")
@pytest.mark.parametrize(("handles", "view_does"), ERRORS)
@pytest.mark.parametrize(
    ("parts", "path"),
    [
        pytest.param((BP,), "/p/v", id="blueprint"),
        pytest.param((OUTER, INNER), "/v", id="nested-blueprint"),
    ],
)
def test_blueprint_error_handler_is_chosen_over_the_apps(observe, handles, view_does, parts, path):
    """An error raised while handling a request to a blueprint's route goes to the blueprint's error
    handler for it rather than to the app's handler for the same status code or exception class."""
    # Nor, for a nested blueprint, to its parent's handler for the same status code or class.
    owner = parts[-1].name
    x = observe(
        scenario(
            *parts,
            error_handler("app-h", handles, returns=response("app")),
            *[
                error_handler(f"{bp.name}-h", handles, returns=response(bp.name), scope=bp.name)
                for bp in parts
            ],
            view("v", "/v", blueprint=owner, **view_does),
            requests=[call(path)],
        )
    ).only
    same(x.order(), ["v", f"{owner}-h"], "call order")
    same(x.text, owner, "body sent")


@clause("blueprints.errors.falls-back-outward")
@pytest.mark.parametrize(("handles", "view_does"), ERRORS)
@pytest.mark.parametrize(
    ("parts", "path", "with_handler", "handler"),
    [
        pytest.param((BP,), "/p/v", (), "app-h", id="blueprint-to-app"),
        pytest.param((OUTER, INNER), "/v", ("outer",), "outer-h", id="nested-to-parent"),
        pytest.param((OUTER, INNER), "/v", (), "app-h", id="nested-to-app"),
    ],
)
def test_error_without_a_blueprint_handler_goes_to_the_enclosing_handler(
    observe, handles, view_does, parts, path, with_handler, handler
):
    """When the blueprint that owns the route has no error handler for an error, the handlers of its
    enclosing blueprints are tried from the innermost outwards, and then the app's."""
    # Its own blueprint handles only TypeError; the parent's handler takes it, or else the app's.
    owner = parts[-1].name
    x = observe(
        scenario(
            *parts,
            error_handler("app-h", handles, returns=response("app-h")),
            error_handler(
                "decoy", "TypeError", returns=response("decoy"), scope=owner, observer=True
            ),
            *[
                error_handler(f"{name}-h", handles, returns=response(f"{name}-h"), scope=name)
                for name in with_handler
            ],
            view("v", "/v", blueprint=owner, **view_does),
            requests=[call(path)],
        )
    ).only
    same(x.order(), ["v", handler], "call order")
    same(x.text, handler, "body sent")


@clause("blueprints.errors.not-for-other-routes")
@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        pytest.param("/boom", "boom", id="app-route"),
        pytest.param("/q/w", "w", id="other-blueprints-route"),
        pytest.param("/outer", "ov", id="parent-blueprints-own-route"),
    ],
)
def test_blueprint_error_handler_ignores_errors_of_other_routes(observe, path, endpoint):
    """An error handler registered on a blueprint is not used for errors raised while handling
    requests to the app's routes, to another blueprint's routes or to its parent blueprint's own
    routes."""
    # bp's and inner's ValueError handlers, for a ValueError from an app, sibling or parent route.
    x = observe(
        scenario(
            BP,
            OTHER,
            OUTER,
            INNER,
            error_handler("bp-h", "ValueError", returns=response("bp"), scope="bp"),
            error_handler("inner-h", "ValueError", returns=response("inner"), scope="inner"),
            view("boom", "/boom", raises="ValueError"),
            view("w", "/w", blueprint="other", raises="ValueError"),
            view("ov", "/outer", blueprint="outer", raises="ValueError"),
            BP_ROUTE,
            view("iv", "/nested", blueprint="inner"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), [endpoint], "call order")
    same(x.status, 500, "status")


@clause("blueprints.errors.app-errorhandler-every-request")
@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        pytest.param("/boom", "boom", id="app-route"),
        pytest.param("/q/w", "w", id="other-blueprints-route"),
        pytest.param("/p/v", "v", id="own-route"),
    ],
)
def test_app_wide_error_handler_from_a_blueprint_handles_every_route(observe, path, endpoint):
    """An error handler that a blueprint registers for the whole app handles that error for every
    request, including requests to the app's routes and to other blueprints' routes."""
    # bp's app-wide ValueError handler takes it from an app route, another's route and bp's own.
    x = observe(
        scenario(
            BP,
            OTHER,
            error_handler(
                "wide", "ValueError", returns=response("wide"), scope="bp", app_wide=True
            ),
            view("boom", "/boom", raises="ValueError"),
            view("w", "/w", blueprint="other", raises="ValueError"),
            view("v", "/v", blueprint="bp", raises="ValueError"),
            requests=[call(path)],
        )
    ).only
    same(x.order(), [endpoint, "wide"], "call order")
    same((x.status, x.text), (200, "wide"), "response sent")


@clause("blueprints.errors.routing-errors-go-to-app")
@pytest.mark.parametrize(
    ("code", "request_"),
    [
        pytest.param(404, call("/p/missing"), id="no-such-url-404"),
        pytest.param(405, call("/p/v", "POST"), id="wrong-method-405"),
    ],
)
@pytest.mark.parametrize(
    "app_handles", [pytest.param(True, id="app-handler"), pytest.param(False, id="no-app-handler")]
)
def test_routing_error_under_a_blueprint_prefix_is_not_the_blueprints(
    observe, code, request_, app_handles
):
    """A 404 or 405 routing error for a URL under a blueprint's prefix is not handed to that
    blueprint's error handlers; the app's handler for it, if any, is used."""
    # bp's handlers for the code and for Exception are skipped; the app's handler, if any, is used.
    app_handler = [error_handler("app-h", code, returns=response("app"))] if app_handles else []
    x = observe(
        scenario(
            BP,
            *app_handler,
            error_handler("bp-code", code, returns=response("bp"), scope="bp"),
            error_handler("bp-any", "Exception", returns=response("bp"), scope="bp"),
            BP_ROUTE,
            requests=[request_],
        )
    ).only
    same(x.order(), ["app-h"] if app_handles else [], "call order")
    same(x.status, 200 if app_handles else code, "status")


@clause("blueprints.errors.status-code-before-blueprint-class")
def test_apps_status_code_handler_beats_the_blueprints_class_handler(observe):
    """For an HTTP error raised in a blueprint's route, the app's handler for its status code is
    chosen over the blueprint's handler for an exception class that the error belongs to."""
    # For abort(403) in bp's route, the app's 403 handler beats bp's handler for Exception.
    x = observe(
        scenario(
            BP,
            error_handler("bp-any", "Exception", returns=response("blueprint"), scope="bp"),
            error_handler("app-403", 403, returns=response("app")),
            view("v", "/v", blueprint="bp", aborts=403),
            requests=[call("/p/v")],
        )
    ).only
    same(x.order(), ["v", "app-403"], "call order")
    same(x.text, "app", "body sent")


@clause("blueprints.endpoint.dotted-name")
@pytest.mark.parametrize(
    ("path", "endpoint"),
    [
        pytest.param("/p/v", "bp.v", id="blueprint"),
        pytest.param("/nested", "outer.inner.iv", id="nested-blueprint"),
        pytest.param("/outer", "outer.ov", id="outer-blueprint"),
    ],
)
def test_endpoint_of_a_blueprint_route_is_prefixed_with_the_blueprint_names(
    observe, path, endpoint
):
    """The endpoint of a blueprint's route is the blueprint's name, a dot and the route's endpoint,
    and for a nested blueprint the names of its enclosing blueprints come first, each followed by a
    dot."""
    # "bp.v" for v of bp, "outer.inner.iv" for iv of inner in outer; in hooks and in the view.
    x = observe(
        scenario(
            BP,
            OUTER,
            INNER,
            before("b", probes=["endpoint"]),
            view("v", "/v", blueprint="bp", probes=["endpoint"]),
            view("iv", "/nested", blueprint="inner", probes=["endpoint"]),
            view("ov", "/outer", blueprint="outer", probes=["endpoint"]),
            requests=[call(path)],
        )
    ).only
    view_id = x.order()[-1]
    same(
        (x.seen("b", "endpoint"), x.seen(view_id, "endpoint")),
        (endpoint, endpoint),
        "endpoint seen by the before-request hook and the view",
    )


@clause("blueprints.request-blueprints.innermost-first")
@pytest.mark.parametrize(
    ("path", "names"),
    [
        pytest.param("/", [], id="app-route"),
        pytest.param("/p/v", ["bp"], id="blueprint"),
        pytest.param("/outer", ["outer"], id="outer-blueprint"),
        pytest.param("/nested", ["outer.inner", "outer"], id="nested-blueprint"),
    ],
)
def test_request_lists_the_blueprints_innermost_first(observe, path, names):
    """While a request to a blueprint's route is handled, the request lists the dotted names of the
    blueprint and of each enclosing blueprint, innermost first, and lists none for an app route."""
    x = observe(
        scenario(
            BP,
            OUTER,
            INNER,
            before("b", probes=["blueprints"]),
            view("index", "/"),
            view("v", "/v", blueprint="bp"),
            view("iv", "/nested", blueprint="inner"),
            view("ov", "/outer", blueprint="outer"),
            requests=[call(path)],
        )
    ).only
    same(x.seen("b", "blueprints"), names, "blueprints of the request")


@clause("blueprints.url-prefix.nested-joins-parent")
@pytest.mark.parametrize(
    ("path", "served"),
    [
        pytest.param("/o/i/v", True, id="parent-then-own-prefix"),
        pytest.param("/i/v", False, id="own-prefix-alone"),
        pytest.param("/o/v", False, id="parent-prefix-alone"),
    ],
)
def test_nested_blueprint_route_is_under_both_prefixes(observe, path, served):
    """A route of a nested blueprint is served at its parent's URL prefix followed by its own prefix
    and the route's path, and not at its own prefix alone."""
    # Route /v of inner (/i) nested in outer (/o) is at /o/i/v; neither /i/v nor /o/v reaches it.
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


def blueprint_short_circuit():
    """Blueprint bp's before-request hook b1 returns a 203 "short"; bp's later before-hook
    b2, bp's after and teardown hooks, and the app's before, after and teardown hooks are
    registered too."""
    return scenario(
        BP,
        before("ab"),
        after("aa", probes=["response.status"]),
        teardown("at"),
        before("b1", scope="bp", returns=response("short", 203)),
        before("b2", scope="bp"),
        after("ba", scope="bp", probes=["response.status"]),
        teardown("bt", scope="bp"),
        BP_ROUTE,
        requests=[call("/p/v")],
    )


@clause("blueprints.short-circuit.skips-later-hooks-and-view")
def test_blueprint_before_hook_returning_a_value_skips_the_later_hooks_and_the_view(observe):
    """When a blueprint's before-request hook returns a value, the later before-request hooks and
    the view are skipped."""
    # bp's b1 returns a value: bp's later before-hook b2 and the view v are not called.
    x = observe(blueprint_short_circuit()).only
    same([h for h in x.order() if h in ("b2", "v")], [], "later before-request hook and view")


@clause("blueprints.short-circuit.after-hooks-run")
def test_after_hooks_run_on_a_blueprint_before_hooks_value(observe):
    """When a blueprint's before-request hook returns a value, the blueprint's and the app's
    after-request hooks still run, on the response made from that value."""
    # bp's b1 returns a 203: bp's and the app's after-request hooks are handed it, and it is sent.
    x = observe(blueprint_short_circuit()).only
    same(
        {"ba": x.seen("ba", "response.status"), "aa": x.seen("aa", "response.status")},
        {"ba": 203, "aa": 203},
        "status handed to the after-request hooks",
    )
    same((x.status, x.text), (203, "short"), "response sent")


@clause("blueprints.short-circuit.teardown-runs")
def test_teardown_hooks_run_after_a_blueprint_before_hooks_value(observe):
    """When a blueprint's before-request hook returns a value, the blueprint's and the app's
    teardown hooks still run."""
    # bp's b1 returns a value: bp's and the app's teardown hooks both run.
    x = observe(blueprint_short_circuit()).only
    # The teardowns' order among themselves is blueprints.teardown.innermost-first's.
    same(sorted(h for h in x.order() if h in ("at", "bt")), ["at", "bt"], "teardown hooks called")


# -- blueprints: one blueprint registered twice, under its own name or another --
# Blueprint "bp" (route /v, its own before-request hook "bb") registered at /a,
# then again at /b; the first request goes to each registration in turn.


def registered_twice(name=None):
    """The app above, its second registration under ``name`` (None: bp's own)."""
    return scenario(
        before("bb", scope="bp"),
        blueprint("bp", "/a", mounts=[mount("again", "/b", name=name)]),
        view("v", "/v", blueprint="bp", probes=["endpoint"]),
        requests=[call("/a/v"), call("/b/v")],
    )


def registering(x):
    """What registering the blueprint again raised and warned (class names)."""
    return {k: x[0].seen("again", k) for k in ("error", "warning")}


@clause("blueprints.registered-twice.same-name-refused")
def test_registering_a_blueprint_twice_under_one_name_is_refused(observe):
    """Registering a blueprint on the app a second time under the name it is already registered
    with raises ValueError, and nothing of that registration is served: a request under its URL
    prefix is a 404."""
    x = observe(registered_twice())
    same(registering(x), {"error": "ValueError", "warning": None}, "registering it again")
    same([x[0].status, x[1].status], [200, 404], "status under the first prefix, then the second")


@clause("blueprints.registered-twice.same-name-warns")
def test_registering_a_blueprint_twice_under_one_name_warns(observe):
    """Registering a blueprint on the app a second time under the name it is already registered
    with warns (UserWarning) and registers it anyway: its routes are served under the second URL
    prefix too, with the same endpoints."""
    x = observe(registered_twice())
    same(registering(x), {"error": None, "warning": "UserWarning"}, "registering it again")
    same([x[1].status, x[1].seen("v", "endpoint")], [200, "bp.v"], "under the second prefix")


@clause("blueprints.registered-twice.same-name-silent")
def test_registering_a_blueprint_twice_under_one_name_is_silent(observe):
    """Registering a blueprint on the app a second time under the name it is already registered
    with neither raises nor warns: its routes are served under the second URL prefix too, with
    the same endpoints."""
    x = observe(registered_twice())
    same(registering(x), {"error": None, "warning": None}, "registering it again")
    same([x[1].status, x[1].seen("v", "endpoint")], [200, "bp.v"], "under the second prefix")


@clause("blueprints.registered-twice.other-name-endpoints")
def test_a_blueprint_registered_again_under_another_name_gets_its_endpoints(observe):
    """A blueprint registered again with name= set to another name is served under that
    registration's URL prefix with endpoints named after the new name (other.index), while its
    first registration keeps its own endpoints."""
    x = observe(registered_twice("other"))
    same(registering(x), {"error": None, "warning": None}, "registering it again")
    same(
        [(e.status, e.seen("v", "endpoint")) for e in x.exchanges],
        [(200, "bp.v"), (200, "other.v")],
        "status and endpoint under the first prefix, then the second",
    )


@clause("blueprints.registered-twice.other-name-ignored")
def test_the_name_of_a_second_registration_is_ignored(observe):
    """A blueprint registered again with name= set to another name is served under that
    registration's URL prefix, but name= is ignored: its routes there have the endpoints of the
    first registration."""
    x = observe(registered_twice("other"))
    same([x[1].status, x[1].seen("v", "endpoint")], [200, "bp.v"], "under the second prefix")


@clause("blueprints.registered-twice.other-name-hooks")
def test_a_blueprint_registered_again_under_another_name_keeps_its_hooks(observe):
    """The before-request hooks a blueprint registers for its own routes run for requests to the
    routes of its registration under another name (name=), as they do for those of its first
    registration."""
    x = observe(registered_twice("other"))
    same(x[1].order(), ["bb", "v"], "call order under the second prefix")


@clause("blueprints.registered-twice.other-name-hooks-skipped")
def test_a_blueprint_registered_again_under_another_name_loses_its_hooks(observe):
    """The before-request hooks a blueprint registers for its own routes do not run for requests
    to the routes of its registration under another name (name=); they run only for those of its
    first registration."""
    x = observe(registered_twice("other"))
    same(
        [x[0].order(), x[1].order()],
        [["again", "bb", "v"], ["v"]],
        "call order under the first prefix (after registering again), then the second",
    )
