"""Waste calendar test base: Musterstadt's districts with a split Hauptstraße, waste types, and imported days."""

from __future__ import annotations

from datetime import date, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from rathaus.core.addresses import Parity
from rathaus.tenants.models import Municipality
from rathaus.waste.models import District, DistrictStreet, WasteType

TYPES = [
    ("rest", "Restmüll", "#3C3C3C", False, ""),
    ("bio", "Biomüll", "#7A4A1E", False, ""),
    ("papier", "Papier", "#1F5F8B", False, ""),
    ("sperr", "Sperrmüll", "#8C2F39", True, "sperrmuellanmeldung"),
]


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def districts_of(municipality: Municipality) -> dict[str, District]:
    for position, (code, name, colour, on_request, service_key) in enumerate(TYPES):
        WasteType.objects.create(
            municipality=municipality,
            code=code,
            name=name,
            colour=colour,
            position=position,
            on_request=on_request,
            request_service_key=service_key,
        )
    altstadt = District.objects.create(municipality=municipality, code="1", name="Altstadt")
    nord = District.objects.create(municipality=municipality, code="2", name="Nord")
    for district, street, number_from, number_to, parity in (
        (altstadt, "Hauptstraße", 1, 49, Parity.ALL),
        (nord, "Hauptstraße", 50, None, Parity.ALL),
        (altstadt, "Schloßstraße", None, None, Parity.ALL),
        (nord, "Mühlweg", None, None, Parity.ALL),
        (nord, "Lindenallee", None, None, Parity.ALL),
    ):
        DistrictStreet.objects.create(
            district=district, street=street, number_from=number_from, number_to=number_to, parity=parity
        )
    return {"1": altstadt, "2": nord}


@pytest.fixture
def districts(musterstadt) -> dict[str, District]:
    return districts_of(musterstadt)


@pytest.fixture
def upcoming() -> dict[str, list[date]]:
    """Days of the imported file, all in the coming weeks: Restmüll on Tuesdays, Bio on Thursdays (district 1),
    Papier on Wednesdays (district 2)."""
    today = timezone.localdate()
    tuesday, wednesday, thursday = (next_weekday(today, weekday) for weekday in (1, 2, 3))
    return {
        "1/rest": [tuesday + timedelta(weeks=2 * n) for n in range(3)],
        "1/bio": [thursday + timedelta(weeks=2 * n) for n in range(3)],
        "2/papier": [wednesday + timedelta(weeks=4 * n) for n in range(2)],
    }


def csv_of(days: dict[str, list[date]]) -> str:
    lines = ["district,waste_type,date"]
    for key, dates in days.items():
        district, waste_type = key.split("/")
        lines += [f"{district},{waste_type},{day.isoformat()}" for day in dates]
    return "\n".join(lines) + "\n"


def import_file(tmp_path: Path, text: str, slug: str = "musterstadt", encoding: str = "utf-8") -> tuple[str, str]:
    path = tmp_path / "termine.csv"
    path.write_bytes(text.encode(encoding))
    out, err = StringIO(), StringIO()
    call_command("import_waste_dates", slug, str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def imported(districts, upcoming, tmp_path) -> dict[str, list[date]]:
    """The upcoming days, imported through the command."""
    import_file(tmp_path, csv_of(upcoming))
    return upcoming


@pytest.fixture
def smtp(settings):
    from rathaus.testing.peers import smtp_server

    yield from smtp_server(settings)
