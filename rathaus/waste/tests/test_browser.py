"""The citizen's way in Chromium with the keyboard only: find the street (with a typo and the house number of a
split street), read the next days, subscribe with a reminder; axe-core on every page."""

import pytest

from rathaus.testing.browser import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.reports, pytest.mark.django_db(transaction=True)]


def test_street_search_next_days_and_subscription(page, live_server, imported):
    page.goto("/abfallkalender/")
    assert_accessible(page)
    tab_to(page, "#strasse")
    page.keyboard.type("Hauptstrase")
    page.keyboard.press("Enter")
    page.wait_for_selector("#hausnummer")
    assert page.locator("#strasse").input_value() == "Hauptstraße"
    assert page.get_by_role("status").is_visible(), "why the house number is asked"
    assert_accessible(page)
    tab_to(page, "#hausnummer")
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abfallkalender/hauptstr-12/")
    assert "Restmüll" in page.locator("main").inner_text()
    assert_accessible(page)

    tab_to(page, "a[href$='/abonnieren/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/abonnieren/")
    assert_accessible(page)
    tab_to(page, "input[name=arten][value=bio]")
    page.keyboard.press("Space")  # Biomüll off: only Restmüll
    tab_to(page, "#erinnerung")
    page.keyboard.press("Space")
    tab_to(page, "main form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#feed-url")
    url = page.locator("#feed-url").input_value()
    assert url.endswith("/abfallkalender/hauptstr-12.ics?arten=rest&erinnerung=1")
    assert_accessible(page)
    page.goto("/abfallkalender/hauptstr-12/2026/")
    assert_accessible(page)
    page.goto("/abfallkalender/gibtesnicht/")
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
