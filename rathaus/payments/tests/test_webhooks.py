"""The webhook endpoint: verified (HMAC-SHA256, fresh timestamp), idempotent, and it refuses forgeries."""

import json
import time
import uuid

import pytest
from django.test import Client

from rathaus.payments.models import Payment, WebhookEvent
from rathaus.payments.providers import sandbox

from .support import post_webhook, start_payment, webhook_body


@pytest.fixture
def client() -> Client:
    """Providers send no CSRF token: the endpoint must work with CSRF checks enforced."""
    return Client(HTTP_HOST="musterstadt.localhost", enforce_csrf_checks=True)


@pytest.fixture
def payment(sandbox_start) -> Payment:
    return sandbox_start.payment


def booked(payment: Payment) -> str:
    payment.refresh_from_db()
    return payment.status


def test_a_signed_notification_books_the_payment_and_records_the_method(
    client, payment, signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_webhook(client, webhook_body(payment))
    assert response.status_code == 200
    assert response.json() == {"status": "booked", "payment": str(payment.public_id)}
    assert booked(payment) == "succeeded"
    assert (payment.method, payment.provider_reference) == ("paypal", "sbx_test")
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]


def test_a_replayed_notification_books_nothing_twice(client, payment, signals, django_capture_on_commit_callbacks):
    body = webhook_body(payment)
    timestamp = int(time.time())
    with django_capture_on_commit_callbacks(execute=True):
        first = post_webhook(client, body, timestamp=timestamp)
        replay = post_webhook(client, body, timestamp=timestamp)
        resigned = post_webhook(client, body)  # a provider's retry, signed again later
    assert [first.status_code, replay.status_code, resigned.status_code] == [200, 200, 200]
    assert [r.json()["status"] for r in (first, replay, resigned)] == ["booked", "duplicate", "duplicate"]
    assert WebhookEvent.objects.count() == 1
    assert len(signals) == 1


def test_a_second_notification_of_another_outcome_does_not_undo_a_booked_payment(
    client, payment, signals, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_webhook(client, webhook_body(payment, event_id="evt_1"))
        late = post_webhook(client, webhook_body(payment, event_id="evt_2", outcome="failed"))
    assert late.json()["status"] == "unchanged"
    assert booked(payment) == "succeeded"
    assert signals == [("payment_succeeded", payment.public_id, "succeeded")]


def test_a_notification_signed_with_another_key_is_refused(client, payment, signals):
    body = webhook_body(payment)
    timestamp = int(time.time())
    forged = sandbox.signature(body, timestamp, secret=b"guessed-secret")
    response = post_webhook(client, body, timestamp=timestamp, signature=forged)
    assert response.status_code == 400
    assert response.json()["code"] == "signature_invalid"
    assert booked(payment) == "created"
    assert not WebhookEvent.objects.exists()
    assert signals == []


@pytest.mark.parametrize(
    "change",
    [
        {"outcome": "failed"},
        {"amount": "0.01"},
        {"method": "sepa"},
        {"id": "evt_other"},
    ],
)
def test_a_changed_body_under_a_genuine_signature_is_refused(client, payment, change):
    original = webhook_body(payment)
    timestamp = int(time.time())
    genuine = sandbox.signature(original, timestamp)
    tampered = json.dumps({**json.loads(original), **change}).encode()
    response = post_webhook(client, tampered, timestamp=timestamp, signature=genuine)
    assert response.status_code == 400
    assert booked(payment) == "created"


def test_moving_the_timestamp_breaks_the_signature(client, payment):
    body = webhook_body(payment)
    timestamp = int(time.time())
    response = post_webhook(client, body, timestamp=timestamp + 1, signature=sandbox.signature(body, timestamp))
    assert response.status_code == 400
    assert booked(payment) == "created"


@pytest.mark.parametrize("age", [301, 3600, -301])
def test_a_notification_older_than_five_minutes_or_from_the_future_is_refused(client, payment, age):
    response = post_webhook(client, webhook_body(payment), timestamp=int(time.time()) - age)
    assert response.status_code == 400
    assert response.json()["code"] == "timestamp_expired"
    assert booked(payment) == "created"


def test_a_notification_four_minutes_old_is_still_fine(client, payment):
    assert post_webhook(client, webhook_body(payment), timestamp=int(time.time()) - 240).status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Sandbox-Timestamp": "1"},
        {"X-Sandbox-Signature": "v1=00"},
        {"X-Sandbox-Timestamp": "gestern", "X-Sandbox-Signature": "v1=00"},
    ],
)
def test_a_notification_without_signature_or_timestamp_is_refused(client, payment, headers):
    response = client.post(
        "/bezahlen/webhook/sandbox/", data=webhook_body(payment), content_type="application/json", headers=headers
    )
    assert response.status_code == 400
    assert "code" in response.json()
    assert booked(payment) == "created"


def test_a_signed_notification_about_an_unknown_payment_is_404(client, payment):
    response = post_webhook(client, webhook_body(payment, changes={"payment": str(uuid.uuid4())}))
    assert response.status_code == 404
    assert response.json()["code"] == "payment_unknown"
    malformed = post_webhook(client, webhook_body(payment, changes={"payment": "kein-uuid"}))
    assert malformed.status_code == 404
    assert not WebhookEvent.objects.exists()


def test_the_sandbox_cannot_book_a_payment_of_another_provider(client, musterstadt):
    invoice = start_payment(musterstadt, method="invoice").payment
    response = post_webhook(client, webhook_body(invoice))
    assert response.status_code == 404
    assert booked(invoice) == "pending"


def test_a_signed_notification_with_another_amount_is_not_booked(client, payment):
    response = post_webhook(client, webhook_body(payment, changes={"amount": "1.00"}))
    assert response.status_code == 409
    assert response.json()["code"] == "amount_mismatch"
    assert booked(payment) == "created"
    assert not WebhookEvent.objects.exists(), "a refused notification can be sent again once corrected"


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", b'{"id": "evt_1"}', json.dumps({"id": 5, "payment": "x", "outcome": "x"}).encode()],
)
def test_a_signed_but_malformed_body_is_400(client, payment, body):
    response = post_webhook(client, body)
    assert response.status_code == 400
    assert response.json()["code"] == "malformed"


def test_a_signed_notification_with_an_unknown_outcome_is_400(client, payment):
    response = post_webhook(client, webhook_body(payment, outcome="refunded"))
    assert response.status_code == 400
    assert booked(payment) == "created"


@pytest.mark.parametrize("provider", ["invoice", "stripe"])
def test_other_providers_have_no_webhook_here(client, payment, provider):
    response = client.post(
        f"/bezahlen/webhook/{provider}/", data=webhook_body(payment), content_type="application/json"
    )
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_disabled_provider_takes_no_notifications(client, payment, settings):
    settings.RATHAUS_PAYMENT_PROVIDERS = ["invoice"]
    assert post_webhook(client, webhook_body(payment)).status_code == 404
    assert booked(payment) == "created"


def test_only_post_is_accepted(client, db):
    response = client.get("/bezahlen/webhook/sandbox/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"


def test_the_configured_secret_is_used(client, payment, settings):
    body = webhook_body(payment)
    timestamp = int(time.time())
    signed_with_default = sandbox.signature(body, timestamp)
    settings.RATHAUS_PAYMENT_SANDBOX_SECRET = "ein-anderes-geheimnis"
    refused = post_webhook(client, body, timestamp=timestamp, signature=signed_with_default)
    assert refused.status_code == 400
    accepted = post_webhook(client, body, timestamp=timestamp)
    assert accepted.status_code == 200
