"""The back office and the one-click decision link: who sees which request, decisions, and that opening a link
never decides anything."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

from rathaus.accounts.models import StaffRole
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.audit.models import AuditEntry
from rathaus.conftest import PASSWORD
from rathaus.payments.models import Payment
from rathaus.reservations.links import reservation_token
from rathaus.reservations.models import Reservation
from rathaus.reservations.services import reservation_cancel, reservation_confirm, reservation_request

from .conftest import NOW, at
from .test_services import MIDDAY, details

HOST = "musterstadt.localhost"


def client() -> Client:
    browser = Client(HTTP_HOST=HOST)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return browser


@pytest.fixture
def requests(waldsee, saal):
    """An open request of the Waldsee, a confirmed one of the Bürgersaal."""
    open_request = reservation_request(resource=waldsee, start=MIDDAY[0], end=MIDDAY[1], details=details(), now=NOW)
    hall = reservation_request(
        resource=saal, start=at(5, 17, 10), end=at(5, 17, 12), details=details(name="Verein"), now=NOW
    )
    return open_request, hall


def detail_url(reservation: Reservation) -> str:
    return f"/verwaltung/reservierungen/{reservation.public_id}/"


def test_staff_see_open_requests_first_and_confirm_one_in_the_back_office(
    requests, karla, staff_log_in, django_capture_on_commit_callbacks
):
    open_request, hall = requests
    browser = client()
    staff_log_in(browser, karla)
    reservation_confirm(reservation=hall, actor=karla, now=NOW)
    page = browser.get("/verwaltung/reservierungen/").content.decode()
    assert page.index("Grillplatz am Waldsee") < page.index("Bürgersaal im Alten Rathaus")  # requested first
    assert "2 reservations" in page
    detail = browser.get(detail_url(open_request)).content.decode()
    assert "Answer the request" in detail and "Heidestraße 17, 61348 Musterstadt" in detail
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(detail_url(open_request) + "bestaetigen/")
    assert response.status_code == 302
    open_request.refresh_from_db()
    assert open_request.status == Reservation.Status.CONFIRMED and open_request.decided_by == karla
    page = browser.get(detail_url(open_request)).content.decode()
    assert "The reservation is confirmed." in page
    assert "Book the payment (transfer or counter)" in page
    response = browser.post(detail_url(open_request) + "bezahlt/", {"referenz": "Kasse 4711"})
    assert response.status_code == 302
    assert Payment.objects.get(public_id=open_request.payment_id).status == Payment.Status.SUCCEEDED
    assert AuditEntry.objects.filter(action="reservation.paid", actor=karla).exists()


def test_staff_cancel_a_confirmed_reservation_and_its_invoice_is_cancelled_with_it(requests, karla, staff_log_in):
    open_request, _hall = requests
    open_request = reservation_confirm(reservation=open_request, actor=karla, now=NOW)
    browser = client()
    staff_log_in(browser, karla)
    response = browser.post(detail_url(open_request) + "stornieren/", {"grund": "Der Platz wird gesperrt."})
    assert response.status_code == 302
    page = browser.get(detail_url(open_request)).content.decode()
    assert "40.00 € (invoice cancelled)" in page
    assert "Book the payment" not in page and "arrange the refund" not in page
    assert Payment.objects.get(public_id=open_request.payment_id).status == Payment.Status.CANCELLED


def test_the_back_office_asks_for_a_refund_when_a_paid_reservation_is_cancelled(requests, karla, staff_log_in):
    open_request, _hall = requests
    open_request = reservation_confirm(reservation=open_request, actor=karla, now=NOW)
    browser = client()
    staff_log_in(browser, karla)
    browser.post(detail_url(open_request) + "bezahlt/", {"referenz": "Kasse 4711"})
    assert "arrange the refund" not in browser.get(detail_url(open_request)).content.decode()
    reservation_cancel(reservation=Reservation.objects.get(pk=open_request.pk), now=NOW)
    page = browser.get(detail_url(open_request)).content.decode()
    assert "had already been paid when the reservation was cancelled. Please arrange the refund" in page
    assert Payment.objects.get(public_id=open_request.payment_id).status == Payment.Status.SUCCEEDED


def test_declining_without_a_reason_is_refused_and_keeps_nothing_lost(requests, karla, staff_log_in):
    open_request, _hall = requests
    browser = client()
    staff_log_in(browser, karla)
    response = browser.post(detail_url(open_request) + "ablehnen/", {"grund": "   "})
    assert response.status_code == 409
    assert "Please write the reason for the citizen" in response.content.decode()
    response = browser.post(detail_url(open_request) + "ablehnen/", {"grund": "x" * 1001})
    assert response.status_code == 409 and "x" * 1001 in response.content.decode()  # what was typed is kept
    response = browser.post(detail_url(open_request) + "ablehnen/", {"grund": "Der Platz wird gemäht."})
    assert response.status_code == 302
    assert Reservation.objects.get(pk=open_request.pk).decision_reason == "Der Platz wird gemäht."


def test_staff_of_other_departments_and_municipalities_get_a_404(
    requests, citizens_office_clerk, staff_log_in, beispielhausen
):
    open_request, _hall = requests
    browser = client()
    staff_log_in(browser, citizens_office_clerk)
    assert browser.get(detail_url(open_request)).status_code == 404
    assert browser.post(detail_url(open_request) + "bestaetigen/").status_code == 404
    assert browser.get("/verwaltung/reservierungen/platz/grillplatz-waldsee/").status_code == 404
    assert "0 reservations" in browser.get("/verwaltung/reservierungen/").content.decode()
    other, _ = user_ensure(username="otto", email="otto@beispielhausen.example", password=PASSWORD)
    staff_role_ensure(user=other, municipality=beispielhausen, role=StaffRole.Role.MUNICIPALITY_ADMIN)
    there = Client(HTTP_HOST="beispielhausen.localhost")
    staff_log_in(there, other)
    assert there.get(detail_url(open_request)).status_code == 404
    assert Reservation.objects.get(pk=open_request.pk).status == Reservation.Status.REQUESTED


def test_the_calendar_of_a_place_shows_its_reservations(requests, karla, staff_log_in):
    browser = client()
    staff_log_in(browser, karla)
    page = browser.get("/verwaltung/reservierungen/platz/grillplatz-waldsee/?monat=2027-05").content.decode()
    assert "10:00–16:00 Erika Mustermann" in page and "Mai 2027" not in page and "May 2027" in page


def test_opening_the_decision_link_changes_nothing_its_form_decides_once(
    requests, karla, django_capture_on_commit_callbacks
):
    open_request, _hall = requests
    link = f"/verwaltung/reservierungen/entscheiden/{reservation_token(open_request, 'decide', staff=karla)}/"
    browser = client()  # no login: the signed link is the key
    page = browser.get(link)
    assert page.status_code == 200 and "You answer as Karla Kultur." in page.content.decode()
    assert browser.get(link).status_code == 200
    assert Reservation.objects.get(pk=open_request.pk).status == Reservation.Status.REQUESTED
    with django_capture_on_commit_callbacks(execute=True):
        done = browser.post(link, {"entscheidung": "bestaetigen"})
    assert done.status_code == 200 and "The citizen has been told by e-mail." in done.content.decode()
    confirmed = Reservation.objects.get(pk=open_request.pk)
    assert confirmed.status == Reservation.Status.CONFIRMED and confirmed.decided_by == karla
    entry = AuditEntry.objects.get(action="reservation.confirmed")
    assert entry.actor == karla and entry.changes["via"] == [None, "link"]
    again = browser.post(link, {"entscheidung": "ablehnen", "grund": "Doch nicht."})
    assert again.status_code == 410 and "the link works only once" in again.content.decode()
    assert Reservation.objects.get(pk=open_request.pk).status == Reservation.Status.CONFIRMED


def test_declining_by_link_needs_a_reason_and_keeps_what_was_typed(requests, karla):
    open_request, _hall = requests
    link = f"/verwaltung/reservierungen/entscheiden/{reservation_token(open_request, 'decide', staff=karla)}/"
    response = client().post(link, {"entscheidung": "ablehnen", "grund": ""})
    assert response.status_code == 409 and "Please write the reason" in response.content.decode()
    assert client().post(link, {"entscheidung": "vielleicht"}).status_code == 422
    assert Reservation.objects.get(pk=open_request.pk).status == Reservation.Status.REQUESTED


def test_forged_links_and_links_of_people_no_longer_responsible_are_refused(requests, karla):
    open_request, _hall = requests
    assert client().get("/verwaltung/reservierungen/entscheiden/eyJyIjoiMSJ9:forged:sig/").status_code == 404
    link = f"/verwaltung/reservierungen/entscheiden/{reservation_token(open_request, 'decide', staff=karla)}/"
    karla.staff_roles.all().delete()
    response = client().post(link, {"entscheidung": "bestaetigen"})
    assert response.status_code == 404
    assert Reservation.objects.get(pk=open_request.pk).status == Reservation.Status.REQUESTED
