"""The documents of the case file (E-Akte): filing, new versions, internal notes, and reading them.

A document is a lineage of versions; a new version is a new row with the next number, and no row is ever changed
afterwards. Files are checked by their bytes (rathaus.uploads.sniffing), staff uploads also by the virus scanner.
Every write and every staff read is in the audit trail. Titles, file names and note texts are not written to the
audit trail: it is append-only and outlives the retention period, so it must not hold personal data.
"""

from __future__ import annotations

import hashlib
import io
import logging
import uuid
from collections import defaultdict
from typing import TYPE_CHECKING, Any, BinaryIO, cast

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.applications.formengine import FormDefinition
from rathaus.applications.receipt import receipt_pdf
from rathaus.audit.services import audit_append
from rathaus.core.errors import Refusal
from rathaus.core.i18n import localized
from rathaus.uploads import sniffing
from rathaus.uploads.models import Upload
from rathaus.uploads.scanners import ScannerUnavailable, scanner_configured
from rathaus.uploads.services import display_name

from .models import Case, CaseDocument

if TYPE_CHECKING:
    from rathaus.postbox.models import Message

logger = logging.getLogger(__name__)

TEXT = "text/plain"
# What may be filed: the document types of the portal (recognised by content) and plain text (messages).
FILE_TYPES = (*sniffing.CONTENT_TYPES, TEXT)
# What staff may upload: only types whose content can be checked.
STAFF_TYPES = sniffing.CONTENT_TYPES
STAFF_KINDS = (CaseDocument.Kind.OTHER, CaseDocument.Kind.LETTER, CaseDocument.Kind.MESSAGE, CaseDocument.Kind.UPLOAD)
TITLE_MAX = 200
NOTE_MAX = 10_000
DEFAULT_MAX_MB = 50  # the largest upload a service definition may allow (max_size_mb)
READ_CHUNK = 64 * 1024


class CaseDocumentError(Refusal):
    """A refused document operation; str() is translated and meant for staff. `field` names the form field."""


def max_bytes() -> int:
    return int(getattr(settings, "RATHAUS_CASE_DOCUMENT_MAX_MB", DEFAULT_MAX_MB)) * 1024 * 1024


# --- checks ------------------------------------------------------------------------------------------------------


def _check_open(case: Case) -> None:
    if case.anonymised_at is not None:
        raise CaseDocumentError(_("This case has been anonymised after the retention period; nothing can be added."))


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise CaseDocumentError(_("Please enter a title for the document."), field="title")
    if len(cleaned) > TITLE_MAX:
        raise CaseDocumentError(
            _("Please shorten the title to at most %(limit)s characters.") % {"limit": TITLE_MAX}, field="title"
        )
    return cleaned


def _too_large() -> CaseDocumentError:
    return CaseDocumentError(
        _("The file is larger than %(limit)s MB and cannot be filed.") % {"limit": max_bytes() // (1024 * 1024)},
        field="file",
    )


def _check_content(content: bytes, content_type: str) -> None:
    """The bytes must be what `content_type` says: judged by the content, as for citizens' uploads."""
    if not content:
        raise CaseDocumentError(_("The file is empty. Please choose the file again."), field="file")
    if len(content) > max_bytes():
        raise _too_large()
    if content_type == TEXT:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            text = "\x00"
        if "\x00" in text:
            raise CaseDocumentError(_("The text is not valid UTF-8 text."), field="file")
        return
    if content_type not in sniffing.CONTENT_TYPES:
        raise CaseDocumentError(_("Files of this type cannot be filed in the case."), field="file")
    sniffed = sniffing.sniff(io.BytesIO(content), len(content))
    heif = {sniffing.HEIC, sniffing.HEIF}  # the same container, told apart by its brands
    if sniffed.content_type != content_type and {sniffed.content_type, content_type} != heif:
        raise CaseDocumentError(_("The content of the file does not match its type."), field="file")
    if not sniffed.intact:
        raise CaseDocumentError(_("The file seems to be damaged or incomplete."), field="file")


def _read_upload(file: UploadedFile) -> bytes:
    """Read a staff upload in bounded chunks, stopping as soon as it is larger than allowed."""
    if file.size is not None and file.size > max_bytes():
        raise _too_large()
    buffer = io.BytesIO()
    for chunk in file.chunks(chunk_size=READ_CHUNK):
        if buffer.tell() + len(chunk) > max_bytes():
            raise _too_large()
        buffer.write(chunk)
    return buffer.getvalue()


def _checked_staff_upload(file: UploadedFile | None) -> tuple[bytes, str]:
    """The bytes and the type (by content) of a file a staff member uploads; virus-checked when a scanner is set up."""
    if file is None:
        raise CaseDocumentError(_("Please choose a file."), field="file")
    content = _read_upload(file)
    if not content:
        raise CaseDocumentError(_("The file is empty. Please choose the file again."), field="file")
    sniffed = sniffing.sniff(io.BytesIO(content), len(content))
    if sniffed.content_type not in STAFF_TYPES:
        raise CaseDocumentError(_("Only PDF, JPG, PNG, HEIC and TIFF files can be filed."), field="file")
    if not sniffed.intact:
        raise CaseDocumentError(
            _("The file seems to be damaged or incomplete. Please check that it opens and upload it again."),
            field="file",
        )
    scanner = scanner_configured()
    if scanner is not None:
        try:
            result = scanner.scan(cast(BinaryIO, io.BytesIO(content)))
        except ScannerUnavailable as error:
            logger.error("virus scan failed, case document refused: %s", error)
            raise CaseDocumentError(
                _("Files cannot be checked for viruses at the moment, so the file was not filed. Please try later."),
                field="file",
            ) from error
        if result.infected:
            logger.warning("infected case document refused: %s", result.signature)
            raise CaseDocumentError(
                _("The file contains a virus or other harmful content and was not filed."), field="file"
            )
    return content, sniffed.content_type


# --- writes ------------------------------------------------------------------------------------------------------


def _audit(case: Case, *, actor: User | None, action: str, changes: dict[str, Any], rule: str = "") -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type="case",
        object_id=str(case.public_id),
        municipality=case.municipality,
        changes=changes,
        rule=rule,
    )


def _lock(case: Case) -> Case:
    """Document writes of one case take turns (version numbers are counted per lineage)."""
    return Case.objects.select_for_update().select_related("municipality").get(pk=case.pk)


def _store(document: CaseDocument, content: bytes) -> CaseDocument:
    document.file.save("document", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


def _changes(document: CaseDocument) -> dict[str, Any]:
    return {
        "document": str(document.lineage),
        "version": document.version,
        "kind": document.kind,
        "sha256": document.sha256,
    }


@transaction.atomic
def case_document_add(
    *, case: Case, kind: str, title: str, content: bytes, file_name: str, content_type: str, actor: User | None
) -> CaseDocument:
    """File a document (version 1 of a new lineage). `content_type` must match the bytes (PDF, JPEG, PNG, HEIC,
    HEIF, TIFF by content; text/plain as UTF-8). Raises CaseDocumentError (translated) when it cannot be filed."""
    if kind == CaseDocument.Kind.NOTE or kind not in CaseDocument.Kind.values:
        raise ValueError(f"documents of kind {kind!r} cannot be filed with case_document_add")
    cleaned = _clean_title(title)
    _check_content(content, content_type)
    locked = _lock(case)
    _check_open(locked)
    document = _store(
        CaseDocument(
            case=locked,
            kind=kind,
            title=cleaned,
            file_name=display_name(file_name, content_type),
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_by=actor,
        ),
        content,
    )
    _audit(locked, actor=actor, action="case.document_add", changes=_changes(document))
    return document


@transaction.atomic
def case_document_new_version(
    *, document: CaseDocument, content: bytes, file_name: str, content_type: str, actor: User | None
) -> CaseDocument:
    """File a new version of `document`'s lineage (the next number); every earlier version stays as it is."""
    if document.kind == CaseDocument.Kind.NOTE:
        raise CaseDocumentError(_("A note cannot get a new version; please add another note."))
    _check_content(content, content_type)
    locked = _lock(document.case)
    _check_open(locked)
    latest = CaseDocument.objects.filter(case=locked, lineage=document.lineage).order_by("-version").first()
    if latest is None:
        raise CaseDocumentError(_("This document does not exist (any more)."))
    new = _store(
        CaseDocument(
            case=locked,
            lineage=latest.lineage,
            version=latest.version + 1,
            kind=latest.kind,
            title=latest.title,
            file_name=display_name(file_name, content_type),
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            created_by=actor,
        ),
        content,
    )
    _audit(locked, actor=actor, action="case.document_version", changes=_changes(new))
    return new


@transaction.atomic
def case_note_add(*, case: Case, text: str, actor: User | None) -> CaseDocument:
    """An internal note (Vermerk): text only, for staff; never shown to the applicant."""
    cleaned = text.strip().replace("\r\n", "\n")
    if not cleaned:
        raise CaseDocumentError(_("Please write the note."), field="text")
    if len(cleaned) > NOTE_MAX:
        raise CaseDocumentError(
            _("Please shorten the note to at most %(limit)s characters.") % {"limit": NOTE_MAX}, field="text"
        )
    if "\x00" in cleaned:
        raise CaseDocumentError(_("The note contains characters that cannot be stored."), field="text")
    locked = _lock(case)
    _check_open(locked)
    encoded = cleaned.encode("utf-8")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Internal note")
    note = CaseDocument.objects.create(
        case=locked,
        kind=CaseDocument.Kind.NOTE,
        title=title,
        text=cleaned,
        content_type=TEXT,
        size=len(encoded),
        sha256=hashlib.sha256(encoded).hexdigest(),
        created_by=actor,
    )
    _audit(locked, actor=actor, action="case.note_add", changes=_changes(note))
    return note


def case_document_upload(*, case: Case, kind: str, title: str, file: UploadedFile | None, actor: User) -> CaseDocument:
    """A staff member files a file from their computer: checked by content and for viruses, then filed."""
    if kind not in STAFF_KINDS:
        raise CaseDocumentError(_("Please choose what kind of document this is."), field="kind")
    cleaned = _clean_title(title)
    _check_open(case)
    content, content_type = _checked_staff_upload(file)
    assert file is not None
    return case_document_add(
        case=case,
        kind=kind,
        title=cleaned,
        content=content,
        file_name=file.name or "",
        content_type=content_type,
        actor=actor,
    )


def case_document_upload_version(*, document: CaseDocument, file: UploadedFile | None, actor: User) -> CaseDocument:
    """A staff member files a new version of a document from their computer (checked like case_document_upload)."""
    if document.kind == CaseDocument.Kind.NOTE:
        raise CaseDocumentError(_("A note cannot get a new version; please add another note."))
    _check_open(document.case)
    content, content_type = _checked_staff_upload(file)
    assert file is not None
    return case_document_new_version(
        document=document, content=content, file_name=file.name or "", content_type=content_type, actor=actor
    )


def _upload_content(upload: Upload) -> bytes | None:
    try:
        with upload.file.storage.open(upload.file.name or "", "rb") as stream:
            return cast(bytes, stream.read())
    except OSError:
        logger.exception("the stored file of upload %s is missing; not filed in the case", upload.public_id)
        return None


def _application_uploads(case: Case) -> list[tuple[str, Upload]]:
    """(document name, upload) of the proofs the application names, in the order of the form."""
    application = case.application
    if application is None:
        return []
    definition = application.definition.data
    names = {entry["id"]: localized(entry["name"]) for entry in definition.get("documents_upload", [])}
    found = []
    for field in FormDefinition(definition["form"]).upload_fields():
        try:
            upload_id = uuid.UUID(str(application.data.get(field)))
        except ValueError:
            continue  # not answered
        # Only an upload of this applicant (a guest's: one without an account) in this municipality.
        uploads = Upload.objects.filter(public_id=upload_id, municipality_id=case.municipality_id)
        uploads = (
            uploads.filter(owner_id=application.applicant_id)
            if application.applicant_id
            else uploads.filter(owner__isnull=True)
        )
        upload = uploads.first()
        if upload is None:
            logger.warning("upload of field %s of application %s not found", field, application.reference)
            continue
        found.append((names.get(field, field), upload))
    return found


def _file_copy(*, case: Case, kind: str, title: str, upload: Upload, actor: User | None) -> CaseDocument | None:
    """Copy an upload of the applicant into the case file; one that cannot be filed is logged, not fatal."""
    content = _upload_content(upload)
    if content is None:
        return None
    try:
        with transaction.atomic():
            return case_document_add(
                case=case,
                kind=kind,
                title=title,
                content=content,
                file_name=upload.download_name,
                content_type=upload.content_type,
                actor=actor,
            )
    except CaseDocumentError as refusal:
        logger.error("upload %s could not be filed in case %s: %s", upload.public_id, case.reference, refusal)
        return None


@transaction.atomic
def case_documents_from_application(*, case: Case, actor: User | None = None) -> list[CaseDocument]:
    """The handover: file the application (its receipt as PDF/A, with every answer) and the applicant's proofs.

    Once per case: a case that has its application document already gets nothing new. The files are copied, so
    the case file does not depend on the uploads, which belong to the applicant.
    """
    application = case.application
    if application is None or application.definition.data.get("form") is None:
        return []
    if case.documents.filter(kind=CaseDocument.Kind.APPLICATION).exists():
        return []
    with translation.override(settings.LANGUAGE_CODE):  # the case file is kept in the authority's language
        uploads = _application_uploads(case)
        pdf = receipt_pdf(application=application, upload_names=[(name, u.original_name) for name, u in uploads])
        filed = [
            case_document_add(
                case=case,
                kind=CaseDocument.Kind.APPLICATION,
                title=_("Application as submitted (receipt)"),
                content=pdf,
                file_name=f"Antrag-{case.reference}.pdf",
                content_type=sniffing.PDF,
                actor=actor,
            )
        ]
    for name, upload in uploads:
        document = _file_copy(case=case, kind=CaseDocument.Kind.UPLOAD, title=name, upload=upload, actor=actor)
        if document is not None:
            filed.append(document)
    return filed


@transaction.atomic
def case_reply_file(*, case: Case, reply: Message) -> list[CaseDocument]:
    """File the applicant's answer from the postbox: its text and the documents they added to it."""
    filed = []
    with translation.override(settings.LANGUAGE_CODE):
        if reply.body:
            filed.append(
                case_document_add(
                    case=case,
                    kind=CaseDocument.Kind.MESSAGE,
                    title=_("Answer of the applicant"),
                    content=reply.body.encode("utf-8"),
                    file_name="Antwort.txt",
                    content_type=TEXT,
                    actor=None,
                )
            )
        title = _("Document added to the answer")
    for upload in reply.attachments.order_by("pk"):
        document = _file_copy(case=case, kind=CaseDocument.Kind.UPLOAD, title=title, upload=upload, actor=None)
        if document is not None:
            filed.append(document)
    return filed


def case_document_read(*, document: CaseDocument, actor: User) -> None:
    """Every staff read of a document version is in the audit trail."""
    with transaction.atomic():
        _audit(
            document.case,
            actor=actor,
            action="case.document_read",
            changes={"document": str(document.lineage), "version": document.version},
        )


# --- reads -------------------------------------------------------------------------------------------------------


def _with_versions(rows: list[CaseDocument]) -> list[CaseDocument]:
    """The latest version per lineage, in the order the lineages were filed; each carries its versions."""
    lineages: dict[Any, list[CaseDocument]] = defaultdict(list)
    for row in rows:  # ordered by created_at, pk
        lineages[row.lineage].append(row)
    current = []
    for versions in lineages.values():
        versions.sort(key=lambda row: row.version, reverse=True)
        latest = versions[0]
        latest._versions = versions  # type: ignore[attr-defined]
        current.append(latest)
    return current


def current_documents(case: Case) -> list[CaseDocument]:
    """The case file: the latest version of every document, in filing order (one query for all versions)."""
    rows = list(CaseDocument.objects.filter(case=case).select_related("created_by").order_by("created_at", "pk"))
    return _with_versions(rows)


def document_versions(document: CaseDocument) -> list[CaseDocument]:
    """Every version of the document's lineage, newest first."""
    cached = getattr(document, "_versions", None)
    if cached is not None and cached[0].pk == document.pk:
        return list(cached)
    return list(
        CaseDocument.objects.filter(case_id=document.case_id, lineage=document.lineage)
        .select_related("created_by")
        .order_by("-version")
    )


def document_get(*, case: Case, public_id: Any) -> CaseDocument | None:
    """One version of a document of `case` (which the caller fetched through the staff member's permissions)."""
    return CaseDocument.objects.select_related("case__municipality").filter(case=case, public_id=public_id).first()
