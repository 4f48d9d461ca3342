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

from typing import Any

from hypothesis import strategies as st

from ._model import (
    BLUEPRINT_STAGES,
    EXCEPTIONS,
    HOOK_STAGES,
    SIGNALS,
    Behaviour,
    Blueprint,
    Call,
    Hook,
    Route,
    Scenario,
    Value,
)

__all__ = ["behaviours", "calls", "hook_lists", "scenarios", "values"]

_PROBES = (
    "request",
    "app",
    "g",
    "session.data",
    "endpoint",
    "view_args",
    "blueprints",
    "method",
    "path",
)
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
            lambda s, c, h: Value("text", s, status=c, headers=h), _TEXT, _STATUSES, _HEADERS
        ),
        st.builds(lambda s, c: Value("binary", s, status=c), _TEXT, _STATUSES),
        st.builds(
            lambda d, c: Value("json", d, status=c),
            st.dictionaries(_TEXT, _JSON_SCALARS, max_size=2),
            _STATUSES,
        ),
        st.lists(_TEXT, max_size=3).map(lambda v: Value("stream", v)),
        st.builds(lambda s, c: Value("wsgi", s, status=c), _TEXT, _STATUSES),
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
    # What only a request in progress can do: write the session, register a
    # callback for this request's response.
    in_request = {
        "set_session": st.dictionaries(st.just("s1"), st.integers(0, 3), max_size=1),
        "after_this_request": st.lists(st.sampled_from(["cb1", "cb2"]), max_size=1).map(tuple),
    }
    if stage == "after":
        endings = st.one_of(st.none(), values(bodies_only=True).filter(lambda v: v.form == "text"))
        return st.builds(Behaviour, probes=probes, set_g=set_g, returns=endings)
    if stage in ("teardown", "teardown_app", "error_handler", *SIGNALS):
        returns = values() if stage == "error_handler" else st.none()
        if stage in SIGNALS:  # a receiver only looks: what it returns is ignored
            return st.builds(Behaviour, probes=probes)
        if stage == "error_handler":
            return st.builds(Behaviour, probes=probes, set_g=set_g, returns=returns, **in_request)
        return st.builds(Behaviour, probes=probes, set_g=set_g, returns=returns)
    ends: list[dict[str, st.SearchStrategy[Any]]] = [
        {"returns": st.one_of(st.none(), values())},
        {"raises": st.sampled_from(EXCEPTIONS)},
        {"aborts": _ABORTS},
    ]
    return st.one_of(
        *(st.builds(Behaviour, probes=probes, set_g=set_g, **in_request, **end) for end in ends)
    )


@st.composite
def hook_lists(
    draw: st.DrawFn,
    *,
    min_size: int = 0,
    max_size: int = 6,
    blueprints: tuple[str, ...] = (),
) -> list[Hook]:
    """Hooks of every stage (signal receivers too), in registration order,
    with unique ids; with ``blueprints``, some are registered on them."""
    stages = draw(
        st.lists(
            st.sampled_from([*HOOK_STAGES]),
            min_size=min_size,
            max_size=max_size,
        )
    )
    hooks: list[Hook] = []
    handled: set[tuple[str | None, int | str]] = set()
    for n, stage in enumerate(stages):
        scope = None
        if blueprints and stage in BLUEPRINT_STAGES:
            scope = draw(st.sampled_from([None, *blueprints]))
        app_wide = scope is not None and draw(st.booleans())
        handles = None
        if stage == "error_handler":
            owner = None if app_wide else scope
            keys: list[int | str] = [404, 500, *EXCEPTIONS]
            free = [k for k in keys if (owner, k) not in handled]
            handles = draw(st.sampled_from(free))
            handled.add((owner, handles))
        does = draw(behaviours(stage))
        hooks.append(Hook(f"h{n}", stage, does, handles, scope, app_wide))  # type: ignore[arg-type]
    return hooks


def calls() -> st.SearchStrategy[Call]:
    paths = ["/", "/items/x", "/missing", "/outer/", "/outer/inner/v", "/outer/nope"]
    return st.sampled_from([Call(path=p) for p in paths])


@st.composite
def scenarios(draw: st.DrawFn, *, max_hooks: int = 6, max_requests: int = 2) -> Scenario:
    """An app with views at ``/`` and ``/items/{name}``, maybe a blueprint
    ``outer`` (view at ``/outer/``) with a nested ``inner`` (``/outer/inner/v``),
    hooks of every stage on any of them, and one or more requests, some to a
    missing route."""
    nesting = draw(st.integers(0, 2))
    blueprints = (Blueprint("outer", "/outer"), Blueprint("inner", "/inner", "outer"))[:nesting]
    routes = [
        Route("/", "index", draw(behaviours("view"))),
        Route("/items/{name}", "item", draw(behaviours("view"))),
    ]
    if nesting >= 1:
        routes.append(Route("/", "o", draw(behaviours("view")), blueprint="outer"))
    if nesting >= 2:
        routes.append(Route("/v", "v", draw(behaviours("view")), blueprint="inner"))
    names = tuple(b.name for b in blueprints)
    hooks = draw(hook_lists(max_size=max_hooks, blueprints=names))
    requests = draw(st.lists(calls(), min_size=1, max_size=max_requests))
    return Scenario(tuple(routes), tuple(hooks), tuple(requests), blueprints)
