"""Citizens log in with e-mail and password at trust level niedrig; guessing is slowed down per IP and e-mail."""

import pytest

from rathaus.accounts.selectors import session_trust_level
from rathaus.analytics.models import Event
from rathaus.conftest import PASSWORD


def test_a_confirmed_citizen_logs_in_at_trust_level_niedrig(
    client, erika, musterstadt, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/konto/anmelden/?next=/leistungen/", {"email": erika.email, "password": PASSWORD, "next": "/leistungen/"}
        )
    assert response.status_code == 302
    assert response["Location"] == "/leistungen/"
    assert client.session["rathaus_trust_level"] == "niedrig"
    assert client.session["rathaus_login_method"] == "password"
    assert Event.objects.get(name="login").dimensions == {"login_method": "password", "trust_level": "niedrig"}
    account = client.get("/konto/")
    assert account.status_code == 200
    assert "Erika Mustermann" in account.content.decode()


def test_the_way_back_after_login_stays_on_this_site(client, erika, musterstadt):
    response = client.post(
        "/konto/anmelden/", {"email": erika.email, "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/konto/"


def test_logging_out_needs_a_post_and_ends_the_session(client, erika, musterstadt):
    client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    assert client.get("/konto/abmelden/").status_code == 405
    response = client.post("/konto/abmelden/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/konto/")["Location"].startswith("/konto/anmelden/")


def test_a_staff_account_cannot_log_in_as_a_citizen(client, caseworker, musterstadt):
    response = client.post("/konto/anmelden/", {"email": caseworker.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert "This is a staff account" in response.content.decode()


def test_too_many_wrong_passwords_for_one_address_lock_it_for_a_while(client, erika, musterstadt, settings):
    for _attempt in range(settings.ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT):
        assert client.post("/konto/anmelden/", {"email": erika.email, "password": "falsch-geraten"}).status_code == 400
    response = client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    assert response.status_code == 429, "even the right password waits until the window is over"
    assert "_auth_user_id" not in client.session
    assert "15 minutes" in response.content.decode()


def test_too_many_attempts_from_one_ip_address_are_refused(client, erika, musterstadt, settings):
    settings.ACCOUNTS_LOGIN_LIMIT_PER_IP = 3
    for number in range(3):
        client.post("/konto/anmelden/", {"email": f"versuch{number}@example.org", "password": "falsch-geraten"})
    response = client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    assert response.status_code == 429
    other_ip = client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert other_ip.status_code == 302


def test_an_empty_form_gets_clear_errors(client, musterstadt):
    response = client.post("/konto/anmelden/", {})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert 'aria-invalid="true"' in response.content.decode()


@pytest.mark.parametrize("path", ["/konto/anmelden/", "/konto/registrieren/", "/konto/bestaetigung-anfordern/"])
def test_forms_need_the_csrf_token(path, musterstadt):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(path, {"email": "a@example.org"})
    assert response.status_code == 403


def test_session_trust_level_reads_the_login_of_the_request(rf, client, erika, musterstadt):
    client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    response = client.get("/konto/")
    assert session_trust_level(response.wsgi_request) == "niedrig"
