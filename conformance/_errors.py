"""Everything a run can raise, in the order a run meets it.

    load adapter  -> UnknownAdapter, FrameworkNotInstalled, ContractMismatch
    read inputs   -> SpecError (registry), ExpectationsError, ResultsError, UnknownClause
    build the app -> HarnessError (the adapter broke: outcome "error")
    send requests -> HarnessError
    collect trace -> HarnessError
    assert        -> Divergence (the framework behaves differently: outcome "fail")
    report        -> ResultsError

Errors of bad input carry ``exit_code`` 2 and print as one line, never as a
traceback.  A framework diverging from a clause is not an error of the run.
"""

from __future__ import annotations

from typing import Any

from ._spec import SpecError

__all__ = [
    "ConformanceError",
    "ContractMismatch",
    "Divergence",
    "ExpectationsError",
    "FrameworkNotInstalled",
    "HarnessError",
    "NotApplicable",
    "ResultsError",
    "SpecError",
    "UnknownAdapter",
    "UnknownClause",
    "UsageError",
    "one_line",
]

ONE_LINE_LIMIT = 300


def one_line(exc: BaseException, limit: int = ONE_LINE_LIMIT) -> str:
    """``exc`` as one line of at most ``limit`` characters: its class and
    its message, whitespace (newlines too) collapsed."""
    message = " ".join(str(exc).split())
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return text if len(text) <= limit else text[: limit - 5] + " [...]"


class ConformanceError(Exception):
    """Bad input to the suite; printed as one line, exit code 2."""

    exit_code = 2


class UsageError(ConformanceError):
    """The command line asks for something that does not exist."""


class UnknownAdapter(UsageError):
    def __init__(self, name: str, known: list[str]) -> None:
        super().__init__(
            f"unknown adapter {name!r}; known adapters: {', '.join(known) or '(none)'}"
            " (or give a 'module:attribute' path)"
        )


class FrameworkNotInstalled(UsageError):
    def __init__(self, adapter: str, module: str) -> None:
        super().__init__(
            f"adapter {adapter!r} needs the module {module!r}, which is not installed;"
            f" install the framework (pip install {module}) and run again"
        )


class ContractMismatch(UsageError):
    def __init__(self, adapter: str, theirs: object, ours: int) -> None:
        from .contract import CHANGES

        changed = [CHANGES[v] for v in sorted(CHANGES) if isinstance(theirs, int) and v > theirs]
        since = f" (since {theirs}: {'; '.join(changed)})" if changed else ""
        super().__init__(
            f"adapter {adapter!r} was written for adapter contract {theirs!r}, but this suite"
            f" speaks contract {ours}{since}; upgrade the adapter or the suite"
            " (see docs/ADAPTERS.md)"
        )


class UnknownClause(UsageError):
    def __init__(self, pattern: str) -> None:
        super().__init__(
            f"no clause matches {pattern!r}; run 'lifecycle-conformance clauses' for the list"
        )


class ExpectationsError(ConformanceError):
    """An expectations file is unreadable or names something that does not exist."""


class ResultsError(ConformanceError):
    """A results file is unreadable or not of the documented schema."""


class HarnessError(Exception):
    """The adapter or the harness broke while running a scenario.

    Reported as outcome "error", never counted as a framework failure.
    """


class NotApplicable(Exception):
    """The framework lacks a concept the clause is about (outcome "not-applicable")."""


class Divergence(AssertionError):
    """The framework's behaviour differs from the clause: outcome "fail".

    Carries what was expected and what was observed as data, so the results
    file and REPORT.md can show them side by side.
    """

    def __init__(self, what: str, expected: Any, observed: Any) -> None:
        self.what = what
        self.expected = expected
        self.observed = observed
        super().__init__(
            f"{what}:\n  expected: {stable_repr(expected)}\n  observed: {stable_repr(observed)}"
        )


def stable_repr(value: Any) -> str:
    """``repr(value)``, but with the items of every set sorted: a set of
    strings iterates in an order that changes from process to process (string
    hashing is seeded at random), and a message must read the same in every run."""
    kind = type(value)
    if kind in (set, frozenset):
        if not value:
            return f"{kind.__name__}()"
        items = "{" + ", ".join(sorted(map(stable_repr, value))) + "}"
        return items if kind is set else f"frozenset({items})"
    if kind is list:
        return "[" + ", ".join(map(stable_repr, value)) + "]"
    if kind is tuple:
        return "(" + ", ".join(map(stable_repr, value)) + ("," if len(value) == 1 else "") + ")"
    if kind is dict:
        pairs = (f"{stable_repr(k)}: {stable_repr(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return repr(value)
