"""A reservation as iCalendar (RFC 5545): attached to the confirmation and the cancellation, offered for download."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Reservation


def place_text(reservation: Reservation) -> str:
    resource = reservation.resource
    return f"{resource.name}, {resource.address}" if resource.address else resource.name


def reservation_ics(reservation: Reservation, *, manage_url: str = "") -> bytes:
    """One VEVENT (METHOD:PUBLISH), times in Europe/Berlin. The UID is the reservation's for its whole life and
    SEQUENCE rises with every change, so a calendar that imported the confirmation drops the entry when the
    cancellation (STATUS:CANCELLED) arrives."""
    event = Event()
    event.add("uid", f"{reservation.public_id}@rathaus-reservierung")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(reservation.start))
    event.add("dtend", timezone.localtime(reservation.end))
    event.add("sequence", reservation.sequence)
    event.add("summary", _("Reservation: %(resource)s") % {"resource": reservation.resource.name})
    event.add("location", place_text(reservation))
    cancelled = reservation.status == Reservation.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    lines = [_("Reference: %(code)s") % {"code": reservation.code}]
    if reservation.resource.directions:
        lines += ["", reservation.resource.directions]
    if manage_url and not cancelled:
        lines += ["", _("See or cancel the reservation: %(link)s") % {"link": manage_url}]
    event.add("description", "\n".join(lines))
    calendar = Calendar()
    calendar.add("prodid", "-//Rathaus//Reservierungen//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
