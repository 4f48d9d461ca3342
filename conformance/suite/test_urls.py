"""URL building and g: what url_for builds, when the url_defaults functions
fill its values, what a preprocessor that pops a value leaves the view, and
g used as an object."""

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    before,
    blueprint,
    call,
    g_op,
    route,
    scenario,
    teardown,
    url,
    url_defaults,
    url_value_preprocessor,
    view,
)

ITEM = route("item", "/items/{id}")  # the endpoint most URLs here are built for


def failed(urls):
    """The URLs built, each failure (``"<ExceptionName>"``) as "raised": the class is the
    framework's own (Werkzeug's BuildError in Flask)."""
    return [u if not str(u).startswith("<") else "raised" for u in urls]


def built(*urls, host=None):
    """The URLs the view at / builds, in a request to / (with ``host`` as its Host header)."""
    headers = {"Host": host} if host else None
    return scenario(ITEM, view(build_urls=urls), requests=[call("/", headers=headers)])


@clause("urls.url-for.fills-rule-values")
def test_url_for_fills_the_rule_with_the_values_given(observe):
    """url_for builds the path of the endpoint's rule with the URL values it is given in place of
    the rule's variables."""
    x = observe(built(url("item", id="y"), url("item", id="z"))).only
    same(x.seen("index", "urls"), ["/items/y", "/items/z"], "URLs built")


@clause("urls.url-for.extra-values-in-query")
def test_values_the_rule_does_not_take_go_in_the_query(observe):
    """Values given to url_for that the endpoint's rule does not take are appended to the URL as
    query arguments."""
    x = observe(built(url("item", id="y", page="2"))).only
    same(x.seen("index", "urls"), ["/items/y?page=2"], "URL built")


@clause("urls.url-for.missing-value-fails")
def test_url_for_fails_without_a_value_for_a_variable(observe):
    """url_for raises an exception (Werkzeug's BuildError, in Flask) instead of building a URL when
    a variable of the endpoint's rule is given no value."""
    x = observe(built(url("item"), url("item", page="2"))).only
    same(failed(x.seen("index", "urls")), ["raised", "raised"], "what url_for gave")


@clause("urls.url-for.unknown-endpoint-fails")
def test_url_for_fails_for_an_unknown_endpoint(observe):
    """url_for raises an exception (Werkzeug's BuildError, in Flask) instead of building a URL for
    an endpoint that no route has."""
    x = observe(built(url("nowhere"), url("nowhere", id="y"))).only
    same(failed(x.seen("index", "urls")), ["raised", "raised"], "what url_for gave")


@clause("urls.url-for.external-uses-request-host")
def test_external_urls_are_on_the_requests_host(observe):
    """While a request is handled, url_for with _external=True builds an absolute URL on the scheme
    and host the request was sent to."""
    x = observe(built(url("item", id="y", external=True), host="example.test")).only
    same(x.seen("index", "urls"), ["http://example.test/items/y"], "URL built")


@clause("urls.url-for.anchor-appended")
def test_the_anchor_is_appended_after_the_query(observe):
    """url_for with _anchor appends '#' and the anchor to the URL it builds, after any query
    arguments."""
    x = observe(
        built(url("item", id="y", anchor="top"), url("item", id="y", page="2", anchor="top"))
    )
    same(x.only.seen("index", "urls"), ["/items/y#top", "/items/y?page=2#top"], "URLs built")


@clause("urls.url-for.method-must-be-accepted")
def test_url_for_builds_only_a_rule_for_the_method_given(observe):
    """url_for with _method builds only a rule that accepts that method: for a method the
    endpoint's rule does not accept, it raises an exception (Werkzeug's BuildError, in Flask)."""
    # The rule of "item" accepts GET only.
    x = observe(built(url("item", id="y", method="GET"), url("item", id="y", method="POST"))).only
    same(failed(x.seen("index", "urls")), ["/items/y", "raised"], "what url_for gave")


# -- url_defaults --


@clause("urls.url-defaults.fill-values")
def test_a_url_defaults_function_fills_the_values(observe):
    """url_for calls the url_defaults functions with the endpoint and its values before building,
    and a value one of them adds fills the rule."""
    # The rule needs "lang"; url_for is given none, the url_defaults function adds it.
    x = observe(
        scenario(
            url_defaults("d", fill_values={"lang": "en"}),
            route("page", "/{lang}/page"),
            view(build_urls=[url("page")]),
        )
    ).only
    same(x.seen("index", "urls"), ["/en/page"], "URL built")


@clause("urls.url-defaults.only-when-building")
def test_url_defaults_functions_run_only_when_a_url_is_built(observe):
    """The url_defaults functions run only when url_for builds a URL: a request that builds none
    calls none of them."""
    x = observe(scenario(url_defaults("d1"), url_defaults("d2"), before("b"), view())).only
    same(x.order(), ["b", "index"], "call order")


@clause("urls.url-defaults.registration-order")
def test_url_defaults_functions_run_in_registration_order_for_each_url(observe):
    """Each time url_for builds an endpoint of the app, the app's url_defaults functions run once
    each, in the order they were registered."""
    # Two URLs built: the three functions run for each, in order, before the view's event.
    x = observe(
        scenario(
            url_defaults("d1"),
            url_defaults("d2"),
            url_defaults("d3"),
            view(build_urls=[url("index"), url("index")]),
        )
    ).only
    same(x.order(), ["d1", "d2", "d3", "d1", "d2", "d3", "index"], "call order")


OUTER = blueprint("outer", "/o")
INNER = blueprint("inner", "/i", parent="outer")


def nested_defaults():
    """Three url_defaults functions on the app, two on each blueprint; the view at / builds
    the URL of the nested blueprint's endpoint outer.inner.leaf."""
    return scenario(
        OUTER,
        INNER,
        url_defaults("i1", scope="inner"),
        url_defaults("o1", scope="outer"),
        url_defaults("a1"),
        url_defaults("i2", scope="inner"),
        url_defaults("o2", scope="outer"),
        url_defaults("a2"),
        url_defaults("a3"),
        route("leaf", "/leaf", blueprint="inner"),
        view(build_urls=[url("outer.inner.leaf")]),
    )


@clause("urls.url-defaults.app-then-outer-then-inner")
def test_url_defaults_run_from_the_app_down_to_the_nested_blueprint(observe):
    """When url_for builds an endpoint of a nested blueprint, the app's url_defaults functions run
    first, then the outer blueprint's, then the nested blueprint's, each in registration order."""
    x = observe(nested_defaults()).only
    same(x.seen("index", "urls"), ["/o/i/leaf"], "URL built")
    same(x.order(), ["a1", "a2", "a3", "o1", "o2", "i1", "i2", "index"], "call order")


@clause("urls.url-defaults.inner-then-outer")
def test_url_defaults_of_the_nested_blueprint_ran_before_the_outers(observe):
    """When url_for builds an endpoint of a nested blueprint, the app's url_defaults functions run
    first, then the nested blueprint's, then the outer blueprint's."""
    x = observe(nested_defaults()).only
    same(x.order(), ["a1", "a2", "a3", "i1", "i2", "o1", "o2", "index"], "call order")


@clause("urls.url-defaults.nested-blueprints-skipped")
def test_url_defaults_of_nested_blueprints_did_not_run(observe):
    """When url_for builds an endpoint of a nested blueprint, only the app's url_defaults functions
    run: neither the outer blueprint's nor the nested blueprint's do."""
    x = observe(nested_defaults()).only
    same(x.order(), ["a1", "a2", "a3", "index"], "call order")


@clause("urls.url-defaults.blueprint-endpoints-only")
def test_a_blueprints_url_defaults_run_only_for_its_endpoints(observe):
    """A blueprint's url_defaults functions run only when url_for builds one of that blueprint's
    endpoints, even while a request to one of its routes is handled."""
    # In a request to the blueprint's route, url_for builds the app's "item", then "bp.page":
    # the blueprint's function runs for the second only.
    obs = observe(
        scenario(
            blueprint("bp", "/bp"),
            url_defaults("bd", scope="bp"),
            ITEM,
            route("page", "/page", blueprint="bp", build_urls=[url("item", id="y")]),
            route(
                "other", "/other", blueprint="bp", build_urls=[url("item", id="y"), url("bp.page")]
            ),
            requests=[call("/bp/page"), call("/bp/other")],
        )
    )
    same([x.order() for x in obs.exchanges], [["page"], ["bd", "other"]], "call order")


@clause("urls.url-defaults.app-wide-for-every-endpoint")
def test_a_blueprints_app_url_defaults_run_for_the_apps_endpoints(observe):
    """A blueprint's app_url_defaults functions run when url_for builds an endpoint of the app,
    outside the blueprint, after the app's own url_defaults functions."""
    x = observe(
        scenario(
            blueprint("bp", "/bp"),
            url_defaults("bw", scope="bp", app_wide=True),
            url_defaults("ad"),
            ITEM,
            view(build_urls=[url("item", id="y")]),
        )
    ).only
    same(x.order(), ["ad", "bw", "index"], "call order")


# -- a url_value_preprocessor that pops a value --


def popping(*view_probes):
    """/fr/items/x: the preprocessor pops "lang" (keeping it on g)."""
    return scenario(
        url_value_preprocessor("u", pop_values=["lang"]),
        route("item", "/{lang}/items/{id}", probes=view_probes),
        requests=[call("/fr/items/x")],
    )


@clause("urls.preprocessor.popped-value-not-passed")
def test_a_popped_url_value_is_not_passed_to_the_view(observe):
    """A URL value that a url_value_preprocessor pops from the values it is handed is not passed
    to the view as a keyword argument."""
    x = observe(popping("view.kwargs")).only
    same(x.status, 200, "status")
    same(x.seen("item", "view.kwargs"), ["id"], "the view's keyword arguments")


@clause("urls.preprocessor.popped-value-gone-from-view-args")
def test_a_popped_url_value_is_gone_from_view_args(observe):
    """A URL value that a url_value_preprocessor pops is gone from request.view_args: the view no
    longer finds it there."""
    x = observe(popping("view_args")).only
    same(x.seen("item", "view_args"), {"id": "x"}, "request.view_args in the view")


@clause("urls.preprocessor.registration-order-at-every-level")
def test_url_value_preprocessors_run_from_the_app_down_in_registration_order(observe):
    """For a route of a nested blueprint, the app's url_value_preprocessors, then the outer
    blueprint's, then the nested blueprint's run, and at each level in the order they were
    registered."""
    x = observe(
        scenario(
            OUTER,
            INNER,
            url_value_preprocessor("i1", scope="inner"),
            url_value_preprocessor("o1", scope="outer"),
            url_value_preprocessor("a1"),
            url_value_preprocessor("i2", scope="inner"),
            url_value_preprocessor("o2", scope="outer"),
            url_value_preprocessor("a2"),
            url_value_preprocessor("a3"),
            route("leaf", "/leaf", blueprint="inner"),
            requests=[call("/o/i/leaf")],
        )
    ).only
    same(x.order(), ["a1", "a2", "a3", "o1", "o2", "i1", "i2", "leaf"], "call order")


# -- g as an object --


def using_g(*ops, sets=None):
    """A before-request hook sets ``sets`` on g; the view then does ``ops``."""
    return scenario(before("b", set_g=sets or {}), view(g_ops=ops))


@clause("urls.g.get")
def test_g_get_gives_the_value_or_the_default(observe):
    """g.get(name, default) returns the value set on g under name, or default when nothing is set
    under it."""
    x = observe(using_g(g_op("get", "a", "d"), g_op("get", "z", "d"), sets={"a": 1})).only
    same(x.seen("index", "g_ops"), [1, "d"], "what g.get returned")


@clause("urls.g.pop-removes")
def test_g_pop_returns_the_value_and_removes_it(observe):
    """g.pop(name) returns the value set under name and removes it, so later hooks of the request
    no longer see it on g."""
    # The view pops "a", set by a before-request hook; the teardown hook looks at g.
    x = observe(
        scenario(
            before("b", set_g={"a": 1, "k": 2}),
            teardown("t", probes=["g"]),
            view(g_ops=[g_op("pop", "a")]),
        )
    ).only
    same(x.seen("index", "g_ops"), [1], "what g.pop returned")
    same(x.seen("t", "g"), {"k": 2}, "g in the teardown hook")


@clause("urls.g.pop-missing")
def test_g_pop_of_a_missing_name_gives_the_default_or_raises_key_error(observe):
    """g.pop(name, default) of a name not set returns default; without a default it raises
    KeyError."""
    x = observe(using_g(g_op("pop", "z", "d"), g_op("pop", "z"))).only
    same(x.seen("index", "g_ops"), ["d", "<KeyError>"], "what g.pop gave")


@clause("urls.g.setdefault")
def test_g_setdefault_sets_only_a_name_not_set(observe):
    """g.setdefault(name, default) sets name to default only when nothing is set under it, and
    returns the value name then has."""
    ops = [
        g_op("setdefault", "a", 2),
        g_op("setdefault", "b", 3),
        g_op("get", "a"),
        g_op("get", "b"),
    ]
    x = observe(using_g(*ops, sets={"a": 1})).only
    same(x.seen("index", "g_ops"), [1, 3, 1, 3], "what setdefault, then get, returned")


@clause("urls.g.contains")
def test_in_g_is_true_for_the_names_set(observe):
    """'name in g' is true for a name set on g earlier in the request and false for any other."""
    x = observe(using_g(g_op("contains", "a"), g_op("contains", "z"), sets={"a": None})).only
    same(x.seen("index", "g_ops"), [True, False], "'a in g', 'z in g'")


@clause("urls.g.iterates-names")
def test_iterating_over_g_gives_the_names_set(observe):
    """Iterating over g gives the names set on it during the request, each once."""
    x = observe(using_g(g_op("iter"), sets={"b": 1, "a": 2})).only
    same(x.seen("index", "g_ops"), [["a", "b"]], "the names g gives, sorted")
