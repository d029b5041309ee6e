"""The citizen's postbox: the administration's messages and documents for an application, and the answers."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
# What the administration may send, with the extension its stored file gets and the bytes it must start with.
DOCUMENT_TYPES = {PDF: (".pdf", b"%PDF-"), PNG: (".png", b"\x89PNG\r\n\x1a\n"), JPEG: (".jpg", b"\xff\xd8\xff")}


def document_storage_name(instance: Document, filename: str) -> str:
    """A path nobody can guess that holds nothing of the letter: postbox/<municipality>/<random>.<ext>."""
    extension = DOCUMENT_TYPES.get(instance.content_type, ("", b""))[0]
    return f"postbox/{instance.municipality_id}/{secrets.token_urlsafe(32)}{extension}"


class Document(models.Model):
    """A file the administration sends to a citizen (a decision letter as PDF, for example)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.PROTECT, related_name="postbox_documents")
    file = models.FileField(upload_to=document_storage_name, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=40, choices=[(t, t) for t in DOCUMENT_TYPES])
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="postbox_document_not_empty"),
            models.CheckConstraint(condition=Q(content_type__in=list(DOCUMENT_TYPES)), name="postbox_document_type"),
            models.CheckConstraint(condition=~Q(name=""), name="postbox_document_has_name"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="postbox_document_sha256"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("postbox:document", args=[self.public_id])


class Message(models.Model):
    """One message in a citizen's postbox, always about one of their applications.

    `recipient` is the citizen whose postbox holds the message: the addressee of the administration's messages
    and the author of a reply. Guests (applications without an account) have no postbox.
    """

    class Direction(models.TextChoices):
        TO_CITIZEN = "to_citizen", _("from the administration")
        FROM_CITIZEN = "from_citizen", _("from you")

    class Kind(models.TextChoices):
        INFORMATION = "information", _("information")
        REQUEST_FOR_INFORMATION = "request_for_information", _("request for information")
        DECISION = "decision", _("decision")
        REPLY = "reply", _("your reply")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey("tenants.Municipality", on_delete=models.PROTECT, related_name="postbox_messages")
    application = models.ForeignKey("applications.Application", on_delete=models.PROTECT, related_name="messages")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="postbox_messages")
    direction = models.CharField(max_length=20, choices=Direction.choices)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    documents = models.ManyToManyField(Document, blank=True, related_name="messages")
    attachments = models.ManyToManyField("uploads.Upload", blank=True, related_name="postbox_messages")
    in_reply_to = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replies")
    reply_requested = models.BooleanField(default=False)
    reply_due = models.DateField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True, help_text=_("When the e-mail notice was sent"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "municipality", "direction", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction="to_citizen", kind__in=["information", "request_for_information", "decision"])
                | Q(direction="from_citizen", kind="reply"),
                name="postbox_message_kind_fits_direction",
            ),
            models.CheckConstraint(
                condition=Q(direction="to_citizen", in_reply_to__isnull=True)
                | Q(direction="from_citizen", in_reply_to__isnull=False),
                name="postbox_message_replies_answer_a_message",
            ),
            models.CheckConstraint(
                condition=Q(reply_requested=False) | Q(direction="to_citizen"),
                name="postbox_message_only_administration_requests_replies",
            ),
            models.CheckConstraint(
                condition=Q(reply_due__isnull=True) | Q(reply_requested=True), name="postbox_message_due_needs_request"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["information", "decision"]) | Q(reply_requested=True) | Q(kind="reply"),
                name="postbox_message_request_asks_for_reply",
            ),
            models.CheckConstraint(condition=~Q(subject=""), name="postbox_message_has_subject"),
            # A request is answered once: a double click or a second tab cannot answer it twice.
            models.UniqueConstraint(
                fields=["in_reply_to"], condition=Q(in_reply_to__isnull=False), name="postbox_message_one_reply"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.subject}"

    def get_absolute_url(self) -> str:
        message = self.in_reply_to if self.in_reply_to_id else self
        assert message is not None
        return reverse("postbox:message", args=[message.public_id])

    @property
    def is_unread(self) -> bool:
        return self.direction == self.Direction.TO_CITIZEN and self.read_at is None
