"""Retention: when a closed case has been kept for its service's `retention_years`, the personal data goes.

What goes: the documents of the case file (rows and stored files), the postbox messages about the application with
their documents and the citizen's attachments, the application with its answers and uploads, and the applicant's
name. What stays, for statistics: the case row with reference number, service, department, workflow state,
dates and fee, marked with `anonymised_at`, and the audit trail (append-only by design; it holds no titles,
file names or note texts, see documents.py). Payments stay untouched for bookkeeping: they hold the amount, the
service's name and a pseudonymous purpose ("application:<uuid>"), but nothing about the person.

Erase order, following how the tables protect each other: the case is unlinked from the application
(Case.application is PROTECT), the postbox messages go next (Message.application is PROTECT, answers protect the
message they answer), then the application (its status history cascades; its uploads are deleted by the
applications app). Each case is anonymised in its own transaction; stored files are deleted after the commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from rathaus.accounts.models import User
from rathaus.applications.services import application_erase
from rathaus.audit.services import audit_append
from rathaus.catalog import selectors as catalog
from rathaus.catalog.models import ServiceDefinition
from rathaus.core.files import delete_after_commit
from rathaus.postbox.services import postbox_erase_for_application

from .models import Case, CaseDocument

logger = logging.getLogger(__name__)

SHORTEST_RETENTION_YEARS = 1  # the least a definition may say (services/README.md)


@dataclass(frozen=True)
class RetentionCandidate:
    case: Case
    retention_years: int

    @property
    def closed_on(self) -> date:
        assert self.case.closed_at is not None
        return timezone.localdate(self.case.closed_at)


@dataclass(frozen=True)
class Erasure:
    """What `retention_apply` removed from one case."""

    documents: int
    messages: int
    uploads: int
    application: bool


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _closed_before(cases: QuerySet[Case], day: date) -> QuerySet[Case]:
    """Closed, not anonymised, and closed on a (local) day before `day`."""
    return cases.filter(closed_at__isnull=False, closed_at__lt=_start_of(day), anonymised_at__isnull=True)


def retention_candidates(*, today: date | None = None) -> list[RetentionCandidate]:
    """Closed cases, not yet anonymised, closed more than their service's `retention_years` ago; oldest first.

    The period is read from the definition the case's application was made under; for a case without
    application, from the service the municipality offers under the case's key. A case whose period cannot be
    found is kept (and logged): deleting by guess is not an option.
    """
    today = today or timezone.localdate()
    cases = Case.objects.select_related("municipality", "department", "application__definition")
    found: list[RetentionCandidate] = []
    for definition_id, years in ServiceDefinition.objects.values_list("pk", "data__retention_years"):
        if not isinstance(years, int) or years < SHORTEST_RETENTION_YEARS:
            continue
        due = _closed_before(cases, years_before(today, years)).filter(application__definition_id=definition_id)
        found += [RetentionCandidate(case=case, retention_years=years) for case in due]
    without_application = _closed_before(cases, years_before(today, SHORTEST_RETENTION_YEARS))
    for case in without_application.filter(application__isnull=True):
        service = catalog.service_get(municipality=case.municipality, key=case.service_key)
        years = service.data.get("retention_years") if service else None
        if not isinstance(years, int):
            logger.warning("case %s: no retention period known for service %s; kept", case.reference, case.service_key)
            continue
        if case.closed_at is not None and timezone.localdate(case.closed_at) < years_before(today, years):
            found.append(RetentionCandidate(case=case, retention_years=years))
    return sorted(found, key=lambda candidate: (candidate.case.closed_at, candidate.case.pk))


@transaction.atomic
def retention_apply(*, case: Case, actor: User | None = None) -> Erasure | None:
    """Anonymise one closed case (see the module's description). Returns what was erased, or None when the case
    had been anonymised already (by a concurrent run, for example). Refuses an open case with ValueError."""
    locked = Case.objects.select_for_update().select_related("municipality").get(pk=case.pk)
    if locked.anonymised_at is not None:
        return None
    if locked.closed_at is None:
        raise ValueError(f"case {locked.reference} is not closed and cannot be anonymised")

    documents = list(CaseDocument.objects.filter(case=locked))
    for document in documents:
        delete_after_commit(document.file, label=f"case document {document.public_id}")
    CaseDocument.objects.filter(case=locked).delete()

    application = locked.application
    locked.application = None
    locked.applicant_name = ""
    locked.awaiting_message = None
    locked.anonymised_at = timezone.now()
    locked.version += 1
    locked.save(
        update_fields=["application", "applicant_name", "awaiting_message", "anonymised_at", "version", "updated_at"]
    )
    messages = uploads = 0
    if application is not None:
        messages = postbox_erase_for_application(application=application)
        uploads = application_erase(application=application)
    erasure = Erasure(documents=len(documents), messages=messages, uploads=uploads, application=application is not None)
    audit_append(
        actor=actor,
        action="case.anonymise",
        object_type="case",
        object_id=str(locked.public_id),
        municipality=locked.municipality,
        rule="retention",
        changes={
            "documents": erasure.documents,
            "messages": erasure.messages,
            "uploads": erasure.uploads,
            "application": "erased" if erasure.application else None,
        },
    )
    logger.info("case %s anonymised after the retention period", locked.reference)
    case.refresh_from_db()
    return erasure


Progress = Callable[[RetentionCandidate, Erasure | None, Exception | None], None]


def retention_run(*, today: date | None = None, progress: Progress | None = None) -> int:
    """Anonymise every case whose retention period has ended (the daily task). A case that fails is logged and
    left for the next run; the others go on. Returns how many cases were anonymised."""
    done = 0
    for candidate in retention_candidates(today=today):
        try:
            erasure = retention_apply(case=candidate.case)
        except Exception as error:
            logger.exception("case %s could not be anonymised", candidate.case.reference)
            if progress is not None:
                progress(candidate, None, error)
            continue
        if erasure is not None:
            done += 1
        if progress is not None:
            progress(candidate, erasure, None)
    return done
