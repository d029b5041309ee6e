"""GET /api/v1/services and /api/v1/services/{key}, with OpenAPI; malformed requests get 4xx JSON."""

import pytest
from django.test import Client
from jsonschema import Draft202012Validator


@pytest.fixture
def api(catalog) -> Client:
    return Client(HTTP_HOST="musterstadt.localhost")


def test_lists_the_services_as_an_object_with_items(api, catalog):
    body = api.get("/api/v1/services").json()
    assert body["count"] == len(catalog)
    first = body["items"][0]
    assert {"key", "name", "summary", "trust_level", "access", "url"} <= first.keys()
    assert first["url"].startswith("http://musterstadt.localhost/leistungen/")


def test_searches_with_q(api):
    body = api.get("/api/v1/services", {"q": "parken"}).json()
    assert body["items"][0]["key"] == "bewohnerparkausweis"


def test_pages_with_limit_and_offset(api, catalog):
    first = api.get("/api/v1/services", {"limit": 5}).json()["items"]
    second = api.get("/api/v1/services", {"limit": 5, "offset": 5}).json()["items"]
    assert len(first) == len(second) == 5
    assert not {item["key"] for item in first} & {item["key"] for item in second}


def test_shows_one_service_with_fees_documents_and_form(api):
    body = api.get("/api/v1/services/bewohnerparkausweis").json()
    assert body["trust_level"] == "substanziell"
    assert body["fees"][0]["amounts"] == {"6": "20.00", "12": "30.70"}
    assert body["documents_upload"][0]["id"] == "fahrzeugschein"
    Draft202012Validator.check_schema(body["form"]["schema"])


def test_an_unknown_key_is_404_json(api):
    response = api.get("/api/v1/services/gibt-es-nicht")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "gibt-es-nicht" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [{"limit": "viele"}, {"limit": 0}, {"limit": 10_000}, {"offset": -1}, {"topic": "<b>"}, {"q": "x" * 300}],
)
def test_a_malformed_request_is_a_4xx_json_error(api, query):
    response = api.get("/api/v1/services", query)
    assert response.status_code == 422
    assert response.json()["detail"] == "Ungültige Anfrage."


def test_publishes_openapi_3_and_interactive_docs(api):
    spec = api.get("/api/v1/openapi.json").json()
    assert spec["openapi"].startswith("3.")
    assert "/api/v1/services/{key}" in spec["paths"]
    docs = api.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "swagger" in docs.content.decode().lower()


def test_errors_django_answers_itself_are_json_too(api):
    not_allowed = api.delete("/api/v1/services")
    assert not_allowed.status_code == 405
    assert not_allowed.json() == {"detail": "Method Not Allowed"}
    assert "GET" in not_allowed["Allow"]
    unknown = api.get("/api/v1/gibt-es-nicht")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Not Found"}
