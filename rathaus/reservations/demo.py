"""Demo data: Musterstadt's three barbecue places and a room, Beispielhausen's barbecue hut (called by
rathaus/core/demo.py after the departments exist)."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from typing import Any

from django.db import transaction

from rathaus.tenants.models import Department, Municipality

from .models import OpeningWindow, Resource

SERVICE_KEY = "grillplatzreservierung"
DEPARTMENT = "kultur_sport"
BARBECUE_RULES = (
    "Sie müssen mindestens 18 Jahre alt sein und sind am Tag für den Platz verantwortlich. "
    "Feuer nur in der Feuerstelle. Nehmen Sie Ihren Müll wieder mit. Ab 22 Uhr ist Nachtruhe. "
    "Bei hoher Waldbrandgefahr kann die Stadt das Grillen kurzfristig verbieten; dann bekommen Sie Ihr Geld zurück."
)
# The windows of the service definition: midday, evening, the whole day.
BARBECUE_WINDOWS = [(time(10), time(16), "Mittags"), (time(16), time(22), "Abends"), (time(10), time(22), "Ganzer Tag")]
BARBECUE: dict[str, Any] = {
    "kind": Resource.Kind.BARBECUE,
    "service_key": SERVICE_KEY,
    "mode": Resource.Mode.WINDOWS,
    "fee_unit": Resource.FeeUnit.DAY,
    "rules": BARBECUE_RULES,
    "lead_days": 3,
    "horizon_days": 180,
    "season_first_month": 4,
    "season_last_month": 10,
    "max_open_per_email": 2,
}

RESOURCES: dict[str, list[dict[str, Any]]] = {
    "musterstadt": [
        {
            **BARBECUE,
            "slug": "grillplatz-waldsee",
            "name": "Grillplatz am Waldsee",
            "capacity": 40,
            "fee_amount": Decimal("40.00"),
            "description": "Überdachte Feuerstelle mit Sitzbänken für 40 Personen, direkt am Waldsee.",
            "address": "Seeweg 12, 61348 Musterstadt",
            "directions": "Parkplatz am Ende des Seewegs, dann 200 m am Ufer entlang. Bus 5, Haltestelle Waldsee.",
            "accessibility": "Ebener, befestigter Weg vom Parkplatz; Sitzbänke ohne Lehne; keine Toilette.",
        },
        {
            **BARBECUE,
            "slug": "grillplatz-buergerpark",
            "name": "Grillplatz im Bürgerpark",
            "capacity": 20,
            "fee_amount": Decimal("25.00"),
            "description": "Kleiner Grillplatz für 20 Personen, nah am Spielplatz.",
            "address": "Parkstraße 3, 61348 Musterstadt",
            "directions": "Eingang Parkstraße, dann links am Spielplatz vorbei.",
            "accessibility": "Stufenlos erreichbar; barrierefreie Toilette im Parkcafé (während der Öffnungszeiten).",
        },
        {
            **BARBECUE,
            "slug": "grillhuette-lindenberg",
            "name": "Grillhütte am Lindenberg",
            "capacity": 60,
            "fee_amount": Decimal("80.00"),
            "description": "Hütte mit Tischen, Strom und Feuerstelle für bis zu 60 Personen, am Waldrand.",
            "address": "Am Lindenberg 1, 61348 Musterstadt",
            "directions": "Zufahrt über den Forstweg ab der Lindenstraße; nur zum Be- und Entladen.",
            "accessibility": "Schotterweg mit leichter Steigung; eine Stufe an der Hütte (Rampe vorhanden).",
        },
        {
            "slug": "buergersaal",
            "name": "Bürgersaal im Alten Rathaus",
            "kind": Resource.Kind.ROOM,
            "mode": Resource.Mode.GRID,
            "capacity": 80,
            "fee_amount": Decimal("15.00"),
            "fee_unit": Resource.FeeUnit.HOUR,
            "grid_minutes": 60,
            "min_minutes": 120,
            "max_minutes": 480,
            "lead_days": 7,
            "horizon_days": 270,
            "max_open_per_email": 3,
            "description": "Saal für Vereinsversammlungen, Kurse und Feiern, mit Stühlen, Tischen und Beamer.",
            "address": "Marktplatz 2, 61348 Musterstadt",
            "directions": "Erster Stock, Eingang neben der Bücherei.",
            "accessibility": "Aufzug vorhanden; barrierefreie Toilette im Erdgeschoss; Induktionsschleife.",
            "rules": "Bitte räumen Sie den Saal danach auf und schließen Sie ab. Ab 22 Uhr ist Ruhe.",
        },
    ],
    "beispielhausen": [
        {
            **BARBECUE,
            "slug": "grillhuette-sportplatz",
            "name": "Grillhütte am Sportplatz",
            "capacity": 50,
            "fee_amount": Decimal("60.00"),
            "description": "Hütte mit Feuerstelle und Tischen für 50 Personen, neben dem Sportplatz.",
            "address": "Am Sportplatz 4, 63450 Beispielhausen",
            "directions": "Parkplatz am Sportplatz; die Hütte steht hinter dem Vereinsheim.",
            "accessibility": "Stufenlos erreichbar; Toilette im Vereinsheim.",
        }
    ],
}
# Room hours: Monday to Saturday, 8 to 22.
ROOM_HOURS = [("012345", time(8), time(22), "")]


@transaction.atomic
def reservations_demo_load(*, municipality: Municipality) -> list[Resource]:
    """Idempotent: the municipality's demo resources with their windows, run by the department `kultur_sport`
    (created by the demo). Running it again adds what is missing and keeps what was changed."""
    department = Department.objects.filter(municipality=municipality, code=DEPARTMENT).first()
    if department is None:
        return []
    resources = []
    for spec in RESOURCES.get(municipality.slug, []):
        fields = {key: value for key, value in spec.items() if key != "slug"}
        resource, created = Resource.objects.get_or_create(
            municipality=municipality, slug=spec["slug"], defaults={**fields, "department": department}
        )
        if created or not resource.windows.exists():
            hours = BARBECUE_WINDOWS if resource.mode == Resource.Mode.WINDOWS else None
            rows = (
                [OpeningWindow(resource=resource, starts=s, ends=e, label=label) for s, e, label in hours]
                if hours
                else [
                    OpeningWindow(resource=resource, weekdays=days, starts=s, ends=e, label=label)
                    for days, s, e, label in ROOM_HOURS
                ]
            )
            OpeningWindow.objects.bulk_create(rows)
        resources.append(resource)
    return resources
