"""The citizen pages without a browser: from the catalogue through the calendar to the request, the cancel link,
and the refusals; the form keeps what was typed."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rathaus.reservations.links import reservation_token
from rathaus.reservations.models import Reservation

HOST = "musterstadt.localhost"
WALDSEE = "/reservierungen/grillplatz-waldsee/"


@pytest.fixture
def client_en() -> Client:
    client = Client(HTTP_HOST=HOST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def first_window_link(page: str) -> str:
    match = re.search(r'href="(/reservierungen/grillplatz-waldsee/anfragen/\?tag=[^"]+)"', page)
    assert match, page
    return html.unescape(match.group(1))


def form(link: str, **changes: str) -> dict[str, str]:
    query = parse_qs(urlsplit(link).query)
    values = {
        "tag": query["tag"][0],
        "zeit": query["zeit"][0],
        "name": "Erika Mustermann",
        "strasse": "Heidestraße 17",
        "plz": "61348",
        "ort": "Musterstadt",
        "email": "erika@example.org",
        "telefon": "06172 123456",
        "personen": "25",
        "anlass": "birthday",
        "bemerkungen": "Wir bringen einen eigenen Grill mit.",
        "regeln": "1",
    }
    return {**values, **changes}


def test_the_catalogue_service_leads_to_the_places_and_has_no_form_of_its_own(catalog, places, client_en):
    detail = client_en.get("/leistungen/grillplatzreservierung/").content.decode()
    assert "See free times" in detail and "free of charge" not in detail
    start = client_en.get("/leistungen/grillplatzreservierung/start/").content.decode()
    assert 'href="/reservierungen/?leistung=grillplatzreservierung"' in start
    assert "Start the application" not in start
    page = client_en.get("/reservierungen/?leistung=grillplatzreservierung").content.decode()
    assert "Grillplatz am Waldsee" in page and "Grillhütte am Lindenberg" in page and "Bürgersaal" not in page
    assert "40.00 € per day" in page


def test_the_calendar_shows_free_windows_as_links_in_a_table(waldsee_all_year, client_en):
    page = client_en.get(WALDSEE).content.decode()
    assert '<th class="kern-table__header" scope="col"><abbr title="Monday">Mon</abbr></th>' in page
    link = first_window_link(page)
    assert "zeit=" in link and "T10%3A00%3A00" in link  # the midday window, as an ISO 8601 interval


def test_out_of_season_the_calendar_says_when_requests_are_possible(waldsee, client_en):
    month = (timezone.localdate().month + 5) % 12 + 1  # half a year away, so not within the next 30 days
    waldsee.season_first_month = waldsee.season_last_month = month
    waldsee.horizon_days = 30
    waldsee.save()
    page = client_en.get(WALDSEE).content.decode()
    assert "There are no free times in this month. Requests are possible for days from" in page
    assert "anfragen/?tag=" not in page


def test_request_from_the_calendar_and_cancel_with_the_link(
    waldsee_all_year, client_en, django_capture_on_commit_callbacks
):
    link = first_window_link(client_en.get(WALDSEE).content.decode())
    page = client_en.get(link)
    assert page.status_code == 200
    assert "checked" in page.content.decode()  # the window chosen in the calendar
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(link, form(link))
    assert response.status_code == 302 and response["Location"] == "/reservierungen/angefragt/"
    requested = client_en.get("/reservierungen/angefragt/").content.decode()
    assert "We are holding this time for you." in requested and "erika@example.org" in requested
    reservation = Reservation.objects.get()
    assert reservation.remarks == "Wir bringen einen eigenen Grill mit."
    manage = f"/reservierungen/r/{reservation_token(reservation, 'manage')}/"
    assert "Withdraw the request" in client_en.get(manage).content.decode()
    assert client_en.get(manage + "reservierung.ics").status_code == 404  # only a confirmed one goes into calendars
    cancel = manage + "absagen/"
    assert "Do you really want to cancel?" in client_en.get(cancel).content.decode()
    assert Reservation.objects.get().status == Reservation.Status.REQUESTED  # opening the link changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(cancel)
    assert response.status_code == 200 and "has been cancelled" in response.content.decode()
    reused = client_en.post(cancel)
    assert reused.status_code == 410 and "already been used" in reused.content.decode()
    assert Reservation.objects.get().status == Reservation.Status.CANCELLED


def test_a_failed_request_keeps_everything_typed_and_names_each_problem(waldsee_all_year, client_en):
    link = first_window_link(client_en.get(WALDSEE).content.decode())
    response = client_en.post(link, form(link, personen="41", telefon="", plz="abc", regeln=""))
    page = response.content.decode()
    assert response.status_code == 422
    assert 'href="#personen">Grillplatz am Waldsee holds at most 40 persons.' in page
    assert 'href="#telefon">Please enter a phone number' in page
    assert 'href="#plz">Please enter a postal code of five digits.' in page
    assert 'href="#regeln">Please confirm that you will keep the rules of use.' in page
    assert (
        'value="Erika Mustermann"' in page and 'value="41"' in page and "Wir bringen einen eigenen Grill mit." in page
    )
    assert 'value="birthday" selected' in page
    assert not Reservation.objects.exists()


def test_the_same_window_twice_is_refused_with_the_form_kept(waldsee_all_year, client_en):
    link = first_window_link(client_en.get(WALDSEE).content.decode())
    assert client_en.post(link, form(link)).status_code == 302
    again = client_en.post(link, form(link, email="max@example.org", name="Max"))
    assert again.status_code == 409
    assert "This time has just been taken." in again.content.decode() and 'value="Max"' in again.content.decode()
    assert Reservation.objects.count() == 1


@pytest.mark.parametrize(
    ("zeit", "status", "message"),
    [
        ("2020-06-01T10:00:00+02:00/2020-06-01T16:00:00+02:00", 409, "already passed"),
        ("morgen mittag", 422, "Please choose a time."),
    ],
)
def test_bad_times_posted_to_the_form_are_refused(waldsee_all_year, client_en, zeit, status, message):
    link = first_window_link(client_en.get(WALDSEE).content.decode())
    response = client_en.post(link, form(link, zeit=zeit))
    assert response.status_code == status
    assert message in response.content.decode()
    assert not Reservation.objects.exists()


def test_a_room_is_requested_with_a_start_and_a_duration(saal, client_en):
    saal.lead_days = 1
    saal.save(update_fields=["lead_days"])
    page = client_en.get("/reservierungen/buergersaal/").content.decode()
    day = re.search(r'href="/reservierungen/buergersaal/anfragen/\?tag=([0-9-]+)"', page)
    assert day, page
    request_page = client_en.get(f"/reservierungen/buergersaal/anfragen/?tag={day.group(1)}").content.decode()
    assert '<select class="kern-form-input__select" id="dauer" name="dauer"' in request_page
    start = re.search(r'name="zeit" value="([^"]+)"', request_page).group(1)  # type: ignore[union-attr]
    response = client_en.post(
        f"/reservierungen/buergersaal/anfragen/?tag={day.group(1)}",
        {**form(f"?tag={day.group(1)}&zeit={start}", zeit=start), "dauer": "180", "anlass": "meeting", "regeln": "1"},
    )
    assert response.status_code == 302, response.content.decode()
    reservation = Reservation.objects.get()
    assert reservation.minutes == 180 and str(reservation.fee) == "45.00"


def test_forged_links_are_refused(waldsee, client_en):
    response = client_en.get("/reservierungen/r/eyJyIjoiMSJ9:forged:signature/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client_en.post("/reservierungen/r/eyJyIjoiMSJ9:forged:signature/absagen/").status_code == 404


def test_other_municipalities_do_not_see_the_places(waldsee, beispielhausen):
    there = Client(HTTP_HOST="beispielhausen.localhost")
    assert there.get(WALDSEE).status_code == 404
    assert "Waldsee" not in there.get("/reservierungen/").content.decode()


def test_many_requests_from_one_connection_are_slowed_down(waldsee_all_year, client_en, monkeypatch):
    from rathaus.core.ratelimit import Limit
    from rathaus.reservations import views

    monkeypatch.setattr(views, "REQUEST_LIMIT", Limit(scope="reservations.request.test", limit=1, window=60))
    link = first_window_link(client_en.get(WALDSEE).content.decode())
    assert client_en.post(link, form(link, personen="99")).status_code == 422  # counted, though refused
    response = client_en.post(link, form(link))
    assert response.status_code == 429
    assert "Too many requests came from your connection." in response.content.decode()
    assert not Reservation.objects.exists()
