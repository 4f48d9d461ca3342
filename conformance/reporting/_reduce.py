"""The reduced form of a results file: what REPORT.md is made of, and nothing else.

A run's results file holds every test and when, where and how long it
ran.  REPORT.md needs less: each clause's outcome and declared reason, the
evidence of the tests that failed or erred, the reasons a clause is not
applicable.  ``reduce`` keeps that (its evidence portable, see
``_portable``), and ``write_data_dir`` writes one reduced file per run
into a tracked folder (``report-data/``), in one stable format, for REPORT.md
to be rendered from, so that a clone can check REPORT.md against them.

A reduced file is a results file (same schema, ``"reduced": true``):
``lifecycle-conformance report`` and ``compare`` read it like any other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .._errors import ResultsError, UsageError
from .._output import check_writable, write_text
from ._results import SCHEMA, ClauseResult, Results, TestResult, schema_problem, test_json


def reduce(results: Results) -> Results:
    """``results`` as REPORT.md needs them; reducing it again changes nothing.

    Dropped: when, where and how long the run ran (``platform``, ``started``,
    ``duration_s``), its ``selection``; of each clause's tests, those its
    outcome (its worst test's) does not come from, and of those it does:
    every passing one but the first, unnamed; every not-applicable one but
    the first with each reason, unnamed; the detail (pytest's report) of a
    failing or erring one whose evidence has its message.  Kept whole: each
    clause, its declared reason, every failing and erring test's evidence."""
    return Results(
        adapter=results.adapter,
        framework=results.framework,
        framework_version=results.framework_version,
        transport=results.transport,
        python=results.python,
        suite_version=results.suite_version,
        clauses=[
            ClauseResult(c.id, c.level, c.area, c.basis, _tests(c), c.expected)
            for c in results.clauses
        ],
        untested=list(results.untested),
        complete=results.complete,
        interruption=results.interruption,
        reduced=True,
        dependencies=dict(results.dependencies),
    )


def _tests(clause: ClauseResult) -> list[TestResult]:
    outcome = clause.outcome
    if outcome in ("fail", "error"):
        return [
            TestResult(t.name, t.outcome, "" if _message(t) else t.detail, t.evidence)
            for t in clause.tests
            if t.outcome in ("fail", "error")
        ]
    if outcome == "pass":
        return [TestResult("", "pass")]
    reasons = dict.fromkeys(t.detail for t in clause.tests)  # in order, once each
    return [TestResult("", "not-applicable", reason) for reason in reasons]


def _message(test: TestResult) -> bool:
    return bool(test.evidence and test.evidence.get("message"))


def reduced_text(results: Results) -> str:
    """The reduced file, in one stable format: the keys sorted (but within
    evidence, which keeps the order the run wrote, so that a scenario reads
    as it was made), no derived field, one clause per line."""
    run = reduce(results)
    clauses = [_clause_json(c) for c in run.clauses]
    document: dict[str, Any] = {
        "adapter": run.adapter,
        "clauses": clauses,
        "complete": run.complete,
        **({"dependencies": run.dependencies} if run.dependencies else {}),
        "framework": {"name": run.framework, "version": run.framework_version},
        **({} if run.complete else {"interruption": run.interruption}),
        "python": run.python,
        "reduced": True,
        "schema": SCHEMA,
        "suite_version": run.suite_version,
        "transport": run.transport,
        "untested": run.untested,
    }
    problem = schema_problem(document)
    if problem:  # a bug of ours, never the input's: the input was checked when read
        raise ResultsError(f"the reduced form would not follow the results schema: {problem}")
    lines = []
    for key, value in sorted(document.items()):
        if key == "clauses":
            rows = ",\n".join(f"  {_compact(c)}" for c in clauses)
            lines.append(f' "clauses": [\n{rows}\n ]' if clauses else ' "clauses": []')
        else:
            lines.append(f" {_compact(key)}: {_compact(value)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def _clause_json(clause: ClauseResult) -> dict[str, Any]:
    out: dict[str, Any] = {
        "area": clause.area,
        "basis": clause.basis,
        "id": clause.id,
        "level": clause.level,
        "tests": [dict(sorted(test_json(t).items())) for t in clause.tests],
    }
    if clause.expected is not None:
        out["expected"] = clause.expected
    return dict(sorted(out.items()))


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def check_data_dir(paths: Sequence[Path], folder: Path) -> None:
    """UsageError, before anything is read or written, unless ``folder`` can
    take the reduced files of the results files ``paths``: a folder (or none
    yet) holding only reduced files, the names of ``paths`` distinct."""
    shown = str(folder)
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"--data-dir {shown!r} is not a folder; give a folder's path")
    names: dict[str, Path] = {}
    for path in paths:
        name = f"{path.stem}.json"
        if name in names and names[name] != path:
            raise UsageError(
                f"--data-dir: the results files {str(names[name])!r} and {str(path)!r} would"
                f" both be written as {name!r}; give results files of distinct names"
            )
        names[name] = path
    for path in sorted(folder.glob("*.json")):
        if path.name not in names and not _is_reduced(path):
            raise UsageError(
                f"--data-dir {shown!r} holds {path.name!r}, which is not a reduced results"
                " file; give a folder that only the report writes (such as report-data/)"
            )
    if paths:
        check_writable(folder / f"{paths[0].stem}.json", "--data-dir")


def write_data_dir(runs: Sequence[tuple[Path, Results]], folder: Path) -> list[Path]:
    """Write each run's reduced form to ``folder``, named after its results
    file, and remove the reduced files of runs no longer given (the folder
    holds only what this writes: ``check_data_dir`` first); return the files
    written, sorted."""
    written = []
    for path, results in runs:
        target = folder / f"{path.stem}.json"
        write_text(target, reduced_text(results), "--data-dir")
        written.append(target)
    for path in sorted(folder.glob("*.json")):
        if path not in written and _is_reduced(path):
            try:
                path.unlink()
            except OSError as exc:
                raise UsageError(
                    f"--data-dir: cannot remove the stale file {str(path)!r}: {exc.strerror}"
                ) from None
    return sorted(written)


def _is_reduced(path: Path) -> bool:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return False
    return isinstance(document, dict) and document.get("reduced") is True
