"""Evidence that reads the same wherever it was produced.

What a test's evidence carries (pytest's report, an exception's message, a
framework's response, a traceback page) holds what only the machine and the
moment of the run had: absolute paths (the checkout, a tox env's or a
venv's site-packages, the standard library, the temp dir, the home folder),
ports the OS picked, object addresses, session cookies signed with the time
or holding a random id, the dates they expire.  ``portable`` replaces each
with a placeholder that keeps what a clause is about (``<site-packages>/quart/app.py``,
``127.0.0.1:<port>``, ``session=<value>; HttpOnly; Path=/``), and cuts a
string longer than LIMIT, keeping its beginning, with the length and a
digest of the whole (portable) text.

It runs when a results file is written and again when one is read; the
second time it changes nothing, so a file written by an older suite or
another machine reads as a new one would have been written.  The scenario
is the suite's own input, the same everywhere: it is kept as it is, so that
it still reproduces the divergence.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import sysconfig
import tempfile
from functools import cache
from pathlib import Path

from .._model import JSON

# The longest evidence string kept whole (a traceback page, a response body,
# pytest's report); REPORT.md shows far less of each (its fences).
LIMIT = 2000
_DIGEST = 12  # hex digits of the sha256 shown for a cut string
_CUT = re.compile(rf"\n\[cut: \d+ characters in all, sha256 [0-9a-f]{{{_DIGEST}}}\]\Z")

# Placeholders, for paths and for values only one run had.
SITE_PACKAGES, STDLIB, PYTHON, REPO, TMP, HOME = (
    "<site-packages>",
    "<stdlib>",
    "<python>",
    "<repo>",
    "<tmp>",
    "~",
)
_PLACEHOLDERS = (SITE_PACKAGES, STDLIB, PYTHON, REPO, TMP)
VALUE, PORT, ADDRESS, DATE, RANDOM = "<value>", "<port>", "<address>", "<date>", "<random>"
LENGTH_CHANGED = "<length of the body as sent>"
# A path never starts right after a placeholder: it was not one before it was put there.
_PUT = (*_PLACEHOLDERS, VALUE, PORT, ADDRESS, DATE, RANDOM, LENGTH_CHANGED)
_OWN_PACKAGES = ("conformance", "adapters", "reference_impl")

# A path starts after one of these (or at the start), never after ":", so a
# URL's path is not taken for one; it ends at the first of them or ":".
_BEFORE = r"\s'\"()<>,;`|=\[\]{}"
_PATH_CHAR = rf"[^{_BEFORE}:]"
_START = rf"(?<![^{_BEFORE}])" + "".join(f"(?<!{re.escape(p)})" for p in _PUT)
_SEP = r"[/\\]"
_END = rf"(?={_SEP}|[{_BEFORE}:]|\Z)"
_LEAD = r"(?:[A-Za-z]:|\.{1,2}|~)?"  # a drive, a relative path's dots, or a home folder
_NAME = rf"[^{_BEFORE}:/\\]+"  # one path segment
_OWN = "|".join(_OWN_PACKAGES)
# Paths, one placeholder after the other, each with this machine's own prefixes
# for it (longest first) and then another machine's, by their shape: a
# site-packages or a standard library before the Python env or installation
# they are in, before the checkout a tox env is in, before the temp dir a
# checkout may be in, before the home folder any may be in.
_PATH_STEPS: tuple[tuple[str, bool, tuple[re.Pattern[str], ...]], ...] = (
    (
        SITE_PACKAGES,
        True,
        (re.compile(rf"{_START}{_LEAD}{_PATH_CHAR}*{_SEP}(?:site|dist)-packages{_END}"),),
    ),
    (
        STDLIB,
        True,
        (
            re.compile(
                rf"{_START}{_LEAD}{_PATH_CHAR}*{_SEP}lib(?:64)?{_SEP}python3(?:\.\d+)?{_END}"
            ),
        ),
    ),
    # The suite's own packages, installed (a tox env) or in the checkout, are one source.
    (REPO, False, (re.compile(rf"{re.escape(SITE_PACKAGES)}(?={_SEP}(?:{_OWN}){_SEP})"),)),
    (PYTHON, True, (re.compile(rf"{_START}{_LEAD}{_PATH_CHAR}*?{_SEP}\.tox{_SEP}{_NAME}{_END}"),)),
    (
        REPO,
        True,
        (re.compile(rf"{_START}{_LEAD}{_SEP}{_PATH_CHAR}*?(?={_SEP}(?:{_OWN}){_SEP})"),),
    ),
    (
        TMP,
        True,
        (
            re.compile(
                rf"{_START}(?:/private)?(?:/var/folders{_SEP}{_NAME}{_SEP}{_NAME}{_SEP}T"
                rf"|/var/tmp|/tmp){_END}"
            ),
        ),
    ),
    (
        HOME,
        True,
        (
            re.compile(rf"{_START}(?:/home|/Users|[A-Za-z]:\\Users){_SEP}{_NAME}{_END}"),
            re.compile(rf"{_START}/root{_END}"),
        ),
    ),
)
# A temporary folder's random name: tempfile's, pytest's.
_RANDOM_TMP = re.compile(
    rf"(?<={re.escape(TMP)}){_SEP}(?:tmp[a-z0-9_]{{8}}|pytest-of-{_NAME}{_SEP}pytest-\d+){_END}"
)

# Values only one run had.
_PORT = re.compile(r"\b(127\.0\.0\.1|localhost|0\.0\.0\.0|\[::1\]):\d{1,5}\b")
_ADDRESS = re.compile(r"\bat 0x[0-9a-fA-F]+\b")
_HTTP_DATE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2}[ -][A-Z][a-z]{2}[ -](?!1970\b)\d{2,4}"
    r" \d{2}:\d{2}:\d{2} GMT\b"
)
_COOKIE_NAME = r"[\w!#$%&*+.^`|~-]+"
_COOKIE_VALUE = r"(?:\"[^\";\s]+\"|[^;\s'\",<]+)"  # an empty one clears the cookie: kept
_COOKIE_ATTRIBUTE = r"(?i:httponly|secure|partitioned|path=|max-age=|expires=|samesite|domain=)"
# A Set-Cookie value in text: name=value followed by one of its attributes.
_COOKIE_IN_TEXT = re.compile(
    r"(?<![\w!#$%&*+.^`|~-])(?!(?i:path|max-age|expires|domain|samesite|priority)=)"
    rf"({_COOKIE_NAME})=({_COOKIE_VALUE})(?=;\s*{_COOKIE_ATTRIBUTE})"
)
_COOKIE_HEADER = re.compile(rf"\A(\s*{_COOKIE_NAME})=({_COOKIE_VALUE})")


def portable(value: JSON) -> JSON:
    """``value`` (a test's detail or evidence, as JSON) made portable: every
    string, at any depth but under ``scenario``, through ``portable_string``,
    and each exchange's Content-Length replaced where its body's text changed."""
    if isinstance(value, str):
        return portable_string(value)
    if isinstance(value, list):
        return [portable(v) for v in value]
    if isinstance(value, dict):
        if _is_exchange(value):
            return _exchange(value)
        return {portable_text(k): v if k == "scenario" else portable(v) for k, v in value.items()}
    return value


def portable_string(value: str) -> str:
    """``portable_text``, then cut to LIMIT characters.  A cut string (this
    one, or one cut before) has its head made portable on its own: a cut can
    end a path or an address where the whole text went on."""
    if not _CUT.search(value):
        value = bounded(portable_text(value))
    cut = _CUT.search(value)
    if cut:
        return portable_text(value[: cut.start()]) + cut.group()
    return value


def bounded(value: str, limit: int = LIMIT) -> str:
    """``value`` if it has at most ``limit`` characters, else its beginning
    and a last line with its length and the start of its sha256: ``limit``
    characters in all."""
    if len(value) <= limit:
        return value
    digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:_DIGEST]
    marker = f"\n[cut: {len(value)} characters in all, sha256 {digest}]"
    return value[: max(limit - len(marker), 0)] + marker


def portable_text(value: str) -> str:
    """``value`` with machine paths and one run's values replaced by
    placeholders; applying it again changes nothing."""
    if "/" in value or "\\" in value:
        for pattern, name in _paths():
            value = pattern.sub(name, value)
        value = _RANDOM_TMP.sub(f"/{RANDOM}", value)
    if ":" in value:
        value = _PORT.sub(rf"\1:{PORT}", value)
    if "0x" in value:
        value = _ADDRESS.sub(f"at {ADDRESS}", value)
    if "=" in value:
        value = _COOKIE_IN_TEXT.sub(rf"\1={VALUE}", value)
    if "GMT" in value:
        value = _HTTP_DATE.sub(DATE, value)
    return value


def _is_exchange(value: dict[str, JSON]) -> bool:
    return isinstance(value.get("headers"), list) and isinstance(value.get("body"), dict)


def _exchange(value: dict[str, JSON]) -> dict[str, JSON]:
    """An observed exchange: its strings portable; a Set-Cookie's value a
    placeholder (the name, and whether it was set or cleared, are kept); the
    Content-Length a placeholder where the body's text had to change."""
    body = value["body"]
    assert isinstance(body, dict)
    text = body.get("text")
    changed = isinstance(text, str) and portable_text(text) != text
    headers = value["headers"]
    assert isinstance(headers, list)  # as _is_exchange saw
    out = {k: portable(v) for k, v in value.items() if k != "headers"}
    out["headers"] = [_header(h, changed) for h in headers]
    return {k: out[k] for k in value}  # in the order it came


def _header(header: JSON, body_changed: bool) -> JSON:
    if not (isinstance(header, list) and len(header) == 2):
        return portable(header)
    name, content = header
    if not (isinstance(name, str) and isinstance(content, str)):
        return portable(header)
    if name.lower() == "set-cookie":
        content = _COOKIE_HEADER.sub(_set_value, content)
    elif name.lower() == "content-length" and body_changed:
        content = LENGTH_CHANGED
    return [portable_string(name), portable_string(content)]


def _set_value(match: re.Match[str]) -> str:
    name, content = match.group(1), match.group(2)
    return f"{name}={VALUE}" if content.strip('"') else match.group()


@cache
def _paths() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Every path pattern, in the order they apply (_PATH_STEPS)."""
    local = _local_prefixes()
    found: list[tuple[re.Pattern[str], str]] = []
    for name, with_local, shapes in _PATH_STEPS:
        if with_local:
            found += [
                (re.compile(rf"{_START}{re.escape(p)}{_END}"), name) for p, n in local if n == name
            ]
        found += [(shape, name) for shape in shapes]
    return tuple(found)


def _local_prefixes() -> list[tuple[str, str]]:
    """This machine's own prefixes, longest first: site-packages, the
    standard library, the Python installation or env, the checkout (and the
    project the run started in), the temp dir, the home folder."""
    paths = sysconfig.get_paths()
    found = [(paths[k], SITE_PACKAGES) for k in ("purelib", "platlib")]
    found += [(paths[k], STDLIB) for k in ("stdlib", "platstdlib")]
    found += [(sys.prefix, PYTHON), (sys.base_prefix, PYTHON), (sys.exec_prefix, PYTHON)]
    found += [(str(root), REPO) for root in _project_roots()]
    found += [(tempfile.gettempdir(), TMP), (str(Path.home()), HOME)]
    unique = {(os.path.normpath(p), n) for p, n in found}
    too_wide = {os.sep, str(Path.home().parent)}  # "/", "/home": never one machine's
    return sorted(((p, n) for p, n in unique if p not in too_wide), key=_longest_first)


def _longest_first(prefix: tuple[str, str]) -> tuple[int, str, str]:
    path, name = prefix
    return (-len(path), path, name)


def _project_roots() -> list[Path]:
    """The checkout this module is in, and the folder the run started in
    when it is a project's (tox's toxinidir: a tox env runs the suite from
    its site-packages)."""
    roots = []
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "pyproject.toml").is_file():
        roots.append(checkout)
    try:
        cwd = Path.cwd()
    except OSError:  # removed while we ran
        return roots
    if any((cwd / name).is_file() for name in ("pyproject.toml", "tox.ini", "setup.py")):
        roots.append(cwd)
    return roots
