"""Helpers for the payment tests: start a payment, build and post signed webhooks."""

import json
import time
import uuid
from decimal import Decimal

from django.test import Client

from rathaus.payments.models import Payment
from rathaus.payments.providers import sandbox
from rathaus.payments.services import payment_start

RETURN_URL = "/antraege/zurueck/"


def start_payment(municipality, *, method: str = "card", amount: str = "12.50", return_url: str = RETURN_URL):
    return payment_start(
        municipality=municipality,
        purpose=f"application:{uuid.uuid4()}",
        amount=Decimal(amount),
        description="Bewohnerparkausweis – Gebühr",
        method=method,
        return_url=return_url,
        service_key="bewohnerparkausweis",
    )


def webhook_body(
    payment: Payment, *, outcome: str = "succeeded", event_id: str = "evt_test_1", changes: dict | None = None
) -> bytes:
    data = {
        "id": event_id,
        "type": f"payment.{outcome}",
        "payment": str(payment.public_id),
        "outcome": outcome,
        "method": "paypal",
        "reference": "sbx_test",
        "amount": f"{payment.amount:.2f}",
        "currency": "EUR",
        "created": "2026-05-04T10:00:00+00:00",
    }
    data.update(changes or {})
    return json.dumps(data).encode()


def post_webhook(client: Client, body: bytes, *, timestamp: int | None = None, signature: str | None = None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = sandbox.signature(body, timestamp) if signature is None else signature
    return client.post(
        "/bezahlen/webhook/sandbox/",
        data=body,
        content_type="application/json",
        headers={"X-Sandbox-Timestamp": str(timestamp), "X-Sandbox-Signature": signature},
    )
