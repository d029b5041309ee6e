"""Automation takes routine work off staff: rules of the service definition act without a person, and every
automatic step is in the history as done by the system with the rule that fired."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from rathaus.accounts.models import StaffRole
from rathaus.accounts.services import staff_role_ensure, user_ensure
from rathaus.audit.models import AuditEntry
from rathaus.cases.automation import reminders_send
from rathaus.cases.models import Case
from rathaus.payments.selectors import payment_for_purpose
from rathaus.payments.services import payment_settle_at_counter
from rathaus.postbox.models import Message
from rathaus.registers.services import registers_demo_load

from .applying import submit

pytestmark = pytest.mark.cases


@pytest.fixture
def registers(musterstadt):
    registers_demo_load(municipality=musterstadt)


def entries(case: Case, action: str):
    return AuditEntry.objects.filter(object_id=str(case.public_id), action=action).order_by("sequence")


def test_a_resident_parking_permit_is_approved_with_no_person_involved(catalog, musterstadt, erika, registers):
    application = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={"kennzeichen": "MS-EM 1964", "halter": "selbst", "gueltigkeit": "12"},
    )
    case = Case.objects.get(application=application)
    assert case.state == "approved"
    steps = entries(case, "case.transition")
    assert [(e.changes["state"], e.actor, e.rule) for e in steps] == [
        (["received", "in_progress"], None, "parkzone-und-halter"),
        (["in_progress", "approved"], None, "parkzone-und-halter"),
    ]
    assert all(e.actor_kind == "system" for e in steps)
    decision = Message.objects.get(application=application, kind="decision")
    assert decision.documents.count() == 1  # the decision letter
    assert case.documents.filter(kind="letter").count() == 1


def test_payment_of_the_fee_closes_the_case(catalog, musterstadt, erika, registers, caseworker):
    application = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={"kennzeichen": "MS-EM 1964", "halter": "selbst", "gueltigkeit": "6"},
    )
    payment = payment_for_purpose(purpose=f"application:{application.public_id}")
    assert payment is not None and str(payment.amount) == "20.00" and payment.method == "invoice"
    with TestCase.captureOnCommitCallbacks(execute=True):
        payment_settle_at_counter(payment=payment, actor=caseworker)
    case = Case.objects.get(application=application)
    assert case.state == "closed" and case.closed_at is not None
    assert [e.rule for e in entries(case, "case.transition")][-2:] == ["abschluss-nach-zahlung"] * 2


def test_an_address_outside_the_zones_leaves_the_decision_to_a_person(catalog, musterstadt, erika, registers):
    application = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={
            "kennzeichen": "MS-EM 1964",
            "halter": "selbst",
            "anschrift": {"strasse": "Feldweg", "hausnummer": "1", "plz": "61348", "ort": "Musterstadt"},
        },
    )
    case = Case.objects.get(application=application)
    assert case.state == "received"
    assert not entries(case, "case.transition").exists()


def test_a_register_that_cannot_answer_never_leads_to_a_decision(catalog, musterstadt, erika, registers, settings):
    settings.RATHAUS_VEHICLE_REGISTER = "none"  # no register connected: it never answers
    application = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={"kennzeichen": "MS-EM 1964", "halter": "selbst"},
    )
    case = Case.objects.get(application=application)
    assert case.state == "received"
    skipped = entries(case, "case.automation_skipped").get()
    assert skipped.rule == "parkzone-und-halter" and "Fahrzeugregister" in skipped.changes["reason"]


def test_new_cases_go_round_robin_to_the_caseworkers_of_the_department(catalog, musterstadt, erika, caseworker):
    second, _ = user_ensure(
        username="sina",
        email="sina@musterstadt.example",
        password="Test-Passwort-2026",
        first_name="Sina",
        last_name="Sachbearbeitung",
    )
    staff_role_ensure(
        user=second,
        municipality=musterstadt,
        role=StaffRole.Role.CASEWORKER,
        department=musterstadt.departments.get(code="strassenverkehr"),
    )
    assignees = []
    for plate in ("MS-AA 1", "MS-AA 2", "MS-AA 3"):
        application = submit(
            municipality=musterstadt, key="bewohnerparkausweis", user=erika, answers={"kennzeichen": plate}
        )
        case = Case.objects.get(application=application)
        assignees.append(case.assignee)
        assert entries(case, "case.assign").get().rule == "assign_round_robin"
    assert assignees == [caseworker, second, caseworker]


def test_the_assignee_is_reminded_once_before_the_due_date(catalog, musterstadt, erika, caseworker):
    application = submit(
        municipality=musterstadt, key="bewohnerparkausweis", user=erika, answers={"kennzeichen": "MS-AA 9"}
    )
    case = Case.objects.get(application=application)
    assert case.assignee == caseworker
    mail.outbox.clear()
    early = case.due_on - timedelta(days=10)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert reminders_send(today=early) == 0
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert reminders_send(today=case.due_on - timedelta(days=3)) == 1
        assert reminders_send(today=case.due_on - timedelta(days=2)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [caseworker.email]
    assert case.reference in mail.outbox[0].subject
    assert entries(case, "case.remind").get().rule == "remind_before_due"
    assert timezone.localdate() <= case.due_on


def test_assignment_by_district_follows_the_caseworker_areas(catalog, musterstadt, erika, caseworker):
    from rathaus.catalog.models import ServiceDefinition
    from rathaus.registers.models import CaseworkerArea

    definition = ServiceDefinition.objects.get(key="bewohnerparkausweis")
    definition.data["automation"]["assign"] = "district"
    definition.save(update_fields=["data"])
    second, _ = user_ensure(
        username="sina",
        email="sina@musterstadt.example",
        password="Test-Passwort-2026",
        first_name="Sina",
        last_name="Sachbearbeitung",
    )
    traffic = musterstadt.departments.get(code="strassenverkehr")
    staff_role_ensure(user=second, municipality=musterstadt, role=StaffRole.Role.CASEWORKER, department=traffic)
    CaseworkerArea.objects.create(department=traffic, user=second, initials_from="M", initials_to="M")
    mustermann = submit(
        municipality=musterstadt, key="bewohnerparkausweis", user=erika, answers={"kennzeichen": "MS-DD 1"}
    )
    schmidt = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={"kennzeichen": "MS-DD 2", "nachname": "Schmidt"},
    )
    by_area = Case.objects.get(application=mustermann)
    assert by_area.assignee == second
    assert entries(by_area, "case.assign").get().rule == "assign_by_district"
    outside = Case.objects.get(application=schmidt)  # no area for S: round robin keeps the work flowing
    assert outside.assignee is not None and entries(outside, "case.assign").get().rule == "assign_round_robin"
