"""The whole way of a case in Chromium: Erika applies, the case is assigned automatically, the caseworker asks a
question, Erika answers in her postbox, the caseworker approves, and Erika reads the decision letter.
Every page on the way is checked with axe-core."""

from pathlib import Path

import pytest
from django.test import Client
from weasyprint import HTML

from rathaus.cases.models import Case
from rathaus.testing.browser import assert_accessible, browser_as

pytestmark = [pytest.mark.browser, pytest.mark.cases]


@pytest.fixture(autouse=True)
def media_on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_a_case_from_application_to_the_decision_letter_in_the_postbox(
    browser, live_server, catalog, erika, caseworker, log_in, staff_log_in, tmp_path
):
    citizen_client = Client()
    log_in(citizen_client, erika, "substanziell")
    citizen = browser_as(browser, live_server, citizen_client)
    proof = tmp_path / "fahrzeugschein.pdf"
    proof.write_bytes(HTML(string="<p>Zulassungsbescheinigung Teil I, MS-XY 42</p>").write_pdf())

    # Erika applies; her plate is not in the vehicle register, so a person decides.
    citizen.goto("/leistungen/bewohnerparkausweis/")
    citizen.get_by_role("link", name="Online beantragen").click()
    citizen.get_by_role("button", name="Antrag beginnen").click()
    citizen.wait_for_url("**/schritt/person/")
    citizen.fill("#feld-anschrift-strasse", "Heidestraße")
    citizen.fill("#feld-anschrift-hausnummer", "17")
    citizen.get_by_role("button", name="Weiter", exact=True).click()
    citizen.wait_for_url("**/schritt/fahrzeug/")
    citizen.fill("#feld-kennzeichen", "MS-XY 42")
    citizen.get_by_label("Pkw").check()
    citizen.get_by_label("Auf mich").check()
    citizen.get_by_label("Ich habe keinen eigenen Stellplatz und keine Garage.").check()
    citizen.get_by_role("button", name="Weiter", exact=True).click()
    citizen.wait_for_url("**/schritt/ausweis/")
    citizen.get_by_label("12 Monate (30,70 Euro)").check()
    citizen.get_by_role("button", name="Weiter", exact=True).click()
    citizen.wait_for_url("**/schritt/nachweise/")
    citizen.set_input_files("#feld-fahrzeugschein", str(proof))
    citizen.get_by_role("button", name="Weiter", exact=True).click()
    citizen.wait_for_url("**/pruefen/")
    citizen.get_by_label("Rechnung").check()
    citizen.get_by_label("Ich bestätige, dass meine Angaben richtig und vollständig sind.").check()
    citizen.get_by_role("button", name="Abschicken").click()
    citizen.wait_for_url("**/antrag/*/")
    case = Case.objects.get(application__applicant=erika)

    # Automatic assignment: the case is in Max's inbox under "assigned to me".
    staff_client = Client()
    staff_log_in(staff_client, caseworker)
    staff = browser_as(browser, live_server, staff_client)
    staff.goto("/verwaltung/vorgaenge/")
    assert_accessible(staff)
    staff.get_by_label("Mir zugewiesen").check()
    staff.get_by_role("button", name="Filter anwenden").click()
    staff.get_by_role("link", name=case.reference).click()
    assert_accessible(staff)
    assert caseworker.get_full_name() in staff.locator("#case-assignee").inner_text()
    assert "Zuweisung" in staff.locator(".case-history").inner_text()

    staff.get_by_role("button", name="Bearbeitung beginnen").click()
    staff.locator("summary", has_text="Nachfragen").click()
    staff.get_by_label("Ihre Frage an die antragstellende Person").fill(
        "Bitte senden Sie die Rückseite des Fahrzeugscheins."
    )
    staff.get_by_role("button", name="Nachfragen").click()
    assert staff.locator("#case-state").inner_text() == "wartet auf Antwort"
    assert_accessible(staff)

    # Erika answers in her postbox; the case resumes by itself.
    citizen.goto("/postfach/")
    assert_accessible(citizen)
    citizen.get_by_role("link", name="Eine Frage zu Ihrem Antrag").click()
    assert_accessible(citizen)
    citizen.fill("#antwort", "Die Rückseite ist angehängt.")
    citizen.set_input_files("#dateien", str(proof))
    with citizen.expect_navigation():
        citizen.get_by_role("button", name="Antwort abschicken").click()

    staff.reload()
    assert staff.locator("#case-state").inner_text() == "in Bearbeitung"
    assert "Regel: citizen_replied" in staff.locator(".case-history").inner_text()

    # Max approves with a sentence for the letter.
    # ... with the keyboard alone: open the step, type the text, release the letter.
    staff.locator("summary", has_text="Genehmigen").focus()
    staff.keyboard.press("Enter")
    staff.keyboard.press("Tab")
    staff.keyboard.type("Der Ausweis kommt mit der Post.")
    assert staff.get_by_label("Text des Bescheids (freiwillig)").input_value() == "Der Ausweis kommt mit der Post."
    staff.keyboard.press("Tab")
    with staff.expect_navigation():
        staff.keyboard.press("Enter")
    assert staff.locator("#case-state").inner_text().startswith("genehmigt")
    assert_accessible(staff)

    # Erika reads the decision letter in her postbox.
    citizen.goto("/postfach/")
    citizen.get_by_role("link", name="Bescheid zu Ihrem Antrag").click()
    assert_accessible(citizen)
    with citizen.expect_download() as download:
        citizen.get_by_role("link", name="Bescheid-").first.click()
    letter = Path(download.value.path()).read_bytes()
    assert letter.startswith(b"%PDF-")
    from io import BytesIO

    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(BytesIO(letter)).pages)
    assert case.reference in text and "Der Ausweis kommt mit der Post." in text
    citizen.goto(f"/antrag/{case.application.public_id}/")
    assert "genehmigt" in citizen.locator("main").inner_text()
