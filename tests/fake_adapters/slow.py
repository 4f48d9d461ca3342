"""The reference framework, slowly: every app takes a while to build, so
that a run lasts long enough to be interrupted halfway."""

from __future__ import annotations

import time
from typing import Any

from adapters.reference import ReferenceAdapter
from conformance.kit import Recorder, Scenario

BUILD_TAKES = 0.05


class Slow(ReferenceAdapter):
    name = "slow"

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        time.sleep(BUILD_TAKES)
        return super().build(scenario, recorder)
