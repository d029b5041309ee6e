"""Signed links for citizens without an account: confirm a held booking, and manage (cancel, move) a booking.

A link carries the booking's id and its current nonce, signed with SECRET_KEY (TimestampSigner). Cancelling or
moving gives the booking a new nonce, so every link sent before stops working: a link cannot be used twice.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Literal

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.tenants.models import Municipality

from .errors import LinkInvalid
from .models import Booking

Purpose = Literal["confirm", "manage"]
MAX_AGE = {"confirm": timedelta(days=2), "manage": timedelta(days=400)}


def _signer(purpose: Purpose) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"rathaus.appointments.{purpose}")


def booking_token(booking: Booking, purpose: Purpose) -> str:
    return _signer(purpose).sign_object({"b": str(booking.public_id), "n": booking.nonce}, compress=True)


def booking_path(booking: Booking, purpose: Purpose) -> str:
    name = "appointments:confirm" if purpose == "confirm" else "appointments:manage"
    return reverse(name, args=[booking_token(booking, purpose)])


def booking_from_token(*, municipality: Municipality, token: str, purpose: Purpose) -> Booking:
    """The booking a link is for. LinkInvalid when the link is forged, too old, of another municipality, or was
    made before the booking was cancelled or moved."""
    try:
        payload = _signer(purpose).unsign_object(token, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as error:
        raise LinkInvalid(_("This link is too old. Please book a new appointment."), code="link_expired") from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise LinkInvalid(
            _("This link is not valid. Please open the link from your e-mail exactly as it was sent."),
            code="link_forged",
        ) from error
    if not isinstance(payload, dict):
        raise LinkInvalid(_("This link is not valid."), code="link_forged")
    booking = (
        Booking.objects.filter(municipality=municipality, public_id=str(payload.get("b", "")))
        .select_related("location", "counter", "municipality")
        .first()
    )
    if booking is None:
        raise LinkInvalid(
            _("This link is not valid. Please open the link from your e-mail exactly as it was sent."),
            code="link_forged",
        )
    if booking.nonce != payload.get("n"):
        raise LinkInvalid(
            _(
                "This link has already been used or is out of date: the appointment was cancelled or moved. "
                "Please use the link from the most recent e-mail."
            ),
            code="link_used",
        )
    return booking
