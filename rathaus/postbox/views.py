"""The postbox pages: the list, one message with its documents and the answer form, and document downloads."""

from __future__ import annotations

import logging
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from rathaus.accounts.models import User
from rathaus.accounts.selectors import session_trust_level
from rathaus.accounts.views import login_url_for
from rathaus.core.files import private_download
from rathaus.tenants.models import Municipality
from rathaus.tenants.requests import MunicipalityRequest
from rathaus.uploads.models import Upload
from rathaus.uploads.selectors import upload_get_for_owner
from rathaus.uploads.services import UploadRejected, display_name

from . import selectors
from .models import Message
from .services import (
    BODY_MAX,
    REPLY_FILES_MAX,
    REPLY_RULE,
    PostboxError,
    message_mark_read,
    message_reply,
    reply_upload_accept,
)

logger = logging.getLogger(__name__)

TEXT_FIELD = "antwort"
FILES_FIELD = "dateien"
KEPT_FIELD = "beibehalten"


def _citizen(request: MunicipalityRequest) -> tuple[User | None, Municipality]:
    """The logged-in citizen (None: send them to log in) and the municipality of the host (404 without one)."""
    if request.municipality is None:
        raise Http404
    if session_trust_level(request) is None:
        return None, request.municipality
    assert isinstance(request.user, User)
    return request.user, request.municipality


def _to_login(request: MunicipalityRequest) -> HttpResponse:
    return redirect(login_url_for(required_trust_level="niedrig", next_url=request.get_full_path()))


@require_GET
def postbox(request: MunicipalityRequest) -> HttpResponse:
    user, municipality = _citizen(request)
    if user is None:
        return _to_login(request)
    inbox = list(selectors.messages_for_user(user=user, municipality=municipality))
    return render(
        request,
        "postbox/postbox.html",
        {"postbox_messages": inbox, "unread": sum(1 for message in inbox if message.is_unread)},
    )


@require_http_methods(["GET", "POST"])
def message_detail(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    user, municipality = _citizen(request)
    if user is None:
        return _to_login(request)
    message = selectors.message_get_for_user(user=user, municipality=municipality, public_id=public_id)
    if message is None:
        raise Http404
    errors: dict[str, list[str]] = {}
    text = ""
    kept: list[Upload] = []
    status = 200
    if request.method == "POST":
        text = request.POST.get(TEXT_FIELD, "")
        if message.reply_requested and not getattr(message, "answered", False):  # else message_reply says why not
            kept, errors = _reply_files(request, message, user, municipality)
            if len(text.strip()) > BODY_MAX:
                errors["body"] = [
                    _("Please shorten your answer to at most %(limit)s characters.") % {"limit": BODY_MAX}
                ]
        if not errors:
            try:
                message_reply(message=message, user=user, body=text, uploads=kept)
            except PostboxError as error:
                errors[error.field or "form"] = [str(error)]
            else:
                messages.success(request, _("Thank you, your answer has been sent."))
                return redirect("postbox:message", public_id=message.public_id)
        status = 409 if "form" in errors else 422
    else:
        message_mark_read(message=message, user=user)
    replies = list(message.replies.all())
    return render(
        request,
        "postbox/message.html",
        {
            "message": message,
            "documents": list(message.documents.all()),
            "reply": replies[0] if replies else None,
            "can_reply": message.reply_requested and not replies,
            "errors": errors,
            "error_count": sum(len(found) for found in errors.values()),
            "text": text,
            "kept": kept,
            "body_max": BODY_MAX,
            "files_max": REPLY_FILES_MAX,
            "max_size_mb": REPLY_RULE.max_size_mb,
            "type_names": REPLY_RULE.type_names(),
            "accept": ",".join([*REPLY_RULE.accept, ".pdf", ".jpg", ".jpeg", ".png"]),
        },
        status=status,
    )


def _reply_files(
    request: MunicipalityRequest, message: Message, user: User, municipality: Municipality
) -> tuple[list[Upload], dict[str, list[str]]]:
    """The files of an answer: those kept from an earlier attempt and those chosen now, each checked on its own.

    Files that were accepted stay accepted (offered as "keep" next time), so a problem with one file or with the
    text never makes the citizen choose every file again.
    """
    kept: list[Upload] = []
    for upload_id in dict.fromkeys(request.POST.getlist(KEPT_FIELD)):
        upload = upload_get_for_owner(public_id=upload_id, owner=user, session_key="", municipality=municipality)
        if upload is not None:
            kept.append(upload)
    files = [file for file in request.FILES.getlist(FILES_FIELD) if file.name]
    problems: list[str] = []
    if len(kept) + len(files) > REPLY_FILES_MAX:
        problems.append(_("Please add at most %(limit)s documents to one answer.") % {"limit": REPLY_FILES_MAX})
        return kept, {"files": problems}
    for file in files:
        try:
            kept.append(reply_upload_accept(message=message, user=user, file=file))
        except UploadRejected as rejection:
            problems.append(f"{display_name(file.name or '', '')}: {rejection}")
    return kept, ({"files": problems} if problems else {})


@require_GET
def document_download(request: MunicipalityRequest, public_id: UUID) -> HttpResponseBase:
    """A document, to the citizen it was sent to only; everybody else gets the 404 of an unknown id."""
    user, municipality = _citizen(request)
    if user is None:
        return _to_login(request)
    document = selectors.document_get_for_user(user=user, municipality=municipality, public_id=public_id)
    if document is None:
        raise Http404
    return private_download(
        document.file,
        filename=document.name,
        content_type=document.content_type,
        label=f"postbox document {document.public_id}",
    )
