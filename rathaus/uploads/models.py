"""Files citizens upload as proofs for an application (Nachweise)."""

from __future__ import annotations

import secrets
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from rathaus.tenants.models import Municipality

from . import sniffing

EXTENSIONS = {
    sniffing.PDF: ".pdf",
    sniffing.JPEG: ".jpg",
    sniffing.PNG: ".png",
    sniffing.HEIC: ".heic",
    sniffing.HEIF: ".heif",
    sniffing.TIFF: ".tif",
}
OTHER_EXTENSIONS = {".jpeg": sniffing.JPEG, ".jpe": sniffing.JPEG, ".tiff": sniffing.TIFF, ".heif": sniffing.HEIC}


def storage_name(instance: Upload, filename: str) -> str:
    """A path nobody can guess and that holds nothing the citizen typed: uploads/<municipality>/<random>.<ext>."""
    return f"uploads/{instance.municipality_id}/{secrets.token_urlsafe(32)}{EXTENSIONS.get(instance.content_type, '')}"


class Upload(models.Model):
    class ScanStatus(models.TextChoices):
        CLEAN = "clean", _("checked for viruses, clean")
        NOT_SCANNED = "not_scanned", _("not checked for viruses (no scanner configured)")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="uploads")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="uploads"
    )
    # A guest's uploads belong to their session: stored as a keyed hash (HMAC) of the session key, so the
    # table never holds anything that could be used as a session cookie.
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    document_id = models.CharField(_("document"), max_length=60)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40, choices=[(t, t) for t in sniffing.CONTENT_TYPES])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    file = models.FileField(upload_to=storage_name, max_length=255)
    scan_status = models.CharField(_("virus check"), max_length=20, choices=ScanStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("upload")
        verbose_name_plural = _("uploads")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner__isnull=False) | ~models.Q(session_key=""), name="upload_has_an_owner"
            ),
            models.CheckConstraint(condition=models.Q(size__gt=0), name="upload_not_empty"),
            models.CheckConstraint(
                condition=models.Q(content_type__in=sniffing.CONTENT_TYPES), name="upload_known_content_type"
            ),
            models.CheckConstraint(
                condition=models.Q(scan_status__in=["clean", "not_scanned"]), name="upload_scan_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.original_name}"

    def get_absolute_url(self) -> str:
        return reverse("uploads:download", args=[self.public_id])

    @property
    def download_name(self) -> str:
        """The citizen's file name with an extension that matches what the file really is."""
        path = PurePath(self.original_name)
        extension = EXTENSIONS.get(self.content_type, "")
        suffix = path.suffix.lower()
        if suffix == extension or OTHER_EXTENSIONS.get(suffix) == self.content_type:
            return self.original_name
        if suffix in EXTENSIONS.values() or suffix in OTHER_EXTENSIONS:
            return path.stem + extension
        return self.original_name + extension
