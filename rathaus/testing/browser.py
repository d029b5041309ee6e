"""Accessibility checks for browser tests: axe-core (bundled by axe-playwright-python) on the page as shown."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Browser, Page


def axe_violations(page: Page) -> list[str]:
    """Each violation as "rule: [selectors of the offending nodes]"; empty when the page passes."""
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]]


def assert_accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url


def browser_as(browser: Browser, live_server, client: Client) -> Page:
    """A browser window with the session of a test client that has logged in (e.g. with `staff_log_in`)."""
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    context.add_cookies(
        [{"name": name, "value": morsel.value, "url": live_server.url} for name, morsel in client.cookies.items()]
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus (fails when the keyboard cannot reach it)."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"{selector} cannot be reached with Tab")
