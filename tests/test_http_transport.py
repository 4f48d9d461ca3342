"""The http transport: the suite through real servers on 127.0.0.1, every
server stopped however the run ends, and bad input refused in one line."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import requests

from adapters.reference import ReferenceAdapter
from conformance._errors import Divergence
from conformance._run import CLOSES_EARLY_WSGI, STEPS_IN_PROCESS, observe
from conformance.cli import main
from conformance.scenarios import scenario, teardown, view
from conformance.transports import Http
from conformance.transports._process import ANNOUNCE, ServerProcess
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
    # Divergences declared for one transport only differ by design, and so do
    # the scenarios with steps, which only the framework's test client can take.
    one_transport = {e.clause for e in _declared(adapter) if e.transports}
    # (and a response closed early, observed in process only: streaming area)
    steps = {
        c.id
        for c in over_http.results.clauses
        if c.tests
        and all(STEPS_IN_PROCESS in t.detail or CLOSES_EARLY_WSGI in t.detail for t in c.tests)
    }
    in_process = run_suite(adapter)
    assert in_process.results is not None, in_process.stderr
    applicable_steps = {
        c.id
        for c in in_process.results.clauses
        if c.area == "steps" and c.outcome != "not-applicable"
    }
    assert applicable_steps
    assert applicable_steps <= steps
    assert _without(outcomes(over_http), one_transport | steps) == _without(
        outcomes(in_process), one_transport | steps
    )
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
    # A response closed early is observed in process only (streaming area).
    selected = {
        cid: outcome
        for cid, outcome in outcomes(over_http).items()
        if not cid.startswith("streaming.closed-early.")
    }
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
    assert_no_server_left(tmp_path, how, "--adapter", "reference", "--server", server)


def assert_no_server_left(tmp_path: Path, how: signal.Signals, *args: str) -> None:
    """Start a run over http with ``args``, send it ``how`` once its server
    is up, and check that no process of the server's group is left."""
    announced = tmp_path / "servers.jsonl"
    run = start_run(announced, *args)
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


# -- nothing beyond 127.0.0.1, nothing left behind --


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rpartition(")")[2].split()[2]) == pgid:
                    members.append(int(entry.name))
            except OSError:
                continue
    return members


def socket_inodes(pid: int) -> set[int]:
    inodes = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(fd)
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(int(target[len("socket:[") : -1]))
    return inodes


def _address(hex_address: str) -> str:
    """An address of /proc/net/tcp{,6}: words of 32 bits in host order."""
    raw = bytes.fromhex(hex_address)
    host_order = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
    family = socket.AF_INET if len(raw) == 4 else socket.AF_INET6
    return socket.inet_ntop(family, host_order)


def listening_sockets() -> dict[int, str]:
    """Every socket of this machine that listens (TCP) or is bound (UDP), or
    listens on a Unix path, by inode: ``tcp 127.0.0.1:8000``."""
    found = {}
    for proto, listening_state in (("tcp", "0A"), ("tcp6", "0A"), ("udp", "07"), ("udp6", "07")):
        table = Path(f"/proc/net/{proto}")
        if not table.exists():
            continue
        for line in table.read_text().splitlines()[1:]:
            fields = line.split()
            host, port = fields[1].split(":")
            if fields[3] == listening_state:
                found[int(fields[9])] = f"{proto} {_address(host)}:{int(port, 16)}"
    for line in Path("/proc/net/unix").read_text().splitlines()[1:]:
        fields = line.split()
        if int(fields[3], 16) & 0x10000:  # __SO_ACCEPTCON: it listens
            found[int(fields[6])] = f"unix {fields[7] if len(fields) > 7 else '(unnamed)'}"
    return found


def files_under(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("adapter", "server"),
    [
        pytest.param("reference", "werkzeug", id="werkzeug"),
        pytest.param("reference", "gunicorn", id="gunicorn"),
        pytest.param("reference-asgi", "uvicorn", id="uvicorn"),
        pytest.param("reference-asgi", "hypercorn", id="hypercorn"),
        pytest.param("bottle", "bottle", id="bottle"),
    ],
)
def test_a_server_listens_on_127_0_0_1_alone_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, adapter: str, server: str
):
    """Every socket the server's process group listens on is the suite's, on
    127.0.0.1 and its port; once stopped no process of the group is left, and
    no file appeared in its home, temporary or working directory."""
    from conformance._loading import load_adapter

    folders = [tmp_path / name for name in ("home", "tmp", "work")]
    for folder in folders:
        folder.mkdir()
    monkeypatch.setenv("HOME", str(folders[0]))
    monkeypatch.setenv("TMPDIR", str(folders[1]))
    monkeypatch.chdir(folders[2])
    loaded = load_adapter(adapter)
    transport = Http(adapter, loaded, server)
    try:
        x = observe(loaded, scenario(view()), transport).only
        assert (x.status, x.text) == (200, "ok")  # every worker is up and has served
        assert transport.process is not None
        pgid, port = transport.process.pid, transport.process.port
        assert pgid is not None
        members = group_members(pgid)
        inodes = set().union(*(socket_inodes(pid) for pid in members))
        listens = {a for inode, a in listening_sockets().items() if inode in inodes}
        assert listens == {f"tcp 127.0.0.1:{port}"}, (members, listens)
    finally:
        transport.close()
    assert_gone({"pid": pgid, "port": port})
    assert files_under(*folders) == []


def test_the_secret_is_on_neither_the_command_line_nor_the_environment_of_the_server():
    """Any user of the machine can read a process's command line: the secret
    goes on the server's stdin, and a request without it is refused."""
    process = ServerProcess("reference", "werkzeug")
    try:
        process.start()
        assert process.pid is not None
        assert len(process.secret) >= 32
        for pid in group_members(process.pid):
            for what in ("cmdline", "environ"):
                assert process.secret.encode() not in Path(f"/proc/{pid}/{what}").read_bytes()
        ping = f"{process.url}/__conformance__/ping"
        assert requests.get(ping, timeout=10).status_code == 403
        assert requests.get(ping, headers=process.headers, timeout=10).status_code == 200
    finally:
        process.stop()


def test_each_server_process_has_a_secret_of_its_own():
    first, second = ServerProcess("reference", "werkzeug"), ServerProcess("reference", "werkzeug")
    try:
        first.start()
        second.start()
        assert first.secret != second.secret
        ping = f"{second.url}/__conformance__/ping"
        assert requests.get(ping, headers=first.headers, timeout=10).status_code == 403
    finally:
        first.stop()
        second.stop()


@pytest.mark.parametrize(
    ("url", "path", "says"),
    [
        pytest.param(
            "http://evil.example:8000/x", "/x", "would go to evil.example:8000", id="host"
        ),
        pytest.param("http://127.0.0.1:8001/x", "/x", "would go to 127.0.0.1:8001", id="port"),
        pytest.param("https://127.0.0.1:8000/x", "/x", "would go to", id="scheme"),
        pytest.param("http://127.0.0.1:8000/y", "/x", "would be sent as '/y'", id="path"),
    ],
)
def test_a_request_that_would_not_reach_the_server_as_written_is_a_harness_error(
    url: str, path: str, says: str
):
    """The second lock behind validation: whatever path passed, the URL the
    transport sends is checked to go to its server, with that path."""
    from conformance._errors import HarnessError
    from conformance._model import Call
    from conformance.transports._http import _check_addressed

    prepared = requests.Request("GET", url).prepare()
    with pytest.raises(HarnessError, match=re.escape(says)):
        _check_addressed(prepared, "http://127.0.0.1:8000", Call(path=path))


def _declared(adapter: str) -> list[Any]:
    """The divergences the adapter named ``adapter`` declares."""
    from conformance import registry
    from conformance._expectations import load_expectations

    path = Path(__file__).parents[1] / "adapters" / adapter / "expectations.toml"
    return load_expectations(path, registry()) if path.exists() else []


def _without(got: dict[str, Any], clauses: set[str]) -> dict[str, Any]:
    return {cid: outcome for cid, outcome in got.items() if cid not in clauses}
