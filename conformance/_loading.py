"""Finding adapters: the entry-point group, or a 'module:attribute' path."""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError, entry_points, version

from ._errors import ContractMismatch, FrameworkNotInstalled, UnknownAdapter, UsageError
from .contract import CONTRACT_VERSION, Adapter

ENTRY_POINT_GROUP = "lifecycle_conformance.adapters"


def framework_version(adapter: Adapter) -> str:
    try:
        return version(adapter.distribution)
    except PackageNotFoundError:
        raise FrameworkNotInstalled(adapter.name, adapter.distribution) from None


def known_adapters() -> dict[str, str]:
    """Adapter names registered in the entry-point group, with their targets."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_adapter(name: str) -> Adapter:
    """Find ``name`` in the entry-point group (or import 'module:attribute')."""
    eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    target = eps[name].value if name in eps else name
    if ":" not in target:
        raise UnknownAdapter(name, sorted(eps))
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if name not in eps and exc.name and module_name.startswith(exc.name):
            raise UnknownAdapter(name, sorted(eps)) from None
        raise FrameworkNotInstalled(name, exc.name or module_name) from None
    except ImportError as exc:  # installed, but not usable as it is (a version floor, say)
        raise UsageError(f"adapter {name!r} cannot be loaded: {exc}") from None
    try:
        factory = getattr(module, attr)
    except AttributeError:
        raise UsageError(f"adapter {name!r}: module {module_name!r} has no {attr!r}") from None
    return checked(factory() if isinstance(factory, type) else factory, name)


def checked(adapter: object, name: str) -> Adapter:
    """``adapter``, unless it was built for another contract or is not an
    adapter at all (then a one-line UsageError naming ``name``)."""
    contract = getattr(adapter, "contract", None)
    if contract != CONTRACT_VERSION:
        raise ContractMismatch(name, contract, CONTRACT_VERSION)
    if not isinstance(adapter, Adapter):
        raise UsageError(
            f"adapter {name!r} does not implement the adapter contract"
            " (name, framework, distribution, interface, capabilities, expectations,"
            " build, client); see docs/ADAPTERS.md"
        )
    return adapter
