"""Finding adapters: the entry-point group, or a 'module:attribute' path."""

from __future__ import annotations

import functools
import importlib
import re
from importlib.metadata import PackageNotFoundError, entry_points, requires, version

from ._errors import (
    ContractMismatch,
    FrameworkNotInstalled,
    UnknownAdapter,
    UsageError,
    one_line,
)
from .contract import CONTRACT_VERSION, Adapter

ENTRY_POINT_GROUP = "lifecycle_conformance.adapters"


def framework_version(adapter: Adapter) -> str:
    distribution = getattr(adapter, "distribution", None)
    if not isinstance(distribution, str) or not distribution:
        raise UsageError(
            f"adapter {adapter.name!r}: 'distribution' must name the framework's package"
            f" (got {distribution!r}); see docs/ADAPTERS.md"
        )
    try:
        return version(adapter.distribution)
    except PackageNotFoundError:
        raise FrameworkNotInstalled(adapter.name, adapter.distribution) from None


def known_adapters() -> dict[str, str]:
    """Adapter names registered in the entry-point group, with their targets."""
    return {ep.name: ep.value for ep in entry_points(group=ENTRY_POINT_GROUP)}


def load_adapter(name: str) -> Adapter:
    """Find ``name`` in the entry-point group (or import 'module:attribute').

    Whatever the adapter's module or constructor does wrong (raises, exits)
    is a one-line UsageError naming the adapter, never a traceback."""
    try:
        eps = {ep.name: ep for ep in entry_points(group=ENTRY_POINT_GROUP)}
    except Exception as exc:  # a broken distribution's metadata
        raise UsageError(f"cannot list the installed adapters: {one_line(exc)}") from None
    target = eps[name].value if name in eps else name
    module_name, _, attr = target.partition(":")
    if not (_dotted(module_name) and _dotted(attr)):
        if name in eps:
            raise UsageError(
                f"adapter {name!r}: its entry point {target!r} is not 'module:attribute';"
                " fix the package that registers it"
            )
        raise UnknownAdapter(name, sorted(eps))
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if name not in eps and exc.name and module_name.startswith(exc.name):
            raise UnknownAdapter(name, sorted(eps)) from None
        raise FrameworkNotInstalled(name, exc.name or module_name) from None
    except ImportError as exc:  # installed, but not usable as it is (a version floor, say)
        raise UsageError(f"adapter {name!r} cannot be loaded: {one_line(exc)}") from None
    except (Exception, SystemExit) as exc:  # the module itself is broken
        raise UsageError(
            f"adapter {name!r}: importing {module_name!r} raised {one_line(exc)};"
            " fix the adapter's module or the framework it imports"
        ) from None
    try:
        factory = functools.reduce(getattr, attr.split("."), module)
    except AttributeError:
        raise UsageError(f"adapter {name!r}: module {module_name!r} has no {attr!r}") from None
    except Exception as exc:
        raise UsageError(
            f"adapter {name!r}: looking up {attr!r} in {module_name!r} raised {one_line(exc)}"
        ) from None
    if isinstance(factory, type):
        try:
            factory = factory()
        except (Exception, SystemExit) as exc:
            raise UsageError(
                f"adapter {name!r}: constructing {target} raised {one_line(exc)};"
                " fix the adapter's constructor"
            ) from None
    return checked(factory, name)


def _dotted(text: str) -> bool:
    """Whether ``text`` is a dotted Python name (``a.b.c``)."""
    return bool(text) and all(part.isidentifier() for part in text.split("."))


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


# area depth: the frameworks another framework may be built on, whose
# installed versions a results file records beside the framework's own.
BUILT_ON: tuple[str, ...] = ("flask", "werkzeug", "starlette")


def built_on(distribution: str) -> dict[str, str]:
    """The installed version of each of BUILT_ON that ``distribution``
    requires (not through an extra): Quart's Flask and Werkzeug, FastAPI's
    Starlette.  Empty when its metadata cannot be read."""
    try:
        required = requires(distribution) or []
    except Exception:  # not installed, or broken metadata: nothing to record
        return {}
    found: dict[str, str] = {}
    for line in required:
        name, _, marker = line.partition(";")
        if "extra" in marker:
            continue
        match = re.match(r"[A-Za-z0-9._-]+", name.strip())
        key = match.group(0).lower().replace("_", "-") if match else ""
        if key in BUILT_ON and key not in found:
            try:
                found[key] = version(key)
            except PackageNotFoundError:
                continue
    return dict(sorted(found.items()))
