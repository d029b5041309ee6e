"""The Bewohnerparkausweis with a vehicle registration upload and an online payment in the sandbox."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from weasyprint import HTML

from rathaus.applications.formengine import FormDefinition
from rathaus.applications.models import Application
from rathaus.applications.tests.test_every_definition import as_post, fill
from rathaus.payments.selectors import payment_for_purpose

HOST = "musterstadt.localhost"


@pytest.fixture(scope="module")
def registration_pdf() -> bytes:
    return HTML(string="<p>Zulassungsbescheinigung Teil I – MU-EM 64</p>").write_pdf()


@pytest.fixture
def erika_client(erika, log_in, catalog, settings, tmp_path) -> Client:
    settings.MEDIA_ROOT = tmp_path / "media"
    client = Client(HTTP_HOST=HOST)
    log_in(client, erika, "substanziell")
    return client


def fill_parking_permit(client: Client, pdf: bytes, validity: str = "12", upload_ok: bool = True) -> Application:
    response = client.post("/leistungen/bewohnerparkausweis/antrag/")
    application = Application.objects.get(public_id=re.search(r"/antrag/([0-9a-f-]{36})/", response["Location"])[1])
    form = FormDefinition(application.definition.data["form"])
    data = fill(form) | {"gueltigkeit": validity}
    for step in form.visible_steps(data):
        fields = [name for name in step["fields"] if form.layout["fields"][name]["widget"] != "file"]
        post = as_post(form, fields, data)
        post["aktion"] = "weiter"
        payload = post.dict()
        if "fahrzeugschein" in step["fields"]:
            payload["fahrzeugschein"] = SimpleUploadedFile("scan.pdf", pdf, content_type="application/pdf")
        response = client.post(f"/antrag/{application.public_id}/schritt/{step['id']}/", payload)
        if "fahrzeugschein" in step["fields"] and not upload_ok:
            assert response.status_code == 200
            assert 'class="kern-error"' in response.content.decode()
            break
        assert response.status_code == 302, response.content.decode()[:2000]
    application.refresh_from_db()
    return application


def pay(client: Client, application: Application, method: str, action: str = "pay", **extra):
    response = client.post(f"/antrag/{application.public_id}/pruefen/", {"einverstanden": "on", "zahlungsart": method})
    assert response.status_code == 302
    sandbox_url = response["Location"]
    assert "/bezahlen/sandbox/" in sandbox_url
    page = client.get(sandbox_url).content.decode()
    assert "30,70" in page
    token = parse_qs(urlsplit(sandbox_url).query)["t"][0]
    return client.post(urlsplit(sandbox_url).path, {"t": token, "action": action, "method": method, **extra})


def test_paying_online_submits_the_application_with_the_fee_and_method(erika_client, registration_pdf):
    application = fill_parking_permit(erika_client, registration_pdf)
    response = pay(erika_client, application, "paypal")
    final = erika_client.get(response["Location"], follow=True)
    assert final.redirect_chain[-1][0] == f"/antrag/{application.public_id}/"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert str(application.fee_total) == "30.70"
    assert application.payment_method == "paypal"
    assert application.reference in final.content.decode()


def test_a_payment_confirmed_only_by_the_webhook_still_submits(
    erika_client, registration_pdf, django_capture_on_commit_callbacks
):
    application = fill_parking_permit(erika_client, registration_pdf)
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(erika_client, application, "card", close_browser="on")
    assert response.status_code == 200, "the citizen closed the browser and never came back"
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.reference.startswith("MUS-")


def test_a_failed_payment_keeps_the_application_and_lets_the_citizen_try_again(erika_client, registration_pdf):
    application = fill_parking_permit(erika_client, registration_pdf)
    response = erika_client.get(pay(erika_client, application, "card", action="fail")["Location"], follow=True)
    assert "Die Zahlung wurde nicht abgeschlossen" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.AWAITING_PAYMENT
    assert payment_for_purpose(purpose=f"application:{application.public_id}").status == "failed"
    pay(erika_client, application, "card")
    erika_client.get(f"/antrag/{application.public_id}/bezahlt/")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


def test_paying_by_invoice_submits_at_once(erika_client, registration_pdf):
    application = fill_parking_permit(erika_client, registration_pdf, validity="6")
    response = erika_client.post(
        f"/antrag/{application.public_id}/pruefen/", {"einverstanden": "on", "zahlungsart": "invoice"}
    )
    assert response["Location"] == f"/antrag/{application.public_id}/"
    application.refresh_from_db()
    assert (application.status, str(application.fee_total), application.payment_method) == (
        Application.Status.SUBMITTED,
        "20.00",
        "invoice",
    )


def test_a_disguised_file_is_refused_at_the_field_and_the_other_answers_stay(erika_client, catalog):
    application = fill_parking_permit(erika_client, b"%PDF-1.4\n", upload_ok=False)  # no end: a damaged PDF
    assert "fahrzeugschein" not in application.data
    response = erika_client.post(
        f"/antrag/{application.public_id}/schritt/nachweise/",
        {"aktion": "weiter", "fahrzeugschein": SimpleUploadedFile("photo.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="kern-error"' in page
    application.refresh_from_db()
    assert application.data["kennzeichen"], "what was entered before is kept"
