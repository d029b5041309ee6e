"""The iCalendar feed of a street (RFC 5545): the imported days, all-day, stable UIDs, reminders, caching, errors."""

from datetime import timedelta

import icalendar
import pytest
from django.utils import timezone

from rathaus.waste.models import Collection, District, WasteType

from .conftest import import_file

pytestmark = pytest.mark.reports


def events(response) -> list[icalendar.Event]:
    assert response.status_code == 200, response.content.decode()[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content).walk("VEVENT")


def test_the_feed_of_a_street_holds_the_imported_days_as_all_day_events(client, imported):
    response = client.get("/abfallkalender/hauptstr-12.ics")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert str(calendar["version"]) == "2.0"
    assert "Rathaus" in str(calendar["prodid"])
    assert "Hauptstraße 12" in str(calendar["x-wr-calname"])
    assert "Restmüll, Biomüll" in str(calendar["x-wr-caldesc"])
    assert "Papier" not in str(calendar["x-wr-caldesc"]), "a type never collected in the street is not announced"
    assert calendar["refresh-interval"].to_ical() == b"P1D"
    assert str(calendar["x-published-ttl"]) == "P1D"
    found = sorted((event.decoded("dtstart"), str(event["summary"])) for event in events(response))
    expected = sorted(
        [(day, "Restmüll") for day in imported["1/rest"]] + [(day, "Biomüll") for day in imported["1/bio"]]
    )
    assert found == expected, "district 1's days, not district 2's Papier"
    for event in events(response):
        assert event["dtstart"].params["VALUE"] == "DATE"
        assert event.decoded("dtend") == event.decoded("dtstart") + timedelta(days=1)
        assert "dtstamp" in event
        assert "valarm" not in [component.name.lower() for component in event.subcomponents]


def test_uids_are_stable_across_downloads_and_type_selections(client, imported):
    def uids(url: str) -> dict:
        return {
            (event.decoded("dtstart"), str(event["summary"])): str(event["uid"]) for event in events(client.get(url))
        }

    first = uids("/abfallkalender/hauptstr-12.ics")
    assert len(set(first.values())) == len(first) == 6, "one UID per collection"
    assert uids("/abfallkalender/hauptstr-12.ics") == first
    only_rest = uids("/abfallkalender/hauptstr-12.ics?arten=rest")
    assert only_rest and set(only_rest.items()) <= set(first.items())
    assert {summary for _day, summary in only_rest} == {"Restmüll"}
    with_reminder = uids("/abfallkalender/hauptstr-12.ics?arten=rest,bio&erinnerung=1")
    assert with_reminder == first
    assert uids("/abfallkalender/hauptstr-7.ics") == first, "another house in the same district: the same events"


def test_the_reminder_rings_the_evening_before(client, imported):
    for event in events(client.get("/abfallkalender/hauptstr-12.ics?arten=bio&erinnerung=1")):
        [alarm] = event.walk("VALARM")
        assert str(alarm["action"]) == "DISPLAY"
        assert alarm.decoded("trigger") == -timedelta(hours=6), "18:00 the evening before the all-day event"
        assert "Biomüll" in str(alarm["description"])


def test_a_moved_collection_says_why(client, imported, districts):
    collection = Collection.objects.filter(district=districts["1"]).order_by("day").first()
    collection.planned_day = collection.day - timedelta(days=1)
    collection.save()
    [event] = [
        e for e in events(client.get("/abfallkalender/hauptstr-12.ics")) if e.decoded("dtstart") == collection.day
    ]
    assert "public holiday" in str(event["description"]) or "Feiertag" in str(event["description"])


def test_an_unchanged_feed_answers_304(client, imported, districts):
    response = client.get("/abfallkalender/schlossstr.ics")
    assert response["Cache-Control"] == "public, max-age=3600"
    etag, modified = response["ETag"], response["Last-Modified"]
    assert client.get("/abfallkalender/schlossstr.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get("/abfallkalender/schlossstr.ics", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    collection = Collection.objects.filter(district=districts["1"]).order_by("day").first()
    collection.day -= timedelta(days=1)  # moved by the waste company
    collection.save()
    changed = client.get("/abfallkalender/schlossstr.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_a_removed_day_is_a_change_for_if_modified_since(client, imported, districts, tmp_path):
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Collection.objects.update(updated_at=an_hour_ago)
    District.objects.update(days_changed_at=an_hour_ago)
    WasteType.objects.update(updated_at=an_hour_ago)
    modified = client.get("/abfallkalender/schlossstr.ics")["Last-Modified"]
    assert client.get("/abfallkalender/schlossstr.ics", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    removed = imported["1/rest"][-1]
    moved = removed - timedelta(days=1)  # the file of that year has only this day: the others go
    import_file(tmp_path, f"district,waste_type,date\n1,rest,{moved.isoformat()}\n")
    response = client.get("/abfallkalender/schlossstr.ics", HTTP_IF_MODIFIED_SINCE=modified)
    assert response.status_code == 200, "the import removed days: the newest remaining day alone would say 304"
    assert removed not in [event.decoded("dtstart") for event in events(response)]


@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/abfallkalender/gibtesnicht.ics", 404, "We do not know this street"),
        ("/abfallkalender/hauptstr.ics", 404, "more than one collection district"),
        ("/abfallkalender/hauptstr-12.ics?arten=glas", 400, "Unknown waste type glas"),
    ],
)
def test_unknown_streets_and_types_are_clear_errors(client, imported, url, status, text, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/plain"), "readable for a person who opens the address"
    body = response.content.decode()
    assert text in body
    assert "http://testserver/abfallkalender/" in body, "and where to find the street"


def test_the_street_of_another_municipality_is_not_found(client, imported, beispielhausen):
    response = client.get("/abfallkalender/hauptstr-12.ics", HTTP_HOST="beispielhausen.localhost")
    assert response.status_code == 404
