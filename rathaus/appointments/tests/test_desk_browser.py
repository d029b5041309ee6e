"""The desk and the fairness check in Chromium, keyboard only, with axe-core on every page: staff give a waiting
number and call it, the waiting-room display shows it, staff block a time and book for a caller; and a citizen's
browser solves the proof of work before booking."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from rathaus.appointments import fairness
from rathaus.appointments.models import BlockedTime, Booking, Ticket
from rathaus.testing.browser import assert_accessible, browser_as, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.appointments, pytest.mark.django_db(transaction=True)]

DAY_VIEW = "/verwaltung/termine/buergerbuero-im-rathaus/"


def submit(page) -> None:
    """Press Enter on the focused button and wait for the page the form leads to."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def next_weekday() -> str:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_staff_call_a_walk_in_block_a_time_and_book_for_a_caller(
    browser, live_server, office_live, citizens_office_clerk, staff_log_in
):
    client = Client()
    staff_log_in(client, citizens_office_clerk)
    staff = browser_as(browser, live_server, client)
    staff.goto(DAY_VIEW)
    assert_accessible(staff)

    tab_to(staff, "#ohne-termin-1")
    staff.keyboard.press("Space")
    tab_to(staff, "#walk_in button[type=submit]")
    submit(staff)
    assert "Wartenummer W 1" in staff.get_by_role("status").inner_text()
    tab_to(staff, "button:has-text('Nächste Person an Schalter 1 aufrufen')")
    submit(staff)
    assert "W 1 ist an Schalter 1 aufgerufen." in staff.get_by_role("status").inner_text()
    assert_accessible(staff)
    assert Ticket.objects.get().status == Ticket.Status.CALLED

    display = staff.context.new_page()
    display.goto("/termine/buergerbuero-im-rathaus/aufruf/")
    assert "W 1" in display.locator("#calls").inner_text()
    assert "Schalter 1" in display.locator("#calls").inner_text()
    assert_accessible(display)
    display.close()

    day = next_weekday()
    staff.goto(f"{DAY_VIEW}?tag={day}")
    tab_to(staff, "#von")
    staff.keyboard.type("10:00")
    tab_to(staff, "#bis")
    staff.keyboard.type("10.30")
    tab_to(staff, "#grund")
    staff.keyboard.type("Teambesprechung")
    tab_to(staff, "#block button[type=submit]")
    submit(staff)
    assert "Die Zeit ist gesperrt." in staff.get_by_role("status").inner_text()
    assert "Teambesprechung" in staff.locator("main").inner_text()
    blocked = BlockedTime.objects.get()
    assert timezone.localtime(blocked.start).strftime("%H:%M") == "10:00"
    assert_accessible(staff)

    staff.goto(f"{DAY_VIEW}buchen/?tag={day}")
    assert_accessible(staff)
    tab_to(staff, "input[name=anliegen][value=personalausweis]")
    staff.keyboard.press("Space")
    tab_to(staff, "main form[method=get] button[type=submit]")
    submit(staff)
    tab_to(staff, "#name")
    staff.keyboard.type("Otto Anrufer")
    tab_to(staff, "main form[method=post] button[type=submit]")
    staff.keyboard.press("Enter")
    staff.wait_for_url(f"**{DAY_VIEW}?tag={day}")
    assert "Otto Anrufer" in staff.locator("main").inner_text()
    assert_accessible(staff)
    booking = Booking.objects.get()
    assert booking.channel == Booking.Channel.STAFF and booking.status == Booking.Status.CONFIRMED


def test_the_browser_solves_the_proof_of_work_before_booking(page, live_server, office_live, settings):
    settings.RATHAUS_APPOINTMENT_BOOKINGS_PER_IP = 4
    settings.RATHAUS_APPOINTMENT_POW_BITS = 12
    limit = fairness.bookings_limit()
    limit.failure("127.0.0.1")
    limit.failure("127.0.0.1")  # half of the limit: the next booking needs the proof of work
    page.goto("/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis")
    assert page.locator("[data-proof-of-work]").count() == 1
    assert_accessible(page)
    tab_to(page, "input[name=beginn]")
    page.keyboard.press("Space")
    tab_to(page, "#name")
    page.keyboard.type("Erika Mustermann")
    page.keyboard.press("Tab")
    page.keyboard.type("erika@example.org")
    tab_to(page, "form.application-form button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/termine/vorgemerkt/")
    assert Booking.objects.get().email == "erika@example.org"
