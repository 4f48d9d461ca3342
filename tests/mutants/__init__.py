"""Deliberately broken reference frameworks, to test the tester.

Each mutant replaces one lifecycle step of ``reference_impl.App`` with a
plausible bug and declares, in ``breaks``, the clauses the suite must fail
for it -- and so, by omission, every clause that must still pass.  The suite
is run against each through ``--adapter tests.mutants:<snake_case_name>``.

Mutants live in this package's modules, one per area; every ``Mutant``
subclass defined there is found.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import ClassVar

from adapters.reference import ReferenceAdapter, ReferenceAsgiAdapter
from reference_impl import App


class Mutant(App):
    """A broken copy of the reference framework, run through its WSGI face
    (or, with ``face = "asgi"``, its ASGI face with async hooks and views)."""

    breaks: ClassVar[frozenset[str]] = frozenset()
    face: ClassVar[str] = "wsgi"


def adapter_name(mutant: type[Mutant]) -> str:
    """``AfterHooksInRegistrationOrder`` -> ``after_hooks_in_registration_order``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", mutant.__name__).lower()


def adapter_for(mutant: type[Mutant]) -> ReferenceAdapter:
    adapter = (ReferenceAsgiAdapter if mutant.face == "asgi" else ReferenceAdapter)(mutant)
    adapter.name = f"mutant:{adapter_name(mutant)}"  # type: ignore[misc]
    return adapter


def _discover() -> tuple[type[Mutant], ...]:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return tuple(sorted(_subclasses(Mutant), key=lambda m: (m.__module__, m.__name__)))


def _subclasses(cls: type[Mutant]) -> list[type[Mutant]]:
    out = []
    for sub in cls.__subclasses__():
        out += [sub, *_subclasses(sub)]
    return out


MUTANTS = _discover()

# ``--adapter tests.mutants:after_hooks_in_registration_order`` finds these.
globals().update({adapter_name(m): adapter_for(m) for m in MUTANTS})
