"""Fixtures for the browser tests: Debian's chromium driven by Playwright's sync API.

Playwright is used without `playwright install` (no browser download): we launch the
chromium that Debian ships, at /usr/bin/chromium.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


# No skipping when chromium is missing: `make test` installs it, and a browser test that
# silently does not run would be a hole in the suite. Deselect with `-m "not browser"`.
# `make test` runs these journeys in a second pytest run, one at a time, after the rest
# of the suite has run on every core: two chromiums and two live servers fighting for
# two cores made their waits time out.


@pytest.fixture(scope="session")
def browser() -> Iterator["Browser"]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in the main thread, so Django
    # would refuse ORM calls made by the test itself (SynchronousOnlyOperation). The
    # loop is Playwright's own and never runs Django code, so the check is moot here.
    # Set here rather than at import so that the tests collected with these but run
    # before the first browser test keep Django's check.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: "Browser") -> Iterator["Page"]:
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot():
    """Returns a function saving a full-page screenshot under var/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page: "Page", name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def charter(transactional_db):
    """The charter in force; the data migration's version is flushed between tests."""
    from maillage.accounts.models import CharterVersion
    from maillage.accounts.services import charter_publish

    current = CharterVersion.objects.current()
    if current is None:
        current = charter_publish(
            author=None,
            text=(
                "## Notre charte\n\n"
                "Nous coopérons, nous nous respectons, nous partageons ce que nous "
                "apprenons.\n\n- Bienveillance\n- Ouverture\n- Transparence"
            ),
        )
    return current
