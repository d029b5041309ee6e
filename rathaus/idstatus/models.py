"""The status of ID documents (Personalausweis, Reisepass) applied for at the Bürgerbüro.

No names, no dates of birth: a row holds the keyed hash of the document's serial number, the last three characters
for staff, the kind of document and its status. Rows go some weeks after pickup (`idstatus_purge`, daily).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentStatus(models.Model):
    class Kind(models.TextChoices):
        ID_CARD = "personalausweis", _("identity card")
        PASSPORT = "reisepass", _("passport")

    class Status(models.TextChoices):
        IN_PRODUCTION = "in_production", _("in production")
        READY = "ready", _("ready for pickup")
        PICKED_UP = "picked_up", _("picked up")

    municipality = models.ForeignKey(
        "tenants.Municipality", verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="id_statuses"
    )
    number_digest = models.CharField(_("number (keyed hash)"), max_length=64, editable=False)
    number_hint = models.CharField(_("number ends with"), max_length=4, editable=False)
    kind = models.CharField(_("document"), max_length=20, choices=Kind.choices, default=Kind.ID_CARD)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_PRODUCTION)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    picked_up_at = models.DateTimeField(_("picked up"), null=True, blank=True)

    class Meta:
        verbose_name = _("ID document status")
        verbose_name_plural = _("ID document statuses")
        ordering = ["municipality", "-updated_at"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number_digest"], name="idstatus_unique_number"),
            models.CheckConstraint(
                condition=models.Q(status__in=["in_production", "ready", "picked_up"]), name="idstatus_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number_hint}: {self.get_status_display()}"
