"""Demo data: one citizens' office per municipality (called by rathaus/core/demo.py)."""

from __future__ import annotations

from datetime import time

from django.db import transaction

from rathaus.catalog.selectors import service_list
from rathaus.tenants.models import Municipality

from .models import Counter, Location, LocationService, OpeningHours
from .selectors import APPOINTMENT_ACCESS

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
        if service.access in APPOINTMENT_ACCESS:
            LocationService.objects.get_or_create(
                location=location,
                service_key=service.key,
                defaults={"minutes": int(service.data.get("appointment_minutes") or 15)},
            )
    return location
