"""The citizen pages without a browser: the whole way from concerns to cancellation, and the refusals."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from rathaus.appointments.links import booking_token
from rathaus.appointments.models import Booking

HOST = "musterstadt.localhost"


@pytest.fixture
def client_en() -> Client:
    client = Client(HTTP_HOST=HOST)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def first_free_time(page: str) -> str:
    match = re.search(r'name="beginn" value="([^"]+)"', page)
    assert match, page
    return match.group(1)


def test_one_office_leads_straight_to_its_concerns_with_the_preselection(office_live, client_en):
    response = client_en.get("/termine/?anliegen=personalausweis")
    assert response.status_code == 302
    assert response["Location"] == "/termine/buergerbuero-im-rathaus/?anliegen=personalausweis"
    page = client_en.get(response["Location"]).content.decode()
    assert re.search(r'value="personalausweis" checked', page)
    assert "Apply for a passport" in page and "parking" not in page


def test_no_concern_chosen_is_explained(office_live, client_en):
    response = client_en.get("/termine/buergerbuero-im-rathaus/zeiten/")
    assert response.status_code == 422
    assert "Please choose at least one concern." in response.content.decode()


def test_book_confirm_and_cancel_through_the_pages(office_live, client_en, django_capture_on_commit_callbacks):
    url = "/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis&anliegen=reisepass"
    page = client_en.get(url).content.decode()
    assert "about 40 minutes" in page
    start = first_free_time(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(
            url, {"anliegen": ["personalausweis", "reisepass"], "beginn": start, "name": "Erika", "email": "e@x.org"}
        )
    assert response.status_code == 302 and response["Location"] == "/termine/vorgemerkt/"
    assert "We have sent an e-mail to e@x.org" in client_en.get("/termine/vorgemerkt/").content.decode()
    booking = Booking.objects.get()
    confirm = f"/termine/bestaetigen/{booking_token(booking, 'confirm')}/"
    assert "Confirm appointment" in client_en.get(confirm).content.decode()
    assert Booking.objects.get().status == Booking.Status.HELD  # opening the link alone confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(confirm)
    manage = response["Location"]
    page = client_en.get(manage).content.decode()
    assert "Your appointment is confirmed." in page
    assert "Your current passport, even if expired" in page  # the Mitbringliste (texts of the definitions)
    ics = client_en.get(manage + "termin.ics")
    assert ics["Content-Type"] == "text/calendar" and b"BEGIN:VEVENT" in ics.content
    cancel = manage + "absagen/"
    assert "Do you really want to cancel" in client_en.get(cancel).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_en.post(cancel)
    assert response.status_code == 200 and "Your appointment has been cancelled." in response.content.decode()
    reused = client_en.post(cancel)
    assert reused.status_code == 410
    assert "already been used" in reused.content.decode()
    assert Booking.objects.get().status == Booking.Status.CANCELLED


def test_a_cancelled_appointment_says_abgesagt_in_german(office_live, client_en, django_capture_on_commit_callbacks):
    url = "/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis"
    start = first_free_time(client_en.get(url).content.decode())
    client_en.post(url, {"anliegen": ["personalausweis"], "beginn": start, "name": "Erika", "email": "e@x.org"})
    german = Client(HTTP_HOST=HOST)
    german.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    manage = german.post(f"/termine/bestaetigen/{booking_token(Booking.objects.get(), 'confirm')}/")["Location"]
    page = german.post(manage + "absagen/").content.decode()
    assert "Ihr Termin wurde abgesagt." in page
    assert re.search(r"<dd[^>]*>\s*Abgesagt\s*</dd>", page) and "Abgebrochen" not in page  # not a payment's word


def test_a_forged_link_is_refused(office_live, client_en):
    response = client_en.get("/termine/termin/eyJiIjoiMSJ9:forged:signature/")
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (lambda: timezone.localtime() - timedelta(days=1), "already passed"),
        (lambda: (timezone.localtime() + timedelta(days=3)).replace(hour=3, minute=0), "outside the opening hours"),
        (lambda: "morgen früh", "Please choose a time."),
    ],
)
def test_bad_times_posted_to_the_form_are_refused(office_live, client_en, start, message):
    value = start()
    url = "/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis"
    response = client_en.post(
        url, {"beginn": value if isinstance(value, str) else value.isoformat(), "name": "E", "email": "e@x.org"}
    )
    assert response.status_code in (409, 422)
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_missing_name_and_email_are_shown_at_their_fields(office_live, client_en):
    url = "/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis"
    start = first_free_time(client_en.get(url).content.decode())
    response = client_en.post(url, {"beginn": start, "name": "", "email": ""})
    page = response.content.decode()
    assert response.status_code == 422
    assert 'href="#name">Please enter your name.' in page
    assert 'id="name" name="name" value="" autocomplete="name" maxlength="200" aria-invalid="true"' in page
