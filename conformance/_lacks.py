"""What a framework lacks, declared as data beside its adapter.

A lacks file is TOML: one ``[[lacks]]`` table per reason, naming the concepts
of the vocabulary the framework does not have::

    [[lacks]]
    reason = "Bottle has no application context: no current_app ..."
    concepts = ["stage:teardown_app", "probe:app", "feature:pushed-app-context"]

Each concept is ``kind:name`` (kind one of stage, form, probe, feature) and
appears once in the file.  A clause about one of them is *not applicable* on
that framework with the reason, which names the concept and says what the
framework has instead; ``kit.lacking`` turns the mapping into capabilities.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ._errors import ConformanceError
from ._model import FORMS, PROBES, STAGES
from .contract import FEATURES

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CONCEPTS: dict[str, tuple[str, ...]] = {
    "stage": STAGES,
    "form": FORMS,
    "probe": PROBES,
    "feature": FEATURES,
}


class LacksError(ConformanceError):
    """A lacks file is unreadable or names a concept the vocabulary does not have."""


def read_lacks(path: Path) -> dict[str, str]:
    """``{"kind:name": reason}`` from the lacks file at ``path``, checked."""
    where = str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise LacksError(f"cannot read lacks file {where!r}: {exc}") from None
    if set(raw) - {"lacks"} or not isinstance(raw.get("lacks", []), list):
        raise LacksError(f"{where}: write one [[lacks]] table per reason, and nothing else")
    missing: dict[str, str] = {}
    for n, entry in enumerate(raw.get("lacks", []), 1):
        label = f"{where}: lacks #{n}"
        if not isinstance(entry, dict) or set(entry) != {"reason", "concepts"}:
            raise LacksError(f"{label} must have exactly the keys 'reason' and 'concepts'")
        reason, concepts = entry["reason"], entry["concepts"]
        if not isinstance(reason, str) or not reason.strip():
            raise LacksError(f"{label}: 'reason' must be a non-empty string")
        if not isinstance(concepts, list) or not concepts:
            raise LacksError(f"{label}: 'concepts' must be a non-empty list of 'kind:name'")
        for concept in concepts:
            kind, _, name = str(concept).partition(":")
            if not isinstance(concept, str) or name not in CONCEPTS.get(kind, ()):
                raise LacksError(
                    f"{label} names {concept!r}, which is no concept of the vocabulary;"
                    f" write 'kind:name' with kind one of {', '.join(CONCEPTS)}"
                    " (docs/ADAPTERS.md lists the names)"
                )
            if concept in missing:
                raise LacksError(f"{label} names {concept!r} again; give each concept one reason")
            missing[concept] = " ".join(reason.split())
    return missing
