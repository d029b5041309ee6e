"""Operators keep parking zones, caseworker areas and the simulated vehicle register in the administration."""

import re

import pytest
from django.test import Client

from rathaus.accounts.services import user_ensure
from rathaus.registers.models import CaseworkerArea, DemoVehicleRecord, ParkingZone
from rathaus.registers.services import registers_demo_load


@pytest.fixture
def operator_client(musterstadt) -> Client:
    operator, _ = user_ensure(username="betrieb", email="betrieb@example.org", password="Betrieb-Passwort-1")
    operator.is_staff = operator.is_superuser = True
    operator.save()
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(operator)
    return client


@pytest.mark.parametrize(
    "path",
    [
        "/admin/registers/parkingzone/",
        "/admin/registers/parkingzone/add/",
        "/admin/registers/parkingzonestreet/",
        "/admin/registers/parkingzonestreet/?q=heidestr",
        "/admin/registers/caseworkerarea/",
        "/admin/registers/caseworkerarea/add/",
        "/admin/registers/demovehiclerecord/",
        "/admin/registers/demovehiclerecord/add/",
    ],
)
def test_the_pages_open(operator_client, musterstadt, path):
    registers_demo_load(municipality=musterstadt)
    assert operator_client.get(path).status_code == 200


def test_a_zone_with_its_streets_is_added_in_one_form(operator_client, musterstadt):
    response = operator_client.post(
        "/admin/registers/parkingzone/add/",
        {
            "municipality": musterstadt.pk,
            "code": "C",
            "name": "Nordend",
            "streets-TOTAL_FORMS": "2",
            "streets-INITIAL_FORMS": "0",
            "streets-0-street": "Lindenweg",
            "streets-0-parity": "all",
            "streets-1-street": "Ulmenweg",
            "streets-1-number_from": "1",
            "streets-1-number_to": "21",
            "streets-1-parity": "odd",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    zone = ParkingZone.objects.get(municipality=musterstadt, code="C")
    assert sorted(zone.streets.values_list("street_key", flat=True)) == ["lindenweg", "ulmenweg"]


def test_a_backwards_range_is_refused_at_the_street(operator_client, musterstadt):
    response = operator_client.post(
        "/admin/registers/parkingzone/add/",
        {
            "municipality": musterstadt.pk,
            "code": "C",
            "name": "Nordend",
            "streets-TOTAL_FORMS": "1",
            "streets-INITIAL_FORMS": "0",
            "streets-0-street": "Ulmenweg",
            "streets-0-number_from": "21",
            "streets-0-number_to": "1",
            "streets-0-parity": "odd",
        },
    )
    assert response.status_code == 200
    assert "Die erste Hausnummer darf nicht größer als die letzte sein." in response.content.decode()
    assert not ParkingZone.objects.filter(code="C").exists()


def test_a_caseworker_area_needs_someone_of_the_department(
    operator_client, musterstadt, caseworker, citizens_office_clerk
):
    traffic = musterstadt.departments.get(code="strassenverkehr")
    form = {
        "department": traffic.pk,
        "postal_codes": "61348",
        "initials_from": "a",
        "initials_to": "k",
        "position": "0",
    }
    response = operator_client.post("/admin/registers/caseworkerarea/add/", {**form, "user": citizens_office_clerk.pk})
    assert response.status_code == 200
    assert "Diese Person arbeitet nicht in diesem Fachamt." in response.content.decode()

    response = operator_client.post("/admin/registers/caseworkerarea/add/", {**form, "user": caseworker.pk})
    assert response.status_code == 302
    made = CaseworkerArea.objects.get()
    assert (made.user, made.initials_label) == (caseworker, "A–K")


def test_citizens_are_not_offered_as_caseworkers(operator_client, caseworker, erika):
    page = operator_client.get("/admin/registers/caseworkerarea/add/").content.decode()
    # Only the caseworker field's choices: other selects (departments) have ids of their own that may coincide.
    choices = re.search(r'<select name="user".*?</select>', page, re.DOTALL).group(0)
    assert f'<option value="{caseworker.pk}">' in choices
    assert f'<option value="{erika.pk}">' not in choices


def test_a_simulated_vehicle_is_stored_with_the_normalised_plate(operator_client, musterstadt):
    response = operator_client.post(
        "/admin/registers/demovehiclerecord/add/",
        {
            "municipality": musterstadt.pk,
            "plate": "ms ab123",
            "family_name": "Beispiel",
            "given_names": "Max",
            "birthdate": "1985-02-03",
            "street": "",
            "house_number": "",
            "postal_code": "",
            "city": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert DemoVehicleRecord.objects.get().plate == "MS-AB 123"

    response = operator_client.post(
        "/admin/registers/demovehiclerecord/add/",
        {
            "municipality": musterstadt.pk,
            "plate": "MS-AB-123",
            "family_name": "Anders",
            "given_names": "",
            "birthdate": "",
            "street": "",
            "house_number": "",
            "postal_code": "",
            "city": "",
        },
    )
    assert response.status_code == 200, "the same plate twice is refused in the form, not by the database"
    assert DemoVehicleRecord.objects.count() == 1


def test_staff_without_superuser_rights_do_not_get_in(caseworker):
    caseworker.is_staff = True
    caseworker.save()
    client = Client(HTTP_HOST="musterstadt.localhost")
    client.force_login(caseworker)
    assert client.get("/admin/registers/parkingzone/").status_code == 302
