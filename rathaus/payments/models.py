import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class PaymentStatus(models.TextChoices):
    CREATED = "created", _("created")
    PENDING = "pending", _("pending")
    SUCCEEDED = "succeeded", _("paid")
    FAILED = "failed", _("failed")
    CANCELLED = "cancelled", _("cancelled")


class PaymentMethodChoice(models.TextChoices):
    CARD = "card", _("Credit or debit card")
    PAYPAL = "paypal", _("PayPal")
    GIROPAY = "giropay", _("Online bank transfer (like giropay)")
    SEPA = "sepa", _("SEPA direct debit")
    INVOICE = "invoice", _("Invoice or payment at the counter")


class Payment(models.Model):
    """One payment of a fee, for a purpose such as "application:<uuid>", through one provider."""

    Status = PaymentStatus
    Method = PaymentMethodChoice

    OPEN = (Status.CREATED, Status.PENDING)
    FINAL = (Status.SUCCEEDED, Status.FAILED, Status.CANCELLED)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.PROTECT, related_name="payments")
    purpose = models.CharField(_("purpose"), max_length=200, help_text=_('What is paid for, e.g. "application:<uuid>"'))
    service_key = models.SlugField(_("service"), max_length=60, blank=True)
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    description = models.CharField(_("description"), max_length=300)
    provider = models.CharField(_("provider"), max_length=30)
    method = models.CharField(_("payment method"), max_length=20, choices=Method.choices)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.CREATED)
    provider_reference = models.CharField(_("provider reference"), max_length=100, blank=True)
    return_url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["purpose", "-created_at"], name="payment_purpose_latest")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="payment_amount_not_negative"),
            models.CheckConstraint(condition=models.Q(currency="EUR"), name="payment_currency_eur"),
            models.CheckConstraint(condition=models.Q(status__in=PaymentStatus.values), name="payment_status_valid"),
            models.CheckConstraint(
                condition=models.Q(method__in=PaymentMethodChoice.values), name="payment_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount} {self.currency} – {self.description} ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN

    @property
    def is_accepted(self) -> bool:
        """Paid, or to be paid by invoice / at the counter: enough to submit an application."""
        return self.status == self.Status.SUCCEEDED or (
            self.method == self.Method.INVOICE and self.status == self.Status.PENDING
        )


class WebhookEvent(models.Model):
    """A provider notification that was verified and booked. The unique event id makes replays book nothing."""

    provider = models.CharField(max_length=30)
    event_id = models.CharField(max_length=100)
    payment = models.ForeignKey(Payment, on_delete=models.CASCADE, related_name="webhook_events")
    outcome = models.CharField(max_length=20, choices=Payment.Status.choices)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payment notification")
        verbose_name_plural = _("payment notifications")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="webhook_event_unique_id"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.event_id}"


class SandboxCharge(models.Model):
    """The sandbox provider's own record of what the citizen did on its payment page (its "bank side").

    In a real integration this lives at the provider; the application learns it only from the signed webhook or
    by asking the provider when the browser returns. One payment page can be completed once.
    """

    payment = models.OneToOneField(Payment, on_delete=models.CASCADE, related_name="sandbox_charge")
    reference = models.CharField(max_length=40, unique=True)
    event_id = models.CharField(max_length=40, unique=True)
    outcome = models.CharField(max_length=20, choices=Payment.Status.choices)
    method = models.CharField(max_length=20, choices=Payment.Method.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome__in=["succeeded", "failed", "cancelled"]), name="sandbox_charge_outcome"
            ),
        ]

    def __str__(self) -> str:
        return self.reference
