"""The sandbox provider end to end: payment page, success, failure, cancel, return and webhook.

The webhook arrives at once here (RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY = 0), through the same signature check
as a webhook over HTTP; the browser tests let it arrive seconds later.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from rathaus.analytics.models import Event
from rathaus.payments.models import Payment, SandboxCharge, WebhookEvent
from rathaus.payments.providers import sandbox

from .support import RETURN_URL, post_webhook


def token_of(start) -> str:
    return parse_qs(urlsplit(start.redirect_url).query)["t"][0]


def act(client, start, action: str, method: str = "card", **extra):
    data = {"t": token_of(start), "action": action, "method": method, **extra}
    return client.post(f"/bezahlen/sandbox/{start.payment.public_id}/", data)


def test_the_payment_page_shows_amount_description_and_the_methods(client_musterstadt, sandbox_start):
    response = client_musterstadt.get(sandbox_start.redirect_url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "12,50 €" in page
    assert "Bewohnerparkausweis – Gebühr" in page
    assert "Musterstadt" in page
    for method in ("card", "paypal", "giropay", "sepa"):
        assert f'value="{method}"' in page
    assert 'value="card" checked' in page, "the method chosen in the application is preselected"
    assert 'name="close_browser"' in page


def test_paying_books_the_payment_and_returns_to_the_application_once(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_musterstadt, sandbox_start, "pay", method="paypal")
        assert response.status_code == 302
        assert response["Location"] == f"/bezahlen/zurueck/{payment.public_id}/"
        back = client_musterstadt.get(response["Location"])
    assert back.status_code == 302
    assert back["Location"] == f"{RETURN_URL}?payment={payment.public_id}"
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED
    assert payment.method == "paypal", "the method chosen on the payment page is recorded"
    assert payment.provider_reference.startswith("sbx_")
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]
    assert WebhookEvent.objects.filter(payment=payment).count() == 1, "the signed webhook booked it"
    assert Event.objects.filter(name="payment_succeeded").get().dimensions == {
        "method": "paypal",
        "provider": "sandbox",
    }


def test_a_failed_payment_is_booked_as_failed(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_musterstadt, sandbox_start, "fail", method="sepa")
        client_musterstadt.get(response["Location"])
    payment.refresh_from_db()
    assert (payment.status, payment.method) == ("failed", "sepa")
    assert signals == [("payment_failed", payment.public_id, "failed")]
    assert Event.objects.get(name="payment_failed").dimensions == {
        "method": "sepa",
        "provider": "sandbox",
        "reason": "failed",
    }


def test_cancelling_returns_with_the_payment_cancelled(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_musterstadt, sandbox_start, "cancel", method="")
        back = client_musterstadt.get(response["Location"])
    assert back["Location"] == f"{RETURN_URL}?payment={payment.public_id}"
    payment.refresh_from_db()
    assert (payment.status, payment.method) == ("cancelled", "card"), "a cancel keeps the method of the start"
    assert signals == [("payment_failed", payment.public_id, "cancelled")]


def test_paying_without_a_method_asks_for_one(client_musterstadt, sandbox_start, signals):
    response = act(client_musterstadt, sandbox_start, "pay", method="")
    assert response.status_code == 400
    assert response.context["form"].errors["method"] == ["Bitte wählen Sie, wie Sie bezahlen möchten."]
    assert 'class="kern-error" id="method-error"' in response.content.decode()
    assert not SandboxCharge.objects.exists()
    sandbox_start.payment.refresh_from_db()
    assert sandbox_start.payment.status == "created"


@pytest.mark.parametrize(("action", "method"), [("steal", "card"), ("pay", "bitcoin")])
def test_a_tampered_form_is_refused_without_an_error_page(client_musterstadt, sandbox_start, action, method):
    response = act(client_musterstadt, sandbox_start, action, method=method)
    assert response.status_code == 400
    assert not SandboxCharge.objects.exists()


def test_the_payment_completes_through_the_webhook_when_the_citizen_closed_the_browser(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    with django_capture_on_commit_callbacks(execute=True):
        response = act(client_musterstadt, sandbox_start, "pay", close_browser="on")
    assert response.status_code == 200, "no redirect back: the browser is gone"
    assert "Browser closed" in response.content.decode() or "Browser geschlossen" in response.content.decode()
    payment.refresh_from_db()
    assert payment.status == "succeeded"
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]
    assert WebhookEvent.objects.get(payment=payment).outcome == "succeeded"


def test_the_browser_return_books_when_the_webhook_is_late_and_the_late_webhook_changes_nothing(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    # The citizen paid at the provider; its notification has not arrived yet.
    charge = sandbox.charge_create(payment=payment, outcome="succeeded", method="giropay")
    with django_capture_on_commit_callbacks(execute=True):
        back = client_musterstadt.get(f"/bezahlen/zurueck/{payment.public_id}/")
    assert back["Location"] == f"{RETURN_URL}?payment={payment.public_id}"
    payment.refresh_from_db()
    assert (payment.status, payment.method) == ("succeeded", "giropay")
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]

    body = sandbox.json.dumps(sandbox.notification_data(charge)).encode()
    with django_capture_on_commit_callbacks(execute=True):
        late = post_webhook(client_musterstadt, body)
    assert late.status_code == 200
    assert late.json()["status"] == "unchanged"
    assert WebhookEvent.objects.filter(payment=payment).count() == 1
    assert len(signals) == 1, "booked once, announced once"


def test_coming_back_twice_announces_the_payment_once(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    payment = sandbox_start.payment
    with django_capture_on_commit_callbacks(execute=True):
        act(client_musterstadt, sandbox_start, "pay")
        for _ in range(3):
            client_musterstadt.get(f"/bezahlen/zurueck/{payment.public_id}/")
    assert len(signals) == 1


def test_a_payment_page_can_be_used_once(
    client_musterstadt, sandbox_start, signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        act(client_musterstadt, sandbox_start, "pay")
        again = act(client_musterstadt, sandbox_start, "fail")
    assert again.status_code == 409
    assert SandboxCharge.objects.count() == 1
    sandbox_start.payment.refresh_from_db()
    assert sandbox_start.payment.status == "succeeded"
    assert len(signals) == 1
    shown_again = client_musterstadt.get(sandbox_start.redirect_url)
    assert shown_again.status_code == 409
    assert f"/bezahlen/zurueck/{sandbox_start.payment.public_id}/" in shown_again.content.decode()


def test_returning_before_paying_changes_nothing(client_musterstadt, sandbox_start, signals):
    back = client_musterstadt.get(f"/bezahlen/zurueck/{sandbox_start.payment.public_id}/")
    assert back.status_code == 302
    sandbox_start.payment.refresh_from_db()
    assert sandbox_start.payment.status == "created"
    assert signals == []
