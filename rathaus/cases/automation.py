"""Automation: the rules of a service definition (`automation:` in services/*.yaml) act without a person.

Assignment (round robin or by district), rules that take workflow transitions when their condition holds, and
reminders before due dates. Every automatic step is in the audit trail with no actor and the rule that fired.
A register that cannot answer never leads to a decision: the rule is skipped and a person decides.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from datetime import timedelta
from functools import partial
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rathaus.accounts.models import StaffRole, User
from rathaus.applications.formengine import condition_holds
from rathaus.audit.services import audit_append
from rathaus.workflows import TransitionRefused

from . import facts
from .models import AssignmentCursor, Case
from .services import SYSTEM_ROLES, CaseError, automating, case_assign, case_transition

logger = logging.getLogger(__name__)
MAX_STEPS = 10  # rules could in theory chain forever; a case never needs more automatic steps than this at once


def automation_of(case: Case) -> dict[str, Any]:
    """The automation block of the service definition the case was opened under."""
    if case.application is None:
        return {}
    return dict(case.application.definition.data.get("automation", {}))


def _fields(condition: Mapping[str, Any] | None) -> Iterator[str]:
    if not condition:
        return
    for combinator in ("all", "any"):
        for part in condition.get(combinator, []):
            yield from _fields(part)
    if "field" in condition:
        yield condition["field"]


def rule_holds(case: Case, rule: Mapping[str, Any]) -> bool:
    """Whether the rule's condition holds; raises facts.FactUnavailable when a register cannot answer."""
    when = rule.get("when")
    values = {name: facts.fact_get(case, name) for name in set(_fields(when))}
    return condition_holds(when, values)


def _skip(case: Case, rule: Mapping[str, Any], reason: str) -> None:
    audit_append(
        actor=None,
        action="case.automation_skipped",
        object_type="case",
        object_id=str(case.public_id),
        municipality=case.municipality,
        changes={"reason": reason},
        rule=rule["id"],
    )


def rules_apply(case: Case) -> Case:
    """Fire the rules whose state and condition match, until none does."""
    rules = automation_of(case).get("rules", [])
    for _step in range(MAX_STEPS):
        for rule in rules:
            if rule["in_state"] != case.state:
                continue
            try:
                if not rule_holds(case, rule):
                    continue
            except facts.FactUnavailable as error:
                _skip(case, rule, str(error)[:200])
                continue
            try:
                with transaction.atomic():
                    for code in rule["take"]:
                        case = case_transition(
                            case=case,
                            transition=code,
                            actor=None,
                            roles=SYSTEM_ROLES,
                            expected_version=None,
                            rule=rule["id"],
                        )
            except (TransitionRefused, CaseError) as refusal:
                _skip(case, rule, str(refusal)[:200])
                continue
            break  # the state changed: look at the rules again
        else:
            return case
    return case


def _caseworkers(case: Case) -> list[User]:
    return list(
        User.objects.filter(
            staff_roles__municipality_id=case.municipality_id,
            staff_roles__department_id=case.department_id,
            staff_roles__role=StaffRole.Role.CASEWORKER,
            is_active=True,
        )
        .distinct()
        .order_by("pk")
    )


def round_robin_next(case: Case) -> User | None:
    """The caseworker after the one who got the department's last case of this service."""
    people = _caseworkers(case)
    if not people:
        return None
    cursor, _created = AssignmentCursor.objects.select_for_update().get_or_create(
        department_id=case.department_id, service_key=case.service_key
    )
    after = [person for person in people if cursor.last_assignee_id is not None and person.pk > cursor.last_assignee_id]
    chosen = (after or people)[0]
    cursor.last_assignee = chosen
    cursor.save(update_fields=["last_assignee"])
    return chosen


def by_district(case: Case) -> User | None:
    from rathaus.registers.selectors import caseworker_for

    data = case.form_data
    return caseworker_for(
        department=case.department, address=data.get("anschrift"), family_name=str(data.get("nachname", ""))
    )


def assignment_apply(case: Case) -> Case:
    strategy = automation_of(case).get("assign")
    if not strategy or case.assignee_id is not None or case.closed_at is not None:
        return case
    with transaction.atomic():
        chosen = by_district(case) if strategy == "district" else None
        rule = "assign_by_district" if chosen else "assign_round_robin"
        chosen = chosen or round_robin_next(case)
        if chosen is None:
            return case
        return case_assign(case=case, assignee=chosen, actor=None, expected_version=None, rule=rule)


def case_automate(*, public_id: str) -> Case | None:
    """Everything the automation does for one case after a change: assignment, then the rules."""
    case = (
        Case.objects.select_related("application__definition", "municipality", "department")
        .filter(public_id=public_id, anonymised_at__isnull=True)
        .first()
    )
    if case is None or case.closed_at is not None:
        return case
    token = automating.set(True)
    try:
        case = assignment_apply(case)
        return rules_apply(case)
    finally:
        automating.reset(token)


# --- reminders --------------------------------------------------------------------------------------------------

DEFAULT_REMIND_DAYS = 2


def _remind(case: Case, site: str) -> None:
    recipient = case.assignee.email if case.assignee and case.assignee.email else case.department.email
    if not recipient:
        return
    subject = _("Reminder: case %(reference)s is due on %(date)s") % {
        "reference": case.reference,
        "date": case.due_on.strftime("%d.%m.%Y") if case.due_on else "",
    }
    body = _("The case %(reference)s (%(service)s) is due on %(date)s.\n\nOpen it in the back office: %(link)s") % {
        "reference": case.reference,
        "service": case.service_name,
        "date": case.due_on.strftime("%d.%m.%Y") if case.due_on else "",
        "link": f"{site}/verwaltung/vorgaenge/{case.public_id}/",
    }
    transaction.on_commit(partial(send_mail, subject, body, None, [recipient]))


def reminders_send(*, today: Any = None) -> int:
    """Remind the assignee (or the department) of open cases that fall due soon, once per case. Returns the count."""
    from rathaus.postbox.services import site_url

    today = today or timezone.localdate()
    horizon = today + timedelta(days=60)
    sent = 0
    candidates = Case.objects.select_related("application__definition", "assignee", "department", "municipality")
    for case in candidates.filter(closed_at__isnull=True, reminded_on__isnull=True, due_on__lte=horizon):
        days = int(automation_of(case).get("remind_days_before_due", DEFAULT_REMIND_DAYS))
        if case.due_on is None or case.due_on - timedelta(days=days) > today:
            continue
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.reminded_on is not None:
                continue
            locked.reminded_on = today
            locked.save(update_fields=["reminded_on"])
            audit_append(
                actor=None,
                action="case.remind",
                object_type="case",
                object_id=str(case.public_id),
                municipality=case.municipality,
                changes={"due_on": str(case.due_on)},
                rule="remind_before_due",
            )
            _remind(case, site_url(case.municipality))
        sent += 1
    return sent
