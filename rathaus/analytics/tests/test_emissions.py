"""What the modules emit for the KPIs: errors per field when a step is left with errors, each step once per
application, the time to complete at submission, the processing time at the decision; the visit id rotates daily."""

from datetime import date, timedelta
from unittest import mock

import pytest
from django.http import QueryDict
from django.test import RequestFactory

from rathaus.analytics.models import Event
from rathaus.analytics.visits import visit_id
from rathaus.applications.services import application_save_step, application_start
from rathaus.catalog.selectors import service_get

pytestmark = pytest.mark.analytics


def post(**answers: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.update(answers)
    return data


def test_a_step_with_errors_emits_the_fields_and_a_completed_step_counts_once(
    catalog, musterstadt, erika, django_capture_on_commit_callbacks
):
    service = service_get(municipality=musterstadt, key="bewohnerparkausweis")
    with django_capture_on_commit_callbacks(execute=True):
        application = application_start(municipality=musterstadt, service=service, user=erika, visit="v1")
        application_save_step(application=application, step_id="fahrzeug", post=post(kennzeichen="kaputt"), visit="v1")
    invalid = Event.objects.filter(name="field_invalid")
    fields = {event.dimensions["field"] for event in invalid}
    assert {"kennzeichen", "halter"} <= fields
    assert all(event.dimensions["step"] == "fahrzeug" and event.visit == "v1" for event in invalid)
    assert all(set(event.dimensions) == {"step", "field"} for event in invalid)  # no values, only field ids

    answers = post(kennzeichen="MS-EM 1964", fahrzeugart="pkw", halter="selbst", kein_stellplatz="on")
    with django_capture_on_commit_callbacks(execute=True):
        for _twice in range(2):
            result = application_save_step(application=application, step_id="fahrzeug", post=answers, visit="v1")
            assert result.errors == {}
    assert Event.objects.filter(name="step_completed", dimensions__step="fahrzeug").count() == 1


def test_the_visit_id_rotates_at_midnight_and_is_random(client, db):
    request = RequestFactory().get("/")
    request.session = client.session
    today = date(2026, 11, 2)
    with mock.patch("rathaus.analytics.visits.timezone.localdate", return_value=today):
        first = visit_id(request)
        assert visit_id(request) == first
    with mock.patch("rathaus.analytics.visits.timezone.localdate", return_value=today + timedelta(days=1)):
        second = visit_id(request)
    assert second != first and len(second) == 32 and int(second, 16) >= 0
    other = RequestFactory().get("/")
    other.session = type(client.session)()
    with mock.patch("rathaus.analytics.visits.timezone.localdate", return_value=today + timedelta(days=1)):
        assert visit_id(other) != second  # another browser the same day: another id, nothing derived from a person
