"""The municipality's service catalogue as open data: name, key, LeiKa key, fees, online availability (CSV, JSON)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from django.utils import translation

from rathaus.catalog.selectors import Service, service_list
from rathaus.tenants.models import Municipality

from .base import DatasetGenerator, GeneratedDataset, GeneratedFile
from .registry import register

COLUMNS = (
    "schluessel",
    "leika_schluessel",
    "name",
    "kurzbeschreibung",
    "vollstaendig_online",
    "zugang",
    "vertrauensniveau",
    "gebuehr_ab_eur",
    "gebuehr_bis_eur",
    "bearbeitungszeit_tage",
    "zustaendig",
)


def _euros(amount: Decimal) -> str:
    return f"{amount:.2f}"


def _row(service: Service) -> dict[str, Any]:
    lines = service.fee_lines
    low = sum((line["low"] for line in lines), Decimal("0"))
    high = sum((line["high"] for line in lines), Decimal("0"))
    return {
        "schluessel": service.key,
        "leika_schluessel": service.leika,
        "name": service.name,
        "kurzbeschreibung": service.summary,
        "vollstaendig_online": service.is_fully_online,
        "zugang": service.access,
        "vertrauensniveau": service.trust_level,
        "gebuehr_ab_eur": _euros(low),
        "gebuehr_bis_eur": _euros(high),
        "bearbeitungszeit_tage": service.processing_time_days,
        "zustaendig": service.department.name if service.department else "",
        "gebuehren": [
            {
                "bezeichnung": line["label"],
                "art": line["type"],
                "ab_eur": _euros(line["low"]),
                "bis_eur": _euros(line["high"]),
            }
            for line in lines
        ],
    }


@register("leistungskatalog")
class ServiceCatalogueGenerator(DatasetGenerator):
    def generate(self, *, municipality: Municipality) -> GeneratedDataset | None:
        with translation.override("de"):
            rows = [_row(service) for service in service_list(municipality=municipality)]
        if not rows:
            return None
        text = io.StringIO()
        writer = csv.DictWriter(text, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "vollstaendig_online": "ja" if row["vollstaendig_online"] else "nein"})
        return GeneratedDataset(
            title=f"Verwaltungsleistungen der Kommune {municipality.name}",
            notes=(
                f"Alle Verwaltungsleistungen, die {municipality.name} über Rathaus anbietet: Name, Schlüssel, "
                "LeiKa-Schlüssel, Gebühren, ob die Leistung vollständig online möglich ist, Vertrauensniveau der "
                "Anmeldung, Bearbeitungszeit und zuständige Stelle. Wird täglich aus dem Leistungskatalog erzeugt."
            ),
            themes=["gove"],
            tags=["Verwaltungsleistungen", "OZG", "Leistungskatalog", "Gebühren"],
            frequency="DAILY",
            files=[
                GeneratedFile(
                    name="Leistungskatalog (CSV)",
                    format="CSV",
                    filename="leistungskatalog.csv",
                    content=text.getvalue().encode("utf-8"),
                    description="Eine Zeile je Leistung; Gebühren als Spanne in Euro.",
                ),
                GeneratedFile(
                    name="Leistungskatalog (JSON)",
                    format="JSON",
                    filename="leistungskatalog.json",
                    content=json.dumps(rows, ensure_ascii=False, indent=2).encode("utf-8"),
                    description="Wie die CSV-Datei, dazu jede Gebühr einzeln.",
                ),
            ],
        )
