"""The citizen's way in Chromium, with the keyboard only: book a Personalausweis appointment, confirm it from the
e-mail (a real SMTP server), read the Mitbringliste and the .ics, cancel by the link; axe-core on every page."""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
import pytest

from rathaus.appointments.models import Booking
from rathaus.testing.browser import assert_accessible, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.appointments, pytest.mark.django_db(transaction=True)]


def local(url: str, live_server) -> str:
    """A link from an e-mail (the municipality's host name) on the test server."""
    parts = urlsplit(url)
    return f"{live_server.url}{parts.path}"


def test_book_confirm_and_cancel_a_personalausweis_appointment(page, live_server, office_live, smtp):
    page.goto("/termine/?anliegen=personalausweis")
    assert page.locator("#anliegen-1, [name=anliegen][value=personalausweis]").first.is_visible()
    assert page.locator("input[value=personalausweis]").is_checked()
    assert_accessible(page)
    tab_to(page, "form.application-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zeiten/**")
    assert_accessible(page)

    first_time = page.locator("input[name=beginn]").first
    start = first_time.get_attribute("value")
    tab_to(page, "input[name=beginn]")
    page.keyboard.press("Space")
    assert first_time.is_checked()
    tab_to(page, "#name")
    page.keyboard.type("Erika Mustermann")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("erika@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    page.keyboard.press("Enter")
    page.wait_for_url("**/termine/vorgemerkt/")
    assert page.get_by_role("status").is_visible()
    assert_accessible(page)

    [hold] = smtp.to("erika@example.org")
    page.goto(local(smtp.link_in(hold), live_server))
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/termine/termin/**")
    assert page.get_by_role("status").is_visible()
    assert "Ein biometrisches Passfoto" in page.locator("main").inner_text()
    assert_accessible(page)

    confirmation = smtp.to("erika@example.org")[1]
    text = smtp.text_of(confirmation)
    assert "Ihr bisheriger Personalausweis, auch wenn er abgelaufen ist, oder Ihr Reisepass" in text
    [attachment] = [part for part in confirmation.iter_attachments() if part.get_filename() == "termin.ics"]
    [event] = icalendar.Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    booking = Booking.objects.get()
    assert event.decoded("dtstart") == booking.start
    assert booking.start.isoformat() == start or event.decoded("dtstart").isoformat() == start
    assert str(event["status"]) == "CONFIRMED"

    manage = local(next(link for link in smtp.links_in(confirmation) if "/termine/termin/" in link), live_server)
    page.goto(manage)
    tab_to(page, "a[href$='/absagen/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/absagen/")
    assert_accessible(page)
    tab_to(page, "main button[type=submit]")
    with page.expect_navigation():  # the answer of the POST comes to the same address
        page.keyboard.press("Enter")
    assert page.get_by_role("heading", level=1).inner_text() in ("Termin abgesagt", "Appointment cancelled")
    assert_accessible(page)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED

    page.goto(manage + "absagen/")  # the link again: it has been used
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)
    assert Booking.objects.get().status == Booking.Status.CANCELLED
