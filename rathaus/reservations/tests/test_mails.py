"""E-mails through a real SMTP server: the receipt, the request to each responsible staff member with a personal
one-click link, the confirmation with an .ics, the reason of a decline, the cancellation and the lapse."""

from __future__ import annotations

from datetime import timedelta

import icalendar

from rathaus.reservations.services import (
    requests_expire,
    reservation_cancel,
    reservation_confirm,
    reservation_decline,
    reservation_payment_book,
    reservation_request,
)

from .conftest import NOW, at
from .test_services import EVENING, MIDDAY, details


def ics_of(message) -> icalendar.Calendar:
    parts = [part for part in message.iter_attachments() if part.get_filename() == "reservierung.ics"]
    assert len(parts) == 1
    assert parts[0].get_content_type() == "text/calendar"
    assert parts[0].get_param("method") == "PUBLISH"
    return icalendar.Calendar.from_ical(parts[0].get_payload(decode=True))


def test_request_confirmation_and_cancellation_mails(waldsee, karla, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reservation = reservation_request(
            resource=waldsee, start=MIDDAY[0], end=MIDDAY[1], details=details(remarks="Mit Kindern"), now=NOW
        )
    [receipt] = smtp.to("erika@example.org")
    text = smtp.text_of(receipt)
    assert "Grillplatz am Waldsee" in text and "Gebühr: 40,00 €" in text and reservation.code in text
    assert "Kultur, Sport und Bäder antwortet Ihnen spätestens am 10. Mai 2027 per E-Mail." in text
    assert "/reservierungen/r/" in smtp.link_in(receipt)
    [to_staff] = smtp.to("karla@musterstadt.example")  # the department's caseworker, personally
    staff_text = smtp.text_of(to_staff)
    assert "Heidestraße 17, 61348 Musterstadt" in staff_text and "Mit Kindern" in staff_text
    assert any("/verwaltung/reservierungen/entscheiden/" in link for link in smtp.links_in(to_staff))

    with django_capture_on_commit_callbacks(execute=True):
        reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    confirmation = smtp.to("erika@example.org")[1]
    text = smtp.text_of(confirmation)
    assert "Parkplatz am Ende des Seewegs" in text  # directions
    assert f"als Verwendungszweck die Reservierungsnummer {reservation.code} an." in text  # the invoice
    [event] = ics_of(confirmation).walk("VEVENT")
    assert event.decoded("dtstart") == MIDDAY[0] and event.decoded("dtend") == MIDDAY[1]
    assert str(event["status"]) == "CONFIRMED" and "Grillplatz am Waldsee" in str(event["location"])

    with django_capture_on_commit_callbacks(execute=True):
        reservation_cancel(reservation=reservation, now=NOW)
    cancellation = smtp.to("erika@example.org")[2]
    [event] = ics_of(cancellation).walk("VEVENT")
    assert str(event["status"]) == "CANCELLED" and int(event["sequence"]) == 2
    notice = smtp.to("karla@musterstadt.example")[1]
    assert notice["Subject"].strip() == "Abgesagt von der Bürgerin oder dem Bürger: Grillplatz am Waldsee am 15.05.2027"
    assert "Die Rechnung wurde storniert." in smtp.text_of(notice)
    assert "Die Rechnung über die Gebühr ist storniert: Sie müssen sie nicht bezahlen." in smtp.text_of(cancellation)


def test_when_a_paid_reservation_is_cancelled_the_department_is_asked_to_refund(
    waldsee, karla, smtp, django_capture_on_commit_callbacks
):
    reservation = reservation_request(resource=waldsee, start=MIDDAY[0], end=MIDDAY[1], details=details(), now=NOW)
    reservation = reservation_confirm(reservation=reservation, actor=karla, now=NOW)
    assert reservation_payment_book(reservation=reservation, actor=karla, reference="Kasse 4711")
    with django_capture_on_commit_callbacks(execute=True):
        reservation_cancel(reservation=reservation, now=NOW)
    notice = smtp.to("karla@musterstadt.example")[-1]
    assert "Die Gebühr von 40,00 € war schon bezahlt: Bitte veranlassen Sie die Erstattung." in smtp.text_of(notice)
    text = smtp.text_of(smtp.to("erika@example.org")[-1])
    assert "Sie haben die Gebühr schon bezahlt: Die zuständige Stelle meldet sich dazu bei Ihnen." in text


def test_a_decline_tells_the_reason_and_a_lapse_says_sorry(waldsee, karla, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = reservation_request(resource=waldsee, start=MIDDAY[0], end=MIDDAY[1], details=details(), now=NOW)
        reservation_request(
            resource=waldsee, start=EVENING[0], end=EVENING[1], details=details(email="max@example.org"), now=NOW
        )
        reservation_decline(reservation=first, actor=karla, reason="Der Platz wird an diesem Tag gemäht.", now=NOW)
        requests_expire(now=NOW + timedelta(days=7))
    declined = smtp.to("erika@example.org")[1]
    assert "Der Platz wird an diesem Tag gemäht." in smtp.text_of(declined)
    assert not list(declined.iter_attachments())
    lapsed = smtp.to("max@example.org")[1]
    assert "kultur@musterstadt.example" in smtp.text_of(lapsed)  # whom to ask


def test_without_staff_the_request_goes_to_the_department_address(waldsee, smtp, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reservation_request(resource=waldsee, start=at(5, 22, 10), end=at(5, 22, 16), details=details(), now=NOW)
    [to_department] = smtp.to("kultur@musterstadt.example")
    assert any("/verwaltung/reservierungen/entscheiden/" in link for link in smtp.links_in(to_department))
