"""Writes of payments: start one, book what a provider says (browser return or webhook), settle at the counter,
cancel one whose purpose is gone.

Every change of a payment's status goes through `payment_book`, `payment_settle_at_counter` or `payment_cancel`: a
conditional UPDATE from an open status, so that however often and in whatever order the browser return and the
webhook arrive, the status changes once and `payment_succeeded` / `payment_failed` is sent once, after the commit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.tenants.models import Municipality

from .models import Payment, WebhookEvent
from .providers.base import Notification, WebhookRejected, WebhookRequest
from .providers.registry import ProviderUnknown, provider_get, providers_enabled
from .selectors import methods_available
from .signals import payment_failed, payment_succeeded

MAX_AMOUNT = Decimal("99999999.99")


class PaymentInvalid(ValidationError):
    """A payment that cannot be started; the message is translated and can be shown."""


@dataclass(frozen=True)
class PaymentStart:
    payment: Payment
    redirect_url: str  # where to send the browser: the provider's payment page, or return_url for invoices


@dataclass(frozen=True)
class WebhookResult:
    payment: Payment
    booked: bool  # the status changed because of this notification
    duplicate: bool  # the notification had been received before; nothing was done


def _return_url_check(url: str) -> None:
    parts = urlsplit(url)
    is_path = url.startswith("/") and not url.startswith(("//", "/\\")) and not parts.scheme and not parts.netloc
    is_web = parts.scheme in {"http", "https"} and bool(parts.netloc)
    if not (is_path or is_web) or len(url) > 500 or any(char in url for char in "\r\n\t"):
        raise PaymentInvalid(_("The return address of the payment is not valid."), code="return_url")


def payment_start_check(*, municipality: Municipality, amount: Any, description: str, purpose: str, method: str) -> str:
    """Raise PaymentInvalid when the payment cannot be started; return the code of the provider for `method`."""
    if not isinstance(amount, Decimal | int) or isinstance(amount, bool) or not Decimal(amount).is_finite():
        raise PaymentInvalid(_("The amount must be a number of euros."), code="amount")
    amount = Decimal(amount)
    if amount < 0:
        raise PaymentInvalid(_("The amount must not be negative."), code="amount_negative")
    if amount > MAX_AMOUNT:
        raise PaymentInvalid(_("The amount is too large."), code="amount_too_large")
    if amount != amount.quantize(Decimal("0.01")):
        raise PaymentInvalid(_("The amount must be in whole cents."), code="amount_cents")
    if not purpose.strip() or len(purpose) > 200:
        raise PaymentInvalid(_("The purpose of the payment is missing or too long."), code="purpose")
    if not description.strip() or len(description) > 300:
        raise PaymentInvalid(_("The description of the payment is missing or too long."), code="description")
    for offered in methods_available(municipality=municipality):
        if offered.code == method:
            return offered.provider
    raise PaymentInvalid(_("This payment method is not offered here."), code="method")


@transaction.atomic
def payment_start(
    *,
    municipality: Municipality,
    purpose: str,
    amount: Decimal,
    description: str,
    method: str,
    return_url: str,
    service_key: str = "",
) -> PaymentStart:
    """Create a payment and say where the browser goes next.

    `description` is shown on the payment page and sent to the provider: name the service and the fee, never
    personal data. After the provider, the browser comes back to `return_url` with ?payment=<public id>.
    `service_key` (optional) lets the payment KPIs be counted per service.
    """
    provider_code = payment_start_check(
        municipality=municipality, amount=amount, description=description, purpose=purpose, method=method
    )
    _return_url_check(return_url)
    provider = provider_get(provider_code)
    payment = Payment.objects.create(
        municipality=municipality,
        purpose=purpose,
        service_key=service_key,
        amount=Decimal(amount),
        description=description.strip(),
        provider=provider.code,
        method=method,
        return_url=return_url,
    )
    redirect_url = provider.start(payment, return_url)
    if provider.initial_status != payment.status:
        payment.status = provider.initial_status
        payment.save(update_fields=["status", "updated_at"])
    event_emit(
        name="payment_method_chosen",
        municipality=municipality,
        service_key=service_key,
        method=method,
        provider=provider.code,
    )
    return PaymentStart(payment=payment, redirect_url=redirect_url)


@transaction.atomic
def payment_book(*, payment: Payment, notification: Notification) -> bool:
    """Apply what the provider says about `payment`. True when its status changed (a signal follows the commit).

    A payment that is no longer open is left alone: the second of browser return and webhook changes nothing.
    """
    provider = provider_get(payment.provider)
    if notification.payment_public_id != str(payment.public_id):
        raise WebhookRejected("The notification is about another payment.", code="payment_mismatch")
    if notification.amount is not None and (
        notification.amount != payment.amount or notification.currency != payment.currency
    ):
        raise WebhookRejected("The amount differs from the payment's.", code="amount_mismatch", status=409)
    if notification.status not in Payment.FINAL:
        raise WebhookRejected(f"Unknown outcome {notification.status!r}.", code="malformed")
    changes: dict[str, Any] = {"status": notification.status, "updated_at": timezone.now()}
    if notification.method in provider.methods:
        changes["method"] = notification.method
    if notification.reference:
        changes["provider_reference"] = notification.reference
    changed = Payment.objects.filter(pk=payment.pk, status__in=Payment.OPEN).update(**changes)
    payment.refresh_from_db()
    if not changed:
        return False
    _announce(payment)
    return True


def _announce(payment: Payment) -> None:
    succeeded = payment.status == Payment.Status.SUCCEEDED
    signal = payment_succeeded if succeeded else payment_failed
    transaction.on_commit(lambda: signal.send(sender=Payment, payment=payment))
    dimensions: dict[str, str] = {"method": payment.method, "provider": payment.provider}
    if not succeeded:
        dimensions["reason"] = payment.status
    event_emit(
        name="payment_succeeded" if succeeded else "payment_failed",
        municipality=payment.municipality,
        service_key=payment.service_key,
        **dimensions,
    )


def payment_return(*, payment: Payment) -> Payment:
    """The browser came back from the provider: ask the provider and book its answer (if the webhook has not)."""
    if payment.is_open:
        notification = provider_get(payment.provider).fetch_result(payment)
        if notification is not None:
            payment_book(payment=payment, notification=notification)
    return payment


def webhook_receive(*, provider_code: str, request: WebhookRequest) -> WebhookResult:
    """Verify a provider's notification and book it once. Raises WebhookRejected (with its HTTP status)."""
    try:
        provider = provider_get(provider_code)
    except ProviderUnknown:
        raise WebhookRejected("Unknown payment provider.", code="provider_unknown", status=404) from None
    if provider not in providers_enabled():
        raise WebhookRejected("Unknown payment provider.", code="provider_unknown", status=404)
    notification = provider.parse_webhook(request)
    try:
        public_id = uuid.UUID(notification.payment_public_id)
    except ValueError:
        raise WebhookRejected("Unknown payment.", code="payment_unknown", status=404) from None
    payment = Payment.objects.filter(public_id=public_id, provider=provider.code).first()
    if payment is None:
        raise WebhookRejected("Unknown payment.", code="payment_unknown", status=404)
    with transaction.atomic():
        try:
            with transaction.atomic():
                WebhookEvent.objects.create(
                    provider=provider.code, event_id=notification.event_id, payment=payment, outcome=notification.status
                )
        except IntegrityError:
            # The unique event id: this notification was booked before (a replay or the provider's retry).
            return WebhookResult(payment=payment, booked=False, duplicate=True)
        booked = payment_book(payment=payment, notification=notification)
    return WebhookResult(payment=payment, booked=booked, duplicate=False)


@transaction.atomic
def payment_settle_at_counter(*, payment: Payment, actor: User, reference: str = "") -> bool:
    """Staff record that an invoice was paid (transfer received, or paid at the counter). True when it changed."""
    if not actor.staff_roles.filter(municipality_id=payment.municipality_id).exists():
        raise PermissionDenied(_("Only staff of the municipality can settle its payments."))
    if payment.method != Payment.Method.INVOICE:
        raise PaymentInvalid(_("Only payments by invoice are settled by staff."), code="not_invoice")
    reference = reference.strip()[:100] or f"counter:{actor.pk}"
    changed = Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
        status=Payment.Status.SUCCEEDED, provider_reference=reference, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    if changed:
        _announce(payment)
    return bool(changed)


@transaction.atomic
def payment_cancel(*, payment: Payment) -> bool:
    """Withdraw an open payment because what it was for is gone (e.g. a cancelled reservation): an invoice is then
    not to be paid any more. True when it changed (`payment_failed` follows the commit, status "cancelled").

    A payment that is no longer open is left alone and False returned; the caller decides what a paid one needs
    (a refund is for staff to arrange, never a silent change of the booking)."""
    changed = Payment.objects.filter(pk=payment.pk, status__in=Payment.OPEN).update(
        status=Payment.Status.CANCELLED, updated_at=timezone.now()
    )
    payment.refresh_from_db()
    if changed:
        _announce(payment)
    return bool(changed)
