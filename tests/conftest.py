"""Shared fixtures: the shipped real data, and a real headless Chromium.

Browser tests use Debian's ``chromium`` through Playwright's
``executable_path``; no browser is ever downloaded. Outside CI a missing
browser skips those tests with the package to install; in CI (``CI=true``)
it fails the run.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The console speaks Vietnamese by default; the suite's message checks are written against the
# English catalogue, so it runs in English (subprocesses inherit this). tests/test_i18n.py sets
# Vietnamese back where it checks the default.
os.environ["BKMAP_CONSOLE_LANG"] = "en"

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _english_console() -> Iterator[None]:
    """Run the suite with English console messages (see BKMAP_CONSOLE_LANG above)."""
    from bkmap import settings

    before = settings.console_lang
    settings.console_lang = "en"
    yield
    settings.console_lang = before


@pytest.fixture(scope="session", autouse=True)
def _display_cache_in_tmp(tmp_path_factory) -> Iterator[None]:
    """Keep the display-shape cache (bkmap.geo.cache) out of the user's cache folder."""
    before = os.environ.get("BKMAP_CACHE_DIR")
    os.environ["BKMAP_CACHE_DIR"] = str(tmp_path_factory.mktemp("display_cache"))
    yield
    if before is None:
        os.environ.pop("BKMAP_CACHE_DIR", None)
    else:
        os.environ["BKMAP_CACHE_DIR"] = before


@pytest.fixture(scope="session")
def assessment_2019():
    """The 122 communes of 2019 joined to the shipped 2019-08-12 status table."""
    from bkmap.pipeline import assess

    return assess()


@pytest.fixture(scope="session")
def joined_2019(assessment_2019):
    """The joined frame of :func:`assessment_2019`."""
    return assessment_2019.joined


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Path of Debian's chromium; skip (or fail in CI) when it is missing."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        message = (
            "Debian's chromium is not installed: run `sudo apt-get install chromium` "
            "(or `make browser`) to run the browser tests"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[object]:
    """A headless Chromium driven by Playwright, shared by a test session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield instance
        instance.close()


@pytest.fixture
def offline_page(browser) -> Iterator[object]:
    """A page whose every http(s) request is blocked and recorded in ``page.blocked``.

    ``page.console_errors`` and ``page.dialogs`` collect console errors and any
    dialog (alert, confirm) that a script opened.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.blocked = []
    page.console_errors = []
    page.dialogs = []

    def block(route) -> None:
        page.blocked.append(route.request.url)
        route.abort()

    context.route("http://*/**", block)
    context.route("https://*/**", block)
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))

    def on_dialog(dialog) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    yield page
    context.close()
