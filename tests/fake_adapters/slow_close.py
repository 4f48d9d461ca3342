"""The reference framework behind middleware whose response body takes
seconds to close, as a hung teardown would: the http transport must stop
waiting for the request to finish, with a clear message, not hang."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import Any

from adapters.reference import ReferenceAdapter
from conformance.kit import Recorder, Scenario

CLOSE_TAKES = 5.0


class SlowClose(ReferenceAdapter):
    name = "slow-close"

    def build(self, scenario: Scenario, recorder: Recorder) -> Any:
        app = super().build(scenario, recorder)

        def slow(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
            return _SlowBody(app(environ, start_response))

        return slow


class _SlowBody:
    def __init__(self, body: Iterable[bytes]) -> None:
        self.body = body

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.body)

    def close(self) -> None:
        time.sleep(CLOSE_TAKES)
        getattr(self.body, "close", lambda: None)()
