"""E-mails of reservations. Citizens get theirs in the language they requested in, staff in the site's language.
Sent after the commit by the services; a mail server that fails is logged, the reservation stands."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from rathaus.accounts.models import User
from rathaus.core.attachments import calendar_attachment
from rathaus.postbox.services import site_url

from .fees import euros, fee_rule_text
from .ics import place_text, reservation_ics
from .links import reservation_path
from .models import Reservation
from .selectors import decision_recipients, refund_due, reservation_payment

logger = logging.getLogger(__name__)


def _reservation(pk: int) -> Reservation:
    return Reservation.objects.select_related("resource", "resource__department", "municipality").get(pk=pk)


def _context(reservation: Reservation) -> dict[str, Any]:
    base = site_url(reservation.municipality)
    return {
        "reservation": reservation,
        "resource": reservation.resource,
        "municipality": reservation.municipality,
        "department": reservation.resource.department,
        "start": timezone.localtime(reservation.start),
        "end": timezone.localtime(reservation.end),
        "expires": timezone.localtime(reservation.expires_at) if reservation.expires_at else None,
        "place": place_text(reservation),
        "fee": euros(reservation.fee),
        "fee_rule": fee_rule_text(reservation.resource),
        "manage_url": base + reservation_path(reservation, "manage"),
        "back_office_url": base + reverse("reservations_staff:detail", args=[reservation.public_id]),
    }


def _send(to: str, template: str, context: dict[str, Any], *, ics: bytes | None = None) -> bool:
    subject = " ".join(render_to_string(f"reservations/mail/{template}_subject.txt", context).split())
    body = render_to_string(f"reservations/mail/{template}.txt", context)
    message = EmailMessage(subject, body, None, [to])
    if ics is not None:
        message.attach(calendar_attachment("reservierung.ics", ics))
    try:
        message.send()
    except (smtplib.SMTPException, OSError):
        logger.exception(
            "the %s e-mail of reservation %s could not be sent", template, context["reservation"].public_id
        )
        return False
    return True


def _to_citizen(
    reservation: Reservation, template: str, *, ics: bool = False, extra: dict[str, Any] | None = None
) -> bool:
    with translation.override(reservation.language or settings.LANGUAGE_CODE):
        context = {**_context(reservation), **(extra or {})}
        content = reservation_ics(reservation, manage_url=context["manage_url"]) if ics else None
        return _send(reservation.email, template, context, ics=content)


def _decide_url(reservation: Reservation, staff: User | None) -> str:
    return site_url(reservation.municipality) + reservation_path(reservation, "decide", staff=staff)


def requested_mails_send(reservation_pk: int) -> None:
    """The citizen's receipt (the time is held, the answer follows) and the request to the department: one e-mail
    to each responsible staff member, each with a personal one-click link."""
    reservation = _reservation(reservation_pk)
    _to_citizen(reservation, "requested")
    with translation.override(settings.LANGUAGE_CODE):
        for address, staff in decision_recipients(resource=reservation.resource):
            context = {**_context(reservation), "decide_url": _decide_url(reservation, staff), "staff": staff}
            _send(address, "staff_request", context)


def confirmed_mail_send(reservation_pk: int) -> bool:
    """The confirmation with place, directions, the fee and how to pay it, the cancel link and an .ics."""
    return _to_citizen(_reservation(reservation_pk), "confirmed", ics=True)


def declined_mail_send(reservation_pk: int) -> bool:
    """The answer that the reservation is not possible, with the department's reason."""
    return _to_citizen(_reservation(reservation_pk), "declined")


def expired_mail_send(reservation_pk: int) -> bool:
    """The request was not answered in time; its time is free again."""
    return _to_citizen(_reservation(reservation_pk), "expired")


def cancelled_mails_send(reservation_pk: int, *, by_staff: bool) -> None:
    """The cancellation: to the citizen (with an .ics that removes a confirmed reservation from calendars), and when
    the citizen cancelled, a notice to the department."""
    reservation = _reservation(reservation_pk)
    was_confirmed = reservation.decided_at is not None  # a declined reservation cannot be cancelled
    payment = reservation_payment(reservation=reservation)
    invoice = {
        "invoice_cancelled": payment is not None and payment.status == "cancelled",
        "refund_due": refund_due(reservation=reservation, payment=payment),
    }
    _to_citizen(reservation, "cancelled_by_staff" if by_staff else "cancelled", ics=was_confirmed, extra=invoice)
    if by_staff:
        return
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_context(reservation), "was_confirmed": was_confirmed, **invoice}
        for address, _staff in decision_recipients(resource=reservation.resource):
            _send(address, "staff_cancelled", context)
