"""Assertions that report expected and observed as data.

A failing ``same`` raises Divergence, which the results file and REPORT.md
show side by side.  Compare whole sequences, so a failure shows the complete
observed order, and assert what must *not* happen as well as what must.

What a dropped observer hook would have shown is not compared: its id is
left out of an expected call order, and a value it would have seen (DROPPED)
is left out of the comparison wherever it stands.
"""

from __future__ import annotations

from typing import Any

from ._errors import Divergence
from ._reading import DROPPED, Order

# How many comparisons ``same`` made that a dropped observer did not empty, since
# the last reset: a test that made none has checked nothing (the plugin asks).
_MADE = [0]


def same(observed: Any, expected: Any, what: str) -> None:
    """Fail with a Divergence about ``what`` unless ``observed == expected``."""
    observed, expected = _comparable(observed, expected)
    if observed is not DROPPED:
        _MADE[0] += 1
    if observed != expected:
        raise Divergence(what, expected=expected, observed=observed)


def comparisons_made(*, reset: bool = False) -> int:
    """The comparisons ``same`` made since the last reset (and reset, if asked)."""
    made = _MADE[0]
    if reset:
        _MADE[0] = 0
    return made


def _comparable(observed: Any, expected: Any) -> tuple[Any, Any]:
    if observed is DROPPED:
        return DROPPED, DROPPED
    if isinstance(observed, Order):
        if isinstance(expected, list | tuple):
            expected = [h for h in expected if h not in observed.dropped]
        return list(observed), expected
    sequences = isinstance(observed, tuple | list) and isinstance(expected, tuple | list)
    if sequences and len(observed) == len(expected):
        pairs = [_comparable(o, e) for o, e in zip(observed, expected, strict=True)]
        return type(observed)(o for o, _ in pairs), type(expected)(e for _, e in pairs)
    if (
        isinstance(observed, dict)
        and isinstance(expected, dict)
        and observed.keys() == expected.keys()
    ):
        both = {k: _comparable(observed[k], expected[k]) for k in observed}
        return {k: o for k, (o, _) in both.items()}, {k: e for k, (_, e) in both.items()}
    return observed, expected


def media_type(value: str | None) -> tuple[str, dict[str, str]] | None:
    """A Content-Type as HTTP defines its equality: the type and subtype and
    parameter names case-insensitive, a charset's value too."""
    if value is None:
        return None
    kind, *params = (part.strip() for part in value.split(";"))
    parsed: dict[str, str] = {}
    for param in params:
        name, _, val = param.partition("=")
        name = name.strip().lower()
        val = val.strip().strip('"')
        parsed[name] = val.lower() if name == "charset" else val
    return kind.lower(), parsed
