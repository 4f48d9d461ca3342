"""The options of a conformance run, declared and checked once for both
front doors: ``lifecycle-conformance run`` (argparse) and ``pytest
--pyargs conformance.suite`` (the plugin, through pytest's parser).

``RUN_OPTIONS`` declares them; ``add_run_options`` hands them to either
parser; ``check_run_options`` turns what was given into a ``RunOptions``, or
raises a ConformanceError whose one line names the value and the fix;
``run_option_args`` writes them back as arguments, for the CLI to hand to
pytest.
"""

from __future__ import annotations

import fnmatch
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._errors import UnknownClause, UsageError
from ._expectations import Expectation, load_expectations
from ._loading import framework_version, load_adapter
from ._output import check_writable
from ._spec import Registry, registry
from .contract import Adapter
from .transports import DEFAULT_TIMEOUT, ISOLATIONS, TRANSPORTS, check_transport


@dataclass(frozen=True)
class RunOption:
    """One option: ``--<name>``, stored as ``name``; ``repeatable`` ones
    collect a list."""

    name: str
    help: str
    metavar: str | None = None
    default: str | None = None
    choices: tuple[str, ...] | None = None
    repeatable: bool = False

    @property
    def flag(self) -> str:
        return f"--{self.name}"

    @property
    def dest(self) -> str:
        """The name it is stored as: ``scenario_timeout`` for ``--scenario-timeout``."""
        return self.name.replace("-", "_")

    def declaration(self) -> dict[str, Any]:
        """The keyword arguments of argparse's ``add_argument``, which
        pytest's ``addoption`` takes too."""
        kwargs: dict[str, Any] = {"dest": self.dest, "help": self.help}
        if self.metavar is not None:
            kwargs["metavar"] = self.metavar
        if self.choices is not None:
            kwargs["choices"] = self.choices
        if self.repeatable:
            kwargs.update(action="append", default=[])
        elif self.default is not None:
            kwargs["default"] = self.default
        return kwargs


RUN_OPTIONS: tuple[RunOption, ...] = (
    RunOption(
        "adapter",
        "the framework adapter to run the suite on: an entry-point name or module:attr",
        metavar="NAME",
    ),
    RunOption(
        "transport",
        "how requests reach the app: the framework's test client (in-process, the"
        " default) or a real server on 127.0.0.1 (http)",
        default="in-process",
        # No argparse choices: check_transport names the known ones in one line
        # (pytest's parser would print its usage around argparse's message).
        metavar="|".join(TRANSPORTS),
    ),
    RunOption(
        "server",
        "with --transport http: werkzeug or gunicorn (WSGI), uvicorn or hypercorn"
        " (ASGI); default: the adapter's choice, else werkzeug or uvicorn",
        metavar="NAME",
    ),
    RunOption(
        "clause",
        "run only clauses whose ID matches (repeatable), e.g. 'hooks.*'",
        metavar="GLOB",
        repeatable=True,
    ),
    RunOption(
        "expectations",
        "declared divergences to use instead of the adapter's own file",
        metavar="FILE",
    ),
    RunOption("results", "write the JSON results file here", metavar="FILE"),
    RunOption(
        "junit",
        "write the results as JUnit XML here, for CI: one test case per clause",
        metavar="FILE",
    ),
    RunOption(
        # Not --timeout: pytest-timeout, which a framework's own suite may load, has it.
        "scenario-timeout",
        "seconds a scenario may take before it ends as an error (timed out) and what"
        f" runs it is restarted; default {DEFAULT_TIMEOUT:g}",
        metavar="SECONDS",
        default=f"{DEFAULT_TIMEOUT:g}",
    ),
    RunOption(
        "isolation",
        "in process: run the framework in a supervised worker process (worker, the"
        " default: a crash or hang is an error outcome and the run goes on) or in the"
        " suite's own process (off: for a debugger; no time limit)",
        metavar="|".join(ISOLATIONS),
        default="worker",
    ),
)


def add_run_options(add: Callable[..., object], *, adapter_required: bool = False) -> None:
    """Declare every run option through ``add``: an argparse parser's
    ``add_argument`` or a pytest option group's ``addoption``."""
    for option in RUN_OPTIONS:
        kwargs = option.declaration()
        if adapter_required and option.name == "adapter":
            kwargs["required"] = True
        add(option.flag, **kwargs)


@dataclass(frozen=True)
class RunOptions:
    """The run options, checked: the adapter loaded, its framework installed,
    the transport able to serve it, every clause glob matching a clause, the
    expectations read."""

    adapter_name: str
    adapter: Adapter
    framework_version: str
    transport: str
    server: str | None
    clauses: tuple[str, ...]
    expectations: tuple[Expectation, ...]
    results: Path | None
    registry: Registry
    timeout: float = DEFAULT_TIMEOUT
    isolation: str = "worker"
    junit: Path | None = None


def check_run_options(values: Mapping[str, Any]) -> RunOptions:
    """Check the run options ``values`` (by name, as parsed; ``adapter``
    given), in the order a run needs them; raises a ConformanceError."""
    name: str = values["adapter"]
    adapter = load_adapter(name)
    installed = framework_version(adapter)
    transport: str = values["transport"]
    server: str | None = values["server"]
    if server is not None and not server.strip():
        raise UsageError(
            f"--server {server!r} is empty; name a server (werkzeug, gunicorn, uvicorn,"
            " hypercorn) or leave the option out for the adapter's choice"
        )
    check_transport(transport, adapter, server)
    timeout = _seconds(values["scenario_timeout"])
    isolation = values["isolation"]
    if isolation not in ISOLATIONS:
        raise UsageError(f"unknown --isolation {isolation!r}; use one of: {', '.join(ISOLATIONS)}")
    if isolation != "worker" and transport != "in-process":
        raise UsageError(
            f"--isolation {isolation} is for the in-process transport; over {transport}"
            " the framework always runs in a server process of its own"
        )
    reg = registry()
    clauses = tuple(values["clause"] or ())
    for pattern in clauses:
        if not any(fnmatch.fnmatchcase(c.id, pattern) for c in reg.clauses):
            raise UnknownClause(pattern)
    given = values["expectations"]
    if given is not None and not Path(given).is_file():
        problem = "is a folder" if Path(given).is_dir() else "does not exist"
        raise UsageError(f"expectations file {str(given)!r} {problem}; give a TOML file")
    path = given or adapter.expectations
    declared = load_expectations(Path(path), reg) if path else []
    results = values["results"]
    if results is not None:
        check_writable(Path(results), "--results")  # before the run, not after it
    junit = values["junit"]
    if junit is not None:
        check_writable(Path(junit), "--junit")
    return RunOptions(
        adapter_name=name,
        adapter=adapter,
        framework_version=installed,
        transport=transport,
        server=server,
        clauses=clauses,
        expectations=tuple(declared),
        results=None if results is None else Path(results),
        registry=reg,
        timeout=timeout,
        isolation=isolation,
        junit=None if junit is None else Path(junit),
    )


def _seconds(given: str) -> float:
    """The --scenario-timeout value, a positive number of seconds; else UsageError."""
    try:
        seconds = float(given)
    except (TypeError, ValueError):
        seconds = math.nan
    if not (0 < seconds < math.inf):
        raise UsageError(
            f"--scenario-timeout {given!r} is not a positive number of seconds;"
            " give e.g. --scenario-timeout 30"
        )
    return seconds


def run_option_args(values: Mapping[str, Any]) -> list[str]:
    """The run options ``values`` as command-line arguments again."""
    args: list[str] = []
    for option in RUN_OPTIONS:
        value = values[option.dest]
        for one in value if option.repeatable else [value]:
            if one is not None:
                args += [option.flag, str(one)]
    return args
