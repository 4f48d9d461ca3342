"""Files the suite writes (results, REPORT.md, SPEC.md): checked to be
writable before the work that fills them starts, so that a run or a report
is never done for nothing, and written with a one-line error if that fails
after all (a full disk)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ._errors import UsageError


def check_writable(path: Path, what: str) -> None:
    """UsageError unless ``path`` can be written as a file (its folders are
    created if missing; nothing else is left behind).  ``what`` names it in
    the message, e.g. ``"--results"``."""
    shown = str(path)
    if path.is_dir():
        raise UsageError(f"{what} {shown!r} is a folder; give the name of a file in it")
    ancestor = path.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise UsageError(
            f"{what} {shown!r} cannot be written: {str(ancestor)!r} is not a folder;"
            " choose another path"
        )
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with open(path, "a", encoding="utf-8"):
                pass  # opened for writing, not changed
        else:
            fd, probe = tempfile.mkstemp(dir=path.parent, prefix=".lifecycle-conformance-")
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(probe)
    except OSError as exc:
        raise UsageError(
            f"{what} {shown!r} cannot be written ({exc.strerror or exc}); choose another path"
        ) from None


def write_text(path: Path, text: str, what: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (a run stopped while
    it writes leaves the file as it was); an OSError becomes a one-line
    UsageError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.chmod(temporary, _mode_for(path))  # mkstemp's file is private
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
    except OSError as exc:
        raise UsageError(f"cannot write {what} {str(path)!r}: {exc.strerror or exc}") from None


def _mode_for(path: Path) -> int:
    """The mode ``path`` has, or a new file would get under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
