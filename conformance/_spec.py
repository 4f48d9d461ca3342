"""The clause registry: every observable rule, with a stable ID.

The registry is ``spec/*.toml``, one file per area; SPEC.md is rendered from
it (``lifecycle-conformance spec``) and a test keeps the two in lockstep.  IDs
never change meaning: a clause that no longer holds is retired, not reused.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

REGISTRY = Path(__file__).with_name("spec")
LEVELS = ("MUST", "SHOULD", "MAY")
BASES = ("documented", "observed")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)+$")


class SpecError(ValueError):
    """The clause registry is malformed."""


@dataclass(frozen=True)
class Clause:
    """One normative rule of the request lifecycle."""

    id: str
    text: str
    level: Literal["MUST", "SHOULD", "MAY"]
    area: str
    source: str  # a documentation URL a reader can open in one click
    code: str  # the source function it was derived from, e.g. "flask/app.py: Flask.make_response"
    basis: Literal["documented", "observed"] = "documented"
    since: Mapping[str, str] = field(default_factory=dict)  # framework -> first release
    until: Mapping[str, str] = field(default_factory=dict)  # framework -> first release without
    retired: str = ""  # why the clause no longer applies, when it does not
    # Frameworks a framework-specific clause is about (empty: every framework),
    # and why the others are not held to it.
    only: tuple[str, ...] = ()
    only_reason: str = ""

    def condition(self, framework: str) -> SpecifierSet | None:
        """The framework versions this clause holds for, or None if all."""
        parts = []
        if framework in self.since:
            parts.append(f">={self.since[framework]}")
        if framework in self.until:
            parts.append(f"<{self.until[framework]}")
        return SpecifierSet(",".join(parts)) if parts else None

    def about(self, framework: str) -> bool:
        """Whether this clause concerns ``framework`` at all."""
        return not self.only or framework in self.only

    def holds_for(self, framework: str, version: str) -> bool:
        condition = self.condition(framework)
        return condition is None or Version(version) in condition


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    summary: str
    order: int


@dataclass(frozen=True)
class Registry:
    areas: tuple[Area, ...]
    clauses: tuple[Clause, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {c.id: c for c in self.clauses})

    def __getitem__(self, clause_id: str) -> Clause:
        by_id: dict[str, Clause] = self._by_id  # type: ignore[attr-defined]
        return by_id[clause_id]

    def __contains__(self, clause_id: object) -> bool:
        return clause_id in self._by_id  # type: ignore[attr-defined]

    def active(self) -> list[Clause]:
        return [c for c in self.clauses if not c.retired]

    def in_area(self, area: str) -> list[Clause]:
        return [c for c in self.clauses if c.area == area]


@cache
def registry(folder: Path = REGISTRY) -> Registry:
    """Load and check the registry in ``folder`` (the shipped one by default):
    every ``*.toml`` file there holds one ``[area]`` and its ``[[clause]]``s."""
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise SpecError(f"no clause files (*.toml) in {str(folder)!r}")
    areas: list[Area] = []
    clauses: list[Clause] = []
    for path in files:
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise SpecError(f"cannot read clause file {str(path)!r}: {exc}") from None
        area = _area(raw.get("area"), path)
        areas.append(area)
        clauses += [_clause(c, area.id) for c in raw.get("clause", [])]
    seen: set[str] = set()
    for clause in clauses:
        if clause.id in seen:
            raise SpecError(f"clause {clause.id!r} is defined twice")
        seen.add(clause.id)
    areas.sort(key=lambda a: a.order)
    order = {a.id: a.order for a in areas}
    clauses.sort(key=lambda c: order[c.area])  # stable: file order within an area
    return Registry(tuple(areas), tuple(clauses))


def _area(raw: Any, path: Path) -> Area:
    if not isinstance(raw, dict) or not {"id", "title", "order"} <= set(raw):
        raise SpecError(f"{path.name}: needs an [area] table with id, title and order")
    return Area(
        id=raw["id"], title=raw["title"], summary=raw.get("summary", ""), order=raw["order"]
    )


def _clause(raw: Mapping[str, Any], area: str) -> Clause:
    cid = raw.get("id", "<no id>")
    required = ("id", "text", "level", "source", "code")
    missing = [k for k in required if not raw.get(k)]
    if missing:
        raise SpecError(f"clause {cid!r} lacks {missing}")
    unknown = set(raw) - {*required, "basis", "since", "until", "retired", "only", "only_reason"}
    if unknown:
        raise SpecError(f"clause {cid!r} has unknown fields {sorted(unknown)}")
    if not ID_PATTERN.match(cid):
        raise SpecError(f"clause id {cid!r} is not a dotted lower-case id like 'hooks.after.order'")
    if raw["level"] not in LEVELS:
        raise SpecError(f"clause {cid!r}: level must be one of {LEVELS} (got {raw['level']!r})")
    if raw.get("basis", "documented") not in BASES:
        raise SpecError(f"clause {cid!r}: basis must be one of {BASES} (got {raw['basis']!r})")
    if not cid.startswith(area + "."):
        raise SpecError(
            f"clause {cid!r} is in the file of area {area!r} but does not start with it"
        )
    if bool(raw.get("only")) != bool(raw.get("only_reason")):
        raise SpecError(f"clause {cid!r}: 'only' and 'only_reason' go together")
    clause = Clause(area=area, **{**raw, "only": tuple(raw.get("only", ()))})
    for framework in {*clause.since, *clause.until}:
        try:
            clause.condition(framework)
        except InvalidSpecifier as exc:
            raise SpecError(f"clause {cid!r}: bad version for {framework!r}: {exc}") from None
    return clause


def render_markdown(reg: Registry) -> str:
    """SPEC.md: the registry as a document, grouped by area; each clause's
    entry has an anchor named by its ID (``SPEC.md#hooks.after.order``)."""
    lines = [
        "# The request-lifecycle specification",
        "",
        "<!-- Generated from conformance/spec/*.toml by"
        " `lifecycle-conformance spec -o conformance/spec/SPEC.md`. Do not edit. -->",
        "",
        "Each clause has a stable ID, a level (MUST / SHOULD / MAY, as in RFC 2119),"
        " and the source it was derived from. *documented* clauses restate what the"
        " framework's documentation promises; *observed* clauses record behaviour"
        " that the source code shows but the documentation does not promise.",
        "",
        f"{len(reg.active())} active clauses in {len(reg.areas)} areas.",
        "",
    ]
    for area in reg.areas:
        clauses = reg.in_area(area.id)
        lines += [f"## {area.title} (`{area.id}`)", "", area.summary, ""]
        for c in clauses:
            versions = ", ".join(
                [f"{fw} ≥ {v}" for fw, v in sorted(c.since.items())]
                + [f"{fw} < {v}" for fw, v in sorted(c.until.items())]
            )
            lines += [
                # A stable anchor, the clause's ID itself, for links from the
                # report (a heading's own anchor drops the dots).
                f'<a id="{c.id}"></a>',
                "",
                f"### `{c.id}`",
                "",
                f"**{c.level}** · {c.basis}"
                + (f" · holds for {versions}" if versions else "")
                + (f" · only for {', '.join(c.only)}" if c.only else ""),
                "",
                c.text,
                "",
                f"Source: [{c.source}]({c.source}) — `{c.code}`",
                "",
            ]
            if c.only:
                lines += [f"*Framework-specific:* {c.only_reason}", ""]
            if c.retired:
                lines += [f"*Retired:* {c.retired}", ""]
    return "\n".join(lines).rstrip() + "\n"
