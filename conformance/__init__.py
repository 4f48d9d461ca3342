"""lifecycle-conformance: a conformance suite for web-framework request lifecycles.

The public surface:

* :mod:`conformance.kit` -- the adapter contract and what adapters are built from;
* :mod:`conformance.scenarios` -- builders for scenarios;
* :mod:`conformance.checks` -- assertions that report expected vs observed;
* ``clause`` -- the marker every conformance test carries;
* ``run_scenario`` -- one scenario on one adapter, for a framework's own tests;
* ``registry``, ``Results`` -- the clause registry and results files;
* :mod:`conformance.transports`, :mod:`conformance.reporting` -- how requests
  reach the app, and what is made of a run's results.
"""

import pytest

from ._errors import ConformanceError, Divergence, HarnessError, NotApplicable
from ._model import Call, Event, Exchange, Observation, Scenario
from ._run import run_scenario
from ._spec import Clause, Registry, registry
from .reporting import Results

clause = pytest.mark.clause
"""``@clause("hooks.after.reverse-registration-order")``: the clause a test checks."""

__all__ = [
    "Call",
    "Clause",
    "ConformanceError",
    "Divergence",
    "Event",
    "Exchange",
    "HarnessError",
    "NotApplicable",
    "Observation",
    "Registry",
    "Results",
    "Scenario",
    "clause",
    "registry",
    "run_scenario",
]
