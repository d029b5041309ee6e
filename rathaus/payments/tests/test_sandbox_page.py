"""Who may use a payment page, and what it shows.

Decision: the page shows no personal data - only the recipient (the municipality), what the fee is for and the
amount - and it can only be used with the token that payment_start put into the redirect URL (a signed
capability, valid for 24 hours). The public id alone, a token of another payment, or another municipality's
host give a 404, and nothing can be booked without the token.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import signing

from rathaus.payments.models import SandboxCharge
from rathaus.payments.providers import sandbox

from .support import start_payment


def token_of(start) -> str:
    return parse_qs(urlsplit(start.redirect_url).query)["t"][0]


def page(start) -> str:
    return f"/bezahlen/sandbox/{start.payment.public_id}/"


def test_the_public_id_alone_does_not_open_the_page(client_musterstadt, sandbox_start):
    assert client_musterstadt.get(page(sandbox_start)).status_code == 404
    assert client_musterstadt.get(page(sandbox_start), {"t": "falsch"}).status_code == 404


def test_the_token_of_another_payment_does_not_open_the_page(client_musterstadt, sandbox_start, musterstadt):
    other = start_payment(musterstadt)
    assert client_musterstadt.get(page(sandbox_start), {"t": token_of(other)}).status_code == 404


def test_nothing_can_be_booked_without_the_token(client_musterstadt, sandbox_start):
    response = client_musterstadt.post(page(sandbox_start), {"t": "erfunden", "action": "pay", "method": "card"})
    assert response.status_code == 404
    assert not SandboxCharge.objects.exists()


def test_the_page_is_not_served_under_another_municipality(sandbox_start, beispielhausen, client):
    response = client.get(sandbox_start.redirect_url, HTTP_HOST="beispielhausen.localhost")
    assert response.status_code == 404
    back = client.get(f"/bezahlen/zurueck/{sandbox_start.payment.public_id}/", HTTP_HOST="beispielhausen.localhost")
    assert back.status_code == 404


def test_a_token_older_than_a_day_has_expired(client_musterstadt, sandbox_start, monkeypatch):
    real_time = signing.time.time
    monkeypatch.setattr(signing.time, "time", lambda: real_time() - 25 * 60 * 60)
    old_token = sandbox.page_token(sandbox_start.payment)
    monkeypatch.undo()
    assert client_musterstadt.get(page(sandbox_start), {"t": old_token}).status_code == 404


def test_the_page_shows_no_personal_data_even_to_the_logged_in_citizen(client_musterstadt, sandbox_start, erika):
    client_musterstadt.force_login(erika)
    shown = client_musterstadt.get(sandbox_start.redirect_url).content.decode()
    for personal in ("Erika", "Mustermann", "erika.mustermann@example.org", "1964"):
        assert personal not in shown


def test_a_malformed_id_in_the_address_is_404(client_musterstadt, musterstadt):
    assert client_musterstadt.get("/bezahlen/sandbox/123/").status_code == 404
    assert client_musterstadt.get("/bezahlen/zurueck/123/").status_code == 404


@pytest.mark.parametrize("method", ["PUT", "DELETE"])
def test_only_get_and_post_are_allowed(client_musterstadt, sandbox_start, method):
    response = client_musterstadt.generic(method, sandbox_start.redirect_url)
    assert response.status_code == 405


def test_the_payment_page_needs_a_csrf_token(sandbox_start):
    from django.test import Client

    client = Client(HTTP_HOST="musterstadt.localhost", enforce_csrf_checks=True)
    response = client.post(page(sandbox_start), {"t": token_of(sandbox_start), "action": "pay", "method": "card"})
    assert response.status_code == 403
    assert not SandboxCharge.objects.exists()
