"""The citizen's way in Chromium with the keyboard only: report a pothole (kind, street, the map's centre as the
place, description, e-mail), see the report, find it in /open311/v2/requests.json; staff pages too. axe-core on
every page. No tile server is configured: the map works without tiles."""

from __future__ import annotations

import pytest
from django.test import Client

from rathaus.reports.models import Report
from rathaus.testing.browser import assert_accessible, browser_as, tab_to

from .conftest import HOST

pytestmark = [pytest.mark.browser, pytest.mark.reports, pytest.mark.django_db(transaction=True)]


def test_a_citizen_reports_a_pothole_with_the_keyboard_and_it_appears_in_open311(page, live_server, towns):
    page.goto("/maengelmelder/")
    assert page.locator("#report-map").is_visible()  # the map is drawn without any tile server
    assert_accessible(page)
    tab_to(page, "main a[href='/maengelmelder/melden/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/maengelmelder/melden/")
    assert_accessible(page)

    tab_to(page, "#kategorie-1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#kategorie-3").is_checked()
    assert page.locator("#kategorie-3").get_attribute("value") == "schlagloch"
    tab_to(page, "#strasse")
    page.keyboard.type("Am Kurpark")
    page.keyboard.press("Tab")
    page.keyboard.type("5")
    tab_to(page, "#report-map-centre")
    page.keyboard.press("Enter")
    assert page.locator("#lat").input_value() and page.locator("#lon").input_value()
    assert page.get_by_role("status").filter(has_text="Ort gewählt").is_visible()
    tab_to(page, "form.application-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_selector("#beschreibung")
    assert_accessible(page)

    tab_to(page, "#beschreibung")
    page.keyboard.type("Tiefes Schlagloch auf dem Fußweg am Parkeingang.")
    tab_to(page, "#email")
    page.keyboard.type("erika@example.org")
    tab_to(page, "form[action$='/absenden/'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/maengelmelder/gemeldet/")
    assert_accessible(page)

    report = Report.objects.get(reporter_email="erika@example.org")
    assert report.precision == "point" and report.address == "Am Kurpark 5"
    tab_to(page, f"a[href='/maengelmelder/{report.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/maengelmelder/{report.pk}/")
    assert "Tiefes Schlagloch" in page.locator("main").inner_text()
    assert "erika@example.org" not in page.content()
    assert_accessible(page)

    listing = page.request.get(f"{live_server.url}/open311/v2/requests.json").json()
    [found] = [item for item in listing if item["service_request_id"] == str(report.pk)]
    assert found["service_code"] == "schlagloch" and found["status"] == "open"
    assert found["description"] == "Tiefes Schlagloch auf dem Fußweg am Parkeingang."


def test_without_javascript_the_form_offers_no_map_and_no_map_button(browser, live_server, towns):
    context = browser.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/maengelmelder/melden/")
    assert page.locator("#strasse").is_visible()
    assert not page.locator("#report-map").is_visible()
    assert not page.locator("#report-map-centre").is_visible()  # "Use the centre of the map" needs the map
    context.close()


def test_the_back_office_pages_are_accessible(browser, live_server, towns, town_admin, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, town_admin)
    page = browser_as(browser, live_server, client)
    report = Report.objects.filter(municipality=towns[0]).first()
    for path in ("/verwaltung/maengel/", f"/verwaltung/maengel/{report.pk}/", "/verwaltung/maengel/api-schluessel/"):
        page.goto(path)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)
    tab_to(page, "#key-name")
    page.keyboard.type("Test-App")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-new-key]")
    assert_accessible(page)
    page.context.close()
