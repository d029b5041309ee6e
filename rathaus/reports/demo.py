"""Demo data of the Mängelmelder (called by rathaus/core/demo.py): for each demo municipality its area, a street
list, categories routed to its departments, a handful of public reports, and one Open311 API key whose value is
published (demo only; `rathaus load_demo` refuses to run in production)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from rathaus.tenants.models import Department, Municipality
from rathaus.tenants.services import department_ensure

from . import services
from .models import ApiKey, Category, Report, ReportArea, Street

DEMO_KEY_NAME = "Demo-App (Open311)"


def demo_api_key(municipality: Municipality) -> str:
    """The published demo key of a municipality."""
    return f"r311_demo-{municipality.slug}-not-secret"  # published on purpose, demo only


# (code, German name, English name, group, department code, department name)
CATEGORIES = [
    ("ampel", "Ampel defekt", "Traffic light out of order", "Verkehr", "strassenverkehr", "Straßenverkehrsbehörde"),
    ("strassenlaterne", "Straßenlaterne defekt", "Street lamp out of order", "Straße", "tiefbauamt", "Tiefbauamt"),
    (
        "schlagloch",
        "Schlagloch oder kaputter Gehweg",
        "Pothole or damaged pavement",
        "Straße",
        "tiefbauamt",
        "Tiefbauamt",
    ),
    (
        "wilder-muell",
        "Illegale Müllablagerung",
        "Illegally dumped rubbish",
        "Sauberkeit",
        "umweltamt",
        "Umwelt und Abfallwirtschaft",
    ),
    ("graffiti", "Graffiti oder Schmiererei", "Graffiti", "Sauberkeit", "ordnungsamt", "Ordnungsamt"),
    (
        "spielplatz",
        "Schaden auf einem Spielplatz",
        "Damage on a playground",
        "Grün",
        "umweltamt",
        "Umwelt und Abfallwirtschaft",
    ),
    ("sonstiges", "Sonstiges", "Something else", "", "hauptamt", "Hauptamt und Bürgerbeteiligung"),
]
NOTICE = "Wir prüfen neue Meldungen werktags innerhalb von zwei Tagen und geben sie an das zuständige Team weiter."


@dataclass(frozen=True)
class DemoTown:
    polygon: list[list[float]]
    streets: list[tuple[str, str, float, float]]
    reports: list[tuple[str, str, str, str]]  # category, street, house number, description


TOWNS = {
    # Musterstadt lies where Bad Homburg is (postal code 61348), Beispielhausen where Hanau is (63450).
    "musterstadt": DemoTown(
        polygon=[[8.570, 50.205], [8.665, 50.205], [8.675, 50.230], [8.650, 50.255], [8.585, 50.255], [8.565, 50.230]],
        streets=[
            ("Rathausplatz", "61348", 50.2268, 8.6182),
            ("Heidestraße", "61348", 50.2291, 8.6105),
            ("Louisenstraße", "61348", 50.2262, 8.6150),
            ("Kaiser-Friedrich-Promenade", "61348", 50.2247, 8.6213),
            ("Schulberg", "61348", 50.2282, 8.6160),
            ("Am Kurpark", "61348", 50.2235, 8.6250),
            ("Frankfurter Landstraße", "61348", 50.2170, 8.6180),
            ("Waldweg", "61348", 50.2405, 8.6010),
        ],
        reports=[
            ("strassenlaterne", "Heidestraße", "21", "Die Laterne vor dem Haus flackert seit drei Tagen."),
            ("schlagloch", "Louisenstraße", "40", "Tiefes Schlagloch auf dem Radweg, etwa 30 cm breit."),
            ("wilder-muell", "Waldweg", "", "Zwei Säcke Müll und ein altes Sofa am Waldrand."),
            ("ampel", "Frankfurter Landstraße", "2", "Die Fußgängerampel zeigt dauerhaft Rot."),
        ],
    ),
    "beispielhausen": DemoTown(
        polygon=[[8.880, 50.115], [8.955, 50.115], [8.955, 50.155], [8.880, 50.155]],
        streets=[
            ("Marktstraße", "63450", 50.1330, 8.9170),
            ("Nürnberger Straße", "63450", 50.1345, 8.9120),
            ("Schlossplatz", "63450", 50.1360, 8.9130),
            ("Am Mainufer", "63450", 50.1300, 8.9100),
            ("Lindenallee", "63450", 50.1400, 8.9250),
        ],
        reports=[
            ("graffiti", "Schlossplatz", "1", "Schmiererei an der Bushaltestelle."),
            ("spielplatz", "Lindenallee", "", "Die Schaukel auf dem Spielplatz ist gerissen."),
            ("strassenlaterne", "Marktstraße", "12", "Zwei Laternen sind nachts aus."),
        ],
    ),
}


def _department(municipality: Municipality, code: str, name: str) -> Department:
    existing = municipality.departments.filter(code=code).first()
    return existing or department_ensure(municipality=municipality, code=code, name=name)


@transaction.atomic
def reports_demo_load(*, municipality: Municipality) -> list[str]:
    """Idempotent: creates what is missing and keeps what was changed. Returns lines for the demo summary."""
    town = TOWNS.get(municipality.slug)
    if town is None:
        return []
    area = ReportArea.objects.filter(municipality=municipality).first()
    if area is None:
        area = ReportArea(municipality=municipality, polygon=town.polygon, zoom=14)
        area.full_clean()
        area.save()
    for name, postal_code, lat, lon in town.streets:
        if not Street.objects.filter(municipality=municipality, name=name).exists():
            Street.objects.create(municipality=municipality, name=name, postal_code=postal_code, lat=lat, lon=lon)
    for position, (code, name, name_en, group, department_code, department_name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            municipality=municipality,
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "group": group,
                "position": position,
                "service_notice": NOTICE,
                "department": _department(municipality, department_code, department_name),
            },
        )
    if not Report.objects.filter(municipality=municipality).exists():
        for code, street, number, description in town.reports:
            category = Category.objects.get(municipality=municipality, code=code)
            location = services.location_resolve(
                municipality=municipality, lat=None, lon=None, street=street, house_number=number
            )
            services.report_file(
                municipality=municipality, category=category, location=location, description=description
            )
    plain = demo_api_key(municipality)
    from .selectors import key_hash

    if not ApiKey.objects.filter(key_hash=key_hash(plain)).exists():
        services.api_key_create(municipality=municipality, name=DEMO_KEY_NAME, actor=None, plain=plain)
    return [f"    Open311 API key (demo): {plain}"]
