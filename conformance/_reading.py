"""How tests read an observation: headers, body, call order, what a hook saw.

Where the framework lacked what an observer hook needs, the harness dropped
that hook: ``seen`` then answers DROPPED and ``order`` leaves its id out on
both sides of a comparison (see ``checks.same``), so only the assertions
that need the hook fall away.
"""

from __future__ import annotations

import base64
import json
from typing import TYPE_CHECKING, Any

from ._codec import JSON, ModelError, json_list, json_object, json_str
from ._errors import Divergence

if TYPE_CHECKING:
    from ._model import Call, Event, Exchange, Observation


class _Dropped:
    """What a dropped observer saw: nothing to compare."""

    def __repr__(self) -> str:
        return "DROPPED"


DROPPED: Any = _Dropped()


class Order(list[str]):
    """The ids of the hooks and views called, in call order, knowing which
    observer hooks were dropped (they never appear)."""

    dropped: frozenset[str] = frozenset()


class ExchangeReading:
    """The readers of ``Exchange`` (a dataclass with request, status,
    headers, body, trace, escaped, dropped)."""

    request: Call
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    trace: tuple[Event, ...]
    escaped: str | None
    dropped: tuple[str, ...]
    reason: str | None

    def header(self, name: str) -> str | None:
        """The first value of header ``name`` (case-insensitive), or None."""
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    @property
    def content_type(self) -> str | None:
        return self.header("Content-Type")

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> JSON:
        """The body parsed as JSON; for a body that is not JSON, a string
        saying so (never an exception: a test compares, it does not crash)."""
        try:
            value: JSON = json.loads(self.body)
        except ValueError:
            return f"<not JSON: {self.text[:80]!r}>"
        return value

    def order(self) -> Order:
        """The ids of the hooks and views called, in call order."""
        order = Order(e.hook for e in self.trace)
        order.dropped = frozenset(self.dropped)
        return order

    def seen(self, hook: str, probe: str) -> JSON:
        """What ``probe`` saw in the first event of ``hook``; DROPPED for a
        dropped observer.  Fails as a Divergence when ``hook`` was never called."""
        if hook in self.dropped:
            return DROPPED  # type: ignore[no-any-return]
        for event in self.trace:
            if event.hook == hook:
                if probe not in event.seen:
                    raise ModelError(f"hook {hook!r} did not probe {probe!r}")
                return event.seen[probe]
        # The framework never called it: a finding about the framework, so a
        # failure of the clause, not an error of the test.
        raise Divergence(
            f"whether {hook!r} was called", expected=f"{hook} called", observed=self.order()
        )

    def to_json(self) -> dict[str, JSON]:
        try:
            body: dict[str, JSON] = {"text": self.body.decode("utf-8")}
        except UnicodeDecodeError:
            body = {"base64": base64.b64encode(self.body).decode("ascii")}
        out: dict[str, JSON] = {
            "request": self.request.to_json(),
            "status": self.status,
            "headers": [[k, v] for k, v in self.headers],
            "body": body,
            "trace": [e.to_json() for e in self.trace],
            "escaped": self.escaped,
        }
        if self.dropped:
            out["dropped"] = list(self.dropped)
        if self.reason is not None:
            out["reason"] = self.reason
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Exchange:
        from ._model import Call, Event, Exchange

        keys = {"request", "status", "headers", "body", "trace", "escaped", "dropped", "reason"}
        obj = json_object(raw, "exchange", keys)
        body = json_object(obj.get("body") or {"text": ""}, "body", {"text", "base64"})
        data = (
            base64.b64decode(json_str(body["base64"], "body"))
            if "base64" in body
            else json_str(body.get("text", ""), "body").encode("utf-8")
        )
        status = obj.get("status")
        if not isinstance(status, int):
            raise ModelError(f"exchange 'status' must be an integer (got {status!r})")
        return Exchange(
            request=Call.from_json(obj.get("request") or {}),
            status=status,
            headers=tuple(
                (json_str(k, "header"), json_str(v, "header"))
                for k, v in json_list(obj.get("headers") or [], "headers")
            ),
            body=data,
            trace=tuple(Event.from_json(e) for e in json_list(obj.get("trace") or [], "trace")),
            escaped=obj.get("escaped"),
            dropped=tuple(json_str(d, "dropped") for d in json_list(obj.get("dropped", []), "d")),
            reason=None if obj.get("reason") is None else json_str(obj["reason"], "reason"),
        )


class ObservationReading:
    """The readers of ``Observation`` (a dataclass of exchanges)."""

    exchanges: tuple[Exchange, ...]

    @property
    def only(self) -> Exchange:
        """The exchange of a one-request scenario."""
        if len(self.exchanges) != 1:
            raise ModelError(f"expected one exchange, got {len(self.exchanges)}")
        return self.exchanges[0]

    def __getitem__(self, index: int) -> Exchange:
        return self.exchanges[index]

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {"exchanges": [x.to_json() for x in self.exchanges]}
        steps = getattr(self, "steps", ())
        if steps:  # steps area
            out["steps"] = [e.to_json() for e in steps]
        return out

    @classmethod
    def from_json(cls, raw: JSON) -> Observation:
        from ._model import Event, Exchange, Observation

        obj = json_object(raw, "observation", {"exchanges", "steps"})
        exchanges = json_list(obj.get("exchanges"), "exchanges")
        steps = json_list(obj.get("steps", []), "steps")
        return Observation(
            tuple(Exchange.from_json(x) for x in exchanges),
            tuple(Event.from_json(e) for e in steps),
        )
