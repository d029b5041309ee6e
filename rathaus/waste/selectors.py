"""Reads of the waste calendar, always within one municipality: streets, their district, the collection days."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext as _

from rathaus.catalog.selectors import service_get
from rathaus.core.addresses import house_numbers, street_and_number, street_key
from rathaus.core.errors import Refusal

from .ics import collections_ics
from .models import Collection, District, DistrictStreet, WasteType
from .streets import StreetMatch, StreetName, streets_rank

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality

# A feed address: the street's normalised name, and for a street split between districts the house number.
TOKEN = re.compile(r"^(?P<key>[a-z0-9]{1,150})(?:-(?P<number>[0-9]{1,5}[a-z]?))?$")


class PlaceError(Refusal):
    """A street or house number the calendar does not know; str() is translated and meant for the citizen."""

    def __init__(self, message: str, *, code: str, field: str = "strasse") -> None:
        super().__init__(message, code=code, field=field)


@dataclass(frozen=True)
class Place:
    """A street, or a house number in a street split between districts, with its collection district."""

    street: str  # as signposted
    number: str  # the house number as given ("12a"), "" for an undivided street
    district: District

    @property
    def token(self) -> str:
        key = street_key(self.street)
        return f"{key}-{self.number.lower()}" if self.number else key

    @property
    def label(self) -> str:
        return f"{self.street} {self.number}" if self.number else self.street


@dataclass
class TypeDates:
    """The next collections of one waste type at a place (or that it is collected on request)."""

    waste_type: WasteType
    collections: list[Collection] = field(default_factory=list)
    request_url: str = ""


def street_names(*, municipality: Municipality) -> list[StreetName]:
    """Every street of the municipality's districts once, by its signposted name."""
    names: dict[str, str] = {}
    for key, name in (
        DistrictStreet.objects.filter(district__municipality=municipality)
        .order_by("street_key", "pk")
        .values_list("street_key", "street")
    ):
        names.setdefault(key, name)
    return [StreetName(key=key, name=name) for key, name in sorted(names.items(), key=lambda item: item[1])]


def street_search(*, municipality: Municipality, query: str) -> list[StreetMatch]:
    """The streets that `query` may mean, best first; spelling variants and typos are tolerated."""
    return streets_rank(street_names(municipality=municipality), query)


def _segments(municipality: Municipality, key: str) -> list[DistrictStreet]:
    return list(
        DistrictStreet.objects.filter(district__municipality=municipality, street_key=key)
        .select_related("district")
        .order_by("district__code", "pk")
    )


def street_is_split(*, municipality: Municipality, key: str) -> bool:
    """True when the street's house numbers belong to different districts (the citizen must give the number)."""
    segments = _segments(municipality, key)
    return any(not segment.whole_street for segment in segments) or len({s.district_id for s in segments}) > 1


def place_resolve(*, municipality: Municipality, street: str, number: str = "") -> Place:
    """The district of the street (and house number, where the street is split). Raises PlaceError."""
    street, number = street_and_number(street, number)
    segments = _segments(municipality, street_key(street))
    if not segments:
        raise PlaceError(
            _("We do not know a street “%(street)s” in %(municipality)s.")
            % {"street": street, "municipality": municipality.name},
            code="unknown_street",
        )
    name = segments[0].street
    split = any(not segment.whole_street for segment in segments) or len({s.district_id for s in segments}) > 1
    if not split:
        return Place(street=name, number="", district=segments[0].district)
    if not number:
        raise PlaceError(
            _("%(street)s belongs to more than one collection district. Please enter your house number.")
            % {"street": name},
            code="number_needed",
            field="hausnummer",
        )
    numbers = house_numbers(number)
    if numbers is None:
        raise PlaceError(
            _("%(number)s is not a house number such as 12 or 12a.") % {"number": number},
            code="number_invalid",
            field="hausnummer",
        )
    for segment in segments:
        if segment.covers(numbers):
            compact = re.sub(r"\s+", "", number).lower()
            return Place(street=name, number=compact, district=segment.district)
    raise PlaceError(
        _("We have no collection district for %(street)s %(number)s. Please check the house number.")
        % {"street": name, "number": number},
        code="number_unknown",
        field="hausnummer",
    )


def place_from_token(*, municipality: Municipality, token: str) -> Place:
    """The place of a feed or page address (Place.token). Raises PlaceError for one that names no place."""
    match = TOKEN.match(token)
    if match is None:
        raise PlaceError(_("This address names no street."), code="unknown_street")
    segments = _segments(municipality, match["key"])
    if not segments:
        raise PlaceError(
            _("We do not know this street in %(municipality)s.") % {"municipality": municipality.name},
            code="unknown_street",
        )
    return place_resolve(municipality=municipality, street=segments[0].street, number=match["number"] or "")


def waste_type_list(*, municipality: Municipality) -> list[WasteType]:
    return list(WasteType.objects.filter(municipality=municipality).order_by("position", "code"))


def waste_types_at(*, municipality: Municipality, place: Place) -> list[WasteType]:
    """The waste types that have collection days at the place (what a feed can carry)."""
    present = set(Collection.objects.filter(district=place.district).values_list("waste_type_id", flat=True))
    return [waste_type for waste_type in waste_type_list(municipality=municipality) if waste_type.pk in present]


def waste_types_from_codes(*, municipality: Municipality, codes: list[str]) -> list[WasteType]:
    """The waste types named by `codes` (all for none). Raises PlaceError(code="unknown_type") for others."""
    types = waste_type_list(municipality=municipality)
    wanted = [code.strip().lower() for code in codes if code.strip()]
    if not wanted:
        return types
    known = {waste_type.code: waste_type for waste_type in types}
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise PlaceError(
            _("Unknown waste type %(codes)s. Known are: %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(known)},
            code="unknown_type",
            field="arten",
        )
    return [waste_type for waste_type in types if waste_type.code in wanted]


def _collections(district: District, types: list[WasteType] | None, first: date, last: date | None = None):
    collections = Collection.objects.filter(district=district, day__gte=first).select_related("waste_type", "district")
    if last is not None:
        collections = collections.filter(day__lte=last)
    if types is not None:
        collections = collections.filter(waste_type__in=types)
    return collections.order_by("day", "waste_type__position", "waste_type__code")


def next_collections(*, municipality: Municipality, place: Place, today: date, per_type: int = 3) -> list[TypeDates]:
    """The next `per_type` collections of every waste type at the place; types on request link to their service."""
    result = []
    for waste_type in waste_type_list(municipality=municipality):
        dates = TypeDates(waste_type=waste_type)
        dates.collections = list(_collections(place.district, [waste_type], today).order_by("day")[:per_type])
        if waste_type.on_request and waste_type.request_service_key:
            service = service_get(municipality=municipality, key=waste_type.request_service_key)
            if service is not None:
                dates.request_url = reverse("catalog:service_detail", args=[service.key])
        if dates.collections or waste_type.on_request:
            result.append(dates)
    return result


def year_collections(*, place: Place, year: int, types: list[WasteType] | None = None) -> list[Collection]:
    return list(_collections(place.district, types, date(year, 1, 1), date(year, 12, 31)))


def years_with_collections(*, place: Place) -> list[int]:
    days = Collection.objects.filter(district=place.district).dates("day", "year")
    return [day.year for day in days]


@dataclass(frozen=True)
class Month:
    first: date
    days: list[tuple[date, list[Collection]]]


def months_of(year: int, collections: list[Collection]) -> list[Month]:
    """The year as twelve months with the collection days of each (for the year view and the PDF)."""
    by_day: dict[date, list[Collection]] = {}
    for collection in collections:
        by_day.setdefault(collection.day, []).append(collection)
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        months.append(Month(first, [(day, items) for day, items in sorted(by_day.items()) if day.month == month]))
    return months


# --- feeds ----------------------------------------------------------------------------------------------------

FEED_DAYS_BACK = 31  # a feed carries the last month too, so yesterday's collection does not vanish at once


def place_feed(
    *, municipality: Municipality, place: Place, types: list[WasteType], reminder: bool, today: date
) -> tuple[bytes, datetime | None]:
    """The iCalendar feed of the place for the chosen types, and when its content last changed."""
    collections = list(_collections(place.district, types, today - timedelta(days=FEED_DAYS_BACK)))
    name = _("Waste collection %(place)s, %(municipality)s") % {"place": place.label, "municipality": municipality.name}
    description = _("Collection days of %(types)s (district %(district)s)") % {
        "types": ", ".join(waste_type.name for waste_type in types),
        "district": str(place.district),
    }
    body = collections_ics(
        municipality=municipality, collections=collections, name=name, description=description, reminder=reminder
    )
    return body, _last_modified(place.district, collections, types)


def _last_modified(district: District, collections: list[Collection], types: list[WasteType]) -> datetime | None:
    stamps = [collection.updated_at for collection in collections] + [waste_type.updated_at for waste_type in types]
    district.refresh_from_db(fields=["days_changed_at"])
    if district.days_changed_at:
        stamps.append(district.days_changed_at)
    return max(stamps) if stamps else None


def municipality_calendar_ics(
    *, municipality: Municipality, types: list[WasteType] | None = None, since: date | None = None
) -> bytes:
    """Every collection of the municipality (all districts) as one iCalendar, for the open data portal. The UIDs are
    those of the street feeds."""
    collections = Collection.objects.filter(district__municipality=municipality).select_related(
        "waste_type", "district"
    )
    if types is not None:
        collections = collections.filter(waste_type__in=types)
    if since is not None:
        collections = collections.filter(day__gte=since)
    return collections_ics(
        municipality=municipality,
        collections=list(collections.order_by("day", "district__code", "waste_type__position")),
        name=_("Waste collection %(municipality)s") % {"municipality": municipality.name},
        description=_("Collection days of all districts"),
        reminder=False,
        with_district=True,
    )


CSV_COLUMNS = ["district", "district_name", "waste_type", "waste_type_name", "date", "regular_date"]


def collection_dates_csv(*, municipality: Municipality) -> str:
    """Every collection of the municipality as CSV (UTF-8, comma, header row), for the open data portal.

    Columns: district, district_name, waste_type, waste_type_name, date (ISO 8601), regular_date (the planned day
    when a public holiday moved the collection, else empty). The first three columns are the import format.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    collections = (
        Collection.objects.filter(district__municipality=municipality)
        .select_related("waste_type", "district")
        .order_by("day", "district__code", "waste_type__position", "waste_type__code")
    )
    for collection in collections:
        writer.writerow(
            [
                collection.district.code,
                collection.district.name,
                collection.waste_type.code,
                collection.waste_type.name,
                collection.day.isoformat(),
                collection.planned_day.isoformat() if collection.planned_day else "",
            ]
        )
    return buffer.getvalue()


def collections_changed_at(*, municipality: Municipality) -> datetime | None:
    """When the municipality's collection days last changed (for the portal's dataset metadata)."""
    return Collection.objects.filter(district__municipality=municipality).aggregate(latest=Max("updated_at"))["latest"]


def calendar_offered(*, municipality: Municipality) -> bool:
    """Whether the municipality has set up its waste calendar (for links to it)."""
    return DistrictStreet.objects.filter(district__municipality=municipality).exists()
