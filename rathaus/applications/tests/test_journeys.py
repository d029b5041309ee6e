"""Whole journeys in Chromium: log in through the OpenID provider, apply, (pay,) get the receipt, find the application.

Every page on the way is checked with axe-core.
"""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from weasyprint import HTML

from rathaus.applications.formengine import FormDefinition
from rathaus.applications.models import Application
from rathaus.applications.tests.test_every_definition import answer
from rathaus.catalog.models import ServiceDefinition
from rathaus.testing.browser import assert_accessible
from rathaus.testing.peers import identity_provider_for, start_oidc_server, stop_oidc_server

pytestmark = [pytest.mark.browser, pytest.mark.journey]


@pytest.fixture(scope="module")
def oidc_for_live_server(live_server):
    server = start_oidc_server([f"{live_server.url}/konto/oidc/rueckkehr/"])
    yield server
    stop_oidc_server(server)


@pytest.fixture
def bundid(oidc_for_live_server, musterstadt, monkeypatch):
    return identity_provider_for(oidc_for_live_server, musterstadt, monkeypatch)


@pytest.fixture
def proof_pdf(tmp_path) -> Path:
    path = tmp_path / "fahrzeugschein.pdf"
    path.write_bytes(HTML(string="<p>Zulassungsbescheinigung Teil I, MU-EM 64</p>").write_pdf())
    return path


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def log_in_at_provider(page: Page, account: str, acr: str) -> None:
    page.get_by_role("link", name="Mit BundID anmelden").click()
    page.select_option("#login", account)
    page.select_option("#acr", acr)
    page.get_by_role("button", name="Anmelden").click()


def begin(page: Page, key: str) -> None:
    page.goto(f"/leistungen/{key}/")
    assert_accessible(page)
    page.get_by_role("link", name="Online beantragen").click()
    assert_accessible(page)
    page.get_by_role("button", name="Antrag beginnen").click()


def fill_step_generically(page: Page, form: FormDefinition, step: dict, proof: Path) -> None:
    """Answer every visible field the way a person would: type, pick, tick, attach.

    Fields appear while answering (conditions.js), so they are visited in page order, each once.
    """
    for name in step["fields"]:
        hints = form.layout["fields"][name]
        field_id = f"#feld-{name}"
        if not page.locator(field_id).is_visible():
            continue  # hidden while its condition does not hold
        widget, value = hints["widget"], answer(form.properties[name], hints["widget"])
        if widget == "file":
            page.set_input_files(field_id, str(proof))
        elif widget == "address":
            for part, text in value.items():
                if not page.input_value(f"{field_id}-{part}"):
                    page.fill(f"{field_id}-{part}", text)
        elif widget in {"radio", "checkboxes"}:
            page.locator(f"{field_id} input").first.check()
        elif widget == "checkbox":
            page.check(field_id)
        elif widget == "select":
            page.select_option(field_id, str(value))
        elif not page.input_value(field_id):
            page.fill(field_id, str(value))


def test_erika_applies_for_a_resident_parking_permit_and_pays_online(page, catalog, bundid, proof_pdf, erika):
    begin(page, "bewohnerparkausweis")
    assert_accessible(page)  # the login page asks for a substantial login: only the identity provider is offered
    assert page.locator("input[type=password]").count() == 0
    log_in_at_provider(page, "erika", "substanziell")
    page.get_by_role("button", name="Antrag beginnen").click()

    # Step 1: the identity provider's data is filled in already.
    page.wait_for_url("**/schritt/person/")
    assert_accessible(page)
    assert page.input_value("#feld-vorname") == "Erika"
    assert page.input_value("#feld-geburtsdatum") == "1964-08-12"
    page.fill("#feld-anschrift-plz", "61348")
    page.fill("#feld-anschrift-ort", "Musterstadt")
    page.get_by_role("button", name="Weiter", exact=True).click()

    page.wait_for_url("**/schritt/fahrzeug/")
    page.fill("#feld-kennzeichen", "MU-EM 64")
    page.get_by_label("Pkw").check()
    page.get_by_label("Auf mich").check()
    page.get_by_role("button", name="Weiter", exact=True).click()
    assert_accessible(page)  # the confirmation was forgotten: the error is shown at the field
    assert "Bitte bestätigen Sie dies." in page.locator(".error-summary").inner_text()
    page.get_by_label("Ich habe keinen eigenen Stellplatz und keine Garage.").check()
    page.get_by_role("button", name="Weiter", exact=True).click()

    page.wait_for_url("**/schritt/ausweis/")
    page.get_by_label("12 Monate (30,70 Euro)").check()
    page.get_by_role("button", name="Weiter", exact=True).click()

    page.wait_for_url("**/schritt/nachweise/")
    assert_accessible(page)
    page.set_input_files("#feld-fahrzeugschein", str(proof_pdf))
    page.get_by_role("button", name="Weiter", exact=True).click()

    page.wait_for_url("**/pruefen/")
    assert_accessible(page)
    assert "30,70 €" in page.content()
    assert "fahrzeugschein.pdf" in page.content()
    page.get_by_label("PayPal").check()
    page.get_by_label("Ich bestätige, dass meine Angaben richtig und vollständig sind.").check()
    page.get_by_role("button", name="Abschicken und bezahlen").click()

    page.wait_for_url("**/bezahlen/sandbox/**")
    assert_accessible(page)
    page.get_by_role("button", name="Bezahlen").click()

    page.wait_for_url("**/antrag/*/")
    assert_accessible(page)
    application = Application.objects.get(applicant__email="erika.eid@example.org")
    assert application.status == Application.Status.SUBMITTED
    assert application.reference in page.locator(".reference").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Eingangsbestätigung herunterladen (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")

    page.get_by_role("link", name="Meine Anträge").first.click()
    assert_accessible(page)
    assert application.reference in page.locator("main").inner_text()


def test_erika_registers_a_child_for_day_care_without_a_fee(page, catalog, bundid, proof_pdf):
    key = "kita-platz-anmeldung"
    definition = ServiceDefinition.objects.get(key=key)
    assert not definition.data["fees"], "a service without a fee"
    form = FormDefinition(definition.data["form"])
    begin(page, key)
    log_in_at_provider(page, "erika", "hoch")
    page.get_by_role("button", name="Antrag beginnen").click()
    for _step in range(len(form.layout["steps"]) + 1):
        page.wait_for_load_state()
        if "/pruefen/" in page.url:
            break
        step_id = page.url.rstrip("/").split("/")[-1]
        assert_accessible(page)
        fill_step_generically(page, form, form.step(step_id), proof_pdf)
        page.get_by_role("button", name="Weiter", exact=True).click()
        page.wait_for_load_state()
        assert page.locator(".error-summary").count() == 0, page.locator(".error-summary").inner_text()
    page.wait_for_url("**/pruefen/")
    assert_accessible(page)
    assert "Diese Leistung ist kostenlos." in page.content()
    page.get_by_label("Ich bestätige, dass meine Angaben richtig und vollständig sind.").check()
    page.get_by_role("button", name="Antrag abschicken").click()

    page.wait_for_url("**/antrag/*/")
    application = Application.objects.get(definition=definition)
    assert application.status == Application.Status.SUBMITTED and application.fee_total == 0
    with page.expect_download() as download:
        page.get_by_role("link", name="Eingangsbestätigung herunterladen (PDF)").click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    page.get_by_role("link", name="Meine Anträge").first.click()
    assert application.reference in page.locator("main").inner_text()
