"""Citizens register with e-mail and password; the address is confirmed by a signed, expiring link."""

import re

import pytest
from django.core import signing

from rathaus.accounts.models import User
from rathaus.analytics.models import Event

PASSWORD = "Lindenblüte-am-Markt-7"


@pytest.fixture
def register(client, musterstadt, smtp, django_capture_on_commit_callbacks):
    def register(email: str, password: str = PASSWORD, again: str | None = None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                "/konto/registrieren/",
                {"email": email, "password": password, "password_again": password if again is None else again},
            )

    return register


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def test_registering_sends_a_confirmation_link_over_smtp(register, smtp):
    response = register("anna.neu@example.org")
    assert response.status_code == 200
    assert "Please check your e-mail" in response.content.decode()
    (message,) = smtp.to("anna.neu@example.org")
    assert "/konto/bestaetigen/" in smtp.link_in(message)
    user = User.objects.get(email="anna.neu@example.org")
    assert user.email_verified_at is None
    assert user.password.startswith("argon2"), "passwords are hashed with Argon2"


def test_login_is_refused_until_the_address_is_confirmed(client, register, smtp, django_capture_on_commit_callbacks):
    register("anna.neu@example.org")
    response = client.post("/konto/anmelden/", {"email": "anna.neu@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert 'href="/konto/bestaetigung-anfordern/"' in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.get(path_of(smtp.link_in(smtp.to("anna.neu@example.org")[0])))
    assert confirmed.status_code == 200
    assert Event.objects.filter(name="registration_completed", dimensions__login_method="password").count() == 1

    response = client.post("/konto/anmelden/", {"email": "Anna.Neu@Example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["rathaus_trust_level"] == "niedrig"


def test_an_expired_link_is_refused_and_offers_a_new_one(client, register, smtp, settings):
    register("anna.neu@example.org")
    link = path_of(smtp.link_in(smtp.to("anna.neu@example.org")[0]))
    settings.ACCOUNTS_EMAIL_VERIFICATION_SECONDS = -1
    response = client.get(link)
    assert response.status_code == 400
    assert 'href="/konto/bestaetigung-anfordern/"' in response.content.decode()
    assert User.objects.get(email="anna.neu@example.org").email_verified_at is None


def test_a_tampered_link_is_refused(client, register, smtp, erika):
    register("anna.neu@example.org")
    token = path_of(smtp.link_in(smtp.to("anna.neu@example.org")[0])).split("/")[3]
    payload, _, _signature = token.partition(":")
    forged = signing.dumps({"u": erika.pk, "e": erika.email, "p": "x"}, salt="other-salt")
    for bad in (forged, payload + ":AAAA:BBBB", "kaputt"):
        assert client.get(f"/konto/bestaetigen/{bad}/").status_code == 400
    assert User.objects.get(email="anna.neu@example.org").email_verified_at is None


def test_a_new_confirmation_link_can_be_requested(client, register, smtp, django_capture_on_commit_callbacks):
    register("anna.neu@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/bestaetigung-anfordern/", {"email": "anna.neu@example.org"})
    assert response.status_code == 200
    assert len(smtp.to("anna.neu@example.org")) == 2
    assert client.get(path_of(smtp.link_in(smtp.to("anna.neu@example.org")[1]))).status_code == 200


def test_the_answers_do_not_tell_whether_an_address_has_an_account(
    client, register, smtp, erika, django_capture_on_commit_callbacks
):
    def strip(response, email):  # the CSRF token differs on every page
        return re.sub(r'value="[^"]*"', "", response.content.decode()).replace(email, "X")

    assert strip(register("niemand@example.org"), "niemand@example.org") == strip(register(erika.email), erika.email)
    (notice,) = smtp.to(erika.email)
    assert "/konto/bestaetigen/" not in notice.get_body(("plain",)).get_content()
    assert User.objects.get(pk=erika.pk).check_password("Test-Passwort-2026"), "the existing account is unchanged"

    with django_capture_on_commit_callbacks(execute=True):
        resend_new = client.post("/konto/bestaetigung-anfordern/", {"email": "gibtesnicht@example.org"})
        resend_known = client.post("/konto/bestaetigung-anfordern/", {"email": erika.email})
    assert strip(resend_new, "gibtesnicht@example.org") == strip(resend_known, erika.email)

    wrong_password = client.post("/konto/anmelden/", {"email": erika.email, "password": "falsch-falsch"})
    unknown = client.post("/konto/anmelden/", {"email": "gibtesnicht@example.org", "password": "falsch-falsch"})
    assert wrong_password.status_code == unknown.status_code == 400
    assert strip(wrong_password, erika.email) == strip(unknown, "gibtesnicht@example.org")


def test_registering_again_before_confirming_replaces_the_password_and_voids_older_links(client, register, smtp):
    register("anna.neu@example.org", password="Erstes-Passwort-1234")
    first_link = path_of(smtp.link_in(smtp.to("anna.neu@example.org")[0]))
    register("anna.neu@example.org", password=PASSWORD)
    assert client.get(first_link).status_code == 400
    assert client.get(path_of(smtp.link_in(smtp.to("anna.neu@example.org")[1]))).status_code == 200
    assert User.objects.get(email="anna.neu@example.org").check_password(PASSWORD)


@pytest.mark.parametrize(
    ("password", "again", "message"),
    [
        ("kurz", "kurz", "too short"),
        ("1234567890123", "1234567890123", "entirely numeric"),
        ("password1234", "password1234", "too common"),
        (PASSWORD, PASSWORD + "x", "The two passwords differ"),
    ],
)
def test_passwords_follow_the_configured_rules(register, smtp, password, again, message):
    response = register("anna.neu@example.org", password=password, again=again)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(email="anna.neu@example.org").exists()
    assert smtp.messages == []


def test_a_malformed_address_gets_a_clear_error(register, smtp):
    response = register("keine-adresse")
    assert response.status_code == 400
    assert "valid email address" in response.content.decode()
