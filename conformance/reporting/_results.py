"""The results file: what one run found, clause by clause.  Its JSON Schema
ships beside this module (``results.schema.json``) and docs/RESULTS.md is
its prose; ``Results.save`` checks what it writes against the schema, and
``Results.load`` what it reads."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import jsonschema

from .._errors import ResultsError
from .._model import JSON
from .._output import write_text
from ._escape import plain
from ._portable import portable, portable_string

SCHEMA = "lifecycle-conformance/results/1"
Outcome = Literal["pass", "fail", "not-applicable", "error"]
OUTCOMES: tuple[Outcome, ...] = ("pass", "fail", "not-applicable", "error")
# The clause's outcome is its worst test's, in this order.
_SEVERITY = {"error": 3, "fail": 2, "pass": 1, "not-applicable": 0}


@dataclass
class TestResult:
    """One test of a clause.  ``evidence`` explains a fail or an error:
    ``message``, and where known ``expected``, ``observed``, ``scenario`` and
    ``observation`` as JSON."""

    __test__ = False  # not a pytest test class, whatever its name says

    name: str
    outcome: Outcome
    detail: str = ""
    evidence: dict[str, JSON] | None = None


@dataclass
class ClauseResult:
    id: str
    level: str
    area: str
    basis: str
    tests: list[TestResult] = field(default_factory=list)
    # The declared divergence's reason, when the adapter's expectations name this clause.
    expected: str | None = None

    @property
    def outcome(self) -> Outcome:
        if not self.tests:
            return "not-applicable"
        return max((t.outcome for t in self.tests), key=_SEVERITY.__getitem__)

    @property
    def unexpected_pass(self) -> bool:
        """Declared as diverging, yet passing: the expectation is stale."""
        return self.expected is not None and self.outcome == "pass"

    @property
    def counts_against(self) -> bool:
        """Whether this clause makes the run fail."""
        if self.outcome == "error" or self.unexpected_pass:
            return True
        return self.outcome == "fail" and self.expected is None


@dataclass
class Results:
    adapter: str
    framework: str
    framework_version: str
    transport: str
    python: str
    suite_version: str
    platform: str = ""
    started: str = ""
    duration_s: float = 0.0
    selection: list[str] = field(default_factory=list)
    clauses: list[ClauseResult] = field(default_factory=list)
    untested: list[str] = field(default_factory=list)
    # False when the run ended before every selected test had run (interrupted,
    # terminated, stopped at a first failure, or killed before it could say).
    complete: bool = True
    interruption: str = ""  # why it is not complete
    # The reduced form (``_reduce``): only what REPORT.md is made of.
    reduced: bool = False
    # area depth: the installed versions of the frameworks this one is built
    # on (Quart's Flask and Werkzeug), so a change of theirs is not taken for
    # the framework's own (``_loading.built_on``).
    dependencies: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """How this run is named in the report: adapter (the framework, or one
        face of it), version, transport."""
        return f"{self.adapter} {self.framework_version} ({self.transport})"

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = {o: 0 for o in OUTCOMES}
        for clause in self.clauses:
            counts[clause.outcome] += 1
        counts["expected-fail"] = sum(
            1 for c in self.clauses if c.expected is not None and c.outcome == "fail"
        )
        counts["unexpected-pass"] = sum(1 for c in self.clauses if c.unexpected_pass)
        return counts

    @property
    def ok(self) -> bool:
        return not any(c.counts_against for c in self.clauses)

    def to_json(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "adapter": self.adapter,
            "framework": {"name": self.framework, "version": self.framework_version},
            "transport": self.transport,
            "python": self.python,
            "suite_version": self.suite_version,
            "platform": self.platform,
            "started": self.started,
            "duration_s": round(self.duration_s, 3),
            "selection": self.selection,
            "complete": self.complete,
            **({} if self.complete else {"interruption": self.interruption}),
            **({"reduced": True} if self.reduced else {}),
            **({"dependencies": dict(self.dependencies)} if self.dependencies else {}),
            "summary": self.summary(),
            "clauses": [
                {
                    "id": c.id,
                    "level": c.level,
                    "area": c.area,
                    "basis": c.basis,
                    "outcome": c.outcome,
                    "expected": c.expected,
                    "unexpected_pass": c.unexpected_pass,
                    "tests": [test_json(t) for t in c.tests],
                }
                for c in self.clauses
            ],
            "untested": self.untested,
        }

    def save(self, path: Path) -> None:
        """Write the file; a UsageError (one line) if it cannot be written,
        a ResultsError if what would be written does not follow the schema."""
        document = self.to_json()
        problem = schema_problem(document)
        if problem:
            raise ResultsError(
                f"results file {str(path)!r} not written: it would not follow schema"
                f" {SCHEMA!r}: {problem}"
            )
        write_text(path, json.dumps(document, indent=2) + "\n", "results file")

    @classmethod
    def load(cls, path: Path) -> Results:
        where = str(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ResultsError(f"cannot read results file {where!r}: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultsError(f"results file {where!r} is not JSON: {exc}") from None
        except RecursionError:
            raise ResultsError(
                f"results file {where!r} is nested too deeply (more than {MAX_DEPTH} levels)"
                f" to follow schema {SCHEMA!r}"
            ) from None
        try:
            return cls.from_json(raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise ResultsError(
                f"results file {where!r} does not follow schema {SCHEMA!r}: {plain(exc)}"
            ) from None

    @classmethod
    def from_json(cls, raw: Any) -> Results:
        """Check ``raw`` against the schema; ValueError names the first problem.

        The checks by hand come first, for their messages; the JSON Schema
        then checks what they do not look at (the evidence's fields), and
        by hand remain only what a schema cannot say: how deep the file
        nests, and that a clause's ``outcome`` is its tests' worst."""
        top = _obj(raw, "the file")
        if _depth(raw) > MAX_DEPTH:
            raise ValueError(f"it is nested more than {MAX_DEPTH} levels deep")
        if top.get("schema") != SCHEMA:
            raise ValueError(f"'schema' must be {SCHEMA!r} (got {top.get('schema')!r:.80})")
        framework = _obj(_get(top, "framework", dict, "the file"), "'framework'")
        clauses = []
        for n, c in enumerate(_get(top, "clauses", list, "the file")):
            where = f"clause #{n + 1}"
            c = _obj(c, where)
            cid = _get(c, "id", str, where)
            where = f"clause {cid!r}"
            tests = []
            for m, t in enumerate(_get(c, "tests", list, where)):
                twhere = f"{where}, test #{m + 1}"
                t = _obj(t, twhere)
                outcome = _get(t, "outcome", str, twhere)
                if outcome not in OUTCOMES:
                    raise ValueError(f"{twhere}: unknown outcome {outcome!r}; one of {OUTCOMES}")
                detail = t.get("detail", "")
                if not isinstance(detail, str):
                    raise ValueError(f"{twhere}: 'detail' must be a string (got {detail!r:.80})")
                evidence = t.get("evidence")
                if "evidence" in t and not isinstance(evidence, dict):
                    raise ValueError(f"{twhere}: 'evidence' must be an object")
                tests.append(
                    TestResult(
                        _get(t, "name", str, twhere),
                        outcome,
                        portable_string(detail),
                        None if evidence is None else _portable_evidence(evidence),
                    )
                )
            if not tests:
                raise ValueError(f"{where} has no tests")
            expected = c.get("expected")
            if expected is not None and not isinstance(expected, str):
                raise ValueError(
                    f"{where}: 'expected' must be a string or null (got {expected!r:.80})"
                )
            result = ClauseResult(
                cid,
                _choice(c, "level", ("MUST", "SHOULD", "MAY"), where),
                _get(c, "area", str, where),
                _choice(c, "basis", ("documented", "observed"), where),
                tests,
                expected,
            )
            if "unexpected_pass" in c:
                _boolean(c["unexpected_pass"], f"{where}: 'unexpected_pass'")
            if c.get("outcome", result.outcome) != result.outcome:
                raise ValueError(
                    f"{where}: 'outcome' is {c['outcome']!r} but its tests make it"
                    f" {result.outcome!r}"
                )
            clauses.append(result)
        summary = top.get("summary", {})
        if not isinstance(summary, dict) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in summary.values()
        ):
            raise ValueError(f"'summary' must be an object of counts (got {summary!r:.80})")
        results = cls(
            adapter=_get(top, "adapter", str, "the file"),
            framework=_get(framework, "name", str, "'framework'"),
            framework_version=_get(framework, "version", str, "'framework'"),
            transport=_get(top, "transport", str, "the file"),
            python=_get(top, "python", str, "the file"),
            suite_version=_get(top, "suite_version", str, "the file"),
            platform=_string(top.get("platform", ""), "'platform'"),
            started=_string(top.get("started", ""), "'started'"),
            duration_s=_number(top.get("duration_s", 0.0), "'duration_s'"),
            selection=_strings(top.get("selection", []), "'selection'"),
            clauses=clauses,
            untested=_strings(top.get("untested", []), "'untested'"),
            complete=_boolean(top.get("complete", True), "'complete'"),
            interruption=_string(top.get("interruption", ""), "'interruption'"),
            reduced=_boolean(top.get("reduced", False), "'reduced'"),
            dependencies=_versions(top.get("dependencies", {}), "'dependencies'"),
        )
        problem = schema_problem(raw)
        if problem:
            raise ValueError(problem)
        return results


def test_json(test: TestResult) -> dict[str, JSON]:
    """One test as the file has it: its empty fields left out, its detail
    and evidence portable (``_portable``)."""
    out: dict[str, JSON] = {"name": test.name, "outcome": test.outcome}
    if test.detail:
        out["detail"] = portable_string(test.detail)
    if test.evidence is not None:
        out["evidence"] = _portable_evidence(test.evidence)
    return out


def _portable_evidence(evidence: dict[str, JSON]) -> dict[str, JSON]:
    made = portable(evidence)
    assert isinstance(made, dict)  # portable keeps an object an object
    return made


@cache
def schema() -> dict[str, Any]:
    """The results file's JSON Schema, as shipped in the package."""
    text = (
        files("conformance.reporting").joinpath("results.schema.json").read_text(encoding="utf-8")
    )
    loaded: dict[str, Any] = json.loads(text)
    return loaded


@cache
def _validator() -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema())
    cls.check_schema(schema())
    validator: jsonschema.protocols.Validator = cls(schema())
    return validator


def schema_problem(document: Any) -> str:
    """The first way ``document`` fails the JSON Schema, as one line naming
    where (``clauses[0].tests[1].evidence.message``) and what; "" if none."""
    error = jsonschema.exceptions.best_match(_validator().iter_errors(document))
    if error is None:
        return ""
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    if error.validator == "type":
        given = error.validator_value
        kinds = [str(k) for k in (given if isinstance(given, list) else [given])]
        wanted = " or ".join(_JSON_TYPE_NAMES.get(k, k) for k in kinds)
        what = f"must be {wanted} (got {plain(repr(error.instance), 80)})"
    else:
        what = plain(error.message, 200)
    return f"at {where.lstrip('.') or 'the top'}: {what}"


_JSON_TYPE_NAMES = {
    "string": "a string",
    "object": "an object",
    "array": "an array",
    "number": "a number",
    "integer": "an integer",
    "boolean": "true or false",
}


# Far deeper than any file the suite writes (about 13 levels), far shallower
# than what would exhaust the stack of whoever reads or renders it.
MAX_DEPTH = 64


def _depth(raw: Any) -> int:
    """How deeply ``raw`` nests arrays and objects, without recursion."""
    deepest, stack = 0, [(raw, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict | list):
            level += 1
            deepest = max(deepest, level)
            if level <= MAX_DEPTH:  # no need to look further down
                children = value.values() if isinstance(value, dict) else value
                stack.extend((child, level) for child in children)
    return deepest


_TYPE_NAMES: dict[type, str] = {str: "a string", list: "an array", dict: "an object"}


def _obj(raw: Any, where: str) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ValueError(f"{where} must be a JSON object (got {type(raw).__name__})")
    return raw


def _get(obj: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in obj:
        raise ValueError(f"{where} lacks the field {key!r}")
    if not isinstance(obj[key], kind):
        raise ValueError(f"{where}: {key!r} must be {_TYPE_NAMES[kind]} (got {obj[key]!r:.80})")
    return obj[key]


def _choice(obj: dict[str, Any], key: str, allowed: tuple[str, ...], where: str) -> str:
    value: str = _get(obj, key, str, where)
    if value not in allowed:
        raise ValueError(f"{where}: {key!r} must be one of {allowed} (got {value!r:.80})")
    return value


def _boolean(raw: Any, where: str) -> bool:
    if not isinstance(raw, bool):
        raise ValueError(f"{where} must be true or false (got {raw!r:.80})")
    return raw


def _string(raw: Any, where: str) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"{where} must be a string (got {raw!r:.80})")
    return raw


def _number(raw: Any, where: str) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError(f"{where} must be a number (got {raw!r:.80})")
    return float(raw)


def _strings(raw: Any, where: str) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
        raise ValueError(f"{where} must be an array of strings (got {raw!r:.80})")
    return list(raw)


def _versions(raw: Any, where: str) -> dict[str, str]:
    """An object of distribution names to version strings (area depth)."""
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in raw.items()
    ):
        raise ValueError(f"{where} must be an object of version strings (got {raw!r:.80})")
    return dict(raw)
