"""Everything an adapter author needs, in one import.

    from conformance.kit import CONTRACT_VERSION, Capabilities, perform, ...

See docs/ADAPTERS.md for the contract these names implement.
"""

from ._adapter import (
    CONTRACT_VERSION,
    FEATURES,
    Adapter,
    AsyncClient,
    Capabilities,
    Client,
    Native,
    Recorder,
    Reply,
    aperform,
    build_value,
    exception_class,
    perform,
)
from ._model import (
    EXCEPTIONS,
    FORMS,
    JSON,
    PROBES,
    SIGNALS,
    STAGES,
    Behaviour,
    Blueprint,
    Call,
    Event,
    Hook,
    Route,
    Scenario,
    Value,
)

__all__ = [
    "CONTRACT_VERSION",
    "EXCEPTIONS",
    "FEATURES",
    "FORMS",
    "JSON",
    "PROBES",
    "SIGNALS",
    "STAGES",
    "Adapter",
    "AsyncClient",
    "Behaviour",
    "Blueprint",
    "Call",
    "Capabilities",
    "Client",
    "Event",
    "Hook",
    "Native",
    "Recorder",
    "Reply",
    "Route",
    "Scenario",
    "Value",
    "aperform",
    "build_value",
    "exception_class",
    "perform",
]
