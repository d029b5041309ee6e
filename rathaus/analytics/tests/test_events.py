import pytest
from django.test import RequestFactory

from rathaus.analytics.models import Event
from rathaus.analytics.services import EventRejected, event_emit
from rathaus.analytics.visits import visit_id


def test_an_event_is_stored_when_the_transaction_commits(musterstadt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        event_emit(name="service_started", municipality=musterstadt, service_key="bewohnerparkausweis", step="person")
    event = Event.objects.get()
    assert (event.name, event.service_key, event.dimensions) == (
        "service_started",
        "bewohnerparkausweis",
        {"step": "person"},
    )


def test_nothing_is_stored_before_the_commit(musterstadt, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        event_emit(name="service_started", municipality=musterstadt)
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    "dimensions",
    [
        {"email": "erika@example.org"},
        {"given_name": "Erika"},
        {"reason": "Erika Mustermann wohnt hier"},
        {"ip": "1.2.3.4"},
    ],
)
def test_personal_data_is_refused(musterstadt, dimensions):
    with pytest.raises(EventRejected):
        event_emit(name="service_started", municipality=musterstadt, **dimensions)


def test_an_unknown_event_name_is_refused(musterstadt):
    with pytest.raises(EventRejected):
        event_emit(name="servcie_started", municipality=musterstadt)


def test_the_visit_id_is_random_and_stable_within_a_day(client, db):
    request = RequestFactory().get("/")
    request.session = client.session
    first = visit_id(request)
    assert len(first) == 32 and visit_id(request) == first
