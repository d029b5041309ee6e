"""A submitted application becomes a case of its department; staff see and move only the cases they may."""

import re

import pytest
from django.test import Client

from rathaus.applications.formengine import FormDefinition
from rathaus.applications.models import Application
from rathaus.applications.services import application_start, application_submit
from rathaus.applications.tests.test_every_definition import fill
from rathaus.audit.models import AuditEntry
from rathaus.cases.models import Case
from rathaus.cases.services import CaseConflict, case_transition
from rathaus.catalog.selectors import service_get
from rathaus.workflows import TransitionRefused

pytestmark = pytest.mark.cases
HOST = "musterstadt.localhost"


@pytest.fixture
def submitted(catalog, musterstadt, erika, django_capture_on_commit_callbacks) -> Application:
    service = service_get(municipality=musterstadt, key="bewohnerparkausweis")
    application = application_start(municipality=musterstadt, service=service, user=erika)
    application.data = fill(FormDefinition(application.definition.data["form"]))
    application.save()
    with django_capture_on_commit_callbacks(execute=True):
        return application_submit(
            application=application,
            consent=True,
            trust_level="substanziell",
            fees=service.fees,
            payment_method="invoice",
        )


def test_the_handover_opens_a_case_in_the_responsible_department(submitted):
    case = Case.objects.get(application=submitted)
    assert case.department.code == "strassenverkehr"
    assert case.state == "received" and case.workflow == "approval_with_fee"
    assert case.reference == submitted.reference
    assert (case.due_on - submitted.submitted_at.date()).days == 14
    assert AuditEntry.objects.filter(object_id=str(case.public_id), action="case.open", actor__isnull=True).exists()


def test_the_department_sees_the_case_and_every_read_is_audited(submitted, caseworker, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    case = Case.objects.get(application=submitted)
    assert case.reference in client.get("/verwaltung/vorgaenge/").content.decode()
    page = client.get(f"/verwaltung/vorgaenge/{case.public_id}/").content.decode()
    assert "Bearbeitung beginnen" in page
    assert AuditEntry.objects.filter(object_id=str(case.public_id), action="case.read", actor=caseworker).count() == 1


def test_another_department_sees_nothing(submitted, citizens_office_clerk, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, citizens_office_clerk)
    case = Case.objects.get(application=submitted)
    assert case.reference not in client.get("/verwaltung/vorgaenge/").content.decode()
    assert client.get(f"/verwaltung/vorgaenge/{case.public_id}/").status_code == 404
    assert (
        client.post(
            f"/verwaltung/vorgaenge/{case.public_id}/aktion/", {"transition": "start", "version": case.version}
        ).status_code
        == 404
    )
    case.refresh_from_db()
    assert case.state == "received"


def test_a_citizen_session_does_not_open_the_back_office(submitted, erika, log_in):
    client = Client(HTTP_HOST=HOST)
    log_in(client, erika, "hoch")
    response = client.get("/verwaltung/vorgaenge/")
    assert response.status_code == 302 and "/verwaltung/anmelden/" in response["Location"]


def test_a_transition_moves_the_case_and_is_audited(submitted, caseworker, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    case = Case.objects.get(application=submitted)
    client.post(f"/verwaltung/vorgaenge/{case.public_id}/aktion/", {"transition": "start", "version": case.version})
    case.refresh_from_db()
    assert case.state == "in_progress" and case.version == 2
    entry = AuditEntry.objects.get(object_id=str(case.public_id), action="case.transition")
    assert entry.changes == {"state": ["received", "in_progress"]} and entry.actor == caseworker


def test_a_role_may_not_take_a_decision_reserved_for_the_team_lead(submitted, caseworker):
    case = Case.objects.get(application=submitted)
    case = case_transition(
        case=case, transition="start", actor=caseworker, roles={"caseworker"}, expected_version=case.version
    )
    with pytest.raises(TransitionRefused) as refusal:
        case_transition(
            case=case,
            transition="reject",
            actor=caseworker,
            roles={"caseworker"},
            expected_version=case.version,
            inputs={"reason_text": "Kein Anspruch"},
        )
    assert refusal.value.code == "role_not_allowed"
    case.refresh_from_db()
    assert case.state == "in_progress"


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(submitted, caseworker, team_lead):
    read_by_both = Case.objects.get(application=submitted)
    case_transition(
        case=read_by_both,
        transition="start",
        actor=caseworker,
        roles={"caseworker"},
        expected_version=read_by_both.version,
    )
    with pytest.raises(CaseConflict):
        case_transition(
            case=read_by_both,
            transition="start",
            actor=team_lead,
            roles={"team_lead"},
            expected_version=read_by_both.version,
        )
    assert Case.objects.get(pk=read_by_both.pk).state == "in_progress"


def test_a_refused_transition_is_explained_in_the_case_file(submitted, caseworker, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    case = Case.objects.get(application=submitted)
    response = client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "approve", "version": case.version},
        follow=True,
    )
    assert re.search(r"kern-alert--danger", response.content.decode())
    case.refresh_from_db()
    assert case.state == "received"


def test_the_municipality_admin_sees_every_department_and_another_municipality_sees_nothing(
    submitted, musterstadt, beispielhausen, staff_log_in
):
    from rathaus.accounts.models import StaffRole
    from rathaus.accounts.services import staff_role_ensure, user_ensure

    admin, _ = user_ensure(
        username="anna",
        email="anna@musterstadt.example",
        password="Test-Passwort-2026",
        first_name="Anna",
        last_name="Admin",
    )
    staff_role_ensure(user=admin, municipality=musterstadt, role=StaffRole.Role.MUNICIPALITY_ADMIN, department=None)
    neighbour, _ = user_ensure(
        username="nina",
        email="nina@beispielhausen.example",
        password="Test-Passwort-2026",
        first_name="Nina",
        last_name="Nachbar",
    )
    staff_role_ensure(
        user=neighbour, municipality=beispielhausen, role=StaffRole.Role.MUNICIPALITY_ADMIN, department=None
    )
    case = Case.objects.get(application=submitted)

    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, admin)
    assert case.reference in client.get("/verwaltung/vorgaenge/").content.decode()
    assert client.get(f"/verwaltung/vorgaenge/{case.public_id}/").status_code == 200

    other = Client(HTTP_HOST="beispielhausen.localhost")
    staff_log_in(other, neighbour)
    assert case.reference not in other.get("/verwaltung/vorgaenge/").content.decode()
    assert other.get(f"/verwaltung/vorgaenge/{case.public_id}/").status_code == 404
    assert other.get(f"/api/v1/cases/{case.public_id}").status_code == 404


def test_sending_and_the_decision_record_their_durations_for_the_statistics(
    submitted, caseworker, django_capture_on_commit_callbacks
):
    from rathaus.analytics.models import Event

    sent = Event.objects.get(name="application_submitted", service_key="bewohnerparkausweis")
    assert isinstance(sent.dimensions["duration"], int) and sent.dimensions["duration"] >= 0
    case = Case.objects.get(application=submitted)
    with django_capture_on_commit_callbacks(execute=True):
        case = case_transition(
            case=case, transition="start", actor=caseworker, roles={"caseworker"}, expected_version=case.version
        )
        case_transition(
            case=case, transition="approve", actor=caseworker, roles={"caseworker"}, expected_version=case.version
        )
    decided = Event.objects.get(name="case_decided")
    assert decided.dimensions["on_time"] is True and decided.dimensions["method"] == "manual"
    assert 0 <= decided.dimensions["duration"] < 600
    assert not Event.objects.filter(name="case_transition", dimensions__step="approve").exists()
