"""The printable year calendar of a place as PDF (A4 landscape, half a year per page, the bins in colour)."""

from __future__ import annotations

from calendar import monthrange
from datetime import date
from typing import TYPE_CHECKING

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from rathaus.letters.pdf import html_to_pdf_a

from .models import Collection, WasteType
from .selectors import Place

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality


def _half(year: int, months: range, by_day: dict[date, list[Collection]]) -> list[list[dict | None]]:
    """31 rows, one column per month: each cell the day and its collections (None past the month's end)."""
    rows: list[list[dict | None]] = []
    for number in range(1, 32):
        row: list[dict | None] = []
        for month in months:
            if number > monthrange(year, month)[1]:
                row.append(None)
                continue
            day = date(year, month, number)
            row.append({"day": day, "weekend": day.weekday() >= 5, "collections": by_day.get(day, [])})
        rows.append(row)
    return rows


def year_pdf(
    *, municipality: Municipality, place: Place, year: int, collections: list[Collection], types: list[WasteType]
) -> bytes:
    by_day: dict[date, list[Collection]] = {}
    for collection in collections:
        by_day.setdefault(collection.day, []).append(collection)
    present = {collection.waste_type_id for collection in collections}
    title = _("Waste calendar %(year)s: %(place)s") % {"year": year, "place": place.label}
    pages = [
        {"months": [date(year, month, 1) for month in months], "rows": _half(year, months, by_day)}
        for months in (range(1, 7), range(7, 13))
    ]
    html = render_to_string(
        "waste/year.pdf.html",
        {
            "municipality": municipality,
            "place": place,
            "year": year,
            "title": title,
            "pages": pages,
            "types": [waste_type for waste_type in types if waste_type.pk in present],
            "on_request": [
                waste_type for waste_type in types if waste_type.on_request and waste_type.pk not in present
            ],
            "moved": [collection for collection in collections if collection.planned_day],
        },
    )
    return html_to_pdf_a(html=html, title=title, author=municipality.name)
