"""The citizen's lookup: a ready number is answered; unknown and in production look the same; guessing is stopped."""

import re

import pytest

from rathaus.analytics.models import Event
from rathaus.idstatus.models import DocumentStatus
from rathaus.idstatus.views import MISSES

from .conftest import IN_PRODUCTION, PASSPORT_READY, READY

pytestmark = pytest.mark.reports


def ask(client, number: str, **extra):
    return client.post("/ausweisstatus/", {"nummer": number}, **extra)


def answer(response) -> str:
    page = response.content.decode()
    for code, text in (
        ("ready", "Ihr Dokument liegt zur Abholung bereit"),
        ("picked_up", "Dieses Dokument wurde bereits abgeholt"),
        ("not_ready", "Ihr Dokument ist noch nicht abholbereit"),
    ):
        if text in page:
            return code
    return ""


def test_a_known_number_is_answered(client, statuses, django_capture_on_commit_callbacks, musterstadt):
    assert client.get("/ausweisstatus/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, "l01x 00t47")
    assert response.status_code == 200
    assert answer(response) == "ready"
    assert answer(ask(client, PASSPORT_READY)) == "ready"
    [event] = Event.objects.filter(name="id_status_looked_up")
    assert event.dimensions == {"result": "ready"}, "the result code, never the number"


def test_unknown_and_in_production_get_the_same_answer(client, statuses):
    def page(number: str) -> str:
        text = ask(client, number).content.decode().replace(number, "N")
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert answer(ask(client, IN_PRODUCTION)) == answer(ask(client, "L01X00T69")) == "not_ready"
    assert page(IN_PRODUCTION) == page("L01X00T69"), "not one byte differs but the number typed"


def test_picked_up_is_said(client, statuses, musterstadt):
    DocumentStatus.objects.filter(municipality=musterstadt, number_hint="…T47").update(status="picked_up")
    assert answer(ask(client, READY)) == "picked_up"


def test_a_wrong_format_is_named_and_kept(client, statuses):
    response = ask(client, "12345")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in page and 'value="12345"' in page


def test_numbers_of_another_municipality_are_not_known_here(client, statuses, beispielhausen):
    assert answer(ask(client, READY, HTTP_HOST="beispielhausen.localhost")) == "not_ready"


def test_a_guessing_run_is_stopped_with_429(client, statuses, django_capture_on_commit_callbacks):
    guesses = [f"L01X00{letter}{digit}" for letter in "CFGHJ" for digit in range(10, 100, 7)]
    answers = [ask(client, number).status_code for number in guesses[: MISSES.limit]]
    assert answers == [200] * MISSES.limit
    with django_capture_on_commit_callbacks(execute=True):
        stopped = ask(client, guesses[MISSES.limit])
    assert stopped.status_code == 429
    assert stopped["Retry-After"] == "3600"
    assert "Zu viele Abfragen" in stopped.content.decode()
    assert ask(client, READY).status_code == 429, "even a right number, until the hour is over"
    assert Event.objects.get(name="id_status_looked_up").dimensions == {"result": "limited"}
    other = client.post("/ausweisstatus/", {"nummer": READY}, REMOTE_ADDR="198.51.100.7")
    assert answer(other) == "ready", "another address is not blocked"


def test_nothing_personal_is_stored(statuses):
    for record in DocumentStatus.objects.all():
        values = " ".join(str(value) for value in record.__dict__.values())
        assert READY not in values and IN_PRODUCTION not in values and PASSPORT_READY not in values
