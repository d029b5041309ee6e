"""E-mails through a real SMTP server: confirmation link, confirmation with Mitbringliste and .ics, reminder."""

from __future__ import annotations

from datetime import date, timedelta

import icalendar
from django.utils import timezone

from rathaus.appointments.models import Booking
from rathaus.appointments.services import booking_cancel, booking_confirm, booking_hold, reminders_send
from rathaus.core.holidays import public_holiday

from .conftest import NOW, at


def ics_of(message) -> icalendar.Calendar:
    parts = [part for part in message.iter_attachments() if part.get_filename() == "termin.ics"]
    assert len(parts) == 1
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_param("method") == "PUBLISH"
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def test_hold_confirmation_and_cancellation_mails(office, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_hold(
            location=office,
            service_keys=["personalausweis", "reisepass"],
            start=at(7, 9),
            name="Erika Mustermann",
            email="erika@example.org",
            now=NOW,
        )
    [hold] = smtp.to("erika@example.org")
    assert "/termine/bestaetigen/" in smtp.link_in(hold)
    assert not list(hold.iter_attachments())

    with django_capture_on_commit_callbacks(execute=True):
        booking_confirm(booking=booking, now=NOW)
    confirmation = smtp.to("erika@example.org")[1]
    text = smtp.text_of(confirmation)
    # The Mitbringliste of both services, each document once.
    assert "Ein biometrisches Passfoto" in text and text.count("Ein biometrisches Passfoto") == 1
    assert "Ihr bisheriger Reisepass, auch wenn er abgelaufen ist" in text
    assert any("/termine/termin/" in link for link in smtp.links_in(confirmation))
    [event] = ics_of(confirmation).walk("VEVENT")
    assert event.decoded("dtstart") == at(7, 9) and event.decoded("dtend") == at(7, 9, 40)
    assert str(event["uid"]) == f"{booking.public_id}@rathaus"
    assert str(event["status"]) == "CONFIRMED"
    assert "Bürgerbüro im Rathaus" in str(event["location"])
    assert "Ein biometrisches Passfoto" in str(event["description"])

    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=booking, now=NOW)
    cancellation = smtp.to("erika@example.org")[2]
    [event] = ics_of(cancellation).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 1


def test_reminders_go_out_once_the_day_before(office, smtp, django_capture_on_commit_callbacks):
    tomorrow = timezone.localdate() + timedelta(days=1)
    while tomorrow.weekday() > 4 or public_holiday("HE", tomorrow):  # the office is open Monday to Friday
        tomorrow += timedelta(days=1)
    today: date = tomorrow - timedelta(days=1)
    start = timezone.make_aware(timezone.datetime.combine(tomorrow, timezone.datetime.min.time())).replace(hour=9)
    now = start - timedelta(days=1, hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        booking = booking_hold(
            location=office, service_keys=["personalausweis"], start=start, name="E", email="e@example.org", now=now
        )
        booking_confirm(booking=booking, now=now)
        unconfirmed = booking_hold(
            location=office, service_keys=["personalausweis"], start=start, name="M", email="m@example.org", now=now
        )
    assert unconfirmed.status == Booking.Status.HELD
    assert reminders_send(today=today - timedelta(days=1)) == 0
    assert reminders_send(today=today) == 1
    assert reminders_send(today=today) == 0  # once only
    reminder = smtp.to("e@example.org")[-1]
    assert "Ein biometrisches Passfoto" in smtp.text_of(reminder)
    assert smtp.to("m@example.org")[-1]["Subject"] == smtp.to("m@example.org")[0]["Subject"]  # only the hold mail
