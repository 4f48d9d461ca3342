"""Adapters that refuse or restrict on purpose."""

from adapters.reference import ReferenceAdapter
from conformance.kit import STAGES, Capabilities


class FutureContract(ReferenceAdapter):
    """Written for an adapter contract this suite does not speak."""

    contract = 99


class FirstContract(ReferenceAdapter):
    """Written for the first adapter contract (Flask's vocabulary)."""

    contract = 1


class NoTeardownAppcontext(ReferenceAdapter):
    """A framework without an application-context teardown stage."""

    capabilities = Capabilities(
        stages=frozenset(STAGES) - {"teardown_app"},
        missing={"stage:teardown_app": "this framework has no application context"},
    )


class NoTeardown(ReferenceAdapter):
    """A framework without a finally (teardown) stage."""

    capabilities = Capabilities(
        stages=frozenset(STAGES) - {"teardown"},
        missing={"stage:teardown": "this framework has no finally stage"},
    )


class NotAnAdapter:
    contract = 4  # the contract spoken, but none of its members


class BrokenBuild(ReferenceAdapter):
    """An adapter that crashes while building the app."""

    def build(self, scenario, recorder):  # type: ignore[no-untyped-def]
        raise RuntimeError("adapter bug")


class FlaskNamedOldRelease(ReferenceAdapter):
    """The reference framework posing as Flask 0.1.0, to exercise version conditions."""

    framework = "flask"
    distribution = "lifecycle-conformance"  # installed as 0.1.0
