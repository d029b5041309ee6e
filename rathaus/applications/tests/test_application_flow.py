"""A citizen goes through a form step by step; drafts keep everything; one submission per application."""

import io
import re

import pytest
from django.test import Client
from pypdf import PdfReader

from rathaus.analytics.models import Event
from rathaus.applications.models import Application, StatusChange
from rathaus.applications.signals import application_submitted

HOST = "musterstadt.localhost"


@pytest.fixture
def client_() -> Client:
    return Client(HTTP_HOST=HOST)


@pytest.fixture
def erika_client(client_, erika, log_in, catalog) -> Client:
    log_in(client_, erika, "substanziell")
    return client_


def begin(client: Client, key: str) -> Application:
    response = client.post(f"/leistungen/{key}/antrag/")
    assert response.status_code == 302, response
    match = re.search(r"/antrag/([0-9a-f-]{36})/schritt/", response["Location"])
    assert match, response["Location"]
    return Application.objects.get(public_id=match.group(1))


def step_url(application: Application, step: str) -> str:
    return f"/antrag/{application.public_id}/schritt/{step}/"


def test_an_anonymous_visitor_is_sent_to_log_in_first(client_, catalog):
    response = client_.post("/leistungen/bewohnerparkausweis/antrag/")
    assert response.status_code == 302
    assert "/konto/" in response["Location"]
    assert not Application.objects.exists()


def test_a_weak_login_is_asked_to_step_up_and_never_opens_the_form(client_, erika, log_in, catalog):
    log_in(client_, erika, "niedrig", method="password")
    response = client_.post("/leistungen/bewohnerparkausweis/antrag/")
    assert response.status_code == 302
    assert "substanziell" in response["Location"]
    assert not Application.objects.exists()


def test_the_form_opens_with_what_the_account_knows(erika_client):
    application = begin(erika_client, "bewohnerparkausweis")
    page = erika_client.get(step_url(application, "person")).content.decode()
    assert 'value="Erika"' in page and 'value="Mustermann"' in page
    assert 'value="1964-08-12"' in page
    assert "Schritt 1 von 5" in page


def test_errors_are_shown_at_the_field_and_nothing_entered_is_lost(erika_client):
    application = begin(erika_client, "bewohnerparkausweis")
    response = erika_client.post(
        step_url(application, "person"),
        {
            "vorname": "Erika",
            "nachname": "",
            "anschrift__strasse": "Heidestraße",
            "anschrift__hausnummer": "17",
            "anschrift__plz": "613",
            "anschrift__ort": "Musterstadt",
            "email": "erika@example.org",
            "aktion": "weiter",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bitte korrigieren Sie" in page
    assert "Bitte geben Sie eine Postleitzahl mit 5 Ziffern ein." in page
    assert 'value="613"' in page and 'value="Heidestraße"' in page
    application.refresh_from_db()
    assert application.data["anschrift"]["plz"] == "613", "the draft keeps what was typed"
    assert "person" not in application.completed_steps


def test_a_valid_step_leads_to_the_next_and_is_saved(erika_client):
    application = begin(erika_client, "bewohnerparkausweis")
    response = erika_client.post(
        step_url(application, "person"),
        {
            "vorname": "Erika",
            "nachname": "Mustermann",
            "geburtsdatum": "12.08.1964",
            "anschrift__strasse": "Heidestraße",
            "anschrift__hausnummer": "17",
            "anschrift__plz": "61348",
            "anschrift__ort": "Musterstadt",
            "email": "erika@example.org",
            "aktion": "weiter",
        },
    )
    assert response["Location"] == step_url(application, "fahrzeug")
    application.refresh_from_db()
    assert application.completed_steps == ["person"]
    assert application.data["geburtsdatum"] == "1964-08-12"


def test_foreign_fields_in_a_post_change_nothing(erika_client):
    application = begin(erika_client, "bewohnerparkausweis")
    erika_client.post(
        step_url(application, "ausweis"),
        {"gueltigkeit": "12", "status": "submitted", "kennzeichen": "XX-YY 1", "aktion": "speichern"},
    )
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert "kennzeichen" not in application.data and application.data["gueltigkeit"] == "12"


def complete_feedback(client: Client) -> Application:
    """The swimming-bath feedback: free, guests allowed, a short form."""
    application = begin(client, "anregungen-beschwerden")
    from rathaus.applications.formengine import FormDefinition
    from rathaus.applications.tests.test_every_definition import as_post, fill

    form = FormDefinition(application.definition.data["form"])
    data = fill(form)
    for step in form.visible_steps(data):
        fields = [name for name in step["fields"] if form.layout["fields"][name]["widget"] != "file"]
        post = as_post(form, fields, data)
        post["aktion"] = "weiter"
        response = client.post(step_url(application, step["id"]), post)
        assert response.status_code == 302, response.content.decode()[:3000]
    return application


def test_a_free_application_is_submitted_once_with_a_reference_number(erika_client, django_capture_on_commit_callbacks):
    application = complete_feedback(erika_client)
    received = []
    application_submitted.connect(
        lambda sender, application, **kw: received.append(application.pk), weak=False, dispatch_uid="test-received"
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            first = erika_client.post(f"/antrag/{application.public_id}/pruefen/", {"einverstanden": "on"})
            second = erika_client.post(f"/antrag/{application.public_id}/pruefen/", {"einverstanden": "on"})
    finally:
        application_submitted.disconnect(dispatch_uid="test-received")
    assert first["Location"] == second["Location"] == f"/antrag/{application.public_id}/"
    application.refresh_from_db()
    assert re.fullmatch(r"MUS-\d{4}-000001", application.reference)
    assert application.status == Application.Status.SUBMITTED
    assert received == [application.pk], "the handover happens exactly once"
    assert StatusChange.objects.filter(application=application, status="submitted").count() == 1
    assert Event.objects.filter(name="application_submitted").count() == 1
    page = erika_client.get(f"/antrag/{application.public_id}/").content.decode()
    assert application.reference in page


def test_without_consent_nothing_is_sent(erika_client):
    application = complete_feedback(erika_client)
    response = erika_client.post(f"/antrag/{application.public_id}/pruefen/", {})
    assert response.status_code == 422
    assert "Bitte bestätigen Sie" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_the_receipt_is_a_pdf_a(erika_client):
    application = complete_feedback(erika_client)
    erika_client.post(f"/antrag/{application.public_id}/pruefen/", {"einverstanden": "on"})
    response = erika_client.get(f"/antrag/{application.public_id}/eingangsbestaetigung.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(response.content))
    application.refresh_from_db()
    text = "".join(page.extract_text() for page in pdf.pages)
    assert application.reference in text and "Eingangsbestätigung" in text
    assert pdf.xmp_metadata is not None and b"pdfaid:part" in pdf.xmp_metadata.stream.get_data()


def test_my_applications_lists_drafts_and_sent_ones(erika_client):
    draft = begin(erika_client, "bewohnerparkausweis")
    sent = complete_feedback(erika_client)
    erika_client.post(f"/antrag/{sent.public_id}/pruefen/", {"einverstanden": "on"})
    page = erika_client.get("/meine-antraege/").content.decode()
    assert f"/antrag/{draft.public_id}/schritt/person/" in page
    sent.refresh_from_db()
    assert sent.reference in page


def test_another_citizen_reaches_none_of_the_urls(erika_client, max_mustermann, log_in, catalog):
    application = complete_feedback(erika_client)
    draft = begin(erika_client, "bewohnerparkausweis")
    other = Client(HTTP_HOST=HOST)
    log_in(other, max_mustermann, "hoch")
    for url in (
        step_url(draft, "person"),
        f"/antrag/{draft.public_id}/pruefen/",
        f"/antrag/{draft.public_id}/bezahlt/",
        f"/antrag/{application.public_id}/",
        f"/antrag/{application.public_id}/eingangsbestaetigung.pdf",
    ):
        assert other.get(url).status_code == 404, url
        assert other.post(url, {"einverstanden": "on", "vorname": "Max"}).status_code in {404, 405}, url
    draft.refresh_from_db()
    assert draft.data.get("vorname") == "Erika"
    assert "Bewohnerparkausweis" not in other.get("/meine-antraege/").content.decode()


def test_the_same_application_is_invisible_under_another_municipalitys_host(erika_client, erika, log_in):
    draft = begin(erika_client, "bewohnerparkausweis")
    elsewhere = Client(HTTP_HOST="beispielhausen.localhost")
    log_in(elsewhere, erika, "substanziell")
    assert elsewhere.get(step_url(draft, "person")).status_code == 404


def test_a_guest_continues_with_the_resume_link_in_another_browser(client_, catalog):
    application = begin(client_, "anregungen-beschwerden")
    page = client_.get(step_url(application, application.current_step)).content.decode()
    link = re.search(r'href="(http://[^"]+/antrag/fortsetzen/[^"]+/)"', page).group(1)
    other_browser = Client(HTTP_HOST=HOST)
    assert other_browser.get(step_url(application, application.current_step)).status_code == 404
    response = other_browser.get(link.replace(f"http://{HOST}", ""))
    assert response.status_code == 302
    assert other_browser.get(step_url(application, application.current_step)).status_code == 200
    assert Client(HTTP_HOST=HOST).get(link.replace(f"http://{HOST}", "")[:-5] + "xxxx/").status_code == 404


def test_a_guest_who_logs_in_keeps_the_draft(client_, erika, log_in, catalog):
    application = begin(client_, "anregungen-beschwerden")
    log_in(client_, erika, "niedrig", method="password")
    assert client_.get(step_url(application, application.current_step)).status_code == 200
    application.refresh_from_db()
    assert application.applicant == erika
    assert f"/antrag/{application.public_id}/" in client_.get("/meine-antraege/").content.decode()
