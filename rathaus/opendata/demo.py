"""Demo data: a few datasets per municipality with resources of several formats, and the generated service
catalogue (called by rathaus/core/demo.py). Creates only what is missing."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.db import transaction

from rathaus.tenants.models import Municipality
from rathaus.testing.samples import pdf

from . import services
from .models import Dataset, Organization

DEMO_RULE = "opendata.demo"


def _points(features: list[tuple[str, float, float, dict[str, Any]]]) -> bytes:
    return json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {"name": name, **properties},
                }
                for name, lon, lat, properties in features
            ],
        },
        ensure_ascii=False,
        indent=1,
    ).encode()


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode()


def _ics(municipality: Municipality) -> bytes:
    events = []
    for number, day in enumerate((date(2026, 2, 12), date(2026, 4, 23), date(2026, 6, 18), date(2026, 9, 24)), 1):
        events.append(
            "BEGIN:VEVENT\r\n"
            f"UID:sitzung-{number}-2026@{municipality.slug}.example\r\n"
            "DTSTAMP:20260101T090000Z\r\n"
            f"DTSTART:{day:%Y%m%d}T170000Z\r\n"
            f"DTEND:{day:%Y%m%d}T200000Z\r\n"
            f"SUMMARY:Sitzung der Stadtverordnetenversammlung {municipality.name}\r\n"
            f"LOCATION:Rathaus {municipality.name}, Sitzungssaal\r\n"
            "END:VEVENT\r\n"
        )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Rathaus//Offene Daten//DE\r\n"
        + "".join(events)
        + "END:VCALENDAR\r\n"
    ).encode()


def _specs(municipality: Municipality) -> list[dict[str, Any]]:
    name, slug = municipality.name, municipality.slug
    if slug == "beispielhausen":
        return [
            {
                "name": f"{slug}-trinkbrunnen",
                "title": f"Trinkwasserbrunnen in {name}",
                "notes": f"Öffentliche Trinkwasserbrunnen in {name} mit Lage und Betriebszeit.",
                "themes": ["envi", "heal"],
                "tags": ["Trinkwasser", "Brunnen", "Sommer"],
                "frequency": "ANNUAL",
                "department": None,
                "files": [
                    (
                        "Brunnenstandorte (GeoJSON)",
                        "GeoJSON",
                        "trinkbrunnen.geojson",
                        _points(
                            [
                                ("Brunnen am Markt", 8.9162, 50.1331, {"betrieb": "April bis Oktober"}),
                                ("Brunnen im Kurpark", 8.9230, 50.1365, {"betrieb": "Mai bis September"}),
                                ("Brunnen am Bahnhof", 8.9101, 50.1302, {"betrieb": "April bis Oktober"}),
                            ]
                        ),
                    ),
                    (
                        "Brunnenstandorte (CSV)",
                        "CSV",
                        "trinkbrunnen.csv",
                        _csv(
                            ["name", "laengengrad", "breitengrad", "betrieb"],
                            [
                                ["Brunnen am Markt", 8.9162, 50.1331, "April bis Oktober"],
                                ["Brunnen im Kurpark", 8.9230, 50.1365, "Mai bis September"],
                                ["Brunnen am Bahnhof", 8.9101, 50.1302, "April bis Oktober"],
                            ],
                        ),
                    ),
                ],
            },
            {
                "name": f"{slug}-sitzungskalender",
                "title": f"Sitzungskalender der Stadtverordnetenversammlung {name}",
                "notes": "Termine der öffentlichen Sitzungen 2026 zum Abonnieren im Kalender.",
                "themes": ["gove"],
                "tags": ["Politik", "Sitzungen", "Kalender"],
                "frequency": "QUARTERLY",
                "department": None,
                "temporal": (date(2026, 1, 1), date(2026, 12, 31)),
                "files": [("Sitzungstermine 2026 (iCalendar)", "ICS", "sitzungen-2026.ics", _ics(municipality))],
                "links": [("Ratsinformationssystem", "HTML", f"https://www.{slug}.example/ratsinfo")],
            },
            {
                "name": f"{slug}-einwohner-ortsteile",
                "title": f"Einwohnerinnen und Einwohner nach Ortsteilen in {name}",
                "notes": "Zahl der Menschen mit Hauptwohnsitz je Ortsteil am 31. Dezember.",
                "themes": ["soci", "regi"],
                "tags": ["Bevölkerung", "Statistik", "Ortsteile"],
                "frequency": "ANNUAL",
                "department": "buergerbuero",
                "temporal": (date(2025, 12, 31), date(2025, 12, 31)),
                "files": [
                    (
                        "Einwohner je Ortsteil (CSV)",
                        "CSV",
                        "einwohner-ortsteile.csv",
                        _csv(
                            ["ortsteil", "einwohner", "davon_unter_18", "davon_ab_65"],
                            [
                                ["Kernstadt", 14210, 2480, 3190],
                                ["Oberdorf", 6120, 1130, 1420],
                                ["Unterau", 8620, 1650, 1880],
                            ],
                        ),
                    ),
                    (
                        "Einwohner je Ortsteil (JSON)",
                        "JSON",
                        "einwohner-ortsteile.json",
                        json.dumps(
                            [
                                {"ortsteil": "Kernstadt", "einwohner": 14210},
                                {"ortsteil": "Oberdorf", "einwohner": 6120},
                                {"ortsteil": "Unterau", "einwohner": 8620},
                            ],
                            ensure_ascii=False,
                        ).encode(),
                    ),
                ],
            },
        ]
    return [
        {
            "name": f"{slug}-spielplaetze",
            "title": f"Spielplätze in {name}",
            "notes": f"Alle öffentlichen Spielplätze in {name} mit Lage, Altersgruppe und Ausstattung.",
            "themes": ["educ", "soci"],
            "tags": ["Spielplatz", "Kinder", "Freizeit"],
            "frequency": "ANNUAL",
            "department": None,
            "files": [
                (
                    "Spielplätze (GeoJSON)",
                    "GeoJSON",
                    "spielplaetze.geojson",
                    _points(
                        [
                            (
                                "Spielplatz Heidestraße",
                                8.5551,
                                50.2001,
                                {"alter": "2 bis 12", "ausstattung": "Schaukel, Sandkasten"},
                            ),
                            (
                                "Spielplatz am Stadtpark",
                                8.5632,
                                50.2044,
                                {"alter": "6 bis 14", "ausstattung": "Kletterturm, Seilbahn"},
                            ),
                            (
                                "Wasserspielplatz Mühlbach",
                                8.5488,
                                50.1968,
                                {"alter": "3 bis 10", "ausstattung": "Wasserpumpe, Matschtisch"},
                            ),
                            (
                                "Bolzplatz Nord",
                                8.5590,
                                50.2102,
                                {"alter": "ab 10", "ausstattung": "Tore, Basketballkorb"},
                            ),
                        ]
                    ),
                ),
                (
                    "Spielplätze (CSV)",
                    "CSV",
                    "spielplaetze.csv",
                    _csv(
                        ["name", "laengengrad", "breitengrad", "alter", "ausstattung"],
                        [
                            ["Spielplatz Heidestraße", 8.5551, 50.2001, "2 bis 12", "Schaukel; Sandkasten"],
                            ["Spielplatz am Stadtpark", 8.5632, 50.2044, "6 bis 14", "Kletterturm; Seilbahn"],
                            ["Wasserspielplatz Mühlbach", 8.5488, 50.1968, "3 bis 10", "Wasserpumpe; Matschtisch"],
                            ["Bolzplatz Nord", 8.5590, 50.2102, "ab 10", "Tore; Basketballkorb"],
                        ],
                    ),
                ),
            ],
        },
        {
            "name": f"{slug}-haushalt-2026",
            "title": f"Haushaltsplan {name} 2026",
            "notes": "Erträge und Aufwendungen des Ergebnishaushalts 2026 nach Produktbereichen.",
            "themes": ["econ", "gove"],
            "tags": ["Haushalt", "Finanzen"],
            "frequency": "ANNUAL",
            "department": None,
            "temporal": (date(2026, 1, 1), date(2026, 12, 31)),
            "files": [
                (
                    "Ergebnishaushalt nach Produktbereichen (CSV)",
                    "CSV",
                    "haushalt-2026.csv",
                    _csv(
                        ["produktbereich", "bezeichnung", "ertraege_eur", "aufwendungen_eur"],
                        [
                            ["01", "Innere Verwaltung", 4120000, 18450000],
                            ["02", "Sicherheit und Ordnung", 2310000, 6980000],
                            ["03", "Schulträgeraufgaben", 1150000, 9870000],
                            ["05", "Soziale Leistungen", 3400000, 12300000],
                            ["06", "Kinder-, Jugend- und Familienhilfe", 5600000, 21400000],
                            ["16", "Allgemeine Finanzwirtschaft", 71200000, 5100000],
                        ],
                    ),
                ),
                (
                    "Haushaltsplan (PDF)",
                    "PDF",
                    "haushaltsplan-2026.pdf",
                    pdf(b"BT /F1 12 Tf 72 720 Td (Haushaltsplan 2026) Tj ET"),
                ),
            ],
        },
        {
            "name": f"{slug}-bewohnerparkzonen",
            "title": f"Bewohnerparkzonen in {name}",
            "notes": "Die Zonen, in denen ein Bewohnerparkausweis gilt.",
            "themes": ["tran"],
            "tags": ["Parken", "Verkehr", "Bewohnerparken"],
            "frequency": "IRREG",
            "department": "strassenverkehr",
            "files": [
                (
                    "Zonen (GeoJSON)",
                    "GeoJSON",
                    "bewohnerparkzonen.geojson",
                    json.dumps(
                        {
                            "type": "FeatureCollection",
                            "features": [
                                {
                                    "type": "Feature",
                                    "properties": {"name": "Zone A – Altstadt"},
                                    "geometry": {
                                        "type": "Polygon",
                                        "coordinates": [
                                            [
                                                [8.550, 50.198],
                                                [8.558, 50.198],
                                                [8.558, 50.203],
                                                [8.550, 50.203],
                                                [8.550, 50.198],
                                            ]
                                        ],
                                    },
                                },
                                {
                                    "type": "Feature",
                                    "properties": {"name": "Zone B – Heideviertel"},
                                    "geometry": {
                                        "type": "Polygon",
                                        "coordinates": [
                                            [
                                                [8.558, 50.198],
                                                [8.566, 50.199],
                                                [8.565, 50.205],
                                                [8.558, 50.203],
                                                [8.558, 50.198],
                                            ]
                                        ],
                                    },
                                },
                            ],
                        },
                        ensure_ascii=False,
                    ).encode(),
                ),
            ],
            "links": [
                (
                    "Bewohnerparkausweis online beantragen",
                    "HTML",
                    f"https://www.{slug}.example/leistungen/bewohnerparkausweis/",
                )
            ],
        },
    ]


def _organization(municipality: Municipality, code: str | None) -> Organization:
    """The municipality's organisation, or the one of its department `code`."""
    root = services.organizations_ensure(municipality=municipality)
    if code is None:
        return root
    return Organization.objects.filter(department__municipality=municipality, department__code=code).first() or root


@transaction.atomic
def opendata_demo_load(*, municipality: Municipality) -> int:
    """Idempotent: the demo datasets of `municipality` that are missing, and its generated datasets. Load the
    catalogue and the departments first. Returns how many datasets were created."""
    created = 0
    for spec in _specs(municipality):
        if Dataset.objects.filter(name=spec["name"]).exists():
            continue
        organization = _organization(municipality, spec["department"])
        start, end = spec.get("temporal", (None, None))
        dataset = services.dataset_create(
            actor=None,
            rule=DEMO_RULE,
            data=services.DatasetInput(
                name=spec["name"],
                title=spec["title"],
                notes=spec["notes"],
                organization=organization,
                themes=spec["themes"],
                tags=spec["tags"],
                frequency=spec["frequency"],
                contact_name=organization.title,
                contact_email=organization.email or municipality.email or f"opendata@{municipality.slug}.example",
                temporal_start=start,
                temporal_end=end,
                published=True,
            ),
        )
        for title, code, filename, content in spec["files"]:
            services.resource_add_content(
                actor=None, dataset=dataset, name=title, format=code, filename=filename, content=content
            )
        for title, code, url in spec.get("links", []):
            services.resource_add_link(actor=None, dataset=dataset, name=title, format=code, url=url)
        created += 1
    from .generators import generators

    for key in sorted(generators()):
        services.generated_dataset_refresh(municipality=municipality, generator_key=key)
    return created
