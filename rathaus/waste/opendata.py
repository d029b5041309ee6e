"""The waste collection dates as open data (CSV and iCalendar), through the open data portal's generator registry."""

from __future__ import annotations

from django.utils import translation

from rathaus.opendata.generators import DatasetGenerator, GeneratedDataset, GeneratedFile, register
from rathaus.tenants.models import Municipality

from .selectors import collection_dates_csv, municipality_calendar_ics


@register("abfuhrtermine")
class CollectionDatesDataset(DatasetGenerator):
    def generate(self, *, municipality: Municipality) -> GeneratedDataset | None:
        with translation.override("de"):
            table = collection_dates_csv(municipality=municipality)
            if table.count("\n") <= 1:  # the header alone: no collection days yet
                return None
            calendar = municipality_calendar_ics(municipality=municipality)
        return GeneratedDataset(
            title=f"Abfuhrtermine in {municipality.name}",
            notes=(
                f"Die Abfuhrtermine aller Abfuhrbezirke von {municipality.name} je Abfallart (Restmüll, Bioabfall, "
                "Papier, Gelbe Tonne und weitere). Verschiebungen wegen Feiertagen sind eingerechnet; die Spalte "
                "regular_date nennt dann den geplanten Tag. Welche Straße zu welchem Bezirk gehört, zeigt der "
                "Abfallkalender."
            ),
            themes=["envi"],
            tags=["Abfall", "Abfuhrtermine", "Abfallkalender", "Müllabfuhr"],
            frequency="WEEKLY",
            files=[
                GeneratedFile(
                    name="Abfuhrtermine (CSV)",
                    format="CSV",
                    filename="abfuhrtermine.csv",
                    content=table.encode("utf-8"),
                    description="Spalten: district, district_name, waste_type, waste_type_name, date, regular_date.",
                ),
                GeneratedFile(
                    name="Abfuhrtermine (iCalendar)",
                    format="ICS",
                    filename="abfuhrtermine.ics",
                    content=calendar,
                    description="Alle Termine als ganztägige Ereignisse (RFC 5545), mit denselben UIDs wie die "
                    "Kalender-Abos je Straße.",
                ),
            ],
        )
