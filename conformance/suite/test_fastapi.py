"""FastAPI's own promises: dependencies with yield (the finally stage) and
dependencies raising HTTPException (the pre-dispatch stage)."""

import pytest

from conformance import clause
from conformance.checks import same
from conformance.scenarios import (
    before,
    error_handler,
    response,
    scenario,
    stream,
    teardown,
    view,
    wrap,
)


@clause("fastapi.dependencies.http-exception-skips-path-operation")
def test_http_exception_in_a_dependency_skips_the_path_operation(observe):
    """A dependency that raises HTTPException ends the request: the path operation function is not
    called, and the response is that HTTP error's."""
    x = observe(scenario(before("d", aborts=403), view(returns=response("view")))).only
    same((x.order(), x.status), (["d"], 403), "call order and status")


@clause("fastapi.yield.exit-handed-exception")
@pytest.mark.parametrize(
    ("view_does", "handed"),
    [
        pytest.param({"aborts": 404}, 404, id="http-exception"),
        pytest.param({"raises": "ValueError"}, "ValueError", id="value-error"),
    ],
)
def test_the_exit_code_is_handed_the_path_operations_exception(observe, view_does, handed):
    """The exit code of a dependency with yield is handed the exception the path operation raised,
    HTTPException included."""
    x = observe(scenario(teardown("t", probes=["exception"]), view(**view_does))).only
    same(x.order(), ["index", "t"], "call order")
    same(x.seen("t", "exception"), handed, "exception handed to the exit code")


@clause("fastapi.yield.exit-before-exception-handler")
@pytest.mark.parametrize(
    ("handles", "view_does"),
    [
        pytest.param(404, {"aborts": 404}, id="status-handler"),
        pytest.param("ValueError", {"raises": "ValueError"}, id="class-handler"),
    ],
)
def test_the_exit_code_runs_before_the_exception_handler(observe, handles, view_does):
    """When the path operation raises an exception an exception handler takes, the exit code of a
    dependency with yield runs before that handler."""
    x = observe(
        scenario(
            teardown("t"),
            error_handler("h", handles, returns=response("handled", 418)),
            view(**view_does),
        )
    ).only
    same(x.order(), ["index", "t", "h"], "call order")


@clause("fastapi.yield.exit-after-middleware")
def test_the_exit_code_runs_after_the_middleware(observe):
    """The exit code of a dependency with yield runs after the middleware has handed on the
    response."""
    x = observe(scenario(wrap("m"), teardown("t"), view())).only
    same(x.order(), ["m", "index", "m/exit", "t"], "call order")


@clause("fastapi.yield.exit-after-response-sent")
def test_the_exit_code_runs_after_the_last_chunk(observe):
    """The exit code of a dependency with yield of the default scope runs after the response has
    been sent: after the last chunk of a streamed body."""
    x = observe(scenario(teardown("t"), view(returns=stream("x", "y")))).only
    same(x.order(), ["index", "chunk0", "chunk1", "t"], "call order")
