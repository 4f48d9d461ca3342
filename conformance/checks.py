"""Assertions that report expected and observed as data.

A failing ``same`` raises Divergence, which the results file and REPORT.md
show side by side.  Compare whole sequences, so a failure shows the complete
observed order, and assert what must *not* happen as well as what must.
"""

from __future__ import annotations

from typing import Any

from ._errors import Divergence


def same(observed: Any, expected: Any, what: str) -> None:
    """Fail with a Divergence about ``what`` unless ``observed == expected``."""
    if observed != expected:
        raise Divergence(what, expected=expected, observed=observed)
