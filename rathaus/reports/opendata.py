"""The public defect reports as open data (GeoJSON), through the open data portal's generator registry."""

from __future__ import annotations

import json

from django.utils import translation

from rathaus.opendata.generators import DatasetGenerator, GeneratedDataset, GeneratedFile, register
from rathaus.tenants.models import Municipality

from .selectors import reports_geojson


@register("maengelmeldungen")
class DefectReportsDataset(DatasetGenerator):
    def generate(self, *, municipality: Municipality) -> GeneratedDataset | None:
        with translation.override("de"):
            collection = reports_geojson(municipality=municipality)
        if not collection["features"]:
            return None
        return GeneratedDataset(
            title=f"Mängelmeldungen in {municipality.name}",
            notes=(
                f"Die öffentlichen Meldungen aus dem Mängelmelder von {municipality.name}: Art des Mangels, Ort, "
                "Bearbeitungsstand und Zeitpunkte. Ohne Angaben zu den meldenden Personen und ohne Beschreibungstexte; "
                "Fotos nur, wenn die Verwaltung sie freigegeben hat. Wird täglich erzeugt."
            ),
            themes=["regi", "gove"],
            tags=["Mängelmelder", "Open311", "Infrastruktur", "Bürgerbeteiligung"],
            frequency="DAILY",
            files=[
                GeneratedFile(
                    name="Mängelmeldungen (GeoJSON)",
                    format="GeoJSON",
                    filename="maengelmeldungen.geojson",
                    content=json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8"),
                    description="Ein Punkt je Meldung (WGS 84); Eigenschaften wie in Open311 GeoReport v2.",
                )
            ],
        )
