"""The citizen's pages: find the street (typo-tolerant, house number only for split streets), next days, year,
subscription, printable PDF; and the open data selectors."""

import io
from datetime import date

import icalendar
import pytest
from pypdf import PdfReader

from rathaus.analytics.models import Event
from rathaus.waste.selectors import collection_dates_csv, municipality_calendar_ics

pytestmark = pytest.mark.reports


def test_a_misspelt_street_is_found(client, imported):
    response = client.get("/abfallkalender/", {"strasse": "Schlosstrase"})
    assert response.status_code == 302
    assert response["Location"] == "/abfallkalender/schlossstr/"


def test_hauptstrase_finds_hauptstrasse_and_asks_the_house_number_of_the_split_street(client, imported):
    page = client.get("/abfallkalender/", {"strasse": "Hauptstrase"}).content.decode()
    assert 'value="Hauptstraße"' in page
    assert 'id="hausnummer"' in page, "the street is split between districts"
    response = client.get("/abfallkalender/", {"strasse": "Hauptstrase", "hausnummer": "12a"})
    assert response["Location"] == "/abfallkalender/hauptstr-12a/"
    response = client.get("/abfallkalender/", {"strasse": "Hauptstraße 60"})
    assert response["Location"] == "/abfallkalender/hauptstr-60/", "the number typed into the street field"


def test_a_street_that_is_not_split_asks_no_house_number(client, imported):
    response = client.get("/abfallkalender/", {"strasse": "Mühlweg", "hausnummer": "3"})
    assert response["Location"] == "/abfallkalender/muehlweg/"


def test_typos_offer_did_you_mean_and_nothing_found_is_said(client, imported):
    page = client.get("/abfallkalender/", {"strasse": "Lindenaleee"})
    assert page.status_code == 302 and page["Location"] == "/abfallkalender/lindenallee/"
    page = client.get("/abfallkalender/", {"strasse": "Ringstraße"}).content.decode()
    assert 'aria-invalid="true"' in page and "Ringstraße" in page, "the typed street is kept"
    page = client.get("/abfallkalender/", {"strasse": ""}).content.decode()
    assert 'aria-invalid="true"' in page


def test_an_unknown_house_number_is_named(client, imported):
    page = client.get("/abfallkalender/", {"strasse": "Hauptstraße", "hausnummer": "zwölf"}).content.decode()
    assert 'id="hausnummer-error"' in page and 'value="zwölf"' in page


def test_the_street_page_shows_the_next_days_and_sperrmuell_on_request(client, imported, catalog):
    response = client.get("/abfallkalender/hauptstr-12/")
    page = response.content.decode()
    first_rest = imported["1/rest"][0]
    assert f"{first_rest.day}." in page and "Restmüll" in page and "Biomüll" in page
    assert "Papier" not in page, "Papier is district 2's"
    assert "/leistungen/sperrmuellanmeldung/" in page
    assert client.get("/abfallkalender/hauptstr/").status_code == 404
    assert client.get("/abfallkalender/hauptstr-999999/").status_code in (404,)
    assert client.get("/abfallkalender/gibtesnicht/").status_code == 404


def test_the_year_view_lists_the_days(client, imported):
    day = imported["2/papier"][0]
    page = client.get(f"/abfallkalender/muehlweg/{day.year}/").content.decode()
    assert "Papier" in page
    assert client.get("/abfallkalender/muehlweg/1800/").status_code == 404


def test_the_printable_year_renders_as_pdf(client, imported, musterstadt, django_capture_on_commit_callbacks):
    day = imported["1/rest"][0]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(f"/abfallkalender/hauptstr-12/{day.year}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) == 2, "half a year per page"
    assert "Hauptstraße 12" in text and "Restmüll" in text and "Altstadt" in text
    assert Event.objects.filter(name="waste_calendar_pdf", municipality=musterstadt).count() == 1


def test_subscribing_shows_the_feed_address_and_counts_the_chosen_types(
    client, imported, musterstadt, django_capture_on_commit_callbacks
):
    page = client.get("/abfallkalender/hauptstr-12/abonnieren/").content.decode()
    assert page.count('id="art-') == 2, "only the types collected here"
    with django_capture_on_commit_callbacks(execute=True):
        page = client.get(
            "/abfallkalender/hauptstr-12/abonnieren/", {"zeigen": "1", "arten": ["rest"], "erinnerung": "1"}
        ).content.decode()
    assert "http://testserver/abfallkalender/hauptstr-12.ics?arten=rest&amp;erinnerung=1" in page
    assert "webcal://testserver/abfallkalender/hauptstr-12.ics" in page
    [event] = Event.objects.filter(name="waste_calendar_subscribed")
    assert event.dimensions == {"waste_types": "rest", "method": "ics"}
    page = client.get("/abfallkalender/hauptstr-12/abonnieren/", {"zeigen": "1"}).content.decode()
    assert "aria-invalid" in page or "kern-fieldset--error" in page, "no type chosen"


def test_open_data_gets_every_day_of_the_municipality_as_csv_and_ics(imported, musterstadt, beispielhausen):
    rows = collection_dates_csv(municipality=musterstadt).splitlines()
    assert rows[0] == "district,district_name,waste_type,waste_type_name,date,regular_date"
    assert len(rows) == 1 + 8
    assert f"1,Altstadt,rest,Restmüll,{imported['1/rest'][0].isoformat()}," in rows
    calendar = icalendar.Calendar.from_ical(municipality_calendar_ics(municipality=musterstadt))
    assert len(calendar.walk("VEVENT")) == 8
    assert collection_dates_csv(municipality=beispielhausen).splitlines() == rows[:1]
    assert isinstance(imported["1/rest"][0], date)


def test_the_collection_days_are_published_as_a_dataset_only_where_there_are_some(
    imported, musterstadt, beispielhausen
):
    from rathaus.opendata import tasks
    from rathaus.opendata.models import Dataset

    assert tasks.refresh_all(keys=["abfuhrtermine"]) == {"created": 1, "changed": 0, "unchanged": 0, "nothing": 1}
    dataset = Dataset.objects.get(organization__municipality=musterstadt, generator="abfuhrtermine")
    formats = {resource.format: resource for resource in dataset.resources.all()}
    assert set(formats) == {"CSV", "ICS"}
    with formats["CSV"].file.open("rb") as stream:
        assert stream.read().decode() == collection_dates_csv(municipality=musterstadt)
    with formats["ICS"].file.open("rb") as stream:
        assert len(icalendar.Calendar.from_ical(stream.read()).walk("VEVENT")) == 8
    assert not Dataset.objects.filter(organization__municipality=beispielhausen, generator="abfuhrtermine").exists()
