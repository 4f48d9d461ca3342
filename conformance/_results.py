"""The results file: what one run found, clause by clause.  docs/RESULTS.md
documents the schema; ``Results.load`` checks a file against it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from ._errors import ResultsError
from ._model import JSON

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

    @property
    def label(self) -> str:
        """How this run is named in the report: framework, version, transport."""
        return f"{self.framework} {self.framework_version} ({self.transport})"

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
                    "tests": [
                        {k: v for k, v in vars(t).items() if v not in (None, "")} for t in c.tests
                    ],
                }
                for c in self.clauses
            ],
            "untested": self.untested,
        }

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Results:
        where = str(path)
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ResultsError(f"cannot read results file {where!r}: {exc.strerror}") from None
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ResultsError(f"results file {where!r} is not JSON: {exc}") from None
        try:
            return cls.from_json(raw)
        except (KeyError, TypeError, ValueError) as exc:
            raise ResultsError(
                f"results file {where!r} does not follow schema {SCHEMA!r}: {exc!s}"
            ) from None

    @classmethod
    def from_json(cls, raw: Any) -> Results:
        if not isinstance(raw, dict) or raw.get("schema") != SCHEMA:
            got = raw.get("schema") if isinstance(raw, dict) else type(raw).__name__
            raise ValueError(f"'schema' must be {SCHEMA!r} (got {got!r})")
        clauses = []
        for c in raw["clauses"]:
            tests = []
            for t in c["tests"]:
                if t["outcome"] not in OUTCOMES:
                    raise ValueError(f"clause {c['id']!r}: unknown outcome {t['outcome']!r}")
                tests.append(
                    TestResult(t["name"], t["outcome"], t.get("detail", ""), t.get("evidence"))
                )
            clauses.append(
                ClauseResult(c["id"], c["level"], c["area"], c["basis"], tests, c.get("expected"))
            )
        framework = raw["framework"]
        return cls(
            adapter=str(raw["adapter"]),
            framework=str(framework["name"]),
            framework_version=str(framework["version"]),
            transport=str(raw["transport"]),
            python=str(raw["python"]),
            suite_version=str(raw["suite_version"]),
            platform=str(raw.get("platform", "")),
            started=str(raw.get("started", "")),
            duration_s=float(raw.get("duration_s", 0.0)),
            selection=list(raw.get("selection", [])),
            clauses=clauses,
            untested=list(raw.get("untested", [])),
        )
