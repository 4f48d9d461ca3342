"""Known divergences, declared per adapter.

An expectations file is TOML::

    [[divergence]]
    clause = "response.list.json"        # a clause ID (required)
    reason = "why the framework differs" # required, shown in REPORT.md
    versions = "<2.2"                    # optional PEP 440 specifier on the framework
    transports = ["in-process"]          # optional: only over these transports
    evidence = "https://..."             # optional link to the docs, source or issue

A declared divergence still runs.  When it fails, the outcome stays "fail"
but is marked expected and does not fail the run; when it passes, that is an
*unexpected pass*, which does, so that expectation lists cannot go stale.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from ._errors import ExpectationsError
from ._spec import Registry

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


@dataclass(frozen=True)
class Expectation:
    clause: str
    reason: str
    versions: str = ""
    evidence: str = ""
    # Where a server changes what the client sees (it drops a HEAD body, say),
    # a divergence may hold over one transport only: "in-process" or "http".
    transports: tuple[str, ...] = ()

    def describe(self) -> str:
        """The reason, with the evidence to check it by, as the report shows it."""
        return f"{self.reason} Evidence: {self.evidence}" if self.evidence else self.reason

    def applies_to(self, version: str, transport: str = "in-process") -> bool:
        """Whether it holds for ``version`` over ``transport`` ("http/<server>" is "http")."""
        if self.transports and transport.partition("/")[0] not in self.transports:
            return False
        return not self.versions or Version(version) in SpecifierSet(self.versions)


def load_expectations(path: Path, registry: Registry) -> list[Expectation]:
    """Read and check ``path``; a missing file means no declared divergence."""
    if not path.exists():
        return []
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ExpectationsError(f"cannot read expectations file {where!r}: {exc}") from None
    except RecursionError:
        raise ExpectationsError(
            f"cannot read expectations file {where!r}: nested too deeply"
        ) from None
    unknown_tables = set(raw) - {"divergence"}
    if unknown_tables:
        raise ExpectationsError(
            f"{where}: unknown tables {sorted(unknown_tables)}; use [[divergence]] entries"
        )
    entries = raw.get("divergence", [])
    if not isinstance(entries, list):
        raise ExpectationsError(
            f"{where}: 'divergence' must be an array of tables, written [[divergence]]"
            f" (got {_shown(entries)})"
        )
    out = []
    for n, entry in enumerate(entries, 1):
        label = f"{where}: divergence #{n}"
        if not isinstance(entry, dict):
            raise ExpectationsError(
                f"{label} must be a table with 'clause' and 'reason' (got {_shown(entry)})"
            )
        extra = set(entry) - {"clause", "reason", "versions", "evidence", "transports"}
        if extra:
            raise ExpectationsError(f"{label} has unknown keys {sorted(extra)}")
        clause, reason = entry.get("clause"), entry.get("reason")
        if not isinstance(clause, str) or clause not in registry:
            raise ExpectationsError(f"{label} names unknown clause {_shown(clause)}")
        if not isinstance(reason, str) or not reason.strip():
            raise ExpectationsError(f"{label} ({clause}) needs a 'reason': a non-empty string")
        for key in ("versions", "evidence"):
            if not isinstance(entry.get(key, ""), str):
                raise ExpectationsError(
                    f"{label} ({clause}): {key!r} must be a string (got {_shown(entry[key])})"
                )
        try:
            SpecifierSet(entry.get("versions", ""))
        except InvalidSpecifier:
            raise ExpectationsError(
                f"{label} ({clause}): 'versions' must be a PEP 440 specifier like '<2.2'"
                f" (got {_shown(entry.get('versions'))})"
            ) from None
        transports = entry.pop("transports", [])
        if not (
            isinstance(transports, list)
            and all(t in ("in-process", "http") for t in transports if isinstance(t, str))
            and all(isinstance(t, str) for t in transports)
        ):
            raise ExpectationsError(
                f"{label} ({clause}): 'transports' must be a list of 'in-process' and 'http'"
                f" (got {_shown(transports)})"
            )
        out.append(Expectation(**entry, transports=tuple(transports)))
    return out


def _shown(value: object, limit: int = 80) -> str:
    """``value``'s repr, cut to ``limit`` characters, for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + " ...>"
