"""Untrusted text, made safe for where it lands in REPORT.md (or a terminal).

Every string a results file carries (a run's label, a declared divergence's
reason, an n/a reason, a framework's response, an exception's message) came
from another machine, another project or the framework under test.  Each is
passed through one of these before it is written:

* ``text``: prose (a paragraph, a list item, a heading, a table cell):
  one line, bounded, HTML and Markdown punctuation escaped;
* ``code``: a code span, whose backticks cannot close it early (and, in a
  table, whose ``|`` cannot split the row);
* ``scrub``: machine-specific absolute paths replaced by placeholders (a
  fenced block's content is scrubbed and bounded by ``_report._fence``);
* ``plain``: one line of printable characters, for a terminal.
"""

from __future__ import annotations

import re
import sys
import sysconfig
from pathlib import Path

TEXT_LIMIT = 300
CODE_LIMIT = 200
_CUT = " [...]"

# Markdown punctuation that could start markup (emphasis, links, code,
# headings' closing sequences, table cells); HTML's three are entities.
_MARKDOWN = re.compile(r"([\\`*_\[\]|#~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_NOT_A_PATH_CHAR = r"\s'\"()<>,;:`|"


def _local_prefixes() -> list[tuple[str, str]]:
    """This machine's own prefixes, longest first: the suite's checkout (or
    installation), site-packages, the Python installation, the home folder."""
    root = Path(__file__).resolve().parents[2]
    found = [(str(root), "<repo>")]
    for key in ("purelib", "platlib"):
        found.append((sysconfig.get_paths()[key], "<site-packages>"))
    found += [(sys.prefix, "<python>"), (sys.base_prefix, "<python>"), (str(Path.home()), "~")]
    return sorted({(p, name) for p, name in found if len(p) > 1}, key=lambda x: -len(x[0]))


_LOCAL = _local_prefixes()
# Another machine's prefixes, by their shape.
_PATTERNS = (
    (
        re.compile(
            rf"(?:[A-Za-z]:)?[/\\][^{_NOT_A_PATH_CHAR}]*?[/\\](?:site|dist)-packages(?=[/\\])"
        ),
        "<site-packages>",
    ),
    (
        re.compile(
            rf"(?:[A-Za-z]:)?[/\\][^{_NOT_A_PATH_CHAR}]*?[/\\]lib[/\\]python3(?:\.\d+)?(?=[/\\])"
        ),
        "<python>/lib",
    ),
    (
        re.compile(
            rf"(?:[A-Za-z]:)?[/\\][^{_NOT_A_PATH_CHAR}]*?[/\\]"
            r"(?=(?:conformance|adapters|reference_impl|tests)[/\\])"
        ),
        "<repo>/",
    ),
    (re.compile(r"(?:/home|/Users|[A-Za-z]:\\Users)[/\\][^/\\\s'\"]+"), "~"),
    (re.compile(r"/root(?=/)"), "~"),
)


def scrub(value: str) -> str:
    """``value`` with machine-specific absolute paths replaced: this
    machine's (``<repo>``, ``<site-packages>``, ``<python>``, ``~``) and,
    by their shape, another's."""
    for prefix, name in _LOCAL:
        value = value.replace(prefix, name)
    for pattern, name in _PATTERNS:
        value = pattern.sub(name, value)
    return value


def _bounded(value: str, limit: int) -> str:
    value = " ".join(scrub(value).split())  # one line: every newline and tab a space
    return value if len(value) <= limit else value[: limit - len(_CUT)] + _CUT


def text(value: object, limit: int = TEXT_LIMIT) -> str:
    """``value`` as one line of Markdown prose that shows it as it is."""
    bounded = _bounded(str(value), limit)
    escaped = "".join(_HTML.get(ch, ch) for ch in bounded)
    return _MARKDOWN.sub(r"\\\1", escaped)


def code(value: object, limit: int = CODE_LIMIT, *, in_table: bool = True) -> str:
    """``value`` as one code span (its content shown literally)."""
    bounded = _bounded(str(value), limit)
    if in_table:
        bounded = bounded.replace("|", "\\|")  # GFM splits cells before it reads code spans
    longest = max((len(m) for m in re.findall(r"`+", bounded)), default=0)
    ticks = "`" * (longest + 1)
    if bounded.startswith("`") or bounded.endswith("`") or longest:
        bounded = f" {bounded} "
    return f"{ticks}{bounded}{ticks}"


def plain(value: object, limit: int = TEXT_LIMIT) -> str:
    """``value`` as one line of printable characters (no terminal escapes)."""
    shown = "".join(ch if ch.isprintable() else " " for ch in str(value))
    return _bounded(shown, limit)
