"""Writes of the registers: importing a municipality's parking zones, and the demo data."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.db import transaction

from rathaus.audit.services import audit_append
from rathaus.core.addresses import street_key

from .models import DemoVehicleRecord, Parity, ParkingZone, ParkingZoneStreet
from .normalise import plate_normalise
from .zones_csv import ParsedZones, StreetRow, ZoneRows

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Municipality


@dataclass
class ZonesImportReport:
    created: list[str] = field(default_factory=list)  # zone codes
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    streets: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.removed)


def _segment(row: StreetRow) -> tuple[str, int | None, int | None, str, str]:
    return (" ".join(row.street.split()), row.number_from, row.number_to, row.parity, row.postal_code)


def _segments_of(zone: ParkingZone) -> list[tuple[str, int | None, int | None, str, str]]:
    return sorted(
        (street.street, street.number_from, street.number_to, street.parity, street.postal_code)
        for street in zone.streets.all()
    )


@transaction.atomic
def parking_zones_import(
    *,
    municipality: Municipality,
    parsed: ParsedZones,
    actor: User | None,
    progress: Callable[[ZoneRows, str], None] = lambda zone, outcome: None,
) -> ZonesImportReport:
    """Make the municipality's zones exactly those of the file (zones_csv.parking_zones_parse checked it).

    Zones of the file are created or updated with their streets; zones not in the file are removed. A zone whose
    name and streets are unchanged is not touched, so importing the same file again changes nothing. All or
    nothing: the import runs in one transaction, and it leaves one audit entry when anything changed.
    """
    report = ZonesImportReport()
    existing = {zone.code: zone for zone in ParkingZone.objects.filter(municipality=municipality)}
    before = sorted(existing)
    streets_before = ParkingZoneStreet.objects.filter(zone__municipality=municipality).count()
    for rows in parsed.zones:
        wanted = sorted(_segment(row) for row in rows.streets)
        zone = existing.pop(rows.code, None)
        if zone is None:
            zone = ParkingZone(municipality=municipality, code=rows.code, name=rows.name)
            zone.full_clean()
            zone.save()
            outcome = "created"
            report.created.append(rows.code)
        elif zone.name == rows.name and _segments_of(zone) == wanted:
            outcome = "unchanged"
            report.unchanged.append(rows.code)
        else:
            if zone.name != rows.name:
                zone.name = rows.name
                zone.save(update_fields=["name"])
            zone.streets.all().delete()
            outcome = "updated"
            report.updated.append(rows.code)
        if outcome != "unchanged":
            ParkingZoneStreet.objects.bulk_create(
                ParkingZoneStreet(
                    zone=zone,
                    street=street,
                    street_key=street_key(street),
                    number_from=number_from,
                    number_to=number_to,
                    parity=parity,
                    postal_code=postal_code,
                )
                for street, number_from, number_to, parity, postal_code in wanted
            )
        report.streets += len(wanted)
        progress(rows, outcome)
    for code, zone in sorted(existing.items()):
        zone.delete()
        report.removed.append(code)
    if report.changed:
        audit_append(
            actor=actor,
            action="registers.parking_zones_import",
            object_type="municipality",
            object_id=municipality.slug,
            municipality=municipality,
            changes={
                "zones": [before, sorted(zone.code for zone in parsed.zones)],
                "zones_created": [[], report.created],
                "zones_updated": [[], report.updated],
                "zones_removed": [report.removed, []],
                "streets": [streets_before, report.streets],
            },
            rule="" if actor else "import_parking_zones",
        )
    return report


# --- demo data ----------------------------------------------------------------------------------------------

# (code, name, [(street, from, to, parity)]) — Musterstadt's demo citizen Erika Mustermann lives at Heidestraße 17.
_DEMO_ZONES: dict[str, list[tuple[str, str, list[tuple[str, int | None, int | None, str]]]]] = {
    "musterstadt": [
        (
            "A",
            "Altstadt",
            [
                ("Heidestraße", None, None, Parity.ALL),
                ("Marktplatz", None, None, Parity.ALL),
                ("Kirchgasse", None, None, Parity.ALL),
                ("Schloßstraße", 1, 30, Parity.ALL),
                ("Bahnhofstraße", 2, 48, Parity.EVEN),
            ],
        ),
        (
            "B",
            "Bahnhofsviertel",
            [
                # The odd side of Bahnhofstraße belongs to zone B, its even side (up to 48) to zone A.
                ("Bahnhofstraße", 1, 99, Parity.ODD),
                ("Gartenweg", None, None, Parity.ALL),
                ("Am Güterbahnhof", None, None, Parity.ALL),
            ],
        ),
    ],
    "beispielhausen": [
        (
            "A",
            "Innenstadt",
            [
                ("Marktstraße", None, None, Parity.ALL),
                ("Kirchplatz", None, None, Parity.ALL),
                ("Lindenallee", 1, 40, Parity.ALL),
            ],
        ),
        (
            "B",
            "Am Bahnhof",
            [
                ("Hauptstraße", 1, 59, Parity.ODD),
                ("Hauptstraße", 2, 70, Parity.EVEN),
                ("Bahnhofsplatz", None, None, Parity.ALL),
            ],
        ),
    ],
}

# (plate, family name, given names, birthdate, street, house number)
_DEMO_VEHICLES: dict[str, list[tuple[str, str, str, date, str, str]]] = {
    "musterstadt": [
        ("MS-EM 1964", "Mustermann", "Erika", date(1964, 8, 12), "Heidestraße", "17"),
        ("MS-MB 2020", "Beispiel", "Max", date(1985, 2, 3), "Bahnhofstraße", "8"),
    ],
    "beispielhausen": [
        ("BH-JS 42", "Schmidt", "Jonas", date(1979, 11, 23), "Marktstraße", "3"),
        ("BH-AK 7E", "Krüger", "Anna Luise", date(1991, 5, 30), "Hauptstraße", "12"),
    ],
}


@transaction.atomic
def registers_demo_load(*, municipality: Municipality) -> None:
    """Demo parking zones and simulated vehicle register entries for the demo municipalities (by slug).

    Creates only what is missing: a zone that exists is left as it is (with its streets), as is a vehicle entry,
    so running it again keeps what was changed since. Postal codes and the town come from the municipality.
    """
    for code, name, streets in _DEMO_ZONES.get(municipality.slug, []):
        zone, created = ParkingZone.objects.get_or_create(municipality=municipality, code=code, defaults={"name": name})
        if not created:
            continue
        for street, number_from, number_to, parity in streets:
            segment = ParkingZoneStreet(
                zone=zone, street=street, number_from=number_from, number_to=number_to, parity=parity
            )
            segment.full_clean()
            segment.save()
    for plate, family_name, given_names, birthdate, street, house_number in _DEMO_VEHICLES.get(municipality.slug, []):
        DemoVehicleRecord.objects.get_or_create(
            municipality=municipality,
            plate=plate_normalise(plate),
            defaults={
                "family_name": family_name,
                "given_names": given_names,
                "birthdate": birthdate,
                "street": street,
                "house_number": house_number,
                "postal_code": municipality.postal_code,
                "city": municipality.city or municipality.name,
            },
        )
