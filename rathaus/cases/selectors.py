"""Reads of cases, always through the staff member's permissions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.accounts.models import StaffRole, User
from rathaus.audit.models import AuditEntry
from rathaus.core.i18n import localized
from rathaus.tenants.models import Municipality
from rathaus.workflows import workflow_get

from . import facts
from .models import Case
from .permissions import visible_cases

SORT_CHOICES = {
    "faellig": ("due_on", gettext_lazy("Due date, earliest first")),
    "neu": ("-created_at", gettext_lazy("Newest first")),
    "alt": ("created_at", gettext_lazy("Oldest first")),
    "zeichen": ("reference", gettext_lazy("Reference number")),
}


@dataclass(frozen=True)
class InboxFilter:
    service: str = ""
    state: str = ""
    mine: bool = False
    overdue: bool = False
    query: str = ""
    sort: str = "faellig"

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> InboxFilter:
        sort = query.get("sortierung", "faellig")
        return cls(
            service=query.get("leistung", "")[:60],
            state=query.get("stand", "")[:60],
            mine=query.get("meine") == "1",
            overdue=query.get("ueberfaellig") == "1",
            query=query.get("q", "")[:100].strip(),
            sort=sort if sort in SORT_CHOICES else "faellig",
        )


def case_list_for_staff(*, user: User, municipality: Municipality, filters: InboxFilter) -> QuerySet[Case]:
    cases = visible_cases(user=user, municipality=municipality).select_related(
        "department", "assignee", "application__definition"
    )
    if filters.service:
        cases = cases.filter(service_key=filters.service)
    # Without a chosen status the inbox shows what is still to do.
    cases = cases.filter(state=filters.state) if filters.state else cases.filter(closed_at__isnull=True)
    if filters.mine:
        cases = cases.filter(assignee=user)
    if filters.overdue:
        cases = cases.filter(due_on__lt=timezone.localdate(), closed_at__isnull=True)
    if filters.query:
        cases = cases.filter(Q(reference__icontains=filters.query) | Q(applicant_name__icontains=filters.query))
    return cases.order_by(SORT_CHOICES[filters.sort][0], "pk")


@dataclass(frozen=True)
class InboxRow:
    case: Case
    service_name: str
    state_title: str
    overdue: bool

    @classmethod
    def of(cls, case: Case) -> InboxRow:
        name = case.service_name
        return cls(
            case=case,
            service_name=name,
            state_title=workflow_get(case.workflow).state(case.state).label,
            overdue=is_overdue(case),
        )


def state_counts(*, user: User, municipality: Municipality) -> list[tuple[str, str, int]]:
    """(state code, state title, number of cases) of the open and closed cases the user sees."""
    rows = visible_cases(user=user, municipality=municipality).values("workflow", "state").annotate(count=Count("pk"))
    counts: dict[str, tuple[str, int]] = {}
    for row in rows:
        title = workflow_get(row["workflow"]).state(row["state"]).label
        previous = counts.get(row["state"], (title, 0))
        counts[row["state"]] = (title, previous[1] + row["count"])
    return [(code, title, count) for code, (title, count) in sorted(counts.items(), key=lambda item: item[1][0])]


def services_in_inbox(*, user: User, municipality: Municipality) -> list[tuple[str, str]]:
    """(service key, name) of the services the user's cases belong to, for the filter."""
    from rathaus.catalog.models import ServiceDefinition

    keys = set(visible_cases(user=user, municipality=municipality).values_list("service_key", flat=True).distinct())
    names = {
        key: localized(data["name"])
        for key, data in ServiceDefinition.objects.filter(key__in=keys).values_list("key", "data")
    }
    return sorted(((key, names.get(key, key)) for key in keys), key=lambda item: item[1])


def case_get_for_staff(*, user: User, municipality: Municipality, public_id: UUID | str) -> Case | None:
    return (
        visible_cases(user=user, municipality=municipality)
        .select_related("department", "assignee", "application", "application__definition", "municipality")
        .filter(public_id=public_id)
        .first()
    )


def case_context(case: Case) -> dict[str, Any]:
    """What the workflow's conditions see now (the payment status, for example)."""
    return facts.case_facts(case)


def colleagues_for(*, case: Case) -> list[User]:
    """The staff of the case's department, to whom it may be assigned."""
    return list(
        User.objects.filter(
            staff_roles__municipality_id=case.municipality_id,
            staff_roles__department_id=case.department_id,
            is_active=True,
        )
        .exclude(staff_roles__role=StaffRole.Role.MUNICIPALITY_ADMIN)
        .distinct()
        .order_by("last_name", "first_name")
    )


def is_overdue(case: Case, today: date | None = None) -> bool:
    return bool(case.due_on and case.closed_at is None and case.due_on < (today or timezone.localdate()))


ACTION_TITLES = {
    "case.open": gettext_lazy("Case opened"),
    "case.read": gettext_lazy("Viewed"),
    "case.transition": gettext_lazy("Status changed"),
    "case.assign": gettext_lazy("Assigned"),
    "case.forward": gettext_lazy("Forwarded"),
    "case.remind": gettext_lazy("Reminder sent"),
    "case.automation_skipped": gettext_lazy("Automation left the case to a person"),
    "case.postbox_unavailable": gettext_lazy("No postbox: please send by post"),
    "case.document_add": gettext_lazy("Document added"),
    "case.document_version": gettext_lazy("New version of a document"),
    "case.document_read": gettext_lazy("Document viewed"),
    "case.note_add": gettext_lazy("Note added"),
    "case.export": gettext_lazy("Case file exported"),
    "case.anonymise": gettext_lazy("Anonymised after the retention period"),
}


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    title: str
    who: str
    details: str


def history_rows(entries: Iterable[AuditEntry]) -> list[HistoryRow]:
    """The audit entries of a case as the case file shows them: who did what, with old and new values."""
    rows = []
    for entry in entries:
        who = entry.actor_label or _("System")
        if entry.rule:
            who = _("System (rule: %(rule)s)") % {"rule": entry.rule}
        details = []
        for key, value in (entry.changes or {}).items():
            if isinstance(value, list) and len(value) == 2:
                details.append(f"{key}: {value[0] if value[0] is not None else '–'} → {value[1]}")
            else:
                details.append(f"{key}: {value}")
        rows.append(
            HistoryRow(
                entry=entry,
                title=str(ACTION_TITLES.get(entry.action, entry.action)),
                who=who,
                details="; ".join(details),
            )
        )
    return rows
