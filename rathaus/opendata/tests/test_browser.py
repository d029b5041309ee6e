"""The portal in Chromium with the keyboard only: search, choose a facet, open a dataset; axe-core on every page."""

from __future__ import annotations

import re

import pytest

from rathaus.testing.browser import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.opendata, pytest.mark.django_db(transaction=True)]


def test_search_filter_and_open_a_dataset_with_the_keyboard(page, demo_datasets):
    page.goto("/daten/")
    assert_accessible(page)
    tab_to(page, "#od-q")
    page.keyboard.type("Brunnen")
    page.keyboard.press("Enter")
    page.wait_for_url("**/daten/?q=Brunnen")
    assert page.locator("h3 a").all_inner_texts() == ["Trinkwasserbrunnen in Beispielhausen"]
    tab_to(page, "a[href*='format=GeoJSON']")
    page.keyboard.press("Enter")
    page.wait_for_url("**format=GeoJSON**")
    assert page.locator("a[aria-current=true]").count() == 1
    assert_accessible(page)
    tab_to(page, "h3 a")
    page.keyboard.press("Enter")
    page.wait_for_url("**/daten/beispielhausen-trinkbrunnen/")
    assert page.locator("svg.od-map circle").count() == 3
    assert page.locator("table").first.is_visible()
    assert_accessible(page)


def test_dataset_pages_with_calendar_pdf_and_areas_and_the_api_page_pass_axe(page, demo_datasets):
    for path in (
        "/daten/musterstadt-bewohnerparkzonen/",
        "/daten/musterstadt-haushalt-2026/",
        "/daten/beispielhausen-sitzungskalender/",
        "/daten/schnittstellen/",
    ):
        page.goto(path)
        assert_accessible(page)


def test_the_back_office_form_passes_axe(page, demo_datasets, musterstadt_admin, live_server):
    from rathaus.accounts.services import staff_totp_prepare
    from rathaus.accounts.totp import totp_code
    from rathaus.conftest import PASSWORD

    record = staff_totp_prepare(user=musterstadt_admin)
    page.goto("/verwaltung/anmelden/")
    page.fill("#id_login_name", musterstadt_admin.username)
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/anmelden/code/**")
    page.fill("input[name=code]", totp_code(record.secret))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/verwaltung/$"))  # the staff home, after the code page
    page.goto("/verwaltung/daten/")
    assert_accessible(page)
    page.goto("/verwaltung/daten/neu/")
    assert_accessible(page)
    page.locator("button[type=submit]").last.click()
    assert page.locator(".kern-error").count() >= 2
    assert_accessible(page)
