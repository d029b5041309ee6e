"""`rathaus load_demo`: two municipalities with staff, a citizen and the catalogue; safe to run again."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from rathaus.accounts.models import StaffRole, User
from rathaus.catalog.models import ServiceOffering
from rathaus.tenants.models import Municipality


def load_demo() -> str:
    out = StringIO()
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def test_loads_two_municipalities_with_staff_per_role_and_a_citizen(db):
    output = load_demo()
    assert set(Municipality.objects.values_list("slug", flat=True)) == {"musterstadt", "beispielhausen"}
    for slug in ("musterstadt", "beispielhausen"):
        roles = set(StaffRole.objects.filter(municipality__slug=slug).values_list("role", flat=True))
        assert roles == set(StaffRole.Role.values)
    assert User.objects.get(username="erika").get_full_name() == "Erika Mustermann"
    assert "musterstadt-sachbearbeitung" in output and "Rathaus-Demo-2026" in output
    assert "http://musterstadt.localhost:8000/" in output


def test_musterstadt_is_the_default_with_at_least_30_services(db):
    load_demo()
    response = Client(HTTP_HOST="127.0.0.1").get("/leistungen/")
    assert "Musterstadt" in response.content.decode()
    assert len(response.context["services"]) >= 30


def test_a_second_run_keeps_what_was_changed(db):
    load_demo()
    Municipality.objects.filter(slug="musterstadt").update(name="Musterstadt am See", inhabitants=60_000)
    ServiceOffering.objects.filter(municipality__slug="musterstadt", definition__key="reisepass").update(enabled=False)
    erika = User.objects.get(username="erika")
    erika.set_password("Erikas-eigenes-Passwort")
    erika.save()

    load_demo()

    musterstadt = Municipality.objects.get(slug="musterstadt")
    assert (musterstadt.name, musterstadt.inhabitants) == ("Musterstadt am See", 60_000)
    assert not ServiceOffering.objects.get(municipality=musterstadt, definition__key="reisepass").enabled
    assert User.objects.get(username="erika").check_password("Erikas-eigenes-Passwort")
    assert Municipality.objects.count() == 2


def test_beispielhausen_shares_the_definitions_with_its_own_fees(db):
    load_demo()
    body = Client(HTTP_HOST="beispielhausen.localhost").get("/api/v1/services/bewohnerparkausweis").json()
    assert body["fees"][0]["amounts"] == {"6": "15.00", "12": "25.00"}
    assert Client(HTTP_HOST="beispielhausen.localhost").get("/leistungen/fischereischein/").status_code == 404


def test_refuses_to_run_in_production(db):
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo", stdout=StringIO())
    assert not Municipality.objects.exists()
