"""The status lookup in Chromium with the keyboard only, axe-core on every state of the page."""

import pytest

from rathaus.testing.browser import assert_accessible

from .conftest import IN_PRODUCTION, READY

pytestmark = [pytest.mark.browser, pytest.mark.reports, pytest.mark.django_db(transaction=True)]


def look_up(page, number: str) -> None:
    field = page.locator("#nummer")
    for _ in range(60):
        page.keyboard.press("Tab")
        if field.evaluate("element => element === document.activeElement"):
            break
    else:
        pytest.fail("#nummer cannot be reached with Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type(number)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_look_up_a_ready_and_a_pending_document_and_a_typo(page, live_server, statuses):
    page.goto("/ausweisstatus/")
    assert_accessible(page)
    look_up(page, READY.lower())
    assert "Ihr Dokument liegt zur Abholung bereit." in page.get_by_role("status").inner_text()
    assert_accessible(page)
    look_up(page, IN_PRODUCTION)
    assert "noch nicht abholbereit" in page.get_by_role("status").inner_text()
    assert_accessible(page)
    look_up(page, "L01")
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#nummer").input_value() == "L01"
    assert_accessible(page)
