"""Writes of the citizens' office desk: bookings for callers, blocked times, arrivals, walk-ins and the call queue.

Like the citizens' bookings, everything that takes a counter's time runs under the location's row lock; the queue
(tickets) is serialised by the same lock, so two counters calling at once never call the same person. Changes of
appointments are in the audit trail; the queue is operational and only logged.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.audit.services import audit_append

from . import availability, mails
from .errors import AppointmentError
from .models import BlockedTime, Booking, Counter, Location, Ticket
from .selectors import concerns_resolve
from .services import (
    booking_insert,
    email_check,
    holds_expire,
    location_lock,
    name_check,
    slot_check,
    staff_change_audit,
)

logger = logging.getLogger(__name__)

# An appointment is due for calling this long before its start; earlier arrivals wait behind walk-ins.
CALL_AHEAD = timedelta(minutes=10)
REASON_MAX = 200


@transaction.atomic
def booking_book_for_caller(
    *,
    location: Location,
    service_keys: list[str],
    start: datetime,
    name: str,
    email: str = "",
    actor: User,
    now: datetime | None = None,
) -> Booking:
    """Staff book an appointment for someone who called or came by: confirmed at once, without the lead time; the
    confirmation with the Mitbringliste goes out when an e-mail address is given."""
    now = now or timezone.now()
    concerns = concerns_resolve(location=location, service_keys=service_keys)
    name = name_check(name)
    email = email_check(email) if email.strip() else ""
    location = location_lock(location)
    holds_expire(location=location, now=now)
    counters = slot_check(location=location, concerns=concerns, start=start, now=now, earliest=now)
    booking = booking_insert(
        Booking(
            municipality_id=location.municipality_id,
            location=location,
            service_keys=[concern.key for concern in concerns],
            start=start,
            end=start + timedelta(minutes=sum(concern.minutes for concern in concerns)),
            name=name,
            email=email,
            channel=Booking.Channel.STAFF,
            status=Booking.Status.CONFIRMED,
            confirmed_at=now,
        ),
        counters,
    )
    staff_change_audit(
        actor, "appointment.booked_by_staff", booking, {"start": [None, start], "counter": [None, booking.counter.name]}
    )
    event_emit(
        name="appointment_booked",
        municipality=location.municipality,
        service_key=concerns[0].key,
        count=len(concerns),
        method="staff",
    )
    if email:
        transaction.on_commit(partial(mails.confirmation_mail_send, booking.pk))
    return booking


@transaction.atomic
def blocked_time_add(
    *,
    location: Location,
    counter: Counter | None,
    start: datetime,
    end: datetime,
    reason: str,
    actor: User,
    now: datetime | None = None,
) -> BlockedTime:
    """Block a counter (or the whole location when `counter` is None) for [start, end). Refused while appointments
    lie in that time: they are named, so staff can move or cancel them first."""
    now = now or timezone.now()
    reason = " ".join(reason.split())
    if end <= start:
        raise AppointmentError(_("The end must be after the beginning."), code="blocked_order", field="bis")
    if end <= now:
        raise AppointmentError(_("This time has already passed."), code="blocked_past", field="bis")
    if len(reason) > REASON_MAX:
        raise AppointmentError(
            _("Please shorten the reason to at most %(limit)s characters.") % {"limit": REASON_MAX},
            code="reason",
            field="grund",
        )
    if counter is not None and counter.location_id != location.pk:
        raise AppointmentError(_("Please choose a counter of this office."), code="counter", field="schalter")
    location = location_lock(location)
    holds_expire(location=location, now=now)
    clashes = Booking.objects.filter(availability.occupying(location, start, end, now)).order_by("start")
    if counter is not None:
        clashes = clashes.filter(counter=counter)
    clashing = list(clashes.select_related("counter")[:6])
    if clashing:
        times = ", ".join(f"{timezone.localtime(b.start):%H:%M} ({b.counter.name})" for b in clashing[:5]) + (
            " …" if len(clashing) > 5 else ""
        )
        raise AppointmentError(
            _("Appointments lie in this time: %(times)s. Please move or cancel them first.") % {"times": times},
            code="blocked_clash",
            field="von",
        )
    blocked = BlockedTime.objects.create(
        location=location, counter=counter, start=start, end=end, reason=reason, created_by=actor
    )
    audit_append(
        actor=actor,
        action="appointment.time_blocked",
        object_type="location",
        object_id=str(location.pk),
        municipality=location.municipality,
        changes={"start": [None, start], "end": [None, end], "counter": [None, counter.name if counter else ""]},
    )
    return blocked


@transaction.atomic
def blocked_time_remove(*, blocked: BlockedTime, actor: User) -> None:
    """Offer the time again."""
    location = location_lock(blocked.location)
    audit_append(
        actor=actor,
        action="appointment.time_unblocked",
        object_type="location",
        object_id=str(location.pk),
        municipality=location.municipality,
        changes={"start": [blocked.start, None], "end": [blocked.end, None]},
    )
    blocked.delete()


def _next_number(location: Location, day, kind: str) -> int:
    latest = Ticket.objects.filter(location=location, day=day, kind=kind).aggregate(latest=Max("number"))["latest"]
    return (latest or 0) + 1


@transaction.atomic
def booking_check_in(*, booking: Booking, actor: User, now: datetime | None = None) -> Ticket:
    """The citizen with today's confirmed appointment has arrived: a waiting number ("T 7") for the display."""
    now = now or timezone.now()
    location = location_lock(booking.location)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    existing = Ticket.objects.filter(booking=locked).first()
    if existing is not None:
        return existing
    day = timezone.localtime(now).date()
    if locked.status != Booking.Status.CONFIRMED:
        raise AppointmentError(_("Only a confirmed appointment can be checked in."), code="not_confirmed")
    if timezone.localtime(locked.start).date() != day:
        raise AppointmentError(_("This appointment is not today."), code="not_today")
    ticket = Ticket.objects.create(
        location=location,
        day=day,
        kind=Ticket.Kind.APPOINTMENT,
        number=_next_number(location, day, Ticket.Kind.APPOINTMENT),
        booking=locked,
        service_keys=locked.service_keys,
        created_at=now,
    )
    logger.info("appointment %s checked in as %s by user %s", locked.public_id, ticket.label, actor.pk)
    return ticket


@transaction.atomic
def walk_in_add(*, location: Location, service_keys: list[str], actor: User, now: datetime | None = None) -> Ticket:
    """Someone came without an appointment: a waiting number ("W 3") for the concerns; no name is recorded."""
    now = now or timezone.now()
    concerns = concerns_resolve(location=location, service_keys=service_keys)
    location = location_lock(location)
    day = timezone.localtime(now).date()
    ticket = Ticket.objects.create(
        location=location,
        day=day,
        kind=Ticket.Kind.WALK_IN,
        number=_next_number(location, day, Ticket.Kind.WALK_IN),
        service_keys=[concern.key for concern in concerns],
        created_at=now,
    )
    event_emit(
        name="appointment_booked",
        municipality=location.municipality,
        service_key=concerns[0].key,
        count=len(concerns),
        method="walk_in",
    )
    logger.info("walk-in %s at %s added by user %s", ticket.label, location.slug, actor.pk)
    return ticket


def _finish_called(counter: Counter, now: datetime) -> None:
    Ticket.objects.filter(counter=counter, status=Ticket.Status.CALLED).update(status=Ticket.Status.DONE, done_at=now)


@transaction.atomic
def ticket_call_next(
    *, location: Location, counter: Counter, actor: User, now: datetime | None = None
) -> Ticket | None:
    """Call the next person to `counter`: due appointments by their time, then walk-ins by arrival, then people who
    came early for a later appointment; only people whose concerns the counter handles. The person called before
    at this counter counts as served. None when nobody waits."""
    now = now or timezone.now()
    location = location_lock(location)
    if counter.location_id != location.pk or not counter.active:
        raise AppointmentError(_("Please choose a counter of this office."), code="counter", field="schalter")
    _finish_called(counter, now)
    waiting = list(
        Ticket.objects.filter(location=location, day=timezone.localtime(now).date(), status=Ticket.Status.WAITING)
        .select_related("booking")
        .order_by("created_at")
    )
    candidates = [ticket for ticket in waiting if counter.offers(ticket.service_keys)]

    def rank(ticket: Ticket) -> tuple[int, datetime]:
        if ticket.booking is not None and ticket.booking.start <= now + CALL_AHEAD:
            return (0, ticket.booking.start)
        if ticket.booking is None:
            return (1, ticket.created_at)
        return (2, ticket.booking.start)

    if not candidates:
        return None
    ticket = min(candidates, key=rank)
    ticket.status = Ticket.Status.CALLED
    ticket.counter = counter
    ticket.called_at = now
    ticket.save(update_fields=["status", "counter", "called_at"])
    logger.info("%s called to %s at %s by user %s", ticket.label, counter.name, location.slug, actor.pk)
    return ticket


@transaction.atomic
def ticket_finish(*, ticket: Ticket, came: bool, actor: User, now: datetime | None = None) -> Ticket:
    """Close a called number: served (`came`), or the person did not come to the counter when called."""
    now = now or timezone.now()
    locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if locked.status != Ticket.Status.CALLED:
        raise AppointmentError(_("This number is not being called right now."), code="not_called")
    locked.status = Ticket.Status.DONE if came else Ticket.Status.LEFT
    locked.done_at = now
    locked.save(update_fields=["status", "done_at"])
    return locked
