"""A small user-defined exception hierarchy, three levels deep, that every
adapter raises and registers handlers for (area depth).

Error-handler lookup is checked on classes an application defines, not only
on builtins: ``MissingUserError`` is a ``NotFoundAppError`` is an
``AppError`` is an ``Exception``.  Defined once here, so a handler "for
NotFoundAppError" catching a ``MissingUserError`` means the same everywhere.
"""

from __future__ import annotations


class AppError(Exception):
    """The root of an application's own errors."""


class NotFoundAppError(AppError):
    """An application error meaning something was not found."""


class MissingUserError(NotFoundAppError):
    """The most specific: a user that was not found."""


USER_EXCEPTIONS: tuple[type[Exception], ...] = (AppError, NotFoundAppError, MissingUserError)

# HTTP exceptions: the user-defined HTTP error classes a scenario names
# (vocabulary USER_HTTP_ERRORS), as data: each adapter derives them from its
# framework's base class of HTTP errors (Native.http_error_class).
USER_HTTP_ERRORS: dict[str, tuple[int, str]] = {
    "TeapotError": (418, "short and stout"),
    "UnassignedStatusError": (599, "a status with no class of its own"),
}
