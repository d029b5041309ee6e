"""Reads of payments. Other apps use these and the functions in services.py, never the tables."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rathaus.tenants.models import Municipality

from .models import Payment
from .providers.registry import providers_enabled


@dataclass(frozen=True)
class PaymentMethod:
    code: str  # Payment.Method: card, paypal, giropay, sepa, invoice
    label: str  # translated into the active language
    provider: str  # code of the provider that handles it


def methods_available(*, municipality: Municipality) -> list[PaymentMethod]:
    """The payment methods citizens of `municipality` can choose, in a stable order (online first, invoice last).

    Today every municipality offers what settings.RATHAUS_PAYMENT_PROVIDERS enables.
    """
    methods: dict[str, PaymentMethod] = {}
    for provider in providers_enabled():
        for code in provider.methods:
            methods.setdefault(
                code, PaymentMethod(code=code, label=str(Payment.Method(code).label), provider=provider.code)
            )
    order = [choice.value for choice in Payment.Method]
    return sorted(methods.values(), key=lambda method: order.index(method.code))


def _uuid(value: str | uuid.UUID) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def payment_get(*, public_id: str | uuid.UUID) -> Payment | None:
    """The payment with this public id (e.g. from ?payment= of a return), or None - also for malformed ids."""
    parsed = _uuid(public_id)
    return Payment.objects.select_related("municipality").filter(public_id=parsed).first() if parsed else None


def payment_get_in_municipality(*, municipality: Municipality | None, public_id: str | uuid.UUID) -> Payment | None:
    """Like payment_get, but only a payment of `municipality` (pages never show another municipality's)."""
    payment = payment_get(public_id=public_id)
    if payment is None or municipality is None or payment.municipality_id != municipality.pk:
        return None
    return payment


def payment_for_purpose(*, purpose: str) -> Payment | None:
    """The latest payment for `purpose` (a citizen may have tried several times), or None."""
    return Payment.objects.filter(purpose=purpose).order_by("-created_at", "-id").first()
