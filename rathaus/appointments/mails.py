"""E-mails of appointments, in the language the citizen booked in. Sent after the commit by the services."""

from __future__ import annotations

import logging
import smtplib

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from rathaus.core.attachments import calendar_attachment
from rathaus.postbox.services import site_url

from .ics import booking_ics, location_text
from .links import booking_path
from .models import Booking
from .selectors import concerns_of, documents_to_bring

logger = logging.getLogger(__name__)


def _booking(pk: int) -> Booking:
    return Booking.objects.select_related("location", "municipality").get(pk=pk)


def _context(booking: Booking) -> dict:
    concerns = concerns_of(booking)
    base = site_url(booking.municipality)
    return {
        "booking": booking,
        "municipality": booking.municipality,
        "concerns": concerns,
        "documents": documents_to_bring(concerns),
        "place": location_text(booking),
        "start": timezone.localtime(booking.start),
        "end": timezone.localtime(booking.end),
        "confirm_url": base + booking_path(booking, "confirm"),
        "manage_url": base + booking_path(booking, "manage"),
        "hold_until": timezone.localtime(booking.hold_expires_at) if booking.hold_expires_at else None,
    }


def _send(booking: Booking, template: str, *, ics: bool) -> bool:
    with translation.override(booking.language or "de"):
        context = _context(booking)
        subject = " ".join(render_to_string(f"appointments/mail/{template}_subject.txt", context).split())
        body = render_to_string(f"appointments/mail/{template}.txt", context)
        message = EmailMessage(subject, body, None, [booking.email])
        if ics:
            content = booking_ics(booking, concerns=context["concerns"], manage_url=context["manage_url"])
            message.attach(calendar_attachment("termin.ics", content))
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception("the %s e-mail of appointment %s could not be sent", template, booking.public_id)
        return False
    return True


def hold_mail_send(booking_pk: int) -> bool:
    """The link that confirms a held booking."""
    return _send(_booking(booking_pk), "hold", ics=False)


def confirmation_mail_send(booking_pk: int) -> bool:
    """The confirmation (also after moving): time, place, Mitbringliste, the link to cancel or move, an .ics."""
    return _send(_booking(booking_pk), "confirmation", ics=True)


def cancellation_mail_send(booking_pk: int) -> bool:
    """The confirmation of a cancellation, with an .ics that removes the entry from calendars."""
    return _send(_booking(booking_pk), "cancellation", ics=True)


def reminder_mail_send(booking_pk: int) -> bool:
    """The reminder the day before, with the Mitbringliste and the link to cancel or move."""
    return _send(_booking(booking_pk), "reminder", ics=False)
