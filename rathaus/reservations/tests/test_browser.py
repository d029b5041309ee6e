"""A barbecue place in Chromium, with the keyboard only: the citizen finds the service, picks a free window in the
calendar and requests it; the responsible caseworker gets the e-mail (a real SMTP server), confirms with one click
from its link; the citizen receives the confirmation with the .ics. axe-core checks every page."""

from __future__ import annotations

from urllib.parse import urlsplit

import icalendar
import pytest

from rathaus.reservations.models import Reservation
from rathaus.testing.browser import assert_accessible, browser_as

pytestmark = [pytest.mark.browser, pytest.mark.appointments, pytest.mark.django_db(transaction=True)]


def focus(page, selector: str, presses: int = 120) -> None:
    """Move the focus with Tab onto the first element matching `selector`; fail when Tab never gets there."""
    target = page.locator(selector).first
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    pytest.fail(f"Tab never reaches {selector}")


def follow(page, selector: str) -> None:
    focus(page, selector)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)


def on_test_server(url: str, live_server) -> str:
    """A link from an e-mail (with the municipality's host name), opened on the test server."""
    return live_server.url + urlsplit(url).path


def type_into(page, selector: str, text: str) -> None:
    focus(page, selector)
    page.keyboard.type(text)


def test_a_citizen_requests_a_barbecue_place_and_staff_confirm_it_from_the_e_mail(
    page, live_server, catalog, waldsee_all_year, karla, smtp
):
    page.goto("/leistungen/grillplatzreservierung/")
    assert_accessible(page)
    follow(page, "a.kern-btn[href$='/start/']")
    follow(page, "a[href='/reservierungen/?leistung=grillplatzreservierung']")
    follow(page, "a[href='/reservierungen/grillplatz-waldsee/']")
    assert page.locator("table.month-calendar th[scope=col]").count() == 7
    follow(page, "table.month-calendar a[href*='/anfragen/']")

    assert page.locator("input[name=zeit]:checked").count() == 1  # the window chosen in the calendar
    type_into(page, "#personen", "25")
    focus(page, "#anlass")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#anlass").input_value() != ""
    type_into(page, "#name", "Erika Mustermann")
    page.keyboard.press("Tab")
    page.keyboard.type("Heidestraße 17")
    page.keyboard.press("Tab")
    page.keyboard.type("61348")
    page.keyboard.press("Tab")
    page.keyboard.type("Musterstadt")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type("erika@example.org")
    page.keyboard.press("Tab")
    page.keyboard.type("06172 123456")
    focus(page, "#regeln")
    page.keyboard.press("Space")
    assert page.locator("#regeln").is_checked()
    follow(page, "form.application-form button[type=submit]")
    assert page.get_by_role("status").is_visible()
    reservation = Reservation.objects.get()
    assert reservation.status == Reservation.Status.REQUESTED and reservation.persons == 25

    [request_mail] = smtp.to("karla@musterstadt.example")
    decide = next(link for link in smtp.links_in(request_mail) if "/entscheiden/" in link)
    page.goto(on_test_server(decide, live_server))
    assert_accessible(page)
    assert Reservation.objects.get().status == Reservation.Status.REQUESTED  # opening the link decides nothing
    follow(page, "button[value=bestaetigen]")
    assert page.get_by_role("status").is_visible()
    assert Reservation.objects.get().status == Reservation.Status.CONFIRMED

    receipt, confirmation = smtp.to("erika@example.org")
    assert reservation.code in smtp.text_of(receipt)
    [attachment] = [part for part in confirmation.iter_attachments() if part.get_filename() == "reservierung.ics"]
    [event] = icalendar.Calendar.from_ical(attachment.get_payload(decode=True)).walk("VEVENT")
    assert event.decoded("dtstart") == reservation.start and str(event["status"]) == "CONFIRMED"
    manage = next(link for link in smtp.links_in(confirmation) if "/reservierungen/r/" in link)
    page.goto(on_test_server(manage, live_server))
    assert_accessible(page)
    assert page.locator("a[href$='reservierung.ics']").is_visible()


def test_the_back_office_lists_requests_and_declines_one_with_a_reason(
    browser, live_server, waldsee, karla, staff_log_in, smtp
):
    from django.test import Client

    from rathaus.reservations.services import reservation_request

    from .conftest import NOW
    from .test_services import MIDDAY, details

    reservation = reservation_request(resource=waldsee, start=MIDDAY[0], end=MIDDAY[1], details=details(), now=NOW)
    staff_client = Client(HTTP_HOST="musterstadt.localhost")
    staff_log_in(staff_client, karla)
    staff = browser_as(browser, live_server, staff_client)
    staff.goto("/verwaltung/")
    assert_accessible(staff)
    follow(staff, "a[href='/verwaltung/reservierungen/']")
    follow(staff, f"a[href='/verwaltung/reservierungen/{reservation.public_id}/']")
    type_into(staff, "#decline-reason", "An diesem Tag wird der Platz gemäht.")
    follow(staff, "form[action$='/ablehnen/'] button[type=submit]")
    assert staff.get_by_role("status").is_visible()
    reservation.refresh_from_db()
    assert reservation.status == Reservation.Status.DECLINED
    staff.goto("/verwaltung/reservierungen/platz/grillplatz-waldsee/?monat=2027-05")
    assert_accessible(staff)
    staff.context.close()
    assert "An diesem Tag wird der Platz gemäht." in smtp.text_of(smtp.to("erika@example.org")[-1])
