"""Class-based views: which method answers, which methods the route accepts,
how many instances serve the requests, and how decorators and hooks wrap them."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import after, before, call, class_view, scenario, teardown

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]


@clause("views.view.dispatch-request")
def test_a_view_class_answers_with_dispatch_request(observe):
    """A View class registered through as_view answers its route's requests with dispatch_request,
    handed the URL values as keyword arguments."""
    x = observe(
        scenario(
            class_view("item", "/items/{id}", probes=["view.kwargs", "view_args"]),
            requests=[call("/items/x")],
        )
    ).only
    same((x.status, x.text), (200, "ok"), "response")
    same(x.seen("item", "view.kwargs"), ["id"], "the keyword arguments dispatch_request got")


@clause("views.view.methods-attribute")
def test_a_view_class_accepts_the_methods_it_lists(observe):
    """The route of a View accepts the methods its class lists in methods: a request with another
    method is answered 405 without calling dispatch_request."""
    obs = observe(
        scenario(
            class_view("res", "/res", methods=["GET", "POST"]),
            requests=[call("/res", "POST"), call("/res", "PUT")],
        )
    )
    same([(x.status, x.order()) for x in obs.exchanges], [(200, ["res"]), (405, [])], "POST, PUT")


@pytest.mark.parametrize("method", METHODS)
@clause("views.method-view.dispatch-by-method")
def test_a_method_view_answers_with_the_method_of_the_requests_name(observe, method):
    """A MethodView answers each request with its method named after the request's method in
    lower case."""
    x = observe(
        scenario(
            class_view("res", "/res", kind="method_view", methods=METHODS),
            requests=[call("/res", method)],
        )
    ).only
    same((x.status, x.order()), (200, [f"res.{method.lower()}"]), "status and the method called")


@clause("views.method-view.methods-derived")
def test_a_method_views_route_accepts_the_methods_it_defines(observe):
    """The route of a MethodView accepts the methods the class defines a method for, without them
    being listed: a request with another method is answered 405."""
    # It defines get and post; its route is not told which methods it accepts.
    obs = observe(
        scenario(
            class_view("res", "/res", kind="method_view", methods=["GET", "POST"]),
            requests=[call("/res", "POST"), call("/res", "DELETE")],
        )
    )
    same(
        [(x.status, x.order()) for x in obs.exchanges],
        [(200, ["res.post"]), (405, [])],
        "POST, DELETE",
    )


@clause("views.method-view.head-uses-get")
def test_head_to_a_method_view_without_head_is_answered_by_get(observe):
    """A HEAD request to a MethodView that defines get but no head is answered by its get
    method."""
    x = observe(
        scenario(
            class_view("res", "/res", kind="method_view", methods=["GET"]),
            requests=[call("/res", "HEAD")],
        )
    ).only
    same((x.status, x.order()), (200, ["res.get"]), "status and the method called")


@pytest.mark.parametrize(
    ("kind", "answers"),
    [
        pytest.param("view", "index", id="View"),
        pytest.param("method_view", "index.get", id="MethodView"),
    ],
)
@clause("views.hooks-as-for-a-function")
def test_hooks_run_around_a_class_based_view_as_around_a_function(observe, kind, answers):
    """The before-request hooks, the class-based view, the after-request hooks and the
    teardown-request hooks run in the same order as around a view function."""
    x = observe(
        scenario(
            teardown("t1"),
            teardown("t2"),
            after("a1"),
            after("a2"),
            before("b1"),
            before("b2"),
            class_view(kind=kind),
        )
    ).only
    same(x.order(), ["b1", "b2", answers, "a2", "a1", "t2", "t1"], "call order")


@clause("views.decorators.last-outermost")
def test_the_last_decorator_listed_runs_first(observe):
    """The decorators a View class lists wrap the view as_view makes in list order, so the last
    one listed runs first and the view last."""
    x = observe(scenario(before("b"), class_view(decorators=["d1", "d2", "d3"]))).only
    same(x.order(), ["b", "d3", "d2", "d1", "index"], "call order")


def instances(*, init_every_request=True):
    """Three requests to a View class; its view reports which instance answered."""
    return scenario(
        class_view(probes=["view.instance"], init_every_request=init_every_request),
        requests=[call("/"), call("/"), call("/")],
    )


def instance_numbers(obs):
    return [x.seen("index", "view.instance") for x in obs.exchanges]


@clause("views.init-every-request.new-instance-by-default")
def test_a_view_class_is_instantiated_for_every_request(observe):
    """By default a View class is instantiated anew for every request to its route."""
    same(instance_numbers(observe(instances())), [1, 2, 3], "instance per request")


@clause("views.init-every-request.false-one-instance")
def test_without_init_every_request_one_instance_serves_every_request(observe):
    """With init_every_request set to False, one instance of the View class answers every request
    to its route."""
    numbers = instance_numbers(observe(instances(init_every_request=False)))
    same(numbers, numbers[:1] * 3, "instance per request")


@clause("views.init-every-request.not-read")
def test_init_every_request_false_is_not_read(observe):
    """A View class is instantiated anew for every request even when its init_every_request
    attribute is False: the attribute is not read."""
    obs = observe(instances(init_every_request=False))
    same(instance_numbers(obs), [1, 2, 3], "instance per request")
