"""The KPIs as open data: the content of one dataset per municipality that opts in (CSV and JSON with a documented
JSON Schema) and suggestions for its metadata (DCAT). The open data portal registers these as generated datasets
and serves them; this module only produces them, already suppressed.

One row per month, service and figure (long format). Small numbers are withheld as everywhere (suppression.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.db.models import Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone, translation

from rathaus.catalog.selectors import service_summaries
from rathaus.opendata.generators import DatasetGenerator, GeneratedDataset, GeneratedFile, register
from rathaus.tenants.models import Municipality

from . import histogram, suppression
from .models import DailyCount, DailyDuration
from .selectors import publishing_municipalities, settings_for

SCHEMA_PATH = Path(__file__).parent / "schema" / "kpi-dataset.schema.json"
SCHEMA_ID = "https://rathaus.example/schemas/analytics/kpi-dataset.schema.json"
MONTHS = 13
COLUMNS: list[tuple[str, str, str]] = [
    ("zeitraum_von", "date", "Erster Tag des Monats (ISO 8601)."),
    ("zeitraum_bis", "date", "Letzter enthaltener Tag; im laufenden Monat der gestrige Tag."),
    ("gemeindeschluessel", "string", "Amtlicher Gemeindeschlüssel (AGS) der Kommune, 8 Ziffern."),
    (
        "leistung",
        "string",
        "Schlüssel der Verwaltungsleistung; leer bei Summen über alle Leistungen und bei Anmeldungen.",
    ),
    ("leika", "string", "LeiKa-Schlüssel der Leistung (14 Ziffern), falls vorhanden."),
    ("leistung_name", "string", "Name der Leistung."),
    (
        "kennzahl",
        "string",
        "begonnen, abgeschickt (Online-Anträge), abschlussquote und abbruchquote (Prozent der begonnenen), "
        "median_ausfuelldauer (Minuten vom Beginn bis zum Absenden), entscheidungen, median_bearbeitungsdauer und "
        "p90_bearbeitungsdauer (Tage vom Eingang bis zur Entscheidung), zugesagte_bearbeitungsdauer (Tage), "
        "termine_vor_ort (bestätigte Termine im Bürgerbüro), zahlungsart, anmeldeart und vertrauensniveau "
        "(Anzahl je Merkmal), maengelmeldungen.",
    ),
    ("merkmal", "string", "Bei zahlungsart, anmeldeart, vertrauensniveau: der gezählte Code; sonst leer."),
    ("wert", "number", "Der Wert; '< 5' (CSV) oder null (JSON), wenn er zurückgehalten wird."),
    ("einheit", "string", "Anzahl, Prozent, Minuten oder Tage."),
    ("zurueckgehalten", "boolean", "true, wenn der Wert zum Schutz kleiner Fallzahlen zurückgehalten wird."),
]


@cache
def kpi_dataset_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of kpi_dataset_json()."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def kpi_dataset_columns() -> list[dict[str, str]]:
    """The column description of the CSV file (name, type, German description)."""
    return [{"name": name, "type": kind, "description": text} for name, kind, text in COLUMNS]


def kpi_datasets() -> list[Municipality]:
    """The municipalities that publish their KPIs (opt-in)."""
    return publishing_municipalities()


def kpi_dataset_available(municipality: Municipality) -> bool:
    return settings_for(municipality).publish_open_data


def _months(today: date) -> list[tuple[date, date]]:
    last = today - timedelta(days=1)
    first = last.replace(day=1)
    months = []
    for _ in range(MONTHS):
        end = min(last, (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1))
        months.append((first, end))
        first = (first - timedelta(days=1)).replace(day=1)
    return sorted(months)


def _row(
    month: tuple[date, date],
    municipality: Municipality,
    service: Any,
    figure: str,
    value: Any,
    unit: str,
    feature: str | None = None,
) -> dict[str, Any]:
    return {
        "zeitraum_von": month[0].isoformat(),
        "zeitraum_bis": month[1].isoformat(),
        "gemeindeschluessel": municipality.official_key,
        "leistung": service[0] if service else None,
        "leika": (service[1] or None) if service else None,
        "leistung_name": service[2] if service else None,
        "kennzahl": figure,
        "merkmal": feature,
        "wert": value,
        "einheit": unit,
        "zurueckgehalten": value is None,
    }


COUNTED = {
    "service_started": "begonnen",
    "application_submitted": "abgeschickt",
    "case_decided": "entscheidungen",
    "appointment_confirmed": "termine_vor_ort",
    "report_filed": "maengelmeldungen",
}
FEATURES = {
    ("application_submitted", "method"): "zahlungsart",
    ("login", "login_method"): "anmeldeart",
    ("login", "trust_level"): "vertrauensniveau",
}


def kpi_dataset_rows(municipality: Municipality, *, today: date | None = None) -> list[dict[str, Any]]:
    """The rows of the dataset: the last 13 months up to yesterday, suppressed."""
    today = today or timezone.localdate()
    months = _months(today)
    start, end = months[0][0], months[-1][1]
    by_start = {m[0]: m for m in months}
    with translation.override("de"):
        catalogue = {
            service.key: (service.key, service.leika, service.name)
            for service in service_summaries(municipality=municipality)
        }
    base = DailyCount.objects.filter(municipality=municipality, day__gte=start, day__lte=end)
    counts: dict[tuple[date, str, str], int] = {}
    for row in (
        base.filter(dimension="", name__in=COUNTED)
        .annotate(month=TruncMonth("day"))
        .values("month", "name", "service_key")
        .annotate(n=Sum("count"))
    ):
        counts[(row["month"], row["name"], row["service_key"])] = row["n"]
    features: dict[tuple[date, str, str], dict[str, int]] = defaultdict(dict)
    for values in (
        base.filter(name__in={n for n, _d in FEATURES}, dimension__in={d for _n, d in FEATURES})
        .annotate(month=TruncMonth("day"))
        .values("month", "name", "dimension", "value")
        .annotate(n=Sum("count"))
    ):
        part: dict[str, Any] = dict(values)
        if (part["name"], part["dimension"]) in FEATURES and part["value"] != "none":
            features[(part["month"], part["name"], part["dimension"])][part["value"]] = part["n"]
    histograms: dict[tuple[date, str, str], dict[int, int]] = defaultdict(dict)
    for row in (
        DailyDuration.objects.filter(
            municipality=municipality, day__gte=start, day__lte=end, name__in=("application_submitted", "case_decided")
        )
        .annotate(month=TruncMonth("day"))
        .values("month", "name", "service_key", "bucket")
        .annotate(n=Sum("count"))
    ):
        histograms[(row["month"], row["name"], row["service_key"])][row["bucket"]] = row["n"]

    rows: list[dict[str, Any]] = []
    for month_start in sorted(by_start):
        month = by_start[month_start]
        keys = sorted({key for (m, _n, key) in counts if m == month_start and key})
        shown: dict[str, dict[str, int | None]] = {}
        for name in COUNTED:
            parts = {key: counts.get((month_start, name, key), 0) for key in keys}
            if not any(parts.values()):
                continue
            shown[name] = suppression.group(parts)
            rows.append(_row(month, municipality, None, COUNTED[name], suppression.cell(sum(parts.values())), "Anzahl"))
        for key in keys:
            service = catalogue.get(key, (key, "", key))
            for name, figure in COUNTED.items():
                if name in shown and counts.get((month_start, name, key), 0):
                    rows.append(_row(month, municipality, service, figure, shown[name][key], "Anzahl"))
            started = counts.get((month_start, "service_started", key), 0)
            sent = counts.get((month_start, "application_submitted", key), 0)
            if started:
                both = shown.get("service_started", {}).get(key) is not None and (
                    not sent or shown.get("application_submitted", {}).get(key) is not None
                )
                quote = suppression.rate(sent, started) if both else None
                rows.append(_row(month, municipality, service, "abschlussquote", _pct(quote), "Prozent"))
                rows.append(
                    _row(
                        month,
                        municipality,
                        service,
                        "abbruchquote",
                        _pct(None if quote is None else 1 - quote),
                        "Prozent",
                    )
                )
            for name, figure, unit, q in (
                ("application_submitted", "median_ausfuelldauer", "Minuten", 0.5),
                ("case_decided", "median_bearbeitungsdauer", "Tage", 0.5),
                ("case_decided", "p90_bearbeitungsdauer", "Tage", 0.9),
            ):
                counted = histograms.get((month_start, name, key))
                if not counted:
                    continue
                seconds = None if suppression.is_small(histogram.total(counted)) else histogram.quantile(counted, q)
                amount = None if seconds is None else round(seconds / (60 if unit == "Minuten" else 86_400), 1)
                rows.append(_row(month, municipality, service, figure, amount, unit))
        for (m, name, dimension), parts in sorted(features.items()):
            if m != month_start:
                continue
            for code, count in sorted(suppression.group(parts).items()):
                rows.append(_row(month, municipality, None, FEATURES[(name, dimension)], count, "Anzahl", code))
    return rows


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value * 100, 1)


def kpi_dataset_json(municipality: Municipality, *, today: date | None = None) -> dict[str, Any]:
    """The dataset as a JSON document valid against kpi_dataset_schema()."""
    today = today or timezone.localdate()
    return {
        "titel": kpi_dataset_metadata(municipality)["title"],
        "gemeinde": municipality.name,
        "gemeindeschluessel": municipality.official_key,
        "erstellt_am": today.isoformat(),
        "mindestfallzahl": suppression.min_cell(),
        "schema": SCHEMA_ID,
        "daten": kpi_dataset_rows(municipality, today=today),
    }


def kpi_dataset_csv(municipality: Municipality, *, today: date | None = None) -> str:
    """The dataset as CSV (comma, UTF-8, header row); withheld values read "< 5"."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([name for name, _t, _d in COLUMNS])
    for row in kpi_dataset_rows(municipality, today=today):
        writer.writerow(
            [
                suppression.text(None)
                if name == "wert" and row[name] is None
                else (
                    "true"
                    if row[name] is True
                    else "false"
                    if row[name] is False
                    else ""
                    if row[name] is None
                    else row[name]
                )
                for name, _t, _d in COLUMNS
            ]
        )
    return buffer.getvalue()


def kpi_dataset_metadata(municipality: Municipality, *, today: date | None = None) -> dict[str, Any]:
    """Suggestions for the portal's dataset record (CKAN fields and their DCAT-AP.de meaning)."""
    today = today or timezone.localdate()
    months = _months(today)
    return {
        "name": f"kennzahlen-online-dienste-{municipality.slug}",
        "title": f"Kennzahlen (KPI) der Online-Dienste – {municipality.name}",
        "description": (
            f"Monatliche Kennzahlen der Online-Dienste von {municipality.name}: begonnene und abgeschickte Anträge, "
            "Abschluss- und Abbruchquote, Ausfülldauer, Bearbeitungsdauer bis zur Entscheidung gegenüber der "
            "zugesagten Zeit, Termine vor Ort, Zahlungs- und Anmeldearten, Vertrauensniveaus und Mängelmeldungen. "
            f"Werte unter {suppression.min_cell()} werden zurückgehalten; die Daten enthalten keine personenbezogenen "
            "Daten. Täglich aktualisiert."
        ),
        "tags": ["KPI", "Kennzahlen", "Onlinedienste", "OZG", "E-Government", "Verwaltungsdigitalisierung"],
        "theme": "http://publications.europa.eu/resource/authority/data-theme/GOVE",
        "accrual_periodicity": "http://publications.europa.eu/resource/authority/frequency/DAILY",
        "update_frequency": "daily",
        "temporal_start": months[0][0].isoformat(),
        "temporal_end": months[-1][1].isoformat(),
        "license": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        "publisher": municipality.name,
        "contact_email": municipality.email,
        "spatial_ags": municipality.official_key,
        "language": "http://publications.europa.eu/resource/authority/language/DEU",
        "distributions": [
            {
                "format": "CSV",
                "media_type": "text/csv",
                "title": "Kennzahlen als CSV",
                "columns": kpi_dataset_columns(),
            },
            {
                "format": "JSON",
                "media_type": "application/json",
                "title": "Kennzahlen als JSON",
                "conforms_to": SCHEMA_ID,
            },
        ],
    }


@register("kennzahlen")
class KpiDataset(DatasetGenerator):
    """The KPIs as a generated dataset of the open data portal, for municipalities that opted in."""

    def generate(self, *, municipality: Municipality) -> GeneratedDataset | None:
        if not kpi_dataset_available(municipality):
            return None
        with translation.override("de"):
            metadata = kpi_dataset_metadata(municipality)
            document = kpi_dataset_json(municipality)
            table = kpi_dataset_csv(municipality)
        return GeneratedDataset(
            title=metadata["title"],
            notes=metadata["description"],
            themes=["gove"],
            tags=metadata["tags"],
            frequency="DAILY",
            temporal_start=date.fromisoformat(metadata["temporal_start"]),
            temporal_end=date.fromisoformat(metadata["temporal_end"]),
            files=[
                GeneratedFile(
                    name="Kennzahlen (CSV)",
                    format="CSV",
                    filename="kennzahlen.csv",
                    content=table.encode("utf-8"),
                    description="Eine Zeile je Monat, Leistung und Kennzahl; zurückgehaltene Werte als „< "
                    f"{suppression.min_cell()}“.",
                ),
                GeneratedFile(
                    name="Kennzahlen (JSON)",
                    format="JSON",
                    filename="kennzahlen.json",
                    content=json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8"),
                    description=f"Dieselben Werte; zurückgehaltene als null. Schema: {SCHEMA_ID}",
                ),
                GeneratedFile(
                    name="Schema der JSON-Datei",
                    format="JSON",
                    filename="kennzahlen.schema.json",
                    content=json.dumps(kpi_dataset_schema(), ensure_ascii=False, indent=1).encode("utf-8"),
                    description="JSON Schema (Entwurf 2020-12) der Kennzahlen-Datei.",
                ),
            ],
        )
