"""The http transport: the suite through real servers on 127.0.0.1, every
server stopped however the run ends, and bad input refused in one line."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from adapters.reference import ReferenceAdapter
from conformance._errors import Divergence
from conformance._run import observe
from conformance.cli import main
from conformance.scenarios import scenario, teardown, view
from conformance.transports import Http
from conformance.transports._process import ANNOUNCE
from tests.conftest import ROOT, Run, cli
from tests.fake_adapters.slow_close import CLOSE_TAKES, SlowClose
from tests.test_cli import assert_one_line_error

USAGE = 2
pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(os, "killpg"),
    reason="the http transport runs servers as POSIX process groups; the checks read /proc",
)


def outcomes(run: Run) -> dict[str, tuple[str, bool]]:
    """Each clause's outcome, and whether it is a declared divergence."""
    assert run.results is not None, run.stderr
    return {c.id: (c.outcome, c.expected is not None) for c in run.results.clauses}


@pytest.mark.parametrize(
    ("adapter", "server"),
    [
        pytest.param("reference", "werkzeug", id="reference-werkzeug"),
        pytest.param("reference-asgi", "uvicorn", id="reference-asgi-uvicorn"),
        pytest.param("flask", "werkzeug", id="flask-werkzeug"),
    ],
)
def test_every_clause_has_its_in_process_outcome_over_http(run_suite, adapter, server):
    """The whole suite under each adapter's default server gives what it gives
    in process: the reference framework passes every clause, Flask all but its
    declared divergences, which still fail (tests/test_conformance.py)."""
    over_http = run_suite(adapter, "--transport", "http")
    assert over_http.results is not None, over_http.stderr
    assert over_http.results.transport == f"http/{server}"
    assert outcomes(over_http) == outcomes(run_suite(adapter))
    assert over_http.code == 0, over_http.stdout[-3000:]


# What a server changes most: events after the response (teardown, stream
# ends), exceptions escaping into it, cookies across requests, concurrency.
LATE = ("--clause", "streaming.*", "--clause", "errors.teardown*", "--clause", "session.*")


@pytest.mark.parametrize(
    ("adapter", "server"),
    [
        pytest.param("reference", "gunicorn", id="reference-gunicorn"),
        pytest.param("reference-asgi", "hypercorn", id="reference-asgi-hypercorn"),
        pytest.param("flask", "gunicorn", id="flask-gunicorn"),
    ],
)
def test_late_events_and_escapes_pass_under_the_other_servers(run_suite, adapter, server):
    over_http = run_suite(adapter, "--transport", "http", "--server", server, *LATE)
    assert over_http.results is not None, over_http.stderr
    assert over_http.results.transport == f"http/{server}"
    selected = outcomes(over_http)
    assert selected, "the selection ran no clause"
    in_process = outcomes(run_suite(adapter))
    assert selected == {cid: in_process[cid] for cid in selected}
    assert over_http.code == 0, over_http.stdout[-3000:]


def test_gunicorn_leaves_no_control_socket_in_the_home_directory(tmp_path, monkeypatch):
    """gunicorn 25+ opens a control socket at ~/.gunicorn/gunicorn.ctl unless told
    not to: a server of the suite writes nothing outside its run."""
    monkeypatch.setenv("HOME", str(tmp_path))
    transport = Http("reference", ReferenceAdapter(), "gunicorn")
    try:
        x = observe(ReferenceAdapter(), scenario(view()), transport).only
        assert (x.status, x.text) == (200, "ok")
    finally:
        transport.close()
    assert list(tmp_path.iterdir()) == []


def test_a_request_that_does_not_finish_fails_within_the_bound_with_a_clear_message():
    """A body the server cannot close (a hung teardown) is waited for only
    ``finish_timeout``; the failure names the request and what it recorded."""
    transport = Http("tests.fake_adapters.slow_close:SlowClose", SlowClose(), "werkzeug")
    transport.finish_timeout = 0.5
    try:
        start = time.monotonic()
        with pytest.raises(Divergence, match=r"request 0 \(GET /\) finished") as failure:
            observe(SlowClose(), scenario(teardown("t"), view()), transport)
        assert time.monotonic() - start < CLOSE_TAKES
        assert "still running; its events so far: ['index', 't']" in str(failure.value)
    finally:
        transport.close()


# -- no server outlives its run --


def servers_started(announced: Path) -> list[dict[str, int]]:
    if not announced.exists():
        return []
    return [json.loads(line) for line in announced.read_text().splitlines()]


def group_alive(pgid: int) -> bool:
    """Whether any process of group ``pgid`` still runs (zombies hold nothing)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def assert_gone(server: dict[str, int], within: float = 5.0) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline and (group_alive(server["pid"]) or listening(server["port"])):
        time.sleep(0.05)
    assert not group_alive(server["pid"]), f"server processes left behind: {server}"
    assert not listening(server["port"]), f"a socket still listens: {server}"


def start_run(announced: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), ANNOUNCE: str(announced)}
    return subprocess.Popen(
        [sys.executable, "-m", "conformance", "run", "--transport", "http", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_for_server(announced: Path, run: subprocess.Popen[str]) -> dict[str, int]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and run.poll() is None:
        started = servers_started(announced)
        if started:
            time.sleep(0.5)  # well into the run
            return started[0]
        time.sleep(0.05)
    raise AssertionError(f"no server was started: {run.communicate()[0][-2000:]}")


def test_no_server_is_left_after_a_run_with_failures(tmp_path: Path):
    announced = tmp_path / "servers.jsonl"
    mutant = "tests.mutants:teardown_appcontext_before_teardown_request"
    run = start_run(announced, "--adapter", mutant, "--clause", "hooks.*")
    output, _ = run.communicate(timeout=120)
    assert run.returncode == 1, output[-2000:]
    [server] = servers_started(announced)
    assert_gone(server)


@pytest.mark.parametrize(
    ("how", "server"),
    [
        pytest.param(signal.SIGINT, "werkzeug", id="interrupted-werkzeug"),
        pytest.param(signal.SIGINT, "gunicorn", id="interrupted-gunicorn"),
        pytest.param(signal.SIGKILL, "werkzeug", id="killed-werkzeug"),
        pytest.param(signal.SIGKILL, "gunicorn", id="killed-gunicorn"),
    ],
)
def test_no_server_is_left_after_a_run_is_interrupted_or_killed(tmp_path: Path, how, server):
    """Interrupted (Ctrl-C), the run stops its server on the way out; killed,
    it cannot, and the server notices its pipe close and ends its group."""
    announced = tmp_path / "servers.jsonl"
    run = start_run(announced, "--adapter", "reference", "--server", server)
    try:
        started = wait_for_server(announced, run)
        run.send_signal(how)
        run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            run.kill()
    assert_gone(started)


# -- bad input --


def test_an_unknown_server_is_refused_with_the_known_names():
    proc = cli("run", "--adapter", "reference", "--transport", "http", "--server", "nginx")
    assert_one_line_error(proc, "unknown server 'nginx'", "gunicorn", "werkzeug")


def one_line_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(["run", "--adapter", *argv])
    err = capsys.readouterr().err
    assert code == USAGE
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        pytest.param(
            ["reference-asgi", "--transport", "http", "--server", "gunicorn"],
            ["serves WSGI apps", "'reference-asgi' is ASGI", "hypercorn, uvicorn"],
            id="wsgi-server-for-an-asgi-app",
        ),
        pytest.param(
            ["reference", "--server", "werkzeug"],
            ["--server werkzeug needs --transport http"],
            id="server-without-http",
        ),
    ],
)
def test_a_server_that_cannot_serve_the_adapter_is_refused(capsys, argv, fragments):
    line = one_line_error(capsys, *argv)
    assert all(f in line for f in fragments), line


def test_a_server_that_is_not_installed_is_refused_with_the_install_command(
    capsys, monkeypatch: pytest.MonkeyPatch
):
    from conformance.transports import _servers

    real: Callable[[str], object] = _servers.find_spec
    monkeypatch.setattr(_servers, "find_spec", lambda m: None if m == "gunicorn" else real(m))
    line = one_line_error(capsys, "reference", "--transport", "http", "--server", "gunicorn")
    assert "needs 'gunicorn'" in line
    assert "pip install 'lifecycle-conformance[http]'" in line


def test_the_pytest_plugin_refuses_an_unknown_server(pytester: pytest.Pytester):
    result = pytester.runpytest_subprocess(
        "--pyargs", "conformance.suite", "-p", "no:cacheprovider", "--adapter", "reference",
        "--transport", "http", "--server", "nginx",
    )  # fmt: skip
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*unknown server 'nginx'*"])


def test_the_server_is_the_adapters_own_choice_else_the_default_for_its_interface():
    from adapters.reference import ReferenceAdapter, ReferenceAsgiAdapter
    from conformance.transports import choose_server

    class OwnServer(ReferenceAsgiAdapter):
        server = "hypercorn"

    adapters = (ReferenceAdapter(), ReferenceAsgiAdapter(), OwnServer())
    assert [choose_server(a).name for a in adapters] == ["werkzeug", "uvicorn", "hypercorn"]
    assert choose_server(OwnServer(), "uvicorn").name == "uvicorn"


def test_the_dispatcher_passes_on_headers_an_app_sends_as_a_one_shot_iterable():
    """ASGI headers are any iterable: the dispatcher reads a generator (as Sanic's
    ASGI mode sends them) once, and the server still gets every header."""
    import asyncio

    from conformance._model import Scenario
    from conformance.transports._dispatch import Dispatcher

    async def app(scope: dict, receive: Callable, send: Callable) -> None:
        headers = ((name, value) for name, value in [(b"x-kept", b"kept")])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    class OneApp:
        name, interface = "one-app", "asgi"

        def build(self, scenario: Scenario, recorder: object) -> Callable:
            return app

    dispatcher = Dispatcher(OneApp(), "secret")  # type: ignore[arg-type]  # only build is used
    number = dispatcher._load(Scenario().dumps().encode())[1]["scenario"]  # type: ignore[index, call-overload]
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b""}

    async def send(message: dict) -> None:
        sent.append(message)

    tag = [(b"x-conformance-call", f"{number}/0".encode()), (b"x-conformance-secret", b"secret")]
    scope = {"type": "http", "path": "/", "method": "GET", "headers": tag, "query_string": b""}
    asyncio.run(dispatcher.asgi(scope, receive, send))
    assert list(sent[0]["headers"]) == [(b"x-kept", b"kept")]
    assert dispatcher.loaded[number].header_names[0] == ["x-kept"]
