"""Signed links in e-mails, for people without a login at hand.

- `manage`: the citizen's link to see and cancel the reservation. It carries the reservation's nonce; cancelling
  gives a new one, so every link sent before stops working.
- `decide`: the link a staff member gets to confirm or decline a request with one click. It carries the
  reservation's decision nonce, which every decision renews (the link works once), and the staff member it was
  sent to (0 for the department's shared address), so the audit trail names who decided.

Both are signed with SECRET_KEY (TimestampSigner) and bound to one purpose and one municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.tenants.models import Municipality

from .errors import LinkInvalid
from .models import Reservation

Purpose = Literal["manage", "decide"]
MAX_AGE = {"manage": timedelta(days=400), "decide": timedelta(days=60)}
URL_NAMES = {"manage": "reservations:manage", "decide": "reservations_staff:decide"}


def _signer(purpose: Purpose) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"rathaus.reservations.{purpose}")


def reservation_token(reservation: Reservation, purpose: Purpose, *, staff: User | None = None) -> str:
    if purpose == "manage":
        payload: dict[str, str | int] = {"r": str(reservation.public_id), "n": reservation.nonce}
    else:
        payload = {"r": str(reservation.public_id), "n": reservation.decision_nonce, "u": staff.pk if staff else 0}
    return _signer(purpose).sign_object(payload, compress=True)


def reservation_path(reservation: Reservation, purpose: Purpose, *, staff: User | None = None) -> str:
    return reverse(URL_NAMES[purpose], args=[reservation_token(reservation, purpose, staff=staff)])


@dataclass(frozen=True)
class Opened:
    reservation: Reservation
    staff: User | None  # the staff member a decision link was sent to; None for the shared address


def _forged() -> LinkInvalid:
    return LinkInvalid(
        _("This link is not valid. Please open the link from your e-mail exactly as it was sent."), code="link_forged"
    )


def reservation_from_token(*, municipality: Municipality, token: str, purpose: Purpose) -> Opened:
    """What a link is for. LinkInvalid when it is forged, too old, of another municipality or purpose, or used."""
    try:
        payload = _signer(purpose).unsign_object(token, max_age=MAX_AGE[purpose])
    except signing.SignatureExpired as error:
        raise LinkInvalid(
            _("This link is too old. Please open the reservation from a more recent e-mail."), code="link_expired"
        ) from error
    except (signing.BadSignature, ValueError, UnicodeDecodeError) as error:
        raise _forged() from error
    if not isinstance(payload, dict):
        raise _forged()
    reservation = (
        Reservation.objects.filter(municipality=municipality, public_id=str(payload.get("r", "")))
        .select_related("resource", "resource__department", "municipality", "decided_by")
        .first()
    )
    if reservation is None:
        raise _forged()
    staff = None
    if purpose == "decide":
        if payload.get("u"):
            staff = User.objects.filter(pk=payload["u"], is_active=True).first()
            if staff is None:
                raise _forged()
        if reservation.decision_nonce != payload.get("n"):
            raise LinkInvalid(
                _("This request has already been decided; the link works only once."),
                code="link_used",
                reservation=reservation,
            )
    elif reservation.nonce != payload.get("n"):
        raise LinkInvalid(
            _(
                "This link has already been used or is out of date: the reservation was cancelled. "
                "Please use the link from the most recent e-mail."
            ),
            code="link_used",
        )
    return Opened(reservation=reservation, staff=staff)
