"""Conditional fields: hidden until needed with JavaScript, explained by a hint without it."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from rathaus.applications.models import Application
from rathaus.applications.services import application_start
from rathaus.catalog.selectors import service_get

pytestmark = pytest.mark.browser


@pytest.fixture
def draft(catalog, musterstadt, erika, browser, live_server):
    service = service_get(municipality=musterstadt, key="bewohnerparkausweis")
    return application_start(municipality=musterstadt, service=service, user=erika)


@pytest.fixture
def open_page(browser, live_server, erika, log_in):
    """open_page(javascript=...) -> a page in a browser where Erika is logged in with a substantial login."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    log_in(client, erika, "substanziell")
    session_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    def open_page(*, javascript: bool):
        context = browser.new_context(locale="de-DE", base_url=live_server.url, java_script_enabled=javascript)
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session_cookie, "url": live_server.url}])
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    return open_page


def test_with_javascript_a_conditional_field_appears_when_needed(open_page, draft):
    page = open_page(javascript=True)
    page.goto(f"/antrag/{draft.public_id}/schritt/fahrzeug/")
    assert not page.locator("#feld-halter_name").is_visible()
    page.get_by_label("Auf eine andere Person").check()
    assert page.locator("#feld-halter_name").is_visible()
    assert Axe().run(page).response["violations"] == []


def test_without_javascript_every_field_is_shown_with_when_it_is_needed(open_page, draft):
    page = open_page(javascript=False)
    page.goto(f"/antrag/{draft.public_id}/schritt/fahrzeug/")
    assert page.locator("#feld-halter_name").is_visible()
    hint = page.locator("#feld-halter_name-hint").inner_text()
    assert hint.startswith("Nur nötig, wenn Ihre Antwort auf „Auf wen ist das Fahrzeug zugelassen?“")
    page.get_by_label("Auf mich").check()
    page.fill("#feld-kennzeichen", "MU-EM 64")
    page.fill("#feld-halter_name", "wird nicht gebraucht")
    page.get_by_label("Ich habe keinen eigenen Stellplatz und keine Garage.").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    page.wait_for_url("**/schritt/ausweis/")
    draft.refresh_from_db()
    assert Application.objects.get(pk=draft.pk).status == "draft"


def test_a_step_with_errors_is_accessible_and_links_to_the_fields(open_page, draft):
    page = open_page(javascript=True)
    page.goto(f"/antrag/{draft.public_id}/schritt/fahrzeug/")
    page.get_by_role("button", name="Weiter", exact=True).click()
    summary = page.locator(".error-summary")
    assert "Amtliches Kennzeichen: Bitte füllen Sie dieses Feld aus." in summary.inner_text()
    assert Axe().run(page).response["violations"] == []
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "feld-kennzeichen"
