"""Untrusted text, made safe for where it lands in REPORT.md (or a terminal).

Every string a results file carries (a run's label, a declared divergence's
reason, an n/a reason, a framework's response, an exception's message) came
from another machine, another project or the framework under test.  Each is
passed through one of these before it is written:

* ``text``: prose (a paragraph, a list item, a heading, a table cell):
  one line, bounded, HTML and Markdown punctuation escaped;
* ``code``: a code span, whose backticks cannot close it early (and, in a
  table, whose ``|`` cannot split the row);
* ``scrub``: machine-specific absolute paths and one run's values replaced
  by placeholders (``_portable``; a fenced block's content is scrubbed and
  bounded by ``_report._fence``);
* ``plain``: one line of printable characters, for a terminal.
"""

from __future__ import annotations

import re

from ._portable import portable_text

TEXT_LIMIT = 300
CODE_LIMIT = 200
_CUT = " [...]"

# Markdown punctuation that could start markup (emphasis, links, code,
# headings' closing sequences, table cells); HTML's three are entities.
_MARKDOWN = re.compile(r"([\\`*_\[\]|#~])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def scrub(value: str) -> str:
    """``value`` with machine-specific absolute paths (this machine's and, by
    their shape, another's) and one run's values (ports, addresses, cookie
    values) replaced by placeholders: ``_portable.portable_text``."""
    return portable_text(value)


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


def row(cells: list[str] | tuple[str, ...]) -> str:
    """One Markdown table row of cells already made safe (``text``, ``code``)."""
    return "| " + " | ".join(cells) + " |"
