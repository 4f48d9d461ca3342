"""Mutants of what happens around the requests: setup after the first request,
an application context the test pushed, the test client's with block."""

from __future__ import annotations

from typing import Any

from reference_impl._context import AppContext
from reference_impl.testing import WsgiClient
from tests.mutants import Mutant


class LateSetupAccepted(Mutant):
    """A hook registered after the first request is accepted, and runs from then on."""

    breaks = frozenset({"steps.setup.late-registration-raises", "steps.setup.late-hook-never-runs"})

    def check_setup_finished(self, name: str) -> None:
        pass


class PushedAppContextIgnored(Mutant):
    """Every request pushes an application context of its own, even inside the one
    the test pushed (served by the ASGI face)."""

    face = "asgi"
    breaks = frozenset(
        {
            "steps.app-context.g-shared-across-requests",
            "steps.app-context.pushed-signal-once",
            "steps.app-context.teardown-when-test-pops",
            "steps.app-context.popped-signal-when-test-pops",
        }
    )

    def joins_app_context(self, current: AppContext) -> bool:
        return False


class _ForgetfulClient(WsgiClient):
    """A test client whose with block keeps no request context after a response."""

    def open(self, *args: Any, **kwargs: Any) -> Any:
        return super(WsgiClient, self).open(*args, **kwargs)


class ClientBlockKeepsNoContext(Mutant):
    """Inside the test client's with block, a request's context ends with its response:
    nothing is kept for the test, and nothing is torn down again."""

    breaks = frozenset(
        {
            "steps.client-context.request-kept-after-response",
            "steps.client-context.g-kept-after-response",
            "steps.client-context.teardown-again-when-kept-context-ends",
        }
    )

    def test_client(self) -> WsgiClient:
        return _ForgetfulClient(self)
