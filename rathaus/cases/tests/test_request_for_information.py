"""A request for information: the case waits for the citizen's answer in the postbox, then resumes by itself."""

import pytest
from django.test import Client, TestCase

from rathaus.audit.models import AuditEntry
from rathaus.cases.models import Case
from rathaus.postbox.models import Message
from rathaus.postbox.services import message_reply

from .applying import submit

pytestmark = pytest.mark.cases
HOST = "musterstadt.localhost"


@pytest.fixture
def in_progress(catalog, musterstadt, erika, caseworker, staff_log_in):
    application = submit(
        municipality=musterstadt, key="bewohnerparkausweis", user=erika, answers={"kennzeichen": "MS-QQ 7"}
    )
    case = Case.objects.get(application=application)
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    client.post(f"/verwaltung/vorgaenge/{case.public_id}/aktion/", {"transition": "start", "version": case.version})
    case.refresh_from_db()
    return case, client


def test_the_question_reaches_the_postbox_and_the_answer_resumes_the_case(in_progress, erika):
    case, client = in_progress
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(
            f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
            {
                "transition": "request_information",
                "version": case.version,
                "question": "Bitte laden Sie die Rückseite des Fahrzeugscheins hoch.",
            },
        )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "waiting_for_citizen" and case.waiting_until is not None
    question = Message.objects.get(application=case.application, kind="request_for_information")
    assert question.body == "Bitte laden Sie die Rückseite des Fahrzeugscheins hoch."
    assert question.reply_due == case.waiting_until and case.awaiting_message == question.public_id

    with TestCase.captureOnCommitCallbacks(execute=True):
        message_reply(message=question, user=erika, body="Ist hochgeladen, danke.", uploads=[])
    case.refresh_from_db()
    assert case.state == "in_progress" and case.awaiting_message is None
    resumed = AuditEntry.objects.filter(object_id=str(case.public_id), action="case.transition").last()
    assert resumed.actor is None and resumed.rule == "citizen_replied"
    assert (
        case.documents.filter(kind="message", text__contains="Ist hochgeladen").exists()
        or case.documents.filter(kind="message").count() >= 2
    )


def test_a_question_needs_text(in_progress):
    case, client = in_progress
    response = client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "request_information", "version": case.version, "question": "  "},
    )
    assert response.status_code == 400
    assert "Bitte schreiben Sie Ihre Frage" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "in_progress"


def test_the_caseworker_may_go_on_without_an_answer_giving_a_reason(in_progress):
    case, client = in_progress
    client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "request_information", "version": case.version, "question": "Wo parken Sie?"},
    )
    case.refresh_from_db()
    assert (
        client.post(
            f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
            {"transition": "answer_received", "version": case.version},
        ).status_code
        == 400
    )
    response = client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "resume", "version": case.version, "reason_text": "Telefonisch geklärt."},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "in_progress"


def test_a_complaint_is_forwarded_to_the_responsible_department(
    catalog, musterstadt, erika, staff_log_in, citizens_office_clerk, caseworker
):
    from rathaus.accounts.models import StaffRole
    from rathaus.accounts.services import staff_role_ensure

    staff_role_ensure(
        user=citizens_office_clerk,
        municipality=musterstadt,
        role=StaffRole.Role.CASEWORKER,
        department=musterstadt.departments.get(code="hauptamt"),
    )
    application = submit(municipality=musterstadt, key="anregungen-beschwerden", user=erika)
    case = Case.objects.get(application=application)
    assert case.department.code == "hauptamt"
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, citizens_office_clerk)
    response = client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "forward", "version": case.version, "department": "strassenverkehr"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.department.code == "strassenverkehr" and case.state == "received"
    assert client.get(f"/verwaltung/vorgaenge/{case.public_id}/").status_code == 404  # no longer theirs
    traffic = Client(HTTP_HOST=HOST)
    staff_log_in(traffic, caseworker)
    assert traffic.get(f"/verwaltung/vorgaenge/{case.public_id}/").status_code == 200
