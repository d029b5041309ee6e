"""Staff take workflow steps in the case file and through the API; what they may not do is refused with the reason,
and a save on a stale case is refused without losing what was typed."""

import hashlib
import json
from io import BytesIO

import pytest
from django.test import Client
from pypdf import PdfReader

from rathaus.audit.models import AuditEntry
from rathaus.cases.models import Case, CaseDocument
from rathaus.postbox.models import Message

from .applying import submit

pytestmark = pytest.mark.cases
HOST = "musterstadt.localhost"


@pytest.fixture
def case(catalog, musterstadt, erika) -> Case:
    # A plate the vehicle register does not know: no automatic approval, a person decides.
    application = submit(
        municipality=musterstadt,
        key="bewohnerparkausweis",
        user=erika,
        answers={"kennzeichen": "MS-XY 42", "halter": "selbst", "gueltigkeit": "12"},
    )
    return Case.objects.get(application=application)


@pytest.fixture
def clerk(caseworker, staff_log_in) -> Client:
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, caseworker)
    return client


@pytest.fixture
def lead(team_lead, staff_log_in) -> Client:
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, team_lead)
    return client


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def step(client: Client, case: Case, transition: str, **inputs: str):
    case.refresh_from_db()
    return client.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/", {"transition": transition, "version": case.version, **inputs}
    )


def test_a_caseworker_starts_and_approves_and_the_citizen_gets_the_letter_in_the_postbox(case, clerk, erika):
    assert step(clerk, case, "start").status_code == 302
    response = step(clerk, case, "approve", decision_letter="Der Ausweis kommt in den nächsten Tagen mit der Post.")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == "approved" and case.decided_at is not None
    assert case.fee_amount is not None and str(case.fee_amount) == "30.70"
    letter = CaseDocument.objects.get(case=case, kind="letter")
    assert letter.file_name.endswith(".pdf") and letter.created_by is not None
    decision = Message.objects.get(application=case.application, kind="decision")
    assert decision.recipient == erika and decision.documents.count() == 1
    assert "Bescheid" in decision.subject or "Entscheidung" in decision.subject
    history = AuditEntry.objects.filter(object_id=str(case.public_id), action="case.transition")
    assert [entry.changes["state"] for entry in history] == [["received", "in_progress"], ["in_progress", "approved"]]


def test_a_caseworker_may_not_reject_the_page_says_why_and_keeps_the_reason(case, clerk):
    step(clerk, case, "start")
    response = step(clerk, case, "reject", reason_text="Kein Wohnsitz in der Zone.")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nur die Teamleitung oder die Amtsleitung" in page
    assert "Kein Wohnsitz in der Zone." in page
    case.refresh_from_db()
    assert case.state == "in_progress"


def test_a_team_lead_rejects_with_a_reason_and_the_letter_carries_it(case, clerk, lead):
    step(clerk, case, "start")
    assert step(lead, case, "reject").status_code == 400  # no reason given
    assert step(lead, case, "reject", reason_text="Sie haben einen eigenen Stellplatz.").status_code == 302
    case.refresh_from_db()
    assert case.state == "rejected"
    entry = AuditEntry.objects.filter(object_id=str(case.public_id), action="case.transition").last()
    # The audit trail outlives retention: it proves the reason by its fingerprint, the letter carries the text.
    assert entry.changes["reason_text"] == {
        "sha256": hashlib.sha256(b"Sie haben einen eigenen Stellplatz.").hexdigest(),
        "characters": 35,
    }
    letter = CaseDocument.objects.get(case=case, kind="letter")
    assert "Sie haben einen eigenen Stellplatz." in pdf_text(letter.file.read())


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_lost(case, clerk, lead):
    case.refresh_from_db()
    read_by_both = case.version
    first = clerk.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/", {"transition": "start", "version": read_by_both}
    )
    assert first.status_code == 302
    second = lead.post(
        f"/verwaltung/vorgaenge/{case.public_id}/aktion/",
        {"transition": "start", "version": read_by_both, "decision_letter": "Mein Entwurf"},
    )
    assert second.status_code == 409
    assert "in der Zwischenzeit" in second.content.decode()
    case.refresh_from_db()
    assert case.state == "in_progress" and case.version == read_by_both + 1


def test_assignment_to_a_colleague_and_back_to_the_department(case, clerk, caseworker, team_lead):
    case.refresh_from_db()
    response = clerk.post(
        f"/verwaltung/vorgaenge/{case.public_id}/zuweisung/", {"assignee": team_lead.pk, "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.assignee == team_lead
    clerk.post(f"/verwaltung/vorgaenge/{case.public_id}/zuweisung/", {"assignee": "", "version": case.version})
    case.refresh_from_db()
    assert case.assignee is None


def test_the_inbox_filters_counts_and_finds_by_name(case, clerk):
    page = clerk.get("/verwaltung/vorgaenge/", {"q": "musterm"}).content.decode()
    assert case.reference in page and "eingegangen: 1" in page
    assert case.reference not in clerk.get("/verwaltung/vorgaenge/", {"q": "Niemand"}).content.decode()
    assert case.reference in clerk.get("/verwaltung/vorgaenge/", {"leistung": "bewohnerparkausweis"}).content.decode()
    assert case.reference not in clerk.get("/verwaltung/vorgaenge/", {"stand": "closed"}).content.decode()
    assert clerk.get("/verwaltung/vorgaenge/", {"sortierung": "unbekannt", "seite": "x"}).status_code == 200


# --- the API -------------------------------------------------------------------------------------------------


def api_step(client: Client, case: Case, **payload):
    return client.post(
        f"/api/v1/cases/{case.public_id}/transitions", json.dumps(payload), content_type="application/json"
    )


@pytest.fixture
def api_clerk(caseworker, staff_log_in) -> Client:
    client = Client(HTTP_HOST=HOST)  # the test client does not enforce CSRF; the browser test does
    staff_log_in(client, caseworker)
    return client


def test_the_api_lists_and_shows_cases_and_audits_the_read(case, api_clerk, caseworker):
    listing = api_clerk.get("/api/v1/cases").json()
    assert listing["count"] == 1 and listing["items"][0]["reference"] == case.reference
    detail = api_clerk.get(f"/api/v1/cases/{case.public_id}").json()
    assert detail["state"] == "received" and [t["code"] for t in detail["transitions"]] == ["start"]
    assert AuditEntry.objects.filter(object_id=str(case.public_id), action="case.read", actor=caseworker).exists()


def test_the_api_refuses_with_the_reason(case, api_clerk):
    case.refresh_from_db()
    wrong_state = api_step(api_clerk, case, transition="approve", version=case.version)
    assert wrong_state.status_code == 409 and wrong_state.json()["code"] == "not_from_this_state"
    api_step(api_clerk, case, transition="start", version=case.version)
    case.refresh_from_db()
    role = api_step(api_clerk, case, transition="reject", version=case.version, reason_text="Nein.")
    assert role.status_code == 403 and role.json()["code"] == "role_not_allowed"
    assert "Teamleitung" in role.json()["detail"]
    stale = api_step(api_clerk, case, transition="approve", version=case.version - 1)
    assert stale.status_code == 409 and stale.json()["code"] == "stale_version"
    unknown = api_step(api_clerk, case, transition="zaubern", version=case.version)
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_transition"
    ok = api_step(api_clerk, case, transition="approve", version=case.version)
    assert ok.status_code == 200 and ok.json()["state"] == "approved"


def test_the_api_asks_for_a_missing_input(case, team_lead, staff_log_in):
    client = Client(HTTP_HOST=HOST)
    staff_log_in(client, team_lead)
    case.refresh_from_db()
    api_step(client, case, transition="start", version=case.version)
    case.refresh_from_db()
    missing = api_step(client, case, transition="reject", version=case.version)
    assert missing.status_code == 422
    assert missing.json()["code"] == "missing_requirement" and missing.json()["requirement"] == "reason_text"


def test_the_api_is_closed_to_citizens_and_other_departments(case, erika, log_in, citizens_office_clerk, staff_log_in):
    anonymous = Client(HTTP_HOST=HOST)
    assert anonymous.get("/api/v1/cases").status_code == 401
    citizen = Client(HTTP_HOST=HOST)
    log_in(citizen, erika, "substanziell")
    assert citizen.get(f"/api/v1/cases/{case.public_id}").status_code == 401
    other = Client(HTTP_HOST=HOST)
    staff_log_in(other, citizens_office_clerk)
    assert other.get("/api/v1/cases").json()["count"] == 0
    assert other.get(f"/api/v1/cases/{case.public_id}").status_code == 404
    assert api_step(other, case, transition="start", version=1).status_code == 404


def test_the_api_enforces_csrf_for_session_writes(case, caseworker, staff_log_in):
    logged_in = Client(HTTP_HOST=HOST)
    staff_log_in(logged_in, caseworker)
    client = Client(HTTP_HOST=HOST, enforce_csrf_checks=True)
    client.cookies = logged_in.cookies
    assert client.get("/api/v1/cases").status_code == 200
    response = api_step(client, case, transition="start", version=1)
    assert response.status_code == 403


def test_the_letter_can_be_previewed_before_it_is_released_and_nothing_is_sent(case, clerk, lead):
    step(clerk, case, "start")
    case.refresh_from_db()
    response = clerk.post(
        f"/verwaltung/vorgaenge/{case.public_id}/bescheid-vorschau/",
        {"transition": "approve", "version": case.version, "decision_letter": "Gute Fahrt!"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Gute Fahrt!" in text and case.reference in text and "30,70" in text
    case.refresh_from_db()
    assert case.state == "in_progress" and case.fee_amount is None
    assert not CaseDocument.objects.filter(case=case, kind="letter").exists()
    assert not Message.objects.filter(application=case.application, kind="decision").exists()
    refused = lead.post(
        f"/verwaltung/vorgaenge/{case.public_id}/bescheid-vorschau/", {"transition": "reject", "version": case.version}
    )
    assert refused.status_code == 400 and "lässt sich noch nicht als Vorschau zeigen" in refused.content.decode()
