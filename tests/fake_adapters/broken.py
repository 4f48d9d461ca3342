"""Adapters that are broken as objects: the suite must refuse each with one
line naming it, never a traceback."""

from __future__ import annotations

import sys

from adapters.reference import ReferenceAdapter


class RaisingConstructor(ReferenceAdapter):
    """Its constructor raises (with a message of two lines)."""

    def __init__(self) -> None:
        raise RuntimeError("constructor bug\nsecond line")


class ExitingConstructor(ReferenceAdapter):
    """Its constructor calls sys.exit."""

    def __init__(self) -> None:
        sys.exit(3)


class UnknownInterface(ReferenceAdapter):
    """Serves an interface no server speaks."""

    interface = "cgi"  # type: ignore[assignment]


class NoDistribution(ReferenceAdapter):
    """Names no package to take the framework's version from."""

    distribution = ""


class UninstalledDistribution(ReferenceAdapter):
    """Names a package that is not installed."""

    distribution = "no-such-distribution-for-lifecycle-conformance"
