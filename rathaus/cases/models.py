import secrets
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from rathaus.core.i18n import localized


class Case(models.Model):
    """The E-Akte of one submitted application, processed by one department along the service's workflow."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey("tenants.Department", on_delete=models.PROTECT, related_name="cases")
    application = models.OneToOneField(
        "applications.Application", on_delete=models.PROTECT, related_name="case", null=True, blank=True
    )
    reference = models.CharField(_("reference number"), max_length=30)
    service_key = models.CharField(max_length=60, db_index=True)
    workflow = models.CharField(max_length=60)
    state = models.CharField(max_length=60, db_index=True)
    applicant_name = models.CharField(_("applicant"), max_length=200, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="assigned_cases"
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    # The deadline of a waiting state (an answer the citizen owes, for example), set by the workflow's set_deadline.
    waiting_until = models.DateField(null=True, blank=True)
    fee_amount = models.DecimalField(_("fee"), max_digits=9, decimal_places=2, null=True, blank=True)
    # The postbox message whose reply the case waits for (request for information).
    awaiting_message = models.UUIDField(null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    # Optimistic locking: a save must name the version it read; a concurrent save makes it stale.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Retention: after the period the personal data goes; the row stays (anonymised) for statistics.
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["due_on", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "reference"], name="case_unique_reference"),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_version_positive"),
        ]
        indexes = [
            models.Index(fields=["municipality", "department", "state"]),
            models.Index(fields=["closed_at"]),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def service_name(self) -> str:
        """The service's name in the active language (its key once the application is gone after retention)."""
        if self.application is None:
            return self.service_key
        return localized(self.application.definition.data["name"])

    @property
    def form_data(self) -> dict[str, Any]:
        """What the applicant entered; empty once the application is gone after retention."""
        return self.application.data if self.application is not None else {}


def document_storage_name(instance: "CaseDocument", filename: str) -> str:
    """A path nobody can guess that holds nothing of the document: cases/<municipality>/<random>."""
    return f"cases/{instance.case.municipality_id}/{secrets.token_urlsafe(32)}"


class CaseDocument(models.Model):
    """One version of one document of the case file. A new version is a new row of the same lineage: never
    overwritten. Internal notes are documents with text and no file."""

    class Kind(models.TextChoices):
        UPLOAD = "upload", _("proof submitted by the applicant")
        APPLICATION = "application", _("application and receipt")
        LETTER = "letter", _("letter")
        MESSAGE = "message", _("message")
        NOTE = "note", _("internal note")
        OTHER = "other", _("other document")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    lineage = models.UUIDField(default=uuid.uuid4, db_index=True, help_text="shared by all versions of a document")
    version = models.PositiveIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(upload_to=document_storage_name, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("type"), max_length=80, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField(_("text"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lineage", "version"], name="case_document_version_unique"),
            models.CheckConstraint(condition=Q(version__gte=1), name="case_document_version_positive"),
            models.CheckConstraint(condition=~Q(file="") | ~Q(text=""), name="case_document_has_content"),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"


class AssignmentCursor(models.Model):
    """Where round-robin assignment of a department's cases of one service stands."""

    department = models.ForeignKey("tenants.Department", on_delete=models.CASCADE, related_name="+")
    service_key = models.CharField(max_length=60)
    last_assignee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["department", "service_key"], name="assignment_cursor_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.department} / {self.service_key}"
