"""Reads of appointments, always within one municipality: locations, bookable concerns, free days and times."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.catalog.selectors import service_get, service_list
from rathaus.tenants.models import Municipality

from . import availability
from .errors import AppointmentError
from .models import Booking, Location, LocationService

APPOINTMENT_ACCESS = ("appointment", "online_with_appointment")
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


def concerns_bookable(*, location: Location) -> list[Concern]:
    """The catalogue services the municipality offers with an appointment and that have a duration here."""
    minutes = dict(LocationService.objects.filter(location=location).values_list("service_key", "minutes"))
    return [
        Concern(key=s.key, name=s.name, minutes=minutes[s.key], documents_bring=s.documents_bring)
        for s in service_list(municipality=location.municipality)
        if s.key in minutes and s.access in APPOINTMENT_ACCESS
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
        if service is None or key not in minutes or service.access not in APPOINTMENT_ACCESS:
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
) -> dict[date, list[datetime]]:
    """Days from `first` (today) on, for `days` days, that have free times for all `concerns`, with the times."""
    now = now or timezone.now()
    first = first or timezone.localtime(now).date()
    counters = availability.capable_counters(location, [c.key for c in concerns])
    minutes = sum(c.minutes for c in concerns)
    return availability.free_starts(location, counters, minutes, first, first + timedelta(days=days - 1), now)


def booking_get_for_citizen(*, municipality: Municipality, public_id: UUID | str) -> Booking | None:
    """A booking by id within the municipality (for pages that got the id from the citizen's own session)."""
    return Booking.objects.filter(municipality=municipality, public_id=public_id).select_related("location").first()


def bookings_of_day(*, location: Location, day: date) -> list[Booking]:
    """Confirmed and held bookings of a location on one day, by start: the extension point for the staff day view."""
    start = datetime.combine(day, datetime.min.time(), tzinfo=timezone.get_default_timezone())
    return list(
        Booking.objects.filter(
            location=location,
            start__gte=start,
            start__lt=start + timedelta(days=1),
            status__in=[Booking.Status.HELD, Booking.Status.CONFIRMED, Booking.Status.NO_SHOW],
        )
        .select_related("counter")
        .order_by("start", "counter__name")
    )
