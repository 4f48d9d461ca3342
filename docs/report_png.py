"""Make docs/report.png, the README's picture of the HTML report, from real
results files (headless Chromium, as in tests/test_html_report.py).

    python docs/report_png.py [RESULTS_FOLDER] [FRAGMENT]

RESULTS_FOLDER defaults to results/ (``tox -e flask31,quart022,starlette110``
writes some); FRAGMENT is the page's view, by default Quart's runs with the
evidence of one of its declared divergences open.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from conformance import registry  # noqa: E402 (after the path is set)
from conformance.reporting import Results, render_html  # noqa: E402
from tests import browser  # noqa: E402

FRAGMENT = (
    "framework=quart"
    "&show=quart-0.22.0-in-process,hooks.teardown-appcontext.reverse-registration-order"
)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else ROOT / "results"
    fragment = argv[1] if len(argv) > 1 else FRAGMENT
    chromium = browser.find_chromium()
    if chromium is None:
        print("report_png.py: error: chromium is not installed (apt-get install chromium)")
        return 2
    paths = sorted(folder.glob("*.json"))
    if not paths:
        print(f"report_png.py: error: no results files (*.json) in {str(folder)!r}")
        return 2
    page = render_html([Results.load(p) for p in paths], registry())
    with tempfile.TemporaryDirectory() as tmp:
        html = Path(tmp) / "report.html"
        html.write_text(page, encoding="utf-8")
        browser.screenshot(chromium, html, ROOT / "docs" / "report.png", fragment)
    print(f"docs/report.png from {len(paths)} results files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
