"""Writes of the postbox: the administration sends, the citizen answers. The case module calls these functions.

Every write runs in a transaction; the e-mail notice and the `citizen_replied` signal follow the commit, so a
rolled-back write never notifies anybody.
"""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Sequence
from datetime import date
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.applications.models import Application
from rathaus.core.errors import Refusal
from rathaus.tenants.models import Municipality
from rathaus.uploads.models import Upload
from rathaus.uploads.services import UploadRule, display_name, upload_accept

from .models import DOCUMENT_TYPES, JPEG, PDF, PNG, Document, Message
from .signals import citizen_replied

logger = logging.getLogger(__name__)

SUBJECT_MAX = 200
BODY_MAX = 5000
REPLY_FILES_MAX = 10
DOCUMENT_MAX_BYTES = 50 * 1024 * 1024
# What a citizen may add to an answer.
REPLY_RULE = UploadRule(document_id="postfach_antwort", accept=(PDF, JPEG, PNG), max_size_mb=10)
ADMINISTRATION_KINDS = (Message.Kind.INFORMATION, Message.Kind.REQUEST_FOR_INFORMATION, Message.Kind.DECISION)


class PostboxError(Refusal):
    """A request that cannot be carried out; str() is translated and meant for the person who asked.

    `field` names the form field the error belongs to ("body", "files"), or "" for the whole message.
    """


class MessageNotFound(LookupError):
    """The message does not exist or is not the user's (the two are not told apart)."""


# --- documents of the administration ---------------------------------------------------------------------------


def document_store(*, municipality: Municipality, name: str, content: bytes, content_type: str) -> Document:
    """Store a file the administration sends (a decision letter as PDF, for example) and return its record.

    `content_type` is one of application/pdf, image/png, image/jpeg, and `content` must really be of that type.
    Attach the document to a message with `message_send_to_citizen(documents=[...])`.
    """
    if content_type not in DOCUMENT_TYPES:
        raise ValueError(f"documents of type {content_type!r} cannot be sent; allowed: {sorted(DOCUMENT_TYPES)}")
    extension, magic = DOCUMENT_TYPES[content_type]
    if not content:
        raise ValueError("the document is empty")
    if len(content) > DOCUMENT_MAX_BYTES:
        raise ValueError(f"the document is larger than {DOCUMENT_MAX_BYTES} bytes")
    if not content.startswith(magic):
        raise ValueError(f"the content is not of type {content_type}")
    shown = display_name(name, content_type)
    if not shown.lower().endswith(extension) and not (content_type == JPEG and shown.lower().endswith(".jpeg")):
        shown += extension
    document = Document(
        municipality=municipality,
        name=shown,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    document.file.save("document", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


# --- the administration writes --------------------------------------------------------------------------------


@transaction.atomic
def message_send_to_citizen(
    *,
    application: Application,
    subject: str,
    body: str,
    kind: str,
    documents: Sequence[Document] = (),
    reply_requested: bool = False,
    reply_due: date | None = None,
) -> Message:
    """Put a message into the applicant's postbox and, after the commit, e-mail them a notice with only a link.

    `kind` is "information", "request_for_information" (always asks for a reply) or "decision". Raises
    PostboxError (translated, for the caseworker) when the application has no postbox: guests applied without
    an account, and drafts have not been sent. Programming errors (unknown kind, a due date without a request,
    a document of another municipality) raise ValueError.
    """
    if kind not in ADMINISTRATION_KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {[k.value for k in ADMINISTRATION_KINDS]}")
    reply_requested = reply_requested or kind == Message.Kind.REQUEST_FOR_INFORMATION
    if reply_due is not None and not reply_requested:
        raise ValueError("a reply_due date needs reply_requested=True")
    if reply_due is not None and reply_due < timezone.localdate():
        raise ValueError("reply_due lies in the past")
    subject = " ".join(subject.split())
    if not subject or len(subject) > SUBJECT_MAX:
        raise ValueError(f"the subject must have 1 to {SUBJECT_MAX} characters")
    if not body.strip():
        raise ValueError("the body is empty")
    for document in documents:
        if document.municipality_id != application.municipality_id:
            raise ValueError(f"document {document.public_id} belongs to another municipality")
    if application.applicant_id is None:
        raise PostboxError(
            _(
                "This application was made without a user account, so there is no postbox to send to. "
                "Please write to the applicant by post or e-mail."
            )
        )
    if application.is_draft or application.status == Application.Status.EXPIRED:
        raise PostboxError(_("Messages can only be sent about an application that has been submitted."))

    message = Message.objects.create(
        municipality_id=application.municipality_id,
        application=application,
        recipient_id=application.applicant_id,
        direction=Message.Direction.TO_CITIZEN,
        kind=kind,
        subject=subject,
        body=body.strip(),
        reply_requested=reply_requested,
        reply_due=reply_due,
    )
    if documents:
        message.documents.set(documents)
    event_emit(
        name="postbox_message_sent",
        municipality=application.municipality,
        service_key=application.definition.key,
        count=len(documents),
    )
    transaction.on_commit(partial(_notify, message.pk))
    logger.info("postbox message %s sent (%s)", message.public_id, kind)
    return message


def site_url(municipality: Municipality) -> str:
    """The municipality's address for links in e-mails: its primary host name (or another one it has)."""
    domain = municipality.domains.order_by("-is_primary", "pk").first()
    host = domain.host if domain else "localhost"
    scheme = "https" if getattr(settings, "RATHAUS_HTTPS", False) else "http"
    port = settings.RATHAUS_SITE_PORT
    return f"{scheme}://{host}:{port}" if port else f"{scheme}://{host}"


def notice_text(*, link: str) -> tuple[str, str]:
    """Subject and text of the e-mail notice: no name, no subject, no reference number, only the link."""
    with translation.override("de"):
        subject = _("New message in your postbox")
        text = _(
            "Hello,\n\nyou have a new message in your postbox. For your protection, this e-mail does not contain "
            "the message. Please log in to read it:\n\n%(link)s\n\nThis e-mail was sent automatically. Please do "
            "not reply to it."
        ) % {"link": link}
    return subject, text


def _notify(message_pk: int) -> None:
    """Send the notice of one message (after its commit). A mail server that fails is logged; the message stays."""
    message = Message.objects.select_related("recipient", "municipality").get(pk=message_pk)
    link = site_url(message.municipality) + reverse("postbox:message", args=[message.public_id])
    subject, text = notice_text(link=link)
    try:
        send_mail(subject, text, None, [message.recipient.email])
    except (smtplib.SMTPException, OSError):
        logger.exception("the e-mail notice of postbox message %s could not be sent", message.public_id)
        return
    Message.objects.filter(pk=message_pk).update(notified_at=timezone.now())


# --- the citizen reads and answers ----------------------------------------------------------------------------


def _own_message(message: Message, user: User) -> None:
    if message.direction != Message.Direction.TO_CITIZEN or message.recipient_id != user.pk:
        raise MessageNotFound


@transaction.atomic
def message_mark_read(*, message: Message, user: User) -> Message:
    """Mark the administration's message as read by its recipient (once; later calls change nothing)."""
    _own_message(message, user)
    if message.read_at is not None:
        return message
    now = timezone.now()
    if Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now):
        message.read_at = now
    else:
        message.refresh_from_db(fields=["read_at"])
    return message


def reply_upload_accept(*, message: Message, user: User, file: UploadedFile) -> Upload:
    """Check and store one file for an answer to `message` (PDF, JPG or PNG, at most 10 MB, virus-checked).

    Raises UploadRejected (from rathaus.uploads.services) with a translated message when the file is refused,
    PostboxError when the message asks for no answer.
    """
    _own_message(message, user)
    if not message.reply_requested:
        raise PostboxError(_("This message does not ask for an answer."))
    return upload_accept(
        file=file,
        rule=REPLY_RULE,
        municipality=message.municipality,
        owner=user,
        session_key="",
        service_key=message.application.definition.key,
    )


@transaction.atomic
def message_reply(*, message: Message, user: User, body: str, uploads: Sequence[Upload]) -> Message:
    """The recipient answers a message that asks for a reply: a text, documents (from `reply_upload_accept`), or both.

    A request is answered once (a double click answers it once; the administration sends a new request when
    something is still missing). After the commit `citizen_replied` is sent with `message` and `reply`.
    Raises MessageNotFound when the message is not `user`'s, PostboxError (translated) otherwise.
    """
    _own_message(message, user)
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if not locked.reply_requested:
        raise PostboxError(_("This message does not ask for an answer."))
    if Message.objects.filter(in_reply_to=locked).exists():
        raise PostboxError(_("You have already answered this message."))
    text = body.strip()
    if len(text) > BODY_MAX:
        raise PostboxError(
            _("Please shorten your answer to at most %(limit)s characters.") % {"limit": BODY_MAX}, field="body"
        )
    if len(uploads) > REPLY_FILES_MAX:
        raise PostboxError(
            _("Please add at most %(limit)s documents to one answer.") % {"limit": REPLY_FILES_MAX}, field="files"
        )
    for upload in uploads:
        if upload.owner_id != user.pk or upload.municipality_id != locked.municipality_id:
            raise PostboxError(_("A document could not be found. Please add it again."), field="files")
    if not text and not uploads:
        raise PostboxError(_("Please write an answer or add a document."), field="body")
    reply = Message.objects.create(
        municipality_id=locked.municipality_id,
        application_id=locked.application_id,
        recipient=user,
        direction=Message.Direction.FROM_CITIZEN,
        kind=Message.Kind.REPLY,
        subject=locked.subject,
        body=text,
        in_reply_to=locked,
    )
    if uploads:
        reply.attachments.set(uploads)
    if locked.read_at is None:
        locked.read_at = timezone.now()
        locked.save(update_fields=["read_at"])
    message.read_at = locked.read_at
    event_emit(
        name="postbox_reply_received",
        municipality=locked.municipality,
        service_key=locked.application.definition.key,
        count=len(uploads),
    )
    transaction.on_commit(lambda: citizen_replied.send(sender=Message, message=locked, reply=reply))
    logger.info("postbox message %s answered with %s documents", locked.public_id, len(uploads))
    return reply


# --- erasure at the end of the retention period ---------------------------------------------------------------


@transaction.atomic
def postbox_erase_for_application(*, application: Application) -> int:
    """Delete every message about `application`, the administration's documents attached to them and the files the
    citizen added to answers; the stored files follow after the commit. Called by the case module when the case's
    retention period has ended, before the application itself is erased. Returns how many messages were deleted."""
    from rathaus.uploads.services import upload_discard

    messages = Message.objects.filter(application=application)
    documents = list(Document.objects.filter(messages__application=application).values_list("pk", flat=True))
    attachments = list(Upload.objects.filter(postbox_messages__application=application).values_list("pk", flat=True))
    count = messages.count()
    messages.filter(in_reply_to__isnull=False).delete()  # answers first: they protect the message they answer
    messages.delete()
    Document.objects.filter(pk__in=documents, messages__isnull=True).delete()
    for upload in Upload.objects.filter(pk__in=attachments, postbox_messages__isnull=True).select_related("owner"):
        upload_discard(upload=upload, owner=upload.owner, session_key="")  # answers are always from an account
    if count:
        logger.info("%s postbox messages of application %s erased", count, application.public_id)
    return count
