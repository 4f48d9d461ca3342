"""Hypothesis strategies for scenarios, for property and differential tests.

    from conformance.strategies import scenarios

    @given(scenarios())
    def test_my_framework_agrees_with_the_reference(scenario): ...

Generated apps stay within what every Flask-family framework defines: an
after-request hook ends by passing the response on or returning a response
object; teardowns and error handlers do not raise (what a framework does then
is a question for a clause of its own, not for random search).
"""

from __future__ import annotations

from hypothesis import strategies as st

from ._model import EXCEPTIONS, Behaviour, Call, Hook, Route, Scenario, Value

__all__ = ["behaviours", "calls", "hook_lists", "scenarios", "values"]

_PROBES = ("request", "app", "g", "endpoint", "view_args", "method", "path")
_TEXT = st.text(alphabet="abcdefghij", min_size=1, max_size=5)
_STATUSES = st.sampled_from([200, 201, 202, 400, 403, 404, 418, 500])
_ABORTS = st.sampled_from([400, 403, 404, 500])
_HEADERS = st.dictionaries(st.sampled_from(["X-A", "X-B"]), _TEXT, max_size=2)
_JSON_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), _TEXT)


def values(*, bodies_only: bool = False) -> st.SearchStrategy[Value]:
    """Return values of every form; ``bodies_only`` leaves out tuples."""
    body = st.one_of(
        _TEXT.map(lambda s: Value("str", s)),
        _TEXT.map(lambda s: Value("bytes", s)),
        st.dictionaries(_TEXT, _JSON_SCALARS, max_size=3).map(lambda d: Value("dict", d)),
        st.lists(_JSON_SCALARS, max_size=3).map(lambda v: Value("list", v)),
        st.lists(_TEXT, max_size=3).map(lambda v: Value("generator", v)),
        st.builds(
            lambda s, c, h: Value("response", s, status=c, headers=h), _TEXT, _STATUSES, _HEADERS
        ),
        st.just(Value("none")),
        st.integers(0, 9).map(lambda n: Value("int", n)),
    )
    if bodies_only:
        return body
    tuples = st.one_of(
        st.tuples(body, _STATUSES).map(lambda t: Value("tuple", items=t)),
        st.tuples(body, _HEADERS).map(lambda t: Value("tuple", items=t)),
        st.tuples(body, _STATUSES, _HEADERS).map(lambda t: Value("tuple", items=t)),
    )
    return st.one_of(body, tuples)


def behaviours(stage: str) -> st.SearchStrategy[Behaviour]:
    """What a hook or view of ``stage`` may do."""
    probes = st.lists(st.sampled_from(_PROBES), max_size=3, unique=True).map(tuple)
    set_g = st.dictionaries(st.sampled_from(["k1", "k2"]), st.integers(0, 3), max_size=1)
    if stage == "after":
        endings = st.one_of(
            st.none(), values(bodies_only=True).filter(lambda v: v.form == "response")
        )
        return st.builds(Behaviour, probes=probes, set_g=set_g, returns=endings)
    if stage in ("teardown", "teardown_app", "error_handler"):
        returns = values() if stage == "error_handler" else st.none()
        return st.builds(Behaviour, probes=probes, set_g=set_g, returns=returns)
    return st.one_of(
        st.builds(Behaviour, probes=probes, set_g=set_g, returns=st.one_of(st.none(), values())),
        st.builds(Behaviour, probes=probes, set_g=set_g, raises=st.sampled_from(EXCEPTIONS)),
        st.builds(Behaviour, probes=probes, set_g=set_g, aborts=_ABORTS),
    )


@st.composite
def hook_lists(draw: st.DrawFn, *, min_size: int = 0, max_size: int = 6) -> list[Hook]:
    """Hooks of every stage, in registration order, with unique ids."""
    stages = draw(
        st.lists(
            st.sampled_from(
                [
                    "url_value_preprocessor",
                    "before",
                    "after",
                    "teardown",
                    "teardown_app",
                    "error_handler",
                ]
            ),
            min_size=min_size,
            max_size=max_size,
        )
    )
    hooks, handled = [], set()
    for n, stage in enumerate(stages):
        handles = None
        if stage == "error_handler":
            handles = draw(
                st.sampled_from([404, 500, *EXCEPTIONS]).filter(lambda h: h not in handled)
            )
            handled.add(handles)
        hooks.append(Hook(f"h{n}", stage, draw(behaviours(stage)), handles))  # type: ignore[arg-type]
    return hooks


def calls() -> st.SearchStrategy[Call]:
    return st.sampled_from([Call(path="/"), Call(path="/items/x"), Call(path="/missing")])


@st.composite
def scenarios(draw: st.DrawFn, *, max_hooks: int = 6, max_requests: int = 2) -> Scenario:
    """An app with a view at ``/`` and at ``/items/<name>``, hooks of every
    stage, and one or more requests, some to a missing route."""
    routes = (
        Route("/", "index", draw(behaviours("view"))),
        Route("/items/<name>", "item", draw(behaviours("view"))),
    )
    hooks = draw(hook_lists(max_size=max_hooks))
    requests = draw(st.lists(calls(), min_size=1, max_size=max_requests))
    return Scenario(routes, tuple(hooks), tuple(requests))
