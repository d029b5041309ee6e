"""Staff log in at /verwaltung/anmelden/ with password and a TOTP code; the first login enrols the authenticator."""

import re

import pytest
from django.utils import timezone

from rathaus.accounts import totp
from rathaus.accounts.models import StaffTotp
from rathaus.accounts.services import staff_totp_prepare
from rathaus.conftest import PASSWORD


def password_step(client, login_name="max", password=PASSWORD, **extra):
    return client.post("/verwaltung/anmelden/", {"login_name": login_name, "password": password}, **extra)


def enrolled(user) -> str:
    record = staff_totp_prepare(user=user)
    record.confirmed_at = record.confirmed_at or timezone.now()
    record.save()
    return record.secret


def test_the_first_login_enrols_the_authenticator_with_a_qr_code(client, caseworker):
    response = password_step(client)
    assert response.status_code == 302
    assert response["Location"].startswith("/verwaltung/anmelden/code/")
    assert "_auth_user_id" not in client.session, "the password alone logs nobody in"

    page = client.get(response["Location"]).content.decode()
    assert 'src="data:image/svg+xml' in page
    shown = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    assert shown == StaffTotp.objects.get(user=caseworker).secret
    assert client.get("/verwaltung/").status_code == 302, "no staff page before the code is confirmed"

    response = client.post("/verwaltung/anmelden/code/", {"code": totp.totp_code(shown)})
    assert response.status_code == 302
    assert response["Location"] == "/verwaltung/"
    assert StaffTotp.objects.get(user=caseworker).confirmed_at is not None
    home = client.get("/verwaltung/")
    assert home.status_code == 200
    assert "Max Sachbearbeiter" in home.content.decode()


def test_an_enrolled_staff_member_enters_the_code_without_seeing_the_secret(client, caseworker):
    secret = enrolled(caseworker)
    password_step(client)
    page = client.get("/verwaltung/anmelden/code/").content.decode()
    assert "data-secret" not in page and "data:image/svg" not in page
    assert client.post("/verwaltung/anmelden/code/", {"code": totp.totp_code(secret)}).status_code == 302
    assert client.session["rathaus_login_kind"] == "staff"
    assert client.get("/verwaltung/").status_code == 200


def test_a_wrong_code_is_refused_and_a_code_works_only_once(client, caseworker):
    secret = enrolled(caseworker)
    password_step(client)
    response = client.post(
        "/verwaltung/anmelden/code/", {"code": "000000" if totp.totp_code(secret) != "000000" else "111111"}
    )
    assert response.status_code == 400
    assert "The code is not correct" in response.content.decode()
    code = totp.totp_code(secret)
    assert client.post("/verwaltung/anmelden/code/", {"code": code}).status_code == 302
    client.post("/verwaltung/abmelden/")
    password_step(client)
    assert client.post("/verwaltung/anmelden/code/", {"code": code}).status_code == 400, "no replay"


def test_a_malformed_code_gets_a_clear_error(client, caseworker):
    password_step(client)
    response = client.post("/verwaltung/anmelden/code/", {"code": "12ab"})
    assert response.status_code == 400
    assert "Please enter the 6 digits" in response.content.decode()


def test_the_code_page_needs_the_password_step_first(client, caseworker):
    response = client.get("/verwaltung/anmelden/code/")
    assert response["Location"].startswith("/verwaltung/anmelden/")
    assert not StaffTotp.objects.exists()


def test_the_code_step_expires(client, caseworker, settings):
    enrolled(caseworker)
    password_step(client)
    settings.ACCOUNTS_STAFF_CODE_SECONDS = -1
    assert client.get("/verwaltung/anmelden/code/")["Location"].startswith("/verwaltung/anmelden/")


@pytest.mark.parametrize("login_name", ["max", "max@musterstadt.example"])
def test_wrong_passwords_and_citizens_get_the_same_answer(client, caseworker, erika, login_name):
    wrong = password_step(client, login_name=login_name, password="falsch-falsch")
    citizen = password_step(client, login_name="erika", password=PASSWORD)
    assert wrong.status_code == citizen.status_code == 400
    assert "The user name or the password is not correct, or you have no access here." in citizen.content.decode()
    assert "rathaus_staff_pending" not in client.session


def test_staff_of_another_municipality_cannot_log_in_here(client, caseworker, beispielhausen):
    assert password_step(client, HTTP_HOST="beispielhausen.localhost").status_code == 400


def test_guessing_passwords_or_codes_is_rate_limited(client, caseworker, settings):
    for _attempt in range(settings.ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT):
        password_step(client, password="falsch-falsch")
    assert password_step(client).status_code == 429

    client.logout()
    from rathaus.core.models import RateCounter

    RateCounter.objects.all().delete()  # a new window: now the codes
    secret = enrolled(caseworker)
    password_step(client)
    wrong = "000000" if totp.totp_code(secret) != "000000" else "111111"
    for _attempt in range(settings.ACCOUNTS_LOGIN_LIMIT_PER_ACCOUNT):
        client.post("/verwaltung/anmelden/code/", {"code": wrong})
    response = client.post("/verwaltung/anmelden/code/", {"code": totp.totp_code(secret)})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_citizen_session_does_not_reach_staff_pages(client, erika, musterstadt):
    client.post("/konto/anmelden/", {"email": erika.email, "password": PASSWORD})
    assert client.get("/verwaltung/")["Location"] == "/verwaltung/anmelden/?next=%2Fverwaltung%2F"


def test_a_staff_session_is_no_citizen_login(client, caseworker):
    secret = enrolled(caseworker)
    password_step(client)
    client.post("/verwaltung/anmelden/code/", {"code": totp.totp_code(secret)})
    response = client.get("/konto/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_a_staff_member_logged_in_without_totp_does_not_reach_staff_pages(client, caseworker):
    client.force_login(caseworker)
    assert client.get("/verwaltung/").status_code == 302
