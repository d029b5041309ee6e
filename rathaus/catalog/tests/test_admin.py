"""Municipal staff change an offering's fees and texts in the administration, validated like the API."""

import json

import pytest
from django.test import Client

from rathaus.accounts.services import user_ensure
from rathaus.catalog.models import ServiceOffering


@pytest.fixture
def operator_client(catalog) -> Client:
    operator, _ = user_ensure(username="betrieb", email="betrieb@example.org", password="Betrieb-Passwort-1")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(operator)
    return client


def change(client, offering, overrides) -> object:
    return client.post(
        f"/admin/catalog/serviceoffering/{offering.pk}/change/",
        {"enabled": "on", "department": "", "overrides": json.dumps(overrides)},
    )


def test_valid_overrides_are_saved(operator_client, beispielhausen):
    offering = ServiceOffering.objects.get(municipality=beispielhausen, definition__key="bewohnerparkausweis")
    response = change(operator_client, offering, {"name": {"de": "Anwohnerparkausweis"}})
    assert response.status_code == 302
    offering.refresh_from_db()
    assert offering.overrides == {"name": {"de": "Anwohnerparkausweis"}}


def test_invalid_overrides_are_shown_at_the_field_and_kept_in_the_form(operator_client, beispielhausen):
    offering = ServiceOffering.objects.get(municipality=beispielhausen, definition__key="bewohnerparkausweis")
    response = change(operator_client, offering, {"trust_level": "niedrig"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "trust_level kann nicht abweichend festgelegt werden" in page
    assert "&quot;trust_level&quot;: &quot;niedrig&quot;" in page, "what was entered is not lost"
    offering.refresh_from_db()
    assert offering.overrides == {}
