"""The pytest plugin's body: ``ConformancePlugin``, registered by
``conformance.plugin`` at configure time, holds one run's state.

It checks every conformance test names exactly one known clause, applies the
clause's version condition and the adapter's declared divergences (what to
run and how: ``_selection``), gives tests the ``observe`` fixture, sorts each
test into one of four outcomes, writes the results and ends the run with
the clause counts and a line for each clause that fails it (``_terminal``).
"""

from __future__ import annotations

import os
import platform
import signal
import threading
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

from ._errors import ConformanceError, NotApplicable
from ._expectations import Expectation
from ._loading import built_on, known_adapters
from ._model import Observation, Scenario
from ._options import RunOptions
from ._outcomes import DECLARED, NOT_APPLICABLE, OBSERVATION, SCENARIO, classify
from ._run import observe
from ._selection import clause_of, is_conformance_test, select
from ._spec import Registry, registry
from ._terminal import failure_line
from .checks import comparisons_made
from .contract import Adapter
from .reporting import ClauseResult, Results, TestResult
from .reporting._junit import write_junit
from .transports import Transport, kill_all, make_transport


@dataclass
class RunState:
    """One conformance run: the adapter, what it is expected to do, and the results."""

    adapter: Adapter
    version: str
    transport: Transport
    registry: Registry
    expectations: dict[str, Expectation]
    results: Results
    results_path: Path | None = None
    junit_path: Path | None = None
    tests: dict[str, list[TestResult]] = field(default_factory=dict)
    t0: float = field(default_factory=time.perf_counter)
    selected: int = 0  # conformance tests selected to run
    selected_ids: set[str] = field(default_factory=set)
    finished: set[str] = field(default_factory=set)  # node ids whose teardown has run
    terminated: bool = False  # the run got SIGTERM
    save_error: str = ""

    @classmethod
    def start(cls, options: RunOptions) -> RunState:
        """The run ``options`` ask for, its transport made (a server starts
        with the first scenario)."""
        adapter, installed = options.adapter, options.framework_version
        transport = make_transport(
            options.transport,
            options.adapter_name,
            adapter,
            options.server,
            timeout=options.timeout,
            isolation=options.isolation,
        )
        results = Results(
            adapter=adapter.name,
            framework=adapter.framework,
            framework_version=installed,
            transport=transport.name,
            python=platform.python_version(),
            suite_version=version("lifecycle-conformance"),
            platform=platform.platform(),
            started=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            selection=list(options.clauses),
            dependencies=built_on(adapter.distribution),  # area depth
        )
        expectations = {
            e.clause: e for e in options.expectations if e.applies_to(installed, transport.name)
        }
        return cls(
            adapter=adapter,
            version=installed,
            transport=transport,
            registry=options.registry,
            expectations=expectations,
            results=results,
            results_path=options.results,
            junit_path=options.junit,
        )


_RECORDED = pytest.StashKey[TestResult]()


class ConformancePlugin:
    """The suite's hooks and its ``observe`` fixture, for one run, or for
    none (``state`` None: no ``--adapter``), when it only checks clause
    markers and refuses to run conformance tests."""

    def __init__(self, state: RunState | None) -> None:
        self.state = state
        self.clause_of_node: dict[str, str] = {}  # node id -> clause id, for the terminal

    def pytest_collection_modifyitems(
        self, session: pytest.Session, config: pytest.Config, items: list[pytest.Item]
    ) -> None:
        suite = [i for i in items if is_conformance_test(i)]
        if not suite:
            return
        reg = registry()
        problems = []
        for item in suite:
            cid = clause_of(item)
            if cid is None:
                count = len(list(item.iter_markers("clause")))
                problems.append(
                    f"{item.nodeid}: needs exactly one @clause('id') marker (has {count})"
                )
            elif cid not in reg:
                problems.append(f"{item.nodeid}: unknown clause {cid!r}")
            elif reg[cid].retired:
                problems.append(f"{item.nodeid}: clause {cid!r} is retired: {reg[cid].retired}")
        if problems:
            raise pytest.UsageError(
                "conformance tests with a bad clause marker:\n  " + "\n  ".join(problems)
            )
        state = self.state
        if state is None:
            if config.getoption("collectonly"):
                return
            known = ", ".join(sorted(known_adapters()))
            raise pytest.UsageError(f"the conformance suite needs --adapter NAME (known: {known})")
        tested = {clause_of(i) for i in suite}
        state.results.untested = [c.id for c in reg.active() if c.id not in tested]
        select(config, items, suite, state)
        state.selected_ids = {i.nodeid for i in items if is_conformance_test(i)}
        self.clause_of_node = {
            i.nodeid: clause_of(i) or "" for i in items if is_conformance_test(i)
        }
        state.selected = len(state.selected_ids)
        if state.results_path is not None and not config.getoption("collectonly"):
            # Until the run ends and says otherwise, the file says it did not
            # finish: a run killed outright (SIGKILL, a CI timeout) is never
            # taken for a complete one.
            state.results.complete = False
            state.results.interruption = "the run did not finish (it was killed, or still runs)"
            self._save(state)

    def pytest_sessionstart(self, session: pytest.Session) -> None:
        state = self.state
        if state is None or threading.current_thread() is not threading.main_thread():
            return

        def terminate(signum: int, frame: object) -> None:
            state.terminated = True
            raise KeyboardInterrupt  # pytest stops the run and finishes the session

        self._previous_sigterm = signal.signal(signal.SIGTERM, terminate)

    def pytest_keyboard_interrupt(self, excinfo: pytest.ExceptionInfo[BaseException]) -> None:
        """After one Ctrl-C the run stops its workers and servers and writes
        its results, marked interrupted; a second Ctrl-C stops it at once."""
        if threading.current_thread() is threading.main_thread():
            self._previous_sigint = signal.signal(signal.SIGINT, _stop_at_once)

    def pytest_runtest_setup(self, item: pytest.Item) -> None:
        comparisons_made(reset=True)  # count this test's comparisons only
        reason = item.stash.get(NOT_APPLICABLE, None)
        if reason is not None:
            pytest.skip(f"not applicable: {reason}")

    @pytest.fixture(name="observe")
    def observe_fixture(self, request: pytest.FixtureRequest) -> Callable[[Scenario], Observation]:
        """Run a scenario on the adapter under test and return the observation.

        A scenario the framework cannot express ends the test as not applicable.
        """
        state = self.state
        if state is None:
            raise pytest.UsageError("the conformance suite needs --adapter NAME")
        node = request.node

        def run(scenario: Scenario) -> Observation:
            node.stash[SCENARIO] = scenario
            try:
                observation = observe(state.adapter, scenario, state.transport)
            except NotApplicable as exc:
                node.stash[NOT_APPLICABLE] = str(exc)
                pytest.skip(f"not applicable: {exc}")
            node.stash[OBSERVATION] = observation
            return observation

        return run

    @pytest.fixture(name="features")
    def features_fixture(self) -> frozenset[str]:
        """The features the framework under test has (``contract.FEATURES``),
        for an expectation that depends on one: which methods an Allow header
        names depends on whether the framework serves OPTIONS, and HEAD."""
        if self.state is None:
            raise pytest.UsageError("the conformance suite needs --adapter NAME")
        return self.state.adapter.capabilities.features

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item, call: pytest.CallInfo[None]
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        state = self.state
        if state is not None and call.when == "teardown":
            state.finished.add(item.nodeid)
        if state is not None:
            _fail_as_declared(item, call, report)
        if state is not None and is_conformance_test(item):
            result = classify(item, call, report)
            if result is not None and _RECORDED not in item.stash:
                item.stash[_RECORDED] = result
                state.tests.setdefault(clause_of(item) or "", []).append(result)
        return report

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(
        self, report: pytest.TestReport, config: pytest.Config
    ) -> Generator[None, Any, Any]:
        """A test that fails as declared is DECLARED (D), not pytest's xfail;
        with -v every conformance test's status names its clause."""
        status = yield
        clause = self.clause_of_node.get(report.nodeid)
        if clause is None:
            return status
        category, letter, word = status
        if hasattr(report, "wasxfail") and report.skipped:
            category, letter, word = "failed as declared", "D", ("DECLARED", {"yellow": True})
        if word and config.get_verbosity() > 0:
            word = (
                (f"{word[0]} {clause}", word[1]) if isinstance(word, tuple) else f"{word} {clause}"
            )
        return category, letter, word

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        state = self.state
        if state is None:
            return
        state.transport.close()  # a server, if any, stops however the run ended
        results = state.results
        results.duration_s = time.perf_counter() - state.t0
        results.clauses = [
            ClauseResult(
                id=c.id,
                level=c.level,
                area=c.area,
                basis=c.basis,
                tests=state.tests[c.id],
                expected=state.expectations[c.id].describe()
                if c.id in state.expectations
                else None,
            )
            for c in state.registry.clauses
            if c.id in state.tests
        ]
        results.complete, results.interruption = True, ""
        why = _interruption(session, exitstatus, state)
        if why:
            results.complete, results.interruption = False, why
        if state.results_path is not None:
            self._save(state)
        if state.junit_path is not None:
            try:
                write_junit(results, state.junit_path)
            except ConformanceError as exc:
                state.save_error = state.save_error or str(exc)
        if any(c.unexpected_pass for c in results.clauses) and session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
        if state.save_error:
            session.exitstatus = pytest.ExitCode.USAGE_ERROR

    def _save(self, state: RunState) -> None:
        assert state.results_path is not None
        try:
            state.results.save(state.results_path)
        except ConformanceError as exc:
            state.save_error = str(exc)

    def pytest_unconfigure(self, config: pytest.Config) -> None:
        if self.state is not None:
            self.state.transport.close()  # again, for a run that ended before its session did
        for signum, saved in (
            (signal.SIGTERM, "_previous_sigterm"),
            (signal.SIGINT, "_previous_sigint"),
        ):
            previous = getattr(self, saved, None)
            if previous is not None:
                signal.signal(signum, previous)

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_terminal_summary(
        self, terminalreporter: Any, config: pytest.Config
    ) -> Generator[None, None, None]:
        """The clause-level summary, after pytest's (its short test summary
        too), so that a run ends with it: the counts, then each clause that
        makes the run fail, on one line with its reason."""
        yield
        state = self.state
        if state is None:
            return
        if state.save_error:
            terminalreporter.write_line(f"lifecycle-conformance: error: {state.save_error}")
        if not state.results.clauses:
            return
        counts = state.results.summary()
        parts = [f"{counts[k]} {k}" for k in ("pass", "fail", "not-applicable", "error")]
        extra = [f"{counts[k]} {k}" for k in ("expected-fail", "unexpected-pass") if counts[k]]
        terminalreporter.write_sep("=", "lifecycle-conformance", bold=True)
        terminalreporter.write_line(f"{state.results.label}: clauses " + ", ".join(parts + extra))
        for clause in state.results.clauses:
            if clause.counts_against:
                terminalreporter.write_line(failure_line(clause), red=True)
        if not state.results.complete:
            terminalreporter.write_line(f"INCOMPLETE: {state.results.interruption}", red=True)
        if state.results_path is not None and not state.save_error:
            terminalreporter.write_line(f"results written to {config.getoption('results')}")
        if state.junit_path is not None and not state.save_error:
            terminalreporter.write_line(f"JUnit XML written to {config.getoption('junit')}")


def _fail_as_declared(
    item: pytest.Item, call: pytest.CallInfo[None], report: pytest.TestReport
) -> None:
    """A test of a clause with a declared divergence that fails on an
    assertion fails as declared: its report takes the shape of pytest's xfail
    (skipped, with ``wasxfail``), which other plugins understand, and the
    terminal shows it as DECLARED (``pytest_report_teststatus``)."""
    declared = item.stash.get(DECLARED, None)
    if declared is None or call.when != "call" or not report.failed or call.excinfo is None:
        return
    if call.excinfo.errisinstance(AssertionError):
        report.outcome = "skipped"
        # the attribute pytest's skipping plugin sets on an xfail
        report.wasxfail = declared


def _stop_at_once(signum: int, frame: object) -> None:
    """The second Ctrl-C: kill what the run started and exit, leaving the
    results file as it was (it says the run did not finish)."""
    os.write(2, b"\nlifecycle-conformance: stopped at once (a second Ctrl-C)\n")
    kill_all()
    os._exit(130)


def _interruption(session: pytest.Session, exitstatus: int, state: RunState) -> str:
    """Why the run is not complete, or "" when every selected test ran."""
    done = sum(1 for nodeid in state.finished if nodeid in state.selected_ids)
    ran = f"after {done} of {state.selected} tests"
    if state.terminated:
        return f"terminated (SIGTERM) {ran}"
    if exitstatus == pytest.ExitCode.INTERRUPTED:
        return f"interrupted (Ctrl-C, SIGINT) {ran}"
    if session.shouldstop or session.shouldfail:
        return f"stopped early ({session.shouldstop or session.shouldfail}) {ran}"
    if done < state.selected:
        return f"only {done} of {state.selected} tests ran"
    return ""
