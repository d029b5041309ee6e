"""Fairness against bots and slot trading: limits per e-mail address and per connection, and a proof of work
that comes before a limit is reached."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from rathaus.appointments import fairness
from rathaus.appointments.errors import AppointmentError
from rathaus.appointments.models import Booking
from rathaus.appointments.services import booking_cancel, booking_hold

from .conftest import NOW, at

HOST = "musterstadt.localhost"
TIMES = "/termine/buergerbuero-im-rathaus/zeiten/?anliegen=personalausweis"


@pytest.fixture(autouse=True)
def fresh_counters():
    cache.clear()
    yield
    cache.clear()


def hold(office, start, email="erika@example.org", now=NOW):
    return booking_hold(
        location=office, service_keys=["personalausweis"], start=start, name="Erika", email=email, now=now
    )


def solve(token: str, bits: int) -> str:
    n = 0
    while not fairness.solution_valid(token, str(n), bits):
        n += 1
    return str(n)


# --- per e-mail address ----------------------------------------------------------------------------------------


def test_one_address_holds_at_most_three_upcoming_appointments(office, settings):
    settings.RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL = 3
    first = hold(office, at(7, 8))
    hold(office, at(8, 8), email="Erika@Example.org")  # the same address, whatever the case
    hold(office, at(9, 8))
    with translation.override("en"), pytest.raises(AppointmentError, match="as many as one person can book") as no:
        hold(office, at(10, 8))
    assert no.value.code == "too_many_open" and no.value.field == "email"
    booking_cancel(booking=first, now=NOW)
    assert hold(office, at(10, 8)).status == Booking.Status.HELD


def test_lapsed_holds_and_past_appointments_do_not_count(office, settings):
    settings.RATHAUS_APPOINTMENT_MAX_OPEN_PER_EMAIL = 1
    hold(office, at(7, 8))
    later = NOW + timedelta(minutes=31)  # the hold was never confirmed and has lapsed
    assert hold(office, at(8, 8), now=later).status == Booking.Status.HELD


# --- per connection --------------------------------------------------------------------------------------------


def test_too_many_availability_queries_from_one_connection_get_429(office_live, settings):
    settings.RATHAUS_APPOINTMENT_QUERIES_PER_IP = 4
    client = Client(HTTP_HOST=HOST)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    assert [client.get(TIMES).status_code for _ in range(4)] == [200, 200, 200, 200]
    limited = client.get(TIMES)
    assert limited.status_code == 429 and limited["Retry-After"] == "600"
    assert "Please wait ten minutes" in limited.content.decode()
    assert Client(HTTP_HOST=HOST, REMOTE_ADDR="192.0.2.44").get(TIMES).status_code == 200  # others are not hit


def test_too_many_booking_attempts_from_one_connection_get_429(office_live, settings):
    settings.RATHAUS_APPOINTMENT_BOOKINGS_PER_IP = 2
    settings.RATHAUS_APPOINTMENT_POW_BITS = 1
    client = Client(HTTP_HOST=HOST)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    for _ in range(2):
        client.post(TIMES, {"anliegen": "personalausweis", "beginn": "", "name": "E", "email": "e@example.org"})
    typed = {"anliegen": "personalausweis", "beginn": "", "name": "Erika Mustermann", "email": "erika@example.org"}
    response = client.post(TIMES, typed)
    assert response.status_code == 429 and response["Retry-After"] == "600"
    page = response.content.decode()
    assert "Too many booking attempts" in page
    # the form comes back with what was entered, so nothing is lost while waiting
    assert 'value="Erika Mustermann"' in page and 'value="erika@example.org"' in page
    assert not Booking.objects.exists()


# --- proof of work ---------------------------------------------------------------------------------------------


def test_leading_zero_bits_are_counted_over_bytes():
    assert fairness.leading_zero_bits(bytes([0, 0, 0b00010000, 1])) == 19
    assert fairness.leading_zero_bits(bytes([0b10000000])) == 0
    assert fairness.leading_zero_bits(bytes(4)) == 32


def test_a_solved_challenge_is_accepted_once(settings, db):
    settings.RATHAUS_APPOINTMENT_POW_BITS = 8
    challenge = fairness.challenge_new()
    solution = solve(challenge.token, 8)
    fairness.challenge_check(challenge.token, solution)
    with pytest.raises(AppointmentError) as reused:
        fairness.challenge_check(challenge.token, solution)
    assert reused.value.code == "pow"


def test_wrong_or_forged_solutions_are_refused(settings):
    settings.RATHAUS_APPOINTMENT_POW_BITS = 12
    challenge = fairness.challenge_new()
    wrong = next(str(n) for n in range(10_000) if not fairness.solution_valid(challenge.token, str(n), 12))
    for token, solution in [
        (challenge.token, wrong),
        (challenge.token, ""),
        (challenge.token.replace(".12:", ".0:"), "0"),  # an easier difficulty written into the token
        ("not-a-token", "0"),
    ]:
        with pytest.raises(AppointmentError):
            fairness.challenge_check(token, solution)


def test_from_half_of_a_limit_the_form_asks_for_the_proof_of_work(office_live, settings):
    settings.RATHAUS_APPOINTMENT_BOOKINGS_PER_IP = 4
    settings.RATHAUS_APPOINTMENT_POW_BITS = 8
    client = Client(HTTP_HOST=HOST)
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(TIMES).content.decode()
    assert "data-proof-of-work" not in page
    start = re.search(r'name="beginn" value="([^"]+)"', page).group(1)
    for _ in range(2):  # two attempts without a time: half the limit
        client.post(TIMES, {"anliegen": "personalausweis", "name": "Erika", "email": "e@example.org"})
    page = client.get(TIMES).content.decode()
    assert "data-proof-of-work" in page and "proof-of-work.js" in page
    form = {"anliegen": "personalausweis", "beginn": start, "name": "Erika", "email": "e@example.org"}
    refused = client.post(TIMES, form)
    assert refused.status_code == 422
    refused_page = refused.content.decode()
    assert "security check" in refused_page and 'value="Erika"' in refused_page  # nothing typed is lost
    token = re.search(r'name="pow_token" value="([^"]+)"', refused_page).group(1)
    booked = client.post(TIMES, {**form, "pow_token": token, "pow": solve(token, 8)})
    assert booked.status_code == 302
    assert Booking.objects.filter(email="e@example.org").count() == 1
