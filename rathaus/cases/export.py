"""The whole case file as one ZIP archive: every version of every document, the application's answers, the history,
and a machine-readable index (index.json, described by export_index.schema.json and docs/case-export.md).

No part of a path inside the archive comes from a user as it was typed: folders are numbered, titles are reduced
to lowercase ASCII letters, digits and hyphens, and extensions follow the type recognised by content.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from rathaus.accounts.models import User
from rathaus.applications.formengine import FormDefinition
from rathaus.audit.models import AuditEntry
from rathaus.audit.selectors import entries_for_object
from rathaus.audit.services import audit_append
from rathaus.catalog import selectors as catalog
from rathaus.core.i18n import localized
from rathaus.uploads import sniffing
from rathaus.workflows import workflow_get

from . import selectors
from .documents import TEXT
from .models import Case, CaseDocument

logger = logging.getLogger(__name__)

SCHEMA_VERSION = "1.0"
SCHEMA_PATH = Path(__file__).with_name("export_index.schema.json")
INDEX = "index.json"
APPLICATION = "antrag.json"
HISTORY = "verlauf.json"
FOLDER = "dokumente"
EXTENSIONS = {
    sniffing.PDF: ".pdf",
    sniffing.JPEG: ".jpg",
    sniffing.PNG: ".png",
    sniffing.HEIC: ".heic",
    sniffing.HEIF: ".heif",
    sniffing.TIFF: ".tif",
    TEXT: ".txt",
}
NAME_LIMIT = 60
_TRANSLITERATION = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_EARLIEST_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def safe_name(text: str, *, fallback: str = "dokument") -> str:
    """`text` as a harmless path segment: lowercase ASCII letters, digits and single hyphens, at most 60 long."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:NAME_LIMIT].strip("-")
    return name or fallback


def _iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False, default=str).encode("utf-8")


def _zip_time(value: datetime | None) -> tuple[int, int, int, int, int, int]:
    if value is None:
        return _EARLIEST_ZIP_TIME
    local = timezone.localtime(value)
    return max(_EARLIEST_ZIP_TIME, (local.year, local.month, local.day, local.hour, local.minute, local.second))


def _add(archive: zipfile.ZipFile, path: str, content: bytes, when: datetime | None) -> None:
    info = zipfile.ZipInfo(path, date_time=_zip_time(when))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, content)


def _definition(case: Case) -> dict[str, Any]:
    """The service definition the case was opened under (or, once the application is erased, the current one)."""
    if case.application is not None:
        return dict(case.application.definition.data)
    service = catalog.service_get(municipality=case.municipality, key=case.service_key)
    return dict(service.data) if service else {}


def _person(user: User | None) -> dict[str, str]:
    if user is None:
        return {"kind": "system", "name": "System"}
    return {"kind": "user", "name": user.get_full_name() or user.get_username()}


def _content(document: CaseDocument) -> bytes | None:
    if document.kind == CaseDocument.Kind.NOTE or not document.file:
        return document.text.encode("utf-8")
    try:
        with document.file.storage.open(document.file.name or "", "rb") as stream:
            return bytes(stream.read())
    except OSError:
        logger.exception("the stored file of case document %s is missing", document.public_id)
        return None


def _documents(case: Case, archive: zipfile.ZipFile) -> list[dict[str, Any]]:
    rows = list(CaseDocument.objects.filter(case=case).select_related("created_by").order_by("created_at", "pk"))
    positions: dict[Any, int] = {}
    latest: dict[Any, int] = {}
    for row in rows:
        positions.setdefault(row.lineage, len(positions) + 1)
        latest[row.lineage] = max(latest.get(row.lineage, 0), row.version)
    rows.sort(key=lambda row: (positions[row.lineage], row.version))
    entries = []
    for row in rows:
        content_type = row.content_type or TEXT
        folder = f"{FOLDER}/{positions[row.lineage]:03d}-{safe_name(row.title)}"
        content = _content(row)
        path = f"{folder}/v{row.version}{EXTENSIONS.get(content_type, '.bin')}" if content is not None else None
        if content is not None and path is not None:
            _add(archive, path, content, row.created_at)
        digest = hashlib.sha256(content).hexdigest() if content is not None else None
        if digest is not None and row.sha256 and digest != row.sha256:
            logger.error("case document %s differs from the hash recorded at filing", row.public_id)
        entries.append(
            {
                "lineage": str(row.lineage),
                "version": row.version,
                "current": row.version == latest[row.lineage],
                "kind": row.kind,
                "title": row.title,
                "path": path,
                "file_name": row.file_name or None,
                "content_type": content_type,
                "size": len(content) if content is not None else row.size,
                "sha256": digest,
                "sha256_at_filing": row.sha256 or None,
                "created_at": _iso(row.created_at),
                "created_by": _person(row.created_by),
            }
        )
    return entries


def _application(case: Case) -> dict[str, Any] | None:
    application = case.application
    if application is None:
        return None
    form = FormDefinition(application.definition.data["form"]) if application.definition.data.get("form") else None
    summary = [
        {"step": str(step.title), "answers": [{"label": str(label), "answer": str(answer)} for label, answer in rows]}
        for step, rows in (form.summary(application.data) if form else [])
    ]
    return {
        "schema_version": SCHEMA_VERSION,
        "reference": application.reference,
        "service_key": application.definition.key,
        "submitted_at": _iso(application.submitted_at),
        "trust_level": application.trust_level,
        "fee_total": str(application.fee_total) if application.fee_total is not None else None,
        "payment_method": application.payment_method,
        "data": application.data,
        "summary": summary,
    }


def _history(case: Case) -> dict[str, Any]:
    entries: list[AuditEntry] = list(entries_for_object(object_type="case", object_id=str(case.public_id)))
    return {
        "schema_version": SCHEMA_VERSION,
        "case": str(case.public_id),
        "entries": [
            {
                "sequence": row.entry.sequence,
                "occurred_at": _iso(row.entry.occurred_at),
                "actor_kind": row.entry.actor_kind,
                "actor": row.entry.actor_label,
                "action": row.entry.action,
                "title": row.title,
                "changes": row.entry.changes,
                "rule": row.entry.rule,
                "previous_hash": row.entry.previous_hash,
                "entry_hash": row.entry.entry_hash,
            }
            for row in selectors.history_rows(entries)
        ],
    }


def _index(case: Case, documents: list[dict[str, Any]], *, has_application: bool) -> dict[str, Any]:
    definition = _definition(case)
    try:
        state_title = str(workflow_get(case.workflow).state(case.state).label)
    except LookupError:
        state_title = case.state
    return {
        "schema_version": SCHEMA_VERSION,
        "exported_at": _iso(timezone.now()),
        "case": {
            "public_id": str(case.public_id),
            "reference": case.reference,
            "service": {
                "key": case.service_key,
                "name": localized(definition.get("name")) or case.service_key,
                "leika": definition.get("leika") or None,
            },
            "municipality": {
                "slug": case.municipality.slug,
                "name": case.municipality.name,
                "official_key": case.municipality.official_key or None,
            },
            "department": {"code": case.department.code, "name": case.department.name},
            "workflow": case.workflow,
            "state": case.state,
            "state_title": state_title,
            "applicant_name": case.applicant_name,
            "created_at": _iso(case.created_at),
            "due_on": _iso(case.due_on),
            "decided_at": _iso(case.decided_at),
            "closed_at": _iso(case.closed_at),
            "anonymised_at": _iso(case.anonymised_at),
        },
        "application": APPLICATION if has_application else None,
        "history": HISTORY,
        "documents": documents,
    }


def case_export_zip(*, case: Case) -> bytes:
    """The case file as a ZIP archive (bytes). A pure read: `case_export` is the audited way for staff."""
    case = Case.objects.select_related("municipality", "department", "application__definition").get(pk=case.pk)
    buffer = io.BytesIO()
    with translation.override(settings.LANGUAGE_CODE), zipfile.ZipFile(buffer, "w") as archive:
        documents = _documents(case, archive)
        application = _application(case)
        if application is not None:
            _add(archive, APPLICATION, _json(application), case.created_at)
        _add(archive, HISTORY, _json(_history(case)), timezone.now())
        _add(archive, INDEX, _json(_index(case, documents, has_application=application is not None)), timezone.now())
    return buffer.getvalue()


def case_export(*, case: Case, actor: User) -> bytes:
    """The ZIP archive for a staff member; the export is in the audit trail with the archive's SHA-256."""
    content = case_export_zip(case=case)
    with transaction.atomic():
        audit_append(
            actor=actor,
            action="case.export",
            object_type="case",
            object_id=str(case.public_id),
            municipality=case.municipality,
            changes={"size": len(content), "sha256": hashlib.sha256(content).hexdigest()},
        )
    return content
