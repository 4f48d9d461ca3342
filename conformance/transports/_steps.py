"""steps area: a scenario's steps, taken in process, in order, by the
adapter's client (``SteppingClient.step``), each "send" sending the next
request.  Everything runs in one context (one thread, or one task), so a
context a step pushes is the one the next request and step find."""

from __future__ import annotations

import asyncio
import contextvars
import inspect
from collections.abc import Callable
from typing import Any

from .._errors import HarnessError
from .._model import Call, Event, Scenario, Step
from .._recorder import Recorder, set_current_call
from ..contract import Reply


def step_call(index: int) -> int:
    """The call index the events of step ``index`` are tagged with: below
    every request's, so they never mix with one."""
    return -1 - index


def take_steps(
    client: Any, scenario: Scenario, recorder: Recorder, watch: Callable[[str, str], None]
) -> list[tuple[Reply, tuple[Event, ...]]]:
    """Take ``scenario``'s steps; the requests' replies and traces, then the steps' trace."""
    if not callable(getattr(client, "step", None)):
        raise HarnessError(
            f"the adapter's client {type(client).__name__} has no step(): it claims a step"
            " feature it cannot take"
        )
    if inspect.iscoroutinefunction(client.send):
        replies = asyncio.run(_take_async(client, scenario, recorder, watch))
    else:
        replies = contextvars.copy_context().run(_take, client, scenario, recorder, watch)
    traced = [(reply, recorder.take(n)) for n, reply in enumerate(replies)]
    steps = tuple(e for n in range(len(scenario.steps)) for e in recorder.take(step_call(n)))
    return [*traced, (Reply(0, (), b""), steps)]


def _announce(n: int, step: Step, recorder: Recorder, watch: Callable[[str, str], None]) -> None:
    set_current_call(step_call(n))
    watch("at", f"step {n} ({step.kind})")
    recorder.record(Event(step.kind, "step"))


def _take(
    client: Any, scenario: Scenario, recorder: Recorder, watch: Callable[[str, str], None]
) -> list[Reply]:
    replies: list[Reply] = []
    for n, step in enumerate(scenario.steps):
        if step.kind == "send":
            index = len(replies)
            call = scenario.requests[index]
            set_current_call(index)
            watch("at", f"request {index} ({call.method} {call.path})")
            replies.append(_sent(client.send, call))
            continue
        _announce(n, step, recorder, watch)
        _taken(client.step, step)
    return replies


async def _take_async(
    client: Any, scenario: Scenario, recorder: Recorder, watch: Callable[[str, str], None]
) -> list[Reply]:
    replies: list[Reply] = []
    for n, step in enumerate(scenario.steps):
        if step.kind == "send":
            index = len(replies)
            call = scenario.requests[index]
            set_current_call(index)
            watch("at", f"request {index} ({call.method} {call.path})")
            try:
                replies.append(await client.send(call))
            except Exception as exc:
                raise HarnessError(
                    f"{call.method} {call.path} did not complete through the client: {exc!r}"
                ) from exc
            continue
        _announce(n, step, recorder, watch)
        try:
            await client.step(step)
        except Exception as exc:
            raise HarnessError(f"step {step.kind!r} broke the adapter's client: {exc!r}") from exc
    return replies


def _sent(send: Callable[[Call], Reply], call: Call) -> Reply:
    try:
        return send(call)
    except Exception as exc:
        raise HarnessError(
            f"{call.method} {call.path} did not complete through the client: {exc!r}"
        ) from exc


def _taken(take: Callable[[Step], None], step: Step) -> None:
    try:
        take(step)
    except Exception as exc:
        raise HarnessError(f"step {step.kind!r} broke the adapter's client: {exc!r}") from exc
