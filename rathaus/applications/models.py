import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    """A citizen's application for one service: a draft until submitted, then the record of what was sent."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        AWAITING_PAYMENT = "awaiting_payment", _("waiting for payment")
        SUBMITTED = "submitted", _("received, waiting for processing")
        EXPIRED = "expired", _("draft expired")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.PROTECT, related_name="applications")
    definition = models.ForeignKey("catalog.ServiceDefinition", on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="applications"
    )
    guest_email = models.EmailField(blank=True, help_text=_("Where a guest's resume link and news are sent"))
    status = models.CharField(max_length=30, choices=Status.choices, default=Status.DRAFT)
    data = models.JSONField(default=dict, blank=True)
    completed_steps = models.JSONField(default=list, blank=True)
    current_step = models.CharField(max_length=60, blank=True)
    fee_total = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    payment_method = models.CharField(max_length=30, blank=True)
    trust_level = models.CharField(max_length=20, blank=True, help_text=_("Trust level of the login at submission"))
    reference = models.CharField(max_length=30, blank=True)
    consent_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference"], condition=~models.Q(reference=""), name="application_reference"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="submitted") | ~models.Q(reference=""),
                name="application_submitted_has_reference",
            ),
        ]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return self.reference or str(self.public_id)

    @property
    def is_draft(self) -> bool:
        return self.status in {self.Status.DRAFT, self.Status.AWAITING_PAYMENT}

    @property
    def status_text(self) -> str:
        """What the citizen reads as the status: the case processing's latest note, else the application's status."""
        changes = list(self.status_changes.all())  # uses a prefetch where the caller made one
        last = changes[-1] if changes else None
        return last.note if last is not None and last.note else str(self.get_status_display())


class StatusChange(models.Model):
    """The status history a citizen sees in "Meine Anträge"."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=30)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.application} {self.status} {self.at:%Y-%m-%d %H:%M}"


class ReferenceCounter(models.Model):
    """The last reference number given per municipality and year (row-locked while a number is taken)."""

    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["municipality", "year"], name="reference_counter_unique")]

    def __str__(self) -> str:
        return f"{self.municipality} {self.year}: {self.last_number}"
