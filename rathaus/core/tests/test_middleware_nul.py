"""Requests with NUL characters get a 400, never a 500 (PostgreSQL cannot store or compare text with them)."""

from django.test import Client


def test_a_nul_character_in_a_query_is_refused_with_400(musterstadt):
    response = Client(HTTP_HOST="musterstadt.localhost").get("/leistungen/", {"q": "Pass\x00wort"})
    assert response.status_code == 400
    assert "Die Anfrage konnte nicht gelesen werden" in response.content.decode()


def test_a_nul_character_in_a_form_field_is_refused_with_400(musterstadt):
    response = Client(HTTP_HOST="musterstadt.localhost").post("/konto/anmelden/", {"email": "a\x00@example.org"})
    assert response.status_code == 400


def test_under_the_api_the_refusal_is_the_documented_422(musterstadt):
    response = Client(HTTP_HOST="musterstadt.localhost").get("/api/v1/services", {"q": "\x00"})
    assert response.status_code == 422 and response.json()["code"] == "nul_character"


def test_every_operation_of_the_json_api_documents_that_422(musterstadt):
    from rathaus.api import api

    operations = [
        (path, method, operation)
        for path, methods in api.get_openapi_schema()["paths"].items()
        for method, operation in methods.items()
    ]
    assert operations
    assert [(path, method) for path, method, operation in operations if 422 not in operation["responses"]] == []
    response = Client(HTTP_HOST="musterstadt.localhost").get("/api/v1/cases", {"meine": "ja\x00"})
    assert response.status_code == 422 and response.json()["code"] == "nul_character"


def test_a_body_that_cannot_be_parsed_is_left_to_the_view(musterstadt):
    response = Client(HTTP_HOST="musterstadt.localhost").post(
        "/konto/anmelden/", data=b"x", content_type="multipart/form-data"
    )
    assert response.status_code == 400


def test_open311_answers_in_its_own_error_format(musterstadt):
    response = Client(HTTP_HOST="musterstadt.localhost").get(
        "/open311/v2/requests.json", {"jurisdiction_id": "muster\x00stadt"}
    )
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400


def test_json_bodies_are_checked_by_the_api_that_reads_them():
    from rathaus.core.middleware import json_has_nul

    assert json_has_nul({"q": ["a", {"b": "c\x00"}]})
    assert json_has_nul({"k\x00": 1})
    assert not json_has_nul({"q": "a\\u0000b", "n": 0, "x": None})


def test_the_ckan_api_answers_a_nul_in_its_own_envelope(musterstadt):
    client = Client(HTTP_HOST="musterstadt.localhost")
    for response in (
        client.get("/api/3/action/package_search", {"q": "Spiel\x00platz"}),
        client.post("/api/3/action/package_search", data='{"q": "Spiel\\u0000platz"}', content_type="application/json"),
    ):
        assert response.status_code == 409
        assert response.json()["error"]["__type"] == "Validation Error"


def test_the_case_api_refuses_nul_characters_in_its_inputs():
    import pydantic

    from rathaus.cases.api import AssignIn, TransitionIn

    for make in (
        lambda: TransitionIn(transition="approve", version=1, reason_text="a\x00"),
        lambda: AssignIn(assignee="x\x00", version=1),
    ):
        try:
            make()
        except pydantic.ValidationError as error:
            assert "NUL" in str(error)
        else:
            raise AssertionError("accepted a NUL character")
