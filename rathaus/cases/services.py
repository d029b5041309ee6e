"""Writes of case processing. Each one checks, then changes, appends to the audit trail in the same transaction,
and leaves e-mails and automation to after the commit."""

from __future__ import annotations

import hashlib
from contextvars import ContextVar
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import User
from rathaus.analytics.services import event_emit
from rathaus.applications.models import Application
from rathaus.audit.services import audit_append
from rathaus.catalog import selectors as catalog
from rathaus.workflows import workflow_get

from . import actions, facts
from .models import Case

SYSTEM_ROLES = frozenset({"system"})


class CaseError(Exception):
    """A refused case operation; the message is translated and meant for staff."""


class CaseConflict(CaseError):
    """Someone else saved the case since it was read; nothing was changed."""


def _audit(
    case: Case, *, actor: User | None, action: str, changes: dict[str, Any] | None = None, rule: str = ""
) -> None:
    audit_append(
        actor=actor,
        action=action,
        object_type="case",
        object_id=str(case.public_id),
        municipality=case.municipality,
        changes=changes,
        rule=rule,
    )


def _lock(case: Case, expected_version: int | None) -> Case:
    locked = Case.objects.select_for_update().select_related("municipality", "department").get(pk=case.pk)
    if expected_version is not None and locked.version != expected_version:
        raise CaseConflict(
            _("Someone else has changed this case in the meantime. Please reload it; nothing was saved.")
        )
    return locked


# Set while the automation works on a case: its own steps need no new automation task.
automating: ContextVar[bool] = ContextVar("automating", default=False)


def automate_after_commit(case: Case) -> None:
    """Let the automation look at the case once the change is committed (a task, so requests stay fast)."""
    from .tasks import case_automate

    if automating.get():
        return

    public_id = str(case.public_id)
    transaction.on_commit(lambda: case_automate.enqueue(public_id))


@transaction.atomic
def case_open_for_application(*, application: Application) -> Case:
    """The handover: a submitted application becomes a case of the responsible department (once)."""
    existing = Case.objects.filter(application=application).first()
    if existing is not None:
        return existing
    service = catalog.service_get(municipality=application.municipality, key=application.definition.key)
    definition = service.data if service else application.definition.data
    department = service.department if service else None
    if department is None:
        department = application.municipality.departments.filter(code=definition["department"]).first()
    if department is None:
        raise CaseError(_("No department of this municipality is responsible for this service."))
    workflow = workflow_get(definition["workflow"])
    data = application.data
    names = " ".join(str(data.get(key, "")) for key in ("vorname", "nachname")).strip()
    submitted = timezone.localdate(application.submitted_at or timezone.now())
    case = Case.objects.create(
        municipality=application.municipality,
        department=department,
        application=application,
        reference=application.reference,
        service_key=application.definition.key,
        workflow=workflow.name,
        state=workflow.initial,
        applicant_name=names or (application.applicant.get_full_name() if application.applicant else ""),
        due_on=submitted + timedelta(days=definition["processing_time_days"]),
    )
    _audit(
        case,
        actor=None,
        action="case.open",
        rule="handover",
        changes={"state": [None, case.state], "department": [None, department.code]},
    )
    from .documents import case_documents_from_application

    case_documents_from_application(case=case, actor=None)
    event_emit(name="case_opened", municipality=case.municipality, service_key=case.service_key)
    automate_after_commit(case)
    return case


@transaction.atomic
def case_transition(
    *,
    case: Case,
    transition: str,
    actor: User | None,
    roles: set[str] | frozenset[str],
    expected_version: int | None,
    inputs: dict[str, Any] | None = None,
    rule: str = "",
) -> Case:
    """Take a workflow transition and run its actions. Refused (TransitionRefused) with the workflow's reason, or
    as a CaseConflict when the case changed since `expected_version` was read (None: the automation, which holds
    the row lock and checks the state itself)."""
    locked = _lock(case, expected_version)
    workflow = workflow_get(locked.workflow)
    inputs = {key: value for key, value in (inputs or {}).items() if value not in (None, "")}
    context = {**facts.case_facts(locked), **inputs}
    taken = workflow.check_transition(state=locked.state, transition=transition, roles=roles, context=context)
    old_state = locked.state
    locked.state = taken.target
    locked.version += 1
    now = timezone.now()
    if taken.decision:
        locked.decided_at = now
    target = workflow.state(taken.target)
    locked.closed_at = now if target.final else None
    if target.waits_for is None:
        locked.waiting_until = None
        locked.awaiting_message = None
    locked.save()
    changes: dict[str, Any] = {"state": [old_state, locked.state]}
    for key in ("reason_text", "decision_letter", "question"):
        if key in inputs:
            # The text is in the letter and the case file; the audit trail outlives retention, so it keeps a
            # fingerprint that proves what was written without keeping personal data.
            text = str(inputs[key])
            changes[key] = {"sha256": hashlib.sha256(text.encode()).hexdigest(), "characters": len(text)}

    _audit(locked, actor=actor, action="case.transition", changes=changes, rule=rule or ("" if actor else "workflow"))
    actions.run(case=locked, workflow=workflow, transition=taken.code, inputs=context, actor=actor)
    how = "automatic" if actor is None else "manual"
    if taken.decision:  # processing time from submission to decision, against the promised time (due_on)
        event_emit(
            name="case_decided",
            municipality=locked.municipality,
            service_key=locked.service_key,
            step=taken.code,
            method=how,
            duration=int((now - locked.created_at).total_seconds()),
            on_time=locked.due_on is None or timezone.localdate(now) <= locked.due_on,
        )
    if target.final or not taken.decision:
        event_emit(
            name="case_closed" if target.final else "case_transition",
            municipality=locked.municipality,
            service_key=locked.service_key,
            step=taken.code,
            method=how,
        )
    automate_after_commit(locked)
    return locked


@transaction.atomic
def case_assign(
    *, case: Case, assignee: User | None, actor: User | None, expected_version: int | None, rule: str = ""
) -> Case:
    """Give the case to a staff member of its department (None: back to the department's pool)."""
    locked = _lock(case, expected_version)
    if (
        assignee is not None
        and not assignee.staff_roles.filter(
            municipality_id=locked.municipality_id, department_id=locked.department_id
        ).exists()
    ):
        raise CaseError(_("This person does not work in the department responsible for the case."))
    if locked.assignee_id == (assignee.pk if assignee else None):
        return locked
    old = locked.assignee.get_username() if locked.assignee else None
    locked.assignee = assignee
    locked.version += 1
    locked.save(update_fields=["assignee", "version", "updated_at"])
    _audit(
        locked,
        actor=actor,
        action="case.assign",
        rule=rule,
        changes={"assignee": [old, assignee.get_username() if assignee else None]},
    )
    return locked


def case_read_record(*, case: Case, actor: User, what: str = "case") -> None:
    """Every staff read of a case is in the audit trail."""
    with transaction.atomic():
        _audit(case, actor=actor, action="case.read", changes={"read": what} if what != "case" else None)


def case_resume_after_reply(*, message_id: Any) -> Case | None:
    """The citizen answered the question the case waits for: the case resumes (done by the system)."""
    with transaction.atomic():
        case = Case.objects.select_for_update().filter(awaiting_message=message_id).first()
        if case is None:
            return None
        workflow = workflow_get(case.workflow)
        answer = next(
            (
                t
                for t in workflow.transitions.values()
                if case.state in t.sources
                and "system" in t.roles
                and any(c.when.get("field") == "information_received" for c in t.conditions)
            ),
            None,
        )
        if answer is None:
            return None
        return case_transition(
            case=case,
            transition=answer.code,
            actor=None,
            roles=SYSTEM_ROLES,
            expected_version=None,
            inputs={"information_received": True},
            rule="citizen_replied",
        )
