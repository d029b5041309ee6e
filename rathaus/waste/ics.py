"""Collection days as iCalendar (RFC 5545): feeds per street and the whole municipality for open data.

Every collection is an all-day VEVENT (DTSTART;VALUE=DATE, DTEND the next day). Its UID is made of the
municipality, district, waste type and day, so it is the same in every download and in every selection of waste
types: a calendar that subscribed updates its entries instead of doubling them. DTSTAMP is the time the collection
was last changed, so the same data gives the same bytes (and the same ETag). The optional reminder (VALARM) rings
at 18:00 the evening before.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from icalendar import Alarm, Calendar, Event, vDuration

if TYPE_CHECKING:
    from rathaus.tenants.models import Municipality

    from .models import Collection

REFRESH = timedelta(days=1)
# All-day events start at midnight (floating); six hours before that is 18:00 the evening before.
REMINDER_BEFORE = timedelta(hours=6)


def collection_uid(municipality: Municipality, collection: Collection) -> str:
    return (
        f"{collection.day:%Y%m%d}-{collection.waste_type.code}-{collection.district.code.lower()}"
        f"@{municipality.slug}.abfallkalender.rathaus"
    )


def _description(collection: Collection) -> str:
    lines = []
    if collection.planned_day:
        lines.append(
            _("Moved because of a public holiday (regular day: %(day)s).")
            % {"day": f"{collection.planned_day:%d.%m.%Y}"}
        )
    if collection.waste_type.hint:
        lines.append(collection.waste_type.hint)
    return "\n".join(lines)


def collections_ics(
    *,
    municipality: Municipality,
    collections: list[Collection],
    name: str,
    description: str,
    reminder: bool,
    with_district: bool = False,
) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Rathaus//Abfallkalender//DE")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-caldesc", description)
    calendar.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for collection in collections:
        event = Event()
        event.add("uid", collection_uid(municipality, collection))
        event.add("dtstamp", collection.updated_at)
        event.add("dtstart", collection.day)
        event.add("dtend", collection.day + timedelta(days=1))
        summary = collection.waste_type.name
        if with_district:
            summary = f"{summary} – {collection.district}"
        event.add("summary", summary)
        text = _description(collection)
        if text:
            event.add("description", text)
        event.add("categories", [collection.waste_type.name])
        event.add("transp", "TRANSPARENT")
        if reminder:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -REMINDER_BEFORE)
            alarm.add("description", _("Tomorrow: %(type)s") % {"type": collection.waste_type.name})
            event.add_component(alarm)
        calendar.add_component(event)
    return calendar.to_ical()
