"""Invoice or payment at the counter: no redirect, no webhook. The payment stays pending until staff book it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

from .base import Notification, Provider, WebhookRejected, WebhookRequest, with_payment_parameter
from .registry import register

if TYPE_CHECKING:
    from rathaus.payments.models import Payment


@register
class InvoiceProvider(Provider):
    code = "invoice"
    label = _("Invoice or payment at the counter")
    methods = ("invoice",)
    initial_status = "pending"

    def start(self, payment: Payment, return_url: str) -> str:
        return with_payment_parameter(return_url, payment)

    def parse_webhook(self, request: WebhookRequest) -> Notification:
        raise WebhookRejected("Invoices have no webhook.", code="no_webhook", status=404)
