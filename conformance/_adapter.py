"""Where the adapter machinery lives, for modules that import it from here:
the contract in ``contract``, loading in ``_loading``, the recorder in
``_recorder``, behaviours in ``_perform``, applicability in ``_applicability``."""

from ._loading import ENTRY_POINT_GROUP, framework_version, known_adapters, load_adapter
from ._perform import aperform, build_value, exception_class, perform
from ._recorder import Recorder, current_call, set_current_call
from .contract import (
    CONTRACT_VERSION,
    FEATURES,
    Adapter,
    AsyncClient,
    Capabilities,
    Client,
    Native,
    Reply,
)

__all__ = [
    "CONTRACT_VERSION",
    "ENTRY_POINT_GROUP",
    "FEATURES",
    "Adapter",
    "AsyncClient",
    "Capabilities",
    "Client",
    "Native",
    "Recorder",
    "Reply",
    "aperform",
    "build_value",
    "current_call",
    "exception_class",
    "framework_version",
    "known_adapters",
    "load_adapter",
    "perform",
    "set_current_call",
]
