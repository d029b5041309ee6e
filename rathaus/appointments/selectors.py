"""Reads of appointments, always within one municipality: locations, bookable concerns, free days and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import StaffRole, User
from rathaus.catalog.selectors import service_get, service_list
from rathaus.tenants.models import Municipality

from . import availability
from .errors import AppointmentError
from .models import BlockedTime, Booking, Counter, Location, LocationService, Ticket

APPOINTMENT_ACCESS = ("appointment", "online_with_appointment")
# What an office may offer as a concern: services that need a visit, and fully online ones for those who prefer to
# come in person ("so analog wie nötig"); reservations of places and defect reports have their own ways.
BOOKABLE_ACCESS = (*APPOINTMENT_ACCESS, "online")
MAX_CONCERNS = 5


@dataclass(frozen=True)
class Concern:
    """A service booked in an appointment, with its duration at the location and the Mitbringliste."""

    key: str
    name: str
    minutes: int
    documents_bring: list[str]


def location_list(*, municipality: Municipality) -> list[Location]:
    return list(Location.objects.filter(municipality=municipality, active=True).order_by("name"))


def location_get(*, municipality: Municipality, slug: str) -> Location | None:
    return Location.objects.filter(municipality=municipality, slug=slug, active=True).first()


def offered_at_an_office(*, municipality: Municipality, service_key: str) -> bool:
    """Whether an open office of the municipality books appointments for this service."""
    return LocationService.objects.filter(
        location__municipality=municipality, location__active=True, service_key=service_key
    ).exists()


def concerns_bookable(*, location: Location) -> list[Concern]:
    """The catalogue services the municipality offers with an appointment and that have a duration here."""
    minutes = dict(LocationService.objects.filter(location=location).values_list("service_key", "minutes"))
    return [
        Concern(key=s.key, name=s.name, minutes=minutes[s.key], documents_bring=s.documents_bring)
        for s in service_list(municipality=location.municipality)
        if s.key in minutes and s.access in BOOKABLE_ACCESS
    ]


def concerns_resolve(*, location: Location, service_keys: list[str]) -> list[Concern]:
    """The chosen concerns in the order given (duplicates dropped); AppointmentError when one cannot be booked."""
    keys = list(dict.fromkeys(key for key in service_keys if key))
    if not keys:
        raise AppointmentError(_("Please choose at least one concern."), code="no_concern", field="anliegen")
    if len(keys) > MAX_CONCERNS:
        raise AppointmentError(
            _("Please choose at most %(limit)s concerns for one appointment.") % {"limit": MAX_CONCERNS},
            code="too_many_concerns",
            field="anliegen",
        )
    minutes = dict(
        LocationService.objects.filter(location=location, service_key__in=keys).values_list("service_key", "minutes")
    )
    concerns = []
    for key in keys:
        service = service_get(municipality=location.municipality, key=key)
        if service is None or key not in minutes or service.access not in BOOKABLE_ACCESS:
            raise AppointmentError(
                _("“%(concern)s” cannot be booked at %(location)s.")
                % {"concern": service.name if service else key, "location": location.name},
                code="unknown_concern",
                field="anliegen",
            )
        concerns.append(
            Concern(key=key, name=service.name, minutes=minutes[key], documents_bring=service.documents_bring)
        )
    return concerns


def concerns_of(booking: Booking) -> list[Concern]:
    """The concerns of a booking as the catalogue describes them now (in the active language)."""
    concerns = []
    for key in booking.service_keys:
        service = service_get(municipality=booking.municipality, key=key)
        concerns.append(
            Concern(
                key=key,
                name=service.name if service else key,
                minutes=0,
                documents_bring=service.documents_bring if service else [],
            )
        )
    return concerns


def documents_to_bring(concerns: list[Concern]) -> list[str]:
    """The Mitbringliste of several concerns: every document once, in the order of the concerns."""
    return list(dict.fromkeys(text for concern in concerns for text in concern.documents_bring))


def free_days(
    *,
    location: Location,
    concerns: list[Concern],
    first: date | None = None,
    days: int = 31,
    now: datetime | None = None,
    earliest: datetime | None = None,
) -> dict[date, list[datetime]]:
    """Days from `first` (today) on, for `days` days, that have free times for all `concerns`, with the times.

    `earliest` is the first moment offered: the location's lead time from now for citizens (the default); staff who
    book for a caller pass now."""
    now = now or timezone.now()
    first = first or timezone.localtime(now).date()
    counters = availability.capable_counters(location, [c.key for c in concerns])
    minutes = sum(c.minutes for c in concerns)
    return availability.free_starts(
        location, counters, minutes, first, first + timedelta(days=days - 1), now, earliest=earliest
    )


def booking_get_for_citizen(*, municipality: Municipality, public_id: UUID | str) -> Booking | None:
    """A booking by id within the municipality (for pages that got the id from the citizen's own session)."""
    return Booking.objects.filter(municipality=municipality, public_id=public_id).select_related("location").first()


# --- the desk (staff) ------------------------------------------------------------------------------------------


def locations_for_staff(*, user: User, municipality: Municipality) -> list[Location]:
    """The offices whose day view the staff member may see: all for a municipality admin, else those of their
    departments."""
    roles = StaffRole.objects.filter(user=user, municipality=municipality)
    locations = Location.objects.filter(municipality=municipality).order_by("name")
    if roles.filter(role=StaffRole.Role.MUNICIPALITY_ADMIN).exists():
        return list(locations)
    return list(locations.filter(department__in=roles.exclude(department__isnull=True).values("department")))


def location_get_for_staff(*, user: User, municipality: Municipality, slug: str) -> Location | None:
    return next((loc for loc in locations_for_staff(user=user, municipality=municipality) if loc.slug == slug), None)


def booking_get_for_staff(*, location: Location, public_id: UUID | str) -> Booking | None:
    """A booking of an office the caller already may see (location_get_for_staff)."""
    try:
        return Booking.objects.filter(location=location, public_id=public_id).select_related("counter").first()
    except ValidationError:
        return None


def ticket_get_for_staff(*, location: Location, pk: int) -> Ticket | None:
    return Ticket.objects.filter(location=location, pk=pk).first()


def blocked_time_get_for_staff(*, location: Location, pk: int) -> BlockedTime | None:
    return BlockedTime.objects.filter(location=location, pk=pk).select_related("location").first()


@dataclass(frozen=True)
class DayRow:
    booking: Booking
    concerns: str
    ticket: Ticket | None
    begun: bool


@dataclass(frozen=True)
class CounterDay:
    counter: Counter
    rows: list[DayRow]
    blocked: list[BlockedTime]
    called: Ticket | None


@dataclass(frozen=True)
class DayPlan:
    day: date
    schedule: availability.DaySchedule
    counters: list[CounterDay]
    blocked_everywhere: list[BlockedTime]
    waiting: list[Ticket]
    is_today: bool


def day_plan(*, location: Location, day: date, now: datetime | None = None) -> DayPlan:
    """Everything of one office on one day for the desk, in a fixed number of queries: per counter the appointments
    (with arrival) and blocked times, the number being called, and who is waiting."""
    now = now or timezone.now()
    start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    names = {service.key: service.name for service in service_list(municipality=location.municipality)}
    bookings = (
        Booking.objects.filter(location=location, start__gte=start, start__lt=start + timedelta(days=1))
        .filter(availability.occupying_now(now))
        .select_related("ticket")
        .order_by("start")
    )
    by_counter: dict[int, list[DayRow]] = {}
    for booking in bookings:
        ticket = getattr(booking, "ticket", None)
        row = DayRow(
            booking=booking,
            concerns=", ".join(names.get(key, key) for key in booking.service_keys),
            ticket=ticket,
            begun=booking.start <= now,
        )
        by_counter.setdefault(booking.counter_id, []).append(row)
    blocked = list(
        BlockedTime.objects.filter(location=location, start__lt=start + timedelta(days=1), end__gt=start).order_by(
            "start"
        )
    )
    tickets = list(
        Ticket.objects.filter(location=location, day=day, status__in=[Ticket.Status.WAITING, Ticket.Status.CALLED])
        .select_related("booking")
        .order_by("created_at")
    )
    called = {ticket.counter_id: ticket for ticket in tickets if ticket.status == Ticket.Status.CALLED}
    counters = [
        CounterDay(
            counter=counter,
            rows=by_counter.get(counter.pk, []),
            blocked=[b for b in blocked if b.counter_id == counter.pk],
            called=called.get(counter.pk),
        )
        for counter in Counter.objects.filter(location=location).order_by("name")
    ]
    return DayPlan(
        day=day,
        schedule=availability.schedules(location, day, day)[day],
        counters=counters,
        blocked_everywhere=[b for b in blocked if b.counter_id is None],
        waiting=[ticket for ticket in tickets if ticket.status == Ticket.Status.WAITING],
        is_today=day == timezone.localtime(now).date(),
    )


# How many of the latest calls the waiting-room display shows.
DISPLAY_CALLS = 6


def display_calls(*, location: Location, now: datetime | None = None) -> tuple[list[Ticket], int]:
    """For the waiting-room display: the latest calls of today (newest first) and how many people wait. Numbers and
    counters only, never a name."""
    now = now or timezone.now()
    today = Ticket.objects.filter(location=location, day=timezone.localtime(now).date())
    calls = list(today.filter(called_at__isnull=False).select_related("counter").order_by("-called_at")[:DISPLAY_CALLS])
    return calls, today.filter(status=Ticket.Status.WAITING).count()
