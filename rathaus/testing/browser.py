"""Accessibility checks for browser tests: axe-core (bundled by axe-playwright-python) on the page as shown."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


def axe_violations(page: Page) -> list[str]:
    """Each violation as "rule: [selectors of the offending nodes]"; empty when the page passes."""
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in Axe().run(page).response["violations"]]


def assert_accessible(page: Page) -> None:
    assert axe_violations(page) == [], page.url
