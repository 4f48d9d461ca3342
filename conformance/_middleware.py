"""The ``wrap`` stage as plain WSGI and ASGI middleware, for frameworks whose
documented middleware is the server interface itself (Flask's
``app.wsgi_app = layer(app.wsgi_app)``, Quart's ``app.asgi_app``, Bottle's
WSGI middleware, Starlette's pure ASGI middleware).

A layer does its hook's ``does`` before the next layer (answering there
skips everything inside it), then ``then`` once the next layer has answered,
handed that response's status; answering there replaces the response.  A
layer sees the request as the server hands it (method and path); it buffers
the inner response so that it can replace it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from http import HTTPStatus
from typing import Any

from ._codec import JSON
from ._model import Behaviour, Form, Hook
from ._perform import aperform, exit_id, perform
from ._recorder import Recorder
from .contract import Native, Unsupported

Answer = tuple[int, list[tuple[str, str]], bytes]


class LayerNative(Native):
    """What a wrapping layer can do: probe the method and path it was handed
    (a WSGI environ or an ASGI scope) and answer with a plain response."""

    def probe(self, name: str, request: Any = None) -> JSON:
        if request is None:
            raise Unsupported(f"probe {name!r} outside a wrapping layer")
        if name == "method":
            return str(request.get("REQUEST_METHOD") or request.get("method"))
        if name == "path":
            return str(request.get("PATH_INFO") or request.get("path"))
        raise Unsupported(f"probe {name!r} in a wrapping layer")

    def response(
        self, form: Form, body: Any, status: int | None, headers: Mapping[str, str]
    ) -> Any:
        kinds = {"text": "text/plain; charset=utf-8", "binary": "application/octet-stream"}
        if form == "json":
            data, kind = json.dumps(body).encode(), "application/json"
        elif form in kinds:
            data, kind = (body if isinstance(body, bytes) else str(body).encode()), kinds[form]
        else:
            raise Unsupported(f"a wrapping layer answers with text, binary or json, not {form!r}")
        pairs = [("Content-Type", kind), ("Content-Length", str(len(data))), *headers.items()]
        answer: Answer = (status or 200, pairs, data)
        return answer

    def response_status(self, response: Any) -> int:
        status: int = response[0]
        return status

    def abort(self, status: int) -> Any:
        raise Unsupported("abort in a wrapping layer")


_LAYER = LayerNative()


def _status_line(code: int) -> str:
    phrase = HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Unknown"
    return f"{code} {phrase}"


def wsgi_layers(app: Any, hooks: Sequence[Hook], recorder: Recorder) -> Any:
    """``app`` inside one WSGI layer per ``wrap`` hook, the first outermost."""
    for hook in reversed(hooks):
        app = _wsgi_layer(app, hook, recorder)
    return app


def _wsgi_layer(inner: Any, hook: Hook, recorder: Recorder) -> Callable[..., Iterable[bytes]]:
    kw: dict[str, Any] = {"recorder": recorder, "native": _LAYER}

    def layer(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        early = perform(hook.does, hook=hook.id, stage="wrap", request=environ, **kw)
        if early is None:
            got: dict[str, Any] = {}

            def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                got.update(status=status, headers=headers)
                return got.setdefault("written", []).append

            body = inner(environ, start)
            try:
                data = b"".join([*got.get("written", []), *body])
            finally:
                if hasattr(body, "close"):
                    body.close()
            code = int(str(got["status"]).split()[0])
            then = hook.then or Behaviour()
            late = perform(
                then, hook=exit_id(hook), stage="wrap_exit", request=environ,
                response_status=code, **kw,
            )  # fmt: skip
            if late is None:
                start_response(got["status"], got["headers"])
                return [data]
            early = late
        code, headers, data = early
        start_response(_status_line(code), headers)
        return [data]

    return layer


def asgi_layers(app: Any, hooks: Sequence[Hook], recorder: Recorder) -> Any:
    """``app`` inside one ASGI layer per ``wrap`` hook, the first outermost."""
    for hook in reversed(hooks):
        app = AsgiLayer(app, hook=hook, recorder=recorder)
    return app


class AsgiLayer:
    """One ``wrap`` hook as pure ASGI middleware (also usable as Starlette's
    ``Middleware(AsgiLayer, hook=..., recorder=...)``)."""

    def __init__(self, app: Any, *, hook: Hook, recorder: Recorder) -> None:
        self.app, self.hook, self.recorder = app, hook, recorder

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kw: dict[str, Any] = {"recorder": self.recorder, "native": _LAYER, "request": scope}
        answer = await aperform(self.hook.does, hook=self.hook.id, stage="wrap", **kw)
        if answer is None:
            messages: list[dict[str, Any]] = []

            async def keep(message: dict[str, Any]) -> None:
                messages.append(message)

            await self.app(scope, receive, keep)
            start = next(m for m in messages if m["type"] == "http.response.start")
            then = self.hook.then or Behaviour()
            answer = await aperform(
                then, hook=exit_id(self.hook), stage="wrap_exit",
                response_status=start["status"], **kw,
            )  # fmt: skip
            if answer is None:
                for message in messages:
                    await send(message)
                return
        code, headers, data = answer
        raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers]
        await send({"type": "http.response.start", "status": code, "headers": raw})
        await send({"type": "http.response.body", "body": data})
