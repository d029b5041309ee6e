"""A sandbox provider that behaves like a real redirect provider, without moving money.

The browser is sent to a payment page (/bezahlen/sandbox/<id>/) where the citizen chooses the method and
pays, lets the payment fail, or cancels. The page records the result on the "provider side" (SandboxCharge)
and notifies the application with a signed webhook, like a real provider:

    POST /bezahlen/webhook/sandbox/
    X-Sandbox-Timestamp: <unix seconds>
    X-Sandbox-Signature: v1=<hex HMAC-SHA256 of "<timestamp>." + raw body, key RATHAUS_PAYMENT_SANDBOX_SECRET>

The notification arrives RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY seconds later over HTTP (a background thread;
django-tasks will take this over), or at once in-process when the delay is 0 - through the same verification.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .base import Notification, Provider, SignatureInvalid, WebhookRejected, WebhookRequest
from .registry import register

if TYPE_CHECKING:
    from rathaus.payments.models import Payment, SandboxCharge

logger = logging.getLogger(__name__)

TIMESTAMP_HEADER = "X-Sandbox-Timestamp"
SIGNATURE_HEADER = "X-Sandbox-Signature"
SIGNATURE_VERSION = "v1"
MAX_AGE_SECONDS = 5 * 60
PAGE_TOKEN_MAX_AGE = 24 * 60 * 60  # no time pressure on the payment page
PAGE_TOKEN_SALT = "rathaus.payments.sandbox.page"  # noqa: S105 (a salt, not a secret)
OUTCOMES = ("succeeded", "failed", "cancelled")


def webhook_secret() -> bytes:
    configured = getattr(settings, "RATHAUS_PAYMENT_SANDBOX_SECRET", "")
    if configured:
        return configured.encode()
    return salted_hmac("rathaus.payments.sandbox.webhook", "secret").hexdigest().encode()


def signature(body: bytes, timestamp: int, secret: bytes | None = None) -> str:
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret or webhook_secret(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signed_headers(body: bytes, *, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(body, timestamp),
    }


def page_token(payment: Payment) -> str:
    """The capability to use the payment page: only the browser that was sent there has it."""
    return signing.TimestampSigner(salt=PAGE_TOKEN_SALT).sign(str(payment.public_id))


def page_token_valid(payment: Payment, token: str) -> bool:
    try:
        value = signing.TimestampSigner(salt=PAGE_TOKEN_SALT).unsign(token, max_age=PAGE_TOKEN_MAX_AGE)
    except signing.BadSignature:
        return False
    return hmac.compare_digest(value, str(payment.public_id))


def _notification_from(data: Any) -> Notification:
    if not isinstance(data, dict):
        raise WebhookRejected("The body is not a JSON object.", code="malformed")
    try:
        event_id, payment_id, outcome = data["id"], data["payment"], data["outcome"]
        method, reference = data.get("method") or "", data.get("reference") or ""
        amount = Decimal(data["amount"])
        currency = data["currency"]
    except (KeyError, TypeError, InvalidOperation):
        raise WebhookRejected("The notification lacks a field or has a malformed one.", code="malformed") from None
    texts = (event_id, payment_id, outcome, method, reference, currency)
    if not all(isinstance(text, str) and len(text) <= 100 for text in texts) or not event_id:
        raise WebhookRejected("The notification lacks a field or has a malformed one.", code="malformed")
    if outcome not in OUTCOMES:
        raise WebhookRejected(f"Unknown outcome {outcome!r}.", code="malformed")
    return Notification(
        event_id=event_id,
        payment_public_id=payment_id,
        status=outcome,
        method=method,
        reference=reference,
        amount=amount,
        currency=currency,
    )


@dataclass(frozen=True)
class SignedDelivery:
    """A webhook as the provider sends it; it has what WebhookRequest needs, so it is verified like one."""

    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@register
class SandboxProvider(Provider):
    code = "sandbox"
    label = _("Sandbox (test payments, no real money)")
    methods = ("card", "paypal", "giropay", "sepa")

    def start(self, payment: Payment, return_url: str) -> str:
        path = reverse("payments:sandbox_page", args=[payment.public_id])
        return f"{path}?{urlencode({'t': page_token(payment)})}"

    def parse_webhook(self, request: WebhookRequest) -> Notification:
        headers = request.headers
        timestamp_text = headers.get(TIMESTAMP_HEADER, "")
        given = headers.get(SIGNATURE_HEADER, "")
        if not timestamp_text or not given:
            raise SignatureInvalid("The signature or its timestamp is missing.", code="signature_missing")
        try:
            timestamp = int(timestamp_text)
        except ValueError:
            raise SignatureInvalid("The timestamp is not a number.", code="timestamp_invalid") from None
        body = request.body
        # Compare first, then look at the age: a forger learns nothing from which check failed first.
        if not hmac.compare_digest(signature(body, timestamp).encode(), given.encode()):
            raise SignatureInvalid("The signature does not match.")
        if abs(time.time() - timestamp) > MAX_AGE_SECONDS:
            raise SignatureInvalid("The notification is older than five minutes.", code="timestamp_expired")
        try:
            data = json.loads(body)
        except ValueError:
            raise WebhookRejected("The body is not JSON.", code="malformed") from None
        return _notification_from(data)

    def fetch_result(self, payment: Payment) -> Notification | None:
        from rathaus.payments.models import SandboxCharge

        charge = SandboxCharge.objects.filter(payment=payment).first()
        return _notification_from(notification_data(charge)) if charge else None


class ChargeExists(Exception):
    """The payment page was already completed."""


def charge_create(*, payment: Payment, outcome: str, method: str) -> SandboxCharge:
    """The provider side: record what the citizen did on the payment page (once per payment)."""
    from rathaus.payments.models import SandboxCharge

    if outcome not in OUTCOMES:
        raise ValueError(outcome)
    try:
        with transaction.atomic():
            return SandboxCharge.objects.create(
                payment=payment,
                outcome=outcome,
                method=method,
                reference=f"sbx_{secrets.token_hex(8)}",
                event_id=f"evt_{secrets.token_hex(12)}",
            )
    except IntegrityError:
        raise ChargeExists from None


def notification_data(charge: SandboxCharge) -> dict[str, str]:
    payment = charge.payment
    return {
        "id": charge.event_id,
        "type": f"payment.{charge.outcome}",
        "payment": str(payment.public_id),
        "outcome": charge.outcome,
        "method": charge.method,
        "reference": charge.reference,
        "amount": f"{payment.amount:.2f}",
        "currency": payment.currency,
        "created": charge.created_at.isoformat(),
    }


def webhook_delay() -> float:
    return float(getattr(settings, "RATHAUS_PAYMENT_SANDBOX_WEBHOOK_DELAY", 0))


def webhook_send(*, charge: SandboxCharge, webhook_url: str) -> None:
    """Notify the application of `charge`: at once in-process when the delay is 0, else later over HTTP."""
    body = json.dumps(notification_data(charge), separators=(",", ":")).encode()
    delay = webhook_delay()
    if delay <= 0:
        from rathaus.payments.services import webhook_receive

        delivery = SignedDelivery(body=body, headers=signed_headers(body))
        try:
            webhook_receive(provider_code=SandboxProvider.code, request=delivery)
        except WebhookRejected as rejected:
            logger.warning("sandbox webhook %s rejected: %s", charge.event_id, rejected.code)
        return
    timer = threading.Timer(delay, _post, kwargs={"url": webhook_url, "body": body, "event_id": charge.event_id})
    timer.daemon = True
    timer.start()


def _post(*, url: str, body: bytes, event_id: str, attempts: int = 4) -> None:
    """Deliver over HTTP like a provider: sign at sending time, retry on network errors and 5xx."""
    if not url.startswith(("http://", "https://")):
        logger.error("sandbox webhook %s: %r is not an http(s) URL", event_id, url)
        return
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=body, method="POST", headers=signed_headers(body))  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (scheme checked above)
                logger.info("sandbox webhook %s delivered: %s", event_id, response.status)
                return
        except urllib.error.HTTPError as error:
            if error.code < 500:
                logger.warning("sandbox webhook %s refused: %s", event_id, error.code)
                return
            logger.warning("sandbox webhook %s: %s, attempt %s", event_id, error.code, attempt + 1)
        except OSError as error:
            logger.warning("sandbox webhook %s: %s, attempt %s", event_id, error, attempt + 1)
        time.sleep(2**attempt)
    logger.error("sandbox webhook %s given up after %s attempts", event_id, attempts)
