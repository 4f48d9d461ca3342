"""Sanic, through its adapter, runs the whole suite with no unexpected outcome,
in process (sanic-testing's ASGI client), under Sanic's own server (each scenario's
app on a socket of its own, in one process) and under uvicorn (Sanic's ASGI mode)."""

from __future__ import annotations

import inspect
import os
import signal
import warnings
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import pytest
import requests

from conformance.scenarios import class_view, response, scenario, view
from conformance.transports import Http, choose_server
from conformance.transports._control import CALL_HEADER
from tests.adapter_checks import assert_keeps_its_declarations
from tests.test_http_transport import assert_gone, assert_no_server_left, listening

pytestmark = pytest.mark.skipif(
    find_spec("sanic") is None or find_spec("sanic_testing") is None,
    reason="Sanic is not installed: pip install sanic sanic-testing",
)
ADAPTER = "adapters.sanic:SanicAdapter"
ON_PROC = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists() or not hasattr(os, "killpg"),
    reason="the checks read a server's processes and sockets from /proc",
)


def sanic_adapter() -> Any:
    # Imported here, as the module skips without Sanic; sanic-testing imports the
    # legacy websockets API, which warns (a warning the project's tests make an error).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        from adapters.sanic import SanicAdapter

    return SanicAdapter()


@pytest.mark.parametrize(
    "transport",
    [(), ("--transport", "http"), ("--transport", "http", "--server", "uvicorn")],
    ids=["in-process", "http-sanic", "http-uvicorn"],
)
def test_sanic_fails_only_its_declared_divergences(run_suite, transport):
    """Every clause passes on the installed Sanic, or fails as its adapter declares, or is
    not applicable for a concept Sanic lacks."""
    assert_keeps_its_declarations(run_suite(ADAPTER, *transport), sanic_adapter())


def test_sanic_runs_under_its_own_server_by_default_over_http(run_suite):
    run = run_suite(ADAPTER, "--transport", "http")
    assert run.results is not None, run.stderr
    assert (choose_server(sanic_adapter()).name, run.results.transport) == ("sanic", "http/sanic")


# -- Sanic's own server: what serves the requests, and what it leaves behind --


def group(pid: int) -> list[int]:
    """The live processes of process group ``pid``."""
    members = []
    for entry in Path("/proc").iterdir():
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if entry.name.isdigit() and int(fields[2]) == pid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def listening_sockets(pid: int) -> list[tuple[str, int]]:
    """(address, port) of every TCP socket process ``pid`` listens on."""
    links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
    inodes = {link[8:-1] for link in links if link.startswith("socket:[")}
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state, inode = line.split()[1], line.split()[3], line.split()[9]
            if state == "0A" and inode in inodes:  # LISTEN
                address, port = local.rsplit(":", 1)
                found.append(("127.0.0.1" if address == "0100007F" else address, int(port, 16)))
    return sorted(found)


def server_pid(transport: Http) -> int:
    pid = None if transport.process is None else transport.process.pid
    assert pid is not None, "the server was started"
    return pid


def port(url: str) -> int:
    return int(url.rpartition(":")[2])


def served(server: str) -> tuple[str, str, requests.Response, list[int]]:
    """Under ``server``: the control URL, a scenario's URL, its reply to one request, and
    the processes of the server's group."""
    adapter = sanic_adapter()
    transport = Http(ADAPTER, adapter, server)
    try:
        control = transport._started(adapter)
        number, base = transport._load(control, scenario(view(returns=response("ok"))))
        secret = transport._headers()  # the run's secret, which every request needs
        reply = requests.get(f"{base}/", headers={CALL_HEADER: f"{number}/0", **secret}, timeout=30)
        return control, base, reply, group(server_pid(transport))
    finally:
        transport.close()


@ON_PROC
def test_over_http_each_scenario_is_served_by_sanics_own_server_in_one_process():
    """Sanic's server answers on a port of its own for the scenario, without the Date and
    Server headers that uvicorn (and every other server the suite knows) adds, from a
    server process that forked no worker."""
    control, base, reply, processes = served("sanic")
    assert (reply.status_code, reply.text) == (200, "ok")
    assert port(base) != port(control)
    assert {"server", "date"}.isdisjoint(name.lower() for name in reply.headers), reply.headers
    assert len(processes) == 1, processes


@ON_PROC
def test_under_uvicorn_the_same_check_sees_uvicorn():
    """The contrast that makes the check above mean something: under ``--server uvicorn``
    the dispatcher's own port serves the scenario, and uvicorn names itself."""
    control, base, reply, _ = served("uvicorn")
    assert (reply.status_code, reply.text, base) == (200, "ok", control)
    assert reply.headers.get("server") == "uvicorn"


@ON_PROC
def test_a_scenarios_server_stops_when_the_next_loads_and_every_socket_with_the_run():
    """Only the control socket and the newest scenario's listen, both on 127.0.0.1; the
    last scenario's port refuses connections once the next is loaded; after the run the
    process and every port are gone."""
    adapter = sanic_adapter()
    transport = Http(ADAPTER, adapter)
    try:
        control = transport._started(adapter)
        pid = server_pid(transport)
        bases = [transport._load(control, scenario(view()))[1] for _ in range(5)]
        sockets = listening_sockets(pid)
        newest = port(bases[-1])
        old = [port(b) for b in bases[:-1] if port(b) != newest]  # a port given again is newest's
        assert ([listening(p) for p in old], listening(newest)) == ([False] * len(old), True)
    finally:
        transport.close()
    assert sockets == sorted([("127.0.0.1", port(control)), ("127.0.0.1", port(bases[-1]))])
    assert_gone({"pid": pid, "port": port(control)})
    assert not listening(port(bases[-1]))


@ON_PROC
def test_a_request_without_its_tag_is_refused_by_the_harness_not_answered_by_the_app():
    adapter = sanic_adapter()
    transport = Http(ADAPTER, adapter)
    try:
        control = transport._started(adapter)
        number, base = transport._load(control, scenario(view(returns=response("ok"))))
        secret = transport._headers()
        untagged = requests.get(f"{base}/", headers=secret, timeout=30)
        stale = requests.get(
            f"{base}/", headers={CALL_HEADER: f"{number - 1}/0", **secret}, timeout=30
        )
        no_secret = requests.get(f"{base}/", headers={CALL_HEADER: f"{number}/0"}, timeout=30)
    finally:
        transport.close()
    got = [
        (r.status_code, r.headers.get("X-Conformance-Error")) for r in (untagged, stale, no_secret)
    ]
    assert got == [(400, "1"), (404, "1"), (403, "1")]
    assert all(r.text != "ok" for r in (untagged, stale, no_secret))


@ON_PROC
@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGKILL], ids=["interrupted", "killed"])
def test_no_sanic_server_is_left_after_a_run_is_interrupted_or_killed(tmp_path: Path, how):
    assert_no_server_left(tmp_path, how, "--adapter", ADAPTER)


def test_sanic_keeps_its_own_promises(run_suite):
    """Every clause of Sanic's own documentation passes."""
    run = run_suite(ADAPTER)
    assert run.results is not None, run.stderr
    own = {c.id: c.outcome for c in run.results.clauses if c.id.startswith("sanic.")}
    assert len(own) >= 3, own
    assert set(own.values()) == {"pass"}, own


def test_a_405_lists_head_only_where_the_framework_answers_head_itself(run_suite):
    """Sanic answers HEAD only on a route that lists it: the Allow header of a 405 is
    expected to leave HEAD out, as it leaves OPTIONS out where OPTIONS is not automatic."""
    run = run_suite(ADAPTER, "--clause", "routing.method-not-allowed.allow-header")
    assert run.results is not None, run.stderr
    assert [(c.id, c.outcome) for c in run.results.clauses] == [
        ("routing.method-not-allowed.allow-header", "pass")
    ]


# -- What the adapter translates into Sanic's own constructs --


def built(*parts: Any, **options: Any) -> Any:
    """The Sanic app the adapter builds for a scenario of ``parts``."""
    from conformance.kit import Recorder

    return sanic_adapter().build(scenario(*parts, **options), Recorder()).app


@pytest.mark.parametrize("debug", [True, False])
def test_the_debug_setting_reaches_sanics_own_debug_mode(debug: bool) -> None:
    """config debug sets the app's mode as app.run(debug=True) does: app.debug, which Sanic's
    error handler reads, says so; a scenario that leaves it out runs in production mode."""
    app = built(view(), config={"debug": True} if debug else {})
    assert (app.debug, app.error_handler.debug) == (debug, debug)


@pytest.mark.parametrize(("mode", "coroutine"), [("sync", False), ("async", True), (None, True)])
def test_a_view_is_the_kind_of_function_the_scenario_asks_for(mode: Any, coroutine: bool) -> None:
    """A view written plain is a plain function on Sanic's route, which Sanic calls as it is;
    async def is the adapter's own choice when the scenario leaves it open."""
    (route,) = built(view(mode=mode)).router.routes
    assert inspect.iscoroutinefunction(route.handler) is coroutine


def test_a_view_class_is_an_http_method_view_with_its_decorators() -> None:
    """A class-based view is Sanic's HTTPMethodView, whose methods are what the route accepts,
    and whose decorators attribute lists the scenario's decorators."""
    from sanic.views import HTTPMethodView

    (route,) = built(
        class_view(kind="method_view", methods=["GET", "PUT"], decorators=["d"])
    ).router.routes
    view_class = route.handler.view_class
    assert issubclass(view_class, HTTPMethodView)
    assert (sorted(route.methods), len(view_class.decorators)) == (["GET", "PUT"], 1)


def test_a_probe_before_any_request_finds_no_current_request() -> None:
    """A test's own probe step asks Sanic for its current request (Request.get_current()),
    which there is none of before the first request."""
    from conformance import run_scenario
    from conformance.scenarios import probe, send

    steps = [probe("p", probes=["request"]), send()]
    obs = run_scenario(sanic_adapter(), scenario(view(), steps=steps))
    assert [e.seen for e in obs.steps if e.hook == "p"] == [{"request": False}]
