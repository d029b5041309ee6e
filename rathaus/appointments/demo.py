"""Demo data: one citizens' office per municipality (called by rathaus/core/demo.py)."""

from __future__ import annotations

from datetime import time, timedelta

from django.db import transaction
from django.utils import timezone

from rathaus.catalog.selectors import service_list
from rathaus.tenants.models import Municipality

from .models import Booking, Counter, Location, LocationService, OpeningHours
from .selectors import APPOINTMENT_ACCESS, BOOKABLE_ACCESS, concerns_resolve, free_days
from .services import slot_check

DEMO_SLUG = "buergerbuero-im-rathaus"
MORNING = (time(8), time(12))
# Monday to Friday mornings; Tuesday and Thursday afternoons too, Thursday long (until 18:00) for working people.
DEMO_HOURS = {
    0: [MORNING],
    1: [MORNING, (time(13), time(16))],
    2: [MORNING],
    3: [MORNING, (time(13), time(18))],
    4: [MORNING],
}


@transaction.atomic
def appointments_demo_load(*, municipality: Municipality) -> Location:
    """Idempotent: the "Bürgerbüro im Rathaus" of the department "buergerbuero" (its staff see the day view) with
    two counters, opening hours, and a duration for every service
    of the municipality that needs an appointment (its `appointment_minutes`). Load the catalogue first.
    Running it again adds what is missing and keeps what was changed."""
    department = municipality.departments.filter(code="buergerbuero").first()
    location, created = Location.objects.get_or_create(
        municipality=municipality,
        slug=DEMO_SLUG,
        defaults={
            "department": department,
            "name": "Bürgerbüro im Rathaus",
            "street": municipality.street,
            "postal_code": municipality.postal_code,
            "city": municipality.city,
            "directions": "Erdgeschoss, gleich links neben dem Haupteingang. Barrierefreier Zugang über die Rampe.",
        },
    )
    if location.department is None and department is not None:
        location.department = department
        location.save(update_fields=["department"])
    for name in ("Schalter 1", "Schalter 2"):
        Counter.objects.get_or_create(location=location, name=name)
    if created or not location.opening_hours.exists():
        OpeningHours.objects.bulk_create(
            OpeningHours(location=location, weekday=weekday, opens=opens, closes=closes)
            for weekday, intervals in DEMO_HOURS.items()
            for opens, closes in intervals
        )
    for service in service_list(municipality=municipality):
        # what needs a visit, and what may be done online or at the counter (its definition names a duration)
        if service.access in APPOINTMENT_ACCESS or (
            service.access in BOOKABLE_ACCESS and service.data.get("appointment_minutes")
        ):
            LocationService.objects.get_or_create(
                location=location,
                service_key=service.key,
                defaults={"minutes": int(service.data.get("appointment_minutes") or 15)},
            )
    return location


# Confirmed appointments on the next opening day, so the desk's day view has something to show.
DEMO_BOOKINGS = [
    ("Erika Mustermann", "erika.mustermann@example.org", ["personalausweis"]),
    ("Max Mustermann", "max.mustermann@example.org", ["reisepass", "personalausweis"]),
    ("Gisela Beispiel", "", ["fuehrungszeugnis"]),
]


def appointments_demo_bookings_load(*, location: Location) -> None:
    """Three confirmed appointments on the next opening day, made once while the office has no upcoming ones (for
    `rathaus load_demo`). Seed data, written directly (no e-mails), at times the availability rules offer."""
    now = timezone.now()
    if Booking.objects.filter(location=location, start__gt=now).exists():
        return
    for index, (name, email, keys) in enumerate(DEMO_BOOKINGS):
        keys = [key for key in keys if location.services.filter(service_key=key).exists()]
        if not keys:
            continue
        concerns = concerns_resolve(location=location, service_keys=keys)
        free = free_days(location=location, concerns=concerns, first=timezone.localdate() + timedelta(days=1), days=14)
        if not free:
            continue
        starts = next(iter(free.values()))
        start = starts[index * 3 % len(starts)]
        Booking.objects.create(
            municipality_id=location.municipality_id,
            location=location,
            counter=slot_check(location=location, concerns=concerns, start=start, now=now)[0],
            service_keys=keys,
            start=start,
            end=start + timedelta(minutes=sum(concern.minutes for concern in concerns)),
            name=name,
            email=email,
            channel=Booking.Channel.ONLINE if email else Booking.Channel.STAFF,
            status=Booking.Status.CONFIRMED,
            confirmed_at=now,
        )
