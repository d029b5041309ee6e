"""Writes of the ID document status: staff set a status, the document system's CSV sets many, old rows go."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.audit.services import audit_append

from .errors import StatusRefused
from .models import DocumentStatus
from .numbers import NumberInvalid, number_digest, number_hint, number_normalise
from .selectors import can_manage
from .status_csv import StatusRow

if TYPE_CHECKING:
    from rathaus.accounts.models import User
    from rathaus.tenants.models import Municipality


def _check_actor(actor: User | None, municipality: Municipality) -> None:
    if actor is not None and not can_manage(user=actor, municipality=municipality):
        raise StatusRefused(_("Only the staff of the citizens' office may set the status of ID documents."))


def _store(*, municipality: Municipality, number: str, status: str, kind: str, actor: User | None) -> tuple[str, str]:
    """Create or update the row of a normalised number; returns (old status or "", new status)."""
    digest = number_digest(municipality_id=municipality.pk, number=number)
    record = DocumentStatus.objects.select_for_update().filter(municipality=municipality, number_digest=digest).first()
    picked_up_at = timezone.now() if status == DocumentStatus.Status.PICKED_UP else None
    if record is None:
        DocumentStatus.objects.create(
            municipality=municipality,
            number_digest=digest,
            number_hint=number_hint(number),
            kind=kind,
            status=status,
            updated_by=actor,
            picked_up_at=picked_up_at,
        )
        return "", status
    old = record.status
    if (old, record.kind) == (status, kind):
        return old, status
    record.status, record.kind, record.updated_by = status, kind, actor
    if status != old:
        record.picked_up_at = picked_up_at
    record.save(update_fields=["status", "kind", "updated_by", "picked_up_at", "updated_at"])
    return old, status


@transaction.atomic
def status_set(*, municipality: Municipality, number: str, status: str, kind: str, actor: User) -> DocumentStatus:
    """Set the status of the document with this serial number (typed as the citizen would). Raises StatusRefused."""
    _check_actor(actor, municipality)
    try:
        normalised = number_normalise(number)
    except NumberInvalid as invalid:
        raise StatusRefused(invalid.message, field="nummer") from None
    if status not in DocumentStatus.Status.values:
        raise StatusRefused(_("Choose a status."), field="status")
    if kind not in DocumentStatus.Kind.values:
        raise StatusRefused(_("Choose the kind of document."), field="dokument")
    old, new = _store(municipality=municipality, number=normalised, status=status, kind=kind, actor=actor)
    record = DocumentStatus.objects.get(
        municipality=municipality, number_digest=number_digest(municipality_id=municipality.pk, number=normalised)
    )
    if old != new:
        audit_append(
            actor=actor,
            action="idstatus.status_set",
            object_type="id_status",
            object_id=str(record.pk),
            municipality=municipality,
            changes={"status": [old or None, new]},
        )
    return record


@dataclass
class StatusImportReport:
    created: int = 0
    changed: int = 0
    unchanged: int = 0


@transaction.atomic
def statuses_import(
    *,
    municipality: Municipality,
    rows: list[StatusRow],
    actor: User | None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> StatusImportReport:
    """Store the statuses of a checked file (status_csv.statuses_parse). All or nothing; one audit entry."""
    _check_actor(actor, municipality)
    report = StatusImportReport()
    for index, row in enumerate(rows, start=1):
        old, new = _store(municipality=municipality, number=row.number, status=row.status, kind=row.kind, actor=actor)
        if not old:
            report.created += 1
        elif old != new:
            report.changed += 1
        else:
            report.unchanged += 1
        if index % 500 == 0 or index == len(rows):
            progress(index, len(rows))
    if report.created or report.changed:
        audit_append(
            actor=actor,
            action="idstatus.statuses_import",
            object_type="municipality",
            object_id=municipality.slug,
            municipality=municipality,
            changes={"created": [0, report.created], "changed": [0, report.changed]},
            rule="" if actor else "import_id_status",
        )
    return report


def keep_days() -> int:
    return int(settings.RATHAUS_ID_STATUS_KEEP_DAYS)


@transaction.atomic
def statuses_purge(*, now: datetime | None = None) -> int:
    """Delete rows of documents picked up more than RATHAUS_ID_STATUS_KEEP_DAYS ago (default 28), and rows nobody
    has touched for a year (a document never collected is destroyed by the authority anyway). Returns the count."""
    now = now or timezone.now()
    picked_up = DocumentStatus.objects.filter(
        status=DocumentStatus.Status.PICKED_UP, picked_up_at__lt=now - timedelta(days=keep_days())
    )
    stale = DocumentStatus.objects.filter(updated_at__lt=now - timedelta(days=365))
    count = picked_up.delete()[0] + stale.delete()[0]
    return count
