"""Writes of appointments: hold, confirm, cancel, move, no-show, expiry and reminders.

Correct under load: every write that takes a counter runs in one transaction that first locks the location row
(`select_for_update`), so bookings of one location are serialised; on PostgreSQL the exclusion constraint
`appointments_booking_no_overlap` additionally makes an overlap on one counter impossible even for code that
forgets the lock. On SQLite the lock is a no-op, but its writes are serialised by the database itself
(transactions start IMMEDIATE, see settings). E-mails go out after the commit.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from datetime import date, datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.audit.services import audit_append

from . import availability, fairness, mails
from .errors import AppointmentError, SlotUnavailable
from .models import Booking, Counter, Location, new_nonce
from .selectors import Concern, concerns_resolve

logger = logging.getLogger(__name__)

EXCLUSION = "appointments_booking_no_overlap"
NAME_MAX = 200


def hold_minutes() -> int:
    """Minutes an unconfirmed booking keeps its time (setting RATHAUS_APPOINTMENT_HOLD_MINUTES, default 30)."""
    return int(getattr(settings, "RATHAUS_APPOINTMENT_HOLD_MINUTES", 30))


# --- checks ----------------------------------------------------------------------------------------------------


def _time(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"  # 24-hour clock in both languages ("noon" helps nobody here)


def slot_check(
    *,
    location: Location,
    concerns: list[Concern],
    start: datetime,
    now: datetime,
    ignore: Booking | None = None,
    earliest: datetime | None = None,
) -> list[Counter]:
    """The counters free for `concerns` from `start`, best first; SlotUnavailable says why there is none.

    `earliest` is the first bookable moment: for citizens the location's lead time from now (the default), for staff
    who book for a caller `now` itself.
    """
    if timezone.is_naive(start):
        raise ValueError("start must be timezone-aware")
    minutes = sum(concern.minutes for concern in concerns)
    end = start + timedelta(minutes=minutes)
    if start <= now:
        raise SlotUnavailable(_("This time has already passed. Please choose a later time."), code="past")
    if start < (earliest or availability.earliest_start(location, now)):
        raise SlotUnavailable(
            _("Appointments can be booked at least %(minutes)s minutes in advance. Please choose a later time.")
            % {"minutes": location.lead_minutes},
            code="too_soon",
        )
    day = timezone.localtime(start).date()
    if day > availability.last_day(location, now):
        raise SlotUnavailable(
            _("Appointments can be booked up to %(days)s days in advance.") % {"days": location.horizon_days},
            code="too_far",
        )
    schedule = availability.schedules(location, day, day)[day]
    if not schedule.intervals:
        raise SlotUnavailable(_("%(location)s is closed on this day.") % {"location": location.name}, code="closed")
    interval = next((i for i in schedule.intervals if i[0] <= start < i[1]), None)
    if interval is None:
        raise SlotUnavailable(
            _("This time is outside the opening hours. Please choose one of the times offered."), code="outside_hours"
        )
    if start + timedelta(minutes=minutes) > interval[1]:
        raise SlotUnavailable(
            _(
                "Your concerns take %(minutes)s minutes, which does not fit before the office closes at %(closes)s. "
                "Please choose an earlier time."
            )
            % {"minutes": minutes, "closes": _time(interval[1])},
            code="does_not_fit",
        )
    if (start - interval[0]) % timedelta(minutes=location.slot_minutes):
        raise SlotUnavailable(_("Please choose one of the times offered."), code="off_grid")
    counters = availability.capable_counters(location, [concern.key for concern in concerns])
    if not counters:
        raise SlotUnavailable(
            _("No counter handles all these concerns in one appointment. Please book them separately."),
            code="no_counter",
        )
    busy = availability.busy_times(location, start, end, now, ignore=ignore)
    free = availability.free_counters(counters, busy, start, end)
    if not free:
        raise SlotUnavailable(_("This time has just been taken. Please choose another time."), code="taken")
    return free


def name_check(name: str) -> str:
    """The name with whitespace tidied; AppointmentError (field "name") when it is empty or too long."""
    name = " ".join(name.split())
    if not name:
        raise AppointmentError(_("Please enter your name."), code="name", field="name")
    if len(name) > NAME_MAX:
        raise AppointmentError(
            _("Please shorten your name to at most %(limit)s characters.") % {"limit": NAME_MAX},
            code="name",
            field="name",
        )
    return name


def email_check(email: str) -> str:
    """The address without surrounding blanks; AppointmentError (field "email") when it is not an address."""
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise AppointmentError(
            _("Please enter an e-mail address like name@example.org."), code="email", field="email"
        ) from error
    return email


def location_lock(location: Location) -> Location:
    """Serialise all bookings of a location (a row lock on PostgreSQL; SQLite serialises writes anyway)."""
    return Location.objects.select_for_update().get(pk=location.pk)


def _lock_email(location: Location, email: str) -> None:
    """Serialise the bookings of one e-mail address in a municipality (across its locations) until the commit."""
    if connection.vendor != "postgresql":
        return  # SQLite lets one writer in at a time
    digest = hashlib.sha256(f"{location.municipality_id}:{email.lower()}".encode()).digest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [int.from_bytes(digest[:8], "big", signed=True)])


def open_bookings_check(*, location: Location, email: str, now: datetime) -> None:
    """At most `fairness.max_open_per_email()` upcoming appointments per e-mail address in a municipality."""
    limit = fairness.max_open_per_email()
    upcoming = Booking.objects.filter(
        municipality_id=location.municipality_id, email__iexact=email, end__gt=now
    ).filter(availability.occupying_now(now))
    if upcoming.count() >= limit:
        raise AppointmentError(
            _(
                "You already have %(count)s appointments with us, which is as many as one person can book. Please "
                "cancel one you no longer need (the link is in its confirmation e-mail), or call us."
            )
            % {"count": limit},
            code="too_many_open",
            field="email",
        )


def booking_insert(booking: Booking, counters: list[Counter]) -> Booking:
    """Save `booking` on the first of `counters` the database accepts (the exclusion constraint has the last word)."""
    for counter in counters:
        booking.counter = counter
        try:
            with transaction.atomic():
                booking.save()
        except IntegrityError as error:
            if EXCLUSION not in str(error):
                raise
            booking.pk = None
            continue
        return booking
    raise SlotUnavailable(_("This time has just been taken. Please choose another time."), code="taken")


def staff_change_audit(actor: User, action: str, booking: Booking, changes: dict) -> None:
    """Staff changes of appointments go into the audit trail (citizens' own changes are their business)."""
    audit_append(
        actor=actor,
        action=action,
        object_type="appointment",
        object_id=str(booking.public_id),
        municipality=booking.municipality,
        changes=changes,
    )


# --- writes ----------------------------------------------------------------------------------------------------


@transaction.atomic
def booking_hold(
    *,
    location: Location,
    service_keys: list[str],
    start: datetime,
    name: str,
    email: str,
    language: str = "de",
    actor: User | None = None,
    now: datetime | None = None,
) -> Booking:
    """Hold a time for the concerns and e-mail a confirmation link; the hold lapses after `hold_minutes()`.

    Raises AppointmentError (translated) for bad concerns, name or e-mail, SlotUnavailable when the time cannot be
    booked: past, too soon, too far ahead, closed, outside the hours, too long for the interval, off the grid, or
    taken - also when this e-mail address already has an appointment overlapping it.
    """
    now = now or timezone.now()
    concerns = concerns_resolve(location=location, service_keys=service_keys)
    name, email = name_check(name), email_check(email)
    _lock_email(location, email)
    open_bookings_check(location=location, email=email, now=now)
    location = location_lock(location)
    holds_expire(location=location, now=now)
    counters = slot_check(location=location, concerns=concerns, start=start, now=now)
    end = start + timedelta(minutes=sum(concern.minutes for concern in concerns))
    if Booking.objects.filter(availability.occupying(location, start, end, now), email__iexact=email).exists():
        raise SlotUnavailable(
            _("You already have an appointment at this time. Please check your e-mails."), code="duplicate"
        )
    booking = booking_insert(
        Booking(
            municipality_id=location.municipality_id,
            location=location,
            service_keys=[concern.key for concern in concerns],
            start=start,
            end=end,
            name=name,
            email=email,
            language=language[:8],
            citizen=actor if actor is not None and actor.is_authenticated else None,
            hold_expires_at=now + timedelta(minutes=hold_minutes()),
        ),
        counters,
    )
    event_emit(
        name="appointment_booked",
        municipality=location.municipality,
        service_key=concerns[0].key,
        count=len(concerns),
        method="online",
    )
    transaction.on_commit(partial(mails.hold_mail_send, booking.pk))
    logger.info("appointment %s held at %s", booking.public_id, location.slug)
    return booking


@transaction.atomic
def booking_confirm(*, booking: Booking, now: datetime | None = None) -> Booking:
    """Confirm a held booking (the citizen opened the link in time) and send the confirmation with the .ics.

    Confirming again changes nothing. Raises AppointmentError when the hold has lapsed or was cancelled.
    """
    now = now or timezone.now()
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status == Booking.Status.CONFIRMED:
        return locked
    if locked.status != Booking.Status.HELD or (locked.hold_expires_at and locked.hold_expires_at <= now):
        raise AppointmentError(
            _("This reservation was not confirmed in time and has lapsed. Please book a new appointment."),
            code="expired",
        )
    locked.status = Booking.Status.CONFIRMED
    locked.confirmed_at = now
    locked.hold_expires_at = None
    locked.save(update_fields=["status", "confirmed_at", "hold_expires_at"])
    event_emit(
        name="appointment_confirmed",
        municipality=locked.municipality,
        service_key=locked.service_keys[0],
        count=len(locked.service_keys),
    )
    transaction.on_commit(partial(mails.confirmation_mail_send, locked.pk))
    return locked


@transaction.atomic
def booking_cancel(*, booking: Booking, actor: User | None = None, now: datetime | None = None) -> Booking:
    """Cancel a held or confirmed appointment that has not begun; every link sent so far stops working.

    `actor` is None when the citizen cancels by link, else the member of staff. Raises AppointmentError when the
    appointment is already cancelled or over.
    """
    now = now or timezone.now()
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status not in (Booking.Status.HELD, Booking.Status.CONFIRMED):
        raise AppointmentError(_("This appointment has already been cancelled."), code="cancelled")
    if locked.start <= now:
        raise AppointmentError(
            _("This appointment has already begun and can no longer be cancelled online."), code="begun"
        )
    was_confirmed = locked.status == Booking.Status.CONFIRMED
    locked.status = Booking.Status.CANCELLED
    locked.cancelled_at = now
    locked.released_at = release_time(now)
    locked.nonce = new_nonce()
    locked.sequence += 1
    locked.save(update_fields=["status", "cancelled_at", "released_at", "nonce", "sequence"])
    if actor is not None:
        staff_change_audit(
            actor,
            "appointment.cancelled_by_staff",
            locked,
            {"status": ["confirmed" if was_confirmed else "held", "cancelled"]},
        )
    event_emit(
        name="appointment_cancelled",
        municipality=locked.municipality,
        service_key=locked.service_keys[0],
        count=len(locked.service_keys),
        reason="staff" if actor is not None else "citizen",
    )
    if was_confirmed:
        transaction.on_commit(partial(mails.cancellation_mail_send, locked.pk))
    return locked


def release_time(now: datetime) -> datetime:
    """When a time cancelled `now` is offered again: after the release delay plus a random share of it."""
    minutes = fairness.release_minutes()
    return now + timedelta(seconds=minutes * 60 + secrets.randbelow(minutes * 60 + 1))


@transaction.atomic
def booking_rebook(*, booking: Booking, start: datetime, now: datetime | None = None) -> Booking:
    """Move a confirmed appointment to another free time for the same concerns; links sent before stop working
    and a new confirmation with an updated .ics (same UID, higher SEQUENCE) goes out. Raises SlotUnavailable or
    AppointmentError (translated)."""
    now = now or timezone.now()
    location = location_lock(booking.location)
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status != Booking.Status.CONFIRMED:
        raise AppointmentError(_("Only a confirmed appointment can be moved."), code="not_confirmed")
    if locked.start <= now:
        raise AppointmentError(_("This appointment has already begun and can no longer be moved."), code="begun")
    holds_expire(location=location, now=now)
    concerns = concerns_resolve(location=location, service_keys=locked.service_keys)
    counters = slot_check(location=location, concerns=concerns, start=start, now=now, ignore=locked)
    locked.start = start
    locked.end = start + timedelta(minutes=sum(concern.minutes for concern in concerns))
    locked.nonce = new_nonce()
    locked.sequence += 1
    locked.reminded_at = None
    # Keep the counter when it is free (an update of the row itself never conflicts with the row).
    current = [counter for counter in counters if counter.pk == locked.counter_id]
    _update_on(locked, current + [c for c in counters if c.pk != locked.counter_id])
    event_emit(
        name="appointment_booked",
        municipality=location.municipality,
        service_key=concerns[0].key,
        count=len(concerns),
        method="rebook",
    )
    transaction.on_commit(partial(mails.confirmation_mail_send, locked.pk))
    return locked


def _update_on(booking: Booking, counters: list[Counter]) -> None:
    fields = ["start", "end", "counter", "nonce", "sequence", "reminded_at"]
    for counter in counters:
        booking.counter = counter
        try:
            with transaction.atomic():
                booking.save(update_fields=fields)
        except IntegrityError as error:
            if EXCLUSION not in str(error):
                raise
            continue
        return
    raise SlotUnavailable(_("This time has just been taken. Please choose another time."), code="taken")


@transaction.atomic
def booking_no_show(*, booking: Booking, actor: User, now: datetime | None = None) -> Booking:
    """Staff record that the citizen did not come (after the start of a confirmed appointment). Once only."""
    now = now or timezone.now()
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    if locked.status == Booking.Status.NO_SHOW:
        return locked
    if locked.status != Booking.Status.CONFIRMED:
        raise AppointmentError(_("Only a confirmed appointment can be marked as missed."), code="not_confirmed")
    if locked.start > now:
        raise AppointmentError(_("The appointment has not begun yet."), code="not_begun")
    if hasattr(locked, "ticket"):
        raise AppointmentError(_("This citizen has checked in and did come."), code="checked_in")
    locked.status = Booking.Status.NO_SHOW
    locked.save(update_fields=["status"])
    staff_change_audit(actor, "appointment.no_show", locked, {"status": ["confirmed", "no_show"]})
    event_emit(
        name="appointment_no_show",
        municipality=locked.municipality,
        service_key=locked.service_keys[0],
        count=len(locked.service_keys),
    )
    return locked


def holds_expire(*, location: Location | None = None, now: datetime | None = None) -> int:
    """Mark unconfirmed bookings whose hold has lapsed as expired (they stopped blocking at their expiry anyway;
    this frees them for the database constraint). Returns how many."""
    now = now or timezone.now()
    lapsed = Booking.objects.filter(status=Booking.Status.HELD, hold_expires_at__lte=now)
    if location is not None:
        lapsed = lapsed.filter(location=location)
    return lapsed.update(status=Booking.Status.EXPIRED, nonce=new_nonce())


def reminders_send(*, today: date | None = None) -> int:
    """E-mail a reminder (with the Mitbringliste) for every confirmed appointment of tomorrow, once per booking.

    Safe to run on several workers and again on the same day: each booking is claimed before its mail is sent and
    released again when the mail server fails. Returns how many reminders were sent.
    """
    today = today or timezone.localdate()
    tz = timezone.get_default_timezone()
    start = datetime.combine(today + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, start__gte=start, start__lt=start + timedelta(days=1), reminded_at__isnull=True
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        if not Booking.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=timezone.now()):
            continue  # another worker has it
        if mails.reminder_mail_send(pk):
            sent += 1
        else:
            Booking.objects.filter(pk=pk).update(reminded_at=None)
    return sent
