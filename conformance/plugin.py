"""The pytest plugin: runs the conformance suite against one adapter.

Registered through the ``pytest11`` entry point, so it is present wherever the
package is installed, and inert unless conformance tests are collected.

    pytest --pyargs conformance --adapter flask --results results/flask.json

This module declares the run options (the same as ``lifecycle-conformance
run``'s, see ``_options``) and, at configure time, checks them and registers
the plugin proper, ``ConformancePlugin`` (``_plugin``), with the run's state.
"""

from __future__ import annotations

import pytest

from ._errors import ConformanceError
from ._options import RUN_OPTIONS, add_run_options, check_run_options
from ._plugin import ConformancePlugin, RunState

PLUGIN_NAME = "lifecycle-conformance"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("lifecycle-conformance", "request-lifecycle conformance suite")
    add_run_options(group.addoption)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "clause(id): the one spec clause this conformance test checks"
    )
    state = None
    if config.getoption("adapter"):
        try:
            options = check_run_options({o.dest: config.getoption(o.dest) for o in RUN_OPTIONS})
            state = RunState.start(options)
        except ConformanceError as exc:
            raise pytest.UsageError(str(exc)) from None
    config.pluginmanager.register(ConformancePlugin(state), PLUGIN_NAME)
