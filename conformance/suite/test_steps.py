"""Steps beyond a list of requests: what the lifecycle does when the test
pushes an application context, makes a test_request_context, uses the test
client as a context manager, registers a hook late or probes between requests.

Events of a step the test took are in ``obs.steps``: each step's marker (hook
id: the step's kind), then its own probe or registration event (hook id: the
step's id), then what the framework ran during it."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    after,
    before,
    call,
    enter_app_context,
    enter_client,
    exit_app_context,
    exit_client,
    in_test_request_context,
    probe,
    register,
    route,
    scenario,
    send,
    signal,
    teardown,
    teardown_app,
    view,
)


def step_order(obs):
    """The hook ids of the steps' trace, markers of "send"-free steps included."""
    return [e.hook for e in obs.steps]


def step_seen(obs, hook, name):
    """What probe ``name`` saw in the step event of ``hook`` (the last one)."""
    seen = [e.seen for e in obs.steps if e.hook == hook and name in e.seen]
    return seen[-1][name] if seen else "<not recorded>"


def everywhere(obs, hook):
    """How often ``hook`` ran, in the requests and in the steps."""
    in_requests = sum(x.order().count(hook) for x in obs.exchanges)
    return in_requests + step_order(obs).count(hook)


IN_PUSHED_APP_CONTEXT = [enter_app_context(), send(), send(), exit_app_context()]


@clause("steps.app-context.g-shared-across-requests")
def test_requests_in_a_pushed_app_context_share_its_g(observe):
    """Requests made inside an application context the test pushed use that context's g: a value
    one request sets on it is seen by the next request and by the test after them."""
    obs = observe(
        scenario(
            view("write", "/write", set_g={"user": "ann"}),
            view("read", "/read", probes=["g"]),
            requests=[call("/write"), call("/read")],
            steps=[
                enter_app_context(),
                send(),
                send(),
                probe("after", probes=["g"]),
                exit_app_context(),
            ],
        )
    )
    same(
        {"g in request 2": obs[1].seen("read", "g"), "g after them": step_seen(obs, "after", "g")},
        {"g in request 2": {"user": "ann"}, "g after them": {"user": "ann"}},
        "g inside the pushed application context",
    )


@clause("steps.app-context.pushed-signal-once")
def test_appcontext_pushed_is_sent_once_for_a_pushed_app_context(observe):
    """Inside an application context the test pushed, appcontext_pushed is sent once, when the test
    pushes it, and not again for the requests made inside it."""
    obs = observe(
        scenario(
            signal("pushed", "appcontext_pushed"),
            view(),
            requests=[call(), call()],
            steps=IN_PUSHED_APP_CONTEXT,
        )
    )
    same(
        {
            "when pushed": step_order(obs)[:2],
            "in the requests": [x.order().count("pushed") for x in obs.exchanges],
        },
        {"when pushed": ["enter_app_context", "pushed"], "in the requests": [0, 0]},
        "appcontext_pushed",
    )


@clause("steps.app-context.teardown-when-test-pops")
def test_teardown_appcontext_runs_when_the_test_pops_its_context(observe):
    """The teardown-appcontext hooks run once, when the test pops the application context it
    pushed, and not at the end of each request made inside it."""
    obs = observe(
        scenario(teardown_app("ta"), view(), requests=[call(), call()], steps=IN_PUSHED_APP_CONTEXT)
    )
    same(
        {
            "in the requests": [x.order().count("ta") for x in obs.exchanges],
            "steps": step_order(obs),
        },
        {"in the requests": [0, 0], "steps": ["enter_app_context", "exit_app_context", "ta"]},
        "teardown-appcontext calls",
    )


@clause("steps.app-context.popped-signal-when-test-pops")
def test_appcontext_popped_is_sent_when_the_test_pops_its_context(observe):
    """Inside an application context the test pushed, appcontext_popped is sent once, when the test
    pops it, and not at the end of each request made inside it."""
    obs = observe(
        scenario(
            signal("popped", "appcontext_popped"),
            view(),
            requests=[call(), call()],
            steps=IN_PUSHED_APP_CONTEXT,
        )
    )
    same(
        {
            "in the requests": [x.order().count("popped") for x in obs.exchanges],
            "steps": step_order(obs),
        },
        {"in the requests": [0, 0], "steps": ["enter_app_context", "exit_app_context", "popped"]},
        "appcontext_popped",
    )


@clause("steps.app-context.teardown-request-per-request")
def test_teardown_request_still_runs_per_request_in_a_pushed_app_context(observe):
    """Inside an application context the test pushed, the teardown-request hooks still run at the
    end of each request."""
    obs = observe(
        scenario(teardown("t"), view(), requests=[call(), call()], steps=IN_PUSHED_APP_CONTEXT)
    )
    same(
        [x.order() for x in obs.exchanges], [["index", "t"], ["index", "t"]], "each request's order"
    )


def in_test_request_context_of(path, *parts, **does):
    return scenario(
        route("index", "/"),
        route("item", "/items/{name}"),
        *parts,
        requests=[],
        steps=[in_test_request_context("trc", path, **does)],
    )


@clause("steps.test-request-context.request-describes-path")
def test_test_request_context_describes_the_path(observe):
    """Inside test_request_context(path), the request context is active and describes a GET of
    that path, matched to the endpoint of its route."""
    probes = ["request", "method", "path", "endpoint", "view_args"]
    obs = observe(in_test_request_context_of("/items/x", probes=probes))
    same(
        {p: step_seen(obs, "trc", p) for p in probes},
        {
            "request": True,
            "method": "GET",
            "path": "/items/x",
            "endpoint": "item",
            "view_args": {"name": "x"},
        },
        "the request inside test_request_context",
    )


@clause("steps.test-request-context.url-for-builds")
def test_url_for_builds_in_a_test_request_context(observe):
    """Inside test_request_context, url_for builds the URL of an endpoint, and g starts empty."""
    obs = observe(in_test_request_context_of("/items/x", probes=["url_for", "g"]))
    same(
        {"url_for": step_seen(obs, "trc", "url_for"), "g": step_seen(obs, "trc", "g")},
        {"url_for": "/", "g": {}},
        "url_for('index') and g",
    )


@clause("steps.test-request-context.no-request-hooks")
def test_test_request_context_dispatches_nothing(observe):
    """Entering and leaving test_request_context runs no before-request or after-request hook and
    sends neither request_started nor request_finished: no request is dispatched."""
    obs = observe(
        in_test_request_context_of(
            "/",
            before("b"),
            after("a"),
            signal("started", "request_started"),
            signal("finished", "request_finished"),
        )
    )
    same(step_order(obs), ["test_request_context", "trc"], "what ran")


@clause("steps.test-request-context.teardown-on-exit")
def test_leaving_test_request_context_runs_the_teardowns(observe):
    """Leaving test_request_context runs each teardown-request hook once, then each
    teardown-appcontext hook once."""
    obs = observe(in_test_request_context_of("/", teardown("t"), teardown_app("ta")))
    same(step_order(obs), ["test_request_context", "trc", "t", "ta"], "what ran")


KEPT = ["request", "path", "g"]


def in_client_block(*parts, after_response=(), after_block=(), requests=None):
    """Requests ``/first`` (and ``/second``) inside ``with client:``, probes
    after the first response and after the block."""
    requests = requests or [call("/first")]
    return scenario(
        view("first", "/first", set_g={"user": "ann"}),
        view("second", "/second"),
        *parts,
        requests=requests,
        steps=[
            enter_client(),
            *[
                s
                for _ in requests[:1]
                for s in (send(), probe("kept", probes=list(after_response)))
            ],
            *[send() for _ in requests[1:]],
            exit_client(),
            probe("ended", probes=list(after_block)),
        ],
    )


@clause("steps.client-context.request-kept-after-response")
def test_request_is_kept_after_the_response_in_the_client_block(observe):
    """Inside the test client's with block, after a response, the request context of that request
    is active: request describes it until the next request or the end of the block."""
    obs = observe(in_client_block(after_response=["request", "path"]))
    same(
        {"request": step_seen(obs, "kept", "request"), "path": step_seen(obs, "kept", "path")},
        {"request": True, "path": "/first"},
        "the request after its response",
    )


@clause("steps.client-context.g-kept-after-response")
def test_g_is_kept_after_the_response_in_the_client_block(observe):
    """Inside the test client's with block, after a response, g holds what that request set on
    it."""
    obs = observe(in_client_block(after_response=["g"]))
    same(step_seen(obs, "kept", "g"), {"user": "ann"}, "g after the response")


@clause("steps.client-context.ended-after-block")
def test_no_request_context_after_the_client_block(observe):
    """Once the test client's with block has ended, no request context is active: using the
    request raises RuntimeError."""
    obs = observe(in_client_block(after_block=["request", "request.error"]))
    same(
        {
            "request": step_seen(obs, "ended", "request"),
            "request.error": step_seen(obs, "ended", "request.error"),
        },
        {"request": False, "request.error": "RuntimeError"},
        "the request after the block",
    )


TWO_IN_BLOCK = [call("/first"), call("/second")]


def teardowns(obs):
    """Where teardown "t" ran, for which path: per request, then in the steps."""
    per_request = [[e.seen["path"] for e in x.trace if e.hook == "t"] for x in obs.exchanges]
    in_steps = [e.seen["path"] for e in obs.steps if e.hook == "t"]
    return {"request 1": per_request[0], "request 2": per_request[1], "steps": in_steps}


@clause("steps.client-context.teardown-after-response")
def test_teardown_runs_at_the_response_in_the_client_block(observe):
    """Inside the test client's with block, a request's teardown-request hooks run when its
    response is made, as they do outside the block."""
    obs = observe(in_client_block(teardown("t", probes=["path"]), requests=TWO_IN_BLOCK))
    # Request 1's teardown runs after its view, before the response; not only later.
    first = obs[0].order()
    same(
        first[: first.index("first") + 2] if "first" in first else first,
        ["first", "t"],
        "request 1: its view, then its teardown",
    )


@clause("steps.client-context.teardown-again-when-kept-context-ends")
def test_teardown_runs_again_when_the_kept_context_ends(observe):
    """Inside the test client's with block, a request's teardown-request hooks run a second time
    when its kept context ends: at the start of the next request, or at the end of the block."""
    obs = observe(in_client_block(teardown("t", probes=["path"]), requests=TWO_IN_BLOCK))
    same(
        teardowns(obs),
        {"request 1": ["/first"], "request 2": ["/first", "/second"], "steps": ["/second"]},
        "teardown calls, by the path they saw",
    )


@clause("steps.client-context.teardown-deferred-to-kept-context-end")
def test_teardown_is_deferred_to_the_end_of_the_kept_context(observe):
    """Inside the test client's with block, a request's teardown-request hooks run once, when its
    kept context ends (at the start of the next request, or at the end of the block), and not when
    its response is made."""
    obs = observe(in_client_block(teardown("t", probes=["path"]), requests=TWO_IN_BLOCK))
    same(
        teardowns(obs),
        {"request 1": [], "request 2": ["/first"], "steps": ["/second"]},
        "teardown calls, by the path they saw",
    )


def late_before(sid="late"):
    return scenario(
        view(),
        requests=[call(), call()],
        steps=[send(), register(sid, before("late_hook")), send()],
    )


@clause("steps.setup.late-registration-raises")
def test_registering_after_the_first_request_raises(observe):
    """Registering a hook on the application after it has handled its first request raises
    AssertionError."""
    obs = observe(late_before())
    same(step_seen(obs, "late", "error"), "AssertionError", "what registering raised")


@clause("steps.setup.late-hook-never-runs")
def test_a_refused_late_hook_never_runs(observe):
    """A hook whose registration after the first request was refused never runs for the requests
    after it."""
    obs = observe(late_before())
    same(obs[1].order(), ["index"], "the request after the late registration")


@clause("steps.setup.late-registration-accepted")
def test_a_late_hook_is_accepted_and_runs(observe):
    """A hook registered after the application has handled its first request is accepted, and runs
    for the requests after it."""
    obs = observe(late_before())
    same(
        {"error": step_seen(obs, "late", "error"), "request 2": obs[1].order()},
        {"error": None, "request 2": ["late_hook", "index"]},
        "the late registration and the request after it",
    )


@clause("steps.probe.no-context-between-requests")
@pytest.mark.parametrize(
    "steps",
    [
        pytest.param([probe("p", probes=["request", "app"]), send()], id="before-any-request"),
        pytest.param([send(), probe("p", probes=["request", "app"])], id="after-a-request"),
    ],
)
def test_no_context_is_active_between_requests(observe, steps):
    """Between two requests, when the test has entered no context and no with block, neither a
    request context nor an application context is active."""
    obs = observe(scenario(view(set_g={"user": "ann"}), steps=steps))
    same(
        {"request": step_seen(obs, "p", "request"), "app": step_seen(obs, "p", "app")},
        {"request": False, "app": False},
        "the contexts between requests",
    )
