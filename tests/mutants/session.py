"""Mutants of sessions: when the session is saved, and whether it is."""

from __future__ import annotations

from reference_impl import Request, Response
from reference_impl import _sessions as sessions
from reference_impl._context import _request_ctx
from reference_impl._core import Steps, invoke
from tests.mutants import Mutant


class SessionSavedBeforeAfterHooks(Mutant):
    """The session is saved as soon as the response is made, before the after-request
    hooks run, so their changes to it are lost."""

    breaks = frozenset({"session.after-hook.modification-saved"})

    def process_response(self, response: Response) -> Steps[Response]:
        ctx = _request_ctx.get()
        if ctx.session is not None:
            sessions.save_session(self.secret_key, ctx.session, response)
        for func in ctx.after_request_functions:
            response = yield from invoke(func, response)
        for scope in (*ctx.request.blueprints, None):
            for after in reversed(self.after_request_funcs.get(scope, [])):
                response = yield from invoke(after, response)
        return response


class _ForgetfulSession(sessions.Session):
    """A session that never remembers being changed."""

    @property
    def modified(self) -> bool:
        return False

    @modified.setter
    def modified(self, value: bool) -> None:
        pass


class SessionChangesNeverSaved(Mutant):
    """The session does not track its changes, so it is never saved: nothing put in it
    outlives the request."""

    breaks = frozenset(
        {
            "config.secret-key.missing-session-write-raises",
            "session.set.persists-to-next-request",
            "session.after-hook.modification-saved",
            "session.error-response.saved",
            # its session-from-cookie variant checks the cookie was read back first
            "session.unmodified.no-cookie",
        }
    )

    def open_session(self, request: Request) -> sessions.Session:
        return _ForgetfulSession(super().open_session(request))


class SessionCookieOnEveryResponse(Mutant):
    """The session cookie is sent with every response, changed or not."""

    breaks = frozenset(
        {
            "session.unmodified.no-cookie",
            # the empty session is sent before the teardown hook changes it
            "session.teardown.modification-not-saved",
            # a request that read the empty session gets a session cookie set
            "session.read.vary-cookie",
            # a request that never used the session gets Vary: Cookie with its cookie
            "session.unused.no-vary-cookie",
        }
    ) | frozenset(
        {
            "hooks.after.returns-none.next-handed-none",
            "hooks.after.returns-none.escapes",
            "hooks.after.returns-none.teardown-handed-none",
        }
    )  # area returns

    def process_response(self, response: Response) -> Steps[Response]:
        session = _request_ctx.get().session
        if session is not None:
            session.modified = True
        return (yield from super().process_response(response))
