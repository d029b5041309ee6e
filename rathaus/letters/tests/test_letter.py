"""Decision letters: what each letter must say, which template says it, and what may never happen."""

import dataclasses
import io
from datetime import date
from decimal import Decimal

import pytest
from pypdf import PdfReader

from rathaus.letters import LetterData, LetterError, letter_pdf


@pytest.fixture
def approval(musterstadt) -> LetterData:
    """Erika's approved application for a certificate, with a fee."""
    return LetterData(
        municipality=musterstadt,
        department="Bürgerbüro",
        caseworker="Max Muster",
        reference="MUS-2026-000123",
        service_key="meldebescheinigung",
        service_name="Meldebescheinigung",
        recipient_name="Erika Mustermann",
        recipient_address=("Heidestraße 17", "61348 Musterstadt"),
        letter_date=date(2026, 3, 10),
        received_on=date(2026, 3, 2),
        decision_text="Die Bescheinigung liegt diesem Bescheid bei.",
        fee_amount=Decimal("10.00"),
        fee_label="Gebühr für die Bescheinigung",
        payment_hint="Bitte bezahlen Sie die Gebühr über Ihr Postfach.",
        legal_basis=("§ 18 Bundesmeldegesetz (BMG)",),
    )


@pytest.fixture
def rejection(approval) -> LetterData:
    return dataclasses.replace(
        approval, decision_text="", fee_amount=None, reason="Sie sind nicht in Musterstadt gemeldet."
    )


def read(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def text_of(pdf: bytes) -> str:
    return read(pdf)[1]


def test_an_approval_names_municipality_reference_recipient_decision_and_fee(approval):
    text = text_of(letter_pdf(data=approval, template="approval"))
    assert "Musterstadt" in text
    assert "MUS-2026-000123" in text
    assert "Erika Mustermann" in text and "Heidestraße 17" in text
    assert "wir bewilligen Ihren Antrag auf Meldebescheinigung vom 02.03.2026." in text
    assert "Die Bescheinigung liegt diesem Bescheid bei." in text
    assert "Gebühr für die Bescheinigung" in text and "10,00 €" in text
    assert "Bitte bezahlen Sie die Gebühr über Ihr Postfach." in text
    assert "§ 18 Bundesmeldegesetz (BMG)" in text
    assert "Datum 10.03.2026" in text


def test_the_pdf_is_a4_titled_with_the_reference_and_authored_by_the_municipality(approval):
    reader, _ = read(letter_pdf(data=approval, template="approval"))
    assert reader.metadata is not None
    assert reader.metadata.title == "Bescheid MUS-2026-000123"
    assert reader.metadata.author == "Musterstadt"
    box = reader.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)


def test_every_page_is_numbered_with_the_page_count(approval):
    reader, _ = read(letter_pdf(data=approval, template="approval"))
    pages = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        assert f"Seite {number} von {pages}" in page.extract_text()


def test_the_letter_signs_with_the_caseworker_or_else_with_the_administration(approval):
    assert "Im Auftrag\nMax Muster" in text_of(letter_pdf(data=approval, template="approval"))
    anonymous = dataclasses.replace(approval, caseworker="")
    assert "Ihre Verwaltung" in text_of(letter_pdf(data=anonymous, template="approval"))


def test_a_rejection_states_its_reason_and_the_appeal_notice_names_the_municipality(rejection):
    text = text_of(letter_pdf(data=rejection, template="rejection"))
    assert "wir lehnen Ihren Antrag auf Meldebescheinigung vom 02.03.2026 ab." in text
    assert "Begründung" in text and "Sie sind nicht in Musterstadt gemeldet." in text
    assert "Rechtsbehelfsbelehrung" in text
    assert "innerhalb eines Monats nach seiner Bekanntgabe Widerspruch" in text
    assert "zur Niederschrift bei Musterstadt, Rathausplatz 1,\n61348 Musterstadt" in " ".join(text.split(" "))


def test_a_rejection_without_reason_is_refused(rejection):
    with pytest.raises(LetterError, match="Eine Ablehnung muss begründet werden"):
        letter_pdf(data=dataclasses.replace(rejection, reason="  \n "), template="rejection")


def test_an_approval_with_a_fee_carries_the_appeal_notice_and_one_without_does_not(approval):
    assert "Rechtsbehelfsbelehrung" in text_of(letter_pdf(data=approval, template="approval"))
    free = dataclasses.replace(approval, fee_amount=None)
    text = text_of(letter_pdf(data=free, template="approval"))
    assert "Rechtsbehelfsbelehrung" not in text and "Gebühr" not in text


@pytest.mark.parametrize("template", ["decision", "base", "../approval", "appeal_notice", ""])
def test_an_unknown_template_is_refused(approval, template):
    with pytest.raises(LetterError, match="Unbekannte Briefvorlage"):
        letter_pdf(data=approval, template=template)


def test_a_service_key_that_is_no_slug_is_refused(approval):
    with pytest.raises(LetterError):
        letter_pdf(data=dataclasses.replace(approval, service_key="../cases"), template="approval")


def test_a_request_for_information_asks_the_question_and_names_the_deadline(approval):
    data = dataclasses.replace(
        approval, fee_amount=None, question="Bitte laden Sie Ihren Personalausweis hoch.", reply_by=date(2026, 3, 24)
    )
    reader, text = read(letter_pdf(data=data, template="request_for_information"))
    assert "Rückfrage zu Ihrem Antrag auf Meldebescheinigung" in text
    assert "Bitte laden Sie Ihren Personalausweis hoch." in text
    assert "Bitte antworten Sie bis zum 24.03.2026." in text
    assert "Rechtsbehelfsbelehrung" not in text
    assert reader.metadata is not None and reader.metadata.title == "Rückfrage MUS-2026-000123"


def test_a_request_for_information_without_question_or_deadline_is_refused(approval):
    with pytest.raises(LetterError):
        letter_pdf(data=dataclasses.replace(approval, reply_by=date(2026, 3, 24)), template="request_for_information")
    with pytest.raises(LetterError):
        letter_pdf(data=dataclasses.replace(approval, question="Welche Farbe?"), template="request_for_information")


def test_the_bewohnerparkausweis_approval_states_the_chosen_validity(approval):
    parking = dataclasses.replace(
        approval,
        department="Straßenverkehrsbehörde",
        service_key="bewohnerparkausweis",
        service_name="Bewohnerparkausweis",
        details={"Gültigkeit": "12 Monate", "Kennzeichen": "MS-EM 123"},
    )
    text = text_of(letter_pdf(data=parking, template="approval"))
    assert "Ihr Bewohnerparkausweis gilt für die Dauer, die Sie gewählt haben: 12 Monate." in text
    assert "Kennzeichen MS-EM 123" in text
    # Everything else of an approval is still there.
    assert "wir bewilligen Ihren Antrag auf Bewohnerparkausweis" in text and "10,00 €" in text


def test_other_services_list_their_details_in_the_general_approval(approval):
    text = text_of(
        letter_pdf(data=dataclasses.replace(approval, details={"Gültigkeit": "12 Monate"}), template="approval")
    )
    assert "Gültigkeit 12 Monate" in text
    assert "Ihr Bewohnerparkausweis" not in text


def test_a_municipality_may_word_its_own_appeal_notice(settings, tmp_path, rejection, beispielhausen):
    notice = tmp_path / "letters" / "municipality" / "musterstadt" / "appeal_notice.html"
    notice.parent.mkdir(parents=True)
    notice.write_text("<p>Widerspruch beim Magistrat der Stadt {{ municipality.name }}, Zimmer 101.</p>")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]

    text = text_of(letter_pdf(data=rejection, template="rejection"))
    assert "Widerspruch beim Magistrat der Stadt Musterstadt, Zimmer 101." in text
    assert "Rechtsbehelfsbelehrung" not in text

    elsewhere = dataclasses.replace(rejection, municipality=beispielhausen)
    text = text_of(letter_pdf(data=elsewhere, template="rejection"))
    assert "Zimmer 101" not in text and "zur Niederschrift bei Beispielhausen" in text


def test_umlauts_and_the_euro_sign_are_rendered(approval):
    text = text_of(letter_pdf(data=approval, template="approval"))
    assert "Gebühr" in text and "€" in text and "Straße" not in text.replace("Heidestraße", "")
    assert "Heidestraße" in text and "Bürgerbüro" in text


def test_html_written_by_the_caseworker_is_printed_as_text_with_its_line_breaks(rejection):
    data = dataclasses.replace(
        rejection,
        decision_text='Erste Zeile\nZweite <script>alert("x")</script> Zeile',
        reason="<b>nicht</b> gemeldet",
    )
    text = text_of(letter_pdf(data=data, template="rejection"))
    assert 'Erste Zeile\nZweite <script>alert("x")</script> Zeile' in text
    assert "<b>nicht</b> gemeldet" in text


def test_a_letter_can_be_written_in_english(approval):
    reader, text = read(letter_pdf(data=dataclasses.replace(approval, language="en"), template="approval"))
    assert "We grant your application for Meldebescheinigung of" in text
    assert reader.metadata is not None and reader.metadata.title == "Decision MUS-2026-000123"
    with pytest.raises(LetterError):
        letter_pdf(data=dataclasses.replace(approval, language="fr"), template="approval")
