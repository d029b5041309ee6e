"""Demo data of the waste calendar (called by rathaus/core/demo.py): districts, streets, waste types, rules and a
year of generated collection days for each demo municipality."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from rathaus.core.addresses import Parity
from rathaus.tenants.models import Municipality

from .models import Collection, CollectionRule, District, DistrictStreet, WasteType
from .services import waste_dates_generate

# (code, name, colour, on request, service to request it, hint)
WASTE_TYPES = [
    ("rest", "Restmüll", "#3C3C3C", False, "", "Graue Tonne"),
    ("bio", "Biomüll", "#7A4A1E", False, "", "Braune Tonne: Küchen- und Gartenabfälle"),
    ("papier", "Papier", "#1F5F8B", False, "", "Blaue Tonne: Papier, Pappe, Kartons"),
    ("gelb", "Gelbe Tonne", "#F2C500", False, "", "Verpackungen aus Kunststoff und Metall"),
    ("sperr", "Sperrmüll", "#8C2F39", True, "sperrmuellanmeldung", "Abholung nach Anmeldung"),
]

# (code, name, [(street, from, to, parity)], first weekday (0 = Monday) of the collections)
Street = tuple[str, int | None, int | None, str]
DISTRICTS: dict[str, list[tuple[str, str, list[Street], int]]] = {
    "musterstadt": [
        (
            "1",
            "Altstadt",
            [
                ("Heidestraße", None, None, Parity.ALL),
                ("Marktplatz", None, None, Parity.ALL),
                ("Schloßstraße", None, None, Parity.ALL),
                ("Hauptstraße", 1, 49, Parity.ALL),
                ("Kirchgasse", None, None, Parity.ALL),
            ],
            1,
        ),
        (
            "2",
            "Nord",
            [
                ("Hauptstraße", 50, None, Parity.ALL),
                ("Gartenweg", None, None, Parity.ALL),
                ("Am Güterbahnhof", None, None, Parity.ALL),
                ("Bahnhofstraße", None, None, Parity.ALL),
                ("Lindenallee", None, None, Parity.ALL),
            ],
            3,
        ),
    ],
    "beispielhausen": [
        (
            "A",
            "Innenstadt",
            [
                ("Marktstraße", None, None, Parity.ALL),
                ("Kirchplatz", None, None, Parity.ALL),
                ("Hauptstraße", 1, None, Parity.ODD),
                ("Mühlweg", None, None, Parity.ALL),
            ],
            0,
        ),
        (
            "B",
            "Am Bahnhof",
            [
                ("Hauptstraße", 2, None, Parity.EVEN),
                ("Bahnhofsplatz", None, None, Parity.ALL),
                ("Große Straße", None, None, Parity.ALL),
                ("Lindenallee", None, None, Parity.ALL),
            ],
            2,
        ),
    ],
}
# Waste type -> (weeks between collections, weekday offset from the district's first weekday)
RHYTHM = {"rest": (2, 0), "bio": (2, 0), "papier": (4, 1), "gelb": (2, 1)}


def _first(year: int, weekday: int, odd_week: bool) -> date:
    day = date(year, 1, 1)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return day + timedelta(weeks=1) if odd_week else day


@transaction.atomic
def waste_demo_load(*, municipality: Municipality) -> None:
    """Idempotent: creates missing waste types, districts with their streets and rules, and generates this year's
    days of this year and the next where the municipality has none yet. What exists is left as it is."""
    districts = DISTRICTS.get(municipality.slug)
    if not districts:
        return
    types = {}
    for position, (code, name, colour, on_request, service_key, hint) in enumerate(WASTE_TYPES):
        types[code], _ = WasteType.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "colour": colour,
                "position": position,
                "on_request": on_request,
                "request_service_key": service_key,
                "hint": hint,
            },
        )
    year = timezone.localdate().year
    for code, name, streets, weekday in districts:
        district, created = District.objects.get_or_create(
            municipality=municipality, code=code, defaults={"name": name}
        )
        if created:
            for street, number_from, number_to, parity in streets:
                segment = DistrictStreet(
                    district=district, street=street, number_from=number_from, number_to=number_to, parity=parity
                )
                segment.full_clean()
                segment.save()
            for type_code, (weeks, offset) in RHYTHM.items():
                CollectionRule.objects.create(
                    district=district,
                    waste_type=types[type_code],
                    first_day=_first(year, min(weekday + offset, 4), odd_week=type_code == "bio"),
                    interval_weeks=weeks,
                )
    # This year and the next, so that the calendar never runs dry around New Year.
    for generated in (year, year + 1):
        if not Collection.objects.filter(district__municipality=municipality, day__year=generated).exists():
            waste_dates_generate(municipality=municipality, year=generated, actor=None)
