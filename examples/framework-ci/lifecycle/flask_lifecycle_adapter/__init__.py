"""The adapter a framework ships in its own package, registered in the
``lifecycle_conformance.adapters`` entry-point group (pyproject.toml).

Flask stands in for the framework, so that this recipe runs as it is: the
adapter is the suite's own Flask adapter, with the two things a framework's
package owns, its name and its file of declared divergences.  A framework's
real adapter builds its apps itself, from ``conformance.kit``
(docs/ADAPTERS.md).
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from adapters.flask import FlaskAdapter


class Adapter(FlaskAdapter):
    # Not a name the suite ships: `lifecycle-conformance adapters` lists those.
    name = "flask-example"
    expectations: ClassVar[Path | None] = Path(__file__).with_name("expectations.toml")
