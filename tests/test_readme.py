"""The README's excerpts of REPORT.md are REPORT.md's: every line of an
excerpt but "..." is a line of the committed report (its links made to work
from the README, ``REPORT.md#anchor`` for ``#anchor``)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXCERPT = re.compile(r"<!-- excerpt of REPORT\.md[^>]*-->\n(.*?)\n<!-- end of excerpt -->", re.S)


def excerpts() -> list[str]:
    return EXCERPT.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def test_the_readme_has_an_excerpt_of_the_report() -> None:
    assert excerpts()


def test_every_line_of_an_excerpt_is_a_line_of_the_report() -> None:
    report = set((ROOT / "REPORT.md").read_text(encoding="utf-8").splitlines())
    for excerpt in excerpts():
        for line in excerpt.splitlines():
            if line in ("", "- ...", "| ... |"):
                continue
            assert line.replace("](REPORT.md#", "](#") in report, (
                f"README.md's excerpt of REPORT.md has a line the report lacks (refresh it): {line}"
            )
