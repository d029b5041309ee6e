import pytest
from django.test import override_settings

from rathaus.tenants.selectors import municipality_for_host


def test_a_host_name_maps_to_its_municipality(musterstadt, beispielhausen):
    assert municipality_for_host("beispielhausen.localhost") == beispielhausen
    assert municipality_for_host("musterstadt.localhost") == musterstadt


def test_port_and_case_of_the_host_do_not_matter(beispielhausen, musterstadt):
    assert municipality_for_host("Beispielhausen.LOCALHOST:8000") == beispielhausen


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1:8000", "[::1]:8000", "unbekannt.example"])
def test_an_unknown_host_falls_back_to_the_default_municipality(host, musterstadt, beispielhausen):
    assert municipality_for_host(host) == musterstadt


@override_settings(RATHAUS_DEFAULT_MUNICIPALITY="beispielhausen")
def test_the_default_municipality_is_configurable(musterstadt, beispielhausen):
    assert municipality_for_host("localhost") == beispielhausen


def test_without_any_municipality_the_home_page_explains_what_to_do(client, db):
    response = client.get("/", HTTP_HOST="localhost")
    assert response.status_code == 503
    assert "load_demo" in response.content.decode()


def test_each_host_shows_its_own_municipality(client, musterstadt, beispielhausen):
    page = client.get("/", HTTP_HOST="beispielhausen.localhost").content.decode()
    assert "Beispielhausen" in page
    assert "Musterstadt" not in page
