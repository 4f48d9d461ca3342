"""The JSON codec of the vocabulary: every dataclass of ``_model`` goes to
JSON and back through ``Data``, with one-line errors naming the field and the
value it got."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import MISSING, fields
from typing import Any, ClassVar, TypeAlias

# Covariant containers, so a list[str] or dict[str, int] is JSON too.
JSON: TypeAlias = "bool | int | float | str | Sequence[JSON] | Mapping[str, JSON] | None"


class ModelError(ValueError):
    """A scenario or observation is not well formed."""


def json_object(raw: JSON, what: str, keys: set[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ModelError(f"{what} must be a JSON object (got {raw!r})")
    unknown = sorted(set(raw) - keys)
    if unknown:
        raise ModelError(f"{what} has unknown keys {unknown}; allowed: {sorted(keys)}")
    return raw


def json_list(raw: JSON, what: str) -> list[Any]:
    if not isinstance(raw, list):
        raise ModelError(f"{what!r} must be a JSON array (got {raw!r})")
    return raw


def json_str(raw: JSON, what: str) -> str:
    if not isinstance(raw, str):
        raise ModelError(f"{what} must be a string (got {raw!r})")
    return raw


class Data:
    """JSON for frozen dataclasses: fields equal to their default are left
    out, nested dataclasses are named in ``_nested`` (a tuple of one class
    for a tuple of them), and fields that hold tuples (JSON arrays come back
    as lists) in ``_tuples``."""

    _nested: ClassVar[Mapping[str, Any]] = {}
    _tuples: ClassVar[frozenset[str]] = frozenset()

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {}
        for f in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, f.name)
            if f.default is not MISSING and value == f.default:
                continue
            if f.default_factory is not MISSING and value == f.default_factory():
                continue
            out[f.name] = encode(value)
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Any:
        what = cls.__name__.lower()
        obj = json_object(raw, what, {f.name for f in fields(cls)})  # type: ignore[arg-type]
        kwargs: dict[str, Any] = {}
        for name, value in obj.items():
            nested = cls._nested.get(name)
            if isinstance(nested, tuple):
                kwargs[name] = tuple(nested[0].from_json(v) for v in json_list(value, name))
            elif nested is not None:
                kwargs[name] = None if value is None else nested.from_json(value)
            elif name in cls._tuples and isinstance(value, list):
                kwargs[name] = tuple(value)
            else:
                kwargs[name] = value
        try:
            return cls(**kwargs)
        except TypeError as exc:
            raise ModelError(f"{what} {raw!r} is incomplete: {exc}") from None


def encode(value: Any) -> JSON:
    if isinstance(value, Data):
        return value.to_json()
    if isinstance(value, tuple | list):
        return [encode(v) for v in value]
    if isinstance(value, Mapping):
        return {k: encode(v) for k, v in value.items()}
    return value  # type: ignore[no-any-return]
