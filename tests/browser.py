"""Headless Chromium (Debian's ``chromium`` package) for the HTML report's
tests and for docs/report.png: a page's DOM after its script ran, and a
screenshot.  No network, no profile of the user's: a fresh one each time."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

# CI sets this, so that a missing browser fails the tests there instead of
# skipping them (.ci/run installs it).
REQUIRE = "LIFECYCLE_CONFORMANCE_REQUIRE_CHROMIUM"
TIMEOUT = 60


def find_chromium() -> str | None:
    """The path of the chromium command, or None when it is not installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _run(chromium: str, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="lifecycle-chromium-") as profile:
        command = [
            chromium,
            "--headless",
            "--no-sandbox",  # CI runs as root, where the sandbox refuses to start
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
            url,
        ]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}")
    return proc


def dump_dom(chromium: str, page: Path, fragment: str = "") -> str:
    """The page's DOM, serialized, once its script has run on load."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    return _run(chromium, url, "--dump-dom").stdout


def screenshot(
    chromium: str, page: Path, png: Path, fragment: str = "", size: tuple[int, int] = (1400, 900)
) -> None:
    """A PNG of the page's window, of ``size`` pixels."""
    url = page.resolve().as_uri() + (f"#{fragment}" if fragment else "")
    _run(chromium, url, f"--screenshot={png.resolve()}", f"--window-size={size[0]},{size[1]}")
    if not png.is_file():
        raise RuntimeError(f"chromium wrote no screenshot to {str(png)!r}")
