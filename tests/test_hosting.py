"""A server that hosts each scenario's app itself (``Server.host``, Sanic's kind): the
suite's side of it, with a host that serves nothing, so no framework is needed."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from typing import Any, ClassVar

import pytest

from conformance._errors import HarnessError
from conformance._model import Scenario
from conformance._recorder import Recorder
from conformance.contract import ScenarioRequests
from conformance.kit import call_asgi
from conformance.scenarios import scenario, view
from conformance.transports import Http
from conformance.transports._control import CALL_HEADER, ERROR_HEADER, SECRET_HEADER
from conformance.transports._dispatch import Dispatcher
from conformance.transports._hosting import Hosting


class Built:
    """What the fake adapter builds: the scenario, to tell apps apart."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario


class Fake:
    name, interface = "fake", "asgi"

    def build(self, scenario: Scenario, recorder: Recorder) -> Built:
        if scenario.routes and scenario.routes[0].endpoint == "unbuildable":
            raise ValueError("cannot build it")
        return Built(scenario)


class Host:
    """A host that records what it was handed and when it was stopped."""

    def __init__(self, fails: bool = False) -> None:
        self.fails = fails
        self.hosted: list[tuple[Built, socket.socket, ScenarioRequests]] = []
        self.stopped: list[Built] = []

    async def __call__(self, app: Built, sock: socket.socket, requests: ScenarioRequests) -> Any:
        if self.fails:
            raise OSError("no server today")
        self.hosted.append((app, sock, requests))

        async def stop() -> None:
            self.stopped.append(app)

        return stop


SECRET = "the-runs-secret"


def load(hosting: Hosting, body: bytes) -> tuple[int, dict[str, str], dict[str, Any]]:
    secret = [(SECRET_HEADER, SECRET)]
    status, headers, answer = asyncio.run(
        call_asgi(hosting.asgi, "POST", "/__conformance__/scenario", "", secret, body)
    )
    return status, dict(headers), json.loads(answer)


@pytest.fixture
def host() -> Host:
    return Host()


@pytest.fixture
def served(host: Host) -> Iterator[Hosting]:
    hosting = Hosting(Dispatcher(Fake(), SECRET), host)  # type: ignore[arg-type]  # only build is used
    yield hosting
    asyncio.run(hosting.close())  # the last scenario's server, and its socket


def test_a_loaded_scenario_is_served_on_a_fresh_loopback_socket_named_in_the_answer(host, served):
    status, _, answer = load(served, scenario(view()).dumps().encode())
    [(app, sock, _)] = host.hosted
    assert (status, app.scenario) == (200, scenario(view()))
    assert sock.getsockname()[0] == "127.0.0.1"
    assert answer == {"scenario": 1, "base": f"http://127.0.0.1:{sock.getsockname()[1]}"}


def test_the_next_scenario_stops_the_last_ones_server_and_closes_its_socket(host, served):
    first, second = scenario(view()), scenario(view(), view("other", "/other"))
    load(served, first.dumps().encode())
    assert host.stopped == []
    load(served, second.dumps().encode())
    assert [app.scenario for app in host.stopped] == [first]
    assert [sock.fileno() == -1 for _, sock, _ in host.hosted] == [True, False]  # closed


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param(b"not json", 400, id="not-a-scenario"),
        pytest.param(scenario(view("unbuildable")).dumps().encode(), 500, id="build-fails"),
    ],
)
def test_a_scenario_the_dispatcher_refuses_starts_no_server(host, served, body, status):
    got, headers, answer = load(served, body)
    assert (got, headers.get(ERROR_HEADER.lower()), host.hosted) == (status, "1", [])
    assert "base" not in answer


def test_a_host_that_fails_is_a_harness_error_answer(host, served):
    host.fails = True
    got, headers, answer = load(served, scenario(view()).dumps().encode())
    assert (got, headers.get(ERROR_HEADER.lower())) == (500, "1")
    assert answer == {"error": "could not serve the scenario: OSError: no server today"}


def test_a_request_tagged_for_the_scenario_is_begun_and_finished_there(host, served):
    load(served, scenario(view()).dumps().encode())
    [(_, _, requests)] = host.hosted
    begun = requests.begin("1/0", SECRET)
    assert (requests.header, begun.refusal) == (CALL_HEADER, None)
    begun.finish(["Content-Type", "X-Own"], None)
    loaded = served.dispatcher.loaded[1]
    assert (loaded.all_finished(), loaded.header_names[0]) == (True, ["content-type", "x-own"])


@pytest.mark.parametrize(
    ("tag", "status"), [(None, 400), ("1/x", 400), ("0/0", 404), ("2/0", 404), ("1/1", 400)]
)
def test_a_request_not_tagged_for_the_scenario_is_refused_without_the_app(
    host, served, tag, status
):
    load(served, scenario(view()).dumps().encode())
    [(_, _, requests)] = host.hosted
    refusal = requests.begin(tag, SECRET).refusal
    assert refusal is not None
    assert (refusal.status, dict(refusal.headers).get(ERROR_HEADER)) == (status, "1")


def test_a_request_tagged_for_another_loaded_scenario_is_refused_there(host, served):
    load(served, scenario(view()).dumps().encode())
    load(served, scenario(view()).dumps().encode())
    [(_, _, first), _] = host.hosted
    refusal = first.begin("2/0", SECRET).refusal  # scenario 2's request at scenario 1's server
    assert refusal is not None
    assert refusal.status == 409


@pytest.mark.parametrize("secret", [None, "", "the-runs-secreT", SECRET + "x"])
def test_a_request_without_the_runs_secret_is_refused_without_the_app(host, served, secret):
    load(served, scenario(view()).dumps().encode())
    [(_, _, requests)] = host.hosted
    refusal = requests.begin("1/0", secret).refusal
    assert refusal is not None
    assert (refusal.status, dict(refusal.headers).get(ERROR_HEADER)) == (403, "1")
    assert not served.dispatcher.loaded[1].all_finished()  # nothing of the scenario's was touched


class Started:
    """A server process as far as ``_load`` needs one: the headers it takes."""

    headers: ClassVar[dict[str, str]] = {SECRET_HEADER: SECRET}


class Answering:
    """A control session answering every load with ``payload``."""

    def __init__(self, payload: dict[str, Any]) -> None:
        self.payload = payload

    def post(self, *args: Any, **kwargs: Any) -> Any:
        payload = self.payload

        class Response:
            status_code = 200

            def json(self) -> dict[str, Any]:
                return payload

        return Response()


@pytest.mark.parametrize(
    "base",
    ["http://10.0.0.1:8000", "http://localhost:8000", "https://127.0.0.1:1", "http://127.0.0.1"],
)
def test_the_suite_sends_a_scenarios_requests_nowhere_but_127_0_0_1(base):
    from adapters.reference import ReferenceAsgiAdapter

    transport = Http("reference-asgi", ReferenceAsgiAdapter())
    transport._control = Answering({"scenario": 1, "base": base})  # type: ignore[assignment]
    transport.process = Started()  # type: ignore[assignment]
    with pytest.raises(HarnessError, match=r"not 127\.0\.0\.1"):
        transport._load("http://127.0.0.1:1", scenario(view()))


def test_without_a_base_the_scenarios_requests_go_to_the_control_url():
    from adapters.reference import ReferenceAsgiAdapter

    transport = Http("reference-asgi", ReferenceAsgiAdapter())
    transport._control = Answering({"scenario": 3})  # type: ignore[assignment]
    transport.process = Started()  # type: ignore[assignment]
    assert transport._load("http://127.0.0.1:1", scenario(view())) == (3, "http://127.0.0.1:1")
