"""The appointment as iCalendar (RFC 5545): attached to the confirmation and offered for download."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from .models import Booking
from .selectors import Concern, documents_to_bring


def location_text(booking: Booking) -> str:
    location = booking.location
    address = ", ".join(part for part in (location.street, f"{location.postal_code} {location.city}".strip()) if part)
    return f"{location.name}, {address}" if address else location.name


def booking_ics(booking: Booking, *, concerns: list[Concern], manage_url: str = "") -> bytes:
    """One VEVENT (METHOD:PUBLISH) with the time in Europe/Berlin, the place, the concerns and the Mitbringliste.

    The UID stays the same for the booking's whole life and SEQUENCE rises when it moves or is cancelled, so a
    calendar that imported the first file updates its entry. A cancelled booking gives STATUS:CANCELLED.
    """
    calendar = Calendar()
    calendar.add("prodid", "-//Rathaus//Termine//DE")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{booking.public_id}@rathaus")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(booking.start))
    event.add("dtend", timezone.localtime(booking.end))
    event.add("sequence", booking.sequence)
    names = ", ".join(concern.name for concern in concerns)
    event.add("summary", _("Appointment: %(concerns)s") % {"concerns": names})
    event.add("location", location_text(booking))
    cancelled = booking.status == Booking.Status.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    lines = [_("Your concerns: %(concerns)s") % {"concerns": names}]
    documents = documents_to_bring(concerns)
    if documents:
        lines += ["", _("Please bring:"), *(f"- {text}" for text in documents)]
    if manage_url and not cancelled:
        lines += ["", _("Cancel or move the appointment: %(link)s") % {"link": manage_url}]
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
