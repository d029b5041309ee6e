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


def test_an_escaped_nul_in_a_json_body_is_refused_but_an_escaped_backslash_is_not(musterstadt):
    from rathaus.core.middleware import NUL_IN_JSON

    assert NUL_IN_JSON.search(rb'{"q": "a\u0000b"}')
    assert NUL_IN_JSON.search(rb'{"q": "a\\\u0000b"}')  # an escaped backslash, then the NUL
    assert not NUL_IN_JSON.search(rb'{"q": "a\\u0000b"}')  # the text \u0000, no NUL
    response = Client(HTTP_HOST="musterstadt.localhost").post(
        "/api/v1/cases/00000000-0000-0000-0000-000000000000/transitions",
        data='{"transition": "approve\\u0000"}',
        content_type="application/json",
    )
    assert response.status_code == 422
