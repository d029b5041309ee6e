"""The case file's documents in the back office: list, internal notes, uploads and new versions, downloads, export.

Every view fetches the case through the staff member's permissions (404 otherwise), every read is audited, and
every form is checked on the server: an error shows the page again with the message and what was typed.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from rathaus.accounts.views import staff_required
from rathaus.core.files import private_download
from rathaus.tenants.requests import MunicipalityRequest

from . import documents, services
from .export import case_export
from .models import Case, CaseDocument
from .views import case_for_request, staff_user

TEXT_MAX = documents.NOTE_MAX


def _document(case: Case, document_id: UUID) -> CaseDocument:
    document = documents.document_get(case=case, public_id=document_id)
    if document is None:
        raise Http404
    return document


def _back_to_case(case: Case) -> HttpResponse:
    return redirect(reverse("cases:detail", args=[case.public_id]) + "#case-documents-title")


UPLOAD_FIELDS = {"title": "dokument-titel", "kind": "dokument-art", "file": "dokument-datei"}


def _page(
    request: MunicipalityRequest,
    case: Case,
    *,
    error: documents.CaseDocumentError | None = None,
    entered: dict[str, str] | None = None,
) -> HttpResponse:
    """The case file on its own page; after a refused form with the message at its field and what was typed."""
    entered = entered or {}
    current = documents.current_documents(case)
    context: dict[str, Any] = {
        "case": case,
        "documents": [(document, documents.document_versions(document)) for document in current],
        "documents_error": error,
        "documents_entered": entered,
    }
    form = entered.get("form")
    if error is not None and form == "note":
        context |= {"note_error": error, "documents_error_target": "vermerk"}
    elif error is not None and form == "upload":
        field = error.field if error.field in UPLOAD_FIELDS else "form"
        context |= {
            "upload_error": error,
            "upload_error_field": field,
            "documents_error_target": UPLOAD_FIELDS.get(field, "dokument-fehler"),
        }
    elif error is not None and form == "version":
        for document in current:
            if str(document.lineage) == entered.get("lineage"):
                document.version_error = error  # type: ignore[attr-defined]
        context["documents_error_target"] = f"fassung-{entered.get('lineage')}"
    return render(request, "cases/documents/file.html", context, status=400 if error else 200)


@never_cache
@require_GET
@staff_required
def document_list(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    services.case_read_record(case=case, actor=staff_user(request), what="documents")
    return _page(request, case)


@require_POST
@staff_required
def note_add(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    text = request.POST.get("text", "")[: TEXT_MAX * 2]
    try:
        documents.case_note_add(case=case, text=text, actor=staff_user(request))
    except documents.CaseDocumentError as error:
        return _page(request, case, error=error, entered={"form": "note", "text": text})
    messages.success(request, _("The note has been added to the case file."))
    return _back_to_case(case)


@require_POST
@staff_required
def document_upload(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    title = request.POST.get("title", "")[:1000]
    kind = request.POST.get("kind", "")[:20]
    try:
        documents.case_document_upload(
            case=case, kind=kind, title=title, file=request.FILES.get("file"), actor=staff_user(request)
        )
    except documents.CaseDocumentError as error:
        return _page(request, case, error=error, entered={"form": "upload", "title": title, "kind": kind})
    messages.success(request, _("The document has been filed."))
    return _back_to_case(case)


@require_POST
@staff_required
def document_upload_version(request: MunicipalityRequest, public_id: UUID, document_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    document = _document(case, document_id)
    try:
        documents.case_document_upload_version(
            document=document, file=request.FILES.get("file"), actor=staff_user(request)
        )
    except documents.CaseDocumentError as error:
        entered = {"form": "version", "lineage": str(document.lineage)}
        return _page(request, case, error=error, entered=entered)
    messages.success(request, _("The new version has been filed; the earlier versions are kept."))
    return _back_to_case(case)


@never_cache
@require_GET
@staff_required
def document_download(request: MunicipalityRequest, public_id: UUID, document_id: UUID) -> FileResponse:
    case = case_for_request(request, public_id)
    document = _document(case, document_id)
    if not document.file:
        raise Http404  # notes have no file; they are read in the case file and exported as text
    response = private_download(
        document.file,
        filename=document.file_name or "dokument",
        content_type=document.content_type or "application/octet-stream",
        label=f"case document {document.public_id}",
    )
    documents.case_document_read(document=document, actor=staff_user(request))
    return response


@never_cache
@require_GET
@staff_required
def case_export_download(request: MunicipalityRequest, public_id: UUID) -> HttpResponse:
    case = case_for_request(request, public_id)
    content = case_export(case=case, actor=staff_user(request))
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = content_disposition_header(True, f"Akte-{case.reference}.zip")
    # Like every private download (rathaus.core.files): never sniffed, cached or rendered by the browser.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
