"""Writes of reservations: request, confirm, decline, cancel, no-show, expiry, and booking the fee as paid.

Correct under load: a request runs in one transaction that first locks the resource row (`select_for_update`), so
requests for one resource are serialised; on PostgreSQL the exclusion constraint `reservations_no_overlap` also
makes an overlap impossible for code that forgets the lock. On SQLite the lock is a no-op, but its writes are
serialised by the database itself (transactions start IMMEDIATE, see settings). Decisions lock the reservation row,
so a click in the e-mail and one in the back office cannot both take effect. E-mails go out after the commit.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.audit.services import audit_append

from . import availability, mails
from .checks import Details, day_text, details_check, window_check
from .errors import ReservationError, WindowUnavailable
from .fees import euros, fee_for
from .models import Reservation, Resource, new_nonce
from .selectors import may_decide, refund_due, reservation_payment

logger = logging.getLogger(__name__)

EXCLUSION = "reservations_no_overlap"
REASON_MAX = 1000


def decision_days() -> int:
    """Days staff have to answer a request before it lapses and frees its time (RATHAUS_RESERVATION_DECISION_DAYS,
    default 7); a request also lapses when its time begins undecided."""
    return int(getattr(settings, "RATHAUS_RESERVATION_DECISION_DAYS", 7))


def _lock(resource: Resource) -> Resource:
    """Serialise all requests for a resource (a row lock on PostgreSQL; SQLite serialises writes anyway)."""
    return (
        Resource.objects.select_related("municipality", "department")
        .select_for_update(of=("self",))
        .get(pk=resource.pk)
    )


def _insert(reservation: Reservation) -> Reservation:
    """Save; the exclusion constraint has the last word when two requests for one time meet."""
    try:
        with transaction.atomic():
            reservation.save()
    except IntegrityError as error:
        if EXCLUSION not in str(error):
            raise
        raise WindowUnavailable(_("This time has just been taken. Please choose another one."), code="taken") from error
    return reservation


def _audit(reservation: Reservation, *, actor: User | None, action: str, changes: dict, rule: str = "") -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type="reservation",
        object_id=str(reservation.public_id),
        municipality=reservation.municipality,
        changes=changes,
        rule=rule if actor is None else "",
    )


def _event(name: str, reservation: Reservation, **codes: str) -> None:
    event_emit(
        name=name,
        municipality=reservation.municipality,
        service_key=reservation.resource.service_key,
        kind=reservation.resource.kind,
        **codes,
    )


# --- the citizen's request -------------------------------------------------------------------------------------


@transaction.atomic
def reservation_request(
    *,
    resource: Resource,
    start: datetime,
    end: datetime,
    details: Details,
    language: str = "de",
    actor: User | None = None,
    now: datetime | None = None,
) -> Reservation:
    """Request [start, end) of `resource`: the time is held at once until the department decides (at most
    `decision_days()`), the citizen gets a receipt and the department the request with a one-click link.

    Raises DetailsInvalid for wrong details, WindowUnavailable when the time cannot be requested: past, too soon,
    too far ahead, out of season, closed, not one of the windows, too short or too long, does not fit, or taken -
    also when this e-mail address has already asked for it or has too many upcoming reservations here.
    """
    now = now or timezone.now()
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValueError("start and end must be timezone-aware")
    checked = details_check(resource=resource, details=details)
    resource = _lock(resource)
    requests_expire(resource=resource, now=now)
    holders = Reservation.objects.filter(availability.holding(resource, start, end, now))
    if holders.filter(email__iexact=checked.email).exists():
        raise WindowUnavailable(
            _("You have already asked for this time. Please look in your e-mails."), code="duplicate"
        )
    option = window_check(resource=resource, start=start, end=end, now=now)
    upcoming = Reservation.objects.filter(
        resource=resource,
        email__iexact=checked.email,
        status__in=[Reservation.Status.REQUESTED, Reservation.Status.CONFIRMED],
        end__gt=now,
    ).count()
    if upcoming >= resource.max_open_per_email:
        raise WindowUnavailable(
            _(
                "You already have %(count)s reservations of %(resource)s to come; more are not possible at the "
                "same time. Please wait until one has taken place, or cancel one."
            )
            % {"count": upcoming, "resource": resource.name},
            code="too_many",
        )
    reservation = _insert(
        Reservation(
            municipality_id=resource.municipality_id,
            resource=resource,
            start=start,
            end=end,
            window_label=option.label,
            name=checked.name,
            email=checked.email,
            phone=checked.phone,
            street=checked.street,
            postal_code=checked.postal_code,
            city=checked.city,
            persons=checked.persons,
            occasion=checked.occasion,
            remarks=checked.remarks,
            fee=fee_for(resource, start, end),
            language=language[:8],
            citizen=actor if actor is not None and actor.is_authenticated else None,
            expires_at=min(now + timedelta(days=decision_days()), start),
        )
    )
    _event("reservation_requested", reservation)
    transaction.on_commit(partial(mails.requested_mails_send, reservation.pk))
    logger.info("reservation %s requested for %s", reservation.public_id, resource.slug)
    return reservation


# --- decisions of staff ----------------------------------------------------------------------------------------


def _locked_for_decision(reservation: Reservation, actor: User | None) -> Reservation:
    locked = (
        Reservation.objects.select_related("resource", "municipality")
        .select_for_update(of=("self",))
        .get(pk=reservation.pk)
    )
    if actor is not None and not may_decide(user=actor, resource=locked.resource):
        raise PermissionDenied(_("Only staff of the responsible department can decide this request."))
    return locked


def _refuse_undecidable(locked: Reservation, now: datetime) -> None:
    if locked.status != Reservation.Status.REQUESTED:
        raise ReservationError(
            _("This request has already been answered: %(status)s.") % {"status": locked.get_status_display()},
            code="decided",
        )
    if locked.expires_at is not None and locked.expires_at <= now:
        raise ReservationError(
            _("This request was not answered in time and has lapsed; its time is free again."), code="expired"
        )


def _decided(locked: Reservation, *, status: str, actor: User | None, now: datetime, reason: str = "") -> None:
    locked.status = status
    locked.decided_at = now
    locked.decided_by = actor
    locked.decision_reason = reason
    locked.decision_nonce = new_nonce()
    locked.expires_at = None
    locked.sequence += 1


DECISION_FIELDS = ["status", "decided_at", "decided_by", "decision_reason", "decision_nonce", "expires_at", "sequence"]


@transaction.atomic
def reservation_confirm(
    *,
    reservation: Reservation,
    actor: User | None,
    via: str = "back_office",
    link_to: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Staff confirm a request (in the back office, or with the link from the e-mail: `via="link"`; `actor` None
    when the link went to the department's shared address `link_to`). The citizen gets the confirmation with an
    .ics; a fee is recorded as an invoice in rathaus.payments. Raises ReservationError when the request has been
    answered already or has lapsed, PermissionDenied for staff of other departments."""
    now = now or timezone.now()
    locked = _locked_for_decision(reservation, actor)
    _refuse_undecidable(locked, now)
    _decided(locked, status=Reservation.Status.CONFIRMED, actor=actor, now=now)
    if locked.fee > 0:
        locked.payment_id = _invoice_open(locked)
    locked.save(update_fields=[*DECISION_FIELDS, "payment_id"])
    _audit(
        locked,
        actor=actor,
        action="reservation.confirmed",
        changes={"status": ["requested", "confirmed"], "via": [None, via]},
        rule=f"decision link to {link_to}",
    )
    _event("reservation_confirmed", locked, method=via)
    transaction.on_commit(partial(mails.confirmed_mail_send, locked.pk))
    return locked


def _invoice_open(reservation: Reservation) -> uuid.UUID | None:
    """Record the fee as an invoice (pending until staff book it as paid). Nothing when invoices are not offered:
    the fee is then stated in the confirmation only."""
    from rathaus.payments.services import PaymentInvalid, payment_start

    from .links import reservation_path

    with translation.override(settings.LANGUAGE_CODE):
        description = _("Reservation %(code)s: %(resource)s on %(day)s") % {
            "code": reservation.code,
            "resource": reservation.resource.name,
            "day": day_text(reservation.start),
        }
    try:
        started = payment_start(
            municipality=reservation.municipality,
            purpose=f"reservation:{reservation.public_id}",
            amount=reservation.fee,
            description=description[:300],
            method="invoice",
            return_url=reservation_path(reservation, "manage"),
            service_key=reservation.resource.service_key,
        )
    except PaymentInvalid:
        logger.warning("no invoice for reservation %s: invoices are not offered here", reservation.public_id)
        return None
    return started.payment.public_id


@transaction.atomic
def reservation_decline(
    *,
    reservation: Reservation,
    actor: User | None,
    reason: str,
    via: str = "back_office",
    link_to: str = "",
    now: datetime | None = None,
) -> Reservation:
    """Staff decline a request with a reason the citizen reads in the e-mail; the time is free again at once."""
    now = now or timezone.now()
    reason = reason.strip()
    if not reason:
        raise ReservationError(
            _("Please write the reason for the citizen: it is sent to them."), code="reason", field="grund"
        )
    if len(reason) > REASON_MAX:
        raise ReservationError(
            _("Please shorten the reason to at most %(limit)s characters.") % {"limit": REASON_MAX},
            code="reason",
            field="grund",
        )
    locked = _locked_for_decision(reservation, actor)
    _refuse_undecidable(locked, now)
    _decided(locked, status=Reservation.Status.DECLINED, actor=actor, now=now, reason=reason)
    locked.save(update_fields=DECISION_FIELDS)
    _audit(
        locked,
        actor=actor,
        action="reservation.declined",
        changes={"status": ["requested", "declined"], "reason": [None, reason], "via": [None, via]},
        rule=f"decision link to {link_to}",
    )
    _event("reservation_declined", locked, method=via)
    transaction.on_commit(partial(mails.declined_mail_send, locked.pk))
    return locked


@transaction.atomic
def reservation_cancel(
    *, reservation: Reservation, actor: User | None = None, reason: str = "", now: datetime | None = None
) -> Reservation:
    """Cancel a requested or confirmed reservation that has not begun; the time is free again and every link sent
    so far stops working. `actor` None: the citizen by their link (the department is told); else a member of
    staff, who must give the citizen a reason (a ban on barbecues in a drought, a burst pipe)."""
    now = now or timezone.now()
    locked = _locked_for_decision(reservation, actor)
    if actor is not None:
        reason = reason.strip()
        if not reason or len(reason) > REASON_MAX:
            raise ReservationError(
                _("Please write the reason for the citizen (at most %(limit)s characters): it is sent to them.")
                % {"limit": REASON_MAX},
                code="reason",
                field="grund",
            )
    if locked.status not in (Reservation.Status.REQUESTED, Reservation.Status.CONFIRMED):
        raise ReservationError(
            _("This reservation cannot be cancelled any more: %(status)s.") % {"status": locked.get_status_display()},
            code="not_cancellable",
        )
    if locked.start <= now:
        raise ReservationError(
            _("This reservation has already begun and can no longer be cancelled online."), code="begun"
        )
    previous = locked.status
    locked.status = Reservation.Status.CANCELLED
    locked.cancelled_at = now
    locked.decision_reason = reason if actor is not None else locked.decision_reason
    locked.nonce = new_nonce()
    locked.decision_nonce = new_nonce()
    locked.expires_at = None
    locked.sequence += 1
    locked.save(
        update_fields=["status", "cancelled_at", "decision_reason", "nonce", "decision_nonce", "expires_at", "sequence"]
    )
    changes: dict[str, list] = {"status": [previous, "cancelled"]}
    if actor is not None:
        changes["reason"] = [None, reason]
    changes.update(_invoice_cancel(locked))
    _audit(locked, actor=actor, action="reservation.cancelled", changes=changes, rule="the citizen's cancel link")
    _event("reservation_cancelled", locked, reason="staff" if actor is not None else "citizen")
    transaction.on_commit(partial(mails.cancelled_mails_send, locked.pk, by_staff=actor is not None))
    return locked


def _invoice_cancel(reservation: Reservation) -> dict[str, list]:
    """Cancel the open invoice of a cancelled reservation, so that nobody is billed for it. A paid one stays as it
    is: staff arrange the refund (the back office and the department's e-mail say so, see selectors.refund_due).
    Returns what the audit entry records of it."""
    from rathaus.payments.services import payment_cancel

    payment = reservation_payment(reservation=reservation)
    if payment is None:
        return {}
    before = payment.status
    if payment_cancel(payment=payment):
        return {"payment": [before, payment.status]}
    if refund_due(reservation=reservation, payment=payment):
        logger.warning("reservation %s cancelled after its fee was paid: a refund is due", reservation.public_id)
        return {"refund": [None, "due"]}
    return {}


@transaction.atomic
def reservation_no_show(*, reservation: Reservation, actor: User, now: datetime | None = None) -> Reservation:
    """Staff record that a confirmed reservation was not used (after it began). Once only."""
    now = now or timezone.now()
    locked = _locked_for_decision(reservation, actor)
    if locked.status == Reservation.Status.NO_SHOW:
        return locked
    if locked.status != Reservation.Status.CONFIRMED:
        raise ReservationError(_("Only a confirmed reservation can be marked as not used."), code="not_confirmed")
    if locked.start > now:
        raise ReservationError(_("The reservation has not begun yet."), code="not_begun")
    locked.status = Reservation.Status.NO_SHOW
    locked.save(update_fields=["status"])
    _audit(locked, actor=actor, action="reservation.no_show", changes={"status": ["confirmed", "no_show"]})
    _event("reservation_no_show", locked)
    return locked


@transaction.atomic
def reservation_payment_book(*, reservation: Reservation, actor: User, reference: str = "") -> bool:
    """Staff record that the invoice of a reservation was paid (transfer received, or paid at the counter)."""
    from rathaus.payments.services import payment_settle_at_counter

    if not may_decide(user=actor, resource=reservation.resource):
        raise PermissionDenied(_("Only staff of the responsible department can book this payment."))
    payment = reservation_payment(reservation=reservation)
    if payment is None:
        raise ReservationError(_("There is no invoice to book for this reservation."), code="no_invoice")
    changed = payment_settle_at_counter(payment=payment, actor=actor, reference=reference)
    if changed:
        _audit(
            reservation,
            actor=actor,
            action="reservation.paid",
            changes={"payment": ["pending", "succeeded"], "amount": [None, euros(payment.amount)]},
        )
    return changed


# --- housekeeping ----------------------------------------------------------------------------------------------


def requests_expire(*, resource: Resource | None = None, now: datetime | None = None) -> int:
    """Requests nobody answered in time lapse: their time is free again and the citizen is told. Returns how many.

    Safe on several workers: each request is taken by a conditional update, so its mail goes out once."""
    now = now or timezone.now()
    lapsed = Reservation.objects.filter(status=Reservation.Status.REQUESTED, expires_at__lte=now)
    if resource is not None:
        lapsed = lapsed.filter(resource=resource)
    count = 0
    for reservation in lapsed.select_related("resource", "municipality"):
        with transaction.atomic():
            taken = Reservation.objects.filter(pk=reservation.pk, status=Reservation.Status.REQUESTED).update(
                status=Reservation.Status.EXPIRED, decision_nonce=new_nonce(), sequence=reservation.sequence + 1
            )
            if not taken:
                continue
            count += 1
            _audit(
                reservation,
                actor=None,
                action="reservation.expired",
                changes={"status": ["requested", "expired"]},
                rule=f"not answered within {decision_days()} days or before it began",
            )
            _event("reservation_expired", reservation)
            transaction.on_commit(partial(mails.expired_mail_send, reservation.pk))
    return count
